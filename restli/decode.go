package restli

// STUB: replaced by the codec implementation.

// Decode parses a Rest.li 2.0 query or path value.
func Decode(s string) (any, error) { panic("unimplemented") }

// ReducedDecode parses a Rest.li 2.0 reduced-form value.
func ReducedDecode(s string) (any, error) { panic("unimplemented") }
