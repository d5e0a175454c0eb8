// Package sailpoint registers a connector in a SailPoint Identity
// Security Cloud tenant through its "Create custom connector" API
// (POST /v3/connectors), from the workspace file sailpoint.connector.json.
// Tokens are kept in memory only: nothing here prints, logs or stores one.
package sailpoint

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/workspace"
)

// Load reads DIR/sailpoint.connector.json. Its format is analysis's,
// which reports every problem of the file (connls check); the file's
// first error is its Err, and Register refuses to send a file with one.
func Load(dir string) (*analysis.SailPointFile, error) {
	p := filepath.Join(dir, analysis.SailPointFileName)
	text, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	return Parse(p, text), nil
}

// Parse reads the file's text.
func Parse(path string, text []byte) *analysis.SailPointFile {
	return analysis.ReadSailPoint(&workspace.File{Abs: path, Path: filepath.Base(path), Text: text})
}

// CreateBody is the body of POST /v3/connectors: the file's fields, with
// the openconnector class and directConnect true where it says nothing.
func CreateBody(c analysis.SailPointConnector) map[string]any {
	body := map[string]any{"name": c.Name}
	if c.Type != "" {
		body["type"] = c.Type
	}
	body["className"] = c.ClassName
	if c.ClassName == "" {
		body["className"] = analysis.SailPointOpenConnector
	}
	body["directConnect"] = true
	if c.DirectConnect != nil {
		body["directConnect"] = *c.DirectConnect
	}
	if c.Status != "" {
		body["status"] = c.Status
	}
	return body
}

// BaseURL turns --tenant into the tenant's API address: a tenant name
// gives https://NAME.api.identitynow.com; a full URL is taken as is, but
// plain http only on loopback.
func BaseURL(tenant string) (string, error) {
	if tenant == "" {
		return "", errors.New("--tenant is required: the tenant name (acme for https://acme.api.identitynow.com) or its API URL")
	}
	if !strings.Contains(tenant, "://") {
		if !regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*$`).MatchString(tenant) {
			return "", fmt.Errorf("--tenant %q is not a tenant name", tenant)
		}
		return "https://" + tenant + ".api.identitynow.com", nil
	}
	u, err := url.Parse(tenant)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("--tenant %q is not a URL", tenant)
	}
	if u.Scheme == "http" {
		host := u.Hostname()
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return "", fmt.Errorf("--tenant %q: credentials go over https only (plain http only to loopback)", tenant)
		}
	} else if u.Scheme != "https" {
		return "", fmt.Errorf("--tenant %q: want an https URL", tenant)
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

// DryRun describes the requests Register would send, without a token.
func DryRun(base string, c analysis.SailPointConnector) string {
	var b strings.Builder
	b.WriteString("POST " + base + "/oauth/token\nContent-Type: application/x-www-form-urlencoded\n\ngrant_type=client_credentials&client_id=$SAIL_CLIENT_ID&client_secret=$SAIL_CLIENT_SECRET\n\n")
	if c.ScriptName != "" {
		fmt.Fprintf(&b, "GET %s/v3/connectors/%s\nAuthorization: Bearer <token>\n\n(scriptName %s is stored: the connector exists and is read, not created again)\n", base, url.PathEscape(c.ScriptName), c.ScriptName)
		return b.String()
	}
	body, _ := json.MarshalIndent(CreateBody(c), "", "  ")
	fmt.Fprintf(&b, "POST %s/v3/connectors\nAuthorization: Bearer <token>\nContent-Type: application/json\n\n%s\n", base, body)
	return b.String()
}

// ConnectorInfo is the tenant's answer about a connector.
type ConnectorInfo struct {
	Name          string `json:"name"`
	Type          string `json:"type"`
	ScriptName    string `json:"scriptName"`
	ClassName     string `json:"className"`
	DirectConnect bool   `json:"directConnect"`
	Status        string `json:"status"`
}

// APIError is an error answer, in whichever of the API's shapes it came.
type APIError struct {
	Method, URL string
	Status      int
	DetailCode  string
	TrackingID  string
	Messages    []string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: HTTP %d", e.Method, e.URL, e.Status)
	if e.DetailCode != "" {
		b.WriteString(" " + e.DetailCode)
	}
	if len(e.Messages) > 0 {
		b.WriteString(": " + strings.Join(e.Messages, "; "))
	}
	if e.TrackingID != "" {
		b.WriteString(" (trackingId " + e.TrackingID + ")")
	}
	switch e.Status {
	case http.StatusUnauthorized:
		b.WriteString("; check SAIL_CLIENT_ID and SAIL_CLIENT_SECRET")
	case http.StatusForbidden:
		b.WriteString("; the personal access token lacks the scope to manage connectors")
	}
	return b.String()
}

// parseError reads the API's error shapes: {detailCode, trackingId,
// messages[].text}, {error, error_description} (401, OAuth) and
// {message} (429).
func parseError(method, u string, status int, body []byte) *APIError {
	e := &APIError{Method: method, URL: u, Status: status}
	var v struct {
		DetailCode string `json:"detailCode"`
		TrackingID string `json:"trackingId"`
		Messages   []struct {
			Text string `json:"text"`
		} `json:"messages"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
		Message     string `json:"message"`
	}
	if json.Unmarshal(body, &v) == nil {
		e.DetailCode, e.TrackingID = v.DetailCode, v.TrackingID
		for _, m := range v.Messages {
			e.Messages = append(e.Messages, m.Text)
		}
		for _, s := range []string{v.Error, v.Description, v.Message} {
			if s != "" {
				e.Messages = append(e.Messages, s)
			}
		}
	}
	if len(e.Messages) == 0 && len(body) > 0 && len(body) < 300 {
		e.Messages = []string{strings.TrimSpace(string(body))}
	}
	return e
}

// Client speaks to one tenant.
type Client struct {
	Base         string
	HTTP         *http.Client
	ClientID     string
	ClientSecret string
	// Verbose, when set, receives one line per request: method, URL,
	// status. Never headers or bodies, which carry secrets.
	Verbose io.Writer
	// Retries bounds the retries of a 429 answer; 0 means 3. MaxWait is
	// the longest Retry-After honoured; 0 means a minute.
	Retries int
	MaxWait time.Duration

	token string
}

// Token exchanges the client credentials for an access token, kept in
// the client.
func (c *Client) Token(ctx context.Context) error {
	if c.ClientID == "" || c.ClientSecret == "" {
		return errors.New("--apply needs SAIL_CLIENT_ID and SAIL_CLIENT_SECRET in the environment (a personal access token)")
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {c.ClientID}, "client_secret": {c.ClientSecret}}
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if err := c.do(ctx, http.MethodPost, "/oauth/token", "application/x-www-form-urlencoded", []byte(form.Encode()), false, &out); err != nil {
		return err
	}
	if out.AccessToken == "" {
		return errors.New("the tenant answered the token request without an access_token")
	}
	c.token = out.AccessToken
	return nil
}

// Create creates a connector.
func (c *Client) Create(ctx context.Context, conn analysis.SailPointConnector) (*ConnectorInfo, error) {
	body, err := json.Marshal(CreateBody(conn))
	if err != nil {
		return nil, err
	}
	var out ConnectorInfo
	return &out, c.do(ctx, http.MethodPost, "/v3/connectors", "application/json", body, true, &out)
}

// Get reads a connector by its scriptName.
func (c *Client) Get(ctx context.Context, scriptName string) (*ConnectorInfo, error) {
	var out ConnectorInfo
	return &out, c.do(ctx, http.MethodGet, "/v3/connectors/"+url.PathEscape(scriptName), "", nil, true, &out)
}

// FindByName looks a connector up by its name, which is unique per
// tenant; nil when there is none.
func (c *Client) FindByName(ctx context.Context, name string) (*ConnectorInfo, error) {
	q := url.Values{"filters": {fmt.Sprintf("name eq %q", name)}}
	var out []ConnectorInfo
	if err := c.do(ctx, http.MethodGet, "/v3/connectors?"+q.Encode(), "", nil, true, &out); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Name == name {
			return &out[i], nil
		}
	}
	return nil, nil
}

// do sends one request, waiting out 429 answers for their Retry-After a
// bounded number of times, and decodes a 2xx answer into out.
func (c *Client) do(ctx context.Context, method, path, ctype string, body []byte, auth bool, out any) error {
	retries, maxWait := c.Retries, c.MaxWait
	if retries <= 0 {
		retries = 3
	}
	if maxWait <= 0 {
		maxWait = time.Minute
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: time.Minute}
	}
	u := c.Base + path
	shown := strings.SplitN(u, "?", 2)[0]
	for attempt := 0; ; attempt++ {
		var r io.Reader
		if body != nil {
			r = bytes.NewReader(body)
		}
		req, err := http.NewRequestWithContext(ctx, method, u, r)
		if err != nil {
			return err
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		req.Header.Set("Accept", "application/json")
		if auth {
			req.Header.Set("Authorization", "Bearer "+c.token)
		}
		resp, err := hc.Do(req)
		if err != nil {
			return fmt.Errorf("%s %s: %v", method, shown, scrub(err.Error(), c.token, c.ClientSecret))
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
		resp.Body.Close()
		if err != nil {
			return fmt.Errorf("%s %s: %v", method, shown, err)
		}
		if c.Verbose != nil {
			fmt.Fprintf(c.Verbose, "%s %s -> %d\n", method, shown, resp.StatusCode)
		}
		if resp.StatusCode == http.StatusTooManyRequests && attempt < retries {
			wait := time.Duration(1<<attempt) * time.Second
			if s, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After"))); err == nil && s >= 0 {
				wait = time.Duration(s) * time.Second
			}
			if wait <= maxWait {
				if c.Verbose != nil {
					fmt.Fprintf(c.Verbose, "rate limited: retrying in %s\n", wait)
				}
				t := time.NewTimer(wait)
				select {
				case <-t.C:
					continue
				case <-ctx.Done():
					t.Stop()
					return ctx.Err()
				}
			}
		}
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			e := parseError(method, shown, resp.StatusCode, data)
			for i, m := range e.Messages {
				e.Messages[i] = scrub(m, c.token, c.ClientSecret)
			}
			return e
		}
		if out != nil && len(data) > 0 {
			if err := json.Unmarshal(data, out); err != nil {
				return fmt.Errorf("%s %s: the answer is not the JSON expected: %v", method, shown, err)
			}
		}
		return nil
	}
}

// scrub removes secrets from a message that may quote a request.
func scrub(s string, secrets ...string) string {
	for _, x := range secrets {
		if len(x) >= 4 {
			s = strings.ReplaceAll(s, x, "[redacted]")
		}
	}
	return s
}

// Outcome is what Register did.
type Outcome struct {
	Action    string // created, existing, adopted (found after a failed create)
	Connector *ConnectorInfo
}

// Register creates the connector, or reads it when the file already
// holds its scriptName, and stores the scriptName back in the file. A
// create that failed with a server error may have succeeded: the
// connector is looked up by name before anything is sent again.
func Register(ctx context.Context, c *Client, f *analysis.SailPointFile) (*Outcome, error) {
	if err := f.Err(); err != nil {
		return nil, fmt.Errorf("%v (connls check lists every problem of the file)", err)
	}
	if err := c.Token(ctx); err != nil {
		return nil, err
	}
	conn := f.Connector
	if conn.ScriptName != "" {
		info, err := c.Get(ctx, conn.ScriptName)
		if err != nil {
			return nil, err
		}
		return &Outcome{Action: "existing", Connector: info}, nil
	}
	info, err := c.Create(ctx, conn)
	action := "created"
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Status >= 500 {
		found, ferr := c.FindByName(ctx, conn.Name)
		switch {
		case ferr != nil:
			return nil, fmt.Errorf("%v; looking the connector up afterwards failed too (%v): check the tenant before trying again", err, ferr)
		case found != nil:
			info, err, action = found, nil, "adopted"
		default:
			// Not created: one more try is safe.
			info, err = c.Create(ctx, conn)
		}
	}
	if err != nil {
		return nil, err
	}
	if info.ScriptName == "" {
		return nil, errors.New("the tenant created the connector but answered no scriptName")
	}
	if err := StoreScriptName(f, info.ScriptName); err != nil {
		return nil, fmt.Errorf("the connector %s exists, but %s could not be updated: %v; add \"scriptName\": %q by hand", info.ScriptName, f.File.Abs, err, info.ScriptName)
	}
	return &Outcome{Action: action, Connector: info}, nil
}

var scriptNameField = regexp.MustCompile(`"scriptName"\s*:\s*"(?:[^"\\]|\\.)*"`)

// StoreScriptName writes the scriptName into the file, keeping the rest
// of its text as it is.
func StoreScriptName(f *analysis.SailPointFile, name string) error {
	quoted, _ := json.Marshal(name)
	text := string(f.File.Text)
	if loc := scriptNameField.FindStringIndex(text); loc != nil {
		text = text[:loc[0]] + `"scriptName": ` + string(quoted) + text[loc[1]:]
	} else {
		end := strings.LastIndexByte(text, '}')
		if end < 0 {
			return errors.New("no closing brace")
		}
		body := strings.TrimRight(text[:end], " \t\r\n")
		indent := "  "
		if m := regexp.MustCompile(`\n([ \t]+)"`).FindStringSubmatch(body); m != nil {
			indent = m[1]
		}
		sep := ","
		if strings.HasSuffix(body, "{") {
			sep = ""
		}
		text = body + sep + "\n" + indent + `"scriptName": ` + string(quoted) + "\n" + text[end:]
	}
	next := Parse(f.File.Abs, []byte(text))
	if err := next.Err(); err != nil {
		return err
	}
	if err := workspace.WriteFile(filepath.Dir(f.File.Abs), workspace.Write{Abs: f.File.Abs, Data: []byte(text)}); err != nil {
		return err
	}
	*f = *next
	return nil
}
