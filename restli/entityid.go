// This file holds the decoding of created keys: the X-RestLi-Id header and
// the ids of a batch create.

package restli

import "strings"

// DecodeEntityID decodes an X-RestLi-Id header value (or a batch-create
// "id"). The reference sends simple keys raw and compound or complex keys in
// reduced form; LinkedIn's spelling of URN ids is unconfirmed, so decoding is
// lenient: a value that starts with "(" or "List(" is reduced-decoded;
// anything else is a simple key in which only the escapes %25 %28 %29 %2C
// %3A %27 are undone (a raw URN comes back unchanged).
func DecodeEntityID(raw string) (any, error) {
	if strings.HasPrefix(raw, "(") || strings.HasPrefix(raw, "List(") {
		return ReducedDecode(raw)
	}
	if strings.IndexByte(raw, '%') < 0 {
		return raw, nil
	}
	var b strings.Builder
	b.Grow(len(raw))
	for i := 0; i < len(raw); i++ {
		if raw[i] == '%' && i+2 < len(raw) {
			if c, ok := grammarEscape(raw[i+1], raw[i+2]); ok {
				b.WriteByte(c)
				i += 2
				continue
			}
		}
		b.WriteByte(raw[i])
	}
	return b.String(), nil
}

// grammarEscape decodes the hex pair of one of the escapes Rest.li applies in
// every form: %25 %28 %29 %2C %3A %27.
func grammarEscape(h, l byte) (byte, bool) {
	if l >= 'a' && l <= 'f' {
		l -= 'a' - 'A'
	}
	switch {
	case h == '2' && l == '5':
		return '%', true
	case h == '2' && l == '8':
		return '(', true
	case h == '2' && l == '9':
		return ')', true
	case h == '2' && l == 'C':
		return ',', true
	case h == '3' && l == 'A':
		return ':', true
	case h == '2' && l == '7':
		return '\'', true
	}
	return 0, false
}
