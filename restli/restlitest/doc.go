// Package restlitest provides an in-memory fake of LinkedIn's Rest.li API
// and OAuth 2.0 endpoints, for testing code that uses this module (or any
// LinkedIn client) without a LinkedIn account, in the manner of
// net/http/httptest.
//
// NewServer starts a Server on a loopback address. It serves the Rest.li
// API under URL+"/rest" (versioned: LinkedIn-Version required) and
// URL+"/v2", with all 14 Rest.li methods over generic in-memory
// collections, and LinkedIn's OAuth endpoints under URL+"/oauth/v2/".
// Client returns an *http.Client with the module's default stack
// (transport.NewClient) and a valid token; RestliClient a ready
// *restli.Client:
//
//	srv := restlitest.NewServer()
//	defer srv.Close()
//	c := srv.RestliClient()
//	created, err := c.Create(ctx, restli.CreateRequest{ResourcePath: "/adAccounts", Entity: account})
//	got, err := c.Get(ctx, restli.GetRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": created.EntityID}})
//
// Because restlitest imports packages restli, transport and oauth, tests of
// those packages that use it must be external test packages (package
// restli_test, transport_test, oauth_test), or the import is a cycle.
//
// # Resources and keys
//
// A collection is created on its first write, or by Seed and Collection.
// Paths alternate resource names and keys: "/adAccounts/123",
// "/parents/1/children/2"; a path with an even number of segments ends
// with an entity key. Keys are decoded as a Rest.li server decodes them
// (protocol §4.3): a simple key in the path is plain percent-decoded; a
// compound (association) or complex key, which starts with "(", is parsed
// with restli.Decode; ids=List(…) with restli.Decode; keys of batch request
// bodies raw (simple) or with restli.ReducedDecode (compound). Every key is
// stored in canonical form, its Rest.li response key (restli.ResponseKey:
// a simple key's text, a compound or complex key's reduced encoding
// without "$params"), so the same key matches wherever it is written and
// "$params" never count for identity. Response maps (BATCH_GET results,
// batch statuses) and X-RestLi-Id use that form too.
//
// A simple resource such as "/me" is the singleton of its collection:
// Seed(path, nil, entity) sets it, and GET, UPDATE, PARTIAL_UPDATE and
// DELETE address it when the path has no key.
//
// # Methods
//
// Requests are routed by HTTP method and X-RestLi-Method (case-insensitive;
// it must be one of the 14 and fit the HTTP method). Without the header,
// the method is inferred as the reference router does: GET is FINDER (q),
// BATCH_FINDER (bq), BATCH_GET (ids), GET (a key, or a simple resource that
// has its singleton) or GET_ALL; PUT is BATCH_UPDATE (ids) or UPDATE;
// DELETE is BATCH_DELETE (ids) or DELETE; POST is ACTION (action),
// PARTIAL_UPDATE (a key) or CREATE. BATCH_CREATE and BATCH_PARTIAL_UPDATE
// need the header.
//
// Answers follow protocol §5: GET 200 or 404; BATCH_GET 200 with results,
// statuses (empty) and errors (404 per missing key); GET_ALL and FINDER a
// CollectionResponse paged with start and count (defaults 0 and 10) and
// paging.total; BATCH_FINDER one result per criterion, each paged alike;
// CREATE 201 with X-RestLi-Id and Location and an empty body (the entity
// with $returnEntity=true); BATCH_CREATE 200 with a 201 status, id and
// location per element; UPDATE 204; BATCH_UPDATE and BATCH_PARTIAL_UPDATE
// 200 with {"status":204} per key, and a 404 in errors for a missing key;
// PARTIAL_UPDATE 204 (200 with the entity under $returnEntity=true);
// DELETE 204 or 404; BATCH_DELETE 200 with status 204 or 404 per key in
// results; ACTION 200 with {"value":…}, or an empty body for a void action.
// Every Rest.li response echoes X-RestLi-Protocol-Version: 2.0.0.
//
// Decisions where Rest.li leaves the choice to the resource:
//
//   - CREATE stores the entity under its "id" member when it has one (a
//     string, a number or, for a compound key, a record); otherwise under
//     the next integer of the collection (1, 2, …), which is also set as
//     its "id"; /posts answers LinkedIn-shaped keys instead
//     (urn:li:share:…, urn:li:ugcPost:… for a video post), /ugcPosts
//     urn:li:ugcPost:…, and WithIDGenerator sets any collection's.
//     Creating an id that exists answers 409.
//   - UPDATE replaces an existing entity and answers 404 for a missing one
//     (use CREATE or Seed to add), except on a simple resource, where it
//     sets the singleton.
//   - PARTIAL_UPDATE applies "$set", "$delete" and nested patches (field
//     names with '$' doubled); a nested patch creates an absent record
//     field. A patch that does not apply answers 400 and changes nothing.
//
// Collections are paged in insertion order. Finders, batch finders and
// actions are Go funcs registered per resource (HandleFinder,
// HandleCursorFinder, HandleBatchFinder, HandleAction). Every resource has
// the finder DefaultFinder ("all"), which pages the whole collection; an
// unknown finder, batch finder or action answers 400. The projections
// fields (Rest.li mask syntax, nested masks included) and projection
// (LinkedIn's decoration syntax) filter the entities returned.
//
// # Errors
//
// Errors carry LinkedIn's error body {"status":…,"serviceErrorCode":…,
// "code":…,"message":…} and X-RestLi-Error-Response: true:
//
//   - 401 INVALID_ACCESS_TOKEN (serviceErrorCode 65600): a missing, unknown,
//     expired or revoked token (unless WithoutAuth).
//   - 400 INVALID_PROTOCOL_VERSION: no X-RestLi-Protocol-Version: 2.0.0.
//   - 400 VERSION_MISSING: a /rest call without LinkedIn-Version.
//   - 426 NONEXISTENT_VERSION: a version WithVersions does not list, with
//     LinkedIn's body {"status":426,"code":"NONEXISTENT_VERSION","message":
//     "Requested version 20240401 is not active"} (eight digits for 202404).
//   - 403 ACCESS_DENIED: a token without the scopes RequireScopes asks for,
//     with LinkedIn's message "Not enough permissions to access:
//     posts.CREATE.20260101".
//   - 400 ILLEGAL_ARGUMENT: malformed percent-encoding or Rest.li syntax in
//     a path key or query value, a repeated query parameter, a bad
//     tunneled request, an unknown finder or action.
//   - 400 INVALID_METHOD: an unknown X-RestLi-Method, or one that does not
//     fit the HTTP method or the URL (missing ids, q, bq or action…).
//   - 400 INVALID_BODY: a body of the wrong shape.
//   - 404 NOT_FOUND, 409 DUPLICATE_ENTITY, 413 REQUEST_TOO_LARGE.
//
// The checks run in that order: token, protocol header, version, scopes,
// then the request itself. No error body ever contains a token.
//
// A CREATE on /rest/posts keeps what LinkedIn keeps of the "commentary":
// little text cut before the first unescaped reserved character (see
// package posts), with 201 all the same, as LinkedIn answers.
//
// # Query parsing and tunneling
//
// Queries are parsed as a Rest.li server parses them (ParseQuery): names
// form-decoded, values with restli.Decode (so '+' stays '+'), a repeated
// name is an error, projections are kept raw. Tunneled requests (a POST
// with X-HTTP-Method-Override, the query in an
// application/x-www-form-urlencoded body or in the first part of a
// multipart/mixed body whose next part is the real body) are decoded first
// (DecodeTunneled), and recorded with Tunneled set.
//
// # OAuth
//
// /oauth/v2/authorization redirects (302) straight back to the registered
// redirect URL with a code and the state, so a 3-legged flow completes with
// no browser; /oauth/v2/accessToken serves the authorization_code grant
// (single-use codes, redirect_uri and PKCE checked), refresh_token (the
// same refresh token comes back with its shrinking remaining lifetime) and
// client_credentials (2-legged, 1800 s); /oauth/v2/introspectToken reports
// a token's state. OAuthConfig returns an oauth.Config wired to them. The
// tokens issued are accepted by the API until they expire on the server's
// clock (WithClock, Advance) or are revoked (RevokeToken, ExpireTokens).
//
// # Webhooks
//
// The server also plays LinkedIn's webhook sender against an endpoint under
// test on a loopback address: ValidateWebhook runs the validation
// challenge, DeliverWebhook sends one notification signed with the
// application's client secret (in either reading of LinkedIn's signature
// documentation, or with a bad signature), and CheckWebhook runs the
// challenge, a delivery, its repeat, a delivery signed the other way and a
// bad signature, and reports every answer.
//
// # Members, OpenID Connect and the consent page
//
// AddMember registers members; the authorization flow signs one in (the
// no-browser shortcut: the first member, or SignInAs), and every token
// issued through it, or by AuthorizeMember, belongs to that member:
// /v2/userinfo and /v2/me answer for them (a token of no member still gets
// a seeded /userinfo or /me), and RevokeMember revokes all their tokens.
// The server is an OpenID Connect provider with issuer URL+"/oauth"
// (Issuer, OIDCOptions): discovery, a JWKS whose RS256 key RotateSigningKey
// replaces (the previous key stays published), and an id_token in the code
// exchange when the openid scope was granted, with the member's claims and
// the authorization request's nonce. WithConsentPage (or SetConsentPage)
// makes the authorization endpoint serve an HTML page for real browsers:
// the member to sign in as, the scopes, Allow and Cancel (which redirects
// with error=user_cancelled_authorize).
// # Ads reporting
//
// ServeAds serves a deterministic ads dataset (accounts, campaign groups,
// campaigns, creatives, daily metrics over a span AdsConfig sets) through
// LinkedIn's three adAnalytics finders, with LinkedIn's limits: no paging,
// answers cut without warning at AdsMaxElements (or AdsConfig.MaxElements),
// 400 for more than AdsMaxFields fields. AdsDataset.Truth returns the
// complete, uncut report of any query, to compare a client's result with.
// HandleUnpagedFinder registers any other finder without paging.
//
// # Faults and inspection
//
// Fail makes the next matching requests fail with a status (and
// Retry-After), a connection reset or a delay, before they are handled or,
// with AfterApply, after; SetFaultPolicy decides per request, for
// probabilistic soak tests. Requests returns the record of every request
// (Rest.li method, decoded keys and parameters, headers with the token
// redacted, whether it was tunneled, the fault injected, the status
// answered) and Count counts them.
//
// # Media
//
// /images, /documents and /videos serve initializeUpload, finalizeUpload
// and GET, with an upload host on the same server (UploadHost, under
// /dms-uploads/) that checks signatures, byte ranges and sizes, answers an
// ETag per part and expires URLs on the server's clock; media moves from
// PROCESSING to AVAILABLE after MediaOptions.ProcessingDelay, and a post
// naming media that is not AVAILABLE gets MEDIA_ASSET_WAITING_UPLOAD.
// FailUploadPart, DropUploadETag and FailMediaProcessing inject faults;
// MediaAsset reports what arrived.
package restlitest
