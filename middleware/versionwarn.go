// This file holds the version warning of the logging layer: one line per
// client and LinkedIn-Version, months before LinkedIn sunsets the version.

package middleware

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/linkedin-go/linkedin/restli"
)

// versionWarner logs one warning for each LinkedIn-Version that is at
// least months old. One lives in each logging layer built, so a client
// warns once per version however many calls it makes.
type versionWarner struct {
	months int
	clock  func() time.Time
	def    string   // the version the header layer adds to requests without one
	warned sync.Map // version → struct{}: warned already
}

// newVersionWarner returns the warner opts ask for, or nil when the
// warning is off (VersionWarnMonths < 0).
func newVersionWarner(opts LoggingOptions) *versionWarner {
	if opts.VersionWarnMonths < 0 {
		return nil
	}
	w := &versionWarner{months: opts.VersionWarnMonths, clock: opts.Clock, def: opts.Version}
	if w.months == 0 {
		w.months = restli.DefaultVersionWarnMonths
	}
	if w.clock == nil {
		w.clock = time.Now
	}
	return w
}

// check logs the warning for req's version if it is old enough and has not
// been warned about yet. The version is the call's (restli's call
// description), else the request's LinkedIn-Version header, else the
// default the header layer will add.
func (w *versionWarner) check(ctx context.Context, req *http.Request, logger *slog.Logger) {
	if w == nil {
		return
	}
	v := ""
	if info, ok := restli.CallInfoFromContext(ctx); ok {
		v = info.Version
	}
	if v == "" {
		if h := req.Header[hdrLinkedInVersion]; len(h) > 0 {
			v = h[0]
		}
	}
	if v == "" {
		v = w.def
	}
	if v == "" {
		return
	}
	if _, done := w.warned.Load(v); done || !logger.Enabled(ctx, slog.LevelWarn) {
		return
	}
	now := w.clock()
	if !restli.VersionNearSunset(v, now, w.months) {
		return
	}
	if _, done := w.warned.LoadOrStore(v, struct{}{}); done {
		return
	}
	age, _ := restli.VersionAgeMonths(v, now)
	sunset, _ := restli.VersionSunset(v)
	logger.LogAttrs(ctx, slog.LevelWarn, "linkedin version nears its sunset: move to a newer LinkedIn-Version",
		slog.String("linkedin.version", v),
		slog.Int("version.age_months", age),
		slog.String("version.sunset_expected", sunset.Format("2006-01")),
		slog.Int("version.warn_months", w.months),
	)
}
