// This file holds Commentary, the builder of a post's commentary from text,
// mentions and hashtags.

package posts

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/linkedin-go/linkedin/restli"
)

// Commentary builds the commentary of a post in little text from Go values:
// plain text (escaped), mentions and hashtags. The zero value is an empty
// commentary, ready to use; methods chain:
//
//	var c posts.Commentary
//	text, err := c.Text("Shipped (finally): ").
//		Mention("Acme", restli.MustParseURN("urn:li:organization:2414183")).
//		Text(" — thanks!  ").
//		Hashtag("golang").
//		Build()
//
// The first invalid mention or hashtag is remembered and returned by Build,
// which then returns no text: nothing half-built is ever published. A
// Commentary is not safe for concurrent use.
type Commentary struct {
	b   strings.Builder
	n   int // elements added, for error field names
	err error
}

// Text appends plain text, escaped: LinkedIn shows it exactly as given.
func (c *Commentary) Text(s string) *Commentary {
	c.n++
	if c.err == nil {
		writeEscaped(&c.b, s)
	}
	return c
}

// Mention appends a mention of the person or organization urn, shown as
// name: @[name](urn). name must not be empty and should be the entity's
// name as LinkedIn has it; urn must be a urn:li:person or
// urn:li:organization URN.
func (c *Commentary) Mention(name string, urn restli.URN) *Commentary {
	i := c.n
	c.n++
	if c.err != nil {
		return c
	}
	field := "Commentary.Mention[" + strconv.Itoa(i) + "]"
	switch {
	case name == "":
		c.err = &restli.ValidationError{Field: field, Reason: "the name is empty"}
	case urn.Namespace != "li" || (urn.EntityType != "person" && urn.EntityType != "organization"):
		c.err = &restli.ValidationError{Field: field, Reason: "the URN must be a urn:li:person or urn:li:organization URN"}
	default:
		if !mentionURN(urn.String()) {
			c.err = &restli.ValidationError{Field: field, Reason: "the URN is not a valid URN without a tuple"}
			return c
		}
		c.b.WriteString("@[")
		writeEscaped(&c.b, name)
		c.b.WriteString("](")
		c.b.WriteString(urn.String())
		c.b.WriteByte(')')
	}
	return c
}

// Hashtag appends the hashtag tag, with LinkedIn's template
// {hashtag|\#|tag}. One leading '#' is dropped ("#golang" and "golang" are
// the same tag); what remains must not be empty and must not hold spaces or
// control characters. Reserved characters in it are escaped.
func (c *Commentary) Hashtag(tag string) *Commentary {
	i := c.n
	c.n++
	if c.err != nil {
		return c
	}
	field := "Commentary.Hashtag[" + strconv.Itoa(i) + "]"
	tag = strings.TrimPrefix(tag, "#")
	if tag == "" {
		c.err = &restli.ValidationError{Field: field, Reason: "the tag is empty"}
		return c
	}
	if strings.IndexFunc(tag, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		c.err = &restli.ValidationError{Field: field, Reason: "the tag holds a space or a control character"}
		return c
	}
	c.b.WriteString(hashtagOpen)
	writeEscaped(&c.b, tag)
	c.b.WriteByte('}')
	return c
}

// Build returns the commentary as little text, or the first error a
// mention or hashtag gave (a *restli.ValidationError) and no text.
func (c *Commentary) Build() (string, error) {
	if c.err != nil {
		return "", c.err
	}
	return c.b.String(), nil
}

// Reset empties the commentary, error included, so it can be used again.
func (c *Commentary) Reset() {
	c.b.Reset()
	c.n = 0
	c.err = nil
}
