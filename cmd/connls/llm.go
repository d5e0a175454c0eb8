package main

import (
	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/connls/connls/generate"
)

// llmFlags select the optional LLM backend; filled in by the LLM issue.
type llmFlags struct {
	backend string
}

func (f *llmFlags) register(cmd *cobra.Command) {}

func (f *llmFlags) assistant(log *zap.Logger) (generate.Assistant, string, error) {
	return nil, "", nil
}
