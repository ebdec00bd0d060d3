// This file reads little text: Parse splits it into text, mention and
// hashtag elements, and Truncate cuts it where LinkedIn would.

package posts

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/linkedin-go/linkedin/restli"
)

// hashtagOpen starts LinkedIn's hashtag template, {hashtag|\#|tag}.
const hashtagOpen = `{hashtag|\#|`

// Kind is the kind of an Element.
type Kind int

// The kinds of little-text elements.
const (
	// KindText is plain text.
	KindText Kind = iota
	// KindMention is a mention of a person or an organization.
	KindMention
	// KindHashtag is a hashtag.
	KindHashtag
)

// String returns "text", "mention" or "hashtag".
func (k Kind) String() string {
	switch k {
	case KindText:
		return "text"
	case KindMention:
		return "mention"
	case KindHashtag:
		return "hashtag"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Element is one element of a commentary.
type Element struct {
	Kind Kind
	// Text is the plain text (KindText), the name shown (KindMention) or
	// the tag without '#' (KindHashtag), unescaped.
	Text string
	// URN is the entity mentioned (KindMention only).
	URN string
}

// SyntaxError reports a reserved character that starts no valid element:
// LinkedIn keeps the text before it and drops the rest.
type SyntaxError struct {
	// Offset is the byte offset of the character in the little text.
	Offset int
	// Char is the character.
	Char rune
}

// Error names the character and its offset, never the text around it.
func (e *SyntaxError) Error() string {
	return "posts: unescaped reserved character " + strconv.QuoteRune(e.Char) + " at byte " + strconv.Itoa(e.Offset) +
		": LinkedIn would cut the commentary there"
}

// ErrorType returns "posts.syntax".
func (e *SyntaxError) ErrorType() string { return "posts.syntax" }

// Parse reads little text into its elements, in order; adjacent text is
// one element and empty text gives none. A reserved character that is not
// escaped and starts no valid element is a *SyntaxError: LinkedIn would
// publish only the text before it (see Truncate).
func Parse(little string) ([]Element, error) {
	elems, off := parse(little)
	if off >= 0 {
		r, _ := utf8.DecodeRuneInString(little[off:])
		return elems, &SyntaxError{Offset: off, Char: r}
	}
	return elems, nil
}

// Truncate returns what LinkedIn keeps of a commentary: all of it when it
// is valid little text, else the text before the first reserved character
// that is not escaped and starts no valid element. Parse(Truncate(s))
// never fails.
func Truncate(little string) string {
	_, off := parse(little)
	if off < 0 {
		return little
	}
	return little[:off]
}

// PlainText returns the text a reader sees: text as it is, a mention as its
// name, a hashtag as '#' and its tag. For a commentary made by Escape(s) it
// is s.
func PlainText(elems []Element) string {
	var b strings.Builder
	for _, e := range elems {
		if e.Kind == KindHashtag {
			b.WriteByte('#')
		}
		b.WriteString(e.Text)
	}
	return b.String()
}

// parse returns the elements of s and the offset of the first offending
// reserved character, or -1. The elements are those before that character.
func parse(s string) ([]Element, int) {
	var elems []Element
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			elems = append(elems, Element{Kind: KindText, Text: text.String()})
			text.Reset()
		}
	}
	i := 0
	for i < len(s) {
		j := i
		for j < len(s) && !reservedTable[s[j]] {
			j++
		}
		text.WriteString(s[i:j])
		if i = j; i == len(s) {
			break
		}
		switch s[i] {
		case '\\':
			if i+1 < len(s) && reservedTable[s[i+1]] {
				text.WriteByte(s[i+1])
				i += 2
				continue
			}
		case '@':
			if name, urn, next, ok := mentionAt(s, i); ok {
				flush()
				elems = append(elems, Element{Kind: KindMention, Text: name, URN: urn})
				i = next
				continue
			}
		case '{':
			if tag, next, ok := hashtagTemplateAt(s, i); ok {
				flush()
				elems = append(elems, Element{Kind: KindHashtag, Text: tag})
				i = next
				continue
			}
		case '#':
			if tag, next, ok := bareHashtagAt(s, i); ok {
				flush()
				elems = append(elems, Element{Kind: KindHashtag, Text: tag})
				i = next
				continue
			}
		}
		flush()
		return elems, i
	}
	flush()
	return elems, -1
}

// escapedRun reads escaped text from s[i:] up to the unescaped byte stop,
// and returns the text and the index of stop. Any other unescaped reserved
// character, or the end of s, fails.
func escapedRun(s string, i int, stop byte) (string, int, bool) {
	var b strings.Builder
	for i < len(s) {
		c := s[i]
		switch {
		case c == stop:
			return b.String(), i, true
		case c == '\\' && i+1 < len(s) && reservedTable[s[i+1]]:
			b.WriteByte(s[i+1])
			i += 2
		case reservedTable[c]:
			return "", 0, false
		default:
			b.WriteByte(c)
			i++
		}
	}
	return "", 0, false
}

// mentionAt reads @[name](urn) at s[i].
func mentionAt(s string, i int) (name, urn string, next int, ok bool) {
	if !strings.HasPrefix(s[i:], "@[") {
		return "", "", 0, false
	}
	name, j, ok := escapedRun(s, i+2, ']')
	if !ok || name == "" || !strings.HasPrefix(s[j+1:], "(") {
		return "", "", 0, false
	}
	k := strings.IndexByte(s[j+2:], ')')
	if k < 0 {
		return "", "", 0, false
	}
	urn = s[j+2 : j+2+k]
	if !mentionURN(urn) {
		return "", "", 0, false
	}
	return name, urn, j + 2 + k + 1, true
}

// mentionURN reports whether u can be the URN of a mention: a valid URN
// without a tuple, spaces or control characters.
func mentionURN(u string) bool {
	if strings.ContainsAny(u, "()") || strings.IndexFunc(u, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return false
	}
	_, err := restli.ParseURN(u)
	return err == nil
}

// hashtagTemplateAt reads {hashtag|\#|tag} at s[i].
func hashtagTemplateAt(s string, i int) (tag string, next int, ok bool) {
	if !strings.HasPrefix(s[i:], hashtagOpen) {
		return "", 0, false
	}
	tag, j, ok := escapedRun(s, i+len(hashtagOpen), '}')
	if !ok || tag == "" {
		return "", 0, false
	}
	return tag, j + 1, true
}

// bareHashtagAt reads #tag at s[i], where the tag is one or more letters
// and digits: LinkedIn's hashtag element.
func bareHashtagAt(s string, i int) (tag string, next int, ok bool) {
	j := i + 1
	for j < len(s) {
		r, n := utf8.DecodeRuneInString(s[j:])
		if r == utf8.RuneError && n <= 1 || !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		j += n
	}
	if j == i+1 {
		return "", 0, false
	}
	return s[i+1 : j], j, true
}
