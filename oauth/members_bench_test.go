package oauth

import (
	"context"
	"fmt"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// BenchmarkMemberTokenSource_Cached is the cost of a call's token when the
// member's token is cached: no store access, no allocation beyond the
// context lookup.
func BenchmarkMemberTokenSource_Cached(b *testing.B) {
	for _, members := range []int{1, 10000} {
		b.Run(fmt.Sprintf("members=%d", members), func(b *testing.B) {
			src := (&Config{ClientID: "app"}).MemberTokenSource(MemberOptions{})
			ctxs := make([]context.Context, members)
			for i := range members {
				id := fmt.Sprintf("m%d", i)
				tok := &Token{Token: &oauth2.Token{AccessToken: "a" + id, RefreshToken: "r", Expiry: time.Now().Add(time.Hour)}}
				if err := src.Put(context.Background(), id, tok); err != nil {
					b.Fatal(err)
				}
				ctxs[i] = WithMember(context.Background(), id)
			}
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				i := 0
				for pb.Next() {
					if _, err := src.TokenContext(ctxs[i%members]); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
		})
	}
}
