// This file holds the response types of the 14 methods.

package restli

import (
	"encoding/json"
	"net/http"
)

// Response is what every response carries: the HTTP status and headers.
// FinalURL and HTTPResponse (response_raw.go) reach the rest.
type Response struct {
	StatusCode int
	Header     http.Header

	raw *http.Response // see HTTPResponse
}

func responseOf(r *http.Response) Response {
	return Response{StatusCode: r.StatusCode, Header: r.Header, raw: r}
}

// Paging is a collection's paging metadata (Rest.li CollectionMetadata).
// Total is 0 when the server did not send it.
type Paging struct {
	Start int    `json:"start"`
	Count int    `json:"count"`
	Total int    `json:"total"`
	Links []Link `json:"links,omitempty"`
}

// Link is a paging link.
type Link struct {
	Rel  string `json:"rel"`
	Href string `json:"href"`
	Type string `json:"type"`
}

// GetResponse is the result of GET.
type GetResponse struct {
	Response
	// Entity is the entity, JSON numbers as json.Number.
	Entity map[string]any
}

// BatchGetResponse is the result of BATCH_GET. Map keys are response keys:
// use ResponseKey to find the entry of an id.
type BatchGetResponse struct {
	Response
	Results  map[string]map[string]any
	Statuses map[string]int
	Errors   map[string]*Error
}

// CollectionResponse is the result of GET_ALL and FINDER.
type CollectionResponse struct {
	Response
	Elements []map[string]any
	// Paging is nil when the server sent none.
	Paging *Paging
	// Metadata is the finder's metadata, if any. LinkedIn's cursor paging
	// puts nextPageToken here.
	Metadata map[string]any
}

// BatchFinderResponse is the result of BATCH_FINDER: one result per
// criterion, in request order.
type BatchFinderResponse struct {
	Response
	Results []BatchFinderCriteriaResult
}

// BatchFinderCriteriaResult is the result for one criterion of a batch
// finder. When IsError is set, Error says why and Elements is empty.
type BatchFinderCriteriaResult struct {
	Elements []map[string]any
	Paging   *Paging
	Metadata map[string]any
	Error    *Error
	IsError  bool
}

// CreateResponse is the result of CREATE.
type CreateResponse struct {
	Response
	// EntityID is the X-RestLi-Id header as sent.
	EntityID string
	// DecodedEntityID is EntityID decoded (see DecodeEntityID): a string for a
	// simple key, a map[string]any for a compound or complex key.
	DecodedEntityID any
	// Location is the Location header, if sent.
	Location string
	// Entity is the created entity when the server returns it.
	Entity map[string]any
}

// BatchCreateResponse is the result of BATCH_CREATE.
type BatchCreateResponse struct {
	Response
	// Elements has one status per created entity, in request order.
	Elements []CreateStatus
}

// CreateStatus is the outcome of one entity of a BATCH_CREATE.
type CreateStatus struct {
	Status int `json:"status"`
	// ID is the new key as sent (see BodyKey); DecodedID is it decoded.
	ID        string         `json:"id"`
	DecodedID any            `json:"-"`
	Location  string         `json:"location"`
	Error     *Error         `json:"error"`
	Entity    map[string]any `json:"entity"`
}

// UpdateResponse is the result of UPDATE and PARTIAL_UPDATE. Entity is set
// when the server returns the updated entity.
type UpdateResponse struct {
	Response
	Entity map[string]any
}

// KeyStatus is the outcome for one key of a batch update or delete.
type KeyStatus struct {
	Status int            `json:"status"`
	Entity map[string]any `json:"entity,omitempty"`
}

// BatchUpdateResponse is the result of BATCH_UPDATE and
// BATCH_PARTIAL_UPDATE, keyed by response key (see ResponseKey).
type BatchUpdateResponse struct {
	Response
	Results map[string]KeyStatus
	Errors  map[string]*Error
}

// BatchDeleteResponse is the result of BATCH_DELETE, keyed by response key
// (see ResponseKey). A per-key failure may appear in Results with a non-2xx
// status as well as in Errors.
type BatchDeleteResponse struct {
	Response
	Results map[string]KeyStatus
	Errors  map[string]*Error
}

// ActionResponse is the result of ACTION. Value is nil for a void action.
type ActionResponse struct {
	Response
	Value any
}

// UnmarshalJSON decodes a Rest.li ErrorResponse.
func (e *Error) UnmarshalJSON(b []byte) error {
	var r errorResponse
	if err := json.Unmarshal(b, &r); err != nil {
		return err
	}
	*e = *r.toError()
	return nil
}

// decodeUntyped decodes JSON with numbers as json.Number.
func decodeUntyped(b []byte) (any, error) {
	var v any
	err := unmarshalJSON(b, &v)
	return v, err
}
