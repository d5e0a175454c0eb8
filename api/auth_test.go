package api

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

// checkIsolation: without a credential 401, with a bad one 401, the
// health checks open, and one principal's session invisible (404) to
// another, whose own work goes on.
func checkIsolation(t *testing.T, c *client, alice, bob, bad string) {
	t.Helper()
	var e struct{ Detail string }
	anon := &client{t: t, base: c.base}
	req, _ := http.NewRequest("POST", c.base+"/api/v1/session", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(resp.Body).Decode(&e)
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || e.Detail != "Not authenticated" || !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
		t.Fatalf("no credential: %d %q %q", resp.StatusCode, e.Detail, resp.Header.Get("WWW-Authenticate"))
	}
	for _, path := range []string{"/healthz", "/readyz", "/openapi.json"} {
		if code := anon.do("GET", path, nil, nil); code != http.StatusOK {
			t.Errorf("GET %s without a credential: %d", path, code)
		}
	}
	if code := (&client{t: t, base: c.base, token: bad}).do("POST", "/api/v1/session", nil, &e); code != http.StatusUnauthorized || e.Detail != "Invalid or expired token" {
		t.Fatalf("a bad credential: %d %q", code, e.Detail)
	}

	a := &client{t: t, base: c.base, token: alice}
	b := &client{t: t, base: c.base, token: bob}
	sid := prepare(t, a)
	base := "/api/v1/session/" + sid
	job := a.start(base + "/classes/User/connid")
	for _, r := range []struct{ method, path string }{
		{"GET", base},
		{"GET", base + "/jobs"},
		{"GET", base + "/documentation"},
		{"POST", base + "/classes/User/connid"},
		{"GET", base + "/classes/User/connid?jobId=" + job},
		{"PUT", base + "/classes/User/connid"},
		{"DELETE", base},
	} {
		var body any
		if r.method == "PUT" {
			body = map[string]string{"code": "stolen"}
		}
		if code := b.do(r.method, r.path, body, &e); code != http.StatusNotFound || e.Detail != "Session with ID "+sid+" not found." {
			t.Errorf("bob %s %s: %d %q", r.method, r.path, code, e.Detail)
		}
	}
	if j := a.wait(base+"/classes/User/connid", job); j.Status != "finished" || j.Result.Code == "stolen" {
		t.Fatalf("alice's job: %+v", j)
	}
	if code := a.do("GET", base, nil, nil); code != http.StatusOK {
		t.Fatalf("alice's own session: %d", code)
	}
	prepare(t, b) // bob's own work goes on
}

// TestStaticTokens: tokens from a file of hashes, on both stores; the
// tokens never reach the log.
func TestStaticTokens(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store) {
		alice, aliceLine, _ := NewToken("alice")
		bob, bobLine, _ := NewToken("bob")
		path := filepath.Join(t.TempDir(), "tokens")
		os.WriteFile(path, []byte("# team tokens\n"+aliceLine+"\n\n"+bobLine+"\n"), 0o600)
		tokens, err := LoadStaticTokens(path)
		if err != nil {
			t.Fatal(err)
		}
		o := options(t, st)
		o.Auth = tokens
		core, logs := observer.New(zap.DebugLevel)
		o.Log = zap.New(core)
		_, c := startWith(t, o)
		checkIsolation(t, c, alice, bob, alice+"x")
		for _, e := range logs.All() {
			line, _ := json.Marshal(e.ContextMap())
			if strings.Contains(e.Message+string(line), alice) || strings.Contains(e.Message+string(line), bob) {
				t.Fatalf("a token in the log: %s %s", e.Message, line)
			}
		}
	})
}

func TestStaticTokenFileErrors(t *testing.T) {
	dir := t.TempDir()
	for name, tc := range map[string]struct{ content, want string }{
		"plain":  {"alice connls_secret\n", "tokens:1: want NAME sha256:HEX"},
		"short":  {"# c\nalice sha256:abcd\n", "tokens:2: the hash is not 64 hexadecimal digits"},
		"dup":    {"a sha256:" + strings.Repeat("ab", 32) + "\nb sha256:" + strings.Repeat("ab", 32) + "\n", "tokens:2: the same token as a"},
		"empty":  {"# nothing\n", "no token"},
		"fields": {"a b sha256:00\n", "tokens:1: want NAME sha256:HEX"},
	} {
		path := filepath.Join(dir, "tokens")
		os.WriteFile(path, []byte(tc.content), 0o600)
		if _, err := LoadStaticTokens(path); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v; want %q", name, err, tc.want)
		}
	}
}

// issuer is a local OIDC issuer: its keys at /jwks on loopback, tokens
// signed with them.
type issuer struct {
	url    string
	signer jose.Signer
}

func newIssuer(t testing.TB) *issuer {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	set := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/jwks" {
			http.NotFound(w, r)
			return
		}
		json.NewEncoder(w).Encode(set)
	}))
	t.Cleanup(hs.Close)
	return &issuer{url: hs.URL, signer: signer(t, key, "k1")}
}

func signer(t testing.TB, key *rsa.PrivateKey, kid string) jose.Signer {
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type claims struct {
	jwt.Claims
	Scope string `json:"scope,omitempty"`
}

func (is *issuer) token(t testing.TB, s jose.Signer, c claims) string {
	tok, err := jwt.Signed(s).Claims(c).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestOIDC: bearer tokens from a local issuer, on both stores: expired,
// foreign-audience, foreign-key tokens are 401, a token without the
// required scope 403.
func TestOIDC(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store) {
		is := newIssuer(t)
		auth, err := NewOIDC(context.Background(), OIDCConfig{Issuer: is.url, Audience: "connls", JWKSURL: is.url + "/jwks", Scope: "connls.generate"})
		if err != nil {
			t.Fatal(err)
		}
		o := options(t, st)
		o.Auth = AnyOf{auth}
		_, c := startWith(t, o)
		valid := func(sub string) claims {
			return claims{Claims: jwt.Claims{Issuer: is.url, Subject: sub, Audience: jwt.Audience{"connls"},
				Expiry: jwt.NewNumericDate(time.Now().Add(time.Hour)), IssuedAt: jwt.NewNumericDate(time.Now())}, Scope: "openid connls.generate"}
		}
		alice, bob := is.token(t, is.signer, valid("alice")), is.token(t, is.signer, valid("bob"))
		checkIsolation(t, c, alice, bob, alice[:len(alice)-4]+"AAAA")

		other, _ := rsa.GenerateKey(rand.Reader, 2048)
		expired, wrongAud, noScope := valid("alice"), valid("alice"), valid("alice")
		expired.Expiry = jwt.NewNumericDate(time.Now().Add(-time.Hour))
		wrongAud.Audience = jwt.Audience{"another-service"}
		noScope.Scope = "openid"
		for name, tc := range map[string]struct {
			token  string
			code   int
			detail string
		}{
			"expired":     {is.token(t, is.signer, expired), 401, "Invalid or expired token"},
			"audience":    {is.token(t, is.signer, wrongAud), 401, "Invalid or expired token"},
			"foreign key": {is.token(t, signer(t, other, "k1"), valid("alice")), 401, "Invalid or expired token"},
			"not bearer":  {"", 401, "Not authenticated"},
			"no scope":    {is.token(t, is.signer, noScope), 403, "the token lacks the scope connls.generate"},
		} {
			var e struct{ Detail string }
			if code := (&client{t: t, base: c.base, token: tc.token}).do("POST", "/api/v1/session", nil, &e); code != tc.code || e.Detail != tc.detail {
				t.Errorf("%s: %d %q; want %d %q", name, code, e.Detail, tc.code, tc.detail)
			}
		}
	})
}
