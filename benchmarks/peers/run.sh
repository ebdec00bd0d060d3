#!/usr/bin/env bash
# run.sh — the side-by-side benchmark: this module against LinkedIn's official
# JavaScript client (linkedin-api-client 0.3.0 from npm), in one run, on one
# machine, against one loopback server.
#
#   bash benchmarks/peers/run.sh            full run; writes benchmarks/results.{md,json,svg}
#                                           and benchmarks/results-{go.txt,js.json}
#   bash benchmarks/peers/run.sh --quick    a few seconds, tiny loops, writes nothing
#                                           in the repo (for checking the harness)
#
# Needs only Go and Node (with npm) on the PATH. It
#   1. installs the JavaScript client into benchmarks/peers/node_modules (git-ignored),
#   2. builds and starts ONE server (benchmarks/peers/server) on 127.0.0.1,
#   3. runs `rounds` rounds; each measures the five encodings with the
#      JavaScript client (js/bench.js) and then with Go, with the same timing
#      (batches of ≥ batch_min_ms, median batch), and then
#   4. makes the finder calls against that server, interleaved:
#      the JavaScript client's sequential calls, Go's sequential calls (bare
#      net/http, restli, the default stack with no-op and with SDK telemetry)
#      with the same warm-up and request count, Go's 1/8/64-goroutine runs
#      (one second each) and the 64-goroutine run with the Go clients taking
#      turns; the report takes the median round,
#   5. runs the rest of the Go benchmarks and the peak-heap test,
#   6. prints one table (peers/report) and draws the chart (peers/chart).
# The client (Node or the Go test binary) is pinned to CPU 0 and the server to
# CPU 1 with taskset when it exists and there are two CPUs or more, as the
# reference figures were measured. Every loop is bounded in count and time
# (settings.json), every wait has a timeout, and the server is stopped on exit.
# RUN_SH_QUICK_OUT=DIR keeps a --quick run's results.{md,json,svg} in DIR.
set -euo pipefail

quick=0
for arg in "$@"; do
	case "$arg" in
	--quick) quick=1 ;;
	-h | --help)
		sed -n '2,28p' "$0"
		exit 0
		;;
	*)
		echo "run.sh: unknown argument $arg (try --help)" >&2
		exit 2
		;;
	esac
done

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

for tool in go node npm; do
	command -v "$tool" >/dev/null || {
		echo "run.sh: $tool is required" >&2
		exit 1
	}
done

tmp="$(mktemp -d "${TMPDIR:-/tmp}/linkedin-bench.XXXXXX")"
server_pid=""
cleanup() {
	if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
		kill "$server_pid" 2>/dev/null || true
		# Bounded wait: the server shuts down within 2s; then force it.
		for _ in $(seq 1 30); do
			kill -0 "$server_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$server_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# Loop bounds.
settings="$here/settings.json"
if [ "$quick" = 1 ]; then
	settings="$tmp/settings.json"
	cat >"$settings" <<'JSON'
{"timing": {"warmup_ms": 20, "batch_min_ms": 5, "batches": 3},
 "finder": {"warmup": 20, "requests": 300, "max_seconds": 5}, "rounds": 1}
JSON
fi
setting() { node -e 'const s=require(process.argv[1]); console.log(process.argv[2].split(".").reduce((o,k)=>o[k], s))' "$settings" "$1"; }
batches="$(setting timing.batches)"
batch_ms="$(setting timing.batch_min_ms)"
warmup="$(setting finder.warmup)"
requests="$(setting finder.requests)"
max_seconds="$(setting finder.max_seconds)"
rounds="$(setting rounds)"
# The concurrent runs are timed, not counted: 5,000 calls take a fraction of a
# second at 64 goroutines, too short to be stable.
par_time=1s
[ "$quick" = 1 ] && par_time=300x
# The 64-goroutine turns: each turn is 1,024 calls per client.
par_turns=30x
[ "$quick" = 1 ] && par_turns=1x

# Pinning: client on CPU 0, server on CPU 1. The prefixes stay empty without
# taskset (macOS, say); so does the time bound without timeout(1), where
# -test.timeout and the server's -max still bound the run.
client_pin=""
server_pin=""
pinning="not pinned (taskset missing or one CPU)"
if command -v taskset >/dev/null && [ "$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)" -ge 2 ]; then
	client_pin="taskset -c 0"
	server_pin="taskset -c 1"
	pinning="client pinned to CPU 0, server to CPU 1 (taskset)"
fi
bounded() { # bounded SECONDS CMD...: run CMD for at most SECONDS where timeout(1) exists
	local s=$1
	shift
	if command -v timeout >/dev/null; then timeout "$s" "$@"; else "$@"; fi
}
load="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
echo "== $(date -u '+%F %T') UTC; load average $load; $pinning"
case "${load%% *}" in
[0-9]*)
	if awk -v l="${load%% *}" 'BEGIN { exit !(l >= 1.5) }'; then
		echo "run.sh: warning: load average ${load%% *} ≥ 1.5; the numbers will be noisy" >&2
	fi
	;;
esac

echo "== installing the JavaScript client (npm)"
installed="$(node -p 'try { require(process.argv[1]).version } catch { "" }' "$here/node_modules/linkedin-api-client/package.json" 2>/dev/null || true)"
if [ "$installed" != "0.3.0" ]; then
	(cd "$here" && bounded 600 npm install --no-audit --no-fund --loglevel=error)
fi

echo "== building the server and the Go benchmarks"
go build -o "$tmp/server" ./benchmarks/peers/server
go test -c -o "$tmp/benchmarks.test" ./benchmarks
go build -o "$tmp/report" ./benchmarks/peers/report
go build -o "$tmp/chart" ./benchmarks/peers/chart

echo "== starting the loopback server"
$server_pin "$tmp/server" -addr 127.0.0.1:0 -max 60m >"$tmp/server.out" 2>&1 &
server_pid=$!
url=""
for _ in $(seq 1 100); do
	url="$(awk '/^listening on /{print $3; exit}' "$tmp/server.out")"
	[ -n "$url" ] && break
	kill -0 "$server_pid" 2>/dev/null || break
	sleep 0.1
done
case "$url" in
http://127.0.0.1:*) echo "   $url (pid $server_pid)" ;;
*)
	echo "run.sh: the server did not start:" >&2
	cat "$tmp/server.out" >&2
	exit 1
	;;
esac

jsbench() {
	bounded 900 $client_pin node "$here/js/bench.js" --server "$url" --settings "$settings" \
		--cases "$root/benchmarks/testdata/cases.json" "$@"
}
gobench() {
	# The test binary runs in the package directory (it reads testdata/).
	(cd "$root/benchmarks" && LINKEDIN_BENCH_SERVER="$url" LINKEDIN_BENCH_WARMUP="$warmup" \
		LINKEDIN_BENCH_MAX_SECONDS="$max_seconds" bounded 1800 $client_pin \
		"$tmp/benchmarks.test" -test.run '^$' -test.benchmem -test.timeout 25m "$@")
}

: >"$tmp/go.txt"
for round in $(seq 1 "$rounds"); do
	# Both clients' encodings in every round, one right after the other: a
	# shared machine changes speed from one minute to the next, and a ratio
	# of two figures taken minutes apart would measure that. The report
	# takes each round's ratio and the median round.
	echo "== encodings, round $round of $rounds ($batches batches of ≥ ${batch_ms}ms each after a warm-up; the median batch)"
	echo "-- JavaScript client"
	jsbench --only encode >"$tmp/js-encode-$round.json"
	echo "-- Go"
	gobench -test.bench '^BenchmarkParamEncode$' -test.count "$batches" -test.benchtime "${batch_ms}ms" | tee -a "$tmp/go.txt"

	echo "== finder calls, round $round of $rounds ($warmup warm-up calls, then $requests calls per client)"
	echo "-- JavaScript client, sequential"
	jsbench --only finder >"$tmp/js-finder-$round.json"
	node -e 'const f=require(process.argv[1]).finder; console.log(`   ${f.req_per_s.toFixed(0)} req/s, mean ${f.mean_us.toFixed(0)} µs, p99 ${f.p99_us.toFixed(0)} µs`)' "$tmp/js-finder-$round.json"
	echo "-- Go, sequential"
	gobench -test.bench '^BenchmarkFinder$' -test.count 1 -test.benchtime "${requests}x" | tee -a "$tmp/go.txt"
	echo "-- Go, sequential, the clients interleaved call by call"
	gobench -test.bench '^BenchmarkFinderInterleaved$' -test.count 1 -test.benchtime "${requests}x" | tee -a "$tmp/go.txt"
	echo "-- Go, sequential, the steps between bare and the full stack interleaved call by call"
	gobench -test.bench '^BenchmarkFinderInterleavedParts$' -test.count 1 -test.benchtime "${requests}x" | tee -a "$tmp/go.txt"
	echo "-- Go, 1, 8 and 64 goroutines ($par_time each)"
	gobench -test.bench '^BenchmarkFinderParallel$' -test.count 1 -test.benchtime "$par_time" | tee -a "$tmp/go.txt"
	echo "-- Go, 64 goroutines, the clients taking turns ($par_turns turns)"
	gobench -test.bench '^BenchmarkFinderParallelInterleaved$' -test.count 1 -test.benchtime "$par_turns" | tee -a "$tmp/go.txt"
done

# One JavaScript result: the first round's encodings with every round's,
# and the median finder round.
node -e '
const n = Number(process.argv[1]);
const files = process.argv.slice(2).map((f) => require(f));
const encs = files.slice(0, n), rounds = files.slice(n);
const enc = encs[0];
enc.encode_rounds = encs.map((e) => e.encode);
const fs = rounds.map((r) => r.finder).sort((a, b) => a.req_per_s - b.req_per_s);
enc.finder = fs[(fs.length - 1) >> 1];
enc.finder_rounds = rounds.map((r) => r.finder);
console.log(JSON.stringify(enc, null, 2));
' "$rounds" $(for r in $(seq 1 "$rounds"); do echo "$tmp/js-encode-$r.json"; done) \
	$(for r in $(seq 1 "$rounds"); do echo "$tmp/js-finder-$r.json"; done) >"$tmp/js.json"

other_time=1s
[ "$quick" = 1 ] && other_time=20x
echo "== Go: the other benchmarks ($other_time each) and the peak-heap test"
gobench -test.bench '^Benchmark(Decode|ReducedDecode|Build|DecodeLargeCollection|FinderNoNetwork)$' -test.count 1 \
	-test.benchtime "$other_time" | tee -a "$tmp/go.txt"
# The test fails when the target is missed; the report shows it either way.
(cd "$root/benchmarks" && bounded 300 $client_pin "$tmp/benchmarks.test" \
	-test.run '^TestDecodeLargeCollection_PeakHeap$' -test.v -test.count 1) >>"$tmp/go.txt" 2>&1 || true
grep -E 'peak heap|^--- ' "$tmp/go.txt" || true

# Stop the server and show what it answered: every client must have called it.
kill "$server_pid" 2>/dev/null || true
for _ in $(seq 1 50); do
	kill -0 "$server_pid" 2>/dev/null || break
	sleep 0.1
done
grep '^served' "$tmp/server.out" || echo "run.sh: warning: the server printed no request count" >&2
if grep -q 'and [1-9][0-9]* with an error status' "$tmp/server.out"; then
	echo "run.sh: warning: the server answered some requests with an error" >&2
fi

echo "== results"
out="$root/benchmarks"
note=""
if [ "$quick" = 1 ]; then
	out="${RUN_SH_QUICK_OUT:-$tmp}"
	note="QUICK RUN (--quick): tiny loops to check the harness; these numbers are not measurements and the targets below mean nothing."
fi
"$tmp/report" -note "$note" -go "$tmp/go.txt" -js "$tmp/js.json" -ref "$here/reference.json" \
	-cases "$root/benchmarks/testdata/cases.json" -settings "$settings" \
	-pinning "$pinning" -load "$load" -json "$out/results.json" -md "$out/results.md"
"$tmp/chart" -in "$out/results.json" -out "$out/results.svg"
if [ "$quick" = 0 ]; then
	cp "$tmp/go.txt" "$out/results-go.txt"
	cp "$tmp/js.json" "$out/results-js.json"
	echo "wrote benchmarks/results.md, results.json, results.svg, results-go.txt, results-js.json"
fi
