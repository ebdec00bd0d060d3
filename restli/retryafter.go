// This file parses the Retry-After response header, for the retry layer's
// waits and for Error.RetryAfter.

package restli

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxRetryAfter is the duration ParseRetryAfter reports for a Retry-After
// whose delay does not fit in a time.Duration: longer than any cap.
const MaxRetryAfter time.Duration = math.MaxInt64

// ParseRetryAfter returns the wait a Retry-After header asks for, as
// delay-seconds ("120") or an HTTP date (measured from now; a date in the
// past is a wait of 0), and whether h holds a usable Retry-After. A delay
// too large for a time.Duration (beyond about 292 years, or beyond the
// int64 range) is MaxRetryAfter, not absent: the server asked for a longer
// wait than any caller will accept. A negative or malformed value is
// absent.
func ParseRetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := h["Retry-After"]
	if len(v) == 0 {
		return 0, false
	}
	s := strings.TrimSpace(v[0])
	if s == "" {
		return 0, false
	}
	if allDigits(s) {
		secs, err := strconv.ParseInt(s, 10, 64)
		if err != nil || secs > int64(MaxRetryAfter/time.Second) {
			return MaxRetryAfter, true // only a range error is left for digits
		}
		return time.Duration(secs) * time.Second, true
	}
	when, err := http.ParseTime(s)
	if err != nil {
		return 0, false
	}
	return max(when.Sub(now), 0), true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
