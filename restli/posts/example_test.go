// Runnable examples of package posts.

package posts_test

import (
	"fmt"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/posts"
)

// Escape makes plain text safe for a post's commentary.
func ExampleEscape() {
	fmt.Println(posts.Escape("Launch (beta) today: 50% off *everything* #1"))
	// Output:
	// Launch \(beta\) today: 50% off \*everything\* \#1
}

// Commentary writes text, mentions and hashtags as little text.
func ExampleCommentary() {
	var c posts.Commentary
	text, err := c.Text("Shipped (finally) with ").
		Mention("Acme", restli.MustParseURN("urn:li:organization:2414183")).
		Text("! ").
		Hashtag("golang").
		Build()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(text)
	// Output:
	// Shipped \(finally\) with @[Acme](urn:li:organization:2414183)! {hashtag|\#|golang}
}

// Truncate shows what LinkedIn publishes of a commentary that was not
// escaped.
func ExampleTruncate() {
	fmt.Printf("%q\n", posts.Truncate("Launch (beta) today"))
	_, err := posts.Parse("Launch (beta) today")
	fmt.Println(err)
	// Output:
	// "Launch "
	// posts: unescaped reserved character '(' at byte 7: LinkedIn would cut the commentary there
}

// Parse reads a commentary back into its elements.
func ExampleParse() {
	elems, err := posts.Parse(`Hi @[Acme](urn:li:organization:2414183) {hashtag|\#|golang}`)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range elems {
		if e.Kind == posts.KindMention {
			fmt.Printf("%s %q %s\n", e.Kind, e.Text, e.URN)
		} else {
			fmt.Printf("%s %q\n", e.Kind, e.Text)
		}
	}
	fmt.Println(posts.PlainText(elems))
	// Output:
	// text "Hi "
	// mention "Acme" urn:li:organization:2414183
	// text " "
	// hashtag "golang"
	// Hi Acme #golang
}
