// Runnable examples of the codec.

package restli_test

import (
	"errors"
	"fmt"

	"github.com/linkedin-go/linkedin/restli"
)

func ExampleEncode() {
	key := map[string]any{
		"member":  "urn:li:person:x y",
		"account": "urn:li:sponsoredAccount:9",
	}
	q, _ := restli.Encode(key)        // in a query parameter
	p, _ := restli.EncodePathKey(key) // in the URL path
	r, _ := restli.ReducedEncode(key) // in X-RestLi-Id or a batch body
	fmt.Println(q)
	fmt.Println(p)
	fmt.Println(r)

	s, _ := restli.Encode([]any{"", "50% off & more", 42, true})
	fmt.Println(s)

	_, err := restli.Encode(map[string]any{"ids": []any{"a", nil}})
	fmt.Println(err, errors.Is(err, restli.ErrNilValue))
	// Output:
	// (account:urn%3Ali%3AsponsoredAccount%3A9,member:urn%3Ali%3Aperson%3Ax%20y)
	// (account:urn%3Ali%3AsponsoredAccount%3A9,member:urn%3Ali%3Aperson%3Ax%20y)
	// (account:urn%3Ali%3AsponsoredAccount%3A9,member:urn%3Ali%3Aperson%3Ax y)
	// List('',50%25%20off%20%26%20more,42,true)
	// restli: cannot encode value at ids[1]: nil value true
}

func ExampleParamEncode() {
	qs, err := restli.ParamEncode(map[string]any{
		"q": "search",
		"search": map[string]any{
			"status":    map[string]any{"values": []any{"ACTIVE", "DRAFT"}},
			"reference": map[string]any{"values": []any{"urn:li:organization:42"}},
		},
		"fields": "id,name,owner:(id)", // projections keep their mask syntax
		"start":  0,
		"count":  10,
		"unset":  nil, // nil parameters are left out
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(qs)
	// Output:
	// count=10&fields=id,name,owner:(id)&q=search&search=(reference:(values:List(urn%3Ali%3Aorganization%3A42)),status:(values:List(ACTIVE,DRAFT)))&start=0
}

func ExampleDecode() {
	v, _ := restli.Decode("(ids:List(urn%3Ali%3Aperson%3A1,''),n:10)")
	m := v.(map[string]any)
	fmt.Printf("%q %q\n", m["ids"], m["n"])

	_, err := restli.Decode("(a:b,)")
	var de *restli.DecodeError
	if errors.As(err, &de) {
		fmt.Println(de.Offset, de.Reason)
	}
	// Output:
	// ["urn:li:person:1" ""] "10"
	// 5 expected a map key but found ')'
}
