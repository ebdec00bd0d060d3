// Command report turns the raw output of one peers/run.sh run into the
// results table: it reads the Go benchmark output (go test -bench, any
// number of runs per benchmark: the median counts), the JavaScript
// client's JSON (js/bench.js) and the reference figures (reference.json),
// checks the targets, prints a Markdown table and writes the same
// data as JSON for the chart (peers/chart).
//
// It also checks that both clients did the same encoding work: the Go
// encoder's output for each case must equal the JavaScript encoder's, up to
// the order of the parameters (Go sorts them, JavaScript keeps insertion
// order).
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/linkedin-go/linkedin/restli"
)

// Results is what the runner measured, as written to results.json.
type Results struct {
	Date     string   `json:"date"`
	Machine  Machine  `json:"machine"`
	Settings Settings `json:"settings"`
	Encode   []Encode `json:"encode"`
	Finder   []Finder `json:"finder"`
	Parallel []Par    `json:"parallel,omitempty"`
	// Interleaved is the sequential finder run with the Go clients taking
	// turns call by call (BenchmarkFinderInterleaved).
	Interleaved []Inter `json:"interleaved,omitempty"`
	// ParallelInterleaved is the 64-goroutine finder run with the Go
	// clients taking turns (BenchmarkFinderParallelInterleaved); its
	// ratios are to restli.Client over bare net/http.
	ParallelInterleaved []Inter `json:"parallel_interleaved,omitempty"`
	// InterleavedParts splits the sequential gap between bare and the
	// full stack into its parts (BenchmarkFinderInterleavedParts).
	InterleavedParts []Inter  `json:"interleaved_parts,omitempty"`
	PeakHeap         *Peak    `json:"peak_heap,omitempty"`
	Targets          []Target `json:"targets"`
	// Other holds the other Go benchmarks of the run, name → metric → value.
	Other map[string]map[string]float64 `json:"other,omitempty"`
}

// Machine describes where the run happened.
type Machine struct {
	NProc     int    `json:"nproc"`
	CPU       string `json:"cpu"`
	Go        string `json:"go"`
	Node      string `json:"node"`
	JSClient  string `json:"js_client"`
	Axios     string `json:"axios"`
	OS        string `json:"os"`
	Pinning   string `json:"pinning"`
	LoadStart string `json:"load_average_at_start"`
}

// Settings are the loop bounds the run used.
type Settings struct {
	Timing json.RawMessage `json:"timing"`
	Finder json.RawMessage `json:"finder"`
}

// Encode is one encoding case.
type Encode struct {
	Case        string  `json:"case"`
	GoNs        float64 `json:"go_ns_per_op"`
	GoAllocs    float64 `json:"go_allocs_per_op"`
	Budget      float64 `json:"alloc_budget"`
	JSNs        float64 `json:"js_ns_per_op"`
	Speedup     float64 `json:"js_over_go"` // the median round's
	Rounds      int     `json:"rounds,omitempty"`
	MinSpeedup  float64 `json:"min_js_over_go,omitempty"` // over the rounds
	MaxSpeedup  float64 `json:"max_js_over_go,omitempty"`
	PythonRefNs float64 `json:"python_reference_ns_per_op"`
	SameOutput  bool    `json:"same_output"`
}

// Finder is one client's sequential finder run.
type Finder struct {
	Key       string  `json:"key"` // bare, bare-json, restli, stack-noop, stack-sdk, js, python-ref
	Client    string  `json:"client"`
	Measured  bool    `json:"measured"` // false: a reference figure
	ReqPerS   float64 `json:"req_per_s"`
	MeanUs    float64 `json:"mean_us"`
	P99Us     float64 `json:"p99_us"`
	AllocsOp  float64 `json:"allocs_per_op,omitempty"`
	BytesOp   float64 `json:"bytes_per_op,omitempty"`
	VsBare    float64 `json:"vs_bare,omitempty"`
	VsJS      float64 `json:"vs_js,omitempty"`
	Requests  int     `json:"requests,omitempty"`
	Rounds    int     `json:"rounds,omitempty"`
	MinReqS   float64 `json:"min_req_per_s,omitempty"` // over the rounds
	MaxReqS   float64 `json:"max_req_per_s,omitempty"`
	Reference string  `json:"reference,omitempty"`
}

// Inter is one Go client's share of the interleaved sequential run.
type Inter struct {
	Client  string  `json:"client"`
	ReqPerS float64 `json:"req_per_s"` // calls per second of its own calls' time
	VsBare  float64 `json:"vs_bare"`   // vs restli in ParallelInterleaved
	Rounds  int     `json:"rounds"`
	MinVs   float64 `json:"min_vs_bare"` // over the rounds
	MaxVs   float64 `json:"max_vs_bare"`
}

// Par is one client at one level of concurrency.
type Par struct {
	Client     string  `json:"client"`
	Goroutines int     `json:"goroutines"`
	ReqPerS    float64 `json:"req_per_s"`
	VsBare     float64 `json:"vs_bare"`
}

// Peak is the large-collection decode's peak heap.
type Peak struct {
	BodyBytes     float64 `json:"body_bytes"`
	PeakRatio     float64 `json:"peak_over_body"`
	AllocRatio    float64 `json:"allocated_over_body"`
	DecodeNsOp    float64 `json:"decode_ns_per_op,omitempty"`
	DecodeMBPerS  float64 `json:"decode_mb_per_s,omitempty"`
	TestPassed    bool    `json:"test_passed"`
	RawTestOutput string  `json:"-"`
}

// Target is one of the targets with the measured value.
type Target struct {
	Name     string `json:"name"`
	Want     string `json:"want"`
	Got      string `json:"got"`
	Met      bool   `json:"met"`
	Measured bool   `json:"measured"`
}

type jsResults struct {
	Version string              `json:"version"`
	Axios   string              `json:"axios"`
	Node    string              `json:"node"`
	Encode  map[string]jsEncode `json:"encode"`
	// EncodeRounds are the encodings of each round, in order; Go's
	// ParamEncode batches of round i are the i-th run of settings' batches.
	EncodeRounds []map[string]jsEncode `json:"encode_rounds"`
	Finder       *jsFinder             `json:"finder"`
	FinderRounds []jsFinder            `json:"finder_rounds"`
}

type jsEncode struct {
	NsPerOp float64 `json:"ns_per_op"`
	Output  string  `json:"output"`
}

type jsFinder struct {
	Requests int     `json:"requests"`
	ReqPerS  float64 `json:"req_per_s"`
	MeanUs   float64 `json:"mean_us"`
	P99Us    float64 `json:"p99_us"`
}

type reference struct {
	EncodeNs map[string]map[string]any `json:"encode_ns_per_op"`
	Finder   []struct {
		Label   string  `json:"label"`
		ReqPerS float64 `json:"req_per_s"`
		MeanUs  float64 `json:"mean_us"`
		P99Us   float64 `json:"p99_us"`
	} `json:"finder"`
}

func main() {
	goOut := flag.String("go", "", "Go benchmark output (go test -bench … -benchmem -v)")
	jsOut := flag.String("js", "", "JSON written by js/bench.js")
	refFile := flag.String("ref", "benchmarks/peers/reference.json", "reference figures")
	casesFile := flag.String("cases", "benchmarks/testdata/cases.json", "the inputs")
	settingsFile := flag.String("settings", "benchmarks/peers/settings.json", "the loop bounds used")
	jsonOut := flag.String("json", "", "write the results as JSON here")
	mdOut := flag.String("md", "", "write the Markdown table here too")
	pinning := flag.String("pinning", "none", "how the processes were pinned")
	load := flag.String("load", "", "load average when the run started")
	note := flag.String("note", "", "a line to print above the tables")
	date := flag.String("date", time.Now().UTC().Format("2006-01-02 15:04 UTC"), "when the run happened")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("report: ")

	goRaw := must(os.ReadFile(*goOut))
	benches, cpu := parseGoBench(goRaw)
	var js jsResults
	mustJSON(*jsOut, &js)
	var ref reference
	mustJSON(*refFile, &ref)
	var settings struct {
		Timing json.RawMessage `json:"timing"`
		Finder json.RawMessage `json:"finder"`
	}
	mustJSON(*settingsFile, &settings)
	cases := loadCases(*casesFile)

	r := Results{
		Date: *date,
		Machine: Machine{
			NProc: runtime.NumCPU(), CPU: cpuModel(cpu), Go: runtime.Version(), Node: js.Node,
			JSClient: "linkedin-api-client " + js.Version, Axios: js.Axios,
			OS: runtime.GOOS + "/" + runtime.GOARCH, Pinning: *pinning, LoadStart: *load,
		},
		Settings: Settings{Timing: settings.Timing, Finder: settings.Finder},
	}

	// Encoding.
	pyRef := ref.EncodeNs["python"]
	for _, c := range cases {
		m := benches.median("BenchmarkParamEncode/" + c.name)
		if m == nil {
			log.Fatalf("no Go result for ParamEncode/%s", c.name)
		}
		e := Encode{Case: c.name, GoNs: m["ns/op"], GoAllocs: m["allocs/op"], Budget: m["budget-allocs/op"]}
		if j, ok := js.Encode[c.name]; ok {
			e.JSNs = j.NsPerOp
			e.Speedup = j.NsPerOp / e.GoNs
			if ratios := roundRatios(js.EncodeRounds, benches.runs["BenchmarkParamEncode/"+c.name], c.name); len(ratios) > 0 {
				// The median round's ratio, each taken of two figures
				// measured one right after the other.
				e.Rounds, e.MinSpeedup, e.MaxSpeedup = len(ratios), ratios[0], ratios[len(ratios)-1]
				e.Speedup = ratios[(len(ratios)-1)/2]
				var jsNs []float64
				for _, r := range js.EncodeRounds {
					jsNs = append(jsNs, r[c.name].NsPerOp)
				}
				slices.Sort(jsNs)
				e.JSNs = jsNs[(len(jsNs)-1)/2]
			}
			goEnc, err := restli.ParamEncode(c.params)
			if err != nil {
				log.Fatal(err)
			}
			e.SameOutput = sameParams(goEnc, j.Output)
		}
		if v, ok := pyRef[c.name].(float64); ok {
			e.PythonRefNs = v
		}
		r.Encode = append(r.Encode, e)
	}

	// Sequential finder.
	bare := benches.median("BenchmarkFinder/bare")
	var jsReqs float64
	if js.Finder != nil {
		jsReqs = js.Finder.ReqPerS
	}
	for _, c := range goClients {
		m := benches.median("BenchmarkFinder/" + c.name)
		if m == nil {
			continue
		}
		f := Finder{Key: c.name, Client: c.label, Measured: true, ReqPerS: m["req/s"], MeanUs: m["ns/op"] / 1e3,
			P99Us: m["p99-µs"], AllocsOp: m["allocs/op"], BytesOp: m["B/op"], Requests: int(m["N"])}
		f.Rounds, f.MinReqS, f.MaxReqS = benches.spread("BenchmarkFinder/"+c.name, "req/s")
		if bare != nil {
			f.VsBare = f.ReqPerS / bare["req/s"]
		}
		if jsReqs > 0 {
			f.VsJS = f.ReqPerS / jsReqs
		}
		r.Finder = append(r.Finder, f)
	}
	r.Interleaved = interleaved(benches, "BenchmarkFinderInterleaved", "bare")
	r.ParallelInterleaved = interleaved(benches, "BenchmarkFinderParallelInterleaved", "restli")
	r.InterleavedParts = interleaved(benches, "BenchmarkFinderInterleavedParts", "bare")
	if js.Finder != nil {
		f := Finder{Key: "js", Client: "JS linkedin-api-client " + js.Version, Measured: true, ReqPerS: js.Finder.ReqPerS,
			MeanUs: js.Finder.MeanUs, P99Us: js.Finder.P99Us, Requests: js.Finder.Requests, VsJS: 1}
		for i, fr := range js.FinderRounds {
			if i == 0 || fr.ReqPerS < f.MinReqS {
				f.MinReqS = fr.ReqPerS
			}
			f.MaxReqS = max(f.MaxReqS, fr.ReqPerS)
		}
		f.Rounds = len(js.FinderRounds)
		if bare != nil {
			f.VsBare = f.ReqPerS / bare["req/s"]
		}
		r.Finder = append(r.Finder, f)
	}
	for _, rf := range ref.Finder {
		if strings.HasPrefix(rf.Label, "Python") {
			r.Finder = append(r.Finder, Finder{Key: "python-ref", Client: rf.Label + " (reference figure, not measured here)",
				ReqPerS: rf.ReqPerS, MeanUs: rf.MeanUs, P99Us: rf.P99Us, Reference: "bench/README.md"})
		}
	}

	// Concurrency.
	for _, c := range goClients {
		for _, g := range []int{1, 8, 64} {
			m := benches.median(fmt.Sprintf("BenchmarkFinderParallel/%s/g=%d", c.name, g))
			if m == nil {
				continue
			}
			p := Par{Client: c.name, Goroutines: g, ReqPerS: m["req/s"]}
			if b := benches.median(fmt.Sprintf("BenchmarkFinderParallel/bare/g=%d", g)); b != nil {
				p.VsBare = p.ReqPerS / b["req/s"]
			}
			r.Parallel = append(r.Parallel, p)
		}
	}

	// Peak heap.
	r.PeakHeap = parsePeak(goRaw)
	if r.PeakHeap != nil {
		if m := benches.median("BenchmarkDecodeLargeCollection"); m != nil {
			r.PeakHeap.DecodeNsOp = m["ns/op"]
			r.PeakHeap.DecodeMBPerS = m["MB/s"]
		}
	}

	// Everything else, for the record.
	r.Other = map[string]map[string]float64{}
	for _, name := range benches.order {
		if strings.HasPrefix(name, "BenchmarkParamEncode/") || strings.HasPrefix(name, "BenchmarkFinder") {
			continue
		}
		r.Other[name] = benches.median(name)
	}

	r.Targets = targets(&r, bare, benches)

	var md bytes.Buffer
	if *note != "" {
		fmt.Fprintf(&md, "> %s\n\n", *note)
	}
	writeMarkdown(&md, &r)
	os.Stdout.Write(md.Bytes())
	if *mdOut != "" {
		must(0, os.WriteFile(*mdOut, md.Bytes(), 0o644))
	}
	if *jsonOut != "" {
		b := must(json.MarshalIndent(r, "", "  "))
		must(0, os.WriteFile(*jsonOut, append(b, '\n'), 0o644))
	}
}

// roundRatios returns, sorted, the JavaScript client's ns per call over
// Go's in each round: Go's batches are split into as many equal runs as
// there are JavaScript rounds, and each run's median batch is taken.
func roundRatios(jsRounds []map[string]jsEncode, goBatches []map[string]float64, name string) []float64 {
	n := len(jsRounds)
	if n == 0 || len(goBatches)%n != 0 {
		return nil
	}
	per := len(goBatches) / n
	var out []float64
	for i, jr := range jsRounds {
		var ns []float64
		for _, b := range goBatches[i*per : (i+1)*per] {
			ns = append(ns, b["ns/op"])
		}
		slices.Sort(ns)
		if g := ns[(len(ns)-1)/2]; g > 0 && jr[name].NsPerOp > 0 {
			out = append(out, jr[name].NsPerOp/g)
		}
	}
	slices.Sort(out)
	return out
}

// goClients are the Go clients of the finder benchmarks, in the order the
// tables show them.
var goClients = []struct{ name, label string }{
	{"bare", "Go net/http, pre-encoded URL, body dropped (floor)"},
	{"bare-json", "Go net/http, pre-encoded URL, body → map (encoding/json)"},
	{"restli", "Go restli.Client over bare net/http"},
	{"stack-noop", "Go restli.Client + default stack, no-op telemetry"},
	{"stack-sdk", "Go restli.Client + default stack, OTel SDK, all sampled"},
	// The parts of the sequential gap (BenchmarkFinderInterleavedParts).
	{"bare-via-stack", "bare's request through the default stack, body dropped"},
	{"restli-typed", "restli.FinderAs into a struct, over bare net/http"},
	{"stack-typed", "restli.FinderAs into a struct, default stack, no-op telemetry"},
}

// interleaved reads a benchmark whose clients took turns: each client's
// req/s and its ratio to the reference client, median and spread over the
// rounds.
func interleaved(benches *benchSet, name, ref string) []Inter {
	m := benches.median(name)
	if m == nil || m[ref+"-req/s"] <= 0 {
		return nil
	}
	var out []Inter
	for _, c := range goClients {
		v, ok := m[c.name+"-req/s"]
		if !ok {
			continue
		}
		in := Inter{Client: c.name, ReqPerS: v, VsBare: v / m[ref+"-req/s"]}
		for i, run := range benches.runs[name] {
			x := run[c.name+"-req/s"] / run[ref+"-req/s"]
			if i == 0 || x < in.MinVs {
				in.MinVs = x
			}
			in.MaxVs = max(in.MaxVs, x)
			in.Rounds++
		}
		out = append(out, in)
	}
	return out
}

func targets(r *Results, bare map[string]float64, benches *benchSet) []Target {
	var ts []Target
	if len(r.Encode) > 0 && r.Encode[0].JSNs > 0 {
		minSpeed, minCase, fast := 0.0, "", 0
		allocOK, allocGot := true, []string{}
		for _, e := range r.Encode {
			if minCase == "" || e.Speedup < minSpeed {
				minSpeed, minCase = e.Speedup, e.Case
			}
			if e.Speedup >= 10 {
				fast++
			}
			if e.GoAllocs > e.Budget {
				allocOK = false
			}
			allocGot = append(allocGot, fmt.Sprintf("%s %g/%g", e.Case, e.GoAllocs, e.Budget))
		}
		ts = append(ts,
			Target{Name: "encoding vs JS client, every case", Want: "≥ 10x", Measured: true,
				Got: fmt.Sprintf("%.1fx at worst (%s); ≥ 10x on %d of %d cases", minSpeed, minCase, fast, len(r.Encode)), Met: minSpeed >= 10},
			Target{Name: "encoding allocations (allocs/budget)", Want: "≤ 1 per nested list or map + 1", Measured: true,
				Got: strings.Join(allocGot, ", "), Met: allocOK})
	}
	if s := benches.median("BenchmarkFinder/stack-noop"); s != nil && bare != nil {
		ratio := s["req/s"] / bare["req/s"]
		got := fmt.Sprintf("%.0f%% (%.0f vs %.0f req/s)", 100*ratio, s["req/s"], bare["req/s"])
		// The interleaved run, where both clients see the same seconds
		// of the machine, measures the ratio without the drift between
		// runs; it decides when it is there, and both are shown.
		for _, in := range r.Interleaved {
			if in.Client == "stack-noop" {
				got = fmt.Sprintf("%.0f%% interleaved call by call (rounds %.0f–%.0f%%); %s run one after the other",
					100*in.VsBare, 100*in.MinVs, 100*in.MaxVs, got)
				ratio = in.VsBare
			}
		}
		ts = append(ts, Target{Name: "sequential finder, full stack (no-op telemetry) vs bare net/http", Want: "≥ 85%", Measured: true,
			Got: got, Met: ratio >= 0.85})
		got13 := got
		for _, in := range r.InterleavedParts {
			if in.Client == "bare-via-stack" || in.Client == "stack-typed" {
				got13 += fmt.Sprintf("; %s %.0f%% (rounds %.0f–%.0f%%)", in.Client, 100*in.VsBare, 100*in.MinVs, 100*in.MaxVs)
			}
		}
		ts = append(ts, Target{Name: "the same, issue 13's bar", Want: "≥ 90%", Measured: true,
			Got: got13, Met: ratio >= 0.90})
		for _, f := range r.Finder {
			if strings.HasPrefix(f.Client, "JS ") {
				x := s["req/s"] / f.ReqPerS
				ts = append(ts, Target{Name: "sequential finder, full stack (no-op telemetry) vs JS client", Want: "≥ 5x", Measured: true,
					Got: fmt.Sprintf("%.1fx (%.0f vs %.0f req/s)", x, s["req/s"], f.ReqPerS), Met: x >= 5})
			}
		}
	}
	if s, b := benches.median("BenchmarkFinderParallel/stack-noop/g=64"), benches.median("BenchmarkFinderParallel/bare/g=64"); s != nil && b != nil {
		ratio := s["req/s"] / b["req/s"]
		ts = append(ts, Target{Name: "64 goroutines, full stack (no-op telemetry) vs bare net/http", Want: "≥ 80%", Measured: true,
			Got: fmt.Sprintf("%.0f%% (%.0f vs %.0f req/s)", 100*ratio, s["req/s"], b["req/s"]), Met: ratio >= 0.80})
	}
	for _, in := range r.ParallelInterleaved {
		if in.Client != "stack-noop" {
			continue
		}
		got := fmt.Sprintf("%.0f%% in turns (rounds %.0f–%.0f%%)", 100*in.VsBare, 100*in.MinVs, 100*in.MaxVs)
		s, b := benches.median("BenchmarkFinderParallel/stack-noop/g=64"), benches.median("BenchmarkFinderParallel/restli/g=64")
		if s != nil && b != nil {
			got += fmt.Sprintf("; %.0f%% (%.0f vs %.0f req/s) run one after the other", 100*s["req/s"]/b["req/s"], s["req/s"], b["req/s"])
		}
		ts = append(ts, Target{Name: "64 goroutines, full stack (no-op telemetry) vs restli.Client over bare net/http (issue 13)", Want: "≥ 90%",
			Measured: true, Got: got, Met: in.VsBare >= 0.90})
	}
	if p := r.PeakHeap; p != nil {
		ts = append(ts, Target{Name: "10,000-element decode into structs, peak heap / body", Want: "≤ 3x", Measured: true,
			Got: fmt.Sprintf("%.2fx (body %.1f MB)", p.PeakRatio, p.BodyBytes/1e6), Met: p.PeakRatio <= 3})
	}
	return ts
}

// sameParams reports whether two encoded query strings carry the same
// parameters with the same values: Go writes parameters and map keys
// sorted, JavaScript in insertion order, so each value is compared decoded.
func sameParams(a, b string) bool {
	da, db := decodeQuery(a), decodeQuery(b)
	return da != nil && db != nil && reflect.DeepEqual(da, db)
}

func decodeQuery(q string) map[string]any {
	out := map[string]any{}
	for pair := range strings.SplitSeq(q, "&") {
		k, v, ok := strings.Cut(pair, "=")
		if !ok {
			return nil
		}
		d, err := restli.Decode(v)
		if err != nil {
			return nil
		}
		out[k] = d
	}
	return out
}

type namedCase struct {
	name   string
	params map[string]any
}

// loadCases reads the inputs as the Go benchmarks do: whole numbers as int.
func loadCases(path string) []namedCase {
	var file struct {
		Cases []struct {
			Name   string          `json:"name"`
			Params json.RawMessage `json:"params"`
		} `json:"cases"`
	}
	mustJSON(path, &file)
	var out []namedCase
	for _, c := range file.Cases {
		dec := json.NewDecoder(bytes.NewReader(c.Params))
		dec.UseNumber()
		var v map[string]any
		if err := dec.Decode(&v); err != nil {
			log.Fatal(err)
		}
		out = append(out, namedCase{c.Name, userValue(v).(map[string]any)})
	}
	return out
}

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
	case []any:
		for i, e := range v {
			v[i] = userValue(e)
		}
	}
	return v
}

// cpuModel prefers /proc/cpuinfo's model name over go test's cpu line.
func cpuModel(fromGo string) string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				return strings.TrimSpace(v)
			}
		}
	}
	if fromGo != "" {
		return fromGo
	}
	return "unknown CPU"
}

func mustJSON(path string, v any) {
	if err := json.Unmarshal(must(os.ReadFile(path)), v); err != nil {
		log.Fatalf("%s: %v", path, err)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		log.Fatal(err)
	}
	return v
}
