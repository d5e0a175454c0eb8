package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/generate"
	"github.com/connls/connls/workspace"
)

const testKey = "sk-test-SECRET-0123456789"

// fake is an LLM service speaking one wire format. answer decides, per
// call, the status, extra headers and the answer text (wrapped in the
// format's envelope), or blocks.
type fake struct {
	wire   string // gemini or openai
	calls  atomic.Int32
	keys   atomic.Int32 // calls that carried the key where the format puts it
	answer func(call int, w http.ResponseWriter, r *http.Request) (status int, text string)
}

func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	call := int(f.calls.Add(1))
	switch f.wire {
	case "gemini":
		if r.Header.Get("x-goog-api-key") == testKey {
			f.keys.Add(1)
		}
	case "openai":
		if r.Header.Get("Authorization") == "Bearer "+testKey {
			f.keys.Add(1)
		}
	}
	body, _ := io.ReadAll(r.Body)
	if !bytes.Contains(body, []byte("Object class:")) {
		http.Error(w, "no prompt", http.StatusBadRequest)
		return
	}
	if f.wire == "gemini" {
		if msg := geminiRequestProblem(r, body); msg != "" {
			http.Error(w, msg, http.StatusBadRequest)
			return
		}
	}
	status, text := f.answer(call, w, r)
	if status == 0 {
		return // the handler wrote or hung up itself
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if status != http.StatusOK {
		switch f.wire {
		case "gemini":
			json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": status, "message": text, "status": "ERROR"}})
		default:
			json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": text}})
		}
		return
	}
	switch f.wire {
	case "gemini":
		json.NewEncoder(w).Encode(map[string]any{"candidates": []any{map[string]any{
			"content": map[string]any{"role": "model", "parts": []any{map[string]any{"text": text}}}}}})
	default:
		json.NewEncoder(w).Encode(map[string]any{"choices": []any{map[string]any{
			"message": map[string]any{"role": "assistant", "content": text}}}})
	}
}

// newLLM starts a fake service and an assistant that logs into buf.
func newLLM(t *testing.T, wire string, answer func(int, http.ResponseWriter, *http.Request) (int, string)) (*LLM, *fake, *bytes.Buffer) {
	t.Helper()
	f := &fake{wire: wire, answer: answer}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	base := srv.URL
	if wire == "openai" {
		base += "/v1"
	}
	b, err := NewBackend(context.Background(), BackendOptions{Kind: wire, Model: "test-model", BaseURL: base, APIKey: testKey,
		Retry: retryTransport{Backoff: 10 * time.Millisecond, MaxWait: 3 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	log := zap.New(zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(&buf), zap.DebugLevel))
	return &LLM{Backend: b, Log: log, Timeout: 20 * time.Second}, f, &buf
}

// noKey fails when the key appears in anything connls produced.
func noKey(t *testing.T, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(s, testKey) {
			t.Fatalf("the API key leaked: %s", s)
		}
	}
}

func userClass(t *testing.T) (*analysis.Model, *analysis.Class) {
	t.Helper()
	m := load(t, filepath.Join("..", "..", "testdata", "ticketdesk"))
	var c *analysis.Class
	for _, u := range m.Units {
		if x := u.Class("User"); x != nil {
			c = x
		}
	}
	if c == nil {
		t.Fatal("no User class")
	}
	return m, c
}

func answerWith(text string) func(int, http.ResponseWriter, *http.Request) (int, string) {
	return func(int, http.ResponseWriter, *http.Request) (int, string) { return http.StatusOK, text }
}

var wires = []string{"gemini", "openai"}

func TestLLMGoodAnswer(t *testing.T) {
	for _, wire := range wires {
		t.Run(wire, func(t *testing.T) {
			m, c := userClass(t)
			llm, f, logs := newLLM(t, wire, answerWith(`{"uid": "id", "name": "email", "reason": "people sign in with their e-mail address"}`))
			var steps []string
			res, err := generate.Generate(context.Background(), generate.Request{Model: m, Class: "User", Kind: generate.KindConnID, Fresh: true,
				Assist: llm, AskAssist: true, Progress: func(stage, msg string, done, total int) {
					if stage == "ai" {
						steps = append(steps, fmt.Sprintf("%d/%d", done, total))
					}
				}})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(res.Code, `connIdAttribute("NAME", "email")`) || !strings.Contains(res.Code, `connIdAttribute("UID", "id")`) {
				t.Fatalf("code:\n%s\nnotes: %q", res.Code, res.Notes)
			}
			chunks := selectChunks(generate.DocChunks(m.Units[0], c))
			n := max(len(chunks), 1)
			if int(f.calls.Load()) != n || int(f.keys.Load()) != n {
				t.Fatalf("%d calls, %d with the key; want %d chunks", f.calls.Load(), f.keys.Load(), n)
			}
			if len(steps) != n+1 || steps[len(steps)-1] != fmt.Sprintf("%d/%d", n, n) {
				t.Fatalf("progress per chunk: %v", steps)
			}
			if !strings.Contains(strings.Join(res.Notes, "\n"), "changed the choice from UID id, NAME login") {
				t.Fatalf("notes: %q", res.Notes)
			}
			noKey(t, logs.String(), res.Code, strings.Join(res.Notes, "\n"))
			if !strings.Contains(logs.String(), "llm answer") {
				t.Fatalf("no log of the call: %s", logs)
			}
		})
	}
}

func TestLLMMalformedAnswerFallsBack(t *testing.T) {
	for _, wire := range wires {
		t.Run(wire, func(t *testing.T) {
			m, _ := userClass(t)
			llm, _, logs := newLLM(t, wire, answerWith(`{"uid": "id", "name": `))
			res, err := generate.Generate(context.Background(), generate.Request{Model: m, Class: "User", Kind: generate.KindConnID, Fresh: true, Assist: llm, AskAssist: true})
			if err != nil {
				t.Fatal(err)
			}
			notes := strings.Join(res.Notes, "\n")
			if !strings.Contains(res.Code, `connIdAttribute("NAME", "login")`) || !strings.Contains(notes, "malformed JSON") || !strings.Contains(notes, "kept the deterministic choice") {
				t.Fatalf("code:\n%s\nnotes:\n%s", res.Code, notes)
			}
			noKey(t, logs.String(), notes)
		})
	}
}

func TestLLMHallucinatedAttributes(t *testing.T) {
	for _, wire := range wires {
		t.Run(wire, func(t *testing.T) {
			m, c := userClass(t)
			// First chunk: both invented; the others: a real UID with an invented NAME.
			llm, _, _ := newLLM(t, wire, func(call int, _ http.ResponseWriter, _ *http.Request) (int, string) {
				if call == 1 {
					return http.StatusOK, `{"uid": "userGuid", "name": "principalName", "reason": "x"}`
				}
				return http.StatusOK, `{"uid": "id", "name": "nickname", "reason": "y"}`
			})
			plan, notes, err := llm.ReviseConnID(context.Background(), c, generate.ChooseConnID(c), generate.DocChunks(m.Units[0], c), func(string, string, int, int) {})
			if err == nil {
				t.Fatalf("an answer of invented attributes was accepted: %+v", plan)
			}
			all := strings.Join(notes, "\n")
			for _, want := range []string{`UID "userGuid"`, `NAME "principalName"`, "does not have: dropped"} {
				if !strings.Contains(all, want) {
					t.Errorf("notes lack %q:\n%s", want, all)
				}
			}
			res, err := generate.Generate(context.Background(), generate.Request{Model: m, Class: "User", Kind: generate.KindConnID, Fresh: true, Assist: llm, AskAssist: true})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(res.Code, `connIdAttribute("NAME", "login")`) {
				t.Fatalf("no fallback to the deterministic choice:\n%s", res.Code)
			}
		})
	}
}

func TestLLMUnauthorized(t *testing.T) {
	for _, wire := range wires {
		t.Run(wire, func(t *testing.T) {
			m, c := userClass(t)
			llm, f, logs := newLLM(t, wire, func(int, http.ResponseWriter, *http.Request) (int, string) {
				return http.StatusUnauthorized, "API key not valid: " + testKey
			})
			_, notes, err := llm.ReviseConnID(context.Background(), c, generate.ChooseConnID(c), generate.DocChunks(m.Units[0], c), func(string, string, int, int) {})
			if !errors.Is(err, ErrAuth) {
				t.Fatalf("err = %v", err)
			}
			if f.calls.Load() != 1 {
				t.Fatalf("%d calls: a refused key is not retried nor asked again", f.calls.Load())
			}
			if !strings.Contains(err.Error(), KeyVariables[wire]) {
				t.Fatalf("the message does not say which key to check: %v", err)
			}
			noKey(t, err.Error(), strings.Join(notes, "\n"), logs.String())
		})
	}
}

func TestLLMRetryAfter(t *testing.T) {
	for _, wire := range wires {
		t.Run(wire, func(t *testing.T) {
			m, c := userClass(t)
			var first time.Time
			var waited atomic.Int64
			llm, f, _ := newLLM(t, wire, func(call int, w http.ResponseWriter, _ *http.Request) (int, string) {
				if call == 1 {
					first = time.Now()
					w.Header().Set("Retry-After", "1")
					return http.StatusTooManyRequests, "quota exceeded"
				}
				if call == 2 {
					waited.Store(int64(time.Since(first)))
				}
				return http.StatusOK, `{"uid": "id", "name": "login", "reason": "z"}`
			})
			plan, _, err := llm.ReviseConnID(context.Background(), c, generate.ChooseConnID(c), generate.DocChunks(m.Units[0], c)[:1], func(string, string, int, int) {})
			if err != nil {
				t.Fatal(err)
			}
			if plan.NAME != "login" || f.calls.Load() != 2 {
				t.Fatalf("plan %+v after %d calls", plan, f.calls.Load())
			}
			if d := time.Duration(waited.Load()); d < 900*time.Millisecond {
				t.Fatalf("retried after %s, before the Retry-After of 1s", d)
			}
		})
	}
}

func TestLLMRetryAfterTooLong(t *testing.T) {
	m, c := userClass(t)
	llm, f, _ := newLLM(t, "openai", func(_ int, w http.ResponseWriter, _ *http.Request) (int, string) {
		w.Header().Set("Retry-After", "3600")
		return http.StatusTooManyRequests, "come back in an hour"
	})
	_, notes, err := llm.ReviseConnID(context.Background(), c, generate.ChooseConnID(c), generate.DocChunks(m.Units[0], c)[:1], func(string, string, int, int) {})
	if err == nil || f.calls.Load() != 1 || !strings.Contains(strings.Join(notes, "\n"), "rate limited") {
		t.Fatalf("err %v, %d calls, notes %q", err, f.calls.Load(), notes)
	}
}

func TestLLMServerErrorsRetried(t *testing.T) {
	m, c := userClass(t)
	llm, f, _ := newLLM(t, "gemini", func(call int, _ http.ResponseWriter, _ *http.Request) (int, string) {
		if call <= 2 {
			return http.StatusServiceUnavailable, "overloaded"
		}
		return http.StatusOK, `{"uid": "id", "name": "login", "reason": "z"}`
	})
	if _, _, err := llm.ReviseConnID(context.Background(), c, generate.ChooseConnID(c), generate.DocChunks(m.Units[0], c)[:1], func(string, string, int, int) {}); err != nil || f.calls.Load() != 3 {
		t.Fatalf("err %v after %d calls", err, f.calls.Load())
	}
}

func TestLLMSlowAnswerCancelled(t *testing.T) {
	for _, wire := range wires {
		t.Run(wire, func(t *testing.T) {
			m, _ := userClass(t)
			arrived := make(chan struct{}, 8)
			llm, _, _ := newLLM(t, wire, func(_ int, _ http.ResponseWriter, r *http.Request) (int, string) {
				arrived <- struct{}{}
				select {
				case <-r.Context().Done():
				case <-time.After(30 * time.Second):
				}
				return 0, ""
			})
			ctx, cancel := context.WithCancel(context.Background())
			go func() {
				<-arrived
				cancel()
			}()
			start := time.Now()
			_, err := generate.Generate(ctx, generate.Request{Model: m, Class: "User", Kind: generate.KindConnID, Fresh: true, Assist: llm, AskAssist: true})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v", err)
			}
			if time.Since(start) > 10*time.Second {
				t.Fatal("the cancelled request was waited for")
			}
		})
	}
}

func TestLLMTimeout(t *testing.T) {
	m, c := userClass(t)
	llm, _, _ := newLLM(t, "openai", func(_ int, _ http.ResponseWriter, r *http.Request) (int, string) {
		<-r.Context().Done()
		return 0, ""
	})
	llm.Timeout = 200 * time.Millisecond
	_, _, err := llm.ReviseConnID(context.Background(), c, generate.ChooseConnID(c), generate.DocChunks(m.Units[0], c), func(string, string, int, int) {})
	if err == nil || !strings.Contains(err.Error(), "did not answer within") {
		t.Fatalf("err = %v", err)
	}
}

// TestLLMUpdateFromProse: no endpoint is documented in a form connls
// reads, only in prose; the model reads it, and what it says is checked
// against the prose and the declared attributes.
func TestLLMUpdateFromProse(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644)
	}
	write("Device.native.schema.groovy", `objectClass("Device") {
    attribute("id") { jsonType "string"; creatable false; updateable false }
    attribute("label") { jsonType "string"; required true }
    attribute("location") { jsonType "string" }
}
`)
	write("Device.connid.schema.groovy", "objectClass(\"Device\") {\n    connIdAttribute(\"UID\", \"id\")\n    connIdAttribute(\"NAME\", \"label\")\n}\n")
	write("docs/devices.md", "# Device\n\nDevices are the machines people use.\n\nTo rename or move a device, send the changed fields with PATCH to /devices/{deviceId}; the answer is the whole device.\n")
	m := load(t, dir)
	for _, wire := range wires {
		t.Run(wire, func(t *testing.T) {
			llm, _, _ := newLLM(t, wire, answerWith(`{"endpoints": [
				{"method": "PATCH", "path": "/devices/{deviceId}", "supportedAttributes": ["label", "location", "serialNumber"]},
				{"method": "POST", "path": "/devices/{deviceId}/wipe", "supportedAttributes": ["label"], "value": "true"}
			], "reason": "the docs say PATCH"}`))
			if _, err := generate.Generate(context.Background(), generate.Request{Model: m, Class: "Device", Kind: generate.KindUpdate, Fresh: true}); !errors.Is(err, generate.ErrNotFound) {
				t.Fatalf("without the assistant: %v", err)
			}
			res, err := generate.Generate(context.Background(), generate.Request{Model: m, Class: "Device", Kind: generate.KindUpdate, Fresh: true, Assist: llm})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(res.Code, `endpoint(PATCH, "/devices/{id}")`) || !strings.Contains(res.Code, `supportedAttributes "label", "location"`) {
				t.Fatalf("code:\n%s", res.Code)
			}
			notes := strings.Join(res.Notes, "\n")
			for _, want := range []string{`attribute "serialNumber" of PATCH /devices/{deviceId} (not declared): dropped`, "endpoint POST /devices/{deviceId}/wipe (not in the documentation): dropped"} {
				if !strings.Contains(notes, want) {
					t.Errorf("notes lack %q:\n%s", want, notes)
				}
			}
			if strings.Contains(res.Code, "wipe") {
				t.Fatalf("an undocumented endpoint was kept:\n%s", res.Code)
			}
		})
	}
}

func TestRetryAfterHeader(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"3":                             3 * time.Second,
		"0":                             0,
		"Wed, 02 Dec 2026 10:00:05 GMT": 5 * time.Second,
		"Wed, 02 Dec 2026 09:00:00 GMT": 0,
	} {
		if got, ok := retryAfter(v, now); !ok || got != want {
			t.Errorf("retryAfter(%q) = %v, %v; want %v", v, got, ok, want)
		}
	}
	for _, v := range []string{"", "soon", "-1"} {
		if _, ok := retryAfter(v, now); ok {
			t.Errorf("retryAfter(%q) accepted", v)
		}
	}
}

func TestSelectChunksCaps(t *testing.T) {
	var chunks []generate.DocChunk
	for i := 0; i < 10; i++ {
		chunks = append(chunks, generate.DocChunk{Title: fmt.Sprint(i), Text: strings.Repeat("é", 1000*(i+1)+i)})
	}
	got := selectChunks(chunks)
	if len(got) != maxChunks {
		t.Fatalf("%d chunks", len(got))
	}
	for i, ch := range got {
		if len(ch.Text) > maxChunkBytes+10 || !strings.HasPrefix(ch.Title, fmt.Sprint(4+i)) {
			t.Errorf("chunk %d: %q, %d bytes", i, ch.Title, len(ch.Text))
		}
		if !bytes.Equal([]byte(ch.Text), []byte(strings.ToValidUTF8(ch.Text, "?"))) {
			t.Errorf("chunk %d cut inside a character", i)
		}
	}
}

// TestPromptCarriesEvidence: the assistant is told what the deterministic
// choice weighs: how objects are addressed and searched, and the update
// endpoints the scripts declare.
func TestPromptCarriesEvidence(t *testing.T) {
	var prompts []string
	capture := func(_ int, _ http.ResponseWriter, r *http.Request) (int, string) {
		return http.StatusOK, `{"uid": "id", "name": "login", "reason": "ok", "endpoints": []}`
	}
	llm, _, _ := newLLM(t, "openai", capture)
	llm.Backend = recordingBackend{Backend: llm.Backend, prompts: &prompts}
	_, c := userClass(t)
	if _, _, err := llm.ReviseConnID(context.Background(), c, generate.ChooseConnID(c), nil, func(string, string, int, int) {}); err != nil {
		t.Fatal(err)
	}
	llm.ReviseUpdate(context.Background(), c, nil, nil, func(string, string, int, int) {})
	if len(prompts) != 2 {
		t.Fatalf("%d prompts", len(prompts))
	}
	for _, want := range []string{"id: single-result search /users/{id} filters on it", "login: search /users filters on it (eq)", "UID id ("} {
		if !strings.Contains(prompts[0], want) {
			t.Errorf("the connid prompt lacks %q:\n%s", want, prompts[0])
		}
	}
	for _, want := range []string{"declares update endpoint PATCH /users/{id}", "The UID is id"} {
		if !strings.Contains(prompts[1], want) {
			t.Errorf("the update prompt lacks %q:\n%s", want, prompts[1])
		}
	}
}

// recordingBackend keeps the prompts it passes on.
type recordingBackend struct {
	Backend
	prompts *[]string
}

func (r recordingBackend) Complete(ctx context.Context, p Prompt) (string, error) {
	*r.prompts = append(*r.prompts, p.User)
	return r.Backend.Complete(ctx, p)
}

func load(t *testing.T, dir string) *analysis.Model {
	t.Helper()
	ws, err := workspace.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	m, err := analysis.NewAnalyzer().Analyze(context.Background(), ws.Snapshot(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// geminiRequestProblem says how a request differs from what
// google.golang.org/genai (1.77) sends for a generateContent call with a
// system instruction, a JSON schema and temperature 0, or "".
func geminiRequestProblem(r *http.Request, body []byte) string {
	if r.Method != http.MethodPost || r.URL.Path != "/v1beta/models/test-model:generateContent" {
		return "unexpected " + r.Method + " " + r.URL.Path
	}
	var req struct {
		Contents []struct {
			Parts []struct{ Text string }
			Role  string
		}
		SystemInstruction struct {
			Parts []struct{ Text string }
		}
		GenerationConfig struct {
			ResponseMimeType   string
			ResponseJsonSchema map[string]any
			Temperature        *float64
		}
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return err.Error()
	}
	// encoding/json matches names in any case; the service does not.
	var names struct {
		Top    map[string]json.RawMessage
		Config map[string]json.RawMessage
	}
	json.Unmarshal(body, &names.Top)
	json.Unmarshal(names.Top["generationConfig"], &names.Config)
	if got := strings.Join(slices.Sorted(maps.Keys(names.Top)), " "); got != "contents generationConfig systemInstruction" {
		return "request members " + got
	}
	if got := strings.Join(slices.Sorted(maps.Keys(names.Config)), " "); got != "responseJsonSchema responseMimeType temperature" {
		return "generationConfig members " + got
	}
	g := req.GenerationConfig
	switch {
	case len(req.Contents) != 1 || req.Contents[0].Role != "user" || len(req.Contents[0].Parts) != 1:
		return "want one user content"
	case len(req.SystemInstruction.Parts) != 1 || req.SystemInstruction.Parts[0].Text == "":
		return "want a system instruction"
	case g.ResponseMimeType != "application/json" || len(g.ResponseJsonSchema) == 0 || g.Temperature == nil || *g.Temperature != 0:
		return "want a JSON answer by a schema at temperature 0"
	}
	return ""
}

// TestGeminiAnswerParts: the answer is the first candidate's text parts
// joined, without the model's thoughts.
func TestGeminiAnswerParts(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"candidates":[{"content":{"role":"model","parts":[{"text":"thinking...","thought":true},{"text":"{\"a\":"},{"text":"1}"}]}},{"content":{"parts":[{"text":"other"}]}}]}`)
	}))
	defer srv.Close()
	b, err := NewBackend(context.Background(), BackendOptions{Kind: "gemini", Model: "m", BaseURL: srv.URL, APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.Complete(context.Background(), Prompt{System: "s", User: "u", Schema: map[string]any{"type": "object"}})
	if err != nil || got != `{"a":1}` {
		t.Fatalf("got %q, %v", got, err)
	}
}

// TestGeminiModelNames: a model is named with or without "models/", a
// tuned model with "tunedModels/", as genai took them; anything that
// would change the request's path is refused.
func TestGeminiModelNames(t *testing.T) {
	var path string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path = r.URL.Path
		io.WriteString(w, `{"candidates":[{"content":{"parts":[{"text":"{}"}]}}]}`)
	}))
	defer srv.Close()
	for model, want := range map[string]string{
		"gemini-2.5-flash":        "/v1beta/models/gemini-2.5-flash:generateContent",
		"models/gemini-2.5-flash": "/v1beta/models/gemini-2.5-flash:generateContent",
		"tunedModels/mine":        "/v1beta/tunedModels/mine:generateContent",
		"a?b":                     "",
		"../x":                    "",
	} {
		path = ""
		b, err := NewBackend(context.Background(), BackendOptions{Kind: "gemini", Model: model, BaseURL: srv.URL, APIKey: testKey})
		if want == "" {
			if err == nil {
				t.Errorf("%q: no error", model)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", model, err)
		}
		if _, err := b.Complete(context.Background(), Prompt{System: "s", User: "u"}); err != nil || path != want {
			t.Errorf("%q: path %q, %v; want %q", model, path, err, want)
		}
	}
}

// TestKeyNotRedirectedAway: a redirect to another host does not carry
// the API key there; one on the same host does.
func TestKeyNotRedirectedAway(t *testing.T) {
	for _, wire := range wires {
		t.Run(wire, func(t *testing.T) {
			var keys []bool
			hasKey := func(r *http.Request) bool {
				return strings.Contains(r.Header.Get("x-goog-api-key")+r.Header.Get("Authorization"), testKey)
			}
			answer := func(w http.ResponseWriter) {
				if wire == "gemini" {
					io.WriteString(w, `{"candidates":[{"content":{"parts":[{"text":"{}"}]}}]}`)
				} else {
					io.WriteString(w, `{"choices":[{"message":{"content":"{}"}}]}`)
				}
			}
			away := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				keys = append(keys, hasKey(r))
				answer(w)
			}))
			defer away.Close()
			home := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				keys = append(keys, hasKey(r))
				if !strings.HasPrefix(r.URL.Path, "/again") {
					http.Redirect(w, r, "/again"+r.URL.Path, http.StatusTemporaryRedirect)
					return
				}
				http.Redirect(w, r, away.URL+r.URL.Path, http.StatusTemporaryRedirect)
			}))
			defer home.Close()
			b, err := NewBackend(context.Background(), BackendOptions{Kind: wire, Model: "m", BaseURL: home.URL, APIKey: testKey})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := b.Complete(context.Background(), Prompt{System: "s", User: "u"}); err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(keys) != "[true true false]" {
				t.Errorf("the key went with the requests %v (home, home again, away)", keys)
			}
		})
	}
}
