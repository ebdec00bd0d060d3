// This file holds the Rest.li 2.0 decoder (protocol reference §3). Query
// values, compound and complex path keys, and reduced-form keys all share one
// tokenizer and parser, as in the reference implementation.

package restli

import (
	"strconv"
	"unicode/utf8"
)

// DecodeError reports text that is not a Rest.li 2.0 value. Its message gives
// the position and the kind of problem but never any part of the input, which
// may be a secret.
type DecodeError struct {
	// Offset is the 0-based byte offset in the input of the offending token:
	// the grammar character, the start of a text or List( token, the "%" of a
	// bad escape, or len(input) for an unexpected end.
	Offset int
	// Reason describes the problem.
	Reason string
	// Err is ErrInvalidUTF8 or ErrTooDeep for those problems, else nil (a
	// syntax error).
	Err error
}

// Error implements error.
func (e *DecodeError) Error() string {
	return "restli: cannot decode value at offset " + strconv.Itoa(e.Offset) + ": " + e.Reason
}

// Unwrap returns e.Err.
func (e *DecodeError) Unwrap() error { return e.Err }

// ErrorType returns "restli.decode_error", the error.type attribute for
// OpenTelemetry.
func (e *DecodeError) ErrorType() string { return "restli.decode_error" }

// Decode parses s, a Rest.li 2.0 value in query or path form (as written by
// Encode or EncodePathKey), into untyped Go values: each leaf is a string,
// each List(...) a []any and each (k:v,...) a map[string]any. Type
// information does not survive the encoding, so numbers and booleans come
// back as their text.
//
// Percent escapes are decoded (upper- or lower-case hex) and must form valid
// UTF-8; "+" is not a space; two raw apostrophes are the empty string while
// %27%27 is a two-apostrophe string; "(" starts a list only right after the
// text List. When a key appears twice in a map the last value wins. Nesting is
// limited to 1000 levels. Errors are *DecodeError values carrying the offset
// of the problem.
func Decode(s string) (any, error) {
	p := decParser{s: s}
	return p.parse()
}

// ReducedDecode parses s, a Rest.li 2.0 value in reduced form (as written by
// ReducedEncode, e.g. a compound key in an X-RestLi-Id header or a batch
// response map), into untyped Go values like Decode. The reduced form differs
// only in leaving characters such as spaces raw, which the parser keeps
// literally, so ReducedDecode and Decode accept the same language.
func ReducedDecode(s string) (any, error) {
	p := decParser{s: s}
	return p.parse()
}

// Token kinds.
const (
	decTokEOF = iota
	decTokText
	decTokListStart // "List("
	decTokMapStart  // "("
	decTokClose     // ")"
	decTokComma     // ","
	decTokColon     // ":"
)

// decTokName describes a token kind for error messages. It names kinds only,
// never text.
func decTokName(kind int) string {
	switch kind {
	case decTokEOF:
		return "end of input"
	case decTokText:
		return "text"
	case decTokListStart:
		return "'List('"
	case decTokMapStart:
		return "'('"
	case decTokClose:
		return "')'"
	case decTokComma:
		return "','"
	case decTokColon:
		return "':'"
	}
	return "token"
}

// Byte classes for the tokenizer.
const (
	decClsText     uint8 = iota // ASCII taken literally
	decClsGrammar               // ( ) , :
	decClsPercent               // %
	decClsNonASCII              // part of a multi-byte character
)

var decClass = func() (t [256]uint8) {
	t['('], t[')'], t[','], t[':'] = decClsGrammar, decClsGrammar, decClsGrammar, decClsGrammar
	t['%'] = decClsPercent
	for c := 0x80; c < 0x100; c++ {
		t[c] = decClsNonASCII
	}
	return t
}()

// decParser is a recursive-descent parser over a one-token lookahead.
type decParser struct {
	s     string
	pos   int // next byte to read
	depth int

	tok      int    // current token kind
	tokStart int    // its offset
	text     string // its decoded text, for decTokText

	// arena is the scratch buffer a token with escapes is decoded into
	// before it is copied out as a string; it is reused by the next one.
	arena []byte
}

func (p *decParser) fail(off int, reason string) error {
	return &DecodeError{Offset: off, Reason: reason}
}

func (p *decParser) parse() (any, error) {
	if err := p.next(); err != nil {
		return nil, err
	}
	v, err := p.element()
	if err != nil {
		return nil, err
	}
	if p.tok != decTokEOF {
		return nil, p.fail(p.tokStart, "unexpected "+decTokName(p.tok)+" after a complete value")
	}
	return v, nil
}

// element parses one value starting at the current token.
func (p *decParser) element() (any, error) {
	switch p.tok {
	case decTokText:
		v := p.text
		return v, p.next()
	case decTokListStart, decTokMapStart:
		if p.depth >= codecMaxDepth {
			return nil, &DecodeError{Offset: p.tokStart, Reason: "nesting deeper than " + strconv.Itoa(codecMaxDepth) + " levels", Err: ErrTooDeep}
		}
		p.depth++
		var v any
		var err error
		if p.tok == decTokListStart {
			v, err = p.list()
		} else {
			v, err = p.mapValue()
		}
		p.depth--
		return v, err
	case decTokEOF:
		return nil, p.fail(p.tokStart, "unexpected end of input")
	}
	return nil, p.fail(p.tokStart, "unexpected "+decTokName(p.tok)+" at the start of a value")
}

// list parses the rest of a list after "List(".
func (p *decParser) list() (any, error) {
	if err := p.next(); err != nil {
		return nil, err
	}
	list := []any{}
	if p.tok == decTokClose {
		return list, p.next()
	}
	for {
		v, err := p.element()
		if err != nil {
			return nil, err
		}
		list = append(list, v)
		switch p.tok {
		case decTokComma:
			if err := p.next(); err != nil {
				return nil, err
			}
		case decTokClose:
			return list, p.next()
		case decTokEOF:
			return nil, p.fail(p.tokStart, "unexpected end of input in a list")
		default:
			return nil, p.fail(p.tokStart, "expected ',' or ')' in a list but found "+decTokName(p.tok))
		}
	}
}

// mapValue parses the rest of a map after "(".
func (p *decParser) mapValue() (any, error) {
	if err := p.next(); err != nil {
		return nil, err
	}
	m := map[string]any{}
	if p.tok == decTokClose {
		return m, p.next()
	}
	for {
		switch p.tok {
		case decTokText:
		case decTokEOF:
			return nil, p.fail(p.tokStart, "unexpected end of input in a map")
		default:
			return nil, p.fail(p.tokStart, "expected a map key but found "+decTokName(p.tok))
		}
		key := p.text
		if err := p.next(); err != nil {
			return nil, err
		}
		switch p.tok {
		case decTokColon:
		case decTokEOF:
			return nil, p.fail(p.tokStart, "unexpected end of input in a map")
		default:
			return nil, p.fail(p.tokStart, "expected ':' after a map key but found "+decTokName(p.tok))
		}
		if err := p.next(); err != nil {
			return nil, err
		}
		v, err := p.element()
		if err != nil {
			return nil, err
		}
		m[key] = v // a repeated key: the last one wins, as in the reference
		switch p.tok {
		case decTokComma:
			if err := p.next(); err != nil {
				return nil, err
			}
		case decTokClose:
			return m, p.next()
		case decTokEOF:
			return nil, p.fail(p.tokStart, "unexpected end of input in a map")
		default:
			return nil, p.fail(p.tokStart, "expected ',' or ')' in a map but found "+decTokName(p.tok))
		}
	}
}

// next reads the token at p.pos (§3.1).
func (p *decParser) next() error {
	s, i := p.s, p.pos
	p.tokStart = i
	if i >= len(s) {
		p.tok = decTokEOF
		return nil
	}
	switch s[i] {
	case '(':
		p.tok, p.pos = decTokMapStart, i+1
		return nil
	case ')':
		p.tok, p.pos = decTokClose, i+1
		return nil
	case ',':
		p.tok, p.pos = decTokComma, i+1
		return nil
	case ':':
		p.tok, p.pos = decTokColon, i+1
		return nil
	}
	start := i
	escaped := false
	for i < len(s) {
		// Runs of plain ASCII are the common case.
		j := i
		for j < len(s) && decClass[s[j]] == decClsText {
			j++
		}
		if escaped {
			p.arena = append(p.arena, s[i:j]...)
		}
		i = j
		if i >= len(s) {
			break
		}
		cls := decClass[s[i]]
		if cls == decClsGrammar {
			break
		}
		if cls == decClsNonASCII {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				return &DecodeError{Offset: i, Reason: "invalid UTF-8", Err: ErrInvalidUTF8}
			}
			if escaped {
				p.arena = append(p.arena, s[i:i+n]...)
			}
			i += n
			continue
		}
		// A run of %HH escapes: decode to bytes, then check they are UTF-8.
		if !escaped {
			escaped = true
			p.arena = append(p.arena[:0], s[start:i]...)
		}
		run, runStart := len(p.arena), i
		for i < len(s) && s[i] == '%' {
			if len(s)-i < 3 {
				return p.fail(i, "malformed percent-encoded octet")
			}
			hi, lo := decUnhex(s[i+1]), decUnhex(s[i+2])
			if hi > 15 || lo > 15 {
				return p.fail(i, "invalid hexadecimal digit in a percent-encoded octet")
			}
			p.arena = append(p.arena, hi<<4|lo)
			i += 3
		}
		if b := p.arena[run:]; !utf8.Valid(b) {
			j := 0
			for j < len(b) {
				r, n := utf8.DecodeRune(b[j:])
				if r == utf8.RuneError && n == 1 {
					break
				}
				j += n
			}
			return &DecodeError{Offset: runStart + 3*j, Reason: "percent-encoded octets are not valid UTF-8", Err: ErrInvalidUTF8}
		}
	}
	p.pos = i
	var text string
	if escaped {
		text = decString(p.arena)
	} else {
		text = s[start:i]
		if text == "''" {
			text = ""
		}
	}
	if text == "List" && i < len(s) && s[i] == '(' {
		// The reference compares the decoded text, so List spelled with
		// escapes also starts a list.
		p.tok, p.pos = decTokListStart, i+1
		return nil
	}
	p.tok, p.text = decTokText, text
	return nil
}

// decString returns the decoded text b, a part of the parser's arena, as a
// string of its own.
func decString(b []byte) string { return string(b) }

// decUnhex returns the value of hex digit c, or 255.
func decUnhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10
	}
	return 255
}
