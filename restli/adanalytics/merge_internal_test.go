// Internal tests of the exact merge and the element parser, with their
// fuzz targets: rows split across metric groups merge back to the
// original; the hand-written parser agrees with encoding/json.

package adanalytics

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// wantRow is a row as a test writes it: key and metric values as JSON.
type wantRow struct {
	pv      []string
	dr      DateRange
	metrics map[string]string
}

func elementJSON(r wantRow, names []string) []byte {
	m := map[string]json.RawMessage{}
	pv, _ := json.Marshal(r.pv)
	dr, _ := json.Marshal(r.dr)
	m["pivotValues"], m["dateRange"] = pv, dr
	for _, n := range names {
		if v, ok := r.metrics[n]; ok {
			m[n] = json.RawMessage(v)
		}
	}
	b, _ := json.Marshal(m)
	return b
}

// mergeGroups sends each row to every group holding one of its metrics
// (LinkedIn leaves out a row with none of a group's metrics), in a
// shuffled order per group, and merges the answers.
func mergeGroups(t testing.TB, rows []wantRow, groups [][]string, rnd *rand.Rand) *merger {
	m := newMerger()
	for _, g := range groups {
		var answer []*row
		for _, r := range rows {
			has := false
			for _, n := range g {
				_, ok := r.metrics[n]
				has = has || ok
			}
			if !has {
				continue
			}
			var e element
			if err := json.Unmarshal(elementJSON(r, g), &e); err != nil {
				t.Fatal(err)
			}
			answer = append(answer, rowOf(&e))
		}
		rnd.Shuffle(len(answer), func(i, j int) { answer[i], answer[j] = answer[j], answer[i] })
		for _, r := range answer {
			m.add(r)
		}
	}
	return m
}

func checkMerged(t testing.TB, rows []wantRow, m *merger) {
	t.Helper()
	want := map[string]wantRow{}
	for _, r := range rows {
		if len(r.metrics) > 0 {
			want[rowKey(r.pv, r.dr)] = r
		}
	}
	if len(m.rows) != len(want) {
		t.Fatalf("%d merged rows, want %d", len(m.rows), len(want))
	}
	for _, got := range m.rows {
		w, ok := want[got.key]
		if !ok || !slices.Equal(got.pivotValues, w.pv) || got.dateRange != w.dr {
			t.Fatalf("merged row %q is not an original row", got.key)
		}
		if len(got.metrics) != len(w.metrics) {
			t.Fatalf("row %q has %d metrics, want %d", got.key, len(got.metrics), len(w.metrics))
		}
		for _, mt := range got.metrics {
			if v, ok := w.metrics[string(mt.name)]; !ok || v != string(mt.raw) {
				t.Fatalf("row %q metric %s = %s, want %q (present %v)", got.key, mt.name, mt.raw, v, ok)
			}
		}
	}
}

func TestMerger_KeepsMetricsOfRowsMissingFromSomeGroups(t *testing.T) {
	d1 := DateRange{Date{2025, 1, 1}, Date{2025, 1, 1}}
	d2 := DateRange{Date{2025, 1, 2}, Date{2025, 1, 2}}
	rows := []wantRow{
		{[]string{"urn:li:sponsoredCampaign:1"}, d1, map[string]string{"impressions": "10", "videoViews": "3"}}, // both groups
		{[]string{"urn:li:sponsoredCampaign:2"}, d1, map[string]string{"impressions": "20"}},                    // group 1 only
		{[]string{"urn:li:sponsoredCampaign:3"}, d1, map[string]string{"videoViews": "0"}},                      // group 2 only, a real zero
		{[]string{"urn:li:sponsoredCampaign:1"}, d2, map[string]string{"costInUsd": `"1.50"`}},                  // same pivot, other day
		{[]string{"a,b", "c"}, d1, map[string]string{"clicks": "1"}},                                            // commas in values
		{[]string{"a", "b,c"}, d1, map[string]string{"clicks": "2"}},                                            // do not collide
	}
	groups := [][]string{{"impressions", "costInUsd", "clicks"}, {"videoViews"}}
	m := mergeGroups(t, rows, groups, rand.New(rand.NewPCG(1, 2)))
	checkMerged(t, rows, m)
	r := rowFrom(m.rows[m.index[rowKey(rows[1].pv, d1)]])
	if r.VideoViews != nil || r.Impressions == nil || *r.Impressions != 20 {
		t.Fatalf("campaign 2: videoViews %v, impressions %v; want absent and 20", r.VideoViews, r.Impressions)
	}
	r = rowFrom(m.rows[m.index[rowKey(rows[2].pv, d1)]])
	if r.Impressions != nil || r.VideoViews == nil || *r.VideoViews != 0 {
		t.Fatal("campaign 3: want impressions absent and videoViews 0")
	}
}

// FuzzMerge splits random rows across random metric groups, sends each
// group's answer shuffled, and checks the merge gives back the rows.
func FuzzMerge(f *testing.F) {
	f.Add(uint64(1), uint8(20), uint8(25), uint8(2))
	f.Add(uint64(7), uint8(1), uint8(3), uint8(3))
	f.Add(uint64(42), uint8(200), uint8(40), uint8(18))
	f.Fuzz(func(t *testing.T, seed uint64, nRows, nMetrics, perGroup uint8) {
		rnd := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
		metrics := make([]string, int(nMetrics)%45+1)
		for i := range metrics {
			metrics[i] = fmt.Sprintf("m%d", i)
		}
		per := int(perGroup)%18 + 1
		var groups [][]string
		for m := metrics; len(m) > 0; m = m[min(per, len(m)):] {
			groups = append(groups, m[:min(per, len(m))])
		}
		var rows []wantRow
		seen := map[string]bool{}
		for range int(nRows) % 80 {
			r := wantRow{
				pv:      []string{fmt.Sprintf("urn:li:sponsoredCampaign:%d", rnd.IntN(5))},
				dr:      DateRange{Date{2025, 1, 1 + rnd.IntN(5)}, Date{2025, 1, 1 + rnd.IntN(5)}},
				metrics: map[string]string{},
			}
			if rnd.IntN(3) == 0 {
				r.pv = append(r.pv, fmt.Sprintf("urn:li:sponsoredCreative:%d", rnd.IntN(3)))
			}
			if k := rowKey(r.pv, r.dr); seen[k] {
				continue
			} else {
				seen[k] = true
			}
			for _, m := range metrics {
				switch rnd.IntN(4) {
				case 0: // absent
				case 1:
					r.metrics[m] = fmt.Sprint(rnd.IntN(1000))
				case 2:
					r.metrics[m] = fmt.Sprintf(`"%d.%02d"`, rnd.IntN(100), rnd.IntN(100))
				default:
					r.metrics[m] = "0"
				}
			}
			rows = append(rows, r)
		}
		checkMerged(t, rows, mergeGroups(t, rows, groups, rnd))
	})
}

// FuzzElement checks the element parser against encoding/json on any
// JSON object: the same key and the same members.
func FuzzElement(f *testing.F) {
	f.Add([]byte(`{"pivotValues":["urn:li:sponsoredCampaign:1"],"dateRange":{"start":{"year":2025,"month":1,"day":2},"end":{"day":3,"month":1,"year":2025}},"impressions":5,"costInUsd":"1.20"}`))
	f.Add([]byte(`{ "pivotValues" : [ "a\"b" , "c" ] , "dateRange" : { "start" : { "year" : 2025 } } , "x\u0041" : [1,{"y":"}"}] , "n" : null }`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"dateRange":{"start":{"year":-1,"month":1e2,"day":3}},"pivotValues":[]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var want map[string]json.RawMessage
		if json.Unmarshal(b, &want) != nil || want == nil {
			return
		}
		var e element
		if err := json.Unmarshal(b, &e); err != nil {
			// encoding/json refuses some keys it accepts in a map (e.g. a
			// pivotValues that is not a list of strings): so may we.
			var pv []string
			var dr DateRange
			if json.Unmarshal(want["pivotValues"], &pv) == nil && json.Unmarshal(want["dateRange"], &dr) == nil {
				t.Fatalf("element %s: %v", b, err)
			}
			return
		}
		var pv []string
		var dr DateRange
		if raw, ok := want["pivotValues"]; ok {
			_ = json.Unmarshal(raw, &pv)
			delete(want, "pivotValues")
		}
		if raw, ok := want["dateRange"]; ok {
			_ = json.Unmarshal(raw, &dr)
			delete(want, "dateRange")
		}
		if !slices.Equal(pv, e.pivotValues) || dr != e.dateRange {
			t.Fatalf("element %s: key %v %v, encoding/json %v %v", b, e.pivotValues, e.dateRange, pv, dr)
		}
		got := map[string]string{}
		for _, m := range e.metrics {
			got[string(m.name)] = string(m.raw) // a repeated name: the last wins, as in encoding/json
		}
		if len(got) != len(want) {
			t.Fatalf("element %s: %d members, encoding/json %d", b, len(got), len(want))
		}
		for k, v := range want {
			var a, b any
			if json.Unmarshal([]byte(got[k]), &a) != nil || json.Unmarshal(v, &b) != nil || fmt.Sprint(a) != fmt.Sprint(b) {
				t.Fatalf("member %q: %q, encoding/json %q", k, got[k], v)
			}
		}
	})
}
