// This file holds each request type's prepare, which validates its
// method-specific fields and records the query parameters and body the
// method sends.

package restli

import "strconv"

func (GetRequest) prepare(*prepared) error    { return nil }
func (GetAllRequest) prepare(*prepared) error { return nil }
func (DeleteRequest) prepare(*prepared) error { return nil }

func (r BatchGetRequest) prepare(p *prepared) error    { return p.addIDs(r.IDs) }
func (r BatchDeleteRequest) prepare(p *prepared) error { return p.addIDs(r.IDs) }

func (r FinderRequest) prepare(p *prepared) error {
	if r.FinderName == "" {
		return invalid("FinderName", "is empty", nil)
	}
	p.finder = r.FinderName
	p.extra = append(p.extra, param{"q", r.FinderName})
	return nil
}

func (r BatchFinderRequest) prepare(p *prepared) error {
	if r.FinderName == "" {
		return invalid("FinderName", "is empty", nil)
	}
	if r.CriteriaName == "" {
		return invalid("CriteriaName", "is empty", nil)
	}
	if r.Criteria == nil {
		return invalid("Criteria", "is nil", nil)
	}
	for _, rp := range reservedParams {
		if r.CriteriaName == rp.name {
			return invalid("CriteriaName", "must not be the reserved parameter "+strconv.Quote(rp.name), nil)
		}
	}
	p.finder = r.FinderName
	p.extra = append(p.extra, param{"bq", r.FinderName}, param{r.CriteriaName, r.Criteria})
	return nil
}

func (r CreateRequest) prepare(p *prepared) error {
	if r.Entity == nil {
		return invalid("Entity", "is nil", nil)
	}
	p.setBody(r.Entity)
	return nil
}

func (r BatchCreateRequest) prepare(p *prepared) error {
	if r.Entities == nil {
		return invalid("Entities", "is nil", nil)
	}
	for i, e := range r.Entities {
		if e == nil {
			return invalid("Entities["+strconv.Itoa(i)+"]", "is nil", nil)
		}
	}
	p.setBody(struct {
		Elements []any `json:"elements"`
	}{r.Entities})
	return nil
}

func (r UpdateRequest) prepare(p *prepared) error {
	if r.Entity == nil {
		return invalid("Entity", "is nil", nil)
	}
	p.setBody(r.Entity)
	return nil
}

func (r BatchUpdateRequest) prepare(p *prepared) error {
	if len(r.Entities) != len(r.IDs) {
		return invalid("Entities", "must have one entity per IDs entry", nil)
	}
	entities, err := keyedBody(r.IDs, r.Entities, "Entities", func(v any) (any, error) { return v, nil })
	if err != nil {
		return err
	}
	p.setBody(batchEntities{entities})
	return p.addIDs(r.IDs)
}

func (r PartialUpdateRequest) prepare(p *prepared) error {
	patch, err := makePatch(r.PatchSetObject, r.OriginalEntity, r.ModifiedEntity, "")
	if err != nil {
		return err
	}
	p.setBody(patchBody{patch})
	return nil
}

func (r BatchPartialUpdateRequest) prepare(p *prepared) error {
	var values []any
	var mk func(i int) (Patch, error)
	switch {
	case r.PatchSetObjects != nil:
		if len(r.PatchSetObjects) != len(r.IDs) {
			return invalid("PatchSetObjects", "must have one entry per IDs entry", nil)
		}
		values = r.PatchSetObjects
		mk = func(i int) (Patch, error) {
			return makePatch(r.PatchSetObjects[i], nil, nil, "["+strconv.Itoa(i)+"]")
		}
	case r.OriginalEntities != nil || r.ModifiedEntities != nil:
		if len(r.OriginalEntities) != len(r.IDs) || len(r.ModifiedEntities) != len(r.IDs) {
			return invalid("OriginalEntities", "OriginalEntities and ModifiedEntities must have one entry per IDs entry", nil)
		}
		values = r.OriginalEntities
		mk = func(i int) (Patch, error) {
			return makePatch(nil, r.OriginalEntities[i], r.ModifiedEntities[i], "["+strconv.Itoa(i)+"]")
		}
	default:
		return invalid("PatchSetObjects", "either PatchSetObjects or OriginalEntities and ModifiedEntities must be set", nil)
	}
	i := -1
	entities, err := keyedBody(r.IDs, values, "PatchSetObjects", func(any) (any, error) {
		i++
		patch, err := mk(i)
		if err != nil {
			return nil, err
		}
		return patchBody{patch}, nil
	})
	if err != nil {
		return err
	}
	p.setBody(batchEntities{entities})
	return p.addIDs(r.IDs)
}

func (r ActionRequest) prepare(p *prepared) error {
	if r.ActionName == "" {
		return invalid("ActionName", "is empty", nil)
	}
	p.action = r.ActionName
	p.extra = append(p.extra, param{"action", r.ActionName})
	if r.ActionParams == nil {
		p.setBody(struct{}{})
	} else {
		p.setBody(r.ActionParams)
	}
	return nil
}

type batchEntities struct {
	Entities map[string]any `json:"entities"`
}

type patchBody struct {
	Patch Patch `json:"patch"`
}

// addIDs validates batch keys and adds ids=List(...).
func (p *prepared) addIDs(ids []any) error {
	if ids == nil {
		return invalid("IDs", "is nil", nil)
	}
	for i, id := range ids {
		if id == nil {
			return invalid("IDs["+strconv.Itoa(i)+"]", "is nil", nil)
		}
	}
	if err := checkDuplicateIDs(ids); err != nil {
		return err
	}
	p.extra = append(p.extra, param{"ids", ids})
	return nil
}

// keyedBody builds the "entities" map of a batch request body: each id's
// body key (see BodyKey) maps to conv(values[i]).
func keyedBody(ids, values []any, field string, conv func(any) (any, error)) (map[string]any, error) {
	m := make(map[string]any, len(ids))
	for i, id := range ids {
		idx := "[" + strconv.Itoa(i) + "]"
		if id == nil {
			return nil, invalid("IDs"+idx, "is nil", nil)
		}
		k, err := BodyKey(id)
		if err != nil {
			return nil, invalid("IDs"+idx, "cannot be encoded as a key", err)
		}
		if _, dup := m[k]; dup {
			return nil, invalid("IDs"+idx, "repeats an earlier key", nil)
		}
		if values[i] == nil {
			return nil, invalid(field+idx, "is nil", nil)
		}
		v, err := conv(values[i])
		if err != nil {
			return nil, err
		}
		m[k] = v
	}
	return m, nil
}

// makePatch returns the patch for a PARTIAL_UPDATE: set (a Patch is used as
// is, anything else becomes {"$set": set}), or the diff of original and
// modified.
func makePatch(set, original, modified any, idx string) (Patch, error) {
	if set != nil {
		switch s := set.(type) {
		case Patch:
			return s, nil
		case *Patch:
			if s != nil {
				return *s, nil
			}
		}
		patch, err := SetPatch(set)
		if err != nil {
			return nil, invalid("PatchSetObject"+idx, "is not an object", err)
		}
		return patch, nil
	}
	if original == nil || modified == nil {
		return nil, invalid("PatchSetObject"+idx, "either PatchSetObject or both OriginalEntity and ModifiedEntity must be set", nil)
	}
	patch, err := DiffPatch(original, modified)
	if err != nil {
		return nil, invalid("OriginalEntity"+idx, "cannot be diffed with ModifiedEntity", err)
	}
	return patch, nil
}
