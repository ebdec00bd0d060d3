// This file holds the LinkedIn-Version rules: the format check the request
// builder applies before sending, and the age of a version, from which the
// logging and telemetry layers warn months before LinkedIn sunsets it.

package restli

import (
	"net/http"
	"time"
)

// DefaultVersionWarnMonths is how old, in months, a LinkedIn-Version must be
// before the logging layer warns about it and the call span is marked.
// LinkedIn supports a version for about a year after its release month, then
// answers 426 NONEXISTENT_VERSION to every call that sends it; ten months
// leaves about two to move on.
const DefaultVersionWarnMonths = 10

// VersionSupportMonths is how long LinkedIn keeps a version active after its
// release month, as its versioning guide states (at least one year).
// VersionSunset uses it to estimate when a version stops working.
const VersionSupportMonths = 12

// codeNonexistentVersion is the code LinkedIn sends with a 426 for a version
// that is not (or no longer) active.
const codeNonexistentVersion = "NONEXISTENT_VERSION"

// versionFormatReason says what a valid version looks like. It never quotes
// the value, which is the caller's input.
const versionFormatReason = "must be a LinkedIn-Version of the form YYYYMM or YYYYMM.RR, such as 202601 or 202601.01"

// ValidateVersion reports whether v is a LinkedIn-Version LinkedIn can
// accept: a release month written YYYYMM (202601), optionally followed by a
// two-digit revision, YYYYMM.RR (202601.01). The month must be 01 to 12.
// Anything else (2024-04, 2024.04, 20240401, v202601, an empty string) gets
// a *ValidationError for the field "Version" and is never sent: LinkedIn
// would answer it with an error, and a version silently rewritten into
// another one could change the shape of every response.
//
// The request builder calls it for every request that carries a version,
// after its check for characters a header cannot hold.
func ValidateVersion(v string) error {
	if _, _, ok := parseVersion(v); !ok {
		return invalid("Version", versionFormatReason, nil)
	}
	return nil
}

// parseVersion returns the year and month of a valid version.
func parseVersion(v string) (year int, month time.Month, ok bool) {
	switch len(v) {
	case 6:
	case 9:
		if v[6] != '.' || !isDigit(v[7]) || !isDigit(v[8]) {
			return 0, 0, false
		}
	default:
		return 0, 0, false
	}
	for i := 0; i < 6; i++ {
		if !isDigit(v[i]) {
			return 0, 0, false
		}
	}
	year = int(v[0]-'0')*1000 + int(v[1]-'0')*100 + int(v[2]-'0')*10 + int(v[3]-'0')
	m := int(v[4]-'0')*10 + int(v[5]-'0')
	if m < 1 || m > 12 {
		return 0, 0, false
	}
	return year, time.Month(m), true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// VersionReleased returns the first instant (UTC) of the release month of
// version v, or a *ValidationError when v is not a valid version.
func VersionReleased(v string) (time.Time, error) {
	y, m, ok := parseVersion(v)
	if !ok {
		return time.Time{}, invalid("Version", versionFormatReason, nil)
	}
	return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC), nil
}

// VersionSunset returns when LinkedIn is expected to stop accepting version
// v: VersionSupportMonths after its release month. It is an estimate (LinkedIn
// announces the real date); the 426 answer is what counts.
func VersionSunset(v string) (time.Time, error) {
	r, err := VersionReleased(v)
	if err != nil {
		return time.Time{}, err
	}
	return r.AddDate(0, VersionSupportMonths, 0), nil
}

// VersionAgeMonths returns how many whole calendar months separate the
// release month of version v from the month of now (in UTC): 0 in the
// release month, 10 for 202601 in November 2026. It is negative for a
// version from the future.
func VersionAgeMonths(v string, now time.Time) (int, error) {
	y, m, ok := parseVersion(v)
	if !ok {
		return 0, invalid("Version", versionFormatReason, nil)
	}
	now = now.UTC()
	return (now.Year()*12 + int(now.Month())) - (y*12 + int(m)), nil
}

// VersionNearSunset reports whether version v is at least warnMonths old at
// now (DefaultVersionWarnMonths when warnMonths <= 0), so that LinkedIn will
// sunset it soon, or already has. An invalid version is never near sunset
// (the request builder refuses it anyway).
func VersionNearSunset(v string, now time.Time, warnMonths int) bool {
	if warnMonths <= 0 {
		warnMonths = DefaultVersionWarnMonths
	}
	age, err := VersionAgeMonths(v, now)
	return err == nil && age >= warnMonths
}

// requestedVersion returns the LinkedIn-Version that went out with the
// request that got resp: the header of the request the innermost transport
// sent (so a version the header layers added counts), else the one the
// builder set on req.
func requestedVersion(resp *http.Response, req *http.Request) string {
	if resp != nil && resp.Request != nil {
		if v := resp.Request.Header[headerVersion]; len(v) > 0 && v[0] != "" {
			return v[0]
		}
	}
	if req != nil {
		if v := req.Header[headerVersion]; len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// versionNote is what Error adds to the message of a sunset version: the
// version this client sent, since LinkedIn's message shows another spelling
// of it (20240401 for 202404).
func (e *Error) versionNote() string {
	if e.Version == "" || !IsVersionSunset(e) {
		return ""
	}
	return " (sent LinkedIn-Version " + e.Version + ")"
}
