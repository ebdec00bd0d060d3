// Webhooks runs a LinkedIn webhook receiver (package webhooks) on a
// loopback address and lets the fake LinkedIn server do to it what LinkedIn
// does: the validation challenge, a signed notification, the same delivery
// again, one signed the other way LinkedIn's documentation can be read, and
// one with a bad signature. It prints each answer and what the receiver
// processed: each notification once, the forged one never.
//
//	go run ./examples/webhooks
//
// This example always runs against the fake server: LinkedIn can only
// reach a public https URL registered in the Developer Portal. In
// production, mount the same handler there with your application's client
// secret (LINKEDIN_CLIENT_SECRET).
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/linkedin-go/linkedin/restli/restlitest"
	"github.com/linkedin-go/linkedin/restli/webhooks"
)

func main() {
	log.SetFlags(0)
	fake := restlitest.NewServer() // plays LinkedIn; its application's secret is DefaultClientSecret
	defer fake.Close()
	secret := restlitest.DefaultClientSecret

	var mu sync.Mutex
	var processed []string
	handler, err := webhooks.NewHandler(secret, func(ctx context.Context, n *webhooks.Notification) error {
		mu.Lock()
		defer mu.Unlock()
		processed = append(processed, fmt.Sprintf("%s %s on %s (notification %s)", n.Type, n.Action, n.SourcePost, n.ID))
		return nil
	}, webhooks.Options{})
	check(err)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	srv := &http.Server{Handler: http.StripPrefix("/linkedin/webhook", handler), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Print("webhooks: ", err)
		}
	}()
	defer srv.Close()
	endpoint := "http://" + ln.Addr().String() + "/linkedin/webhook"
	fmt.Println("receiver at", endpoint)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	report := fake.CheckWebhook(ctx, endpoint)
	fmt.Println("\nwhat LinkedIn sent, and what the receiver answered:")
	for _, s := range report.Steps {
		verdict := "ok"
		if !s.OK {
			verdict = "WRONG: " + s.Problem
		}
		fmt.Printf("  %-40s %d  %s\n", s.Step, s.Status, verdict)
	}
	fmt.Println("report OK:", report.OK())

	fmt.Println("\nprocessed:")
	mu.Lock()
	for _, p := range processed {
		fmt.Println(" ", p)
	}
	fmt.Println("processed count:", len(processed))
	mu.Unlock()
	if !report.OK() {
		log.Fatal("webhooks: the receiver failed LinkedIn's checks")
	}
}

func check(err error) {
	if err != nil {
		log.Fatal("webhooks: ", err)
	}
}
