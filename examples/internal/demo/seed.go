package demo

import (
	"fmt"
	"slices"

	"github.com/linkedin-go/linkedin/restli/restlitest"
)

// seed stores the sample data in srv and registers the finders LinkedIn
// has and the examples use.
func seed(srv *restlitest.Server) {
	member := "urn:li:person:" + MemberID
	srv.Seed("/me", nil, map[string]any{
		"id":                 MemberID,
		"localizedFirstName": "Ada",
		"localizedLastName":  "Lovelace",
		"localizedHeadline":  "Analyst at Analytical Engines",
		"vanityName":         "ada-lovelace",
		"firstName":          localized("Ada"),
		"lastName":           localized("Lovelace"),
	})
	// The members who can sign in (the OAuth examples): tokens issued to
	// them answer /v2/userinfo and /v2/me for them; the default token,
	// which belongs to no member, gets the profile seeded below.
	srv.AddMember(restlitest.Member{ID: MemberID, GivenName: "Ada", FamilyName: "Lovelace",
		Email: "ada@example.com", EmailVerified: true, Language: "en", Country: "GB"})
	srv.AddMember(restlitest.Member{ID: "g7Hop2Pr35", GivenName: "Grace", FamilyName: "Hopper",
		Email: "grace@example.com", EmailVerified: true})
	srv.Seed("/userinfo", nil, map[string]any{
		"sub":            MemberID,
		"name":           "Ada Lovelace",
		"given_name":     "Ada",
		"family_name":    "Lovelace",
		"email":          "ada@example.com",
		"email_verified": true,
		"locale":         map[string]any{"country": "GB", "language": "en"},
	})

	accounts := []struct {
		id                                int64
		name, status, currency, reference string
	}{
		{507404993, "Analytical Engines - Brand", "ACTIVE", "USD", Organization},
		{507404994, "Analytical Engines - Recruiting", "ACTIVE", "USD", Organization},
		{507404995, "Analytical Engines - EMEA", "ACTIVE", "EUR", Organization},
		{507404996, "Analytical Engines - Spring Launch", "DRAFT", "USD", Organization},
		{507404997, "Analytical Engines - 2025 Archive", "CANCELED", "USD", Organization},
		{507404998, "Ada Lovelace - Talks", "ACTIVE", "GBP", member},
	}
	for _, a := range accounts {
		srv.Seed("/adAccounts", a.id, map[string]any{
			"id": a.id, "name": a.name, "status": a.status, "currency": a.currency,
			"reference": a.reference, "type": "BUSINESS", "test": true,
		})
	}
	// Since LinkedIn-Version 202401 the adAccounts search finder pages with a
	// cursor (pageSize, pageToken → metadata.nextPageToken).
	srv.HandleCursorFinder("/adAccounts", "search", search)

	groups := []struct {
		offset       int64
		name, status string
		budget       string
	}{
		{0, "Q1 Brand Awareness", "ACTIVE", "5000"},
		{3, "Q1 Hiring Push", "ACTIVE", "2500"},
		{42, "EMEA Webinar Series", "PAUSED", "1200"},
		{256, "Spring Launch", "DRAFT", "8000"},
		{499, "Evergreen Retargeting", "ACTIVE", "900"},
	}
	for _, g := range groups {
		id := FirstCampaignGroupID + g.offset
		srv.Seed("/adCampaignGroups", id, map[string]any{
			"id": id, "name": g.name, "status": g.status,
			"account":     "urn:li:sponsoredAccount:507404993",
			"totalBudget": map[string]any{"amount": g.budget, "currencyCode": "USD"},
		})
	}

	posts := []struct{ id, text string }{
		{"urn:li:share:7160000000000000001", "Notes on the Analytical Engine, part 1."},
		{"urn:li:share:7160000000000000002", "We are hiring engineers who like punched cards."},
	}
	for _, p := range posts {
		srv.Seed("/posts", p.id, map[string]any{
			"id": p.id, "author": member, "commentary": p.text,
			"visibility": "PUBLIC", "lifecycleState": "PUBLISHED",
			"distribution": map[string]any{"feedDistribution": "MAIN_FEED"},
		})
	}
	courses := []struct {
		id    int
		title string
	}{
		{2813206, "Learning Go"},
		{3013412, "OAuth 2.0 Essentials"},
		{2850110, "Designing RESTful APIs"},
	}
	for _, c := range courses {
		urn := fmt.Sprintf("urn:li:lyndaCourse:%d", c.id)
		srv.Seed("/learningAssets", urn, map[string]any{
			"urn": urn, "type": "COURSE",
			"title": map[string]any{"value": c.title, "locale": map[string]any{"language": "en", "country": "US"}},
		})
	}
	// LinkedIn Learning, an API for application (2-legged) tokens:
	// GET /v2/learningAssets?q=localeAndType&assetType=COURSE&sourceLocale.language=en…
	srv.HandleFinder("/learningAssets", "localeAndType", func(r *restlitest.Request, c *restlitest.Collection) ([]map[string]any, error) {
		var out []map[string]any
		for _, a := range c.All() {
			if a["type"] == r.Param("assetType") {
				out = append(out, a)
			}
		}
		return out, nil
	})

	// GET /rest/posts?q=author&author=urn%3Ali%3Aperson%3A…
	srv.HandleFinder("/posts", "author", func(r *restlitest.Request, c *restlitest.Collection) ([]map[string]any, error) {
		var out []map[string]any
		for _, p := range c.All() {
			if p["author"] == r.Param("author") {
				out = append(out, p)
			}
		}
		return out, nil
	})
}

// search is the adAccounts search finder: search=(status:(values:List(…)),
// reference:(values:List(…)),test:true,…). A criterion is a field with a
// list of accepted values, or a field with one value.
func search(r *restlitest.Request, c *restlitest.Collection) ([]map[string]any, error) {
	criteria, _ := r.Param("search").(map[string]any)
	var out []map[string]any
	for _, account := range c.All() {
		if matches(account, criteria) {
			out = append(out, account)
		}
	}
	return out, nil
}

func matches(entity, criteria map[string]any) bool {
	for field, want := range criteria {
		got := fmt.Sprint(entity[field])
		switch want := want.(type) {
		case map[string]any:
			values, _ := want["values"].([]any)
			if !slices.Contains(values, any(got)) {
				return false
			}
		default:
			if got != fmt.Sprint(want) {
				return false
			}
		}
	}
	return true
}

func localized(s string) map[string]any {
	return map[string]any{
		"localized":       map[string]any{"en_GB": s},
		"preferredLocale": map[string]any{"country": "GB", "language": "en"},
	}
}
