// This file holds the Client's 14 methods, one per Rest.li method.

package restli

import (
	"context"
)

// The 14 Rest.li methods. Each validates and builds the request (see
// NewHTTPRequest), sends it with the client's http.Client and decodes the
// answer. A non-2xx answer is an *Error, a failure to get an answer a
// *TransportError, invalid input a *ValidationError.

// Each untyped method is a thin wrapper over its typed twin (typed.go),
// with T = any or map[string]any, and converts the result (untyped.go), so
// every answer is decoded by one function, Client.decodeJSON.

// Get reads one entity.
func (c *Client) Get(ctx context.Context, req GetRequest) (*GetResponse, error) {
	r, err := GetAs[any](ctx, c, req)
	if err != nil {
		return nil, err
	}
	m, ok := asObject(r.Entity)
	if !ok {
		return nil, &ResponseBodyError{Method: MethodGet, Resource: req.ResourcePath, Err: errNotObject}
	}
	return &GetResponse{Response: r.Response, Entity: m}, nil
}

// BatchGet reads several entities by key.
func (c *Client) BatchGet(ctx context.Context, req BatchGetRequest) (*BatchGetResponse, error) {
	r, err := BatchGetAs[map[string]any](ctx, c, req)
	if err != nil {
		return nil, err
	}
	return &BatchGetResponse{Response: r.Response, Results: r.Results, Statuses: r.Statuses, Errors: r.Errors}, nil
}

// GetAll reads a page of a whole collection.
func (c *Client) GetAll(ctx context.Context, req GetAllRequest) (*CollectionResponse, error) {
	r, err := GetAllAs[any](ctx, c, req)
	return untypedCollection(req, r, err)
}

// Finder runs a finder and returns one page of results.
func (c *Client) Finder(ctx context.Context, req FinderRequest) (*CollectionResponse, error) {
	r, err := FinderAs[any](ctx, c, req)
	return untypedCollection(req, r, err)
}

// BatchFinder runs a batch finder: one result group per criterion.
func (c *Client) BatchFinder(ctx context.Context, req BatchFinderRequest) (*BatchFinderResponse, error) {
	r, err := BatchFinderAs[map[string]any](ctx, c, req)
	if err != nil {
		return nil, err
	}
	out := &BatchFinderResponse{Response: r.Response, Results: make([]BatchFinderCriteriaResult, len(r.Results))}
	for i, x := range r.Results {
		out.Results[i] = BatchFinderCriteriaResult{
			Elements: x.Elements, Paging: x.Paging, Metadata: rawToMap(x.Metadata),
			Error: x.Error, IsError: x.IsError || x.Error != nil,
		}
	}
	return out, nil
}

// Create creates an entity. The new key is in EntityID and DecodedEntityID.
func (c *Client) Create(ctx context.Context, req CreateRequest) (*CreateResponse, error) {
	r, err := CreateAs[map[string]any](ctx, c, req)
	if err != nil {
		return nil, err
	}
	out := &CreateResponse{Response: r.Response, EntityID: r.EntityID, DecodedEntityID: r.DecodedEntityID, Location: r.Location}
	if r.Entity != nil {
		out.Entity = *r.Entity
	}
	return out, nil
}

// BatchCreate creates several entities.
func (c *Client) BatchCreate(ctx context.Context, req BatchCreateRequest) (*BatchCreateResponse, error) {
	resp, p, err := c.send(ctx, req)
	if err != nil {
		return nil, err
	}
	var w struct {
		Elements []CreateStatus `json:"elements"`
	}
	if _, err := c.decodeJSON(resp, p, &w); err != nil {
		return nil, err
	}
	for i := range w.Elements {
		if id := w.Elements[i].ID; id != "" {
			if d, err := DecodeEntityID(id); err == nil {
				w.Elements[i].DecodedID = d
			} else {
				w.Elements[i].DecodedID = id
			}
		}
	}
	return &BatchCreateResponse{Response: responseOf(resp), Elements: w.Elements}, nil
}

func (c *Client) update(ctx context.Context, req Request) (*UpdateResponse, error) {
	resp, p, err := c.send(ctx, req)
	if err != nil {
		return nil, err
	}
	out := &UpdateResponse{Response: responseOf(resp)}
	if _, err := c.decodeJSON(resp, p, &out.Entity); err != nil {
		return nil, err
	}
	return out, nil
}

// Update replaces an entity.
func (c *Client) Update(ctx context.Context, req UpdateRequest) (*UpdateResponse, error) {
	return c.update(ctx, req)
}

// PartialUpdate patches an entity.
func (c *Client) PartialUpdate(ctx context.Context, req PartialUpdateRequest) (*UpdateResponse, error) {
	return c.update(ctx, req)
}

type batchStatusWire struct {
	Results map[string]KeyStatus `json:"results"`
	Errors  map[string]*Error    `json:"errors"`
}

func (c *Client) batchStatus(ctx context.Context, req Request) (Response, *batchStatusWire, error) {
	resp, p, err := c.send(ctx, req)
	if err != nil {
		return Response{}, nil, err
	}
	var w batchStatusWire
	if _, err := c.decodeJSON(resp, p, &w); err != nil {
		return Response{}, nil, err
	}
	return responseOf(resp), &w, nil
}

// BatchUpdate replaces several entities.
func (c *Client) BatchUpdate(ctx context.Context, req BatchUpdateRequest) (*BatchUpdateResponse, error) {
	r, w, err := c.batchStatus(ctx, req)
	if err != nil {
		return nil, err
	}
	return &BatchUpdateResponse{Response: r, Results: w.Results, Errors: w.Errors}, nil
}

// BatchPartialUpdate patches several entities.
func (c *Client) BatchPartialUpdate(ctx context.Context, req BatchPartialUpdateRequest) (*BatchUpdateResponse, error) {
	r, w, err := c.batchStatus(ctx, req)
	if err != nil {
		return nil, err
	}
	return &BatchUpdateResponse{Response: r, Results: w.Results, Errors: w.Errors}, nil
}

// Delete deletes an entity.
func (c *Client) Delete(ctx context.Context, req DeleteRequest) (*Response, error) {
	resp, _, err := c.send(ctx, req)
	if err != nil {
		return nil, err
	}
	DrainAndClose(resp.Body)
	r := responseOf(resp)
	return &r, nil
}

// BatchDelete deletes several entities.
func (c *Client) BatchDelete(ctx context.Context, req BatchDeleteRequest) (*BatchDeleteResponse, error) {
	r, w, err := c.batchStatus(ctx, req)
	if err != nil {
		return nil, err
	}
	return &BatchDeleteResponse{Response: r, Results: w.Results, Errors: w.Errors}, nil
}

// Action calls an action and returns its value.
func (c *Client) Action(ctx context.Context, req ActionRequest) (*ActionResponse, error) {
	r, err := ActionAs[any](ctx, c, req)
	if err != nil {
		return nil, err
	}
	return &ActionResponse{Response: r.Response, Value: r.Value}, nil
}
