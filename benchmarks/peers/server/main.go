// Command server is the loopback server of the peer comparison: it answers
// the finder of cases.json with the same small collection as the Go
// benchmarks' in-process server (package fakeapi), so every client measured
// by run.sh calls the same server.
//
// It listens on 127.0.0.1 only, on a port the kernel picks unless -addr
// says otherwise, prints "listening on http://127.0.0.1:<port>" once it
// accepts connections, and exits on SIGINT or SIGTERM, or after -max
// (default 30 minutes) in any case, printing how many requests it answered
// with each status, so the runner can tell that every client really called
// it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/linkedin-go/linkedin/benchmarks/internal/fakeapi"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "loopback address to listen on")
	maxLife := flag.Duration("max", 30*time.Minute, "exit after this long even if nobody stops the server")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("server: ")

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	if err := fakeapi.CheckLoopback(url); err != nil {
		log.Fatal(err)
	}
	var ok, failed atomic.Int64
	h := fakeapi.Handler()
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
			h.ServeHTTP(sw, r)
			if sw.status == http.StatusOK {
				ok.Add(1)
			} else {
				failed.Add(1)
			}
		}),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          log.Default(),
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *maxLife)
	defer cancel()
	go func() {
		<-ctx.Done()
		shutdown, done := context.WithTimeout(context.Background(), 2*time.Second)
		defer done()
		_ = srv.Shutdown(shutdown)
	}()

	fmt.Println("listening on", url)
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
	<-ctx.Done()
	fmt.Printf("served %d requests with 200 OK and %d with an error status\n", ok.Load(), failed.Load())
}

// statusWriter remembers the status the handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}
