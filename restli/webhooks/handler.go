// This file holds the webhook endpoint: NewHandler and the http.Handler
// that answers LinkedIn's challenge and accepts signed notifications.

package webhooks

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
)

// DefaultMaxBodyBytes bounds a notification's body unless
// Options.MaxBodyBytes says otherwise. LinkedIn's notifications are a few
// kilobytes.
const DefaultMaxBodyBytes = 1 << 20

// maxChallengeCode bounds the challengeCode the handler answers (LinkedIn
// sends a 36-character UUID).
const maxChallengeCode = 256

// HandlerFunc processes one new notification. An error makes the handler
// answer 500, so LinkedIn counts the delivery as failed and may send it
// again; the notification is then not remembered as processed.
type HandlerFunc func(ctx context.Context, n *Notification) error

// Options configures NewHandler. The zero value means the defaults.
type Options struct {
	// ApplicationSecrets maps the applicationId that LinkedIn sends to
	// partner (parent-child) applications to that application's client
	// secret: the challenge is answered with it. Notifications are
	// accepted when signed with the client secret or any of these.
	ApplicationSecrets map[string]string
	// MaxBodyBytes bounds a notification's body (DefaultMaxBodyBytes when
	// zero); a larger one is answered 413.
	MaxBodyBytes int64
	// Store deduplicates deliveries by notification id (a new
	// NewMemoryStore with its defaults when nil). Share one across replicas
	// to deduplicate across them.
	Store Store
	// Logger, when set, gets a line for each delivery refused or failed:
	// the reason, never a secret, a signature or the body.
	Logger *slog.Logger
}

// Handler is LinkedIn's webhook endpoint, an http.Handler. Create it with
// NewHandler; it is safe for concurrent use.
type Handler struct {
	secret  string
	secrets []string // the client secret, then the applications' secrets
	apps    map[string]string
	handle  HandlerFunc
	maxBody int64
	store   Store
	logger  *slog.Logger
}

// NewHandler returns the webhook endpoint of the application whose client
// secret is clientSecret; handle gets each new notification. It answers:
//
//	GET  ?challengeCode=…[&applicationId=…]  200 {"challengeCode":…,"challengeResponse":…}, 400 without a code
//	POST, valid signature, new id           whatever handle decides: 200, or 500 on error
//	POST, valid signature, id seen before   200, handle not called
//	POST, missing or invalid signature      401, the body never parsed
//	POST, body over MaxBodyBytes            413
//	POST, body not a JSON object            400
//	other methods                           405
//
// An empty clientSecret or a nil handle is a configuration error, returned
// as such: a handler that cannot check signatures is never built.
func NewHandler(clientSecret string, handle HandlerFunc, opts Options) (*Handler, error) {
	if clientSecret == "" {
		return nil, errors.New("webhooks: NewHandler: the client secret is empty")
	}
	if handle == nil {
		return nil, errors.New("webhooks: NewHandler: the handler func is nil")
	}
	h := &Handler{secret: clientSecret, secrets: []string{clientSecret}, handle: handle,
		maxBody: opts.MaxBodyBytes, store: opts.Store, logger: opts.Logger, apps: map[string]string{}}
	for id, s := range opts.ApplicationSecrets {
		if s == "" {
			return nil, errors.New("webhooks: NewHandler: the secret of an application is empty")
		}
		h.apps[id] = s
		h.secrets = append(h.secrets, s)
	}
	if h.maxBody <= 0 {
		h.maxBody = DefaultMaxBodyBytes
	}
	if h.store == nil {
		h.store = NewMemoryStore(MemoryStoreOptions{})
	}
	return h, nil
}

// ServeHTTP answers a challenge (GET) or a notification (POST).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		h.challenge(w, r)
	case http.MethodPost:
		h.notification(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		h.fail(r, w, http.StatusMethodNotAllowed, "method not allowed", nil)
	}
}

// challenge answers LinkedIn's validation challenge.
func (h *Handler) challenge(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	code := q.Get("challengeCode")
	if code == "" || len(code) > maxChallengeCode {
		h.fail(r, w, http.StatusBadRequest, "missing or oversized challengeCode", nil)
		return
	}
	secret := h.secret
	if s, ok := h.apps[q.Get("applicationId")]; ok {
		secret = s
	}
	body, err := json.Marshal(struct {
		ChallengeCode     string `json:"challengeCode"`
		ChallengeResponse string `json:"challengeResponse"`
	}{code, ChallengeResponse(secret, code)})
	if err != nil {
		h.fail(r, w, http.StatusInternalServerError, "cannot encode the answer", nil)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// notification checks, deduplicates and hands on one delivery.
func (h *Handler) notification(w http.ResponseWriter, r *http.Request) {
	sig := r.Header.Values(SignatureHeader)
	if len(sig) != 1 {
		h.fail(r, w, http.StatusUnauthorized, "missing or repeated "+SignatureHeader, nil)
		return
	}
	if _, err := ParseSignature(sig[0]); err != nil {
		h.fail(r, w, http.StatusUnauthorized, "malformed "+SignatureHeader, nil)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			h.fail(r, w, http.StatusRequestEntityTooLarge, "body larger than "+strconv.FormatInt(h.maxBody, 10)+" bytes", nil)
		} else {
			h.fail(r, w, http.StatusBadRequest, "cannot read the body", nil)
		}
		return
	}
	if Verify(sig[0], body, h.secrets...) != nil {
		h.fail(r, w, http.StatusUnauthorized, "signature does not match", nil)
		return
	}
	n, err := parseNotification(body)
	if err != nil {
		h.fail(r, w, http.StatusBadRequest, "body is not a JSON notification", nil)
		return
	}
	ctx := r.Context()
	fresh, err := h.store.Claim(ctx, n.DedupKey)
	if err != nil {
		h.fail(r, w, http.StatusInternalServerError, "deduplication store failed", err)
		return
	}
	if !fresh {
		if h.logger != nil {
			h.logger.LogAttrs(ctx, slog.LevelDebug, "linkedin webhook: repeated delivery acknowledged", slog.String("notification.id", n.ID))
		}
		w.WriteHeader(http.StatusOK)
		return
	}
	if err := h.handle(ctx, n); err != nil {
		// Forget the id with a context that outlives a cancelled request,
		// so that LinkedIn's redelivery is processed.
		_ = h.store.Release(context.WithoutCancel(ctx), n.DedupKey)
		h.fail(r, w, http.StatusInternalServerError, "notification handler failed", err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// fail answers status with a short plain-text reason and logs it. The
// reason never holds a secret, a signature or the body; err is the
// caller's own error (the store's or the handler func's).
func (h *Handler) fail(r *http.Request, w http.ResponseWriter, status int, reason string, err error) {
	if h.logger != nil {
		attrs := []slog.Attr{slog.String("method", r.Method), slog.Int("status", status), slog.String("reason", reason)}
		if err != nil {
			attrs = append(attrs, slog.String("error", err.Error()))
		}
		level := slog.LevelWarn
		if status >= 500 {
			level = slog.LevelError
		}
		h.logger.LogAttrs(r.Context(), level, "linkedin webhook: delivery refused", attrs...)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, "webhooks: "+reason+"\n")
}
