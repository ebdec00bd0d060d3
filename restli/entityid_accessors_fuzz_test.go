package restli_test

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
)

// FuzzCreateStatusUnmarshal feeds batch-create elements, which come from
// the server, to CreateStatus.UnmarshalJSON and the id accessors. They must
// never panic; an id sent as a JSON integer must come back as the same
// int64 from IDInt64.
func FuzzCreateStatusUnmarshal(f *testing.F) {
	for _, s := range []string{
		`{"status":201,"id":5081203}`, `{"status":201,"id":"urn:li:share:7"}`, `{"id":-1}`, `{"id":1.5e3}`,
		`{"id":"(a:1,b:x)"}`, `{"id":null}`, `{"id":{}}`, `{"id":[1]}`, `{"id":true}`, `{"error":{"status":400}}`,
		`{"entity":{"n":1.50},"id":"x"}`, `{`, `[]`, `null`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		var s restli.CreateStatus
		if err := json.Unmarshal([]byte(data), &s); err != nil {
			return
		}
		if s.ID != "" {
			if d, err := restli.DecodeEntityID(s.ID); err == nil {
				s.DecodedID = d
			}
		}
		s.IDString()
		s.IDURN()
		s.IDKey()
		n, err := s.IDInt64()
		var probe struct {
			ID json.RawMessage `json:"id"`
		}
		if json.Unmarshal([]byte(data), &probe) == nil {
			if want, perr := strconv.ParseInt(string(probe.ID), 10, 64); perr == nil && (err != nil || n != want) {
				t.Fatalf("id %s: IDInt64 = %d, %v", probe.ID, n, err)
			}
		}
	})
}
