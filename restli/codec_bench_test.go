// Benchmarks of the codec on the shared peer-benchmark inputs.

package restli

import (
	"encoding/json"
	"os"
	"slices"
	"testing"
)

// codecBenchCase is one of the peer benchmark inputs in
// testdata/bench_cases.json (a copy of the cases of the shared peer
// benchmark, /work/shared/bench/cases.json).
type codecBenchCase struct {
	Name   string         `json:"name"`
	Params map[string]any `json:"params"`
}

// loadCodecBenchCases reads the cases and turns them into the values a user
// would write: integers as int, objects as map[string]any, arrays as []any.
func loadCodecBenchCases(tb testing.TB) []codecBenchCase {
	tb.Helper()
	data, err := os.ReadFile("testdata/bench_cases.json")
	if err != nil {
		tb.Fatal(err)
	}
	var file struct {
		Cases []codecBenchCase `json:"cases"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		tb.Fatal(err)
	}
	if len(file.Cases) != 5 {
		tb.Fatalf("want 5 cases, got %d", len(file.Cases))
	}
	for _, c := range file.Cases {
		for k, v := range c.Params {
			c.Params[k] = codecBenchIntegers(v)
		}
	}
	return file.Cases
}

// codecBenchIntegers replaces the float64 values encoding/json produces for
// integral JSON numbers by int.
func codecBenchIntegers(v any) any {
	switch x := v.(type) {
	case float64:
		if x == float64(int(x)) {
			return int(x)
		}
	case []any:
		for i, e := range x {
			x[i] = codecBenchIntegers(e)
		}
	case map[string]any:
		for k, e := range x {
			x[k] = codecBenchIntegers(e)
		}
	}
	return v
}

// TestCodecBenchCases pins the output of the benchmark inputs, so the
// benchmarks measure correct work.
func TestCodecBenchCases(t *testing.T) {
	want := map[string]string{
		"simple":          "count=10&q=search&start=0",
		"finder_search":   "count=5&q=search&search=(reference:(values:List(urn%3Ali%3Aorganization%3A123)),status:(values:List(ACTIVE,DRAFT)),test:true)&start=0",
		"special_unicode": "keywords=C%2B%2B%20%26%20Go%20%28fast%29%2C%20100%25%20%27quoted%27%20%C3%BCn%C3%AFc%C3%B6d%C3%A9%20%E6%97%A5%E6%9C%AC%20!*~.-_&tags=List(a%2Cb,c%3Ad,%28e%29)",
	}
	for _, c := range loadCodecBenchCases(t) {
		got, err := ParamEncode(c.Params)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if w, ok := want[c.Name]; ok && got != w {
			t.Errorf("%s:\n got %s\nwant %s", c.Name, got, w)
		}
		switch c.Name {
		case "batch_ids_100":
			if len(got) != len("ids=List()")+100*len("urn%3Ali%3AsponsoredCampaign%3A1000000")+99 {
				t.Errorf("%s: unexpected length %d", c.Name, len(got))
			}
		case "complex_keys_20":
			const first = "ids=List((campaign:urn%3Ali%3AsponsoredCampaign%3A123,conversion:urn%3Alla%3AllaPartnerConversion%3A456),"
			if len(got) < len(first) || got[:len(first)] != first {
				t.Errorf("%s: starts %q", c.Name, got[:min(len(got), len(first))])
			}
		}
	}
}

func BenchmarkParamEncode(b *testing.B) {
	for _, c := range loadCodecBenchCases(b) {
		b.Run(c.Name, func(b *testing.B) {
			benchCPU(b, func() error { _, err := ParamEncode(c.Params); return err })
		})
	}
}

// BenchmarkAppendParamEncode reuses one buffer: the cost without the result
// allocation.
func BenchmarkAppendParamEncode(b *testing.B) {
	for _, c := range loadCodecBenchCases(b) {
		b.Run(c.Name, func(b *testing.B) {
			b.ReportAllocs()
			buf := make([]byte, 0, 8192)
			for b.Loop() {
				var err error
				if buf, err = appendParamEncode(buf[:0], c.Params); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// codecBenchEncoded returns each case's parameter values encoded with enc,
// in name order.
func codecBenchEncoded(b *testing.B, enc func(any) (string, error)) map[string][]string {
	out := map[string][]string{}
	for _, c := range loadCodecBenchCases(b) {
		var names []string
		for k := range c.Params {
			names = append(names, k)
		}
		slices.Sort(names)
		for _, k := range names {
			s, err := enc(c.Params[k])
			if err != nil {
				b.Fatal(err)
			}
			out[c.Name] = append(out[c.Name], s)
		}
	}
	return out
}

func benchmarkDecode(b *testing.B, enc func(any) (string, error), dec func(string) (any, error)) {
	encoded := codecBenchEncoded(b, enc)
	for _, c := range loadCodecBenchCases(b) {
		values := encoded[c.Name]
		b.Run(c.Name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, s := range values {
					if _, err := dec(s); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkDecode decodes every parameter value of each case, as Encode
// wrote it.
func BenchmarkDecode(b *testing.B) { benchmarkDecode(b, Encode, Decode) }

// BenchmarkReducedDecode decodes every parameter value of each case, as
// ReducedEncode wrote it.
func BenchmarkReducedDecode(b *testing.B) { benchmarkDecode(b, ReducedEncode, ReducedDecode) }

// BenchmarkEncodeStruct measures the reflection path with a typed finder
// criteria struct.
func BenchmarkEncodeStruct(b *testing.B) {
	type values struct {
		Values []string `json:"values"`
	}
	type search struct {
		Status    *values `json:"status,omitempty"`
		Reference *values `json:"reference,omitempty"`
		Test      bool    `json:"test"`
	}
	var v any = search{Status: &values{[]string{"ACTIVE", "DRAFT"}}, Reference: &values{[]string{"urn:li:organization:123"}}, Test: true}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Encode(v); err != nil {
			b.Fatal(err)
		}
	}
}
