package benchmarks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"sync"
	"testing"
)

// benchCase is one input of testdata/cases.json: query parameters as a
// user writes them in Go.
type benchCase struct {
	Name   string
	Params map[string]any
}

// finderSpec is the finder call of testdata/cases.json.
type finderSpec struct {
	Case     string `json:"case"`
	Resource string `json:"resource"`
	Finder   string `json:"finder"`
	Version  string `json:"version"`
	Token    string `json:"token"`
}

type casesFile struct {
	cases  []benchCase
	finder finderSpec
}

var loadCases = sync.OnceValues(func() (casesFile, error) {
	var file struct {
		Finder finderSpec `json:"finder"`
		Cases  []struct {
			Name   string          `json:"name"`
			Params json.RawMessage `json:"params"`
		} `json:"cases"`
	}
	b, err := os.ReadFile("testdata/cases.json")
	if err != nil {
		return casesFile{}, err
	}
	if err := json.Unmarshal(b, &file); err != nil {
		return casesFile{}, err
	}
	cases := make([]benchCase, 0, len(file.Cases))
	for _, c := range file.Cases {
		dec := json.NewDecoder(bytes.NewReader(c.Params))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			return casesFile{}, fmt.Errorf("case %s: %w", c.Name, err)
		}
		params, ok := userValue(v).(map[string]any)
		if !ok {
			return casesFile{}, fmt.Errorf("case %s: params are not an object", c.Name)
		}
		cases = append(cases, benchCase{Name: c.Name, Params: params})
	}
	return casesFile{cases, file.Finder}, nil
})

// mustCases returns the inputs of testdata/cases.json.
func mustCases(tb testing.TB) ([]benchCase, finderSpec) {
	tb.Helper()
	f, err := loadCases()
	if err != nil {
		tb.Fatal(err)
	}
	return f.cases, f.finder
}

// caseByName returns the named case.
func caseByName(tb testing.TB, name string) benchCase {
	tb.Helper()
	cases, _ := mustCases(tb)
	for _, c := range cases {
		if c.Name == name {
			return c
		}
	}
	tb.Fatalf("no case %q in testdata/cases.json", name)
	return benchCase{}
}

// userValue turns a JSON value decoded with UseNumber into what a Go user
// writes: int for whole numbers, float64 for others, map[string]any,
// []any, string and bool.
func userValue(v any) any {
	switch v := v.(type) {
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return int(i)
		}
		f, _ := v.Float64()
		return f
	case map[string]any:
		for k, e := range v {
			v[k] = userValue(e)
		}
		return v
	case []any:
		for i, e := range v {
			v[i] = userValue(e)
		}
		return v
	default:
		return v
	}
}

// allocBudget is the allocation budget for ParamEncode(params): one
// allocation per list or map nested in the parameters, plus one for the
// result.
func allocBudget(params map[string]any) int {
	var count func(v any) int
	count = func(v any) int {
		switch v := v.(type) {
		case map[string]any:
			n := 1
			for _, e := range v {
				n += count(e)
			}
			return n
		case []any:
			n := 1
			for _, e := range v {
				n += count(e)
			}
			return n
		default:
			return 0
		}
	}
	n := 1
	for _, v := range params {
		n += count(v)
	}
	return n
}

// sortedKeys returns m's keys in order, the order ParamEncode writes them.
func sortedKeys(m map[string]any) []string {
	return slices.Sorted(maps.Keys(m))
}
