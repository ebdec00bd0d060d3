// Runnable examples of the Client and its methods.

package restli_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/linkedin-go/linkedin/restli"
)

// fakeLinkedIn answers a few calls the way LinkedIn would.
func fakeLinkedIn() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.Header.Get("X-RestLi-Method") {
		case "finder":
			io.WriteString(w, `{"elements":[{"id":1,"name":"Ads A"},{"id":2,"name":"Ads B"}],"paging":{"start":0,"count":10,"total":2}}`)
		case "create":
			w.Header().Set("X-RestLi-Id", "urn:li:sponsoredAccount:3")
			w.WriteHeader(http.StatusCreated)
		case "get":
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"status":404,"message":"Not found"}`)
		}
	}))
}

func ExampleClient_Finder() {
	srv := fakeLinkedIn()
	defer srv.Close()

	c := restli.NewClient(srv.Client(), restli.WithBaseURL(srv.URL), restli.WithVersion("202601"))
	res, err := c.Finder(context.Background(), restli.FinderRequest{
		ResourcePath: "/adAccounts",
		FinderName:   "search",
		QueryParams: map[string]any{
			"search": map[string]any{"status": map[string]any{"values": []string{"ACTIVE"}}},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range res.Elements {
		fmt.Println(e["id"], e["name"])
	}
	fmt.Println("total:", res.Paging.Total)
	// Output:
	// 1 Ads A
	// 2 Ads B
	// total: 2
}

func ExampleFinderAs() {
	srv := fakeLinkedIn()
	defer srv.Close()

	type AdAccount struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}
	c := restli.NewClient(srv.Client(), restli.WithBaseURL(srv.URL))
	res, err := restli.FinderAs[AdAccount](context.Background(), c, restli.FinderRequest{ResourcePath: "/adAccounts", FinderName: "search"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%+v\n", res.Elements)
	// Output: [{ID:1 Name:Ads A} {ID:2 Name:Ads B}]
}

func ExamplePages() {
	srv := fakeLinkedIn()
	defer srv.Close()

	c := restli.NewClient(srv.Client(), restli.WithBaseURL(srv.URL))
	req := restli.FinderRequest{ResourcePath: "/adAccounts", FinderName: "search", QueryParams: map[string]any{"count": 10}}
	for account, err := range restli.Pages[map[string]any](context.Background(), c, req) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(account["name"])
	}
	// Output:
	// Ads A
	// Ads B
}

func ExampleClient_Create() {
	srv := fakeLinkedIn()
	defer srv.Close()

	c := restli.NewClient(srv.Client(), restli.WithBaseURL(srv.URL))
	res, err := c.Create(context.Background(), restli.CreateRequest{
		ResourcePath: "/adAccounts",
		Entity:       map[string]any{"name": "Ads C", "type": "BUSINESS"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.StatusCode, res.DecodedEntityID)
	// Output: 201 urn:li:sponsoredAccount:3
}

func ExampleError() {
	srv := fakeLinkedIn()
	defer srv.Close()

	c := restli.NewClient(srv.Client(), restli.WithBaseURL(srv.URL))
	_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 9}})
	var e *restli.Error
	if errors.As(err, &e) {
		fmt.Println(e.StatusCode, e.Message, restli.IsNotFound(err))
	}
	fmt.Println(err)
	// Output:
	// 404 Not found true
	// restli: GET /adAccounts/{id}: 404 Not Found: Not found
}

func ExampleNewHTTPRequest() {
	req, err := restli.NewHTTPRequest(context.Background(), restli.BatchGetRequest{
		ResourcePath: "/adAccounts",
		IDs:          []any{"urn:li:sponsoredAccount:1", "urn:li:sponsoredAccount:2"},
		Version:      "202601",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(req.Method, req.URL)
	fmt.Println(req.Header.Get("X-RestLi-Method"), req.Header.Get("X-RestLi-Protocol-Version"), req.Header.Get("LinkedIn-Version"))
	// Output:
	// GET https://api.linkedin.com/rest/adAccounts?ids=List(urn%3Ali%3AsponsoredAccount%3A1,urn%3Ali%3AsponsoredAccount%3A2)
	// batch_get 2.0.0 202601
}
