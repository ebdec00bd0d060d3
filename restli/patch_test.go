// Tests of patch generation.

package restli

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"math"
	"reflect"
	"strings"
	"testing"
)

// patchTestJSON decodes a JSON object the way LinkedIn responses are decoded.
func patchTestJSON(t testing.TB, s string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("bad test JSON %s: %v", s, err)
	}
	return m
}

// patchApply applies p to a copy of o with the semantics of protocol §6.1,
// so tests can check the defining property apply(O, diff(O, M)) == M.
func patchApply(o map[string]any, p Patch) (map[string]any, error) {
	out := maps.Clone(o)
	if out == nil {
		out = map[string]any{}
	}
	for k, v := range p {
		switch k {
		case "$set":
			for f, fv := range v.(map[string]any) {
				out[f] = fv
			}
		case "$delete":
			for _, f := range v.([]string) {
				if _, ok := out[f]; !ok {
					return nil, errors.New("$delete of an absent field " + f)
				}
				delete(out, f)
			}
		default:
			if strings.HasPrefix(k, "$") && !strings.HasPrefix(k, "$$") {
				return nil, errors.New("unknown operation " + k)
			}
			f := strings.ReplaceAll(k, "$$", "$")
			sub, ok := out[f].(map[string]any)
			if !ok {
				return nil, errors.New("nested patch of a field that is not an object: " + f)
			}
			applied, err := patchApply(sub, v.(Patch))
			if err != nil {
				return nil, err
			}
			out[f] = applied
		}
	}
	return out, nil
}

// patchCheckApplies checks that p turns original into modified.
func patchCheckApplies(t testing.TB, original, modified any, p Patch) {
	t.Helper()
	o, err := patchObject(original, "original")
	if err != nil {
		t.Fatal(err)
	}
	m, err := patchObject(modified, "modified")
	if err != nil {
		t.Fatal(err)
	}
	got, err := patchApply(o, p)
	if err != nil {
		t.Fatalf("applying the patch: %v", err)
	}
	if !patchEqual(got, m) {
		t.Errorf("applying the patch gives %v, want %v", got, m)
	}
}

func patchMarshal(t testing.TB, p Patch) string {
	t.Helper()
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatalf("json.Marshal(patch): %v", err)
	}
	return string(data)
}

func TestDiffPatch_Rules(t *testing.T) {
	type obj = map[string]any
	tests := []struct {
		name               string
		original, modified any
		want               string
	}{
		// No change.
		{"identical", obj{"a": "x", "n": 1, "o": obj{"b": true}}, obj{"a": "x", "n": 1, "o": obj{"b": true}}, `{}`},
		{"both empty", obj{}, obj{}, `{}`},

		// Additions and removals.
		{"add field", obj{}, obj{"a": "x"}, `{"$set":{"a":"x"}}`},
		{"remove field", obj{"a": "x", "b": "y"}, obj{"a": "x"}, `{"$delete":["b"]}`},
		{"delete is sorted", obj{"c": 1, "a": 1, "B": 1, "$z": 1, "b": 1}, obj{}, `{"$delete":["$z","B","a","b","c"]}`},
		{"change scalar", obj{"a": 1}, obj{"a": 2}, `{"$set":{"a":2}}`},
		{"change bool", obj{"a": true}, obj{"a": false}, `{"$set":{"a":false}}`},
		{"set, delete and keep", obj{"keep": 1, "gone": 2, "chg": 3}, obj{"keep": 1, "chg": 4, "new": 5},
			`{"$delete":["gone"],"$set":{"chg":4,"new":5}}`},

		// nil counts as absent, both ways and at every depth.
		{"nil in original is absent", obj{"a": nil}, obj{"a": 1}, `{"$set":{"a":1}}`},
		{"nil in modified is a delete", obj{"a": 1}, obj{"a": nil}, `{"$delete":["a"]}`},
		{"nil on both sides", obj{"a": nil}, obj{}, `{}`},
		{"nil nested", obj{"o": obj{"a": 1, "b": nil}}, obj{"o": obj{"a": 1}}, `{}`},
		{"nil dropped from set value", obj{}, obj{"o": obj{"a": 1, "b": nil}}, `{"$set":{"o":{"a":1}}}`},
		{"nil list element kept", obj{"l": []any{1}}, obj{"l": []any{1, nil}}, `{"$set":{"l":[1,null]}}`},

		// The empty string is a value.
		{"empty string set", obj{"a": "x"}, obj{"a": ""}, `{"$set":{"a":""}}`},
		{"empty string added", obj{}, obj{"a": ""}, `{"$set":{"a":""}}`},
		{"empty string removed", obj{"a": ""}, obj{}, `{"$delete":["a"]}`},
		{"empty string unchanged", obj{"a": ""}, obj{"a": ""}, `{}`},

		// Nested objects are diffed recursively.
		{"nested set", obj{"addr": obj{"zip": "1", "city": "x"}}, obj{"addr": obj{"zip": "2", "city": "x"}},
			`{"addr":{"$set":{"zip":"2"}}}`},
		{"nested delete", obj{"addr": obj{"zip": "1", "city": "x"}}, obj{"addr": obj{"city": "x"}},
			`{"addr":{"$delete":["zip"]}}`},
		{"deeply nested", obj{"a": obj{"b": obj{"c": obj{"d": 1, "e": 2}}, "x": 1}}, obj{"a": obj{"b": obj{"c": obj{"d": 1}}, "x": 1}},
			`{"a":{"b":{"c":{"$delete":["e"]}}}}`},
		{"nested unchanged is omitted", obj{"a": obj{"b": 1}, "c": 1}, obj{"a": obj{"b": 1}, "c": 2}, `{"$set":{"c":2}}`},
		{"nested to empty", obj{"a": obj{"x": 1}}, obj{"a": obj{}}, `{"a":{"$delete":["x"]}}`},
		{"empty to nested", obj{"a": obj{}}, obj{"a": obj{"x": 1}}, `{"a":{"$set":{"x":1}}}`},
		{"empty nested removed", obj{"a": obj{}}, obj{}, `{"$delete":["a"]}`},
		{"nested object added whole", obj{}, obj{"a": obj{"x": 1}}, `{"$set":{"a":{"x":1}}}`},

		// '$' is doubled in nested-patch keys, not inside $set or $delete.
		{"escape nested key", obj{"$x": obj{"a": 1}}, obj{"$x": obj{"a": 2}}, `{"$$x":{"$set":{"a":2}}}`},
		{"escape every dollar", obj{"a$b$$": obj{"a": 1}}, obj{"a$b$$": obj{"a": 2}}, `{"a$$b$$$$":{"$set":{"a":2}}}`},
		{"field named $set", obj{"$set": obj{"a": 1}}, obj{"$set": obj{"a": 2}}, `{"$$set":{"$set":{"a":2}}}`},
		{"no escaping in $set", obj{}, obj{"$x": 1}, `{"$set":{"$x":1}}`},
		{"no escaping in $delete", obj{"$x": 1}, obj{}, `{"$delete":["$x"]}`},
		{"no escaping in nested $set", obj{"$o": obj{}}, obj{"$o": obj{"$i": 1}}, `{"$$o":{"$set":{"$i":1}}}`},

		// A type change is a $set.
		{"object to scalar", obj{"a": obj{"b": 1}}, obj{"a": "s"}, `{"$set":{"a":"s"}}`},
		{"scalar to object", obj{"a": 1}, obj{"a": obj{"b": 1}}, `{"$set":{"a":{"b":1}}}`},
		{"object to list", obj{"a": obj{}}, obj{"a": []any{}}, `{"$set":{"a":[]}}`},
		{"number to string", obj{"a": 1}, obj{"a": "1"}, `{"$set":{"a":"1"}}`},
		{"string to bool", obj{"a": "true"}, obj{"a": true}, `{"$set":{"a":true}}`},

		// Lists are compared deeply and replaced whole.
		{"list shorter", obj{"l": []any{1, 2, 3}}, obj{"l": []any{1, 2}}, `{"$set":{"l":[1,2]}}`},
		{"list longer", obj{"l": []any{1}}, obj{"l": []any{1, 2}}, `{"$set":{"l":[1,2]}}`},
		{"list reordered", obj{"l": []any{"a", "b"}}, obj{"l": []any{"b", "a"}}, `{"$set":{"l":["b","a"]}}`},
		{"list element changed in nested object", obj{"l": []any{obj{"a": 1}}}, obj{"l": []any{obj{"a": 2}}},
			`{"$set":{"l":[{"a":2}]}}`},
		{"list equal deeply", obj{"l": []any{obj{"a": []any{1, "x"}}, nil}}, obj{"l": []any{obj{"a": []any{1.0, "x"}}, nil}}, `{}`},
		{"typed list equal to []any", obj{"l": []string{"a", "b"}}, obj{"l": []any{"a", "b"}}, `{}`},
		{"empty list to empty list", obj{"l": []any{}}, obj{"l": []int{}}, `{}`},
		{"empty list vs nil list", obj{"l": []any{}}, obj{"l": []any(nil)}, `{"$delete":["l"]}`},

		// Numbers compare by value.
		{"int vs float", obj{"n": 1}, obj{"n": 1.0}, `{}`},
		{"int vs json.Number decimal", obj{"n": 1}, obj{"n": json.Number("1.0")}, `{}`},
		{"json.Number exponent forms", obj{"n": json.Number("1e0")}, obj{"n": json.Number("10E-1")}, `{}`},
		{"json.Number 0.1e1", obj{"n": json.Number("0.1e1")}, obj{"n": uint8(1)}, `{}`},
		{"float64 0.1 vs json.Number", obj{"n": 0.1}, obj{"n": json.Number("0.10")}, `{}`},
		{"negative zero", obj{"n": json.Number("-0")}, obj{"n": json.Number("0.0e5")}, `{}`},
		{"int64 max", obj{"n": int64(math.MaxInt64)}, obj{"n": json.Number("9223372036854775807")}, `{}`},
		{"uint64 max", obj{"n": uint64(math.MaxUint64)}, obj{"n": json.Number("18446744073709551615")}, `{}`},
		{"beyond 2^53 differs", obj{"n": json.Number("9007199254740993")}, obj{"n": json.Number("9007199254740992")},
			`{"$set":{"n":9007199254740992}}`},
		{"float32", obj{"n": float32(1.5)}, obj{"n": json.Number("15e-1")}, `{}`},
		{"number changed", obj{"n": 1}, obj{"n": 1.5}, `{"$set":{"n":1.5}}`},
		{"negative vs positive", obj{"n": -1}, obj{"n": 1}, `{"$set":{"n":1}}`},
		{"large float formats like encoding/json", obj{}, obj{"n": 1e21, "m": 1e20, "s": 1e-7},
			`{"$set":{"m":100000000000000000000,"n":1e+21,"s":1e-7}}`},

		// Mixed input kinds.
		{"typed map", map[string]string{"a": "x"}, map[string]int{"a": 1}, `{"$set":{"a":1}}`},
		{"urn values", obj{"owner": MustParseURN("urn:li:person:1")}, obj{"owner": "urn:li:person:2"},
			`{"$set":{"owner":"urn:li:person:2"}}`},
		{"urn equal to its text", obj{"owner": MustParseURN("urn:li:person:1")}, obj{"owner": "urn:li:person:1"}, `{}`},
		{"json.RawMessage", json.RawMessage(`{"a":1,"b":{"c":2}}`), json.RawMessage(`{"a":1.0,"b":{"c":3}}`),
			`{"b":{"$set":{"c":3}}}`},

		// The protocol document's example (§6.1).
		{"protocol example",
			obj{"name": "Old", "note": "n", "address": obj{"zip": "10001", "city": "NYC"}},
			obj{"name": "New", "address": obj{"zip": "94086", "city": "NYC"}},
			`{"$delete":["note"],"$set":{"name":"New"},"address":{"$set":{"zip":"94086"}}}`},
		// The shape of the official test suite's complexkey-partial-update and
		// collection-partial-update requests.
		{"complexkey test suite",
			obj{"key": obj{"part1": "one", "part2": 2, "part3": "APPLE"}, "message": "m"},
			obj{"key": obj{"part1": "newpart1", "part2": 2, "part3": "APPLE"}, "message": "m"},
			`{"key":{"$set":{"part1":"newpart1"}}}`},
		{"collection test suite", obj{"id": 1, "message": "original"}, obj{"id": 1, "message": "partial updated message"},
			`{"$set":{"message":"partial updated message"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := DiffPatch(tt.original, tt.modified)
			if err != nil {
				t.Fatalf("DiffPatch: %v", err)
			}
			if p == nil {
				t.Fatal("DiffPatch returned a nil Patch")
			}
			if got := patchMarshal(t, p); got != tt.want {
				t.Errorf("DiffPatch =\n  %s\nwant\n  %s", got, tt.want)
			}
			if p.IsEmpty() != (tt.want == `{}`) {
				t.Errorf("IsEmpty = %v", p.IsEmpty())
			}
			patchCheckApplies(t, tt.original, tt.modified, p)
		})
	}
}

func TestDiffPatch_ProtocolExampleFromJSON(t *testing.T) {
	o := patchTestJSON(t, `{"name":"Old","note":"n","address":{"zip":"10001","city":"NYC"}}`)
	m := patchTestJSON(t, `{"name":"New","address":{"zip":"94086","city":"NYC"}}`)
	p, err := DiffPatch(o, m)
	if err != nil {
		t.Fatal(err)
	}
	body, err := json.Marshal(map[string]any{"patch": p})
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"patch":{"$set":{"name":"New"},"$delete":["note"],"address":{"$set":{"zip":"94086"}}}}`
	if !patchJSONEqual(t, string(body), want) {
		t.Errorf("body = %s, want %s", body, want)
	}
	// The output types are documented.
	if _, ok := p["$set"].(map[string]any); !ok {
		t.Errorf("$set is %T, want map[string]any", p["$set"])
	}
	if _, ok := p["$delete"].([]string); !ok {
		t.Errorf("$delete is %T, want []string", p["$delete"])
	}
	if _, ok := p["address"].(Patch); !ok {
		t.Errorf("nested patch is %T, want Patch", p["address"])
	}
}

func TestDiffPatch_ComplexKeyTestSuite(t *testing.T) {
	type key struct {
		Part1 string `json:"part1"`
		Part2 int    `json:"part2"`
		Part3 string `json:"part3"`
	}
	type record struct {
		Key     key    `json:"key"`
		Message string `json:"message,omitempty"`
	}
	o := record{Key: key{"one", 2, "APPLE"}, Message: "m"}
	m := o
	m.Key.Part1 = "newpart1"
	p, err := DiffPatch(o, &m)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{"patch": p})
	if want := `{"patch":{"key":{"$set":{"part1":"newpart1"}}}}`; string(body) != want {
		t.Errorf("body = %s, want %s", body, want)
	}
}

func patchJSONEqual(t testing.TB, a, b string) bool {
	t.Helper()
	return reflect.DeepEqual(patchTestJSON(t, a), patchTestJSON(t, b))
}

func TestDiffPatch_Structs(t *testing.T) {
	type address struct {
		Zip  string `json:"zip,omitempty"`
		City string `json:"city"`
	}
	type campaign struct {
		Name    string            `json:"name"`
		Status  string            `json:"status,omitempty"`
		Budget  *float64          `json:"budget,omitempty"`
		Note    *string           `json:"note"` // nil marshals as null: absent
		Address *address          `json:"address,omitempty"`
		Tags    []string          `json:"tags,omitempty"`
		Owner   URN               `json:"owner,omitzero"`
		Extra   map[string]string `json:"extra,omitempty"`
		Ignored string            `json:"-"`
		private string
	}
	budget := 10.0
	note := ""
	o := campaign{
		Name: "A", Status: "ACTIVE", Budget: &budget, Address: &address{Zip: "1", City: "X"},
		Tags: []string{"a"}, Owner: MustParseURN("urn:li:organization:1"), Ignored: "i", private: "p",
	}
	m := o
	m.Status = ""                   // omitempty: deleted
	m.Note = &note                  // empty string is a value
	m.Address = &address{City: "X"} // nested: zip deleted
	m.Tags = []string{"a", "b"}     // list replaced
	m.Owner = MustParseURN("urn:li:organization:2")
	m.Extra = map[string]string{"k": "v"}       // added
	m.Ignored, m.private = "changed", "changed" // not part of the JSON

	p, err := DiffPatch(&o, m)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"$delete":["status"],"$set":{"extra":{"k":"v"},"note":"","owner":"urn:li:organization:2","tags":["a","b"]},"address":{"$delete":["zip"]}}`
	if got := patchMarshal(t, p); got != want {
		t.Errorf("DiffPatch =\n  %s\nwant\n  %s", got, want)
	}
	patchCheckApplies(t, &o, m, p)

	// A struct against the map a response decodes to.
	resp := patchTestJSON(t, `{"name":"A","status":"ACTIVE","budget":10,"address":{"zip":"1","city":"X"},"tags":["a"],"owner":"urn:li:organization:1"}`)
	p, err = DiffPatch(resp, o)
	if err != nil || !p.IsEmpty() {
		t.Errorf("DiffPatch(response map, same struct) = %v, %v; want {}", p, err)
	}
}

func TestDiffPatch_DoesNotModifyOrAliasInputs(t *testing.T) {
	o := map[string]any{"a": map[string]any{"x": 1, "n": nil}, "l": []any{1, nil}, "d": 1}
	m := map[string]any{"a": map[string]any{"x": 2}, "l": []any{2}, "new": map[string]any{"k": []any{"v"}}}
	oCopy := patchTestClone(o)
	mCopy := patchTestClone(m)
	p, err := DiffPatch(o, m)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(o, oCopy) || !reflect.DeepEqual(m, mCopy) {
		t.Fatalf("inputs were modified:\n%v\n%v", o, m)
	}
	// Changing the patch must not reach the caller's values.
	p["$set"].(map[string]any)["new"].(map[string]any)["k"].([]any)[0] = "changed"
	if m["new"].(map[string]any)["k"].([]any)[0] != "v" {
		t.Error("the patch aliases the modified value")
	}
}

func patchTestClone(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = patchTestClone(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = patchTestClone(e)
		}
		return out
	}
	return v
}

func TestDiffPatch_Deterministic(t *testing.T) {
	o, m := map[string]any{}, map[string]any{}
	for i := range 50 {
		k := string(rune('a'+i%26)) + strings.Repeat("$", i%3) + string(rune('A'+i/26))
		o[k] = i
		switch i % 3 {
		case 0:
			m[k] = i + 1
		case 1:
			o[k] = map[string]any{"x": i}
			m[k] = map[string]any{"x": -i}
		}
		m["new"+k] = i
	}
	first := ""
	for range 20 {
		p, err := DiffPatch(o, m)
		if err != nil {
			t.Fatal(err)
		}
		got := patchMarshal(t, p)
		if first == "" {
			first = got
		} else if got != first {
			t.Fatalf("output differs between runs:\n%s\n%s", first, got)
		}
		del := p["$delete"].([]string)
		for i := 1; i < len(del); i++ {
			if del[i-1] >= del[i] {
				t.Fatalf("$delete not sorted: %q", del)
			}
		}
	}
}

func TestDiffPatch_InvalidInputs(t *testing.T) {
	type s struct{ A int }
	cyclic := map[string]any{}
	cyclic["self"] = cyclic
	valid := map[string]any{"a": 1}
	tests := []struct {
		name               string
		original, modified any
		arg, reason        string
	}{
		{"nil original", nil, valid, "original", "is nil"},
		{"nil modified", valid, nil, "modified", "is nil"},
		{"typed nil pointer", (*s)(nil), valid, "original", "is null, not an object"},
		{"string", "x", valid, "original", "is a string, not an object"},
		{"number", valid, 5, "modified", "is a number, not an object"},
		{"bool", true, valid, "original", "is a boolean, not an object"},
		{"list", []any{valid}, valid, "original", "is an array, not an object"},
		{"typed slice", valid, []s{{1}}, "modified", "is an array, not an object"},
		{"urn", MustParseURN("urn:li:person:1"), valid, "original", "is a string, not an object"},
		{"NaN", map[string]any{"a": math.NaN()}, valid, "original", "NaN or infinite"},
		{"Inf in list", valid, map[string]any{"a": []any{math.Inf(1)}}, "modified", "NaN or infinite"},
		{"bad json.Number", map[string]any{"a": json.Number("1x")}, valid, "original", "not a valid JSON number"},
		{"huge exponent", map[string]any{"a": json.Number("1e9999999999999999")}, valid, "original", "exponent is out of range"},
		{"cycle", cyclic, valid, "original", "nested more than"},
		{"unsupported type", map[string]any{"c": make(chan int)}, valid, "original", "cannot encode as JSON"},
		{"invalid urn", map[string]any{"u": NewURN("li", "", "1")}, valid, "original", "cannot encode as JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := DiffPatch(tt.original, tt.modified)
			if err == nil {
				t.Fatalf("DiffPatch succeeded: %v", p)
			}
			var pe *PatchError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T (%v) is not a *PatchError", err, err)
			}
			if pe.Arg != tt.arg || !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("error = %q (Arg %q), want Arg %q and %q", err, pe.Arg, tt.arg, tt.reason)
			}
			if pe.ErrorType() != "restli.PatchError" {
				t.Errorf("ErrorType = %q", pe.ErrorType())
			}
		})
	}
	// The underlying encoding/json error is reachable.
	_, err := DiffPatch(map[string]any{"c": make(chan int)}, valid)
	var ute *json.UnsupportedTypeError
	if !errors.As(err, &ute) {
		t.Errorf("errors.As(*json.UnsupportedTypeError) failed for %v", err)
	}
	_, err = DiffPatch(map[string]any{"u": NewURN("li", "", "1")}, valid)
	var ue *URNError
	if !errors.As(err, &ue) {
		t.Errorf("errors.As(*URNError) failed for %v", err)
	}
}

func TestSetPatch(t *testing.T) {
	type fields struct {
		Status string  `json:"status"`
		Name   string  `json:"name,omitempty"`
		Note   *string `json:"note"`
		Owner  URN     `json:"owner,omitzero"`
	}
	tests := []struct {
		name   string
		fields any
		want   string
	}{
		{"map", map[string]any{"status": "ACTIVE", "n": 1}, `{"$set":{"n":1,"status":"ACTIVE"}}`},
		{"nested values are whole", map[string]any{"o": map[string]any{"a": []int{1}}}, `{"$set":{"o":{"a":[1]}}}`},
		{"struct", fields{Status: "PAUSED"}, `{"$set":{"status":"PAUSED"}}`},
		{"pointer to struct", &fields{Status: "", Owner: MustParseURN("urn:li:person:1")}, `{"$set":{"owner":"urn:li:person:1","status":""}}`},
		{"nil values dropped", map[string]any{"a": nil, "b": 1}, `{"$set":{"b":1}}`},
		{"dollar names not escaped", map[string]any{"$x": 1}, `{"$set":{"$x":1}}`},
		{"empty object", map[string]any{}, `{}`},
		{"only nils", map[string]any{"a": nil}, `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := SetPatch(tt.fields)
			if err != nil {
				t.Fatalf("SetPatch: %v", err)
			}
			if got := patchMarshal(t, p); got != tt.want {
				t.Errorf("SetPatch = %s, want %s", got, tt.want)
			}
			if p.IsEmpty() != (tt.want == `{}`) {
				t.Errorf("IsEmpty = %v", p.IsEmpty())
			}
		})
	}

	for _, bad := range []any{nil, "x", []any{}, 1, (*fields)(nil), map[string]any{"f": math.NaN()}} {
		_, err := SetPatch(bad)
		var pe *PatchError
		if !errors.As(err, &pe) || pe.Arg != "fields" {
			t.Errorf("SetPatch(%#v): err = %v, want a *PatchError for fields", bad, err)
		}
	}
}

func TestPatch_MarshalJSON(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"nil patch", Patch(nil), `{}`},
		{"nil patch in a body", map[string]any{"patch": Patch(nil)}, `{"patch":{}}`},
		{"empty patch in a body", map[string]any{"patch": Patch{}}, `{"patch":{}}`},
		{"hand-built nested patch", Patch{"$set": map[string]any{"b": 1}, "a": Patch{"$delete": []string{"x"}}},
			`{"$set":{"b":1},"a":{"$delete":["x"]}}`},
		{"keys sorted", Patch{"z": Patch{}, "$set": map[string]any{"y": 1, "x": 2}, "$delete": []string{"w"}},
			`{"$delete":["w"],"$set":{"x":2,"y":1},"z":{}}`},
	}
	for _, tt := range tests {
		data, err := json.Marshal(tt.v)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if string(data) != tt.want {
			t.Errorf("%s: json.Marshal = %s, want %s", tt.name, data, tt.want)
		}
	}
	var nilPatch Patch
	if !nilPatch.IsEmpty() {
		t.Error("nil Patch is not empty")
	}
}

func TestPatchCanonNumber(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"0", "0", true}, {"-0", "0", true}, {"0.000", "0", true}, {"0e99", "0", true},
		{"1", "1e0", true}, {"1.0", "1e0", true}, {"10", "1e1", true}, {"100e-2", "1e0", true},
		{"0.1e1", "1e0", true}, {"1E+2", "1e2", true}, {"-1.50", "-15e-1", true},
		{"123456789012345678901234567890", "12345678901234567890123456789e1", true},
		{"1e000000000000000000001", "1e1", true},
		{"", "", false}, {"-", "", false}, {"01", "", false}, {"1.", "", false}, {".5", "", false},
		{"1e", "", false}, {"1e+", "", false}, {"+1", "", false}, {"1x", "", false}, {"NaN", "", false},
		{"1e1234567890123456", "", false},
	}
	for _, tt := range tests {
		got, ok := patchCanonNumber(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("patchCanonNumber(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func BenchmarkDiffPatch(b *testing.B) {
	o := patchTestJSON(b, `{"name":"Old","note":"n","status":"ACTIVE","budget":{"amount":"10.00","currencyCode":"USD"},"tags":["a","b"],"id":123456789012}`)
	m := patchTestJSON(b, `{"name":"New","status":"ACTIVE","budget":{"amount":"12.00","currencyCode":"USD"},"tags":["a","b"],"id":123456789012}`)
	b.ReportAllocs()
	var buf bytes.Buffer
	for b.Loop() {
		p, err := DiffPatch(o, m)
		if err != nil {
			b.Fatal(err)
		}
		buf.Reset()
		_ = json.NewEncoder(&buf).Encode(p)
	}
}
