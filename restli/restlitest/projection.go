package restlitest

import (
	"errors"
	"net/url"
	"strings"
)

// A mask is a parsed projection: which fields of a record to keep (and,
// per field, a mask for the value), or which to drop.
type mask struct {
	include map[string]*mask // field → sub-mask (nil: the whole value)
	exclude map[string]bool
}

const maxMaskDepth = 100

var errMask = errors.New("malformed projection")

// parseFieldsMask parses a Rest.li projection mask (protocol §4.6):
//
//	mask = item *( "," item )
//	item = name | "-" name | name ":(" mask ")" | ("start"|"count") ":" digits
//
// Names may be percent-encoded; "$*" stands for every entry of a map.
func parseFieldsMask(s string) (*mask, error) {
	p := maskParser{s: s}
	m, err := p.fieldsMask(0)
	if err != nil {
		return nil, err
	}
	if p.i != len(s) {
		return nil, errMask
	}
	return m, nil
}

type maskParser struct {
	s string
	i int
}

func (p *maskParser) name() (string, error) {
	start := p.i
	for p.i < len(p.s) && !strings.ContainsRune(",:()~*", rune(p.s[p.i])) {
		p.i++
	}
	raw := p.s[start:p.i]
	if raw == "" {
		return "", errMask
	}
	n, err := url.PathUnescape(raw)
	if err != nil {
		return "", errMask
	}
	return n, nil
}

func (p *maskParser) fieldsMask(depth int) (*mask, error) {
	if depth > maxMaskDepth {
		return nil, errMask
	}
	m := &mask{}
	for {
		neg := false
		if p.i < len(p.s) && p.s[p.i] == '-' {
			neg = true
			p.i++
		}
		// "$*" contains '*', which name() stops at; read it here.
		var name string
		if strings.HasPrefix(p.s[p.i:], "$*") {
			name = "$*"
			p.i += 2
		} else {
			var err error
			if name, err = p.name(); err != nil {
				return nil, err
			}
		}
		var sub *mask
		if p.i < len(p.s) && p.s[p.i] == ':' {
			p.i++
			if p.i < len(p.s) && p.s[p.i] == '(' {
				p.i++
				var err error
				if sub, err = p.fieldsMask(depth + 1); err != nil {
					return nil, err
				}
				if p.i >= len(p.s) || p.s[p.i] != ')' {
					return nil, errMask
				}
				p.i++
			} else {
				// start:N / count:N paging of an array field: accepted, ignored.
				start := p.i
				for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
					p.i++
				}
				if p.i == start {
					return nil, errMask
				}
				name = ""
			}
		}
		if name != "" {
			if neg {
				if m.exclude == nil {
					m.exclude = map[string]bool{}
				}
				m.exclude[name] = true
			} else {
				if m.include == nil {
					m.include = map[string]*mask{}
				}
				m.include[name] = sub
			}
		}
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		return m, nil
	}
}

// parseDecorationMask parses LinkedIn's projection parameter:
//
//	projection = "(" item *( "," item ) ")"
//	item       = name [ "~" | "*" ] [ projection ]
//
// "name~" (a decorated field) keeps the field and its "name~" companion.
func parseDecorationMask(s string) (*mask, error) {
	p := maskParser{s: s}
	m, err := p.decoration(0)
	if err != nil {
		return nil, err
	}
	if p.i != len(s) {
		return nil, errMask
	}
	return m, nil
}

func (p *maskParser) decoration(depth int) (*mask, error) {
	if depth > maxMaskDepth || p.i >= len(p.s) || p.s[p.i] != '(' {
		return nil, errMask
	}
	p.i++
	m := &mask{include: map[string]*mask{}}
	for {
		name, err := p.name()
		if err != nil {
			return nil, err
		}
		decorated := false
		for p.i < len(p.s) && (p.s[p.i] == '~' || p.s[p.i] == '*') {
			decorated = decorated || p.s[p.i] == '~'
			p.i++
		}
		var sub *mask
		if p.i < len(p.s) && p.s[p.i] == '(' {
			if sub, err = p.decoration(depth + 1); err != nil {
				return nil, err
			}
		}
		m.include[name] = sub
		if decorated {
			m.include[name+"~"] = sub
		}
		if p.i >= len(p.s) {
			return nil, errMask
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case ')':
			p.i++
			return m, nil
		default:
			return nil, errMask
		}
	}
}

// apply returns the projection of entity. entity is not modified.
func (m *mask) apply(entity map[string]any) map[string]any {
	if m == nil {
		return entity
	}
	out := make(map[string]any, len(entity))
	for k, v := range entity {
		if m.exclude[k] {
			continue
		}
		if m.include != nil {
			sub, ok := m.include[k]
			if !ok {
				sub, ok = m.include["$*"]
			}
			if !ok {
				continue
			}
			v = sub.applyValue(v)
		}
		out[k] = v
	}
	return out
}

func (m *mask) applyValue(v any) any {
	if m == nil {
		return v
	}
	switch x := v.(type) {
	case map[string]any:
		return m.apply(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = m.applyValue(e)
		}
		return out
	}
	return v
}

// projection is the combined projection of a request: its fields mask and
// its LinkedIn projection, either of which may be absent.
type projection struct {
	fields, decoration *mask
}

func (p projection) entity(e map[string]any) map[string]any {
	return p.decoration.apply(p.fields.apply(e))
}

// element projects an element of a collection response: a LinkedIn
// projection of the form (elements*(…)) addresses the whole response, so
// its elements sub-mask is what applies to each element.
func (p projection) element(e map[string]any) map[string]any {
	d := p.decoration
	if d != nil && len(d.include) == 1 {
		if sub, ok := d.include["elements"]; ok {
			d = sub
		}
	}
	return d.apply(p.fields.apply(e))
}

// projectionOf parses the projection parameters of params.
func projectionOf(params map[string]any) (projection, *Error) {
	var p projection
	if s, ok := params["fields"].(string); ok && s != "" {
		m, err := parseFieldsMask(s)
		if err != nil {
			return p, badRequest(CodeIllegalArgument, "malformed fields projection")
		}
		p.fields = m
	}
	if s, ok := params["projection"].(string); ok && s != "" {
		m, err := parseDecorationMask(s)
		if err != nil {
			return p, badRequest(CodeIllegalArgument, "malformed projection")
		}
		p.decoration = m
	}
	return p, nil
}
