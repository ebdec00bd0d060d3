// This file reads the Go benchmark output and the peak-heap test output
// that run.sh collects.

package main

import (
	"bufio"
	"bytes"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// benchSet holds Go benchmark results: name → one metric map per run.
type benchSet struct {
	runs  map[string][]map[string]float64
	order []string
}

var procSuffix = regexp.MustCompile(`-\d+$`)

func parseGoBench(raw []byte) (*benchSet, string) {
	s := &benchSet{runs: map[string][]map[string]float64{}}
	cpu := ""
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if c, ok := strings.CutPrefix(line, "cpu: "); ok {
			cpu = strings.TrimSpace(c)
		}
		if !strings.HasPrefix(line, "Benchmark") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 4 || len(f)%2 != 0 {
			continue
		}
		n, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			continue
		}
		name := procSuffix.ReplaceAllString(f[0], "")
		m := map[string]float64{"N": n}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			m[f[i+1]] = v
		}
		if _, ok := s.runs[name]; !ok {
			s.order = append(s.order, name)
		}
		s.runs[name] = append(s.runs[name], m)
	}
	return s, cpu
}

// spread returns the number of runs of name and the least and greatest
// value of metric over them.
func (s *benchSet) spread(name, metric string) (n int, lo, hi float64) {
	for i, r := range s.runs[name] {
		v := r[metric]
		if i == 0 || v < lo {
			lo = v
		}
		hi = max(hi, v)
	}
	return len(s.runs[name]), lo, hi
}

// median returns the median of each metric over the runs of name, or nil.
func (s *benchSet) median(name string) map[string]float64 {
	runs := s.runs[name]
	if len(runs) == 0 {
		return nil
	}
	out := map[string]float64{}
	for k := range runs[0] {
		var vs []float64
		for _, r := range runs {
			vs = append(vs, r[k])
		}
		slices.Sort(vs)
		if len(vs)%2 == 1 {
			out[k] = vs[len(vs)/2]
		} else {
			out[k] = (vs[len(vs)/2-1] + vs[len(vs)/2]) / 2
		}
	}
	return out
}

var peakLine = regexp.MustCompile(`body (\d+) B, peak heap \+(\d+) B \(([\d.]+)x body\), allocated (\d+) B \(([\d.]+)x body\)`)

// parsePeak reads TestDecodeLargeCollection_PeakHeap's log lines (go test
// -v) and keeps the smallest peak, as the test does.
func parsePeak(raw []byte) *Peak {
	var p *Peak
	for _, m := range peakLine.FindAllSubmatch(raw, -1) {
		body, _ := strconv.ParseFloat(string(m[1]), 64)
		r, _ := strconv.ParseFloat(string(m[3]), 64)
		a, _ := strconv.ParseFloat(string(m[5]), 64)
		if p == nil || r < p.PeakRatio {
			p = &Peak{BodyBytes: body, PeakRatio: r, AllocRatio: a}
		}
	}
	if p != nil {
		p.TestPassed = bytes.Contains(raw, []byte("--- PASS: TestDecodeLargeCollection_PeakHeap"))
	}
	return p
}
