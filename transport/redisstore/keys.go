// keys.go: key names, each with a hash tag so that a script's keys share
// one Redis Cluster slot.

package redisstore

import "strings"

// tagEscaper keeps braces out of hash tags: a '}' inside a tag would end it
// early and split one script's keys across slots.
var tagEscaper = strings.NewReplacer("%", "%25", "{", "%7B", "}", "%7D")

// tag returns "{" + prefix + kind + ":" + name + "}".
func (s *Store) tag(kind, name string) string {
	return "{" + tagEscaper.Replace(s.prefix) + kind + ":" + tagEscaper.Replace(name) + "}"
}
