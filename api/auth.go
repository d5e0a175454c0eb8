package api

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
	"go.uber.org/zap"
)

// An Authenticator names the principal a request's credential stands for.
// A session belongs to the principal that created it.
type Authenticator interface {
	// Authenticate returns the principal, or an error: errNoCredential or
	// errBadCredential for a 401, a *ForbiddenError for a 403.
	Authenticate(r *http.Request) (principal string, err error)
}

var (
	errNoCredential  = errors.New("Not authenticated")
	errBadCredential = errors.New("Invalid or expired token")
)

// ForbiddenError is a valid credential that may not use the service.
type ForbiddenError struct{ Reason string }

func (e *ForbiddenError) Error() string { return e.Reason }

type principalKey struct{}

// principal is the authenticated principal of a request; "" without
// authentication.
func principal(r *http.Request) string {
	p, _ := r.Context().Value(principalKey{}).(string)
	return p
}

// refuseCredential answers 401 or 403 in the service's shape. The token
// itself is never logged.
func (s *Server) refuseCredential(w http.ResponseWriter, r *http.Request, err error) {
	var forbidden *ForbiddenError
	if errors.As(err, &forbidden) {
		s.log.Info("request forbidden", zap.String("method", r.Method), zap.String("path", r.URL.Path), zap.String("reason", forbidden.Reason))
		detail(w, http.StatusForbidden, "%s", forbidden.Reason)
		return
	}
	s.log.Info("request without a valid credential", zap.String("method", r.Method), zap.String("path", r.URL.Path), zap.String("reason", err.Error()))
	w.Header().Set("WWW-Authenticate", `Bearer realm="connls"`)
	detail(w, http.StatusUnauthorized, "%s", err.Error())
}

// bearer returns the token of an "Authorization: Bearer" header.
func bearer(r *http.Request) (string, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", errNoCredential
	}
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return "", errBadCredential
	}
	return strings.TrimSpace(token), nil
}

// StaticTokens are API tokens for a small team, from a file that holds
// only their SHA-256 hashes: a line per token, "NAME sha256:HEX", with
// "#" comments. The tokens are long random strings (NewToken makes them),
// so a fast hash is enough: nothing can be guessed from one.
type StaticTokens struct {
	byHash map[[sha256.Size]byte]string
}

// LoadStaticTokens reads a token file; errors name the file and line.
func LoadStaticTokens(path string) (*StaticTokens, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t := &StaticTokens{byHash: map[[sha256.Size]byte]string{}}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 2 || !strings.HasPrefix(fields[1], "sha256:") {
			return nil, fmt.Errorf("%s:%d: want NAME sha256:HEX (the hash of the token, never the token)", path, n)
		}
		raw, err := hex.DecodeString(strings.TrimPrefix(fields[1], "sha256:"))
		if err != nil || len(raw) != sha256.Size {
			return nil, fmt.Errorf("%s:%d: the hash is not 64 hexadecimal digits", path, n)
		}
		h := [sha256.Size]byte(raw)
		if prev, dup := t.byHash[h]; dup {
			return nil, fmt.Errorf("%s:%d: the same token as %s", path, n, prev)
		}
		t.byHash[h] = fields[0]
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(t.byHash) == 0 {
		return nil, fmt.Errorf("%s: no token", path)
	}
	return t, nil
}

// Authenticate implements Authenticator.
func (t *StaticTokens) Authenticate(r *http.Request) (string, error) {
	token, err := bearer(r)
	if err != nil {
		return "", err
	}
	name, ok := t.byHash[sha256.Sum256([]byte(token))]
	if !ok {
		return "", errBadCredential
	}
	return "token:" + name, nil
}

// NewToken makes a random API token and the line of the token file that
// accepts it for name.
func NewToken(name string) (token, line string, err error) {
	if name == "" || strings.ContainsAny(name, " \t\n#") {
		return "", "", fmt.Errorf("a token name is one word, not %q", name)
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", err
	}
	token = "connls_" + base64.RawURLEncoding.EncodeToString(b[:])
	sum := sha256.Sum256([]byte(token))
	return token, name + " sha256:" + hex.EncodeToString(sum[:]), nil
}

// OIDCConfig names the issuer whose bearer tokens (JWTs) are accepted.
type OIDCConfig struct {
	Issuer   string // the "iss" the tokens carry
	Audience string // the "aud" they must carry
	// JWKSURL is where the issuer's signing keys are; empty: discovered
	// from the issuer's /.well-known/openid-configuration.
	JWKSURL string
	// Scope, when set, must be among the token's scopes ("scope" or "scp");
	// a token without it gets 403.
	Scope string
}

// OIDC checks bearer tokens against an OpenID Connect issuer's keys.
type OIDC struct {
	verifier *oidc.IDTokenVerifier
	scope    string
}

// NewOIDC prepares the verifier; keys are fetched when first needed and
// again when a token names a key not seen yet.
func NewOIDC(ctx context.Context, c OIDCConfig) (*OIDC, error) {
	if c.Issuer == "" || c.Audience == "" {
		return nil, errors.New("OIDC needs an issuer and an audience")
	}
	cfg := &oidc.Config{ClientID: c.Audience}
	if c.JWKSURL != "" {
		keys := oidc.NewRemoteKeySet(context.WithoutCancel(ctx), c.JWKSURL)
		return &OIDC{verifier: oidc.NewVerifier(c.Issuer, keys, cfg), scope: c.Scope}, nil
	}
	p, err := oidc.NewProvider(context.WithoutCancel(ctx), c.Issuer)
	if err != nil {
		return nil, fmt.Errorf("discovering the OIDC issuer %s: %w", c.Issuer, err)
	}
	return &OIDC{verifier: p.Verifier(cfg), scope: c.Scope}, nil
}

// Authenticate implements Authenticator.
func (o *OIDC) Authenticate(r *http.Request) (string, error) {
	token, err := bearer(r)
	if err != nil {
		return "", err
	}
	idt, err := o.verifier.Verify(r.Context(), token)
	if err != nil {
		return "", errBadCredential
	}
	if idt.Subject == "" {
		return "", errBadCredential
	}
	if o.scope != "" {
		var claims struct {
			Scope string   `json:"scope"`
			Scp   []string `json:"scp"`
		}
		idt.Claims(&claims)
		if !slices.Contains(strings.Fields(claims.Scope), o.scope) && !slices.Contains(claims.Scp, o.scope) {
			return "", &ForbiddenError{Reason: fmt.Sprintf("the token lacks the scope %s", o.scope)}
		}
	}
	return "oidc:" + idt.Issuer + "#" + idt.Subject, nil
}

// AnyOf accepts a request any of the authenticators accepts: static tokens
// and OIDC together. The first refusal that is not "no credential" wins.
type AnyOf []Authenticator

// Authenticate implements Authenticator.
func (a AnyOf) Authenticate(r *http.Request) (string, error) {
	err := errNoCredential
	for _, au := range a {
		p, e := au.Authenticate(r)
		if e == nil {
			return p, nil
		}
		if err == errNoCredential || err == errBadCredential {
			err = e
		}
	}
	return "", err
}
