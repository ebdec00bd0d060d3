package restli

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
)

// EntityIDError reports that a created entity's key is not of the kind an
// accessor such as CreateResponse.EntityIDInt64 asked for. It does not hold
// the key, which may identify a member.
type EntityIDError struct {
	// Want is the kind asked for: "string", "int64", "URN" or "compound key".
	Want string
	// Reason says what the key is instead, e.g. "the server sent no id".
	Reason string
	// Err is the underlying cause (a *strconv.NumError, a *URNError), if any.
	Err error
}

// Error says what was asked for and why the key is not that.
func (e *EntityIDError) Error() string {
	s := "restli: entity id is not a " + e.Want + ": " + e.Reason
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns Err.
func (e *EntityIDError) Unwrap() error { return e.Err }

// ErrorType returns "restli.EntityIDError".
func (e *EntityIDError) ErrorType() string { return "restli.EntityIDError" }

// EntityIDString returns the new key as a string: a simple key, as
// DecodeEntityID decodes it. A compound key or a missing id is an
// *EntityIDError.
func (r *CreateResponse) EntityIDString() (string, error) {
	return entityIDString(r.DecodedEntityID)
}

// EntityIDInt64 returns the new key as an int64 (a numeric simple key such
// as an ad account id). Anything else is an *EntityIDError.
func (r *CreateResponse) EntityIDInt64() (int64, error) { return entityIDInt64(r.DecodedEntityID) }

// EntityIDURN returns the new key as a URN (LinkedIn's posts answer
// urn:li:share:… or urn:li:ugcPost:…). Anything else is an *EntityIDError
// wrapping the *URNError.
func (r *CreateResponse) EntityIDURN() (URN, error) { return entityIDURN(r.DecodedEntityID) }

// EntityIDKey returns a compound or complex key as the map DecodeEntityID
// gives (values are strings, lists []any, maps map[string]any). A simple
// key or a missing id is an *EntityIDError.
func (r *CreateResponse) EntityIDKey() (map[string]any, error) {
	return entityIDKey(r.DecodedEntityID)
}

// EntityIDString is CreateResponse.EntityIDString for a typed CREATE.
func (r *CreateResult[T]) EntityIDString() (string, error) {
	return entityIDString(r.DecodedEntityID)
}

// EntityIDInt64 is CreateResponse.EntityIDInt64 for a typed CREATE.
func (r *CreateResult[T]) EntityIDInt64() (int64, error) { return entityIDInt64(r.DecodedEntityID) }

// EntityIDURN is CreateResponse.EntityIDURN for a typed CREATE.
func (r *CreateResult[T]) EntityIDURN() (URN, error) { return entityIDURN(r.DecodedEntityID) }

// EntityIDKey is CreateResponse.EntityIDKey for a typed CREATE.
func (r *CreateResult[T]) EntityIDKey() (map[string]any, error) {
	return entityIDKey(r.DecodedEntityID)
}

// IDString is CreateResponse.EntityIDString for one entity of a
// BATCH_CREATE.
func (s *CreateStatus) IDString() (string, error) { return entityIDString(s.DecodedID) }

// IDInt64 is CreateResponse.EntityIDInt64 for one entity of a BATCH_CREATE.
func (s *CreateStatus) IDInt64() (int64, error) { return entityIDInt64(s.DecodedID) }

// IDURN is CreateResponse.EntityIDURN for one entity of a BATCH_CREATE.
func (s *CreateStatus) IDURN() (URN, error) { return entityIDURN(s.DecodedID) }

// IDKey is CreateResponse.EntityIDKey for one entity of a BATCH_CREATE.
func (s *CreateStatus) IDKey() (map[string]any, error) { return entityIDKey(s.DecodedID) }

func entityIDString(d any) (string, error) {
	switch v := d.(type) {
	case string:
		return v, nil
	case nil:
		return "", &EntityIDError{Want: "string", Reason: "the server sent no id"}
	}
	return "", &EntityIDError{Want: "string", Reason: "it is a compound or complex key"}
}

func entityIDInt64(d any) (int64, error) {
	s, err := entityIDString(d)
	if err != nil {
		err.(*EntityIDError).Want = "int64"
		return 0, err
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) {
			ne.Num = "" // the key may identify a member: keep it out of the text
			err = ne.Err
		}
		return 0, &EntityIDError{Want: "int64", Reason: "it is not a decimal integer in range", Err: err}
	}
	return n, nil
}

func entityIDURN(d any) (URN, error) {
	s, err := entityIDString(d)
	if err != nil {
		err.(*EntityIDError).Want = "URN"
		return URN{}, err
	}
	u, err := ParseURN(s)
	if err != nil {
		return URN{}, &EntityIDError{Want: "URN", Reason: "it does not parse", Err: err}
	}
	return u, nil
}

func entityIDKey(d any) (map[string]any, error) {
	switch v := d.(type) {
	case map[string]any:
		return v, nil
	case nil:
		return nil, &EntityIDError{Want: "compound key", Reason: "the server sent no id"}
	}
	return nil, &EntityIDError{Want: "compound key", Reason: "it is a simple key"}
}

// UnmarshalJSON decodes one element of a BATCH_CREATE answer. The "id" may
// be a JSON string (the Rest.li form) or a JSON number (LinkedIn sends
// numeric keys that way too); a number is kept as its text, as the
// X-RestLi-Id header would carry it. Entity numbers stay json.Number.
func (s *CreateStatus) UnmarshalJSON(b []byte) error {
	type plain CreateStatus // no UnmarshalJSON: no recursion
	var w struct {
		plain
		ID json.RawMessage `json:"id"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&w); err != nil {
		return err
	}
	*s = CreateStatus(w.plain)
	s.ID = ""
	switch id := bytes.TrimSpace(w.ID); {
	case len(id) == 0 || string(id) == "null":
	case id[0] == '"':
		if err := json.Unmarshal(id, &s.ID); err != nil {
			return err
		}
	case id[0] == '-' || '0' <= id[0] && id[0] <= '9':
		s.ID = string(id) // json.Decoder has checked it is a valid number
	default:
		return errors.New("restli: batch-create id is neither a string nor a number")
	}
	return nil
}
