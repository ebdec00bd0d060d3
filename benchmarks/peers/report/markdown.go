// This file writes the results as the Markdown page results.md.

package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// writeMarkdown writes r as the tables of results.md.
func writeMarkdown(w io.Writer, r *Results) {
	m := r.Machine
	fmt.Fprintf(w, "Measured %s on %d × %s, %s; Go %s, Node %s (%s, axios %s); %s; load average at start %s.\n\n",
		r.Date, m.NProc, m.CPU, m.OS, strings.TrimPrefix(m.Go, "go"), strings.TrimPrefix(m.Node, "v"), m.JSClient, m.Axios, m.Pinning, m.LoadStart)

	fmt.Fprintf(w, "**Query-parameter encoding** (ns per call, median of the batches of all rounds; JS / Go is the median round's ratio, each round measuring both clients one right after the other; lower ns is better)\n\n")
	fmt.Fprintf(w, "| case | Go restli.ParamEncode | Go allocs (budget) | JS client | JS / Go | rounds: min–max | same output | Python client (reference, not measured here) |\n")
	fmt.Fprintf(w, "|---|--:|--:|--:|--:|--:|:-:|--:|\n")
	for _, e := range r.Encode {
		same, spread := "—", "—"
		if e.JSNs > 0 {
			same = map[bool]string{true: "yes", false: "**no**"}[e.SameOutput]
		}
		if e.Rounds > 0 {
			spread = fmt.Sprintf("%d: %.1fx–%.1fx", e.Rounds, e.MinSpeedup, e.MaxSpeedup)
		}
		fmt.Fprintf(w, "| %s | %s | %g (%g) | %s | **%.1fx** | %s | %s | %s |\n", e.Case, num(e.GoNs), e.GoAllocs, e.Budget,
			num(e.JSNs), e.Speedup, spread, same, num(e.PythonRefNs))
	}

	fmt.Fprintf(w, "\n**Sequential finder calls** against one loopback server (higher req/s is better; median of the rounds)\n\n")
	fmt.Fprintf(w, "| client | req/s | rounds: min–max req/s | mean µs | p99 µs | allocs/op | vs Go bare net/http | vs JS client |\n")
	fmt.Fprintf(w, "|---|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, f := range r.Finder {
		spread := "—"
		if f.Rounds > 0 {
			spread = fmt.Sprintf("%d: %s–%s", f.Rounds, num(f.MinReqS), num(f.MaxReqS))
		}
		fmt.Fprintf(w, "| %s | %s | %s | %.0f | %.0f | %s | %s | %s |\n", f.Client, num(f.ReqPerS), spread, f.MeanUs, f.P99Us,
			num(f.AllocsOp), pct(f.VsBare), ratio(f.VsJS))
	}

	if len(r.Interleaved) > 0 {
		fmt.Fprintf(w, "\n**The same calls, the Go clients interleaved call by call** (one call with each in turn, so all see the same seconds of the machine; req/s of each client's own calls; median of the rounds)\n\n")
		fmt.Fprintf(w, "| client | req/s | vs Go bare net/http | rounds: min–max |\n|---|--:|--:|--:|\n")
		for _, in := range r.Interleaved {
			fmt.Fprintf(w, "| %s | %s | %s | %d: %s–%s |\n", in.Client, num(in.ReqPerS), pct(in.VsBare), in.Rounds, pct(in.MinVs), pct(in.MaxVs))
		}
	}

	if len(r.InterleavedParts) > 0 {
		fmt.Fprintf(w, "\n**Where the sequential gap goes**: bare, the full stack, and the steps between them, interleaved call by call (BenchmarkFinderInterleavedParts; median of the rounds)\n\n")
		fmt.Fprintf(w, "| client | what it does | req/s | vs Go bare net/http | rounds: min–max |\n|---|---|--:|--:|--:|\n")
		for _, in := range r.InterleavedParts {
			fmt.Fprintf(w, "| %s | %s | %s | %s | %d: %s–%s |\n", in.Client, clientLabel(in.Client), num(in.ReqPerS), pct(in.VsBare), in.Rounds, pct(in.MinVs), pct(in.MaxVs))
		}
	}

	if len(r.ParallelInterleaved) > 0 {
		fmt.Fprintf(w, "\n**64 goroutines, the Go clients taking turns** (1,024 calls from 64 goroutines with each client in turn, so all see the same seconds of the machine; req/s of each client's own turns; median of the rounds)\n\n")
		fmt.Fprintf(w, "| client | req/s | vs restli.Client over bare net/http | rounds: min–max |\n|---|--:|--:|--:|\n")
		for _, in := range r.ParallelInterleaved {
			fmt.Fprintf(w, "| %s | %s | %s | %d: %s–%s |\n", in.Client, num(in.ReqPerS), pct(in.VsBare), in.Rounds, pct(in.MinVs), pct(in.MaxVs))
		}
	}

	if len(r.Parallel) > 0 {
		fmt.Fprintf(w, "\n**Concurrent finder calls**, req/s (share of Go bare net/http at the same concurrency)\n\n")
		fmt.Fprintf(w, "| client | 1 goroutine | 8 goroutines | 64 goroutines |\n|---|--:|--:|--:|\n")
		var names []string
		for _, p := range r.Parallel {
			if !slices.Contains(names, p.Client) {
				names = append(names, p.Client)
			}
		}
		for _, n := range names {
			fmt.Fprintf(w, "| %s |", n)
			for _, g := range []int{1, 8, 64} {
				for _, p := range r.Parallel {
					if p.Client == n && p.Goroutines == g {
						fmt.Fprintf(w, " %s (%s) |", num(p.ReqPerS), pct(p.VsBare))
					}
				}
			}
			fmt.Fprintln(w)
		}
	}

	if p := r.PeakHeap; p != nil {
		fmt.Fprintf(w, "\n**Decoding a 10,000-element collection into structs** (restli.FinderAs): body %.2f MB, %s ms per decode (%.0f MB/s), peak heap %.2fx the body, %.2fx allocated in all.\n",
			p.BodyBytes/1e6, fmt.Sprintf("%.1f", p.DecodeNsOp/1e6), p.DecodeMBPerS, p.PeakRatio, p.AllocRatio)
	}

	fmt.Fprintf(w, "\n**Targets** (issues 7 and 13)\n\n| target | want | got | |\n|---|---|---|:-:|\n")
	for _, t := range r.Targets {
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", t.Name, t.Want, t.Got, map[bool]string{true: "met", false: "**missed**"}[t.Met])
	}
}

func num(v float64) string {
	if v == 0 {
		return "—"
	}
	s := strconv.FormatFloat(v, 'f', 0, 64)
	if v < 10 {
		s = strconv.FormatFloat(v, 'f', 1, 64)
	}
	// thousands separators
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String()
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

func pct(v float64) string {
	if v == 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f%%", 100*v)
}

func ratio(v float64) string {
	if v == 0 {
		return "—"
	}
	return fmt.Sprintf("%.1fx", v)
}

// clientLabel describes the Go client called name.
func clientLabel(name string) string {
	for _, c := range goClients {
		if c.name == name {
			return c.label
		}
	}
	return name
}
