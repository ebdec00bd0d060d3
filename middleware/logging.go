package middleware

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/linkedin-go/linkedin/restli"
)

// DefaultMaxLogBodyBytes is how much of each body Logging records when
// LoggingOptions.LogBodies is set and MaxBodyBytes is zero.
const DefaultMaxLogBodyBytes = 4 << 10

// logDefaultHeaders are the headers whose values Logging shows by default:
// protocol and diagnostic headers that hold no secret.
var logDefaultHeaders = [...]string{
	"Accept", "Content-Length", "Content-Type", "Date", "Linkedin-Version", "Location",
	"Retry-After", "User-Agent", "X-Http-Method-Override", "X-Li-Fabric",
	"X-Li-Request-Id", "X-Li-Uuid", "X-Restli-Error-Response", "X-Restli-Id",
	"X-Restli-Method", "X-Restli-Protocol-Version",
}

// logDefaultParams are the query parameters whose values Logging shows by
// default: the finder name and the paging and projection parameters.
var logDefaultParams = [...]string{"q", "start", "count", "fields", "pageSize"}

// LoggingOptions configures Logging. The zero value means the defaults.
type LoggingOptions struct {
	// Level is the level of the line logged for each attempt that gets an
	// answer below 500 other than 429 (zero: Info). A 5xx or 429 answer is
	// logged at Level or Warn, whichever is higher, and an attempt that ends
	// in a transport error (no answer) at Level or Error, whichever is
	// higher. When the logger does not log Level, only the lines it does
	// log at those higher levels are written (without the request body,
	// which is not kept for them); when it logs none of the three levels,
	// the layer does no work at all.
	Level slog.Level
	// AllowedHeaders adds headers whose values are logged to the defaults:
	// Accept, Content-Length, Content-Type, Date, LinkedIn-Version, Location,
	// Retry-After, User-Agent, X-HTTP-Method-Override, X-Li-Fabric,
	// X-Li-Request-Id, X-Li-Uuid, X-RestLi-Error-Response, X-RestLi-Id,
	// X-RestLi-Method and X-RestLi-Protocol-Version. Names are
	// case-insensitive. Every other header is logged with its value
	// replaced by "REDACTED", and so is every header restli.IsSensitiveName
	// rejects (Authorization, Cookie, anything token-like), even if listed.
	AllowedHeaders []string
	// AllowedQueryParams adds query parameters whose values are logged to
	// the defaults: q, start, count, fields and pageSize. Names are
	// case-sensitive, as in Rest.li. Every other value is replaced by
	// "REDACTED", and so is every parameter restli.IsSensitiveName reports.
	AllowedQueryParams []string
	// LogBodies logs the first MaxBodyBytes of the request and response
	// bodies. The bodies still reach the server and the caller whole. They
	// are redacted by restli.RedactBody: a form-encoded body (a tunneled
	// query, a token request) like a query string, a JSON body (a token
	// endpoint's answer) member by member (access_token, refresh_token,
	// id_token… read "REDACTED"), and the credentials of a token request's
	// form are scrubbed from the answer too.
	LogBodies bool
	// MaxBodyBytes bounds each logged body (zero: DefaultMaxLogBodyBytes).
	MaxBodyBytes int
	// Version is the LinkedIn-Version the header layer adds to requests that
	// carry none (package transport sets it from WithVersion), so that the
	// version warning covers it.
	Version string
	// VersionWarnMonths is how old a LinkedIn-Version must be, in months
	// after its release, for the layer to log one Warn line about it, once
	// per layer (so per client) and version: LinkedIn sunsets a version
	// about a year after its release, and the line shows it months ahead.
	// Zero means restli.DefaultVersionWarnMonths (10); negative turns the
	// warning off.
	VersionWarnMonths int
	// Clock is the clock the version's age is measured by (nil: time.Now).
	Clock func() time.Time
}

// Logging returns a layer that logs one structured line per wire attempt to
// logger, after the attempt ends, with these attributes:
//
//	method            the HTTP method on the wire (POST for a tunneled request)
//	url               the URL, query values redacted except the allow-list
//	status            the response status code, when there is a response
//	duration          the time to the response headers (or the error)
//	attempt           the resend count (restli.AttemptFromContext): 0 for the first
//	restli.method     the Rest.li method, from the call description or X-RestLi-Method
//	restli.resource   the resource template, from the call description
//	method_override   X-HTTP-Method-Override, on a tunneled request
//	error.type        on failure: the error's ErrorType(), or its Go type
//	error             on failure: the error text with the URL's query and any token removed
//	request.headers   every request header, values redacted except the allow-list
//	response.headers  every response header, likewise
//	request.body, response.body   the first bytes of each, when LogBodies is set
//
// Once per layer (so per client) and LinkedIn-Version, it also logs a Warn
// line "linkedin version nears its sunset" when the version is
// VersionWarnMonths old or older (10 by default): LinkedIn answers 426 to
// every call once it sunsets a version, about a year after its release.
//
// Authorization, Cookie and every other token-like header or parameter are
// never logged, whatever the options say. A nil logger gives a layer that
// does nothing.
func Logging(logger *slog.Logger, opts LoggingOptions) func(http.RoundTripper) http.RoundTripper {
	if logger == nil {
		return hdrIdentity
	}
	t := &logTransport{
		logger:    logger,
		level:     opts.Level,
		warnLevel: max(opts.Level, slog.LevelWarn),
		errLevel:  max(opts.Level, slog.LevelError),
		bodies:    opts.LogBodies,
		maxBody:   opts.MaxBodyBytes,
	}
	if t.maxBody <= 0 {
		t.maxBody = DefaultMaxLogBodyBytes
	}
	t.headers = make(map[string]bool, len(logDefaultHeaders)+len(opts.AllowedHeaders))
	for _, h := range logDefaultHeaders {
		t.headers[h] = true
	}
	for _, h := range opts.AllowedHeaders {
		t.headers[http.CanonicalHeaderKey(h)] = true
	}
	t.params = append(append(make([]string, 0, len(logDefaultParams)+len(opts.AllowedQueryParams)),
		logDefaultParams[:]...), opts.AllowedQueryParams...)
	return func(next http.RoundTripper) http.RoundTripper {
		t2 := *t
		t2.next = next
		t2.versions = newVersionWarner(opts)
		return &t2
	}
}

// logTransport is the Logging layer. Its allow-lists are read-only after
// construction, so one value serves concurrent requests.
type logTransport struct {
	next   http.RoundTripper
	logger *slog.Logger
	// level for an ordinary answer, warnLevel for a 5xx or 429 answer,
	// errLevel for a transport error.
	level, warnLevel, errLevel slog.Level
	headers                    map[string]bool // canonical header names
	params                     []string        // query parameters whose values are shown
	bodies                     bool
	maxBody                    int
	versions                   *versionWarner // nil when off
}

func (t *logTransport) headerAllowed(name string) bool { return t.headers[name] }

// RoundTrip implements http.RoundTripper.
func (t *logTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	full := t.logger.Enabled(ctx, t.level)
	if !full && !t.logger.Enabled(ctx, t.errLevel) {
		defer t.versions.check(ctx, req, t.logger)
		return t.next.RoundTrip(req)
	}
	var reqBody string
	var secrets []string // credentials in the request body, scrubbed from the answer
	if t.bodies && full {
		req, reqBody, secrets = t.captureRequestBody(req)
	}
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	elapsed := time.Since(start)
	level := t.outcomeLevel(resp, err)
	if !full && !t.logger.Enabled(ctx, level) {
		t.versions.check(ctx, req, t.logger)
		return resp, err
	}

	attrs := make([]slog.Attr, 0, 16)
	attrs = append(attrs,
		slog.String("method", logMethod(req)),
		slog.String("url", logURL(req.URL, t.params)),
	)
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	}
	attrs = append(attrs,
		slog.Duration("duration", elapsed),
		slog.Int("attempt", restli.AttemptFromContext(ctx)),
	)
	info, _ := restli.CallInfoFromContext(ctx)
	if m := string(info.Method); m != "" {
		attrs = append(attrs, slog.String("restli.method", m))
	} else if m := req.Header.Get(hdrRestliMethod); m != "" {
		attrs = append(attrs, slog.String("restli.method", strings.ToLower(m)))
	}
	if info.Resource != "" {
		attrs = append(attrs, slog.String("restli.resource", info.Resource))
	}
	if o := req.Header.Get(hdrMethodOverride); o != "" {
		attrs = append(attrs, slog.String("method_override", o))
	}
	if err != nil {
		attrs = append(attrs,
			slog.String("error.type", logErrorType(err)),
			slog.String("error", restli.RedactRequestText(err.Error(), req, secrets...)),
		)
	}
	attrs = append(attrs, t.headerGroup("request.headers", req.Header))
	if resp != nil {
		attrs = append(attrs, t.headerGroup("response.headers", resp.Header))
	}
	if t.bodies {
		if reqBody != "" {
			attrs = append(attrs, slog.String("request.body", reqBody))
		}
		if resp != nil {
			if respBody := t.captureResponseBody(resp, req, secrets); respBody != "" {
				attrs = append(attrs, slog.String("response.body", respBody))
			}
		}
	}
	t.logger.LogAttrs(ctx, level, "linkedin http attempt", attrs...)
	t.versions.check(ctx, req, t.logger) // after the attempt's own line
	return resp, err
}

// outcomeLevel is the level of an attempt's line: errLevel for a transport
// error, warnLevel for a 5xx or 429 answer, else level.
func (t *logTransport) outcomeLevel(resp *http.Response, err error) slog.Level {
	switch {
	case err != nil:
		return t.errLevel
	case resp != nil && (resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests):
		return t.warnLevel
	}
	return t.level
}

func logMethod(req *http.Request) string {
	if req.Method == "" {
		return http.MethodGet
	}
	return req.Method
}

// headerGroup renders h as a group with sorted keys and redacted values.
func (t *logTransport) headerGroup(key string, h http.Header) slog.Attr {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	slices.Sort(names)
	attrs := make([]any, 0, len(names))
	for _, k := range names {
		attrs = append(attrs, slog.String(k, logHeaderValue(k, h[k], t.headerAllowed)))
	}
	return slog.Group(key, attrs...)
}

// logURL is the redacted text of u ("" for nil).
func logURL(u *url.URL, allowed []string) string {
	if u == nil {
		return ""
	}
	return restli.RedactURL(u.String(), allowed...)
}

// logHeaderValue returns the value of a header as it may be logged: the
// values, each redacted by restli.RedactHeaderValue, joined by ", ".
func logHeaderValue(name string, values []string, allowed func(string) bool) string {
	ok := allowed(http.CanonicalHeaderKey(name))
	if len(values) == 1 {
		return restli.RedactHeaderValue(name, values[0], ok)
	}
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = restli.RedactHeaderValue(name, v, ok)
	}
	return strings.Join(out, ", ")
}

// logErrorType returns a low-cardinality name for err, for logs and the
// error.type attribute of OpenTelemetry: the ErrorType() of the first error
// in its chain that has one, "context.Canceled" or
// "context.DeadlineExceeded" for those, else the Go type of the innermost
// error below any *url.Error (such as "*net.OpError"). A nil err gives "".
func logErrorType(err error) string {
	if err == nil {
		return ""
	}
	var et interface{ ErrorType() string }
	if errors.As(err, &et) {
		return et.ErrorType()
	}
	switch {
	case errors.Is(err, context.Canceled):
		return "context.Canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "context.DeadlineExceeded"
	}
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		err = ue.Err
	}
	return fmt.Sprintf("%T", err)
}

// captureRequestBody returns the request to send and the first bytes of its
// body, redacted for logging. A replayable body is read through GetBody; a
// body that is not is read in part and stitched back in front of the rest,
// on a copy of the request.
func (t *logTransport) captureRequestBody(req *http.Request) (*http.Request, string, []string) {
	if req.Body == nil || req.Body == http.NoBody {
		return req, "", nil
	}
	var prefix []byte
	truncated := false
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return req, "", nil
		}
		prefix, truncated, _ = logReadPrefix(rc, t.maxBody)
		rc.Close()
	} else {
		var rest io.Reader
		prefix, truncated, rest = logReadPrefix(req.Body, t.maxBody)
		r2 := new(http.Request)
		*r2 = *req
		r2.Body = logBody{Reader: io.MultiReader(bytes.NewReader(prefix), rest), Closer: req.Body}
		req = r2
	}
	secrets := formSecrets(req.Header.Get(hdrContentType), prefix)
	return req, t.renderBody(req.Header.Get(hdrContentType), prefix, truncated, secrets), secrets
}

// formSecrets returns the values of the sensitive fields of a form body
// (a token request's refresh_token, code, client_secret…), which an answer
// might echo.
func formSecrets(contentType string, body []byte) []string {
	if mt, _, _ := mime.ParseMediaType(contentType); mt != tunnelFormType {
		return nil
	}
	var out []string
	for part := range strings.SplitSeq(string(body), "&") {
		name, v, ok := strings.Cut(part, "=")
		if !ok || v == "" {
			continue
		}
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if restli.IsSensitiveName(name) {
			out = append(out, v)
			if dv, err := url.QueryUnescape(v); err == nil && dv != v {
				out = append(out, dv)
			}
		}
	}
	return out
}

// captureResponseBody reads the first bytes of resp.Body for logging and
// puts them back in front of the rest, so the caller reads the whole body.
func (t *logTransport) captureResponseBody(resp *http.Response, req *http.Request, secrets []string) string {
	if resp.Body == nil || resp.Body == http.NoBody {
		return ""
	}
	prefix, truncated, rest := logReadPrefix(resp.Body, t.maxBody)
	resp.Body = logBody{Reader: io.MultiReader(bytes.NewReader(prefix), rest), Closer: resp.Body}
	// The answer may echo what the request carried (a token, a code).
	secrets = append(restli.RequestSecrets(req), secrets...)
	return t.renderBody(resp.Header.Get(hdrContentType), prefix, truncated, secrets)
}

// logBody joins a reader to the original body's Close.
type logBody struct {
	io.Reader
	io.Closer
}

// logReadPrefix reads up to n bytes of r. rest yields what follows them,
// including a read error that is not io.EOF.
func logReadPrefix(r io.Reader, n int) (prefix []byte, truncated bool, rest io.Reader) {
	buf := make([]byte, n+1)
	m, err := io.ReadFull(r, buf)
	switch err {
	case nil:
		// More may follow: keep the extra byte in the replay, cut the log.
		return buf[:m], true, r
	case io.EOF, io.ErrUnexpectedEOF:
		return buf[:m], false, r
	default:
		return buf[:m], false, logErrReader{err}
	}
}

type logErrReader struct{ err error }

func (e logErrReader) Read([]byte) (int, error) { return 0, e.err }

// renderBody turns a body prefix into loggable text, redacted by
// restli.RedactBody (form bodies like a query string, JSON bodies member by
// member), and the parts of a tunneled multipart/mixed body likewise.
func (t *logTransport) renderBody(contentType string, b []byte, truncated bool, secrets []string) string {
	shown := b
	if len(shown) > t.maxBody {
		shown = shown[:t.maxBody]
		truncated = true
	}
	mt, params, _ := mime.ParseMediaType(contentType)
	var s string
	if mt == "multipart/mixed" && params["boundary"] != "" {
		s = t.renderMultipart(b, params["boundary"], secrets)
	} else {
		// A cut body could end in a partial value: the redaction works on
		// text cut short.
		s = restli.RedactBody(contentType, shown, secrets, t.params...)
	}
	if truncated {
		s += "…(truncated)"
	}
	return s
}

// renderMultipart renders the parts of a (possibly cut) multipart body,
// each redacted by restli.RedactBody. A part that cannot be read is
// omitted.
func (t *logTransport) renderMultipart(b []byte, boundary string, secrets []string) string {
	mr := multipart.NewReader(bytes.NewReader(b), boundary)
	var out strings.Builder
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		data, err := io.ReadAll(io.LimitReader(p, int64(t.maxBody)))
		if out.Len() > 0 {
			out.WriteString(" | ")
		}
		ct := p.Header.Get(hdrContentType)
		out.WriteString(ct + ": " + restli.RedactBody(ct, data, secrets, t.params...))
		if err != nil {
			break
		}
	}
	if out.Len() == 0 {
		return "[multipart body omitted]"
	}
	return out.String()
}
