// This file holds the reserved set of little text and Escape, which makes
// plain text safe for a post's commentary.

package posts

import "strings"

// Reserved lists the characters little text reserves for its markup, in
// the order LinkedIn's documentation lists them. Each one must be written
// with a backslash before it to stand for itself.
const Reserved = `\|{}@[]()<>#*_~`

// reservedTable marks the reserved bytes; all of them are ASCII, so a byte
// test is also a test on UTF-8 text.
var reservedTable = func() (t [256]bool) {
	for i := 0; i < len(Reserved); i++ {
		t[Reserved[i]] = true
	}
	return t
}()

// IsReserved reports whether c is one of the characters little text
// reserves (see Reserved).
func IsReserved(c rune) bool { return c >= 0 && c < 128 && reservedTable[c] }

// Escape returns text as little text that LinkedIn shows exactly as text:
// every reserved character (see Reserved) gets a backslash before it, and
// nothing else changes. Parse(Escape(s)) gives back s, for every s.
//
// Use it for the commentary of /rest/posts. Do not use it for the Comments
// API, whose text is plain: the backslashes would be published.
func Escape(text string) string {
	n := 0
	for i := 0; i < len(text); i++ {
		if reservedTable[text[i]] {
			n++
		}
	}
	if n == 0 {
		return text
	}
	var b strings.Builder
	b.Grow(len(text) + n)
	writeEscaped(&b, text)
	return b.String()
}

// writeEscaped writes text to b with every reserved byte escaped.
func writeEscaped(b *strings.Builder, text string) {
	last := 0
	for i := 0; i < len(text); i++ {
		if reservedTable[text[i]] {
			b.WriteString(text[last:i])
			b.WriteByte('\\')
			b.WriteByte(text[i])
			last = i + 1
		}
	}
	b.WriteString(text[last:])
}
