package restli_test

import (
	"context"
	"fmt"
	"time"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
)

// IsDailyQuotaExhausted tells LinkedIn's DAY-limit 429, which will not
// clear before 00:00 UTC, from a passing throttle; DailyQuotaResetAt says
// when to try again.
func ExampleIsDailyQuotaExhausted() {
	evening := time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC)
	srv := restlitest.NewServer(restlitest.WithClock(func() time.Time { return evening }),
		restlitest.WithDailyLimits(restlitest.DailyLimits{Application: 1}))
	defer srv.Close()
	srv.Seed("/adAccounts", 1, map[string]any{"id": 1})
	c := srv.RestliClient()

	for range 2 {
		_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 1}})
		if restli.IsDailyQuotaExhausted(err) {
			resetAt, _ := restli.DailyQuotaResetAt(err)
			fmt.Println("daily quota spent until", resetAt.Format(time.RFC3339))
			continue
		}
		fmt.Println("ok:", err == nil)
	}
	// Output:
	// ok: true
	// daily quota spent until 2026-12-08T00:00:00Z
}
