package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

// BackendOptions configure a backend. The key comes from the environment
// or the editor's settings; connls never writes it anywhere.
type BackendOptions struct {
	Kind    string // "gemini" or "openai"
	Model   string
	BaseURL string // empty: the service's own
	APIKey  string
	// Retry tunes the retries (tests make them fast); zero values are
	// the defaults of retryTransport.
	Retry retryTransport
}

// Key variables read by NewBackend's callers, by backend.
var KeyVariables = map[string]string{"gemini": "GEMINI_API_KEY", "openai": "OPENAI_API_KEY"}

// DefaultModels are used when no model is named.
var DefaultModels = map[string]string{"gemini": "gemini-2.5-flash", "openai": "gpt-4o-mini"}

// NewBackend returns the backend o describes.
func NewBackend(ctx context.Context, o BackendOptions) (Backend, error) {
	if o.Model == "" {
		o.Model = DefaultModels[o.Kind]
	}
	rt := o.Retry
	client := &http.Client{Transport: &rt, CheckRedirect: keepKeyHome}
	switch o.Kind {
	case "gemini":
		if o.APIKey == "" {
			return nil, fmt.Errorf("--llm gemini needs an API key in %s", KeyVariables["gemini"])
		}
		model, err := geminiModel(o.Model)
		if err != nil {
			return nil, err
		}
		base := o.BaseURL
		if base == "" {
			// As google.golang.org/genai, which connls used before, did.
			base = os.Getenv("GOOGLE_GEMINI_BASE_URL")
		}
		base = strings.TrimSuffix(base, "/")
		if base == "" {
			base = "https://generativelanguage.googleapis.com"
		}
		return &gemini{http: client, base: base, model: model, key: o.APIKey}, nil
	case "openai":
		base := strings.TrimSuffix(o.BaseURL, "/")
		if base == "" {
			base = "https://api.openai.com/v1"
		}
		return &openAI{http: client, base: base, model: o.Model, key: o.APIKey}, nil
	}
	return nil, fmt.Errorf("unknown LLM backend %q: want gemini or openai", o.Kind)
}

// gemini speaks to the Gemini API's generateContent method, as
// google.golang.org/genai does (the same request and answer). connls
// makes this one call, and the SDK's dependencies (gRPC, Cloud auth,
// OpenCensus, protobuf registries) made the binary 18 MB bigger and every
// connls process, check and the server alike, 9 MB bigger in memory.
type gemini struct {
	http  *http.Client
	base  string
	model string
	key   string
}

func (g *gemini) Name() string { return "gemini " + strings.TrimPrefix(g.model, "models/") }

// geminiModel is the resource name of a model as the Gemini API wants it
// in a path, "models/NAME" or "tunedModels/NAME", from a name written
// either way, as genai reads it.
func geminiModel(name string) (string, error) {
	if name == "" || strings.Contains(name, "..") || strings.ContainsAny(name, "?&#%") {
		return "", fmt.Errorf("gemini: %q is not a model name", name)
	}
	if strings.HasPrefix(name, "models/") || strings.HasPrefix(name, "tunedModels/") {
		return name, nil
	}
	return "models/" + name, nil
}

func (g *gemini) Complete(ctx context.Context, p Prompt) (string, error) {
	type part struct {
		Text    string `json:"text,omitempty"`
		Thought bool   `json:"thought,omitempty"`
	}
	type content struct {
		Parts []part `json:"parts"`
		Role  string `json:"role,omitempty"`
	}
	config := map[string]any{"responseMimeType": "application/json", "temperature": 0}
	if p.Schema != nil {
		config["responseJsonSchema"] = p.Schema
	}
	body, err := json.Marshal(map[string]any{
		"contents":          []content{{Parts: []part{{Text: p.User}}, Role: "user"}},
		"systemInstruction": content{Parts: []part{{Text: p.System}}, Role: "user"},
		"generationConfig":  config,
	})
	if err != nil {
		return "", err
	}
	url := g.base + "/v1beta/" + g.model + ":generateContent"
	data, err := post(ctx, g.http, g.Name(), url, body, "x-goog-api-key", g.key, g.key)
	if err != nil {
		return "", err
	}
	var out struct {
		Candidates []struct {
			Content content `json:"content"`
		} `json:"candidates"`
	}
	if err := json.Unmarshal(data, &out); err != nil {
		return "", fmt.Errorf("%s: the service's answer is not JSON: %v", g.Name(), err)
	}
	// The answer is the text of the first candidate's parts, without
	// the model's thoughts, as the SDK's Text gives it.
	var text strings.Builder
	if len(out.Candidates) > 0 {
		for _, pt := range out.Candidates[0].Content.Parts {
			if !pt.Thought {
				text.WriteString(pt.Text)
			}
		}
	}
	if text.Len() == 0 {
		return "", fmt.Errorf("%s: empty answer", g.Name())
	}
	return text.String(), nil
}

// openAI speaks the OpenAI chat completions format, which local servers
// (Ollama, llama.cpp, vLLM) speak too.
type openAI struct {
	http  *http.Client
	base  string
	model string
	key   string
}

func (o *openAI) Name() string { return "openai " + o.model }

func (o *openAI) Complete(ctx context.Context, p Prompt) (string, error) {
	body, err := json.Marshal(map[string]any{
		"model": o.model,
		"messages": []map[string]string{
			{"role": "system", "content": p.System},
			{"role": "user", "content": p.User},
		},
		"temperature": 0,
		"response_format": map[string]any{
			"type":        "json_schema",
			"json_schema": map[string]any{"name": "answer", "schema": p.Schema},
		},
	})
	if err != nil {
		return "", err
	}
	auth := ""
	if o.key != "" {
		auth = "Bearer " + o.key
	}
	data, err := post(ctx, o.http, o.Name(), o.base+"/chat/completions", body, "Authorization", auth, o.key)
	if err != nil {
		return "", err
	}
	var out struct {
		Choices []struct {
			Message struct {
				Content string `json:"content"`
			} `json:"message"`
		} `json:"choices"`
	}
	if err := json.Unmarshal(data, &out); err != nil {
		return "", fmt.Errorf("%s: the service's answer is not JSON: %v", o.Name(), err)
	}
	if len(out.Choices) == 0 || out.Choices[0].Message.Content == "" {
		return "", fmt.Errorf("%s: empty answer", o.Name())
	}
	return out.Choices[0].Message.Content, nil
}

// post sends a JSON request to an LLM service and returns its answer's
// body, or an error that names the service (name: its kind, a space and
// the model), says what the status means and never carries the key. The
// header keyHeader is set to keyValue, when there is one.
func post(ctx context.Context, client *http.Client, name, url string, body []byte, keyHeader, keyValue, key string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%s: %s", name, redact(err.Error(), key))
	}
	req.Header.Set("Content-Type", "application/json")
	if keyValue != "" {
		req.Header.Set(keyHeader, keyValue)
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", name, redact(err.Error(), key))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return nil, fmt.Errorf("%s: reading the answer after %s: %s", name, time.Since(start).Round(time.Millisecond), redact(err.Error(), key))
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		msg := string(data)
		if json.Unmarshal(data, &e) == nil && e.Error.Message != "" {
			msg = e.Error.Message
		}
		kind, _, _ := strings.Cut(name, " ")
		return nil, httpStatusError(name, resp.StatusCode, redact(msg, key), KeyVariables[kind])
	}
	return data, nil
}

// keepKeyHome follows a service's redirects, as http.Client does, but
// sends the API key only to the host it was meant for: Go drops the
// Authorization header on a redirect to another host, not Gemini's.
func keepKeyHome(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if req.URL.Host != via[0].URL.Host {
		req.Header.Del("x-goog-api-key")
		req.Header.Del("Authorization")
	}
	return nil
}
