// This file holds the deterministic ads-reporting dataset: accounts,
// campaign groups, campaigns and creatives with daily metrics over a
// configurable span, and the ground truth of any report over it.

package restlitest

import (
	"fmt"
	"slices"
	"strconv"
	"time"
)

// LinkedIn's limits on the adAnalytics finders, which ServeAds enforces.
const (
	// AdsMaxElements is the most elements an adAnalytics answer holds;
	// LinkedIn cuts a longer answer there without saying so.
	AdsMaxElements = 15000
	// AdsMaxFields is the most fields (metrics, dateRange and pivotValues
	// together) an adAnalytics request may name in fields.
	AdsMaxFields = 20
	// AdsMaxPivots is the most pivots the statistics finder takes.
	AdsMaxPivots = 3
)

// AdsConfig describes an ads dataset. The zero value is one account with
// two campaign groups, ten campaigns of two creatives each, and 365 days
// from 2025-01-01.
type AdsConfig struct {
	// Accounts is the number of ad accounts (default 1).
	Accounts int
	// CampaignGroupsPerAccount is the number of campaign groups of each
	// account (default 2).
	CampaignGroupsPerAccount int
	// CampaignsPerAccount is the number of campaigns of each account
	// (default 10), spread over its campaign groups in turn.
	CampaignsPerAccount int
	// CreativesPerCampaign is the number of creatives of each campaign
	// (default 2). Every second creative is a video.
	CreativesPerCampaign int
	// Start is the first day with data (default 2025-01-01); only its
	// UTC date counts.
	Start time.Time
	// Days is the number of days with data (default 365).
	Days int
	// Seed varies the metric values (default 1).
	Seed uint64
	// MaxElements is where the finders cut an answer (default
	// AdsMaxElements). Tests set a small cap to exercise splitting.
	MaxElements int
}

// AdsDataset is a deterministic ads-reporting dataset: the same config
// always gives the same entities and metrics. Its methods are safe for
// concurrent use (it is never modified after NewAdsDataset).
type AdsDataset struct {
	cfg       AdsConfig
	start     time.Time
	accounts  []string
	groups    []string
	campaigns []adsCampaign
	creatives []adsCreative
}

type adsCampaign struct {
	urn     string
	account int // index into accounts
	group   int // index into groups
}

type adsCreative struct {
	urn      string
	campaign int // index into campaigns
	video    bool
}

// Base ids of the dataset's entities: account a has id 500000000+a, and so on.
const (
	adsAccountBase  = 500000000
	adsGroupBase    = 600000000
	adsCampaignBase = 700000000
	adsCreativeBase = 800000000
)

// NewAdsDataset builds the dataset cfg describes.
func NewAdsDataset(cfg AdsConfig) *AdsDataset {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&cfg.Accounts, 1)
	def(&cfg.CampaignGroupsPerAccount, 2)
	def(&cfg.CampaignsPerAccount, 10)
	def(&cfg.CreativesPerCampaign, 2)
	def(&cfg.Days, 365)
	def(&cfg.MaxElements, AdsMaxElements)
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	if cfg.Start.IsZero() {
		cfg.Start = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	y, m, d := cfg.Start.UTC().Date()
	ds := &AdsDataset{cfg: cfg, start: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
	for a := 0; a < cfg.Accounts; a++ {
		ds.accounts = append(ds.accounts, "urn:li:sponsoredAccount:"+strconv.Itoa(adsAccountBase+a))
		firstGroup := len(ds.groups)
		for g := 0; g < cfg.CampaignGroupsPerAccount; g++ {
			ds.groups = append(ds.groups, "urn:li:sponsoredCampaignGroup:"+strconv.Itoa(adsGroupBase+len(ds.groups)))
		}
		for c := 0; c < cfg.CampaignsPerAccount; c++ {
			ci := len(ds.campaigns)
			ds.campaigns = append(ds.campaigns, adsCampaign{
				urn:     "urn:li:sponsoredCampaign:" + strconv.Itoa(adsCampaignBase+ci),
				account: a,
				group:   firstGroup + c%cfg.CampaignGroupsPerAccount,
			})
			for k := 0; k < cfg.CreativesPerCampaign; k++ {
				ds.creatives = append(ds.creatives, adsCreative{
					urn:      "urn:li:sponsoredCreative:" + strconv.Itoa(adsCreativeBase+len(ds.creatives)),
					campaign: ci,
					video:    k%2 == 1,
				})
			}
		}
	}
	return ds
}

// Config returns the dataset's configuration, defaults filled in.
func (ds *AdsDataset) Config() AdsConfig { return ds.cfg }

// Accounts returns the URNs of the ad accounts.
func (ds *AdsDataset) Accounts() []string { return slices.Clone(ds.accounts) }

// CampaignGroups returns the URNs of the campaign groups of account (all
// of them when account is "").
func (ds *AdsDataset) CampaignGroups(account string) []string {
	var out []string
	for gi, g := range ds.groups {
		a := gi / ds.cfg.CampaignGroupsPerAccount
		if account == "" || ds.accounts[a] == account {
			out = append(out, g)
		}
	}
	return out
}

// Campaigns returns the URNs of the campaigns of account (all of them
// when account is "").
func (ds *AdsDataset) Campaigns(account string) []string {
	var out []string
	for _, c := range ds.campaigns {
		if account == "" || ds.accounts[c.account] == account {
			out = append(out, c.urn)
		}
	}
	return out
}

// Creatives returns the URNs of the creatives of campaign (all of them
// when campaign is "").
func (ds *AdsDataset) Creatives(campaign string) []string {
	var out []string
	for _, cr := range ds.creatives {
		if campaign == "" || ds.campaigns[cr.campaign].urn == campaign {
			out = append(out, cr.urn)
		}
	}
	return out
}

// First and Last return the first and last day with data.
func (ds *AdsDataset) First() time.Time { return ds.start }

// Last returns the last day with data.
func (ds *AdsDataset) Last() time.Time { return ds.start.AddDate(0, 0, ds.cfg.Days-1) }

// AdsMetrics returns the names of the metrics the dataset has, in a
// fixed order: 19 core metrics present on every active day, then
// conversion metrics (every third campaign), video metrics (video
// creatives), lead metrics (some campaigns) and viral metrics (some days).
func AdsMetrics() []string {
	out := make([]string, len(adsMetrics))
	for i, m := range adsMetrics {
		out[i] = m.name
	}
	return out
}

// Metric families: which creative-days have a metric at all.
const (
	famCore = iota
	famConversion
	famVideo
	famLead
	famViral
)

type adsMetric struct {
	name  string
	fam   int
	mod   uint64 // values are in [0, mod)
	money bool   // sent as a decimal string with two places (cents)
}

var adsMetrics = [...]adsMetric{
	{"impressions", famCore, 5000, false},
	{"clicks", famCore, 200, false},
	{"costInLocalCurrency", famCore, 90000, true},
	{"costInUsd", famCore, 100000, true},
	{"landingPageClicks", famCore, 150, false},
	{"totalEngagements", famCore, 400, false},
	{"likes", famCore, 80, false},
	{"comments", famCore, 20, false},
	{"shares", famCore, 15, false},
	{"follows", famCore, 10, false},
	{"reactions", famCore, 90, false},
	{"otherEngagements", famCore, 60, false},
	{"companyPageClicks", famCore, 30, false},
	{"commentLikes", famCore, 12, false},
	{"adUnitClicks", famCore, 25, false},
	{"actionClicks", famCore, 25, false},
	{"textUrlClicks", famCore, 18, false},
	{"cardClicks", famCore, 40, false},
	{"cardImpressions", famCore, 700, false},
	{"externalWebsiteConversions", famConversion, 20, false},
	{"externalWebsitePostClickConversions", famConversion, 15, false},
	{"externalWebsitePostViewConversions", famConversion, 10, false},
	{"conversionValueInLocalCurrency", famConversion, 500000, true},
	{"videoViews", famVideo, 900, false},
	{"videoStarts", famVideo, 1000, false},
	{"videoCompletions", famVideo, 300, false},
	{"videoFirstQuartileCompletions", famVideo, 800, false},
	{"videoMidpointCompletions", famVideo, 600, false},
	{"videoThirdQuartileCompletions", famVideo, 400, false},
	{"fullScreenPlays", famVideo, 50, false},
	{"oneClickLeads", famLead, 8, false},
	{"oneClickLeadFormOpens", famLead, 30, false},
	{"leadGenerationMailContactInfoShares", famLead, 5, false},
	{"leadGenerationMailInterestedClicks", famLead, 6, false},
	{"viralImpressions", famViral, 2000, false},
	{"viralClicks", famViral, 60, false},
	{"viralLikes", famViral, 30, false},
	{"viralComments", famViral, 10, false},
	{"viralShares", famViral, 8, false},
	{"viralFollows", famViral, 5, false},
}

func adsMetricIndex(name string) int {
	for i, m := range adsMetrics {
		if m.name == name {
			return i
		}
	}
	return -1
}

// mix is splitmix64's finalizer: a well-spread hash of x.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func (ds *AdsDataset) hash(kind, entity, day, metric int) uint64 {
	return mix(ds.cfg.Seed ^ mix(uint64(kind)<<56^uint64(entity)<<24^uint64(day)) ^ mix(uint64(metric)+7))
}

// campaignActive reports whether campaign ci ran on day (an index from
// First): about one campaign-day in 40 has no activity at all.
func (ds *AdsDataset) campaignActive(ci, day int) bool {
	return ds.hash(1, ci, day, 0)%40 != 0
}

// creativeActive reports whether creative k served on day: its campaign
// ran, and the creative did (about nine days in ten).
func (ds *AdsDataset) creativeActive(k, day int) bool {
	cr := ds.creatives[k]
	return ds.campaignActive(cr.campaign, day) && ds.hash(2, k, day, 0)%10 != 0
}

// metricOf returns creative k's value of metric mi on day, and whether the
// creative-day has that metric.
func (ds *AdsDataset) metricOf(k, day, mi int) (int64, bool) {
	cr := ds.creatives[k]
	m := &adsMetrics[mi]
	switch m.fam {
	case famConversion:
		if cr.campaign%3 != 0 {
			return 0, false
		}
	case famVideo:
		if !cr.video {
			return 0, false
		}
	case famLead:
		if cr.campaign%4 != 1 {
			return 0, false
		}
	case famViral:
		if ds.hash(3, k, day, 0)%4 != 0 {
			return 0, false
		}
	}
	return int64(ds.hash(4, k, day, mi) % m.mod), true
}

// formatMetric returns the text of a metric value: a decimal integer, or
// for money a decimal with two places.
func formatMetric(mi int, v int64) string {
	if !adsMetrics[mi].money {
		return strconv.FormatInt(v, 10)
	}
	return fmt.Sprintf("%d.%02d", v/100, v%100)
}

// AdsDate is a calendar day as LinkedIn's adAnalytics writes it:
// {"year":…,"month":…,"day":…}.
type AdsDate struct {
	Year, Month, Day int
}

// AdsDateOf returns the UTC calendar day of t.
func AdsDateOf(t time.Time) AdsDate {
	y, m, d := t.UTC().Date()
	return AdsDate{y, int(m), d}
}

// Time returns the day at 00:00 UTC.
func (d AdsDate) Time() time.Time {
	return time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
}

// String returns the day as YYYY-MM-DD.
func (d AdsDate) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// AdsQuery is an adAnalytics query over the dataset, as the finders
// receive it.
type AdsQuery struct {
	// Finder is "analytics", "statistics" or "attributedRevenueMetrics".
	Finder string
	// Pivots are the pivots: ACCOUNT, CAMPAIGN_GROUP, CAMPAIGN or
	// CREATIVE (the dataset has no others).
	Pivots []string
	// Granularity is ALL, DAILY, MONTHLY or YEARLY.
	Granularity string
	// Start and End are the first and last day, inclusive; a zero End
	// means the dataset's last day.
	Start, End AdsDate
	// Facets maps a facet (accounts, campaignGroups, campaigns, creatives)
	// to its URNs: a row counts only the creatives that match every facet.
	Facets map[string][]string
	// Metrics are the metrics asked for (the fields other than dateRange
	// and pivotValues).
	Metrics []string
}

// AdsRow is one row of a report: the pivot values, the period, and the
// metrics the row has, as text (integers in decimal, money with two
// decimal places). A metric the row lacks is absent from Metrics, not "0".
type AdsRow struct {
	PivotValues []string
	Start, End  AdsDate
	Metrics     map[string]string
}

// Truth returns every row of the report q describes, uncut and in the
// order the finders send them (by period, then by entity), whatever the
// number. It is what a complete report must equal.
func (ds *AdsDataset) Truth(q AdsQuery) ([]AdsRow, error) {
	aggs, metrics, err := ds.rows(q, 0)
	if err != nil {
		return nil, err
	}
	out := make([]AdsRow, len(aggs))
	for i, a := range aggs {
		r := AdsRow{PivotValues: a.pivotValues(ds), Start: a.start, End: a.end, Metrics: map[string]string{}}
		for j, mi := range metrics {
			if a.present&(1<<j) != 0 {
				r.Metrics[adsMetrics[mi].name] = formatMetric(mi, a.vals[j])
			}
		}
		out[i] = r
	}
	return out, nil
}

// adsAgg is a row being computed: the creative that keys it (its pivot
// values are that creative's ancestors), its period, its metric sums and
// which metrics it has (bit j for metrics[j]).
type adsAgg struct {
	creative   int
	levels     []int
	start, end AdsDate
	vals       []int64
	present    uint64
}

func (a *adsAgg) pivotValues(ds *AdsDataset) []string {
	pv := make([]string, len(a.levels))
	for i, l := range a.levels {
		pv[i] = ds.levelURN(a.creative, l)
	}
	return pv
}

// rows computes the report of q: its rows, and the indices (into
// adsMetrics) of the metrics asked for, in the order of vals. With a limit
// above 0 it stops after the period in which the rows reach it: an answer
// cut there holds none of the later rows, so the server's memory follows
// the cap, not the range asked for.
func (ds *AdsDataset) rows(q AdsQuery, limit int) ([]*adsAgg, []int, error) {
	levels := make([]int, len(q.Pivots))
	for i, p := range q.Pivots {
		switch p {
		case "ACCOUNT":
			levels[i] = 0
		case "CAMPAIGN_GROUP":
			levels[i] = 1
		case "CAMPAIGN":
			levels[i] = 2
		case "CREATIVE":
			levels[i] = 3
		default:
			return nil, nil, fmt.Errorf("pivot %s is not supported by this fake server", strconv.Quote(p))
		}
	}
	metrics := make([]int, 0, len(q.Metrics))
	for _, name := range q.Metrics {
		if mi := adsMetricIndex(name); mi >= 0 && !slices.Contains(metrics, mi) && len(metrics) < 64 {
			metrics = append(metrics, mi)
		}
	}
	creatives, err := ds.matching(q.Facets)
	if err != nil {
		return nil, nil, err
	}
	start, end := q.Start.Time(), q.End.Time()
	if q.End == (AdsDate{}) {
		end = ds.Last()
	}
	first, last := start, end
	if first.Before(ds.start) {
		first = ds.start
	}
	if l := ds.Last(); last.After(l) {
		last = l
	}

	var rows []*adsAgg
	counted := 0 // rows with at least one of the metrics
	periodKey := AdsDate{}
	index := map[uint64]*adsAgg{}
	for day := first; !day.After(last); day = day.AddDate(0, 0, 1) {
		ps, pe := period(q.Granularity, day, start, end)
		if pk := AdsDateOf(ps); pk != periodKey {
			if limit > 0 && counted >= limit {
				break
			}
			periodKey = pk
			clear(index)
		}
		di := int(day.Sub(ds.start) / (24 * time.Hour))
		for _, k := range creatives {
			if !ds.creativeActive(k, di) {
				continue
			}
			var key uint64 // the entity index at each level, 20 bits each
			for _, l := range levels {
				key = key<<20 | uint64(ds.levelIndex(k, l))
			}
			a, ok := index[key]
			if !ok {
				a = &adsAgg{creative: k, levels: levels, start: periodKey, end: AdsDateOf(pe), vals: make([]int64, len(metrics))}
				index[key] = a
				rows = append(rows, a)
			}
			for j, mi := range metrics {
				if v, ok := ds.metricOf(k, di, mi); ok {
					a.vals[j] += v
					if a.present == 0 {
						counted++
					}
					a.present |= 1 << j
				}
			}
		}
	}
	// A row with none of the metrics asked for is not in the answer, as
	// LinkedIn leaves out rows without activity.
	out := rows[:0]
	for _, a := range rows {
		if a.present != 0 {
			out = append(out, a)
		}
	}
	return out, metrics, nil
}

// levelIndex returns the index of creative k's ancestor at level l.
func (ds *AdsDataset) levelIndex(k, l int) int {
	cr := ds.creatives[k]
	switch l {
	case 0:
		return ds.campaigns[cr.campaign].account
	case 1:
		return ds.campaigns[cr.campaign].group
	case 2:
		return cr.campaign
	}
	return k
}

// period returns the period of granularity g that day falls in, clipped
// to the query's range [start, end].
func period(g string, day, start, end time.Time) (time.Time, time.Time) {
	var ps, pe time.Time
	switch g {
	case "DAILY":
		return day, day
	case "MONTHLY":
		ps = time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC)
		pe = ps.AddDate(0, 1, -1)
	case "YEARLY":
		ps = time.Date(day.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		pe = ps.AddDate(1, 0, -1)
	default: // ALL
		return start, end
	}
	if ps.Before(start) {
		ps = start
	}
	if pe.After(end) {
		pe = end
	}
	return ps, pe
}

// levelURN returns the URN of creative k's ancestor at level l (0 account,
// 1 campaign group, 2 campaign, 3 the creative itself).
func (ds *AdsDataset) levelURN(k, l int) string {
	cr := ds.creatives[k]
	c := ds.campaigns[cr.campaign]
	switch l {
	case 0:
		return ds.accounts[c.account]
	case 1:
		return ds.groups[c.group]
	case 2:
		return c.urn
	}
	return cr.urn
}

// matching returns the indices of the creatives that match every facet.
func (ds *AdsDataset) matching(facets map[string][]string) ([]int, error) {
	level := map[string]int{"accounts": 0, "campaignGroups": 1, "campaigns": 2, "creatives": 3}
	type filter struct {
		level int
		set   map[string]bool
	}
	var filters []filter
	for name, urns := range facets {
		l, ok := level[name]
		if !ok {
			return nil, fmt.Errorf("facet %s is not supported by this fake server", strconv.Quote(name))
		}
		set := make(map[string]bool, len(urns))
		for _, u := range urns {
			set[u] = true
		}
		filters = append(filters, filter{l, set})
	}
	var out []int
	for k := range ds.creatives {
		ok := true
		for _, f := range filters {
			if !f.set[ds.levelURN(k, f.level)] {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, k)
		}
	}
	return out, nil
}
