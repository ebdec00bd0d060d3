// This file holds the fuzz targets of the package's parsers: the
// instruction validation, the upload-state decoding and the GIF frame
// counter. Their seed corpora run with every go test.

package media

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func FuzzValidateInstructions(f *testing.F) {
	f.Add(int64(10), int64(0), int64(4), int64(5), int64(9), "https://www.linkedin.com/dms-uploads/a?sig=x")
	f.Add(int64(10), int64(0), int64(4), int64(4), int64(9), "https://www.linkedin.com/x")
	f.Add(int64(10), int64(0), int64(4), int64(6), int64(9), "http://127.0.0.1:1/x")
	f.Add(int64(10), int64(0), int64(9), int64(10), int64(12), "")
	f.Add(int64(-1), int64(0), int64(-1), int64(0), int64(0), "ftp://x")
	f.Add(int64(1<<40), int64(0), int64(1<<39), int64(1<<39+1), int64(1<<40-1), "https://x")
	f.Fuzz(func(t *testing.T, size, f0, l0, f1, l1 int64, u string) {
		ins := []Instruction{{UploadURL: u, FirstByte: f0, LastByte: l0}, {UploadURL: u, FirstByte: f1, LastByte: l1}}
		err := validateInstructions(ins, size)
		if err == nil {
			// Accepted: the parts tile [0, size) exactly, each bounded.
			if f0 != 0 || f1 != l0+1 || l1 != size-1 || l0 < f0 || l1 < f1 ||
				ins[0].Len() > MaxPartBytes || ins[1].Len() > MaxPartBytes {
				t.Fatalf("accepted %v for size %d", ins, size)
			}
			return
		}
		var ie *InstructionsError
		if !errors.As(err, &ie) {
			t.Fatalf("error %T, want *InstructionsError", err)
		}
		if strings.Contains(err.Error(), "sig=") && strings.Contains(u, "sig=") {
			t.Fatalf("error %q quotes the URL", err)
		}
	})
}

func FuzzDecodeState(f *testing.F) {
	good, _ := json.Marshal(UploadState{Format: 1, URN: "urn:li:video:C5", Size: 10, UploadToken: "t",
		Instructions: []Instruction{{UploadURL: "https://www.linkedin.com/a", FirstByte: 0, LastByte: 4},
			{UploadURL: "https://www.linkedin.com/b", FirstByte: 5, LastByte: 9}},
		ETags: []string{"/ambry-video/1", ""}})
	f.Add(good)
	f.Add([]byte(`{"format":1,"urn":"urn:li:video:1","size":1,"instructions":[{"uploadUrl":"https://x","firstByte":0,"lastByte":0}],"etags":[""]}`))
	f.Add([]byte(`{"format":1,"urn":"urn:li:video:1","size":-5}`))
	f.Add([]byte(`{"format":1} trailing`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"etags":["W/\"x\""]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := DecodeState(data)
		if err != nil {
			var se *StateError
			if !errors.As(err, &se) {
				t.Fatalf("error %T, want *StateError", err)
			}
			return
		}
		// A decoded state is usable: it validates again, its parts tile the
		// file and it survives a round trip.
		if err := s.validate(); err != nil {
			t.Fatalf("decoded state invalid: %v", err)
		}
		if len(s.ETags) != len(s.Instructions) || s.PartsDone() > len(s.Instructions) {
			t.Fatalf("inconsistent state %v", s)
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := DecodeState(b); err != nil {
			t.Fatalf("round trip: %v", err)
		}
	})
}

func FuzzGIFFrames(f *testing.F) {
	f.Add([]byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff\x2C\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3B"))
	f.Add([]byte("GIF87a\x01\x00\x01\x00\x00\x00\x00\x21\xf9\x04\x00\x00\x00\x00\x00\x3B"))
	f.Add([]byte("GIF89a"))
	f.Add([]byte("not a gif"))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := gifFrames(strings.NewReader(string(data)), MaxGIFFrames+1)
		if n < 0 || n > MaxGIFFrames+1 {
			t.Fatalf("%d frames", n)
		}
		if err == nil && n > len(data)/10 {
			t.Fatalf("%d frames in %d bytes", n, len(data))
		}
	})
}
