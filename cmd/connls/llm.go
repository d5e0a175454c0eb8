package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/connls/connls/generate"
	"github.com/connls/connls/generate/llm"
)

// llmFlags select the optional LLM backend. The API key is read from the
// environment only (GEMINI_API_KEY, OPENAI_API_KEY): a flag would show it
// in the process list and in shell history.
type llmFlags struct {
	backend, model, baseURL string
	timeout                 time.Duration
}

func (f *llmFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.backend, "llm", "", "optional LLM backend for unsure choices and \"Generate with AI\": gemini or openai (key from GEMINI_API_KEY or OPENAI_API_KEY)")
	cmd.Flags().StringVar(&f.model, "llm-model", "", "model name (default: gemini-2.5-flash or gpt-4o-mini)")
	cmd.Flags().StringVar(&f.baseURL, "llm-base-url", "", "base URL of the service (an OpenAI-compatible local server such as Ollama: http://localhost:11434/v1)")
	cmd.Flags().DurationVar(&f.timeout, "llm-timeout", 2*time.Minute, "longest time one generation may wait for the LLM")
}

// assistant returns the configured assistant and its name, or nil when
// no backend is selected.
func (f *llmFlags) assistant(ctx context.Context, log *zap.Logger) (generate.Assistant, string, error) {
	if f.backend == "" || f.backend == "none" {
		return nil, "", nil
	}
	keyVar, ok := llm.KeyVariables[f.backend]
	if !ok {
		return nil, "", fmt.Errorf("--llm %q: want gemini or openai", f.backend)
	}
	b, err := llm.NewBackend(ctx, llm.BackendOptions{Kind: f.backend, Model: f.model, BaseURL: f.baseURL, APIKey: os.Getenv(keyVar)})
	if err != nil {
		return nil, "", err
	}
	log.Info("LLM backend", zap.String("backend", b.Name()), zap.Bool("key", os.Getenv(keyVar) != ""))
	return &llm.LLM{Backend: b, Log: log, Timeout: f.timeout}, b.Name(), nil
}
