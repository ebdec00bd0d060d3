// This file holds the rule of LinkedIn's Posts API that restlitest
// enforces on /rest/posts creates: the commentary is little text, and an
// unescaped reserved character cuts it, silently, as LinkedIn does.

package restlitest

import "github.com/linkedin-go/linkedin/restli/posts"

// postsCollection is the collection of LinkedIn's Posts API.
const postsCollection = "/posts"

// applyCommentaryRule stores what LinkedIn would keep of a new post's
// commentary: on /rest/posts, a "commentary" string is cut before the
// first reserved character that is not escaped and starts no valid element
// (posts.Truncate), and the create still succeeds, as it does on LinkedIn.
// A test that skipped escaping reads back the cut text and fails.
func applyCommentaryRule(c *call, ent map[string]any) {
	if c.prefix != "/rest" || c.rp.collection != postsCollection {
		return
	}
	if s, ok := ent["commentary"].(string); ok {
		ent["commentary"] = posts.Truncate(s)
	}
}
