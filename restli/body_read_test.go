// Tests of readFull and DrainAndClose, which read bodies through the pooled
// buffer.
package restli

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

// stuckReader returns nothing and no error, forever: a broken io.Reader.
type stuckReader struct{ reads int }

func (r *stuckReader) Read([]byte) (int, error) { r.reads++; return 0, nil }
func (r *stuckReader) Close() error             { return nil }

func TestReadFull_ReadsExactlyNLikeIOReadFull(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	long := strings.Repeat("x", 3*bodyChunkSize+5) // several reads through the buffer
	tests := []struct {
		name    string
		ctx     context.Context
		r       io.Reader
		n       int64
		want    string
		wantErr error
	}{
		{"exact", nil, strings.NewReader(`{"a":1}`), 7, `{"a":1}`, nil},
		{"exact, in pieces", nil, &chunkReader{data: []byte(long), size: 7}, int64(len(long)), long, nil},
		{"longer than n: n bytes", nil, strings.NewReader(`{"a":1}xyz`), 7, `{"a":1}`, nil},
		{"nothing to read", nil, strings.NewReader(""), 0, "", nil},
		{"empty body, n > 0", nil, strings.NewReader(""), 5, "", io.EOF},
		{"short body", nil, strings.NewReader("abc"), 5, "abc", io.ErrUnexpectedEOF},
		{"broken reader", nil, &stuckReader{}, 5, "", io.ErrNoProgress},
		{"context ended", cancelled, strings.NewReader("abc"), 3, "", context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sb strings.Builder
			var buf [bodyChunkSize]byte
			err := readFull(tt.ctx, &sb, tt.r, tt.n, buf[:])
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if sb.String() != tt.want {
				t.Errorf("read %q, want %q", trunc(sb.String()), trunc(tt.want))
			}
		})
	}
}

func TestDrainAndClose_StopsOnABrokenReader(t *testing.T) {
	r := &stuckReader{}
	DrainAndClose(r) // must return
	if r.reads != maxIdleReads {
		t.Errorf("%d reads of a reader that never moves, want %d", r.reads, maxIdleReads)
	}
}

func trunc(s string) string {
	if len(s) > 20 {
		return s[:20] + "…"
	}
	return s
}
