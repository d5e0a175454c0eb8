package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/connls/connls/analysis"
)

func newCheckCmd() *cobra.Command {
	var format, failOn string
	var color bool
	cmd := &cobra.Command{
		Use:   "check [DIR]",
		Short: "Validate a workspace and print its findings (for CI)",
		Long: `check validates a connector workspace — the DSL scripts, the UID/NAME
mappings, the manifest and the API documents — and prints every finding.

Formats: text (file:line:col: severity code: message), json, sarif (SARIF
2.1.0 for GitHub code scanning) and github (workflow commands that annotate
pull requests).

Exit status: 0 when no finding is at or above --fail-on, 1 when some are,
2 on a usage or internal error, or when DIR holds no connector files.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			threshold, ok := analysis.ParseSeverity(failOn)
			if !ok && failOn != "none" {
				return fmt.Errorf("--fail-on must be error, warning, info or none, not %q", failOn)
			}
			write, ok := formats[format]
			if !ok {
				return fmt.Errorf("--format must be text, json, sarif or github, not %q", format)
			}
			out := cmd.OutOrStdout()
			bar := newProgressBar(cmd.ErrOrStderr())
			m, err := loadModel(cmd.Context(), workspaceDir(args), bar.update)
			bar.done()
			if err != nil {
				return err
			}
			problems := m.Diagnostics()
			if !cmd.Flags().Changed("color") {
				color = isTerminal(out) && os.Getenv("NO_COLOR") == ""
			}
			if err := write(out, report{problems: problems, color: color}); err != nil {
				return err
			}
			if failOn == "none" {
				return nil
			}
			for _, p := range problems {
				if p.Severity <= threshold {
					return exitError{code: 1}
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, json, sarif or github")
	cmd.Flags().StringVar(&failOn, "fail-on", "error", "lowest severity that fails the check: error, warning, info or none")
	cmd.Flags().BoolVar(&color, "color", false, "colour the text output (default: only on a terminal)")
	return cmd
}

// report is what the formats print.
type report struct {
	problems []analysis.Problem
	color    bool
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// displayPath shows a file relative to the working directory, so that
// editors and CI annotations can open it.
func displayPath(abs string) string {
	wd, err := os.Getwd()
	if err != nil {
		return abs
	}
	rel, err := filepath.Rel(wd, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(abs)
	}
	return filepath.ToSlash(rel)
}

// progressBar draws on a terminal only, and only once loading has taken
// more than a moment.
type progressBar struct {
	w       io.Writer
	tty     bool
	start   time.Time
	mu      sync.Mutex
	drawn   bool
	stopped bool
}

func newProgressBar(w io.Writer) *progressBar {
	return &progressBar{w: w, tty: isTerminal(w), start: time.Now()}
}

func (b *progressBar) update(stage, message string, done, total int) {
	if !b.tty || total == 0 || time.Since(b.start) < 300*time.Millisecond {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.stopped {
		return
	}
	const width = 30
	filled := width * done / total
	fmt.Fprintf(b.w, "\r%-6s [%s%s] %d/%d", stage, strings.Repeat("=", filled), strings.Repeat(" ", width-filled), done, total)
	b.drawn = true
}

func (b *progressBar) done() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.stopped = true
	if b.drawn {
		fmt.Fprint(b.w, "\r\033[K")
	}
}
