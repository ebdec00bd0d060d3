package restlitest

import (
	"strconv"
	"strings"
)

// Generated keys. A CREATE or BATCH_CREATE whose entity has no "id" gets a
// key from the collection's generator: by default 1, 2, 3, … (sent as a
// JSON number in the entity), and for posts the shape LinkedIn answers
// with (see WithIDGenerator).

// PostIDBase is added to the sequence number of a generated post id, so
// that ids look like LinkedIn's (19 digits, beyond float64's exact
// integers: code that parses them as float64 fails here as it would in
// production).
const PostIDBase int64 = 7_200_000_000_000_000_000

// idGen makes the key of the seq-th generated entity of a collection.
type idGen func(seq int64, entity map[string]any) string

// WithIDGenerator makes the server take the keys of entities created
// without an "id" in collection (a canonical collection path such as
// "/adAccounts" or "/posts") from gen, called with 1, 2, 3, … (restarted by
// Collection.Clear). A key gen returns that is taken or empty is skipped.
// The key is the entity's "id" (a string) and the X-RestLi-Id of the
// CREATE.
//
// Without it, /posts answers urn:li:share:{PostIDBase+n} (urn:li:ugcPost:…
// for a video post, as LinkedIn does), /ugcPosts urn:li:ugcPost:…, and
// every other collection 1, 2, 3, … as JSON numbers.
func WithIDGenerator(collection string, gen func(seq int64) string) Option {
	return func(c *config) {
		if c.idGens == nil {
			c.idGens = map[string]idGen{}
		}
		c.idGens[collection] = func(seq int64, _ map[string]any) string { return gen(seq) }
	}
}

// idGenFor returns the generator of the collection at canonical path p, or
// nil for the numeric default.
func (s *Server) idGenFor(p string) idGen {
	if g, ok := s.cfg.idGens[p]; ok {
		return g
	}
	switch p {
	case "/posts":
		return postID
	case "/ugcPosts":
		return func(seq int64, _ map[string]any) string {
			return "urn:li:ugcPost:" + strconv.FormatInt(PostIDBase+seq, 10)
		}
	}
	return nil
}

// postID is the default key of a created post: urn:li:share:…, or
// urn:li:ugcPost:… for a post whose media is a video.
func postID(seq int64, entity map[string]any) string {
	kind := "share"
	if content, ok := entity["content"].(map[string]any); ok {
		if media, ok := content["media"].(map[string]any); ok {
			if id, ok := media["id"].(string); ok && strings.HasPrefix(id, "urn:li:video:") {
				kind = "ugcPost"
			}
		}
	}
	return "urn:li:" + kind + ":" + strconv.FormatInt(PostIDBase+seq, 10)
}
