// This file holds a JSON parser for untyped results: it turns a whole
// document into the values encoding/json with UseNumber gives an `any`
// (map[string]any, []any, string, json.Number, bool, nil), byte for byte
// the same, in a single pass and with exactly sized maps and slices. It is
// a fast path only: whenever a document is not plain valid JSON, or is
// deeper than encoding/json allows, it reports errJSONFallback and the
// caller decodes the same bytes with encoding/json, so that errors and
// edge cases stay encoding/json's.
//
// The document is copied once into a string, and strings and numbers
// without escapes are substrings of it, not copies of their own: a string
// kept from a result keeps the document's memory alive, as a substring
// keeps its string's; documents parsed this way are small.

package restli

import (
	"encoding/json"
	"errors"
	"sync"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// errJSONFallback tells the caller to decode with encoding/json.
var errJSONFallback = errors.New("restli: decode with encoding/json")

// jsonMaxDepth is encoding/json's nesting limit; deeper documents fall back
// so that the error is encoding/json's.
const jsonMaxDepth = 10000

// jsonParser parses one document. stack holds the values of the arrays
// and the keys and values of the objects being parsed, so that each is
// allocated once at its final size.
type jsonParser struct {
	data  string
	pos   int
	depth int
	stack []any
	keys  []string
}

// jsonStrPlain marks the bytes a string can hold without further work:
// not '"', not '\\', not a control character, and ASCII.
var jsonStrPlain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// jsonUnescape maps the letter of a one-letter escape to its byte.
var jsonUnescape = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

func (p *jsonParser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// value parses the value at p.pos (after whitespace).
func (p *jsonParser) value() (any, error) {
	p.skipSpace()
	if p.pos >= len(p.data) {
		return nil, errJSONFallback
	}
	switch c := p.data[p.pos]; c {
	case '{':
		return p.object()
	case '[':
		return p.array()
	case '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return s, nil
	case 't':
		return true, p.literal("true")
	case 'f':
		return false, p.literal("false")
	case 'n':
		return nil, p.literal("null")
	default:
		if c == '-' || '0' <= c && c <= '9' {
			return p.number()
		}
		return nil, errJSONFallback
	}
}

func (p *jsonParser) literal(word string) error {
	if len(p.data)-p.pos < len(word) || string(p.data[p.pos:p.pos+len(word)]) != word {
		return errJSONFallback
	}
	p.pos += len(word)
	return nil
}

// number parses a number per the JSON grammar into a json.Number.
func (p *jsonParser) numberSpan() (string, error) {
	d, start := p.data, p.pos
	i := start
	if d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && '1' <= d[i] && d[i] <= '9':
		for i++; i < len(d) && '0' <= d[i] && d[i] <= '9'; i++ {
		}
	default:
		return "", errJSONFallback
	}
	if i < len(d) && d[i] == '.' {
		i++
		if i >= len(d) || d[i] < '0' || d[i] > '9' {
			return "", errJSONFallback
		}
		for ; i < len(d) && '0' <= d[i] && d[i] <= '9'; i++ {
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if i >= len(d) || d[i] < '0' || d[i] > '9' {
			return "", errJSONFallback
		}
		for ; i < len(d) && '0' <= d[i] && d[i] <= '9'; i++ {
		}
	}
	p.pos = i
	return d[start:i], nil
}

// number parses a number as a json.Number.
func (p *jsonParser) number() (any, error) {
	s, err := p.numberSpan()
	if err != nil {
		return nil, err
	}
	if len(s) == 1 {
		return jsonDigits[s[0]-'0'], nil // paging's start, count and total, often
	}
	return json.Number(s), nil
}

// jsonDigits are the one-digit numbers, boxed once: a json.Number in an
// `any` cannot be changed, so every result can share them.
var jsonDigits = [10]any{json.Number("0"), json.Number("1"), json.Number("2"), json.Number("3"), json.Number("4"),
	json.Number("5"), json.Number("6"), json.Number("7"), json.Number("8"), json.Number("9")}

// jsonEmptyArray is the empty array, boxed once: an empty []any in an
// `any` cannot be changed (appending to it allocates), so every result can
// share it.
var jsonEmptyArray any = []any{}

// str parses a string, p.pos at its opening quote.
func (p *jsonParser) str() (string, error) {
	d := p.data
	start := p.pos + 1
	i := start
	for i < len(d) && jsonStrPlain[d[i]] {
		i++
	}
	if i < len(d) && d[i] == '"' {
		p.pos = i + 1
		return d[start:i], nil
	}
	return p.strSlow(start, i)
}

// strSlow finishes a string that holds escapes, non-ASCII text or an
// error, from i on, as encoding/json unquotes it: invalid UTF-8 and lone
// surrogates become U+FFFD.
func (p *jsonParser) strSlow(start, i int) (string, error) {
	d := p.data
	b := make([]byte, 0, i-start+16)
	b = append(b, d[start:i]...)
	for i < len(d) {
		c := d[i]
		switch {
		case c == '"':
			p.pos = i + 1
			return string(b), nil
		case c == '\\':
			if i+1 >= len(d) {
				return "", errJSONFallback
			}
			switch e := d[i+1]; e {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				b = append(b, jsonUnescape[e])
				i += 2
			case 'u':
				r, ok := jsonHex4(d, i+2)
				if !ok {
					return "", errJSONFallback
				}
				i += 6
				if utf16.IsSurrogate(r) {
					r2, ok2 := rune(-1), false
					if i+1 < len(d) && d[i] == '\\' && d[i+1] == 'u' {
						r2, ok2 = jsonHex4(d, i+2)
					}
					if dec := utf16.DecodeRune(r, r2); ok2 && dec != unicode.ReplacementChar {
						i += 6
						r = dec
					} else {
						r = unicode.ReplacementChar
					}
				}
				b = utf8.AppendRune(b, r)
			default:
				return "", errJSONFallback
			}
		case c < 0x20:
			return "", errJSONFallback
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, size := utf8.DecodeRuneInString(d[i:])
			if r == utf8.RuneError && size == 1 {
				b = utf8.AppendRune(b, unicode.ReplacementChar)
			} else {
				b = append(b, d[i:i+size]...)
			}
			i += size
		}
	}
	return "", errJSONFallback
}

func jsonHex4(d string, i int) (rune, bool) {
	if i+4 > len(d) {
		return 0, false
	}
	var r rune
	for _, c := range d[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// array parses an array, p.pos at '['.
func (p *jsonParser) array() (any, error) {
	if p.depth++; p.depth > jsonMaxDepth {
		return nil, errJSONFallback
	}
	p.pos++
	base := len(p.stack)
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		p.depth--
		return jsonEmptyArray, nil
	}
	for {
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		p.stack = append(p.stack, v)
		done, ok := p.endOrComma(']')
		if !ok {
			return nil, errJSONFallback
		}
		if done {
			break
		}
	}
	out := make([]any, len(p.stack)-base)
	copy(out, p.stack[base:])
	clear(p.stack[base:])
	p.stack = p.stack[:base]
	p.depth--
	return out, nil
}

// object parses an object, p.pos at '{'. A repeated key keeps its last
// value, as in encoding/json.
func (p *jsonParser) object() (any, error) {
	if p.depth++; p.depth > jsonMaxDepth {
		return nil, errJSONFallback
	}
	p.pos++
	base, kbase := len(p.stack), len(p.keys)
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		p.depth--
		return map[string]any{}, nil
	}
	for {
		k, err := p.key()
		if err != nil {
			return nil, err
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		p.keys = append(p.keys, k)
		p.stack = append(p.stack, v)
		done, ok := p.endOrComma('}')
		if !ok {
			return nil, errJSONFallback
		}
		if done {
			break
		}
	}
	keys, vals := p.keys[kbase:], p.stack[base:]
	m := make(map[string]any, len(keys))
	for i, k := range keys {
		m[k] = vals[i]
	}
	clear(vals)
	clear(keys)
	p.stack, p.keys = p.stack[:base], p.keys[:kbase]
	p.depth--
	return m, nil
}

// key parses an object key and its colon.
func (p *jsonParser) key() (string, error) {
	p.skipSpace()
	if p.pos >= len(p.data) || p.data[p.pos] != '"' {
		return "", errJSONFallback
	}
	k, err := p.str()
	if err != nil {
		return "", err
	}
	p.skipSpace()
	if p.pos >= len(p.data) || p.data[p.pos] != ':' {
		return "", errJSONFallback
	}
	p.pos++
	return k, nil
}

// endOrComma reads, after whitespace, the byte that follows a member of
// an array or object: close ends it (done), a comma goes on to the next
// member, anything else is not JSON (!ok).
func (p *jsonParser) endOrComma(close byte) (done, ok bool) {
	p.skipSpace()
	if p.pos >= len(p.data) {
		return false, false
	}
	c := p.data[p.pos]
	p.pos++
	return c == close, c == close || c == ','
}

// end reports whether only whitespace is left.
func (p *jsonParser) end() bool {
	p.skipSpace()
	return p.pos == len(p.data)
}

// parseJSONAny parses a whole document as encoding/json with UseNumber
// would decode it into an `any`, or reports errJSONFallback.
func parseJSONAny(data []byte) (any, error) {
	p := jsonParserGet(string(data))
	defer jsonParserPut(p)
	v, err := p.value()
	if err != nil || !p.end() {
		return nil, errJSONFallback
	}
	return v, nil
}

// jsonParserGet returns a pooled parser set to parse data.
func jsonParserGet(data string) *jsonParser {
	p := jsonParserPool.Get().(*jsonParser)
	p.data, p.pos, p.depth = data, 0, 0
	return p
}

// jsonParserPut drops every reference the parser holds (an error leaves
// values on the stacks) and returns it to the pool.
func jsonParserPut(p *jsonParser) {
	clear(p.stack[:cap(p.stack)])
	clear(p.keys[:cap(p.keys)])
	p.data, p.stack, p.keys = "", p.stack[:0], p.keys[:0]
	if cap(p.stack) <= jsonMaxPooled && cap(p.keys) <= jsonMaxPooled {
		jsonParserPool.Put(p)
	}
}

// jsonParserPool holds parsers with their stacks, so that a parse does not
// grow them again.
var jsonParserPool = sync.Pool{New: func() any {
	return &jsonParser{stack: make([]any, 0, 64), keys: make([]string, 0, 32)}
}}

// jsonMaxPooled bounds the stacks kept for reuse.
const jsonMaxPooled = 4096
