// Tests of the in-memory deduplication store.

package webhooks_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/restli/webhooks"
)

func TestMemoryStore(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	ctx := context.Background()
	s := webhooks.NewMemoryStore(webhooks.MemoryStoreOptions{TTL: time.Hour, MaxEntries: 3, Now: clock})
	claim := func(id string, want bool) {
		t.Helper()
		got, err := s.Claim(ctx, id)
		if err != nil || got != want {
			t.Fatalf("Claim(%s) = %v, %v; want %v", id, got, err, want)
		}
	}
	claim("a", true)
	claim("a", false)
	advance(30 * time.Minute)
	claim("b", true)
	advance(31 * time.Minute) // a expired, b not
	claim("a", true)
	claim("b", false)
	_ = s.Release(ctx, "b")
	claim("b", true) // released: new again
	claim("c", true)
	claim("d", true) // over MaxEntries: the oldest goes
	if s.Len() > 3 {
		t.Fatalf("Len = %d", s.Len())
	}
	claim("d", false)
	advance(2 * time.Hour)
	if s.Len() != 0 {
		t.Fatalf("Len = %d after the TTL", s.Len())
	}
	// Many claims stay bounded.
	for i := range 5000 {
		claim(strconv.Itoa(i), true)
	}
	if s.Len() != 3 {
		t.Fatalf("Len = %d", s.Len())
	}
	def := webhooks.NewMemoryStore(webhooks.MemoryStoreOptions{})
	if ok, _ := def.Claim(ctx, "x"); !ok {
		t.Fatal("default store")
	}
}

func TestMemoryStore_Concurrent(t *testing.T) {
	s := webhooks.NewMemoryStore(webhooks.MemoryStoreOptions{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	fresh := 0
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				if ok, _ := s.Claim(context.Background(), strconv.Itoa(i)); ok {
					mu.Lock()
					fresh++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if fresh != 100 {
		t.Fatalf("%d fresh claims, want 100", fresh)
	}
}
