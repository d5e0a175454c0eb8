package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"google.golang.org/genai"
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
	client := &http.Client{Transport: &rt}
	switch o.Kind {
	case "gemini":
		if o.APIKey == "" {
			return nil, fmt.Errorf("--llm gemini needs an API key in %s", KeyVariables["gemini"])
		}
		cfg := &genai.ClientConfig{APIKey: o.APIKey, Backend: genai.BackendGeminiAPI, HTTPClient: client}
		if o.BaseURL != "" {
			cfg.HTTPOptions.BaseURL = o.BaseURL
		}
		c, err := genai.NewClient(ctx, cfg)
		if err != nil {
			return nil, fmt.Errorf("gemini: %s", redact(err.Error(), o.APIKey))
		}
		return &gemini{client: c, model: o.Model, key: o.APIKey}, nil
	case "openai":
		base := strings.TrimSuffix(o.BaseURL, "/")
		if base == "" {
			base = "https://api.openai.com/v1"
		}
		return &openAI{http: client, base: base, model: o.Model, key: o.APIKey}, nil
	}
	return nil, fmt.Errorf("unknown LLM backend %q: want gemini or openai", o.Kind)
}

// gemini speaks to the Gemini API through google.golang.org/genai.
type gemini struct {
	client *genai.Client
	model  string
	key    string
}

func (g *gemini) Name() string { return "gemini " + g.model }

func (g *gemini) Complete(ctx context.Context, p Prompt) (string, error) {
	temp := float32(0)
	resp, err := g.client.Models.GenerateContent(ctx, g.model, genai.Text(p.User), &genai.GenerateContentConfig{
		SystemInstruction:  genai.NewContentFromText(p.System, genai.RoleUser),
		ResponseMIMEType:   "application/json",
		ResponseJsonSchema: p.Schema,
		Temperature:        &temp,
	})
	if err != nil {
		var apiErr genai.APIError
		if errors.As(err, &apiErr) {
			return "", httpStatusError(g.Name(), apiErr.Code, redact(apiErr.Message, g.key), KeyVariables["gemini"])
		}
		return "", fmt.Errorf("%s: %s", g.Name(), redact(err.Error(), g.key))
	}
	text := resp.Text()
	if text == "" {
		return "", fmt.Errorf("%s: empty answer", g.Name())
	}
	return text, nil
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
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.base+"/chat/completions", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	if o.key != "" {
		req.Header.Set("Authorization", "Bearer "+o.key)
	}
	start := time.Now()
	resp, err := o.http.Do(req)
	if err != nil {
		return "", fmt.Errorf("%s: %s", o.Name(), redact(err.Error(), o.key))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return "", fmt.Errorf("%s: reading the answer after %s: %s", o.Name(), time.Since(start).Round(time.Millisecond), redact(err.Error(), o.key))
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
		return "", httpStatusError(o.Name(), resp.StatusCode, redact(msg, o.key), KeyVariables["openai"])
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
