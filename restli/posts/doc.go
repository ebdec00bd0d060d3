// Package posts writes and reads the commentary of LinkedIn posts, which the
// Posts API (/rest/posts) takes in LinkedIn's "little text" format: plain
// text in which some characters are markup.
//
// # The rule
//
// LinkedIn's little-text documentation lists these reserved characters,
// which must be escaped with a backslash to stand for themselves:
//
//	\ | { } @ [ ] ( ) < > # * _ ~
//
// An unescaped one is read as the start of an element; when no valid
// element follows, LinkedIn does not refuse the post: it publishes the text
// cut off just before that character, with no error. "Launch (beta) today"
// is published as "Launch ". Escape (for plain text) and Commentary (text,
// mentions and hashtags) write text that cannot be cut.
//
// And '#' must be escaped too: it is in the documented reserved set, and a
// bare '#' followed by letters or digits is read as a hashtag element
// ("#1" in "our #1 pick" becomes a hashtag), while a '#' followed by
// anything else cuts the text like any other reserved character. Hashtags
// are written with LinkedIn's template, {hashtag|\#|tag}.
//
// Elements, as LinkedIn defines them and Parse reads them:
//
//	text      escaped plain text                      Launch \(beta\)
//	mention   @[name](urn), a person or organization  @[Acme](urn:li:organization:2414183)
//	hashtag   {hashtag|\#|tag}, or a bare #tag        {hashtag|\#|golang}
//
// The name in a mention should be the entity's name exactly as LinkedIn has
// it (an organization's localizedName), or LinkedIn shows plain text.
//
// # Comments are different
//
// The Comments API (/rest/socialActions/{urn}/comments and /rest/comments)
// takes plain text in its message.text field, not little text: do not
// escape it, or the backslashes are published. Use Escape and Commentary
// for the commentary of /rest/posts only.
//
// Parse and Truncate read little text back; package restlitest uses
// Truncate to cut an unescaped commentary the way LinkedIn does, so a test
// that forgets to escape fails.
package posts
