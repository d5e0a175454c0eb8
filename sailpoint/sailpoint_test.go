package sailpoint

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connls/connls/analysis"
)

const (
	clientID     = "pat-client-id"
	clientSecret = "pat-SECRET-4242"
	accessToken  = "eyJ-ACCESS-TOKEN-1234567890"
)

// tenant is a fake ISC tenant. create decides the answers to
// POST /v3/connectors, by call.
type tenant struct {
	mu         sync.Mutex
	log        []string
	creates    int
	connectors map[string]ConnectorInfo // by scriptName
	create     func(call int, w http.ResponseWriter, body map[string]any) bool
	tokenFail  int // status for the token request, 0 for success
}

func (tn *tenant) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tn.mu.Lock()
	defer tn.mu.Unlock()
	tn.log = append(tn.log, r.Method+" "+r.URL.Path)
	body, _ := io.ReadAll(r.Body)
	w.Header().Set("Content-Type", "application/json")
	if r.URL.Path == "/oauth/token" {
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ParseForm()
		if tn.tokenFail != 0 || r.PostForm.Get("client_secret") != clientSecret || r.PostForm.Get("grant_type") != "client_credentials" {
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"error": "invalid_client", "error_description": "Bad credentials"}`))
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"access_token": accessToken, "token_type": "bearer", "expires_in": 749})
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+accessToken {
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"error": "JWT validation failed: JWT is expired"}`))
		return
	}
	switch {
	case r.Method == "POST" && r.URL.Path == "/v3/connectors":
		tn.creates++
		var in map[string]any
		json.Unmarshal(body, &in)
		if tn.create != nil && tn.create(tn.creates, w, in) {
			return
		}
		info := ConnectorInfo{Name: in["name"].(string), ClassName: in["className"].(string), ScriptName: strings.ToLower(in["name"].(string)) + "-42", DirectConnect: in["directConnect"].(bool)}
		tn.connectors[info.ScriptName] = info
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(info)
	case r.Method == "GET" && r.URL.Path == "/v3/connectors":
		var out []ConnectorInfo
		for _, c := range tn.connectors {
			if r.URL.Query().Get("filters") == `name eq "`+c.Name+`"` {
				out = append(out, c)
			}
		}
		json.NewEncoder(w).Encode(out)
	case r.Method == "GET" && strings.HasPrefix(r.URL.Path, "/v3/connectors/"):
		c, ok := tn.connectors[strings.TrimPrefix(r.URL.Path, "/v3/connectors/")]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"detailCode": "404 Not found", "trackingId": "t-404", "messages": [{"locale": "en-US", "text": "The connector was not found."}]}`))
			return
		}
		json.NewEncoder(w).Encode(c)
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

func setup(t *testing.T, fileText string, tn *tenant) (*Client, *analysis.SailPointFile, *bytes.Buffer) {
	t.Helper()
	if tn.connectors == nil {
		tn.connectors = map[string]ConnectorInfo{}
	}
	srv := httptest.NewServer(tn)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, analysis.SailPointFileName), []byte(fileText), 0o644)
	f, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	base, err := BaseURL(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	var verbose bytes.Buffer
	return &Client{Base: base, ClientID: clientID, ClientSecret: clientSecret, Verbose: &verbose, MaxWait: 5 * time.Second}, f, &verbose
}

// noSecret fails when a token or the secret shows in any output.
func noSecret(t *testing.T, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(s, accessToken) || strings.Contains(s, clientSecret) {
			t.Fatalf("a secret leaked: %s", s)
		}
	}
}

const fileText = `{
  "name": "TicketDesk",
  "className": "sailpoint.connector.OpenConnectorAdapter",
  "status": "DEVELOPMENT"
}
`

func TestCreateStoresScriptName(t *testing.T) {
	tn := &tenant{}
	c, f, verbose := setup(t, fileText, tn)
	out, err := Register(context.Background(), c, f)
	if err != nil {
		t.Fatal(err)
	}
	if out.Action != "created" || out.Connector.ScriptName != "ticketdesk-42" || !out.Connector.DirectConnect {
		t.Fatalf("outcome %+v %+v", out, out.Connector)
	}
	text, _ := os.ReadFile(f.File.Abs)
	want := "{\n  \"name\": \"TicketDesk\",\n  \"className\": \"sailpoint.connector.OpenConnectorAdapter\",\n  \"status\": \"DEVELOPMENT\",\n  \"scriptName\": \"ticketdesk-42\"\n}\n"
	if string(text) != want {
		t.Fatalf("file:\n%s", text)
	}
	if strings.Join(tn.log, ",") != "POST /oauth/token,POST /v3/connectors" {
		t.Fatalf("requests: %v", tn.log)
	}
	noSecret(t, verbose.String(), string(text))

	// Again: the stored scriptName is read, not created twice.
	f2, _ := Load(filepath.Dir(f.File.Abs))
	out, err = Register(context.Background(), c, f2)
	if err != nil || out.Action != "existing" || tn.creates != 1 {
		t.Fatalf("second run: %+v, %v, %d creates", out, err, tn.creates)
	}
}

func TestErrorShapes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		want   []string
	}{
		{"400 with messages", 400, `{"detailCode": "400.1 Bad request content", "trackingId": "abc123", "messages": [{"locale": "en-US", "localeOrigin": "DEFAULT", "text": "The name TicketDesk is already in use."}], "causes": []}`,
			[]string{"HTTP 400 400.1 Bad request content", "The name TicketDesk is already in use.", "trackingId abc123"}},
		{"401", 401, `{"error": "JWT validation failed: JWT is expired"}`, []string{"HTTP 401", "JWT validation failed", "check SAIL_CLIENT_ID and SAIL_CLIENT_SECRET"}},
		{"403", 403, `{"detailCode": "403 Forbidden", "trackingId": "t403", "messages": [{"text": "The server understood the request but refuses to authorize it."}]}`,
			[]string{"HTTP 403 403 Forbidden", "refuses to authorize", "lacks the scope"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tn := &tenant{create: func(_ int, w http.ResponseWriter, _ map[string]any) bool {
				w.WriteHeader(tc.status)
				w.Write([]byte(tc.body))
				return true
			}}
			c, f, verbose := setup(t, fileText, tn)
			_, err := Register(context.Background(), c, f)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if tn.creates != 1 {
				t.Errorf("%d creates: a client error is not retried", tn.creates)
			}
			text, _ := os.ReadFile(f.File.Abs)
			if string(text) != fileText {
				t.Error("the file changed after a failure")
			}
			noSecret(t, err.Error(), verbose.String())
		})
	}
}

func TestBadCredentials(t *testing.T) {
	c, f, verbose := setup(t, fileText, &tenant{})
	c.ClientSecret = "wrong-secret"
	_, err := Register(context.Background(), c, f)
	if err == nil || !strings.Contains(err.Error(), "HTTP 401") || !strings.Contains(err.Error(), "Bad credentials") {
		t.Fatalf("err = %v", err)
	}
	noSecret(t, err.Error(), verbose.String())
	c.ClientID = ""
	if _, err := Register(context.Background(), c, f); err == nil || !strings.Contains(err.Error(), "SAIL_CLIENT_ID") {
		t.Fatalf("missing credentials: %v", err)
	}
}

func TestRateLimitThenSuccess(t *testing.T) {
	tn := &tenant{create: func(call int, w http.ResponseWriter, _ map[string]any) bool {
		if call == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			w.Write([]byte(`{"message": "Rate Limit Exceeded"}`))
			return true
		}
		return false
	}}
	c, f, verbose := setup(t, fileText, tn)
	start := time.Now()
	out, err := Register(context.Background(), c, f)
	if err != nil || out.Action != "created" || tn.creates != 2 {
		t.Fatalf("%+v, %v, %d creates", out, err, tn.creates)
	}
	if time.Since(start) < 900*time.Millisecond {
		t.Fatal("did not wait for Retry-After")
	}
	if !strings.Contains(verbose.String(), "POST /v3/connectors -> 429") && !strings.Contains(verbose.String(), "-> 429") {
		t.Fatalf("verbose: %s", verbose)
	}
	noSecret(t, verbose.String())
}

func TestRateLimitGivesUp(t *testing.T) {
	tn := &tenant{create: func(_ int, w http.ResponseWriter, _ map[string]any) bool {
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusTooManyRequests)
		w.Write([]byte(`{"message": "Rate Limit Exceeded"}`))
		return true
	}}
	c, f, _ := setup(t, fileText, tn)
	_, err := Register(context.Background(), c, f)
	if err == nil || !strings.Contains(err.Error(), "Rate Limit Exceeded") || tn.creates != 4 {
		t.Fatalf("err %v after %d creates", err, tn.creates)
	}
}

// TestServerErrorOnCreateLooksUpFirst: a 500 may hide a connector that
// was created; it is found by name and adopted, not created twice.
func TestServerErrorOnCreateLooksUpFirst(t *testing.T) {
	tn := &tenant{}
	tn.create = func(call int, w http.ResponseWriter, in map[string]any) bool {
		if call == 1 {
			tn.connectors["ticketdesk-7"] = ConnectorInfo{Name: in["name"].(string), ScriptName: "ticketdesk-7"}
			w.WriteHeader(http.StatusInternalServerError)
			w.Write([]byte(`{"detailCode": "500.0 Internal Fault", "trackingId": "t500", "messages": [{"text": "An internal fault occurred."}]}`))
			return true
		}
		return false
	}
	c, f, _ := setup(t, fileText, tn)
	out, err := Register(context.Background(), c, f)
	if err != nil || out.Action != "adopted" || out.Connector.ScriptName != "ticketdesk-7" || tn.creates != 1 {
		t.Fatalf("%+v, %v, %d creates, requests %v", out, err, tn.creates, tn.log)
	}
	if f.Connector.ScriptName != "ticketdesk-7" {
		t.Fatal("the adopted scriptName was not stored")
	}

	// A 500 that created nothing: the lookup finds nothing, one more create.
	tn2 := &tenant{}
	tn2.create = func(call int, w http.ResponseWriter, _ map[string]any) bool {
		if call == 1 {
			w.WriteHeader(http.StatusBadGateway)
			return true
		}
		return false
	}
	c2, f2, _ := setup(t, fileText, tn2)
	out, err = Register(context.Background(), c2, f2)
	if err != nil || out.Action != "created" || tn2.creates != 2 {
		t.Fatalf("%+v, %v, %d creates", out, err, tn2.creates)
	}
}

func TestExistingScriptNameNotFound(t *testing.T) {
	c, f, _ := setup(t, strings.Replace(fileText, `"status": "DEVELOPMENT"`, `"status": "DEVELOPMENT", "scriptName": "gone-1"`, 1), &tenant{})
	_, err := Register(context.Background(), c, f)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 404 || !strings.Contains(err.Error(), "The connector was not found.") {
		t.Fatalf("err = %v", err)
	}
}

func TestDryRun(t *testing.T) {
	f := Parse("sailpoint.connector.json", []byte(`{"name": "TicketDesk"}`))
	if err := f.Err(); err != nil {
		t.Fatal(err)
	}
	base, _ := BaseURL("acme")
	got := DryRun(base, f.Connector)
	for _, want := range []string{
		"POST https://acme.api.identitynow.com/oauth/token",
		"POST https://acme.api.identitynow.com/v3/connectors\nAuthorization: Bearer <token>",
		`"className": "sailpoint.connector.OpenConnectorAdapter"`,
		`"directConnect": true`,
		`"name": "TicketDesk"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("dry run lacks %q:\n%s", want, got)
		}
	}
	f.Connector.ScriptName = "ticketdesk-42"
	if got := DryRun(base, f.Connector); !strings.Contains(got, "GET https://acme.api.identitynow.com/v3/connectors/ticketdesk-42") {
		t.Errorf("dry run with a scriptName:\n%s", got)
	}
}

func TestBaseURL(t *testing.T) {
	for in, want := range map[string]string{
		"acme":                         "https://acme.api.identitynow.com",
		"https://acme.example.com/":    "https://acme.example.com",
		"http://127.0.0.1:8080":        "http://127.0.0.1:8080",
		"http://tenant.example.com":    "",
		"acme/../evil":                 "",
		"":                             "",
		"ftp://acme.api.identitynow.x": "",
	} {
		got, err := BaseURL(in)
		if (want == "") != (err != nil) || got != want {
			t.Errorf("BaseURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	if err := Parse("x.json", []byte("{\n  \"name\": \"A\",\n  oops\n}")).Err(); err == nil || !strings.Contains(err.Error(), "x.json:3:") {
		t.Fatalf("syntax error: %v", err)
	}
	if err := Parse("x.json", []byte(`{"status": "DEMO"}`)).Err(); err == nil || !strings.Contains(err.Error(), "no name") {
		t.Fatalf("no name: %v", err)
	}
}

// TestRegisterRefusesInvalidFile: a file connls check finds an error in
// is never sent.
func TestRegisterRefusesInvalidFile(t *testing.T) {
	tn := &tenant{}
	c, f, _ := setup(t, "{\n  \"name\": \"TicketDesk\",\n  \"status\": \"BETA\"\n}\n", tn)
	_, err := Register(context.Background(), c, f)
	if err == nil || !strings.Contains(err.Error(), "sailpoint.connector.json:3:") || !strings.Contains(err.Error(), "BETA") {
		t.Fatalf("err = %v", err)
	}
	if len(tn.log) != 0 {
		t.Errorf("requests sent: %v", tn.log)
	}
}

func TestStoreScriptNameReplaces(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, analysis.SailPointFileName)
	os.WriteFile(p, []byte("{\"name\": \"A\", \"scriptName\": \"old-1\"}\n"), 0o600)
	f, _ := Load(dir)
	if err := StoreScriptName(f, "new-2"); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(p); string(got) != "{\"name\": \"A\", \"scriptName\": \"new-2\"}\n" {
		t.Fatalf("got %s", got)
	}
}
