// This file holds URNs: parsing, formatting, tuple parts, and their text
// and JSON forms.

package restli

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// URNMaxLength is the longest text ParseURN accepts, in bytes. LinkedIn's
// URNs are at most 255 characters; the cap leaves room for nested tuples
// while bounding the work a hostile input can cause.
const URNMaxLength = 4096

// urnMaxDepth bounds tuple nesting (each level is a "(" or a nested URN).
// Real LinkedIn URNs nest two or three levels deep.
const urnMaxDepth = 32

// URN is a LinkedIn URN, urn:{Namespace}:{EntityType}:{ID}, such as
// urn:li:person:123 or urn:li:endorsement:(urn:li:person:2qXA98-mVk,65761962366).
//
// URN is comparable, so it can be a map key; two URNs are equal when their
// texts are equal. The zero URN means "no URN".
//
// A URN marshals to its text (MarshalText, MarshalJSON), so the Rest.li codec
// encodes it like the string it is: urn%3Ali%3Aperson%3A123 in a query or a
// path.
type URN struct {
	// Namespace is the namespace, "li" for LinkedIn.
	Namespace string
	// EntityType is the entity type, such as "person" or "sponsoredAccount".
	EntityType string
	// ID is the raw id text. For a tuple id it includes the parentheses,
	// e.g. "(urn:li:person:2qXA98-mVk,65761962366)"; see TupleParts.
	ID string
}

// NewURN returns the URN urn:{namespace}:{entityType}:{id}. It does not
// validate its arguments; MarshalText reports an invalid URN, and
// ParseURN(u.String()) checks one explicitly.
func NewURN(namespace, entityType, id string) URN {
	return URN{Namespace: namespace, EntityType: entityType, ID: id}
}

// NewTupleURN returns a URN whose id is the tuple of parts, such as
// urn:li:endorsement:(urn:li:person:2qXA98-mVk,65761962366). A part is
// normally a string, a URN (or another fmt.Stringer) or an integer; any part
// is written as fmt.Sprint writes it, verbatim. Like NewURN it does not
// validate: a part that is empty or holds a parenthesis makes an invalid URN,
// which MarshalText reports, and a part that holds a comma silently becomes
// two elements.
func NewTupleURN(namespace, entityType string, parts ...any) URN {
	var b strings.Builder
	b.WriteByte('(')
	for i, p := range parts {
		if i > 0 {
			b.WriteByte(',')
		}
		if s, ok := p.(string); ok {
			b.WriteString(s)
		} else {
			fmt.Fprint(&b, p) // uses String for a URN or other fmt.Stringer
		}
	}
	b.WriteByte(')')
	return URN{Namespace: namespace, EntityType: entityType, ID: b.String()}
}

// ParseURN parses s as urn:{namespace}:{entityType}:{id}.
//
// The prefix must be the lower-case "urn:" that LinkedIn uses and its
// reference Urn class requires; "URN:" is rejected rather than normalised, so
// that parsing and String give back the exact text and a URN has one spelling
// as a map key. Namespace and entity type must be non-empty and hold no ':',
// '(', ')', ',' or spaces.
//
// The id is everything after the third colon and must be non-empty. When it
// starts with '(' it is a tuple: elements separated by commas, each a nested
// URN, a nested tuple or plain text, none empty, with balanced parentheses
// and nothing after the closing one. Inside a tuple, commas and parentheses
// are structure, so plain text there (and the plain id of a nested URN) must
// not contain them, and an element that starts with "urn:" (in any case)
// must be a valid URN. Otherwise the id is opaque text (LinkedIn has ids such as
// /p/2/005/x.png).
//
// s must be valid UTF-8 without control characters and at most URNMaxLength
// bytes long. Errors are of type *URNError; they never contain s.
func ParseURN(s string) (URN, error) {
	if err := urnCheckText(s); err != nil {
		return URN{}, err
	}
	p := urnParser{s: s}
	u, _, err := p.urnAt(0, false, 0)
	if err != nil {
		return URN{}, err
	}
	return u, nil
}

// MustParseURN is like ParseURN but panics if s is not a valid URN. It is
// meant for constants in tests and examples.
func MustParseURN(s string) URN {
	u, err := ParseURN(s)
	if err != nil {
		panic(err)
	}
	return u
}

// String returns the URN's text, urn:{Namespace}:{EntityType}:{ID}, or "" for
// the zero URN.
func (u URN) String() string {
	if u.IsZero() {
		return ""
	}
	return "urn:" + u.Namespace + ":" + u.EntityType + ":" + u.ID
}

// IsZero reports whether u is the zero URN. It lets the json "omitzero" option
// leave out an unset URN field.
func (u URN) IsZero() bool { return u == URN{} }

// IsTuple reports whether the id has the tuple form, that is, starts with
// '('. It does not check that the tuple is well formed; TupleParts does.
func (u URN) IsTuple() bool { return strings.HasPrefix(u.ID, "(") }

// TupleParts returns the top-level elements of a tuple id, as text: for
// urn:li:endorsement:(urn:li:person:2qXA98-mVk,65761962366) it returns
// ["urn:li:person:2qXA98-mVk", "65761962366"]. Nested URNs and tuples are
// kept as text; pass them to ParseURN or split them further. It returns a
// *URNError if the id is not a tuple or the URN is invalid.
func (u URN) TupleParts() ([]string, error) {
	if !u.IsTuple() {
		return nil, &URNError{Reason: "id is not a tuple", Offset: len(u.String()) - len(u.ID)}
	}
	s := u.String()
	if err := urnCheckText(s); err != nil {
		return nil, err
	}
	p := urnParser{s: s, collect: true}
	if _, _, err := p.urnAt(0, false, 0); err != nil {
		return nil, err
	}
	return p.parts, nil
}

// MarshalText returns the URN's text, or an empty text for the zero URN. It
// returns a *URNError if u is not a valid URN, or if its text would parse as a
// different URN (an EntityType holding ':', say), so an invalid URN built
// with NewURN or a struct literal never reaches the wire.
func (u URN) MarshalText() ([]byte, error) {
	if u.IsZero() {
		return []byte{}, nil
	}
	s := u.String()
	v, err := ParseURN(s)
	if err != nil {
		return nil, err
	}
	if v != u {
		// Valid text that means another URN, e.g. EntityType "a:b".
		return nil, &URNError{Reason: "fields do not survive a round trip through the text", Offset: -1}
	}
	return []byte(s), nil
}

// UnmarshalText parses text with ParseURN. An empty text gives the zero URN,
// the counterpart of MarshalText.
func (u *URN) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*u = URN{}
		return nil
	}
	v, err := ParseURN(string(text))
	if err != nil {
		if ue, ok := err.(*URNError); ok {
			ue.decoded = true // see withURNField
		}
		return err
	}
	*u = v
	return nil
}

// MarshalJSON returns the URN as a JSON string ("" for the zero URN). It
// returns a *URNError if u is not a valid URN.
func (u URN) MarshalJSON() ([]byte, error) {
	text, err := u.MarshalText()
	if err != nil {
		return nil, err
	}
	return json.Marshal(string(text))
}

// UnmarshalJSON parses a JSON string with UnmarshalText. JSON null leaves u
// unchanged, as encoding/json does for other types; any other JSON value is
// an error.
func (u *URN) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	if len(data) == 0 || data[0] != '"' {
		return &URNError{Reason: "JSON value is not a string", Offset: -1, decoded: true}
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return &URNError{Reason: "invalid JSON string", Offset: -1, decoded: true}
	}
	return u.UnmarshalText([]byte(s))
}

// URNError reports text that is not a valid URN. It deliberately does not
// hold the text itself, which may identify a member.
type URNError struct {
	// Field names where the URN came from, when known: the JSON field of a
	// response decoded into a typed result (e.g. "elements[].author").
	Field string
	// Reason says what is wrong, e.g. "unbalanced parentheses".
	Reason string
	// Offset is the byte offset in the text where the problem was found,
	// or -1 when no position applies (a JSON value that is not a string).
	Offset int

	decoded bool // from UnmarshalText or UnmarshalJSON; see withURNField
}

// Error returns the field (when known), the reason and the offset (when
// one applies), never the URN text.
func (e *URNError) Error() string {
	s := "restli: invalid URN"
	if e.Field != "" {
		s += " in " + e.Field
	}
	s += ": " + e.Reason
	if e.Offset >= 0 {
		s += fmt.Sprintf(" (at byte %d)", e.Offset)
	}
	return s
}

// ErrorType returns "restli.URNError", the value for the OpenTelemetry
// error.type attribute.
func (e *URNError) ErrorType() string { return "restli.URNError" }

// urnCheckText checks what holds for the whole text: length, UTF-8 and no
// control characters. The control-character ban matters because a simple URN
// key goes raw into the X-RestLi-Id header and JSON map keys.
func urnCheckText(s string) error {
	if len(s) > URNMaxLength {
		return &URNError{Reason: fmt.Sprintf("longer than %d bytes", URNMaxLength), Offset: URNMaxLength}
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return &URNError{Reason: "control character", Offset: i}
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return &URNError{Reason: "invalid UTF-8", Offset: i}
		}
		i += n
	}
	return nil
}

// urnParser is a recursive-descent parser over one URN text. Every method
// takes the offset to start at and returns the offset after what it read, so
// the whole parse is one left-to-right pass.
type urnParser struct {
	s       string
	collect bool     // record the top-level tuple elements in parts
	parts   []string // top-level tuple elements, when collect is set
}

func (p *urnParser) fail(reason string, off int) error {
	return &URNError{Reason: reason, Offset: off}
}

// urnAt parses a URN starting at i and returns the offset after it. At the top
// level (nested false) the id runs to the end of the text; nested in a tuple
// it ends before the next ',' or ')'. The returned URN is only filled in at
// the top level.
func (p *urnParser) urnAt(i int, nested bool, depth int) (URN, int, error) {
	s := p.s
	if !strings.HasPrefix(s[i:], "urn:") {
		if len(s)-i >= 4 && strings.EqualFold(s[i:i+4], "urn:") {
			return URN{}, 0, p.fail(`prefix must be lower-case "urn:"`, i)
		}
		return URN{}, 0, p.fail(`missing "urn:" prefix`, i)
	}
	nsStart := i + 4
	nsEnd, err := p.name(nsStart, "namespace")
	if err != nil {
		return URN{}, 0, err
	}
	typeStart := nsEnd + 1
	typeEnd, err := p.name(typeStart, "entity type")
	if err != nil {
		return URN{}, 0, err
	}
	idStart := typeEnd + 1
	var idEnd int
	switch {
	case idStart < len(s) && s[idStart] == '(':
		if idEnd, err = p.tuple(idStart, depth+1, !nested); err != nil {
			return URN{}, 0, err
		}
		if !nested && idEnd < len(s) {
			return URN{}, 0, p.fail("text after the closing parenthesis of the tuple", idEnd)
		}
	case nested:
		if idEnd, err = p.text(idStart, "id"); err != nil {
			return URN{}, 0, err
		}
	default:
		if idStart == len(s) {
			return URN{}, 0, p.fail("empty id", idStart)
		}
		idEnd = len(s)
	}
	if nested {
		return URN{}, idEnd, nil
	}
	return URN{Namespace: s[nsStart:nsEnd], EntityType: s[typeStart:typeEnd], ID: s[idStart:]}, idEnd, nil
}

// name reads a namespace or entity type starting at i and returns the offset
// of the ':' that ends it.
func (p *urnParser) name(i int, what string) (int, error) {
	s := p.s
	j := i
	for ; j < len(s); j++ {
		switch c := s[j]; c {
		case ':':
			if j == i {
				return 0, p.fail("empty "+what, i)
			}
			return j, nil
		case '(', ')', ',', ' ':
			return 0, p.fail(fmt.Sprintf("%s contains %q", what, c), j)
		}
	}
	return 0, p.fail("missing ':' after "+what, j)
}

// tuple parses "(" elem *("," elem) ")" starting at the '(' at i and returns
// the offset after the ')'. When top is set and collecting, it records its
// elements.
func (p *urnParser) tuple(i, depth int, top bool) (int, error) {
	if depth > urnMaxDepth {
		return 0, p.fail("tuples nested too deeply", i)
	}
	s := p.s
	j := i + 1
	for {
		start := j
		var err error
		switch {
		case j < len(s) && s[j] == '(':
			j, err = p.tuple(j, depth+1, false)
		case len(s)-j >= 4 && strings.EqualFold(s[j:j+4], "urn:"):
			_, j, err = p.urnAt(j, true, depth+1)
		default:
			j, err = p.text(j, "tuple element")
		}
		if err != nil {
			return 0, err
		}
		if top && p.collect {
			p.parts = append(p.parts, s[start:j])
		}
		if j == len(s) {
			return 0, p.fail("unbalanced parentheses: missing ')'", j)
		}
		switch s[j] {
		case ',':
			j++
		case ')':
			return j + 1, nil
		default:
			// Only reachable after a nested tuple: "(a)b".
			return 0, p.fail("text after the closing parenthesis of a nested tuple", j)
		}
	}
}

// text reads plain text inside a tuple, up to the next ',' or ')' or the end,
// and returns the offset after it. The text must be non-empty and must not
// contain '('.
func (p *urnParser) text(i int, what string) (int, error) {
	s := p.s
	j := i
	for ; j < len(s); j++ {
		c := s[j]
		if c == ',' || c == ')' {
			break
		}
		if c == '(' {
			return 0, p.fail("'(' inside "+what, j)
		}
	}
	if j == i {
		return 0, p.fail("empty "+what, i)
	}
	return j, nil
}
