package restlitest

import (
	"errors"
	"strings"
)

const maxPatchDepth = 1000

// applyPatch applies a Rest.li patch object (protocol §6.1) to entity in
// place: nested patches first, then "$delete", then "$set". A nested patch
// is keyed by the field name with every '$' doubled; it creates the field
// as an empty record when it is absent, and fails when the field holds
// anything but a record. On error entity may be half-patched: apply to a
// copy.
func applyPatch(entity, patch map[string]any, depth int) error {
	if depth > maxPatchDepth {
		return errors.New("patch nested too deeply")
	}
	var set map[string]any
	var del []any
	for _, k := range sortedKeys(patch) {
		v := patch[k]
		switch {
		case k == "$set":
			m, ok := v.(map[string]any)
			if !ok {
				return errors.New("$set must be an object")
			}
			set = m
		case k == "$delete":
			l, ok := v.([]any)
			if !ok {
				return errors.New("$delete must be an array of field names")
			}
			for _, f := range l {
				if _, ok := f.(string); !ok {
					return errors.New("$delete must be an array of field names")
				}
			}
			del = l
		case strings.HasPrefix(k, "$") && !strings.HasPrefix(k, "$$"):
			return errors.New("unknown patch operation")
		default:
			sub, ok := v.(map[string]any)
			if !ok {
				return errors.New("a nested patch must be an object")
			}
			field := strings.ReplaceAll(k, "$$", "$")
			target, exists := entity[field]
			var m map[string]any
			if !exists {
				m = map[string]any{}
			} else if m, ok = target.(map[string]any); !ok {
				return errors.New("a nested patch applies to a field that is not a record")
			}
			if err := applyPatch(m, sub, depth+1); err != nil {
				return err
			}
			entity[field] = m
		}
	}
	for _, f := range del {
		delete(entity, f.(string))
	}
	for k, v := range set {
		entity[k] = v
	}
	return nil
}
