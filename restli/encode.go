package restli

// STUB: replaced by the codec implementation.

// Encode returns v in Rest.li 2.0 query-value form.
func Encode(v any) (string, error) { panic("unimplemented") }

// EncodePathKey returns v in Rest.li 2.0 path-segment form.
func EncodePathKey(v any) (string, error) { panic("unimplemented") }

// ReducedEncode returns v in Rest.li 2.0 reduced (header and body key) form.
func ReducedEncode(v any) (string, error) { panic("unimplemented") }

// ParamEncode returns the sorted, encoded query string for params.
func ParamEncode(params map[string]any) (string, error) { panic("unimplemented") }
