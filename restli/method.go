// This file holds Method: the 14 Rest.li methods, their HTTP methods and
// whether a resend is safe.

package restli

import "strings"

// Method is a Rest.li resource method, spelled as the reference
// implementation sends it in the X-RestLi-Method header (lower case).
type Method string

// The 14 Rest.li methods.
const (
	MethodGet                Method = "get"
	MethodBatchGet           Method = "batch_get"
	MethodGetAll             Method = "get_all"
	MethodFinder             Method = "finder"
	MethodBatchFinder        Method = "batch_finder"
	MethodCreate             Method = "create"
	MethodBatchCreate        Method = "batch_create"
	MethodUpdate             Method = "update"
	MethodBatchUpdate        Method = "batch_update"
	MethodPartialUpdate      Method = "partial_update"
	MethodBatchPartialUpdate Method = "batch_partial_update"
	MethodDelete             Method = "delete"
	MethodBatchDelete        Method = "batch_delete"
	MethodAction             Method = "action"
)

// Methods lists the 14 Rest.li methods in a stable order.
var Methods = [...]Method{
	MethodGet, MethodBatchGet, MethodGetAll, MethodFinder, MethodBatchFinder,
	MethodCreate, MethodBatchCreate, MethodUpdate, MethodBatchUpdate,
	MethodPartialUpdate, MethodBatchPartialUpdate, MethodDelete,
	MethodBatchDelete, MethodAction,
}

// HTTPMethod returns the HTTP verb the method is sent with, or "" for an
// unknown method.
func (m Method) HTTPMethod() string {
	switch m {
	case MethodGet, MethodBatchGet, MethodGetAll, MethodFinder, MethodBatchFinder:
		return "GET"
	case MethodCreate, MethodBatchCreate, MethodPartialUpdate, MethodBatchPartialUpdate, MethodAction:
		return "POST"
	case MethodUpdate, MethodBatchUpdate:
		return "PUT"
	case MethodDelete, MethodBatchDelete:
		return "DELETE"
	}
	return ""
}

// Idempotent reports whether sending the method twice has the same effect as
// sending it once, which makes a resend after an ambiguous failure safe.
// CREATE, BATCH_CREATE and ACTION are not idempotent. PARTIAL_UPDATE and
// BATCH_PARTIAL_UPDATE apply the same patch, so they are.
func (m Method) Idempotent() bool {
	switch m {
	case MethodCreate, MethodBatchCreate, MethodAction, "":
		return false
	}
	return m.HTTPMethod() != ""
}

// Upper returns the method in upper case, as used in span names
// ("BATCH_GET").
func (m Method) Upper() string {
	switch m {
	case MethodGet:
		return "GET"
	case MethodFinder:
		return "FINDER"
	case MethodCreate:
		return "CREATE"
	case MethodBatchGet:
		return "BATCH_GET"
	}
	return strings.ToUpper(string(m))
}

// String returns the method's wire spelling.
func (m Method) String() string { return string(m) }
