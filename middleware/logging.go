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
	// Level is the level of the line logged for each attempt (zero: Info).
	// An attempt that ends in an error is logged at Level or Warn,
	// whichever is higher. When the logger does not log Level, the layer
	// does no work at all.
	Level slog.Level
	// AllowedHeaders adds headers whose values are logged to the defaults:
	// Accept, Content-Length, Content-Type, Date, LinkedIn-Version, Location,
	// Retry-After, User-Agent, X-HTTP-Method-Override, X-Li-Fabric,
	// X-Li-Request-Id, X-Li-Uuid, X-RestLi-Error-Response, X-RestLi-Id,
	// X-RestLi-Method and X-RestLi-Protocol-Version. Names are
	// case-insensitive. Every other header is logged with its value
	// replaced by "REDACTED", and so is every header IsSensitiveHeader
	// rejects (Authorization, Cookie, anything token-like), even if listed.
	AllowedHeaders []string
	// AllowedQueryParams adds query parameters whose values are logged to
	// the defaults: q, start, count, fields and pageSize. Names are
	// case-sensitive, as in Rest.li. Every other value is replaced by
	// "REDACTED", and so is every parameter IsSensitiveParam rejects.
	AllowedQueryParams []string
	// LogBodies logs the first MaxBodyBytes of the request and response
	// bodies. The bodies still reach the server and the caller whole. A
	// form-encoded body (a tunneled query) is redacted like a query string.
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
		logger:   logger,
		level:    opts.Level,
		errLevel: max(opts.Level, slog.LevelWarn),
		bodies:   opts.LogBodies,
		maxBody:  opts.MaxBodyBytes,
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
	t.params = make(map[string]bool, len(logDefaultParams)+len(opts.AllowedQueryParams))
	for _, p := range logDefaultParams {
		t.params[p] = true
	}
	for _, p := range opts.AllowedQueryParams {
		t.params[p] = true
	}
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
	next            http.RoundTripper
	logger          *slog.Logger
	level, errLevel slog.Level
	headers         map[string]bool // canonical header names
	params          map[string]bool
	bodies          bool
	maxBody         int
	versions        *versionWarner // nil when off
}

func (t *logTransport) headerAllowed(name string) bool { return t.headers[name] }
func (t *logTransport) paramAllowed(name string) bool  { return t.params[name] }

// RoundTrip implements http.RoundTripper.
func (t *logTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if !t.logger.Enabled(ctx, t.level) {
		defer t.versions.check(ctx, req, t.logger)
		return t.next.RoundTrip(req)
	}
	var reqBody string
	if t.bodies {
		req, reqBody = t.captureRequestBody(req)
	}
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	elapsed := time.Since(start)

	attrs := make([]slog.Attr, 0, 16)
	attrs = append(attrs,
		slog.String("method", logMethod(req)),
		slog.String("url", logRedactURL(req.URL, t.paramAllowed)),
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
	level := t.level
	if err != nil {
		level = t.errLevel
		attrs = append(attrs,
			slog.String("error.type", logErrorType(err)),
			slog.String("error", t.redactError(err, req)),
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
			if respBody := t.captureResponseBody(resp); respBody != "" {
				attrs = append(attrs, slog.String("response.body", respBody))
			}
		}
	}
	t.logger.LogAttrs(ctx, level, "linkedin http attempt", attrs...)
	t.versions.check(ctx, req, t.logger) // after the attempt's own line
	return resp, err
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

// redactError returns err's text without the request's query values or its
// credentials. net/http's *url.Error holds the whole URL, query included.
func (t *logTransport) redactError(err error, req *http.Request) string {
	var ue *url.Error
	var msg string
	if errors.As(err, &ue) {
		u := ue.URL
		if pu, perr := url.Parse(ue.URL); perr == nil {
			u = logRedactURL(pu, t.paramAllowed)
		} else {
			u = Redacted
		}
		inner := ""
		if ue.Err != nil {
			inner = ue.Err.Error()
		}
		msg = ue.Op + " " + u + ": " + inner
	} else {
		msg = err.Error()
	}
	return logScrub(msg, req, t.paramAllowed)
}

// logScrub removes from msg the request's raw query and the value of every
// sensitive request header, in case an error quoted them.
func logScrub(msg string, req *http.Request, allowed func(string) bool) string {
	if req.URL != nil && req.URL.RawQuery != "" && strings.Contains(msg, req.URL.RawQuery) {
		msg = strings.ReplaceAll(msg, req.URL.RawQuery, logRedactQuery(req.URL.RawQuery, allowed))
	}
	for k, vs := range req.Header {
		if !IsSensitiveHeader(k) {
			continue
		}
		for _, v := range vs {
			// Scrub "Bearer <token>" and the bare token alike.
			if _, tok, ok := strings.Cut(v, " "); ok && len(tok) >= 4 {
				msg = strings.ReplaceAll(msg, tok, Redacted)
			}
			if len(v) >= 4 {
				msg = strings.ReplaceAll(msg, v, Redacted)
			}
		}
	}
	return msg
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
func (t *logTransport) captureRequestBody(req *http.Request) (*http.Request, string) {
	if req.Body == nil || req.Body == http.NoBody {
		return req, ""
	}
	var prefix []byte
	truncated := false
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return req, ""
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
	return req, t.renderBody(req.Header.Get(hdrContentType), prefix, truncated)
}

// captureResponseBody reads the first bytes of resp.Body for logging and
// puts them back in front of the rest, so the caller reads the whole body.
func (t *logTransport) captureResponseBody(resp *http.Response) string {
	if resp.Body == nil || resp.Body == http.NoBody {
		return ""
	}
	prefix, truncated, rest := logReadPrefix(resp.Body, t.maxBody)
	resp.Body = logBody{Reader: io.MultiReader(bytes.NewReader(prefix), rest), Closer: resp.Body}
	return t.renderBody(resp.Header.Get(hdrContentType), prefix, truncated)
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

// renderBody turns a body prefix into loggable text: form bodies (tunneled
// queries) are redacted like a query string, and the form part of a
// tunneled multipart/mixed body likewise.
func (t *logTransport) renderBody(contentType string, b []byte, truncated bool) string {
	shown := b
	if len(shown) > t.maxBody {
		shown = shown[:t.maxBody]
		truncated = true
	}
	mt, params, _ := mime.ParseMediaType(contentType)
	var s string
	switch {
	case mt == tunnelFormType:
		// A cut form body could end in a partial value: redact all of it
		// the same way.
		s = logRedactQuery(string(shown), t.paramAllowed)
	case mt == "multipart/mixed" && params["boundary"] != "":
		s = t.renderMultipart(b, params["boundary"])
	default:
		s = string(shown)
	}
	if truncated {
		s += "…(truncated)"
	}
	return s
}

// renderMultipart renders the parts of a (possibly cut) multipart body,
// redacting form parts. A part that cannot be read is omitted.
func (t *logTransport) renderMultipart(b []byte, boundary string) string {
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
		if mt, _, _ := mime.ParseMediaType(ct); mt == tunnelFormType {
			out.WriteString(ct + ": " + logRedactQuery(string(data), t.paramAllowed))
		} else {
			out.WriteString(ct + ": " + string(data))
		}
		if err != nil {
			break
		}
	}
	if out.Len() == 0 {
		return "[multipart body omitted]"
	}
	return out.String()
}
