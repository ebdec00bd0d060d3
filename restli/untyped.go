package restli

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// untypedCollectionCall sends a GET_ALL or FINDER and decodes the page into
// untyped elements. A small page with a known length is read whole and
// parsed by parseJSONAny's parser, which is several times faster than
// encoding/json and gives the same values; anything that parser does not
// take (and every large or unsized page) is decoded by encoding/json, so
// results and errors are those of the typed path with T = any.
func untypedCollectionCall(ctx context.Context, c *Client, req Request) (*CollectionResponse, error) {
	resp, p, err := c.send(ctx, req)
	if err != nil {
		return nil, err
	}
	var w collectionWire[any]
	if !c.fastDecodable(resp) {
		if err := decodeCollection(c, resp, p, &w); err != nil {
			return nil, err
		}
		return untypedCollection(req, w.result(resp), nil)
	}
	body, err := readBody(resp, p)
	if err != nil {
		return nil, err
	}
	if els, paging, meta, ok := parseCollectionAny(body); ok {
		out, ok := objects(els)
		if !ok {
			return nil, errNotObjects(req)
		}
		return &CollectionResponse{Response: responseOf(resp), Elements: out, Paging: paging, Metadata: meta}, nil
	}
	if _, err := decodeJSONBytes(body, p, &w); err != nil {
		return nil, err
	}
	return untypedCollection(req, w.result(resp), nil)
}

// fastDecodable reports whether resp's body is read whole and parsed by
// the fast parser: its length is known and small.
func (c *Client) fastDecodable(resp *http.Response) bool {
	cl := resp.ContentLength
	return cl >= 0 && cl <= streamThreshold && cl <= c.maxResponseBytes
}

// readBody reads the whole body of a response that fastDecodable accepted
// into a buffer of its own, and closes it.
func readBody(resp *http.Response, p *prepared) ([]byte, error) {
	body := make([]byte, resp.ContentLength)
	_, err := io.ReadFull(newBodyReader(p.ctx, resp.Body, resp.ContentLength, false), body)
	drainClose(resp.Body)
	if err == nil {
		err = ctxErr(p.ctx)
	}
	if err != nil {
		return nil, &DecodeResponseError{Method: p.method, Resource: p.b.ResourcePath, Err: err}
	}
	return body, nil
}

// decodeAny decodes resp's body into an untyped value, as decodeJSON would
// into an `any`, through the fast parser when it can.
func (c *Client) decodeAny(resp *http.Response, p *prepared) (any, error) {
	var v any
	if !c.fastDecodable(resp) {
		_, err := c.decodeJSON(resp, p, &v)
		return v, err
	}
	body, err := readBody(resp, p)
	if err != nil {
		return nil, err
	}
	if v, err := parseJSONAny(body); err == nil {
		return v, nil
	}
	_, err = decodeJSONBytes(body, p, &v)
	return v, err
}

// parseCollectionAny parses a Rest.li CollectionResponse body as
// encoding/json decodes it into a collectionWire[any], with the metadata
// as rawToMap gives it. It reports false, and the caller decodes with
// encoding/json, for anything that is not a plain well-formed page: a
// repeated field, a field name matching "elements", "paging", "metadata"
// or a paging field only without regard to case, a value of the wrong
// type, or invalid JSON.
func parseCollectionAny(data []byte) (els []any, paging *Paging, meta map[string]any, ok bool) {
	p := jsonParserGet(data)
	defer jsonParserPut(p)
	p.skipSpace()
	if p.pos >= len(data) || data[p.pos] != '{' {
		return nil, nil, nil, false
	}
	p.pos++
	p.skipSpace()
	if p.pos < len(data) && data[p.pos] == '}' {
		p.pos++
		return nil, nil, nil, p.end()
	}
	var seen [3]bool
	for {
		k, err := p.key()
		if err != nil {
			return nil, nil, nil, false
		}
		field := jsonField(k, "elements", "paging", "metadata")
		if field == -2 || field >= 0 && seen[field] {
			return nil, nil, nil, false
		}
		switch field {
		case 0:
			v, err := p.value()
			if err != nil {
				return nil, nil, nil, false
			}
			switch x := v.(type) {
			case nil:
				els = nil
			case []any:
				els = x
			default:
				return nil, nil, nil, false
			}
		case 1:
			if paging, ok = p.paging(); !ok {
				return nil, nil, nil, false
			}
		default:
			v, err := p.value()
			if err != nil {
				return nil, nil, nil, false
			}
			if field == 2 {
				meta, _ = v.(map[string]any)
			}
		}
		if field >= 0 {
			seen[field] = true
		}
		done, ok := p.endOrComma('}')
		if !ok {
			return nil, nil, nil, false
		}
		if done {
			break
		}
	}
	if !p.end() {
		return nil, nil, nil, false
	}
	return els, paging, meta, true
}

// jsonField returns the index of the name k is, -1 if it is none of them,
// and -2 if it matches one only without regard to case (encoding/json
// would take it for that field; the caller falls back).
func jsonField(k string, names ...string) int {
	for i, n := range names {
		if k == n {
			return i
		}
	}
	for _, n := range names {
		if strings.EqualFold(k, n) {
			return -2
		}
	}
	return -1
}

// paging parses a paging value: null or an object with the Paging fields.
func (p *jsonParser) paging() (*Paging, bool) {
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == 'n' {
		return nil, p.literal("null") == nil
	}
	if p.pos >= len(p.data) || p.data[p.pos] != '{' {
		return nil, false
	}
	p.pos++
	pg := &Paging{}
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return pg, true
	}
	var seen [4]bool
	for {
		k, err := p.key()
		if err != nil {
			return nil, false
		}
		field := jsonField(k, "start", "count", "total", "links")
		if field == -2 || field >= 0 && seen[field] {
			return nil, false
		}
		v, err := p.value()
		if err != nil {
			return nil, false
		}
		switch field {
		case 0, 1, 2:
			if v != nil {
				n, ok := v.(json.Number)
				if !ok {
					return nil, false
				}
				i, err := strconv.ParseInt(string(n), 10, strconv.IntSize)
				if err != nil {
					return nil, false
				}
				switch field {
				case 0:
					pg.Start = int(i)
				case 1:
					pg.Count = int(i)
				default:
					pg.Total = int(i)
				}
			}
		case 3:
			links, ok := jsonLinks(v)
			if !ok {
				return nil, false
			}
			pg.Links = links
		}
		if field >= 0 {
			seen[field] = true
		}
		done, ok := p.endOrComma('}')
		if !ok {
			return nil, false
		}
		if done {
			return pg, true
		}
	}
}

// jsonLinks converts a parsed "links" value to []Link as encoding/json
// would decode it.
func jsonLinks(v any) ([]Link, bool) {
	switch x := v.(type) {
	case nil:
		return nil, true
	case []any:
		links := make([]Link, len(x))
		for i, e := range x {
			if e == nil {
				continue
			}
			m, ok := e.(map[string]any)
			if !ok {
				return nil, false
			}
			for k, fv := range m {
				field := jsonField(k, "rel", "href", "type")
				if field == -2 {
					return nil, false
				}
				if field < 0 || fv == nil {
					continue
				}
				s, ok := fv.(string)
				if !ok {
					return nil, false
				}
				switch field {
				case 0:
					links[i].Rel = s
				case 1:
					links[i].Href = s
				default:
					links[i].Type = s
				}
			}
		}
		return links, true
	}
	return nil, false
}
