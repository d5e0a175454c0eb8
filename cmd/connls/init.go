package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/generate"
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
	m, err := loadModel(ctx, dir, nil)
	if err != nil {
		return err
	}
	u := initUnit(m, dir)
	if u == nil || len(u.Classes) == 0 {
		fmt.Fprintf(log, "connls: %s describes no object class\n", from)
		return exitError{code: exitNothing}
	}
	if len(classes) == 0 {
		classes = generate.CoreClasses(u)
		if len(classes) == 0 {
			fmt.Fprintf(log, "connls: %s has no resource that the API both lists and reads one by one; name the classes with --class\n", from)
			return exitError{code: exitNothing}
		}
		fmt.Fprintf(log, "connls: core resources: %s\n", strings.Join(classes, ", "))
	}
	for i, name := range classes {
		c := u.Class(name)
		if c == nil {
			c = u.ClassFold(name)
		}
		if c == nil {
			_, err := generate.Generate(ctx, generate.Request{Model: m, Unit: u, Class: name, Kind: generate.KindNative})
			fmt.Fprintln(log, "connls:", err)
			return exitError{code: exitNothing}
		}
		classes[i] = c.Name
	}

	// Generate kind by kind, reading the workspace again after each
	// write: each script is evidence for the next.
	listed := map[string][]string{}
	write := func(res *generate.Result) error {
		for _, n := range res.Notes {
			fmt.Fprintln(log, "connls: "+n)
		}
		if len(res.Changes) == 0 {
			return nil
		}
		if err := generate.WriteResult(res, m.Snapshot.Roots); err != nil {
			return err
		}
		// A script check finds errors in is left out, with why: the new
		// workspace checks clean, and the developer writes that part.
		if errs, err := errorsIn(ctx, dir, res); err != nil {
			return err
		} else if len(errs) > 0 {
			for _, c := range res.Changes {
				if c.New {
					os.Remove(c.Abs)
				}
			}
			fmt.Fprintf(log, "connls: left out the %s of %s: %s\n", res.Kind, res.Class, strings.Join(errs, "; "))
			return nil
		}
		for _, c := range res.Changes {
			if c.New {
				section := generate.ScaffoldFileSection(res.Kind, c.Path)
				listed[section] = append(listed[section], "/"+c.Path)
				fmt.Fprintf(log, "connls: created %s\n", c.Path)
			}
		}
		return nil
	}
	for _, kind := range generate.ScaffoldKinds {
		for _, name := range classes {
			if m, err = loadModel(ctx, dir, nil); err != nil {
				return err
			}
			res, err := generate.Generate(ctx, generate.Request{Model: m, Unit: initUnit(m, dir), Class: name, Kind: kind})
			if errors.Is(err, generate.ErrNotFound) {
				fmt.Fprintf(log, "connls: no %s for %s: %v\n", kind, name, err)
				continue
			}
			if err != nil {
				return err
			}
			if err := write(res); err != nil {
				return err
			}
		}
	}
	// The relationships between the chosen classes, once their schemas
	// and searches are in place.
	if m, err = loadModel(ctx, dir, nil); err != nil {
		return err
	}
	for _, name := range generate.ScaffoldRelations(initUnit(m, dir), classes) {
		if m, err = loadModel(ctx, dir, nil); err != nil {
			return err
		}
		res, err := generate.Generate(ctx, generate.Request{Model: m, Unit: initUnit(m, dir), Class: name, Kind: generate.KindRelations})
		if errors.Is(err, generate.ErrNotFound) {
			fmt.Fprintf(log, "connls: no relationship %s: %v\n", name, err)
			continue
		}
		if err != nil {
			return err
		}
		if err := write(res); err != nil {
			return err
		}
	}
	if m, err = loadModel(ctx, dir, nil); err != nil {
		return err
	}
	res, err := generate.Generate(ctx, generate.Request{Model: m, Unit: initUnit(m, dir), Kind: generate.KindAuthorization})
	switch {
	case errors.Is(err, generate.ErrNotFound):
		fmt.Fprintf(log, "connls: no authorization: %v\n", err)
	case err != nil:
		return err
	default:
		if err := write(res); err != nil {
			return err
		}
	}
	if err := writeManifest(dir, m, listed); err != nil {
		return err
	}
	fmt.Fprintf(log, "connls: created connector.manifest.json\n")
	return checkInit(cmd, dir, cmd.OutOrStdout())
}

// errorsIn returns the errors check finds in the files a result wrote.
func errorsIn(ctx context.Context, dir string, res *generate.Result) ([]string, error) {
	m, err := loadModel(ctx, dir, nil)
	if err != nil {
		return nil, err
	}
	files := map[string]bool{}
	for _, c := range res.Changes {
		files[c.Abs] = true
	}
	var out []string
	for _, p := range m.Diagnostics() {
		// A class has no mapping until connid runs, after the native
		// schema and the search: the final check still sees it if that
		// fails.
		if p.Code == "missing-uid" || p.Code == "missing-name" {
			continue
		}
		if files[p.Abs] && p.Severity == analysis.SevError {
			out = append(out, fmt.Sprintf("%s:%d: %s", p.Path, p.Range.Start.Line+1, p.Message))
		}
	}
	return out, nil
}

// initUnit is the unit of the new workspace's folder.
func initUnit(m *analysis.Model, dir string) *analysis.Unit {
	abs, _ := filepath.Abs(dir)
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	for _, u := range m.Units {
		if u.Dir == abs {
			return u
		}
	}
	if len(m.Units) == 1 {
		return m.Units[0]
	}
	return nil
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

// writeManifest lists the generated scripts, schema first (native before
// connid, as generated, then the relationships), then authorization, then
// operations.
func writeManifest(dir string, m *analysis.Model, listed map[string][]string) error {
	type entry struct {
		Script string `json:"script"`
	}
	app := struct {
		Name        string `json:"name"`
		Description string `json:"description,omitempty"`
	}{Name: filepath.Base(dir)}
	if abs, err := filepath.Abs(dir); err == nil {
		app.Name = filepath.Base(abs)
	}
	if u := initUnit(m, dir); u != nil {
		for _, d := range u.Docs {
			if d.Title != "" {
				app.Name = d.Title
				break
			}
		}
	}
	order := func(paths []string, kinds ...string) []entry {
		out := []entry{}
		for _, k := range kinds {
			for _, p := range paths {
				if strings.HasSuffix(p, k) {
					out = append(out, entry{p})
				}
			}
		}
		return out
	}
	// In the order the framework loads them.
	conn := struct {
		Schema        []entry `json:"schema"`
		Authorization []entry `json:"authorization"`
		Operation     []entry `json:"operation"`
	}{
		order(listed["schema"], ".native.schema.groovy", ".connid.schema.groovy", "associations.schema.groovy"),
		order(listed["authorization"], ".groovy"),
		order(listed["operation"], ".search.groovy", ".create.op.groovy", ".update.op.groovy", ".delete.op.groovy"),
	}
	b, err := json.MarshalIndent(struct {
		Application any `json:"application"`
		Connector   any `json:"connector"`
	}{app, conn}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "connector.manifest.json"), append(b, '\n'), 0o644)
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
		case analysis.SevError:
			errs++
		case analysis.SevWarning:
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
