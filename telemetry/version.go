// This file holds the call span's version marks: a call whose
// LinkedIn-Version is near its sunset says so on its span, months before
// LinkedIn answers 426.

package telemetry

import (
	"time"

	"go.opentelemetry.io/otel/attribute"

	"github.com/linkedin-go/linkedin/restli"
)

// Attribute keys Call sets on the span of a call whose LinkedIn-Version is
// near its sunset (see Options.VersionWarnMonths). They are absent
// otherwise.
const (
	// LinkedInVersionSunsetWarningKey is true on a call whose version is
	// VersionWarnMonths old or older.
	LinkedInVersionSunsetWarningKey = attribute.Key("linkedin.version.sunset_warning")
	// LinkedInVersionAgeKey is the version's age in months after its
	// release month (int), set with the warning.
	LinkedInVersionAgeKey = attribute.Key("linkedin.version.age_months")
)

// versionMarks decides the version marks of call spans.
type versionMarks struct {
	def    string // the version the header layer adds to requests without one
	months int    // < 0: off
	clock  func() time.Time
}

func newVersionMarks(o Options) versionMarks {
	m := versionMarks{def: o.Version, months: o.VersionWarnMonths, clock: o.Clock}
	if m.months == 0 {
		m.months = restli.DefaultVersionWarnMonths
	}
	if m.clock == nil {
		m.clock = time.Now
	}
	return m
}

// append adds the marks for a call with version v (the call's own, or ""
// when the default applies) to a. A call that takes the default version
// also gets linkedin.version with it, so the span names the version it
// warns about.
func (m versionMarks) append(a []attribute.KeyValue, v string) []attribute.KeyValue {
	if m.months < 0 {
		return a
	}
	version := v
	if version == "" {
		version = m.def
	}
	if version == "" {
		return a
	}
	age, err := restli.VersionAgeMonths(version, m.clock())
	if err != nil || age < m.months {
		return a
	}
	if v == "" {
		a = append(a, LinkedInVersionKey.String(version))
	}
	return append(a, LinkedInVersionSunsetWarningKey.Bool(true), LinkedInVersionAgeKey.Int(age))
}
