// This file wires the version warning into the stack: the logging layer's
// one warning per version and the call span's marks both learn the
// client's default version, threshold and clock here.

package transport

import (
	"time"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/telemetry"
)

// WithVersionWarning sets when the stack says a LinkedIn-Version is near
// its sunset: months after its release month (0 means
// restli.DefaultVersionWarnMonths, 10; negative turns the warning off),
// measured by clock (nil means time.Now). The logging layer (WithLogger)
// then logs one Warn line per client and version, and the call span gets
// linkedin.version.sunset_warning=true and linkedin.version.age_months.
// Without this option both use their defaults: 10 months, time.Now.
//
// There is no fallback to another version: LinkedIn answers 426 once a
// version is sunset (restli.IsVersionSunset), and moving to a newer one is
// a change to make and test, since response shapes can differ.
func WithVersionWarning(months int, clock func() time.Time) Option {
	return func(c *config) { c.versionWarnMonths, c.versionClock, c.versionWarnSet = months, clock, true }
}

// loggingOptions returns the logging layer's options with the stack's
// default version and, when set, the version warning's threshold and clock.
func (c *config) loggingOptions() middleware.LoggingOptions {
	o := c.logOpts
	if o.Version == "" {
		o.Version = c.version
	}
	if c.versionWarnSet {
		o.VersionWarnMonths, o.Clock = c.versionWarnMonths, c.versionClock
	}
	return o
}

// callTelemetryOptions returns telemetry.Call's options, likewise.
func (c *config) callTelemetryOptions() telemetry.Options {
	o := c.telemetry
	if o.Version == "" {
		o.Version = c.version
	}
	if c.versionWarnSet {
		o.VersionWarnMonths, o.Clock = c.versionWarnMonths, c.versionClock
	}
	return o
}
