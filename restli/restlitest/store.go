package restlitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/linkedin-go/linkedin/restli"
)

// Collection is the in-memory store of one resource path, such as
// "/adAccounts" or "/parents/1/children": entities keyed by their Rest.li
// key, kept in insertion order (the order GET_ALL and the default finder
// page through), plus an optional singleton for a simple resource such as
// "/me". It is safe for concurrent use.
//
// Keys are compared in canonical form: a simple key (a string, a number, a
// URN) by its text, a compound or complex key (a map or struct) by its
// reduced encoding without "$params". So the key 7, the path segment "7" and
// the batch id "7" are the same key, and so are a compound key written in a
// path, in ids=List(…) and in a batch request body.
//
// Entities are stored as JSON objects (map[string]any with numbers as
// json.Number); the methods that return them return deep copies.
type Collection struct {
	path string

	mu        sync.Mutex
	entries   map[string]*entry
	order     []string // canonical keys in insertion order
	nextID    int64
	gen       idGen // nil: numeric keys (ids.go)
	singleton map[string]any
}

type entry struct {
	key    any // decoded key: a string, or a map[string]any for compound keys
	entity map[string]any
}

func newCollection(path string) *Collection {
	return &Collection{path: path, entries: map[string]*entry{}}
}

// Path returns the collection's canonical resource path, e.g. "/adAccounts".
func (c *Collection) Path() string { return c.path }

// Seed stores entity under key, replacing any entity with the same key. A
// nil key sets the singleton of a simple resource. entity may be a map, a
// struct (by its json tags) or anything else that marshals to a JSON
// object. Seed panics if entity is not a JSON object or key cannot be a
// Rest.li key: it is meant for test setup, where that is a bug.
func (c *Collection) Seed(key any, entity any) {
	e, err := toObject(entity)
	if err != nil {
		panic("restlitest: Seed " + c.path + ": " + err.Error())
	}
	if key == nil {
		c.mu.Lock()
		c.singleton = e
		c.mu.Unlock()
		return
	}
	ck, dk, err := canonicalKey(key)
	if err != nil {
		panic("restlitest: Seed " + c.path + ": " + err.Error())
	}
	c.mu.Lock()
	c.put(ck, dk, e)
	c.mu.Unlock()
}

// Get returns a copy of the entity stored under key (nil for the singleton
// of a simple resource), and whether there is one.
func (c *Collection) Get(key any) (map[string]any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if key == nil {
		if c.singleton == nil {
			return nil, false
		}
		return deepCopy(c.singleton), true
	}
	ck, _, err := canonicalKey(key)
	if err != nil {
		return nil, false
	}
	e, ok := c.entries[ck]
	if !ok {
		return nil, false
	}
	return deepCopy(e.entity), true
}

// Delete removes the entity stored under key (the singleton for a nil key)
// and reports whether there was one.
func (c *Collection) Delete(key any) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if key == nil {
		had := c.singleton != nil
		c.singleton = nil
		return had
	}
	ck, _, err := canonicalKey(key)
	if err != nil {
		return false
	}
	return c.remove(ck)
}

// Len returns the number of keyed entities (the singleton is not counted).
func (c *Collection) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.order)
}

// All returns copies of the keyed entities in insertion order.
func (c *Collection) All() []map[string]any {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]map[string]any, len(c.order))
	for i, k := range c.order {
		out[i] = deepCopy(c.entries[k].entity)
	}
	return out
}

// Keys returns the keys in insertion order, decoded: a string for a simple
// key, a map[string]any of strings for a compound or complex key.
func (c *Collection) Keys() []any {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]any, len(c.order))
	for i, k := range c.order {
		out[i] = deepCopyValue(c.entries[k].key)
	}
	return out
}

// Clear removes every entity and the singleton, and restarts generated ids
// at 1.
func (c *Collection) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = map[string]*entry{}
	c.order = nil
	c.nextID = 0
	c.singleton = nil
}

// put stores e under the canonical key ck. c.mu is held.
func (c *Collection) put(ck string, dk any, e map[string]any) {
	if old, ok := c.entries[ck]; ok {
		old.entity = e
		return
	}
	c.entries[ck] = &entry{key: dk, entity: e}
	c.order = append(c.order, ck)
}

// remove deletes the canonical key ck. c.mu is held.
func (c *Collection) remove(ck string) bool {
	if _, ok := c.entries[ck]; !ok {
		return false
	}
	delete(c.entries, ck)
	if i := slices.Index(c.order, ck); i >= 0 {
		c.order = slices.Delete(c.order, i, i+1)
	}
	return true
}

// newID returns the next unused generated id for entity, and whether it
// is numeric (the default) rather than from the collection's generator.
// It reports "" when a generator gives no usable key in many tries. c.mu
// is held.
func (c *Collection) newID(entity map[string]any) (id string, numeric bool) {
	for range 1000 {
		c.nextID++
		if c.gen == nil {
			id = strconv.FormatInt(c.nextID, 10)
		} else {
			id = c.gen(c.nextID, entity)
		}
		if _, taken := c.entries[id]; !taken && id != "" {
			return id, c.gen == nil
		}
	}
	return "", false
}

// canonicalKey returns the canonical text of key (its Rest.li response key:
// a simple key's text, a compound or complex key's reduced encoding without
// "$params") and the key decoded as the server sees it (a string, or a
// map[string]any of decoded values without "$params").
func canonicalKey(key any) (string, any, error) {
	if key == nil {
		return "", nil, fmt.Errorf("nil key")
	}
	ck, err := restli.ResponseKey(key)
	if err != nil {
		return "", nil, fmt.Errorf("invalid key: %w", err)
	}
	if ck == "" {
		return "", nil, fmt.Errorf("empty key")
	}
	if isMapKey(key) {
		v, err := restli.ReducedDecode(ck)
		if err != nil {
			return "", nil, fmt.Errorf("invalid key: %w", err)
		}
		return ck, v, nil
	}
	return ck, ck, nil
}

// isMapKey reports whether key is a compound or complex key: anything that
// encodes as a Rest.li map. A simple key never does, since '(' in its text
// is always escaped.
func isMapKey(key any) bool {
	if _, ok := key.(string); ok {
		return false
	}
	s, err := restli.ReducedEncode(key)
	return err == nil && strings.HasPrefix(s, "(")
}

// toObject converts v to a JSON object with numbers as json.Number.
func toObject(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("entity cannot be marshalled to JSON: %w", err)
	}
	return decodeObject(b)
}

// decodeObject decodes a JSON object with numbers as json.Number.
func decodeObject(b []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("not a JSON object")
	}
	if dec.More() {
		return nil, fmt.Errorf("data after the JSON object")
	}
	if m == nil {
		return nil, fmt.Errorf("not a JSON object")
	}
	return m, nil
}

// decodeJSON decodes any JSON value with numbers as json.Number.
func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err == nil {
		return nil, fmt.Errorf("data after the JSON value")
	}
	return v, nil
}

func deepCopy(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = deepCopyValue(v)
	}
	return out
}

func deepCopyValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return deepCopy(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopyValue(e)
		}
		return out
	}
	return v
}
