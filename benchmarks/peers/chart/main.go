// Command chart draws the results of peers/run.sh (the results.json that
// peers/report writes) as an SVG bar chart: encoding time per case on a log
// scale, sequential finder throughput per client, and, when present,
// throughput at 1, 8 and 64 goroutines. It uses only the standard library.
//
//	go run ./benchmarks/peers/chart -in benchmarks/results.json -out benchmarks/results.svg
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"log"
	"math"
	"os"
	"strings"
)

// The parts of results.json the chart reads.
type results struct {
	Date    string `json:"date"`
	Machine struct {
		NProc int    `json:"nproc"`
		CPU   string `json:"cpu"`
		Go    string `json:"go"`
		Node  string `json:"node"`
	} `json:"machine"`
	Encode []struct {
		Case   string  `json:"case"`
		GoNs   float64 `json:"go_ns_per_op"`
		JSNs   float64 `json:"js_ns_per_op"`
		PyRef  float64 `json:"python_reference_ns_per_op"`
		Speed  float64 `json:"js_over_go"`
		Allocs float64 `json:"go_allocs_per_op"`
	} `json:"encode"`
	Finder []struct {
		Key      string  `json:"key"`
		Client   string  `json:"client"`
		Measured bool    `json:"measured"`
		ReqPerS  float64 `json:"req_per_s"`
		P99Us    float64 `json:"p99_us"`
	} `json:"finder"`
	Parallel []struct {
		Client     string  `json:"client"`
		Goroutines int     `json:"goroutines"`
		ReqPerS    float64 `json:"req_per_s"`
	} `json:"parallel"`
}

const (
	width   = 960
	left    = 330 // label column
	right   = 110 // value column
	barH    = 16
	gap     = 4
	colGo   = "#00758f"
	colJS   = "#e8a33d"
	colRef  = "#b8b8b8"
	colText = "#222"
)

type svg struct {
	b bytes.Buffer
	y float64
}

func (s *svg) f(format string, a ...any) { fmt.Fprintf(&s.b, format, a...) }

func (s *svg) text(x, y float64, anchor, weight string, size int, fill, t string) {
	s.f(`<text x="%.1f" y="%.1f" text-anchor="%s" font-weight="%s" font-size="%d" fill="%s">%s</text>`+"\n",
		x, y, anchor, weight, size, fill, html.EscapeString(t))
}

func (s *svg) bar(x, y, w float64, fill string, dashed bool, title string) {
	extra := ""
	if dashed {
		extra = ` stroke="#777" stroke-dasharray="3,2" fill-opacity="0.6"`
	}
	s.f(`<rect x="%.1f" y="%.1f" width="%.1f" height="%d" fill="%s"%s><title>%s</title></rect>`+"\n",
		x, y, math.Max(w, 1), barH, fill, extra, html.EscapeString(title))
}

func (s *svg) heading(t, sub string) {
	s.y += 34
	s.text(20, s.y, "start", "bold", 16, colText, t)
	if sub != "" {
		s.y += 18
		s.text(20, s.y, "start", "normal", 12, "#555", sub)
	}
	s.y += 12
}

func main() {
	in := flag.String("in", "benchmarks/results.json", "results written by peers/report")
	out := flag.String("out", "benchmarks/results.svg", "SVG to write")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("chart: ")
	raw, err := os.ReadFile(*in)
	if err != nil {
		log.Fatal(err)
	}
	var r results
	if err := json.Unmarshal(raw, &r); err != nil {
		log.Fatalf("%s: %v", *in, err)
	}

	s := &svg{}
	plotW := float64(width - left - right)

	// Encoding, log scale.
	s.heading("Query-parameter encoding — ns per call, log scale (shorter is better)",
		"Go restli.ParamEncode vs the JavaScript client's paramEncode, measured in the same run; Python: reference figure, not measured here")
	lo, hi := math.Inf(1), 0.0
	for _, e := range r.Encode {
		for _, v := range []float64{e.GoNs, e.JSNs, e.PyRef} {
			if v > 0 {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	lo = math.Pow(10, math.Floor(math.Log10(lo)))
	hi = math.Pow(10, math.Ceil(math.Log10(hi)))
	scale := func(v float64) float64 {
		return plotW * (math.Log10(v) - math.Log10(lo)) / (math.Log10(hi) - math.Log10(lo))
	}
	top, mark := s.y, s.b.Len() // the grid goes under the bars
	for _, e := range r.Encode {
		s.y += 8
		s.text(left-10, s.y+barH+barH/2+4, "end", "bold", 13, colText, e.Case)
		rows := []struct {
			name   string
			v      float64
			col    string
			dashed bool
			note   string
		}{
			{"Go", e.GoNs, colGo, false, fmt.Sprintf("%s ns", human(e.GoNs))},
			{"JS client", e.JSNs, colJS, false, fmt.Sprintf("%s ns (%.0fx)", human(e.JSNs), e.Speed)},
			{"Python (ref.)", e.PyRef, colRef, true, fmt.Sprintf("%s ns", human(e.PyRef))},
		}
		for _, row := range rows {
			if row.v <= 0 {
				continue
			}
			s.bar(left, s.y, scale(row.v), row.col, row.dashed, row.name+": "+row.note)
			s.text(left+scale(row.v)+6, s.y+barH-3, "start", "normal", 11, colText, row.name+" "+row.note)
			s.y += barH + gap
		}
	}
	// Decades: the lines under the bars, the labels below.
	var grid bytes.Buffer
	for d := lo; d <= hi*1.0001; d *= 10 {
		x := left + scale(d)
		fmt.Fprintf(&grid, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/>`+"\n", x, top, x, s.y)
		s.text(x, s.y+14, "middle", "normal", 10, "#777", human(d)+" ns")
	}
	rest := append(grid.Bytes(), s.b.Bytes()[mark:]...)
	s.b.Truncate(mark)
	s.b.Write(rest)
	s.y += 20

	// Sequential finder.
	s.heading("Sequential finder calls — requests per second (longer is better)",
		"one call at a time against one loopback server; grey: reference figure, not measured here")
	maxR := 0.0
	for _, f := range r.Finder {
		maxR = math.Max(maxR, f.ReqPerS)
	}
	for _, f := range r.Finder {
		s.y += 6
		col := colGo
		switch {
		case !f.Measured:
			col = colRef
		case strings.HasPrefix(f.Client, "JS"):
			col = colJS
		}
		w := plotW * f.ReqPerS / maxR
		s.text(left-10, s.y+barH-3, "end", "normal", 12, colText, label(f.Key, f.Client))
		s.bar(left, s.y, w, col, !f.Measured, f.Client)
		s.text(left+w+6, s.y+barH-3, "start", "normal", 11, colText, fmt.Sprintf("%s req/s", human(f.ReqPerS)))
		s.y += barH + gap
	}
	s.y += 10

	// Concurrency.
	if len(r.Parallel) > 0 {
		s.heading("Concurrent finder calls — requests per second at 1, 8 and 64 goroutines", "")
		maxP := 0.0
		for _, p := range r.Parallel {
			maxP = math.Max(maxP, p.ReqPerS)
		}
		shades := map[int]string{1: "#7fc4d3", 8: "#2a94ad", 64: "#004d5e"}
		var clients []string
		for _, p := range r.Parallel {
			if len(clients) == 0 || clients[len(clients)-1] != p.Client {
				clients = append(clients, p.Client)
			}
		}
		for _, c := range clients {
			s.y += 6
			s.text(left-10, s.y+barH+barH/2+4, "end", "bold", 12, colText, label(c, c))
			for _, p := range r.Parallel {
				if p.Client != c {
					continue
				}
				w := plotW * p.ReqPerS / maxP
				s.bar(left, s.y, w, shades[p.Goroutines], false, fmt.Sprintf("%s, %d goroutines", c, p.Goroutines))
				s.text(left+w+6, s.y+barH-3, "start", "normal", 11, colText, fmt.Sprintf("%s req/s @%d", human(p.ReqPerS), p.Goroutines))
				s.y += barH + gap
			}
		}
		s.y += 10
	}

	s.y += 14
	s.text(20, s.y, "start", "normal", 11, "#555", fmt.Sprintf("%s · %d × %s · %s · Node %s · generated by benchmarks/peers/chart",
		r.Date, r.Machine.NProc, r.Machine.CPU, r.Machine.Go, strings.TrimPrefix(r.Machine.Node, "v")))
	s.y += 14

	var doc bytes.Buffer
	fmt.Fprintf(&doc, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%.0f" viewBox="0 0 %d %.0f" font-family="Helvetica, Arial, sans-serif">`+"\n",
		width, s.y, width, s.y)
	fmt.Fprintf(&doc, `<rect width="100%%" height="100%%" fill="#fff"/>`+"\n")
	doc.Write(s.b.Bytes())
	doc.WriteString("</svg>\n")
	if err := os.WriteFile(*out, doc.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}

// labels are the finder clients' names on the chart.
var labels = map[string]string{
	"bare":       "Go net/http, pre-encoded URL (floor)",
	"bare-json":  "Go net/http + encoding/json into a map",
	"restli":     "Go restli.Client over bare net/http",
	"stack-noop": "Go full default stack, no-op telemetry",
	"stack-sdk":  "Go full default stack, OTel SDK, all sampled",
	"python-ref": "Python client 0.3.0 (reference)",
}

func label(key, client string) string {
	if l, ok := labels[key]; ok {
		return l
	}
	if len(client) > 46 {
		client = client[:45] + "…"
	}
	return client
}

// human formats v with thousands separators (one decimal under 10).
func human(v float64) string {
	if v < 10 {
		return fmt.Sprintf("%.1f", v)
	}
	s := fmt.Sprintf("%.0f", v)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
