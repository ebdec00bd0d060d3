// Tests of the little-text writer and reader: Escape, Commentary, Parse,
// Truncate and PlainText.

package posts_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/posts"
)

// everyReserved is a sentence with every reserved character.
const everyReserved = `Back\slash | pipe {braces} @at [brackets] (parens) <angles> #1 *star* _under_ ~tilde~`

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain text, no markup: 100% ok!", "plain text, no markup: 100% ok!"},
		{"Launch (beta) today", `Launch \(beta\) today`},
		{`\|{}@[]()<>#*_~`, `\\\|\{\}\@\[\]\(\)\<\>\#\*\_\~`},
		{"C# & F#", `C\# & F\#`},
		{"café ☕ (naïve)", `café ☕ \(naïve\)`},
		{"a\\b", `a\\b`},
		{"line1\nline2", "line1\nline2"},
	}
	for _, tt := range tests {
		if got := posts.Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, c := range posts.Reserved {
		if !posts.IsReserved(c) {
			t.Errorf("IsReserved(%q) = false", c)
		}
	}
	for _, c := range "aZ09 .,;:!?'\"$%&=+-/^`é" {
		if posts.IsReserved(c) {
			t.Errorf("IsReserved(%q) = true", c)
		}
	}
}

func TestParse_RoundTripsEscape(t *testing.T) {
	for _, s := range []string{"", "x", everyReserved, `\\\\`, "#", "@[x](urn:li:person:1)", "{hashtag|\\#|x}", "\xff\xfe"} {
		elems, err := posts.Parse(posts.Escape(s))
		if err != nil {
			t.Fatalf("Parse(Escape(%q)): %v", s, err)
		}
		if got := posts.PlainText(elems); got != s {
			t.Fatalf("round trip of %q gave %q", s, got)
		}
		if s != "" && (len(elems) != 1 || elems[0].Kind != posts.KindText) {
			t.Fatalf("Parse(Escape(%q)) = %+v, want one text element", s, elems)
		}
	}
}

func TestParse(t *testing.T) {
	text := func(s string) posts.Element { return posts.Element{Kind: posts.KindText, Text: s} }
	tag := func(s string) posts.Element { return posts.Element{Kind: posts.KindHashtag, Text: s} }
	mention := func(name, urn string) posts.Element {
		return posts.Element{Kind: posts.KindMention, Text: name, URN: urn}
	}
	tests := []struct {
		in      string
		want    []posts.Element
		errAt   int // -1: no error
		errChar rune
	}{
		{"", nil, -1, 0},
		{`Hello \(world\)`, []posts.Element{text("Hello (world)")}, -1, 0},
		{"Hi @[Acme](urn:li:organization:2414183)!", []posts.Element{text("Hi "), mention("Acme", "urn:li:organization:2414183"), text("!")}, -1, 0},
		{`@[Ac\]me \(EU\)](urn:li:person:AbC-12_x)`, []posts.Element{mention("Ac]me (EU)", "urn:li:person:AbC-12_x")}, -1, 0},
		{`{hashtag|\#|golang} {hashtag|\#|go\_lang}`, []posts.Element{tag("golang"), text(" "), tag("go_lang")}, -1, 0},
		{"#golang rocks", []posts.Element{tag("golang"), text(" rocks")}, -1, 0},
		{"our #1 pick", []posts.Element{text("our "), tag("1"), text(" pick")}, -1, 0},
		{"#café!", []posts.Element{tag("café"), text("!")}, -1, 0},
		// What LinkedIn cuts.
		{"Launch (beta) today", []posts.Element{text("Launch ")}, 7, '('},
		{"C# rocks", []posts.Element{text("C")}, 1, '#'},
		{"a_b", []posts.Element{text("a")}, 1, '_'},
		{"mail me @ home", []posts.Element{text("mail me ")}, 8, '@'},
		{"@[](urn:li:person:1)", nil, 0, '@'},
		{"@[x](not a urn)", nil, 0, '@'},
		{"@[x](urn:li:person:1", nil, 0, '@'},
		{"@[x] (urn:li:person:1)", nil, 0, '@'},
		{"@[a(b](urn:li:person:1)", nil, 0, '@'},
		{"{hashtag|#|x}", nil, 0, '{'},
		{`{hashtag|\#|}`, nil, 0, '{'},
		{`{hashtag|\#|a b`, nil, 0, '{'},
		{`{hashtag|\#|a(b}`, nil, 0, '{'},
		{`ends with \`, []posts.Element{text("ends with ")}, 10, '\\'},
		{`\a`, nil, 0, '\\'},
		{"x > y", []posts.Element{text("x ")}, 2, '>'},
		{"ok ~ then", []posts.Element{text("ok ")}, 3, '~'},
	}
	for _, tt := range tests {
		got, err := posts.Parse(tt.in)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Parse(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
		var se *posts.SyntaxError
		switch {
		case tt.errAt < 0 && err != nil:
			t.Errorf("Parse(%q): %v", tt.in, err)
		case tt.errAt >= 0 && (!errors.As(err, &se) || se.Offset != tt.errAt || se.Char != tt.errChar):
			t.Errorf("Parse(%q) error = %v, want offset %d %q", tt.in, err, tt.errAt, tt.errChar)
		}
		wantTrunc := tt.in
		if tt.errAt >= 0 {
			wantTrunc = tt.in[:tt.errAt]
		}
		if got := posts.Truncate(tt.in); got != wantTrunc {
			t.Errorf("Truncate(%q) = %q, want %q", tt.in, got, wantTrunc)
		}
	}
}

func TestCommentary_Build(t *testing.T) {
	acme := restli.MustParseURN("urn:li:organization:2414183")
	var c posts.Commentary
	got, err := c.Text("Shipped (v2.0) with ").
		Mention("Acme [EU]", acme).
		Text(" & friends — 100% #1! ").
		Hashtag("#golang").
		Text(" ").
		Hashtag("open_source").
		Build()
	if err != nil {
		t.Fatal(err)
	}
	want := `Shipped \(v2.0\) with @[Acme \[EU\]](urn:li:organization:2414183) & friends — 100% \#1! {hashtag|\#|golang} {hashtag|\#|open\_source}`
	if got != want {
		t.Fatalf("Build() =\n%s\nwant\n%s", got, want)
	}
	elems, err := posts.Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	wantElems := []posts.Element{
		{Kind: posts.KindText, Text: "Shipped (v2.0) with "},
		{Kind: posts.KindMention, Text: "Acme [EU]", URN: acme.String()},
		{Kind: posts.KindText, Text: " & friends — 100% #1! "},
		{Kind: posts.KindHashtag, Text: "golang"},
		{Kind: posts.KindText, Text: " "},
		{Kind: posts.KindHashtag, Text: "open_source"},
	}
	if !reflect.DeepEqual(elems, wantElems) {
		t.Fatalf("Parse = %+v", elems)
	}
	if pt := posts.PlainText(elems); pt != "Shipped (v2.0) with Acme [EU] & friends — 100% #1! #golang #open_source" {
		t.Fatalf("PlainText = %q", pt)
	}
	c.Reset()
	if s, err := c.Build(); s != "" || err != nil {
		t.Fatalf("after Reset: %q, %v", s, err)
	}
}

func TestCommentary_RefusesBadElements(t *testing.T) {
	person := restli.MustParseURN("urn:li:person:abc")
	tests := []struct {
		name  string
		build func(*posts.Commentary) *posts.Commentary
		field string
	}{
		{"empty name", func(c *posts.Commentary) *posts.Commentary { return c.Mention("", person) }, "Commentary.Mention[0]"},
		{"zero URN", func(c *posts.Commentary) *posts.Commentary { return c.Text("x").Mention("A", restli.URN{}) }, "Commentary.Mention[1]"},
		{"share URN", func(c *posts.Commentary) *posts.Commentary {
			return c.Mention("A", restli.MustParseURN("urn:li:share:1"))
		}, "Commentary.Mention[0]"},
		{"tuple URN", func(c *posts.Commentary) *posts.Commentary {
			return c.Mention("A", restli.NewTupleURN("li", "person", "a", "b"))
		}, "Commentary.Mention[0]"},
		{"URN with a space", func(c *posts.Commentary) *posts.Commentary {
			return c.Mention("A", restli.NewURN("li", "person", "a b"))
		}, "Commentary.Mention[0]"},
		{"empty tag", func(c *posts.Commentary) *posts.Commentary { return c.Hashtag("#") }, "Commentary.Hashtag[0]"},
		{"tag with a space", func(c *posts.Commentary) *posts.Commentary { return c.Hashtag("go lang") }, "Commentary.Hashtag[0]"},
		{"first error wins", func(c *posts.Commentary) *posts.Commentary { return c.Hashtag("").Mention("", person) }, "Commentary.Hashtag[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c posts.Commentary
			s, err := tt.build(&c).Text("more").Build()
			var ve *restli.ValidationError
			if !errors.As(err, &ve) || ve.Field != tt.field || s != "" {
				t.Fatalf("Build() = %q, %v; want a *ValidationError for %s", s, err, tt.field)
			}
			if strings.Contains(err.Error(), "a b") {
				t.Fatalf("error quotes the input: %v", err)
			}
		})
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[posts.Kind]string{posts.KindText: "text", posts.KindMention: "mention", posts.KindHashtag: "hashtag", 7: "Kind(7)"} {
		if k.String() != want {
			t.Errorf("%d.String() = %q", int(k), k.String())
		}
	}
	if (&posts.SyntaxError{Offset: 3, Char: '('}).ErrorType() != "posts.syntax" {
		t.Error("ErrorType")
	}
}
