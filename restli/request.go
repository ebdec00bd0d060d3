package restli

import "net/http"

// Request is implemented by the 14 request types, one per Rest.li method.
// Build one and pass it to Client.NewHTTPRequest, or call the matching Client
// method.
type Request interface {
	// RestliMethod returns the Rest.li method the request is for.
	RestliMethod() Method
	base() requestBase
	prepare(p *prepared) error
}

// requestBase is the view of the fields every request type shares.
type requestBase struct {
	ResourcePath string
	PathKeys     map[string]any
	QueryParams  map[string]any
	Version      string
	AccessToken  string
	Header       http.Header
}

// GetRequest is a GET: read one entity by key (or a simple resource).
type GetRequest struct {
	// ResourcePath is the resource path template, e.g. "/adAccounts/{id}".
	// Each {placeholder} is replaced by the matching PathKeys entry.
	ResourcePath string
	// PathKeys holds the keys substituted into ResourcePath, encoded as path
	// segments: a string, number or URN for a simple key, a map or struct for a
	// compound or complex key.
	PathKeys map[string]any
	// QueryParams are extra query parameters, Rest.li-encoded. A nil value is
	// omitted. "fields" and "projection" are sent as raw projection masks.
	QueryParams map[string]any
	// Version is the LinkedIn-Version for this call; it wins over the
	// client's default.
	Version string
	// AccessToken, when set, is sent as "Authorization: Bearer" for this call,
	// winning over any token layer.
	AccessToken string
	// Header holds extra headers for this call; they win over what the
	// builder and the layers would set.
	Header http.Header
}

// RestliMethod returns MethodGet.
func (GetRequest) RestliMethod() Method { return MethodGet }

func (r GetRequest) base() requestBase {
	return requestBase{r.ResourcePath, r.PathKeys, r.QueryParams, r.Version, r.AccessToken, r.Header}
}

// BatchGetRequest is a BATCH_GET: read several entities by key.
type BatchGetRequest struct {
	// ResourcePath is the resource path template, e.g. "/adAccounts/{id}".
	// Each {placeholder} is replaced by the matching PathKeys entry.
	ResourcePath string
	// PathKeys holds the keys substituted into ResourcePath, encoded as path
	// segments: a string, number or URN for a simple key, a map or struct for a
	// compound or complex key.
	PathKeys map[string]any
	// QueryParams are extra query parameters, Rest.li-encoded. A nil value is
	// omitted. "fields" and "projection" are sent as raw projection masks.
	QueryParams map[string]any
	// Version is the LinkedIn-Version for this call; it wins over the
	// client's default.
	Version string
	// AccessToken, when set, is sent as "Authorization: Bearer" for this call,
	// winning over any token layer.
	AccessToken string
	// Header holds extra headers for this call; they win over what the
	// builder and the layers would set.
	Header http.Header
	// IDs are the keys to read, sent as ids=List(...).
	IDs []any
}

// RestliMethod returns MethodBatchGet.
func (BatchGetRequest) RestliMethod() Method { return MethodBatchGet }

func (r BatchGetRequest) base() requestBase {
	return requestBase{r.ResourcePath, r.PathKeys, r.QueryParams, r.Version, r.AccessToken, r.Header}
}

// GetAllRequest is a GET_ALL: read a whole collection, paged with start and count.
type GetAllRequest struct {
	// ResourcePath is the resource path template, e.g. "/adAccounts/{id}".
	// Each {placeholder} is replaced by the matching PathKeys entry.
	ResourcePath string
	// PathKeys holds the keys substituted into ResourcePath, encoded as path
	// segments: a string, number or URN for a simple key, a map or struct for a
	// compound or complex key.
	PathKeys map[string]any
	// QueryParams are extra query parameters, Rest.li-encoded. A nil value is
	// omitted. "fields" and "projection" are sent as raw projection masks.
	QueryParams map[string]any
	// Version is the LinkedIn-Version for this call; it wins over the
	// client's default.
	Version string
	// AccessToken, when set, is sent as "Authorization: Bearer" for this call,
	// winning over any token layer.
	AccessToken string
	// Header holds extra headers for this call; they win over what the
	// builder and the layers would set.
	Header http.Header
}

// RestliMethod returns MethodGetAll.
func (GetAllRequest) RestliMethod() Method { return MethodGetAll }

func (r GetAllRequest) base() requestBase {
	return requestBase{r.ResourcePath, r.PathKeys, r.QueryParams, r.Version, r.AccessToken, r.Header}
}

// FinderRequest is a FINDER: search a collection with a named finder (q=FinderName).
type FinderRequest struct {
	// ResourcePath is the resource path template, e.g. "/adAccounts/{id}".
	// Each {placeholder} is replaced by the matching PathKeys entry.
	ResourcePath string
	// PathKeys holds the keys substituted into ResourcePath, encoded as path
	// segments: a string, number or URN for a simple key, a map or struct for a
	// compound or complex key.
	PathKeys map[string]any
	// QueryParams are extra query parameters, Rest.li-encoded. A nil value is
	// omitted. "fields" and "projection" are sent as raw projection masks.
	QueryParams map[string]any
	// Version is the LinkedIn-Version for this call; it wins over the
	// client's default.
	Version string
	// AccessToken, when set, is sent as "Authorization: Bearer" for this call,
	// winning over any token layer.
	AccessToken string
	// Header holds extra headers for this call; they win over what the
	// builder and the layers would set.
	Header http.Header
	// FinderName is the finder, sent as q=FinderName.
	FinderName string
}

// RestliMethod returns MethodFinder.
func (FinderRequest) RestliMethod() Method { return MethodFinder }

func (r FinderRequest) base() requestBase {
	return requestBase{r.ResourcePath, r.PathKeys, r.QueryParams, r.Version, r.AccessToken, r.Header}
}

// BatchFinderRequest is a BATCH_FINDER: run a finder for several criteria at once (bq=FinderName).
type BatchFinderRequest struct {
	// ResourcePath is the resource path template, e.g. "/adAccounts/{id}".
	// Each {placeholder} is replaced by the matching PathKeys entry.
	ResourcePath string
	// PathKeys holds the keys substituted into ResourcePath, encoded as path
	// segments: a string, number or URN for a simple key, a map or struct for a
	// compound or complex key.
	PathKeys map[string]any
	// QueryParams are extra query parameters, Rest.li-encoded. A nil value is
	// omitted. "fields" and "projection" are sent as raw projection masks.
	QueryParams map[string]any
	// Version is the LinkedIn-Version for this call; it wins over the
	// client's default.
	Version string
	// AccessToken, when set, is sent as "Authorization: Bearer" for this call,
	// winning over any token layer.
	AccessToken string
	// Header holds extra headers for this call; they win over what the
	// builder and the layers would set.
	Header http.Header
	// FinderName is the batch finder, sent as bq=FinderName.
	FinderName string
	// CriteriaName is the query parameter that holds the criteria list,
	// e.g. "criteria" or "authorizationActions".
	CriteriaName string
	// Criteria are the search criteria, one result group each, in order.
	Criteria []any
}

// RestliMethod returns MethodBatchFinder.
func (BatchFinderRequest) RestliMethod() Method { return MethodBatchFinder }

func (r BatchFinderRequest) base() requestBase {
	return requestBase{r.ResourcePath, r.PathKeys, r.QueryParams, r.Version, r.AccessToken, r.Header}
}

// CreateRequest is a CREATE: create one entity; the new key comes back in X-RestLi-Id.
type CreateRequest struct {
	// ResourcePath is the resource path template, e.g. "/adAccounts/{id}".
	// Each {placeholder} is replaced by the matching PathKeys entry.
	ResourcePath string
	// PathKeys holds the keys substituted into ResourcePath, encoded as path
	// segments: a string, number or URN for a simple key, a map or struct for a
	// compound or complex key.
	PathKeys map[string]any
	// QueryParams are extra query parameters, Rest.li-encoded. A nil value is
	// omitted. "fields" and "projection" are sent as raw projection masks.
	QueryParams map[string]any
	// Version is the LinkedIn-Version for this call; it wins over the
	// client's default.
	Version string
	// AccessToken, when set, is sent as "Authorization: Bearer" for this call,
	// winning over any token layer.
	AccessToken string
	// Header holds extra headers for this call; they win over what the
	// builder and the layers would set.
	Header http.Header
	// Entity is the entity to create, sent as the JSON body.
	Entity any
}

// RestliMethod returns MethodCreate.
func (CreateRequest) RestliMethod() Method { return MethodCreate }

func (r CreateRequest) base() requestBase {
	return requestBase{r.ResourcePath, r.PathKeys, r.QueryParams, r.Version, r.AccessToken, r.Header}
}

// BatchCreateRequest is a BATCH_CREATE: create several entities.
type BatchCreateRequest struct {
	// ResourcePath is the resource path template, e.g. "/adAccounts/{id}".
	// Each {placeholder} is replaced by the matching PathKeys entry.
	ResourcePath string
	// PathKeys holds the keys substituted into ResourcePath, encoded as path
	// segments: a string, number or URN for a simple key, a map or struct for a
	// compound or complex key.
	PathKeys map[string]any
	// QueryParams are extra query parameters, Rest.li-encoded. A nil value is
	// omitted. "fields" and "projection" are sent as raw projection masks.
	QueryParams map[string]any
	// Version is the LinkedIn-Version for this call; it wins over the
	// client's default.
	Version string
	// AccessToken, when set, is sent as "Authorization: Bearer" for this call,
	// winning over any token layer.
	AccessToken string
	// Header holds extra headers for this call; they win over what the
	// builder and the layers would set.
	Header http.Header
	// Entities are the entities to create, sent as {"elements":[...]}.
	Entities []any
}

// RestliMethod returns MethodBatchCreate.
func (BatchCreateRequest) RestliMethod() Method { return MethodBatchCreate }

func (r BatchCreateRequest) base() requestBase {
	return requestBase{r.ResourcePath, r.PathKeys, r.QueryParams, r.Version, r.AccessToken, r.Header}
}

// UpdateRequest is a UPDATE: replace one entity.
type UpdateRequest struct {
	// ResourcePath is the resource path template, e.g. "/adAccounts/{id}".
	// Each {placeholder} is replaced by the matching PathKeys entry.
	ResourcePath string
	// PathKeys holds the keys substituted into ResourcePath, encoded as path
	// segments: a string, number or URN for a simple key, a map or struct for a
	// compound or complex key.
	PathKeys map[string]any
	// QueryParams are extra query parameters, Rest.li-encoded. A nil value is
	// omitted. "fields" and "projection" are sent as raw projection masks.
	QueryParams map[string]any
	// Version is the LinkedIn-Version for this call; it wins over the
	// client's default.
	Version string
	// AccessToken, when set, is sent as "Authorization: Bearer" for this call,
	// winning over any token layer.
	AccessToken string
	// Header holds extra headers for this call; they win over what the
	// builder and the layers would set.
	Header http.Header
	// Entity is the full new entity.
	Entity any
}

// RestliMethod returns MethodUpdate.
func (UpdateRequest) RestliMethod() Method { return MethodUpdate }

func (r UpdateRequest) base() requestBase {
	return requestBase{r.ResourcePath, r.PathKeys, r.QueryParams, r.Version, r.AccessToken, r.Header}
}

// BatchUpdateRequest is a BATCH_UPDATE: replace several entities.
type BatchUpdateRequest struct {
	// ResourcePath is the resource path template, e.g. "/adAccounts/{id}".
	// Each {placeholder} is replaced by the matching PathKeys entry.
	ResourcePath string
	// PathKeys holds the keys substituted into ResourcePath, encoded as path
	// segments: a string, number or URN for a simple key, a map or struct for a
	// compound or complex key.
	PathKeys map[string]any
	// QueryParams are extra query parameters, Rest.li-encoded. A nil value is
	// omitted. "fields" and "projection" are sent as raw projection masks.
	QueryParams map[string]any
	// Version is the LinkedIn-Version for this call; it wins over the
	// client's default.
	Version string
	// AccessToken, when set, is sent as "Authorization: Bearer" for this call,
	// winning over any token layer.
	AccessToken string
	// Header holds extra headers for this call; they win over what the
	// builder and the layers would set.
	Header http.Header
	// IDs are the keys to update.
	IDs []any
	// Entities are the new entities, one per IDs entry, in the same order.
	Entities []any
}

// RestliMethod returns MethodBatchUpdate.
func (BatchUpdateRequest) RestliMethod() Method { return MethodBatchUpdate }

func (r BatchUpdateRequest) base() requestBase {
	return requestBase{r.ResourcePath, r.PathKeys, r.QueryParams, r.Version, r.AccessToken, r.Header}
}

// PartialUpdateRequest is a PARTIAL_UPDATE: change some fields of one entity with a patch.
type PartialUpdateRequest struct {
	// ResourcePath is the resource path template, e.g. "/adAccounts/{id}".
	// Each {placeholder} is replaced by the matching PathKeys entry.
	ResourcePath string
	// PathKeys holds the keys substituted into ResourcePath, encoded as path
	// segments: a string, number or URN for a simple key, a map or struct for a
	// compound or complex key.
	PathKeys map[string]any
	// QueryParams are extra query parameters, Rest.li-encoded. A nil value is
	// omitted. "fields" and "projection" are sent as raw projection masks.
	QueryParams map[string]any
	// Version is the LinkedIn-Version for this call; it wins over the
	// client's default.
	Version string
	// AccessToken, when set, is sent as "Authorization: Bearer" for this call,
	// winning over any token layer.
	AccessToken string
	// Header holds extra headers for this call; they win over what the
	// builder and the layers would set.
	Header http.Header
	// PatchSetObject, when not nil, is sent as {"patch":{"$set":PatchSetObject}}.
	// A Patch value is sent as the patch itself.
	PatchSetObject any
	// OriginalEntity and ModifiedEntity, used when PatchSetObject is nil, are
	// diffed into a patch (see DiffPatch).
	OriginalEntity any
	ModifiedEntity any
}

// RestliMethod returns MethodPartialUpdate.
func (PartialUpdateRequest) RestliMethod() Method { return MethodPartialUpdate }

func (r PartialUpdateRequest) base() requestBase {
	return requestBase{r.ResourcePath, r.PathKeys, r.QueryParams, r.Version, r.AccessToken, r.Header}
}

// BatchPartialUpdateRequest is a BATCH_PARTIAL_UPDATE: patch several entities.
type BatchPartialUpdateRequest struct {
	// ResourcePath is the resource path template, e.g. "/adAccounts/{id}".
	// Each {placeholder} is replaced by the matching PathKeys entry.
	ResourcePath string
	// PathKeys holds the keys substituted into ResourcePath, encoded as path
	// segments: a string, number or URN for a simple key, a map or struct for a
	// compound or complex key.
	PathKeys map[string]any
	// QueryParams are extra query parameters, Rest.li-encoded. A nil value is
	// omitted. "fields" and "projection" are sent as raw projection masks.
	QueryParams map[string]any
	// Version is the LinkedIn-Version for this call; it wins over the
	// client's default.
	Version string
	// AccessToken, when set, is sent as "Authorization: Bearer" for this call,
	// winning over any token layer.
	AccessToken string
	// Header holds extra headers for this call; they win over what the
	// builder and the layers would set.
	Header http.Header
	// IDs are the keys to patch.
	IDs []any
	// PatchSetObjects, when not nil, hold one $set object (or Patch) per IDs
	// entry.
	PatchSetObjects []any
	// OriginalEntities and ModifiedEntities, used when PatchSetObjects is nil,
	// are diffed pairwise into one patch per IDs entry.
	OriginalEntities []any
	ModifiedEntities []any
}

// RestliMethod returns MethodBatchPartialUpdate.
func (BatchPartialUpdateRequest) RestliMethod() Method { return MethodBatchPartialUpdate }

func (r BatchPartialUpdateRequest) base() requestBase {
	return requestBase{r.ResourcePath, r.PathKeys, r.QueryParams, r.Version, r.AccessToken, r.Header}
}

// DeleteRequest is a DELETE: delete one entity.
type DeleteRequest struct {
	// ResourcePath is the resource path template, e.g. "/adAccounts/{id}".
	// Each {placeholder} is replaced by the matching PathKeys entry.
	ResourcePath string
	// PathKeys holds the keys substituted into ResourcePath, encoded as path
	// segments: a string, number or URN for a simple key, a map or struct for a
	// compound or complex key.
	PathKeys map[string]any
	// QueryParams are extra query parameters, Rest.li-encoded. A nil value is
	// omitted. "fields" and "projection" are sent as raw projection masks.
	QueryParams map[string]any
	// Version is the LinkedIn-Version for this call; it wins over the
	// client's default.
	Version string
	// AccessToken, when set, is sent as "Authorization: Bearer" for this call,
	// winning over any token layer.
	AccessToken string
	// Header holds extra headers for this call; they win over what the
	// builder and the layers would set.
	Header http.Header
}

// RestliMethod returns MethodDelete.
func (DeleteRequest) RestliMethod() Method { return MethodDelete }

func (r DeleteRequest) base() requestBase {
	return requestBase{r.ResourcePath, r.PathKeys, r.QueryParams, r.Version, r.AccessToken, r.Header}
}

// BatchDeleteRequest is a BATCH_DELETE: delete several entities.
type BatchDeleteRequest struct {
	// ResourcePath is the resource path template, e.g. "/adAccounts/{id}".
	// Each {placeholder} is replaced by the matching PathKeys entry.
	ResourcePath string
	// PathKeys holds the keys substituted into ResourcePath, encoded as path
	// segments: a string, number or URN for a simple key, a map or struct for a
	// compound or complex key.
	PathKeys map[string]any
	// QueryParams are extra query parameters, Rest.li-encoded. A nil value is
	// omitted. "fields" and "projection" are sent as raw projection masks.
	QueryParams map[string]any
	// Version is the LinkedIn-Version for this call; it wins over the
	// client's default.
	Version string
	// AccessToken, when set, is sent as "Authorization: Bearer" for this call,
	// winning over any token layer.
	AccessToken string
	// Header holds extra headers for this call; they win over what the
	// builder and the layers would set.
	Header http.Header
	// IDs are the keys to delete.
	IDs []any
}

// RestliMethod returns MethodBatchDelete.
func (BatchDeleteRequest) RestliMethod() Method { return MethodBatchDelete }

func (r BatchDeleteRequest) base() requestBase {
	return requestBase{r.ResourcePath, r.PathKeys, r.QueryParams, r.Version, r.AccessToken, r.Header}
}

// ActionRequest is a ACTION: call a named action (action=ActionName) with parameters in the body.
type ActionRequest struct {
	// ResourcePath is the resource path template, e.g. "/adAccounts/{id}".
	// Each {placeholder} is replaced by the matching PathKeys entry.
	ResourcePath string
	// PathKeys holds the keys substituted into ResourcePath, encoded as path
	// segments: a string, number or URN for a simple key, a map or struct for a
	// compound or complex key.
	PathKeys map[string]any
	// QueryParams are extra query parameters, Rest.li-encoded. A nil value is
	// omitted. "fields" and "projection" are sent as raw projection masks.
	QueryParams map[string]any
	// Version is the LinkedIn-Version for this call; it wins over the
	// client's default.
	Version string
	// AccessToken, when set, is sent as "Authorization: Bearer" for this call,
	// winning over any token layer.
	AccessToken string
	// Header holds extra headers for this call; they win over what the
	// builder and the layers would set.
	Header http.Header
	// ActionName is the action, sent as action=ActionName.
	ActionName string
	// ActionParams are the action's parameters: a map or struct sent as the
	// JSON body object; nil sends {}.
	ActionParams any
}

// RestliMethod returns MethodAction.
func (ActionRequest) RestliMethod() Method { return MethodAction }

func (r ActionRequest) base() requestBase {
	return requestBase{r.ResourcePath, r.PathKeys, r.QueryParams, r.Version, r.AccessToken, r.Header}
}
