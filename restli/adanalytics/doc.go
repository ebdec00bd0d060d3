// Package adanalytics runs complete LinkedIn ads reports (the adAnalytics
// finders) in one call, never silently short.
//
//	rows, err := adanalytics.Run(ctx, client, adanalytics.Query{
//		Pivots:      []adanalytics.Pivot{adanalytics.PivotCampaign},
//		Granularity: adanalytics.Daily,
//		DateRange:   adanalytics.DateRange{Start: adanalytics.Date{Year: 2025, Month: 1, Day: 1}, End: adanalytics.Date{Year: 2025, Month: 12, Day: 31}},
//		Facets:      map[string][]string{adanalytics.FacetAccounts: {"urn:li:sponsoredAccount:123"}},
//		Metrics:     []string{"impressions", "clicks", "costInLocalCurrency", …}, // any number
//	})
//
// # LinkedIn's limits, and what the package does about them
//
// The adAnalytics finders (q=analytics with one pivot, q=statistics with
// up to three, q=attributedRevenueMetrics) have no paging: start and count
// are ignored. An answer holds at most 15,000 elements and is cut beyond
// that without any sign. A request may name at most 20 fields, dateRange
// and pivotValues included. Long facet lists (campaigns=List(…) of
// hundreds of URNs) overflow the URL.
//
//   - Metrics: the metrics are sent in groups of at most 18 (MaxFields
//     less dateRange and pivotValues), one request per group, and the
//     answers are merged exactly on (pivotValues, dateRange): a row that
//     one group's answer has and another's lacks keeps the metrics it has,
//     and the others are absent (nil in a Row), never zero.
//   - Rows: an answer with as many elements as the cap may have been cut,
//     so its slice is split and asked again. Dates are split first, on
//     boundaries of the granularity (days for DAILY, months for MONTHLY,
//     years for YEARLY), so each row of a part is a row of the whole;
//     granularity ALL cannot be split by date. The number of parts comes
//     from the cut answer itself: when it is in date order (restlitest's
//     are; LinkedIn's appear to be), the rows of its first days give the
//     rows per day; when it spans nearly the whole range (cut in some
//     other order), the number of distinct pivot values does. The range is
//     then cut into as many parts as needed to keep each answer within 95%
//     of the cap (blind halving costs about twice the requests). A part
//     that still reaches the cap is split again the same way, down to a
//     single period; a single period is split by halving a facet list,
//     when the pivots partition that facet (a campaign pivot partitions
//     the campaigns and accounts facets: each row belongs to one value;
//     a demographic pivot does not, its rows sum every campaign). When
//     nothing can be split, the rows LinkedIn sent are kept and the call
//     returns a *TruncatedError naming the slices.
//   - Fewest requests: the first metric group sizes the slices, and the
//     other groups are asked only for slices the first group found
//     complete, so a report costs about one request more than
//     ceil(rows / 15,000) × ceil(metrics / 18). If a later group reaches
//     the cap where the first did not (it has more rows), the rows already
//     fetched are kept, only that group and the ones after it are asked
//     again on the split slice, and that group leads from then on.
//   - Long facet lists are sent whole and left to the query tunneling
//     layer of the transport stack (transport.NewClient and Wrap always
//     include it): a query over 4,000 characters goes as a POST with
//     X-HTTP-Method-Override: GET, which LinkedIn documents for
//     adAnalytics. Batching the list instead would be exact only when the
//     pivots partition the facet, would multiply the requests by the
//     number of batches, and would change nothing for the rows. With a
//     bare *http.Client, a long list gets LinkedIn's 414.
//
// # Requests
//
// Every request goes through the caller's *restli.Client, so the retry,
// rate limit, quota and circuit breaker layers of its stack apply to each
// one. At most WithConcurrency requests (DefaultConcurrency by default)
// are in flight at once. Cancelling the context stops the report: requests
// in flight are cancelled, no new one is sent, and every goroutine has
// ended when Run returns (or the Stream loop ends).
//
// # Results
//
// Run returns Rows (the common metrics typed, every other one raw in
// Other); RunAs decodes each row into the caller's own type from
// LinkedIn's JSON shape. Stream and StreamAs hand rows over as they come,
// holding no more than one slice per worker, and WriteCSV writes a report
// as CSV with empty cells for absent metrics.
package adanalytics
