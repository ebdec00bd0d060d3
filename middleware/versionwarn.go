// This file holds the version warning of the logging layer: one line per
// client and LinkedIn-Version, months before LinkedIn sunsets the version.

package middleware

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/linkedin-go/linkedin/restli"
)

// versionWarner logs one warning for each LinkedIn-Version that is at
// least months old. One lives in each logging layer built, so a client
// warns once per version however many calls it makes.
type versionWarner struct {
	months int
	clock  func() time.Time
	def    string // the version the header layer adds to requests without one

	// warned holds the versions warned about: an immutable map replaced on
	// each (rare) addition, so the per-request lookup neither locks nor
	// allocates.
	warned atomic.Pointer[map[string]bool]
	mu     sync.Mutex // serializes additions
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
	if w.done(v) || !logger.Enabled(ctx, slog.LevelWarn) {
		return
	}
	now := w.clock()
	if !restli.VersionNearSunset(v, now, w.months) || !w.claim(v) {
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

// done reports whether v was warned about.
func (w *versionWarner) done(v string) bool {
	m := w.warned.Load()
	return m != nil && (*m)[v]
}

// claim records v as warned about and reports whether this call did it.
func (w *versionWarner) claim(v string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	old := w.warned.Load()
	if old != nil && (*old)[v] {
		return false
	}
	m := make(map[string]bool, 1+len(ptrMap(old)))
	for k := range ptrMap(old) {
		m[k] = true
	}
	m[v] = true
	w.warned.Store(&m)
	return true
}

func ptrMap(p *map[string]bool) map[string]bool {
	if p == nil {
		return nil
	}
	return *p
}
