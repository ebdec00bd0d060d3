// Runnable examples of URNs and patches.

package restli_test

import (
	"encoding/json"
	"fmt"

	"github.com/linkedin-go/linkedin/restli"
)

func ExampleParseURN() {
	u, err := restli.ParseURN("urn:li:endorsement:(urn:li:person:2qXA98-mVk,65761962366)")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(u.Namespace, u.EntityType, u.ID)

	parts, _ := u.TupleParts()
	person, _ := restli.ParseURN(parts[0])
	fmt.Println(person.EntityType, person.ID, parts[1])

	_, err = restli.ParseURN("urn:li:endorsement:(urn:li:person:2qXA98-mVk,65761962366")
	fmt.Println(err)
	// Output:
	// li endorsement (urn:li:person:2qXA98-mVk,65761962366)
	// person 2qXA98-mVk 65761962366
	// restli: invalid URN: unbalanced parentheses: missing ')' (at byte 56)
}

func ExampleNewTupleURN() {
	person := restli.NewURN("li", "person", "2qXA98-mVk")
	endorsement := restli.NewTupleURN("li", "endorsement", person, 65761962366)
	fmt.Println(endorsement)

	// URNs marshal to their text, so they work as JSON values and map keys.
	data, _ := json.Marshal(map[restli.URN]restli.URN{endorsement: person})
	fmt.Println(string(data))
	// Output:
	// urn:li:endorsement:(urn:li:person:2qXA98-mVk,65761962366)
	// {"urn:li:endorsement:(urn:li:person:2qXA98-mVk,65761962366)":"urn:li:person:2qXA98-mVk"}
}

func ExampleDiffPatch() {
	type Address struct {
		Zip  string `json:"zip"`
		City string `json:"city"`
	}
	type Contact struct {
		Name    string  `json:"name"`
		Note    string  `json:"note,omitempty"`
		Address Address `json:"address"`
	}
	original := Contact{Name: "Old", Note: "n", Address: Address{Zip: "10001", City: "NYC"}}
	modified := Contact{Name: "New", Address: Address{Zip: "94086", City: "NYC"}}

	patch, err := restli.DiffPatch(original, modified)
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := json.Marshal(map[string]any{"patch": patch})
	fmt.Println(string(body))

	unchanged, _ := restli.DiffPatch(original, original)
	fmt.Println(unchanged.IsEmpty())
	// Output:
	// {"patch":{"$delete":["note"],"$set":{"name":"New"},"address":{"$set":{"zip":"94086"}}}}
	// true
}

func ExampleSetPatch() {
	patch, err := restli.SetPatch(map[string]any{"status": "PAUSED"})
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := json.Marshal(map[string]any{"patch": patch})
	fmt.Println(string(body))
	// Output:
	// {"patch":{"$set":{"status":"PAUSED"}}}
}
