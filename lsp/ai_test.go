package lsp_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

const aiKey = "sk-e2e-SECRET-9876543210"

// fakeLLM is an LLM service in one wire format (openai: chat
// completions; gemini: generateContent) that answers with answer's text.
// It returns the base URL for --llm-base-url.
func fakeLLM(t *testing.T, wire string, answer func(call int) string) (string, *atomic.Int32) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(calls.Add(1))
		io.Copy(io.Discard, r.Body)
		switch {
		case wire == "openai" && r.URL.Path == "/v1/chat/completions" && r.Header.Get("Authorization") == "Bearer "+aiKey:
			json.NewEncoder(w).Encode(map[string]any{"choices": []any{map[string]any{"message": map[string]any{"role": "assistant", "content": answer(n)}}}})
		case wire == "gemini" && strings.HasSuffix(r.URL.Path, "/models/fake-model:generateContent") && r.Header.Get("x-goog-api-key") == aiKey:
			json.NewEncoder(w).Encode(map[string]any{"candidates": []any{map[string]any{"content": map[string]any{"role": "model", "parts": []any{map[string]any{"text": answer(n)}}}}}})
		default:
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"error":{"code":401,"message":"bad request"}}`))
		}
	}))
	t.Cleanup(srv.Close)
	if wire == "openai" {
		return srv.URL + "/v1", &calls
	}
	return srv.URL, &calls
}

// TestGenerateWithAI drives "Generate with AI" through the LSP against a
// fake service of each backend: the action is offered, progress is
// reported per documentation chunk, the validated answer is applied; a
// malformed answer falls back to the deterministic choice. The key never
// reaches the log or the client.
func TestGenerateWithAI(t *testing.T) {
	for _, tc := range []struct {
		wire, name, answer, wantName, wantNote string
	}{
		{"openai", "good answer", `{"uid": "id", "name": "email", "reason": "people sign in with e-mail"}`, "email", "changed the choice"},
		{"openai", "malformed answer", `{"uid": "id", "name": `, "login", "kept the deterministic choice"},
		{"openai", "hallucinated attribute", `{"uid": "id", "name": "principalName", "reason": "x"}`, "login", "does not have: dropped"},
		{"gemini", "good answer", `{"uid": "id", "name": "email", "reason": "people sign in with e-mail"}`, "email", "changed the choice"},
		{"gemini", "malformed answer", `{"uid": "id", "name": `, "login", "kept the deterministic choice"},
	} {
		t.Run(tc.wire+" "+tc.name, func(t *testing.T) {
			base, calls := fakeLLM(t, tc.wire, func(int) string { return tc.answer })
			dir := sample(t, "ticketdesk")
			// An empty block: the fallback has something to write too.
			os.WriteFile(filepath.Join(dir, "User.connid.schema.groovy"), []byte("objectClass(\"User\") {\n}\n"), 0o644)
			keyVar := map[string]string{"openai": "OPENAI_API_KEY", "gemini": "GEMINI_API_KEY"}[tc.wire]
			c := start(t, opts{folders: []string{dir}, env: []string{keyVar + "=" + aiKey},
				args: []string{"--llm", tc.wire, "--llm-model", "fake-model", "--llm-base-url", base}})
			connid := filepath.Join(dir, "User.connid.schema.groovy")
			c.open(connid)
			var ai *action
			for _, a := range c.codeActions(connid, 0, 4, "source") {
				if strings.HasPrefix(a.Title, "Generate connid mapping for User with AI ("+tc.wire+" fake-model)") {
					ai = &a
				}
			}
			if ai == nil {
				t.Fatal("no \"with AI\" action")
			}
			m := c.mark()
			var out struct {
				Status  string   `json:"status"`
				Applied bool     `json:"applied"`
				Notes   []string `json:"notes"`
			}
			params := map[string]any{"command": ai.Command.Command, "arguments": ai.Command.Arguments, "workDoneToken": "ai-1"}
			if err := c.call("workspace/executeCommand", params, &out); err != nil {
				t.Fatal(err)
			}
			notes := strings.Join(out.Notes, "\n")
			if !out.Applied || !strings.Contains(notes, tc.wantNote) {
				t.Fatalf("outcome %+v", out)
			}
			var asked []string
			var edit string
			c.mu.Lock()
			for _, e := range c.events[m:] {
				switch e.method {
				case "$/progress":
					var p struct {
						Token string `json:"token"`
						Value struct {
							Kind, Message string
						} `json:"value"`
					}
					json.Unmarshal(e.params, &p)
					if p.Token == "ai-1" && strings.HasPrefix(p.Value.Message, "asking "+tc.wire+" fake-model") {
						asked = append(asked, p.Value.Message)
					}
				case "workspace/applyEdit":
					edit = string(e.params)
				}
				if strings.Contains(string(e.params), aiKey) {
					t.Errorf("the key reached the client: %s", e.method)
				}
			}
			c.mu.Unlock()
			if len(asked) == 0 || len(asked) != int(calls.Load()) {
				t.Fatalf("progress per chunk: %q for %d calls", asked, calls.Load())
			}
			if !strings.Contains(edit, `connIdAttribute(\"NAME\", \"`+tc.wantName+`\")`) {
				t.Fatalf("applyEdit: %s", edit)
			}
			if strings.Contains(c.stderrText(), aiKey) {
				t.Fatal("the key reached the log")
			}
		})
	}
}

// TestLLMWithoutKey: a backend without its key does not cost the user
// the language server: it starts, says why AI is off, offers no AI.
func TestLLMWithoutKey(t *testing.T) {
	dir := sample(t, "ticketdesk")
	c := start(t, opts{folders: []string{dir}, env: []string{"GEMINI_API_KEY="}, args: []string{"--llm", "gemini"}})
	c.waitFor("the warning", func(e event) bool {
		return e.method == "window/showMessage" && strings.Contains(string(e.params), "LLM assistance is off") && strings.Contains(string(e.params), "GEMINI_API_KEY")
	})
	connid := filepath.Join(dir, "User.connid.schema.groovy")
	c.open(connid)
	for _, a := range c.codeActions(connid, 1, 4, "source") {
		if strings.Contains(a.Title, "with AI") {
			t.Fatalf("an AI action without a backend: %q", a.Title)
		}
	}
}
