package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/aymanbagabas/go-udiff"
	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/connls/connls/generate"
)

// exitNothing is the exit status of a generation with nothing to
// generate from (an unknown class, missing prerequisites).
const exitNothing = 3

func newGenerateCmd() *cobra.Command {
	var class string
	var fresh, write, diff, ai bool
	var llm llmFlags
	cmd := &cobra.Command{
		Use:   "generate native|connid|search|create|update|delete|authorization --class NAME [DIR]",
		Short: "Generate or regenerate a script of a class: native schema, connid mapping, operations",
		Long: `generate writes one script of an object class from what connls knows of
the class: its native schema and the API documentation. native writes
X.native.schema.groovy from the documented attributes, connid the mapping
(X.connid.schema.groovy), search, create, update and delete the operations
(X.search.groovy, X.create.op.groovy, ...) and authorization the
authentication of the API (authorization.op.groovy; --class is not needed).

By default it prints the generated code. --write puts it in place (and
lists a new file in the manifest), with the generation record, as one
atomic change; --diff prints the change as a unified diff. Generating again with unchanged inputs changes nothing, and a block
edited since it was generated is left alone unless --fresh is given.

With --llm, an LLM is consulted where the deterministic choice is unsure
(close candidates, a single identifier, no documented update endpoint), or
always with --ai. Its answer is checked against the model: attributes and
endpoints that do not exist are dropped, and an answer that fails falls
back to the deterministic result.

Exit status: 0 when the code was generated (or is already in place), 2 on a
usage or internal error, 3 when there is nothing to generate from: the
class is not in the workspace (the message lists those that are), or its
prerequisites are missing (no attributes, no update endpoint).`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			kind, err := generate.ParseKind(args[0])
			if err != nil {
				return err
			}
			if class == "" && kind != generate.KindAuthorization {
				return errors.New("--class is required")
			}
			if write && diff {
				return errors.New("--write and --diff exclude each other")
			}
			dir := "."
			if len(args) > 1 {
				dir = args[1]
			}
			m, err := loadModel(cmd.Context(), dir, nil)
			if err != nil {
				return err
			}
			progress := func(stage, msg string, done, total int) {}
			if isTerminal(cmd.ErrOrStderr()) {
				progress = newProgressBar(cmd.ErrOrStderr()).update
			}
			assist, _, err := llm.assistant(cmd.Context(), zap.NewNop())
			if err != nil {
				return err
			}
			if ai && assist == nil {
				return errors.New("--ai needs an LLM backend: --llm gemini or --llm openai")
			}
			res, err := generate.Generate(cmd.Context(), generate.Request{Model: m, Class: class, Kind: kind, Fresh: fresh, Progress: progress, Assist: assist, AskAssist: ai})
			if errors.Is(err, generate.ErrNotFound) {
				fmt.Fprintln(cmd.ErrOrStderr(), "connls:", err)
				return exitError{code: exitNothing}
			}
			if err != nil {
				return err
			}
			out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
			for _, n := range res.Notes {
				fmt.Fprintln(errOut, "connls: "+n)
			}
			switch {
			case diff:
				return printDiff(out, res)
			case write:
				return writeResult(m.Snapshot.Roots, res, errOut)
			default:
				fmt.Fprint(out, res.Code)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&class, "class", "", "the object class (required)")
	cmd.Flags().BoolVar(&fresh, "fresh", false, "regenerate from scratch: ignore the previous result and any manual override")
	cmd.Flags().BoolVar(&write, "write", false, "write the files")
	cmd.Flags().BoolVar(&diff, "diff", false, "print a unified diff of the change")
	cmd.Flags().BoolVar(&ai, "ai", false, "ask the LLM (--llm) even where the deterministic choice is sure")
	llm.register(cmd)
	return cmd
}

func printDiff(w io.Writer, res *generate.Result) error {
	for _, c := range res.Changes {
		from := "a/" + c.Path
		if c.New {
			from = "/dev/null"
		}
		fmt.Fprint(w, udiff.Unified(from, "b/"+c.Path, c.Before, c.After))
	}
	return nil
}

// writeResult writes the changed files and records the generation.
func writeResult(roots []string, res *generate.Result, log io.Writer) error {
	if len(res.Changes) == 0 {
		fmt.Fprintf(log, "connls: %s of %s: %s, nothing written\n", res.Kind, res.Class, res.Status)
		return nil
	}
	if err := generate.WriteResult(res, roots); err != nil {
		return err
	}
	for _, c := range res.Changes {
		verb := "updated"
		if c.New {
			verb = "created"
		}
		fmt.Fprintf(log, "connls: %s %s\n", verb, c.Path)
	}
	return nil
}
