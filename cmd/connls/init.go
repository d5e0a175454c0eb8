package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/generate"
	"github.com/connls/connls/workspace"
)

func newInitCmd() *cobra.Command {
	var from string
	var classes []string
	cmd := &cobra.Command{
		Use:   "init [DIR] --from DESCRIPTION [--class NAME ...]",
		Short: "Start a connector from an API description: every script, a manifest, checked",
		Long: `init creates a connector workspace in DIR (the current directory by
default; it must hold no connector yet) from an API description (OpenAPI,
Swagger, SCIM): it copies the description in, generates for each chosen
class the native schema, the search, the connid mapping, create, update and
delete, the relationships between the chosen classes that documented
sub-collections show (GET /orgs/{org}/members) with their support
searches, and the authorization of the API, each where the description
documents what it needs, and writes connector.manifest.json listing every
script. Without --class it takes the description's core resources: the
classes the API both lists and reads one by one. It ends by checking the
workspace, as "connls check" does.

Exit status: 0 when the workspace checks with no error, 1 when check finds
errors, 2 on a usage or internal error, 3 when the description gives
nothing to generate from.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if from == "" {
				return errors.New("--from is required: the API description to start from")
			}
			return runInit(cmd, workspaceDir(args), from, classes)
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "the API description (OpenAPI, Swagger or SCIM file) to start from (required)")
	cmd.Flags().StringSliceVar(&classes, "class", nil, "an object class to generate (repeatable; default: the core resources)")
	return cmd
}

func runInit(cmd *cobra.Command, dir, from string, classes []string) error {
	ctx := cmd.Context()
	log := cmd.ErrOrStderr()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, "connector.manifest.") || strings.HasSuffix(n, ".groovy") {
			return fmt.Errorf("%s already holds a connector (%s): init starts a new one; use generate in an existing workspace", dir, n)
		}
	}
	text, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	doc := filepath.Join(dir, filepath.Base(from))
	if same, _ := sameFile(from, doc); !same {
		if _, err := os.Stat(doc); err == nil {
			return fmt.Errorf("%s exists already: init copies the description there", doc)
		}
		if err := os.WriteFile(doc, text, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(log, "connls: copied %s to %s\n", from, doc)
	}
	// The connector is built in memory and written as one change: an
	// interrupted init leaves the folder as it was.
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	ws, err := workspace.Load(ctx, workspace.DefaultLimits, abs)
	if err != nil {
		return err
	}
	files := map[string][]byte{}
	for _, f := range ws.Snapshot().Files() {
		files[f.Path] = f.Text
	}
	sc, err := generate.NewConnector(ctx, generate.ScaffoldRequest{Root: abs, Files: files, Classes: classes})
	if errors.Is(err, generate.ErrNotFound) {
		fmt.Fprintf(log, "connls: %s: %v\n", from, err)
		return exitError{code: exitNothing}
	}
	if err != nil {
		return err
	}
	for _, n := range sc.Notes {
		fmt.Fprintln(log, "connls: "+n)
	}
	var writes []workspace.Write
	for p, b := range sc.Files {
		writes = append(writes, workspace.Write{Abs: filepath.Join(abs, filepath.FromSlash(p)), Data: b, Check: func(_ []byte, exists bool) error {
			if exists {
				return fmt.Errorf("%s appeared while generating; nothing written", p)
			}
			return nil
		}})
	}
	sort.Slice(writes, func(i, j int) bool { return writes[i].Abs < writes[j].Abs })
	if err := workspace.WriteFiles([]string{abs}, writes); err != nil {
		return err
	}
	fmt.Fprintf(log, "connls: wrote %d files\n", len(writes))
	return checkInit(cmd, dir, cmd.OutOrStdout())
}

func sameFile(a, b string) (bool, error) {
	sa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	sb, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(sa, sb), nil
}

// checkInit checks the new workspace and prints its findings.
func checkInit(cmd *cobra.Command, dir string, out io.Writer) error {
	m, err := loadModel(cmd.Context(), dir, nil)
	if err != nil {
		return err
	}
	errs, warns := 0, 0
	for _, p := range m.Diagnostics() {
		switch p.Severity {
		case dsl.SevError:
			errs++
		case dsl.SevWarning:
			warns++
		default:
			continue
		}
		fmt.Fprintf(out, "%s:%d:%d: %s %s: %s\n", p.Path, p.Range.Start.Line+1, p.Range.Start.Col+1, p.Severity, p.Code, p.Message)
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "connls: check: %d errors, %d warnings\n", errs, warns)
	if errs > 0 {
		return exitError{code: 1}
	}
	return nil
}
