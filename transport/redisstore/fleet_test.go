// fleet_test.go: the multi-process fleet test. Four OS processes (this
// test binary re-executed in TestFleetChild's mode), each a full client
// stack on the same Redis, call one fake LinkedIn that enforces an
// application and a per-member DAY limit on its clock and counts what
// reaches it per process. The parent runs the phases, checks the fleet's
// promises, and prints one "FLEET SUMMARY:" line.

package redisstore_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/oauth"
	"github.com/linkedin-go/linkedin/restli/restlitest"
	"github.com/linkedin-go/linkedin/transport/redisstore"
	"github.com/linkedin-go/linkedin/transport/redisstore/internal/redistest"
)

const (
	fleetProcs   = 4
	fleetWorkers = 2
	dailyLimit   = 40 // the server's APPLICATION DAY limit per resource
	memberLimit  = 8  // its APPLICATION_AND_MEMBER DAY limit per resource
)

// fleet is the parent's state.
type fleet struct {
	t     *testing.T
	redis *redistest.Server
	srv   *fleetServer
	api   *restlitest.Server
	base  fleetConfig
	seen  int // arrivals already looked at

	mu              sync.Mutex
	started, reaped int // child processes
}

// start starts the phase's processes with cfg (Proc set per process) and
// returns a function that waits for them and returns their results.
func (f *fleet) start(cfg fleetConfig) func() []fleetResult {
	f.t.Helper()
	type out struct {
		res fleetResult
		err error
	}
	outs := make([]out, cfg.Procs)
	var wg sync.WaitGroup
	for p := range cfg.Procs {
		c := cfg
		c.Proc = p
		raw, _ := json.Marshal(c)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestFleetChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), childEnv+"="+string(raw))
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Start(); err != nil {
			cancel()
			f.t.Fatalf("start process %d: %v", p, err)
		}
		f.mu.Lock()
		f.started++
		f.mu.Unlock()
		wg.Go(func() {
			defer cancel()
			err := cmd.Wait()
			if cmd.ProcessState != nil && cmd.ProcessState.Exited() {
				f.mu.Lock()
				f.reaped++
				f.mu.Unlock()
			}
			outs[p].err = err
			if !cmd.ProcessState.Exited() {
				outs[p].err = fmt.Errorf("process %d did not exit: %v", p, cmd.ProcessState)
			}
			sc := bufio.NewScanner(&stdout)
			found := false
			for sc.Scan() {
				if line, ok := strings.CutPrefix(sc.Text(), "FLEETRESULT "); ok {
					found = json.Unmarshal([]byte(line), &outs[p].res) == nil
				}
			}
			if !found && outs[p].err == nil {
				outs[p].err = fmt.Errorf("process %d reported nothing", p)
			}
			if outs[p].err != nil {
				outs[p].err = fmt.Errorf("%w\nstdout:\n%s\nstderr:\n%s", outs[p].err, stdout.String(), stderr.String())
			}
		})
	}
	return func() []fleetResult {
		wg.Wait()
		res := make([]fleetResult, len(outs))
		for p, o := range outs {
			if o.err != nil {
				f.t.Fatalf("phase %s: %v", cfg.Phase, o.err)
			}
			res[p] = o.res
		}
		return res
	}
}

// arrivals returns the requests that reached the server since the last
// call.
func (f *fleet) arrivals() []arrival {
	a, n := f.srv.since(f.seen)
	f.seen = n
	return a
}

// sendsAfterFirst429 counts, among arrivals matching keep, those after the
// first 429 beyond the one request each of a process's workers may have had
// in flight then; it also returns how many arrived after it in all. An
// arrival answered 200 is not one: the server counts the DAY limit under a
// lock, so a call it let through was counted before the first 429 was
// decided, whatever its time stamp (taken once the answer is written) says.
func sendsAfterFirst429(arr []arrival, workers int, keep func(arrival) bool) (beyond, after int, saw bool) {
	var t0 time.Time
	for _, a := range arr {
		if keep(a) && a.status == 429 && (t0.IsZero() || a.at.Before(t0)) {
			t0 = a.at
		}
	}
	if t0.IsZero() {
		return 0, 0, false
	}
	perProc := map[string]int{}
	for _, a := range arr {
		if keep(a) && a.at.After(t0) && a.status != 200 {
			perProc[a.proc]++
			after++
		}
	}
	for _, n := range perProc {
		beyond += max(n-workers, 0)
	}
	return beyond, after, true
}

func TestFleet(t *testing.T) {
	if os.Getenv(childEnv) != "" {
		t.Skip("child process")
	}
	f := &fleet{t: t}
	real := redistest.Binary() != "" || redistest.Required()
	if real {
		f.redis = redistest.Real(t, true)
	} else {
		f.redis = redistest.Mini(t)
		t.Log("SKIP part: redis-server not on PATH: the fleet runs on miniredis and the Redis kill/restart phase is skipped (set " +
			redistest.RequireEnv + "=1 to fail instead)")
	}

	// The fake LinkedIn: its clock is the wall clock (the DAY marks the
	// processes set end at 00:00 UTC on Redis's clock, which follows it).
	api := restlitest.NewServer(restlitest.WithDailyLimits(restlitest.DailyLimits{Application: dailyLimit, Member: memberLimit}))
	defer api.Close()
	f.api = api
	f.srv = newFleetServer(api, "/c")
	defer f.srv.Close()
	var members []string
	for i := range 10 {
		id := "m" + strconv.Itoa(i)
		members = append(members, id)
		api.AddMember(restlitest.Member{ID: id, GivenName: "Member", FamilyName: id})
	}
	var resources = func(prefix string, n int) []string {
		var out []string
		for i := range n {
			r := "/" + prefix + strconv.Itoa(i)
			out = append(out, r)
			api.Seed(r, 1, map[string]any{"id": 1})
		}
		return out
	}
	api.Seed("/adAccounts", 1, map[string]any{"id": 1})
	api.Seed("/adCampaigns", 1, map[string]any{"id": 1})

	// Every member's token is in Redis, already expired: the first call
	// for a member, on whichever process, must refresh it, once.
	rc := f.redis.Client(t)
	prefix := fmt.Sprintf("fleet%d:", time.Now().UnixNano())
	seedStore := redisstore.New(rc, redisstore.Options{Prefix: prefix, Timeout: 5 * time.Second})
	for _, m := range members {
		tok := api.AuthorizeMember(m, "r_ads")
		tok.Expiry = time.Now().Add(-time.Hour)
		if _, err := seedStore.Tokens().Put(context.Background(), oauth.MemberToken{Member: m, Token: tok}, oauth.AnyVersion); err != nil {
			t.Fatal(err)
		}
	}
	oc := api.OAuthConfig()
	f.base = fleetConfig{Procs: fleetProcs, Workers: fleetWorkers, RedisNetwork: f.redis.Network, RedisAddr: f.redis.Addr,
		Prefix: prefix, ServerURL: f.srv.URL, ClientID: oc.ClientID, Secret: oc.ClientSecret, Members: members}
	startAt := func() int64 { return time.Now().Add(1500 * time.Millisecond).UnixMilli() }
	var results [][]fleetResult
	leaked := 0
	collect := func(r []fleetResult) []fleetResult {
		results = append(results, r)
		for _, x := range r {
			leaked += x.Leaked
		}
		return r
	}
	reached := 0
	count := func(a []arrival) []arrival { reached += len(a); return a }

	// Phase 1, tokens: every process calls for every member at once.
	cfg := f.base
	cfg.Phase, cfg.StartAt, cfg.Until, cfg.MaxCalls = "tokens", startAt(), time.Now().Add(time.Minute).UnixMilli(), len(members)
	cfg.Resources = resources("a", fleetProcs*fleetWorkers)
	collect(f.start(cfg)())
	count(f.arrivals())
	refreshes := map[int]int{}
	for _, m := range members {
		refreshes[api.RefreshCount(m)]++
	}
	if refreshes[1] != len(members) {
		t.Errorf("token refreshes per member: %v (count: members), want exactly 1 for each of %d", refreshes, len(members))
	}

	// Phase 2, the application's DAY limit on /adAccounts.
	cfg = f.base
	cfg.Phase, cfg.StartAt, cfg.Until, cfg.MaxCalls, cfg.StopAfterDay = "day", startAt(), time.Now().Add(time.Minute).UnixMilli(), 200, 3
	cfg.Resources, cfg.Workers = []string{"/adAccounts"}, 1
	collect(f.start(cfg)())
	arr := count(f.arrivals())
	dayOK, dayReached := 0, 0
	for _, a := range arr {
		if a.resource == "/adAccounts" {
			dayReached++
			if a.status == 200 {
				dayOK++
			}
		}
	}
	beyond, after, saw := sendsAfterFirst429(arr, 1, func(a arrival) bool { return a.resource == "/adAccounts" })
	if !saw {
		t.Errorf("no DAY 429 on /adAccounts (%d reached it)", dayReached)
	}
	if dayReached > dailyLimit+fleetProcs || dayOK > dailyLimit {
		t.Errorf("/adAccounts: %d calls reached the server (%d answered), over the daily limit %d + %d processes", dayReached, dayOK, dailyLimit, fleetProcs)
	}
	if beyond != 0 {
		t.Errorf("%d sends of /adAccounts after the first DAY 429 beyond the requests in flight (%d after it in all)", beyond, after)
	}

	// Phase 3, the per-member DAY limit on /adCampaigns, two members.
	cfg = f.base
	cfg.Phase, cfg.StartAt, cfg.Until, cfg.MaxCalls, cfg.StopAfterDay = "member", startAt(), time.Now().Add(time.Minute).UnixMilli(), 200, 3
	cfg.Resources, cfg.Members, cfg.Workers = []string{"/adCampaigns"}, members[:2], 1
	collect(f.start(cfg)())
	arr = count(f.arrivals())
	memberBeyond := 0
	for _, m := range members[:2] {
		b, _, saw := sendsAfterFirst429(arr, 1, func(a arrival) bool { return a.member == m })
		if !saw {
			t.Errorf("no member DAY 429 for %s", m)
		}
		memberBeyond += b
		n := 0
		for _, a := range arr {
			if a.member == m && a.status == 200 {
				n++
			}
		}
		if n > memberLimit {
			t.Errorf("member %s: %d calls answered, over the member limit %d", m, n, memberLimit)
		}
	}
	if memberBeyond != 0 {
		t.Errorf("%d sends for a member after their DAY 429 beyond the requests in flight", memberBeyond)
	}

	// Phase 4, the host fails: the fleet drops to the probe rate.
	const openTimeout = 250 * time.Millisecond
	cfg = f.base
	start := startAt()
	cfg.Phase, cfg.StartAt, cfg.Until, cfg.MaxCalls, cfg.Pace = "breaker", start, start+3000, 1000, 40*time.Millisecond
	cfg.Resources = resources("c", 40)
	wait := f.start(cfg)
	time.Sleep(time.Until(time.UnixMilli(start + 500)))
	failFrom := time.Now()
	f.srv.failing.Store(true)
	time.Sleep(time.Until(time.UnixMilli(start + 2000)))
	f.srv.failing.Store(false)
	failTo := time.Now()
	refused := 0
	for _, r := range collect(wait()) {
		refused += r.Errors["circuit_open"]
	}
	arr = count(f.arrivals())
	steadyFrom := failFrom.Add(500 * time.Millisecond)
	outageSends, okAfter := 0, map[string]int{}
	for _, a := range arr {
		switch {
		case a.at.After(steadyFrom) && a.at.Before(failTo):
			outageSends++
		case a.at.After(failTo) && a.status == 200:
			okAfter[a.proc]++
		}
	}
	windows := int((failTo.Sub(steadyFrom) + openTimeout - 1) / openTimeout)
	if outageSends > windows+2 {
		t.Errorf("during the outage the fleet sent %d requests in %v (%d open periods): want about one probe per period", outageSends, failTo.Sub(steadyFrom).Round(time.Millisecond), windows)
	}
	if len(okAfter) != fleetProcs {
		t.Errorf("after the host recovered, processes with a successful call: %d of %d", len(okAfter), fleetProcs)
	}

	// Phase 5, Redis is killed mid-run and restarted.
	restarts, failedByRedis := 0, 0
	cfg = f.base
	start = startAt()
	cfg.Phase, cfg.StartAt, cfg.Until, cfg.MaxCalls, cfg.Pace = "redis", start, start+3000, 1000, 40*time.Millisecond
	cfg.Resources, cfg.DailyLimit = resources("d", 40), 1_000_000
	wait = f.start(cfg)
	if real {
		time.Sleep(time.Until(time.UnixMilli(start + 800)))
		f.redis.Stop()
		time.Sleep(800 * time.Millisecond)
		if err := f.redis.Start(); err != nil {
			t.Fatal(err)
		}
		restarts++
	} else {
		t.Log("SKIP part: Redis kill/restart needs a real redis-server")
	}
	res := collect(wait())
	count(f.arrivals())
	for _, r := range res {
		for _, n := range r.Errors {
			failedByRedis += n
		}
		failedByRedis += r.Day
		if !r.Resumed {
			t.Errorf("process %d: its store did not reach Redis again after the restart", r.Proc)
		}
		if real && r.Outages == 0 {
			t.Errorf("process %d did not notice the outage", r.Proc)
		}
		t.Logf("process %d: calls %d ok %d day %d errors %v", r.Proc, r.Calls, r.OK, r.Day, r.Errors)
		for _, s := range r.Samples {
			t.Logf("process %d: %s", r.Proc, s)
		}
	}
	if failedByRedis != 0 {
		t.Errorf("%d calls failed while Redis was killed and restarted, want 0", failedByRedis)
	}
	// Sharing resumed: the daily counters written after the restart are on
	// Redis again.
	shared := int64(0)
	keys, _ := rc.Keys(context.Background(), "*"+prefix+"q:*:d:day|*|r:/d*").Result()
	for _, k := range keys {
		n, _ := rc.HGet(context.Background(), k, "n").Int64()
		shared += n
	}
	if shared == 0 {
		t.Errorf("no shared daily count on Redis after the restart (keys %v)", keys)
	}
	if leaked != 0 {
		t.Errorf("%d goroutines leaked in the processes", leaked)
	}

	lo, hi := len(members), 0
	for n := range refreshes {
		lo, hi = min(lo, n), max(hi, n)
	}
	perMember := strconv.Itoa(lo)
	if lo != hi {
		perMember += ".." + strconv.Itoa(hi)
	}
	f.mu.Lock()
	leakedProcs := f.started - f.reaped
	f.mu.Unlock()
	if leakedProcs != 0 {
		t.Errorf("%d of %d processes did not exit", leakedProcs, f.started)
	}
	fmt.Printf("FLEET SUMMARY: redis=%s processes=%d phases=%d reached_server=%d daily_limit=%d day_resource_reached=%d answered_over_limit=%d sends_after_day429=%d member_sends_after_day429=%d token_refreshes_per_member=%s members=%d outage_sends=%d open_periods=%d outage_refused_locally=%d redis_restarts=%d failed_by_redis=%d shared_count_after_restart=%d leaked_goroutines=%d leaked_processes=%d\n",
		f.redis.Kind, fleetProcs, len(results), reached, dailyLimit, dayReached, max(dayOK-dailyLimit, 0), beyond, memberBeyond,
		perMember, len(members), outageSends, windows, refused, restarts, failedByRedis, shared, leaked, leakedProcs)
}
