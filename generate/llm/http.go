package llm

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/connls/connls/generate"
)

// retryTransport retries what an LLM service asks to be retried: 429 and
// 5xx answers, after the Retry-After the service gives (seconds or an
// HTTP date), else after an exponential backoff. It gives up after
// Attempts tries, or when the service asks for a longer wait than MaxWait,
// and stops waiting when the request's context ends. Both backends use it
// (Google's genai SDK, used before, retried only on its own schedule and
// ignored Retry-After).
type retryTransport struct {
	Base     http.RoundTripper
	Attempts int           // tries in all; 0 means 4
	Backoff  time.Duration // first backoff; 0 means 1s
	MaxWait  time.Duration // longest wait honoured; 0 means 60s
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	attempts, backoff, maxWait := t.Attempts, t.Backoff, t.MaxWait
	if attempts <= 0 {
		attempts = 4
	}
	if backoff <= 0 {
		backoff = time.Second
	}
	if maxWait <= 0 {
		maxWait = 60 * time.Second
	}
	for attempt := 1; ; attempt++ {
		r := req
		if attempt > 1 {
			if req.GetBody == nil && req.Body != nil {
				return nil, fmt.Errorf("cannot retry a request whose body cannot be replayed")
			}
			r = req.Clone(req.Context())
			if req.GetBody != nil {
				body, err := req.GetBody()
				if err != nil {
					return nil, err
				}
				r.Body = body
			}
		}
		resp, err := base.RoundTrip(r)
		if err != nil {
			return nil, err
		}
		if attempt >= attempts || (resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode < 500) {
			return resp, nil
		}
		wait, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now())
		if !ok {
			wait = backoff << (attempt - 1)
		}
		if wait > maxWait {
			return resp, nil // the caller reports the service's answer
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		if err := sleep(req.Context(), wait); err != nil {
			return nil, err
		}
	}
}

// retryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// redact removes a secret from a message that may quote a request.
func redact(s, secret string) string {
	if len(secret) < 4 {
		return s
	}
	return strings.ReplaceAll(s, secret, "[redacted]")
}

// httpStatusError is an LLM service's error answer.
func httpStatusError(backend string, code int, msg, keyVar string) error {
	msg = generate.OneLine(msg, 300)
	switch code {
	case http.StatusUnauthorized, http.StatusForbidden:
		return fmt.Errorf("%s: %w (HTTP %d: %s); check %s", backend, ErrAuth, code, msg, keyVar)
	case http.StatusTooManyRequests:
		return fmt.Errorf("%s: rate limited (HTTP 429: %s); try again later", backend, msg)
	}
	return fmt.Errorf("%s: HTTP %d: %s", backend, code, msg)
}
