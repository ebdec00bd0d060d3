// Benchmarks of the little-text writer and reader.

package posts_test

import (
	"strings"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/posts"
)

// benchText is a 1 KB post with a reserved character every ~40 bytes.
var benchText = strings.Repeat("Release notes (v2.1) for C# fans: 100% *tested* snake_case. ", 17)

func BenchmarkEscape(b *testing.B) {
	b.SetBytes(int64(len(benchText)))
	b.ReportAllocs()
	for b.Loop() {
		_ = posts.Escape(benchText)
	}
}

func BenchmarkEscape_NothingToEscape(b *testing.B) {
	s := strings.Repeat("plain words only, nothing reserved here. ", 25)
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		_ = posts.Escape(s)
	}
}

func BenchmarkCommentary_Build(b *testing.B) {
	urn := restli.MustParseURN("urn:li:organization:2414183")
	b.ReportAllocs()
	for b.Loop() {
		var c posts.Commentary
		_, _ = c.Text(benchText).Mention("Acme", urn).Hashtag("golang").Build()
	}
}

func BenchmarkParse(b *testing.B) {
	var c posts.Commentary
	s, _ := c.Text(benchText).Mention("Acme", restli.MustParseURN("urn:li:organization:2414183")).Hashtag("golang").Build()
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		_, _ = posts.Parse(s)
	}
}
