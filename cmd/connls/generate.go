package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newGenerateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "generate connid|update --class NAME [DIR]",
		Short: "Generate or regenerate the connid mapping or update operation of a class",
		Args:  cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return errors.New("generate: not built yet")
		},
	}
}
