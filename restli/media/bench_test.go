// This file holds BenchmarkUploadVideo: a 256 MiB video through the full
// default stack to the fake upload host on loopback, against a bare
// net/http client PUTting the same parts with the same parallelism; the
// sequential form (UploadVideoFrom); and the read-the-whole-file-then-PUT
// approach of most public uploaders, with throughput and peak heap side by
// side. It runs only with -bench.

package media_test

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"runtime"
	"runtime/metrics"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/media"
	"github.com/linkedin-go/linkedin/restli/restlitest"
	"github.com/linkedin-go/linkedin/transport"
)

const (
	benchSize     = 256 << 20
	benchParallel = 4
)

// pattern is a large io.ReaderAt that holds no memory: a 64 KiB random
// block, starting like an MP4 file, repeated up to size.
type pattern struct {
	size  int64
	block []byte
}

func newPattern(size int64) pattern {
	b := make([]byte, 64<<10)
	_, _ = rand.NewChaCha8([32]byte{1}).Read(b)
	copy(b, "\x00\x00\x00\x18ftypmp42")
	return pattern{size: size, block: b}
}

func (p pattern) ReadAt(b []byte, off int64) (int, error) {
	n := 0
	for n < len(b) && off < p.size {
		k := copy(b[n:], p.block[off%int64(len(p.block)):])
		k = int(min(int64(k), p.size-off))
		n += k
		off += int64(k)
	}
	if n < len(b) {
		return n, io.EOF
	}
	return n, nil
}

// heapPeak samples the live heap every 500µs until stop is called and
// returns the highest value above the heap at start, in bytes.
func heapPeak() (stop func() uint64) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(500 * time.Microsecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > base && v-base > peak.Load() {
				peak.Store(v - base)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { close(done); wg.Wait(); return peak.Load() }
}

// benchEnv is the fake server and the two clients of the benchmark.
type benchEnv struct {
	srv   *restlitest.Server
	rc    *restli.Client // the full default stack
	bare  *http.Client   // net/http alone
	src   pattern
	state *media.UploadState // an initialized upload the bare client PUTs to
}

func newBenchEnv(b *testing.B) *benchEnv {
	srv := restlitest.NewServer(restlitest.WithMaxRecordedRequests(16))
	b.Cleanup(srv.Close)
	host := srv.UploadHost()
	// transport.NewClient as an application builds it: retry, breaker,
	// tunnel, telemetry (global no-op providers), headers, the token layer.
	hc := transport.NewClient(
		transport.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: srv.Token()})),
		transport.WithTokenHosts(host), transport.WithVersion(restlitest.DefaultVersion))
	env := &benchEnv{
		srv:  srv,
		rc:   restli.NewClient(hc, restli.WithBaseURL(srv.URL+"/rest")),
		bare: &http.Client{Transport: transport.NewBaseTransport()},
		src:  newPattern(benchSize),
	}
	// One initialized upload for the bare client: the fake host takes its
	// parts again and again.
	ctx, cancel := context.WithCancel(context.Background())
	_, _ = media.UploadVideo(ctx, env.rc, owner, env.src, benchSize, media.WithUploadHosts(host),
		media.WithCheckpoint(func(s *media.UploadState) {
			if env.state == nil {
				env.state = s
				cancel()
			}
		}))
	cancel()
	if env.state == nil {
		b.Fatal("no upload state")
	}
	return env
}

// barePut PUTs every part of the prepared upload with net/http alone,
// parallel at a time, bodies streamed from the source.
func (e *benchEnv) barePut(b *testing.B, parallel int) {
	ins := e.state.Instructions
	next := atomic.Int64{}
	var wg sync.WaitGroup
	for range parallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(ins) {
					return
				}
				in := ins[i]
				req, _ := http.NewRequest(http.MethodPut, in.UploadURL, io.NewSectionReader(e.src, in.FirstByte, in.Len()))
				req.ContentLength = in.Len()
				req.Header.Set("Content-Type", "application/octet-stream")
				resp, err := e.bare.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == "" {
					b.Errorf("bare PUT: %d", resp.StatusCode)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// readWholeThenPut is what most public uploaders do: read the whole file
// into memory, then PUT slices of it (here through the same default stack
// and parallelism, so only the reading differs).
func (e *benchEnv) readWholeThenPut(b *testing.B) {
	data := make([]byte, benchSize)
	if _, err := e.src.ReadAt(data, 0); err != nil {
		b.Fatal(err)
	}
	host := e.srv.UploadHost()
	if _, err := media.UploadVideo(context.Background(), e.rc, owner, bytes.NewReader(data), benchSize,
		media.WithUploadHosts(host), media.WithParallelism(benchParallel)); err != nil {
		b.Fatal(err)
	}
	runtime.KeepAlive(data)
}

func BenchmarkUploadVideo(b *testing.B) {
	env := newBenchEnv(b)
	host := env.srv.UploadHost()
	for _, mode := range []struct {
		name     string
		parallel int // of the mode, and so of its bare net/http pair
		run      func(b *testing.B)
	}{
		{"streamed", benchParallel, func(b *testing.B) {
			if _, err := media.UploadVideo(context.Background(), env.rc, owner, env.src, benchSize,
				media.WithUploadHosts(host), media.WithParallelism(benchParallel)); err != nil {
				b.Fatal(err)
			}
		}},
		{"sequential", 1, func(b *testing.B) {
			// UploadVideoFrom: one part at a time from a stream, one part
			// buffered.
			if _, err := media.UploadVideoFrom(context.Background(), env.rc, owner,
				io.NewSectionReader(env.src, 0, benchSize), benchSize, media.WithUploadHosts(host)); err != nil {
				b.Fatal(err)
			}
		}},
		{"read-whole-file", benchParallel, env.readWholeThenPut},
	} {
		b.Run(mode.name, func(b *testing.B) {
			var stack, bare time.Duration
			var peak uint64
			ratios := make([]float64, 0, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				// The two clients in turn, in alternating order, so both see
				// the same seconds of a shared machine.
				var tb time.Duration
				if i%2 == 0 {
					tb = timed(func() { env.barePut(b, mode.parallel) })
				}
				stop := heapPeak()
				ts := timed(func() { mode.run(b) })
				peak = max(peak, stop())
				if i%2 == 1 {
					tb = timed(func() { env.barePut(b, mode.parallel) })
				}
				stack += ts
				bare += tb
				ratios = append(ratios, 100*tb.Seconds()/ts.Seconds())
			}
			mb := float64(benchSize) / (1 << 20) * float64(b.N)
			b.ReportMetric(mb/stack.Seconds(), "MB/s")
			b.ReportMetric(mb/bare.Seconds(), "bare-MB/s")
			// The median of the pairs' ratios: a pair hit by a burst of load
			// on the shared machine does not decide it.
			slices.Sort(ratios)
			b.ReportMetric(ratios[len(ratios)/2], "vs-bare-%")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}

// timed returns how long f took.
func timed(f func()) time.Duration {
	t0 := time.Now()
	f()
	return time.Since(t0)
}
