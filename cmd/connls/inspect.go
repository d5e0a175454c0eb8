package main

import (
	"context"
	"encoding/json"
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
	cmd := &cobra.Command{
		Use:   "inspect [DIR]",
		Short: "Print the connector model: classes, attributes, mappings and endpoints",
		Long: `inspect reads a workspace and prints what connls understood of it: every
object class with its attributes (type, flags and where each was declared or
documented), its UID/NAME mappings and its endpoints, from the scripts and
from the API documentation. --json prints the same as JSON.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := loadModel(cmd.Context(), workspaceDir(args), nil)
			if err != nil {
				return err
			}
			out := analysis.Inspect(m)
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(out)
			}
			printInspect(cmd.OutOrStdout(), out)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// loadModel scans a directory and analyses it.
func loadModel(ctx context.Context, dir string, progress analysis.Progress) (*analysis.Model, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	ws, err := workspace.New(dir)
	if err != nil {
		return nil, err
	}
	return analysis.NewAnalyzer().Analyze(ctx, ws.Snapshot(), progress)
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
