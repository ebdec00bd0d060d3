// This file holds BodyKey and ResponseKey: the text of a batch key in a
// request body and in a batch answer's maps.

package restli

// BodyKey returns the text that stands for key id in the JSON map of a batch
// request body ("entities"): a simple key's own text, unescaped (a URN stays
// "urn:li:…"), or a compound or complex key in reduced form including any
// "$params".
func BodyKey(id any) (string, error) {
	if isCompoundValue(id) {
		return ReducedEncode(id)
	}
	return scalarText(id)
}

// ResponseKey returns the text that stands for key id in the maps of a batch
// response ("results", "statuses", "errors"): a simple key's own text, or a
// compound or complex key in reduced form without "$params". Use it to find
// the entry for an id you asked for.
func ResponseKey(id any) (string, error) {
	if !isCompoundValue(id) {
		return scalarText(id)
	}
	s, err := ReducedEncode(id)
	if err != nil {
		return "", err
	}
	v, err := ReducedDecode(s)
	if err != nil {
		return "", err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return s, nil
	}
	if _, ok := m["$params"]; !ok {
		return s, nil
	}
	delete(m, "$params")
	return ReducedEncode(m)
}
