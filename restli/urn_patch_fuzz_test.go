// Fuzz targets of URN parsing and patch generation.

package restli

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// FuzzParseURN checks that ParseURN never panics, fails only with a
// *URNError, and that whatever it accepts survives every round trip: String,
// ParseURN again, MarshalText, JSON, and TupleParts.
// Seeds live in testdata/fuzz/FuzzParseURN.
func FuzzParseURN(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseURN(s)
		if err != nil {
			var ue *URNError
			if !errors.As(err, &ue) {
				t.Fatalf("error %T is not a *URNError", err)
			}
			if ue.Offset < 0 || ue.Offset > max(len(s), URNMaxLength) {
				t.Fatalf("Offset %d outside the input (len %d)", ue.Offset, len(s))
			}
			if !u.IsZero() {
				t.Fatalf("non-zero URN %#v returned with an error", u)
			}
			return
		}
		if u.IsZero() || u.Namespace == "" || u.EntityType == "" || u.ID == "" {
			t.Fatalf("accepted URN has an empty part: %#v", u)
		}
		if got := u.String(); got != s {
			t.Fatalf("String() = %q, want the input %q", got, s)
		}
		again, err := ParseURN(u.String())
		if err != nil || again != u {
			t.Fatalf("ParseURN(String()) = %#v, %v; want %#v", again, err, u)
		}
		text, err := u.MarshalText()
		if err != nil || string(text) != s {
			t.Fatalf("MarshalText = %q, %v", text, err)
		}
		data, err := json.Marshal(u)
		if err != nil {
			t.Fatalf("json.Marshal: %v", err)
		}
		var fromJSON URN
		if err := json.Unmarshal(data, &fromJSON); err != nil || fromJSON != u {
			t.Fatalf("JSON round trip = %#v, %v; want %#v", fromJSON, err, u)
		}
		if !u.IsTuple() {
			return
		}
		parts, err := u.TupleParts()
		if err != nil {
			t.Fatalf("TupleParts of an accepted tuple URN: %v", err)
		}
		if joined := "(" + strings.Join(parts, ",") + ")"; joined != u.ID {
			t.Fatalf("TupleParts %q do not rebuild the id %q", parts, u.ID)
		}
		for _, p := range parts {
			if p == "" {
				t.Fatalf("empty tuple part in %q", parts)
			}
			// A URN valid inside a tuple is valid on its own.
			if strings.HasPrefix(p, "urn:") {
				if _, err := ParseURN(p); err != nil {
					t.Fatalf("nested URN %q does not parse on its own: %v", p, err)
				}
			}
		}
	})
}

// FuzzDiffPatch checks the defining property of a patch: applying
// DiffPatch(O, M) to O gives M, for any two JSON objects. It also checks that
// an object diffed against itself gives an empty patch.
func FuzzDiffPatch(f *testing.F) {
	f.Add(`{"name":"Old","note":"n","address":{"zip":"10001","city":"NYC"}}`,
		`{"name":"New","address":{"zip":"94086","city":"NYC"}}`)
	f.Add(`{"key":{"part1":"one","part2":2}}`, `{"key":{"part1":"newpart1","part2":2.0}}`)
	f.Add(`{"$x":{"a$":1},"l":[1,{"b":null}],"n":null}`, `{"$x":{"a$":2},"l":[1,{}],"e":""}`)
	f.Add(`{"a":{"b":{}}}`, `{"a":[]}`)
	f.Add(`{"n":1e400,"m":-0}`, `{"n":10e399,"m":0.0}`)
	f.Fuzz(func(t *testing.T, a, b string) {
		o, okA := patchFuzzObject(a)
		m, okB := patchFuzzObject(b)
		if !okA || !okB {
			return
		}
		p, err := DiffPatch(o, m)
		if err != nil {
			// Only absurd exponents and nesting are refused.
			var pe *PatchError
			if !errors.As(err, &pe) || !strings.Contains(pe.Reason, "exponent") && !strings.Contains(pe.Reason, "nested more than") {
				t.Fatalf("DiffPatch: %v", err)
			}
			return
		}
		if p == nil {
			t.Fatal("nil Patch")
		}
		patchCheckApplies(t, o, m, p)
		if _, err := json.Marshal(p); err != nil {
			t.Fatalf("json.Marshal(patch): %v", err)
		}
		same, err := DiffPatch(o, o)
		if err != nil || !same.IsEmpty() {
			t.Fatalf("DiffPatch(o, o) = %v, %v; want {}", same, err)
		}
	})
}

func patchFuzzObject(s string) (map[string]any, bool) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil || dec.More() {
		return nil, false
	}
	return m, true
}
