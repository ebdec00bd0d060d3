// This file serves the ads dataset: the three adAnalytics finders with
// LinkedIn's limits, and the account structure they report on.

package restlitest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// ServeAds builds the dataset cfg describes and serves it:
//
//   - /adAnalytics with the finders analytics (one pivot), statistics
//     (pivots, up to three) and attributedRevenueMetrics, as LinkedIn does:
//     no paging (start and count are ignored; paging is always
//     {"start":0,"count":10}), an answer cut without warning at
//     cfg.MaxElements (AdsMaxElements by default) elements, and 400 for a
//     request naming more than AdsMaxFields fields, for a missing or
//     malformed dateRange, an end before the start, a missing or unknown
//     pivot or timeGranularity, more than AdsMaxPivots pivots, no facet or
//     an empty facet list;
//   - the account structure: /adAccounts (keyed by id), and under
//     /adAccounts/{id} the collections adCampaignGroups, adCampaigns and
//     creatives, each with a cursor-paged "search" finder that lists them
//     all.
//
// It returns the dataset, whose Truth gives the complete report of any
// query.
func (s *Server) ServeAds(cfg AdsConfig) *AdsDataset {
	ds := NewAdsDataset(cfg)
	for _, name := range []string{"analytics", "statistics", "attributedRevenueMetrics"} {
		s.HandleUnpagedFinder("/adAnalytics", name, ds.finder)
	}
	for ai, a := range ds.accounts {
		id := adsAccountBase + ai
		s.Seed("/adAccounts", id, map[string]any{
			"id": id, "name": "Ads dataset account " + strconv.Itoa(ai+1), "status": "ACTIVE",
			"type": "BUSINESS", "currency": "USD", "test": true,
		})
		parent := "/adAccounts/" + strconv.Itoa(id)
		for gi, g := range ds.groups {
			if gi/ds.cfg.CampaignGroupsPerAccount == ai {
				gid := adsGroupBase + gi
				s.Seed(parent+"/adCampaignGroups", gid, map[string]any{
					"id": gid, "account": a, "name": "Group " + strconv.Itoa(gid), "status": "ACTIVE", "urn": g,
				})
			}
		}
		for ci, c := range ds.campaigns {
			if c.account == ai {
				cid := adsCampaignBase + ci
				s.Seed(parent+"/adCampaigns", cid, map[string]any{
					"id": cid, "account": a, "campaignGroup": ds.groups[c.group],
					"name": "Campaign " + strconv.Itoa(cid), "status": "ACTIVE", "type": "SPONSORED_UPDATES",
				})
			}
		}
		for _, cr := range ds.creatives {
			if ds.campaigns[cr.campaign].account == ai {
				s.Seed(parent+"/creatives", cr.urn, map[string]any{
					"id": cr.urn, "account": a, "campaign": ds.campaigns[cr.campaign].urn, "video": cr.video,
				})
			}
		}
	}
	all := func(_ *Request, c *Collection) ([]map[string]any, error) { return c.All(), nil }
	for _, coll := range []string{"adCampaignGroups", "adCampaigns", "creatives"} {
		s.HandleCursorFinder("/adAccounts/{id}/"+coll, "search", all)
	}
	return ds
}

// finder serves the three adAnalytics finders: the elements of the
// report, cut at the cap, encoded by hand (a large answer built as maps
// would cost more than the client reading it).
func (ds *AdsDataset) finder(r *Request) ([]byte, error) {
	q, err := AdsQueryOf(r.Params)
	if err != nil {
		return nil, err
	}
	rows, metrics, err := ds.rows(q, ds.cfg.MaxElements)
	if err != nil {
		return nil, adsBad(err.Error())
	}
	if len(rows) > ds.cfg.MaxElements {
		rows = rows[:ds.cfg.MaxElements] // cut without warning, as LinkedIn does
	}
	b := make([]byte, 0, len(rows)*(200+30*len(metrics)))
	b = append(b, '[')
	for i, a := range rows {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"pivotValues":[`...)
		for j, l := range a.levels {
			if j > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendQuote(b, ds.levelURN(a.creative, l))
		}
		b = append(b, `],"dateRange":{"start":`...)
		b = appendAdsDate(b, a.start)
		b = append(b, `,"end":`...)
		b = appendAdsDate(b, a.end)
		b = append(b, '}')
		for j, mi := range metrics {
			if a.present&(1<<j) == 0 {
				continue
			}
			b = append(b, ',')
			b = strconv.AppendQuote(b, adsMetrics[mi].name)
			b = append(b, ':')
			if adsMetrics[mi].money {
				b = strconv.AppendQuote(b, formatMetric(mi, a.vals[j])) // LinkedIn sends money as a string
			} else {
				b = strconv.AppendInt(b, a.vals[j], 10)
			}
		}
		b = append(b, '}')
	}
	return append(b, ']'), nil
}

func appendAdsDate(b []byte, d AdsDate) []byte {
	b = append(b, `{"year":`...)
	b = strconv.AppendInt(b, int64(d.Year), 10)
	b = append(b, `,"month":`...)
	b = strconv.AppendInt(b, int64(d.Month), 10)
	b = append(b, `,"day":`...)
	b = strconv.AppendInt(b, int64(d.Day), 10)
	return append(b, '}')
}

func adsBad(msg string) *Error {
	return &Error{Status: http.StatusBadRequest, ServiceErrorCode: ServiceErrorBadRequest, Code: CodeIllegalArgument, Message: msg}
}

// AdsQueryOf reads an adAnalytics query from the decoded parameters of a
// request (Request.Params), checking them as LinkedIn does. Its errors
// are *Error values with status 400.
func AdsQueryOf(params map[string]any) (AdsQuery, error) {
	var q AdsQuery
	q.Finder, _ = params["q"].(string)
	switch q.Finder {
	case "analytics":
		p, ok := params["pivot"].(string)
		if !ok || p == "" {
			return q, adsBad("pivot is required by the analytics finder")
		}
		q.Pivots = []string{p}
	case "statistics":
		l, ok := params["pivots"].([]any)
		if !ok || len(l) == 0 {
			return q, adsBad("pivots is required by the statistics finder")
		}
		if len(l) > AdsMaxPivots {
			return q, adsBad("at most " + strconv.Itoa(AdsMaxPivots) + " pivots are allowed")
		}
		for _, v := range l {
			p, _ := v.(string)
			q.Pivots = append(q.Pivots, p)
		}
	case "attributedRevenueMetrics":
		if p, ok := params["pivot"].(string); ok {
			q.Pivots = []string{p}
		}
	default:
		return q, adsBad("unknown finder")
	}
	if g, ok := params["timeGranularity"].(string); ok {
		q.Granularity = g
	} else if q.Finder != "attributedRevenueMetrics" {
		return q, adsBad("timeGranularity is required")
	} else {
		q.Granularity = "ALL"
	}
	switch q.Granularity {
	case "ALL", "DAILY", "MONTHLY", "YEARLY":
	default:
		return q, adsBad("unknown timeGranularity")
	}
	dr, ok := params["dateRange"].(map[string]any)
	if !ok {
		return q, adsBad("dateRange is required")
	}
	var err error
	if q.Start, err = adsDateParam(dr["start"]); err != nil {
		return q, adsBad("dateRange.start: " + err.Error())
	}
	if e, ok := dr["end"]; ok {
		if q.End, err = adsDateParam(e); err != nil {
			return q, adsBad("dateRange.end: " + err.Error())
		}
		if q.End.Time().Before(q.Start.Time()) {
			return q, adsBad("dateRange.end is before dateRange.start")
		}
	}
	q.Facets = map[string][]string{}
	for _, name := range []string{"accounts", "campaignGroups", "campaigns", "creatives", "shares", "companies"} {
		v, ok := params[name]
		if !ok {
			continue
		}
		l, ok := v.([]any)
		if !ok || len(l) == 0 {
			return q, adsBad(name + " must be a non-empty List of URNs")
		}
		for _, u := range l {
			s, _ := u.(string)
			q.Facets[name] = append(q.Facets[name], s)
		}
	}
	if len(q.Facets) == 0 {
		return q, adsBad("at least one facet (accounts, campaignGroups, campaigns, creatives…) is required")
	}
	q.Metrics = []string{"impressions", "clicks"} // what LinkedIn answers without fields
	if f, ok := params["fields"].(string); ok && f != "" {
		names := strings.Split(f, ",")
		if len(names) > AdsMaxFields {
			return q, &Error{Status: http.StatusBadRequest, ServiceErrorCode: ServiceErrorBadRequest, Code: CodeIllegalArgument,
				Message: fmt.Sprintf("Requested %d fields, but the maximum number of fields allowed is %d", len(names), AdsMaxFields)}
		}
		q.Metrics = q.Metrics[:0]
		for _, n := range names {
			if n != "dateRange" && n != "pivotValues" && n != "pivotValue" {
				q.Metrics = append(q.Metrics, n)
			}
		}
	}
	return q, nil
}

// adsDateParam reads (year:…,month:…,day:…).
func adsDateParam(v any) (AdsDate, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return AdsDate{}, fmt.Errorf("must be (year:…,month:…,day:…)")
	}
	var parts [3]int
	for i, k := range []string{"year", "month", "day"} {
		s, _ := m[k].(string)
		n, err := strconv.Atoi(s)
		if err != nil {
			return AdsDate{}, fmt.Errorf("%s must be a number", k)
		}
		parts[i] = n
	}
	d := AdsDate{parts[0], parts[1], parts[2]}
	if parts[1] < 1 || parts[1] > 12 || parts[2] < 1 || AdsDateOf(d.Time()) != d {
		return AdsDate{}, fmt.Errorf("not a valid date")
	}
	return d, nil
}
