package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/workspace"
)

func newInspectCmd() *cobra.Command {
	var asJSON bool
	var format string
	cmd := &cobra.Command{
		Use:   "inspect [DIR]",
		Short: "Print the connector model: classes, attributes, mappings and endpoints",
		Long: `inspect reads a workspace and prints what connls understood of it: every
object class with its attributes (type, flags and where each was declared or
documented), its UID/NAME mappings and its endpoints, from the scripts and
from the API documentation.

--format json (or --json) prints the same as JSON. --format mermaid and
--format dot draw the connector for a README or a review: its object classes
with their UID and NAME, and the references between them (the subject and
object attributes of each relationship, reference attributes, embedded
classes), as a Mermaid class diagram (inside a ` + "```mermaid" + ` block of a Markdown
file, GitHub and GitLab render it) or a Graphviz graph
(connls inspect --format dot | dot -Tsvg > connector.svg).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if asJSON {
				if cmd.Flags().Changed("format") && format != "json" {
					return fmt.Errorf("--json and --format %s disagree", format)
				}
				format = "json"
			}
			switch format {
			case "text", "json", "mermaid", "dot":
			default:
				return fmt.Errorf("--format must be text, json, mermaid or dot, not %q", format)
			}
			m, err := loadModel(cmd.Context(), workspaceDir(args), nil)
			if err != nil {
				return err
			}
			out := analysis.Inspect(m)
			w := cmd.OutOrStdout()
			switch format {
			case "json":
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				return enc.Encode(out)
			case "mermaid":
				return writeMermaid(w, buildPicture(out))
			case "dot":
				return writeDot(w, buildPicture(out))
			}
			printInspect(w, out)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON (the same as --format json)")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, json, mermaid or dot")
	cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"text", "json", "mermaid", "dot"}, cobra.ShellCompDirectiveNoFileComp))
	cmd.ValidArgsFunction = dirCompletion
	return cmd
}

// loadModel scans a directory and analyses it, for inspect and
// generate: API documentation alone is enough, since a connector is
// started from it.
func loadModel(ctx context.Context, dir string, progress analysis.Progress) (*analysis.Model, error) {
	_, _, m, err := load(ctx, dir, progress, true)
	return m, err
}

// loadWorkspace scans a directory and analyses it, and returns the
// workspace and the analyzer too, for a command that checks it again
// after changing it.
// A directory without connector files is an error: checking it would
// pass green having checked nothing.
func loadWorkspace(ctx context.Context, dir string, progress analysis.Progress) (*workspace.Workspace, *analysis.Analyzer, *analysis.Model, error) {
	return load(ctx, dir, progress, false)
}

func load(ctx context.Context, dir string, progress analysis.Progress, docsEnough bool) (*workspace.Workspace, *analysis.Analyzer, *analysis.Model, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	ws, err := workspace.Load(ctx, workspace.DefaultLimits, dir)
	if err != nil {
		return nil, nil, nil, err
	}
	snap := ws.Snapshot()
	docs := false
	for _, f := range snap.Files() {
		if f.Kind.IsScript() || f.Kind == workspace.KindManifest {
			an := analysis.NewAnalyzer()
			m, err := an.Analyze(ctx, snap, progress)
			return ws, an, m, err
		}
		docs = docs || f.Kind.IsDoc()
	}
	if docsEnough && docs {
		// Documentation alone counts when it describes a class.
		an := analysis.NewAnalyzer()
		m, err := an.Analyze(ctx, snap, progress)
		if err != nil {
			return nil, nil, nil, err
		}
		for _, u := range m.Units {
			if len(u.Classes) > 0 {
				return ws, an, m, nil
			}
		}
	}
	msg := fmt.Sprintf("no connector files in %s: no connector.manifest.json|yaml and no scripts (*.groovy, *.schema.yaml, *.op.yaml)", dir)
	if docsEnough {
		msg += " and no API documentation that describes an object class"
	}
	if len(snap.Skipped) > 0 {
		msg += fmt.Sprintf("; not read: %s: %s", displayPath(snap.Skipped[0].Abs), snap.Skipped[0].Reason)
		if n := len(snap.Skipped) - 1; n > 0 {
			msg += fmt.Sprintf(" (and %d more)", n)
		}
	}
	return nil, nil, nil, errors.New(msg)
}

func flagChar(b bool, c string) string {
	if b {
		return c
	}
	return "-"
}

func printInspect(w io.Writer, out analysis.InspectOutput) {
	for i, c := range out.ObjectClasses {
		if i > 0 {
			fmt.Fprintln(w)
		}
		title := "object class " + c.Name
		if c.Embedded {
			title += " (embedded)"
		}
		if c.Connector != "." && c.Connector != "" {
			title += "  [" + c.Connector + "]"
		}
		fmt.Fprintln(w, title)
		fmt.Fprintf(w, "  files: %s\n", strings.Join(c.Files, ", "))
		if c.Why != "" {
			fmt.Fprintf(w, "  why: %s\n", c.Why)
		}
		var maps []string
		for _, k := range []string{"UID", "NAME"} {
			v, ok := c.ConnID[k]
			if !ok {
				v = "(not mapped)"
			}
			maps = append(maps, k+" → "+v)
		}
		fmt.Fprintf(w, "  connid: %s\n", strings.Join(maps, ", "))
		if len(c.Attributes) > 0 {
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "  ATTRIBUTE\tTYPE\tFLAGS\tSOURCE")
			for _, a := range c.Attributes {
				typ := a.Type
				if a.Format != "" {
					typ += "/" + a.Format
				}
				flags := flagChar(a.Readable, "r") + flagChar(a.Creatable, "c") + flagChar(a.Updateable, "u") + flagChar(a.Required, "R") + flagChar(a.MultiValued, "m")
				src := fmt.Sprintf("%s:%d", a.Source.File, a.Source.Line)
				if a.Source.From != "script" {
					src += " (" + a.Source.From + ")"
				}
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", a.Name, typ, flags, src)
			}
			tw.Flush()
		}
		if len(c.Endpoints)+len(c.Documented) > 0 {
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "  OPERATION\tMETHOD\tPATH\tATTRIBUTES\tSOURCE")
			for _, e := range c.Endpoints {
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s:%d\n", e.Operation, e.Method, e.Path, strings.Join(append(e.SupportedAttributes, e.Filters...), ","), e.Source.File, e.Source.Line)
			}
			for _, e := range c.Documented {
				fmt.Fprintf(tw, "  %s (doc)\t%s\t%s\t%s\t%s:%d\n", e.Operation, e.Method, e.Path, strings.Join(e.Accepts, ","), e.Source.File, e.Source.Line)
			}
			tw.Flush()
		}
	}
	if len(out.ObjectClasses) == 0 {
		fmt.Fprintln(w, "no object classes found")
	}
	fmt.Fprintln(w, "\nflags: r readable, c creatable, u updateable, R required, m multi-valued")
}
