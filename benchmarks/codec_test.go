package benchmarks

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
)

// BenchmarkParamEncode encodes the query parameters of each case of
// testdata/cases.json, built the way a user writes them.
func BenchmarkParamEncode(b *testing.B) {
	cases, _ := mustCases(b)
	for _, c := range cases {
		b.Run(c.Name, func(b *testing.B) {
			budget := allocBudget(c.Params)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := restli.ParamEncode(c.Params); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(budget), "budget-allocs/op")
		})
	}
}

// encodedValues splits ParamEncode's output for params into the encoded
// value of each parameter.
func encodedValues(tb testing.TB, params map[string]any) []string {
	tb.Helper()
	q, err := restli.ParamEncode(params)
	if err != nil {
		tb.Fatal(err)
	}
	var vals []string
	for pair := range strings.SplitSeq(q, "&") {
		_, v, ok := strings.Cut(pair, "=")
		if !ok {
			tb.Fatalf("ParamEncode: pair %q has no '='", pair)
		}
		vals = append(vals, v)
	}
	return vals
}

// reducedValues returns the reduced (header and body) encoding of each
// parameter's value.
func reducedValues(tb testing.TB, params map[string]any) []string {
	tb.Helper()
	vals := make([]string, 0, len(params))
	for _, k := range sortedKeys(params) {
		s, err := restli.ReducedEncode(params[k])
		if err != nil {
			tb.Fatal(err)
		}
		vals = append(vals, s)
	}
	return vals
}

// BenchmarkDecode decodes each parameter value of ParamEncode's output for
// each case; one op decodes all the values of a case.
func BenchmarkDecode(b *testing.B) {
	cases, _ := mustCases(b)
	for _, c := range cases {
		b.Run(c.Name, func(b *testing.B) {
			benchDecode(b, restli.Decode, encodedValues(b, c.Params))
		})
	}
}

// BenchmarkReducedDecode decodes the reduced encoding of each parameter
// value of each case; one op decodes all the values of a case.
func BenchmarkReducedDecode(b *testing.B) {
	cases, _ := mustCases(b)
	for _, c := range cases {
		b.Run(c.Name, func(b *testing.B) {
			benchDecode(b, restli.ReducedDecode, reducedValues(b, c.Params))
		})
	}
}

func benchDecode(b *testing.B, decode func(string) (any, error), vals []string) {
	n := 0
	for _, v := range vals {
		n += len(v)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for _, v := range vals {
			if _, err := decode(v); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestParamEncode_AllocBudget holds ParamEncode to the budget: at
// most one allocation per nested list or map, plus one for the result.
func TestParamEncode_AllocBudget(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	cases, _ := mustCases(t)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			budget := allocBudget(c.Params)
			got := testing.AllocsPerRun(20, func() {
				if _, err := restli.ParamEncode(c.Params); err != nil {
					t.Fatal(err)
				}
			})
			if int(got) > budget {
				t.Errorf("ParamEncode: %v allocs/op, budget %d", got, budget)
			}
		})
	}
}

// TestDecode_RoundTrip checks that what the decode benchmarks decode is
// what the encode benchmarks encoded: the same values, leaves as strings.
func TestDecode_RoundTrip(t *testing.T) {
	cases, _ := mustCases(t)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			keys := sortedKeys(c.Params)
			for name, tc := range map[string]struct {
				decode func(string) (any, error)
				vals   []string
			}{
				"Decode":        {restli.Decode, encodedValues(t, c.Params)},
				"ReducedDecode": {restli.ReducedDecode, reducedValues(t, c.Params)},
			} {
				if len(tc.vals) != len(keys) {
					t.Fatalf("%s: %d values for %d params", name, len(tc.vals), len(keys))
				}
				for i, k := range keys {
					got, err := tc.decode(tc.vals[i])
					if err != nil {
						t.Fatalf("%s(%q): %v", name, tc.vals[i], err)
					}
					if want := stringLeaves(c.Params[k]); !reflect.DeepEqual(got, want) {
						t.Errorf("%s(%q) = %#v, want %#v", name, tc.vals[i], got, want)
					}
				}
			}
		})
	}
}

// stringLeaves is v with every leaf written as the string Rest.li sends.
func stringLeaves(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[k] = stringLeaves(e)
		}
		return m
	case []any:
		l := make([]any, len(v))
		for i, e := range v {
			l[i] = stringLeaves(e)
		}
		return l
	default:
		return fmt.Sprint(v)
	}
}
