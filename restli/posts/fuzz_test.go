// Fuzz targets of the little-text reader and writer.

package posts_test

import (
	"reflect"
	"strings"
	"testing"
	"unicode"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/posts"
)

// FuzzLittleTextRoundTrip checks the property the package exists for: for
// every input text, parsing what the writer made of it gives back exactly
// that text. Escape alone, and Commentary with a mention and a hashtag
// around it, are both checked.
func FuzzLittleTextRoundTrip(f *testing.F) {
	for _, s := range []string{"", "Launch (beta) today", everyReserved, `\`, `\\(`, "#1", "@[x](urn:li:person:1)",
		"{hashtag|\\#|x}", "café ☕", "\xff", "a\x00b", "}{", "line\nline"} {
		f.Add(s, "Acme (EU)", "go_lang")
	}
	f.Fuzz(func(t *testing.T, text, name, tag string) {
		elems, err := posts.Parse(posts.Escape(text))
		if err != nil {
			t.Fatalf("Parse(Escape(%q)): %v", text, err)
		}
		if got := posts.PlainText(elems); got != text {
			t.Fatalf("Escape round trip: %q gave %q", text, got)
		}

		var c posts.Commentary
		urn := restli.NewURN("li", "organization", "2414183")
		out, err := c.Text(text).Mention(name, urn).Hashtag(tag).Text(text).Build()
		tagOK := strings.TrimPrefix(tag, "#") != "" &&
			strings.IndexFunc(tag, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) < 0
		if name == "" || !tagOK {
			if err == nil {
				t.Fatalf("Build accepted name %q, tag %q", name, tag)
			}
			return
		}
		if err != nil {
			t.Fatalf("Build(%q, %q, %q): %v", text, name, tag, err)
		}
		got, err := posts.Parse(out)
		if err != nil {
			t.Fatalf("Parse(%q): %v", out, err)
		}
		var want []posts.Element
		if text != "" {
			want = append(want, posts.Element{Kind: posts.KindText, Text: text})
		}
		want = append(want, posts.Element{Kind: posts.KindMention, Text: name, URN: urn.String()},
			posts.Element{Kind: posts.KindHashtag, Text: strings.TrimPrefix(tag, "#")})
		if text != "" {
			want = append(want, posts.Element{Kind: posts.KindText, Text: text})
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Parse(%q) =\n%+v\nwant\n%+v", out, got, want)
		}
	})
}

// FuzzParse feeds arbitrary little text to the reader: it must never
// panic; Truncate keeps a prefix that parses, and keeps everything exactly
// when Parse succeeds.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "Launch (beta)", "@[a](urn:li:person:1) {hashtag|\\#|b} #c", "@[", "{hashtag|\\#|", "#", "\\", "@[a\\](", "\xff#\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		elems, err := posts.Parse(s)
		tr := posts.Truncate(s)
		if !strings.HasPrefix(s, tr) {
			t.Fatalf("Truncate(%q) = %q, not a prefix", s, tr)
		}
		if (err == nil) != (tr == s) {
			t.Fatalf("Parse error %v but Truncate kept %q of %q", err, tr, s)
		}
		again, err2 := posts.Parse(tr)
		if err2 != nil {
			t.Fatalf("Parse(Truncate(%q)) = %v", s, err2)
		}
		if !reflect.DeepEqual(again, elems) {
			t.Fatalf("elements before the cut differ: %+v vs %+v", again, elems)
		}
	})
}
