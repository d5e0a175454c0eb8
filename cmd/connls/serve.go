package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newServeCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Run the language server over stdio (LSP)",
		Long: `serve speaks the Language Server Protocol over stdin and stdout to an
editor: diagnostics for every workspace file, quick fixes, code actions that
generate connid and update scripts, hover, completion and navigation.
Logs go to stderr or --log-file, never to stdout.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return errors.New("serve: not built yet")
		},
	}
}
