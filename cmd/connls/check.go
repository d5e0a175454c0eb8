package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/workspace"
)

func newCheckCmd() *cobra.Command {
	var format, failOn, connector string
	var color, fix, diff, quiet bool
	var runtimeErrors, runtimeScript string
	cmd := &cobra.Command{
		Use:   "check [DIR]",
		Short: "Validate a workspace and print its findings (for CI)",
		Long: `check validates a connector workspace — the DSL scripts, the UID/NAME
mappings, the manifest and the API documents — and prints every finding.

Formats: text (file:line:col: severity code: message), json, sarif (SARIF
2.1.0 for GitHub code scanning), github (workflow commands that annotate
pull requests), junit (JUnit XML: test results in Jenkins and GitLab) and
codeclimate (a GitLab Code Quality report).

A summary line ("3 errors, 2 warnings in 5 of 40 files") follows the text
findings on a terminal, and goes to stderr otherwise; colour is used on a
terminal only, unless NO_COLOR is set or --color says otherwise. --quiet
prints the findings alone: no summary, no progress, no list of fixes.

--fix applies every quick fix that needs no human choice (the preferred fix
of the rules docs/rules.md marks), checks again until none is left, writes
each changed file atomically and reports the findings that remain; with
--diff it prints the fixes as a unified diff instead of writing them.

--runtime-errors FILE reads the errors midPoint reported for the connector
(a log excerpt with its stack traces, or an error dialog's text; - reads
stdin) and adds a midpoint-error finding on the script line that causes
each (MissingMethodException, unknown attributes, "Multiple declarations",
a NullPointerException in a search, the framework's own messages), with
the quick fixes of the static rule that finds the same mistake. With --fix,
the preferred fix of such a finding is applied even where the rule offers
several corrections (the line fails as written; the first is the closest).
--script names the script the errors are about when the trace does not.

Exit status: 0 when no finding (left) is at or above --fail-on, 1 when some
are, 2 on a usage or internal error, or when DIR holds no connector files.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			noHeapSampling()
			softMemoryLimit(memoryFloor, true)
			threshold, ok := dsl.ParseSeverity(failOn)
			if !ok && failOn != "none" {
				return fmt.Errorf("--fail-on must be error, warning, info or none, not %q", failOn)
			}
			write, ok := formats[format]
			if !ok {
				return fmt.Errorf("--format must be %s, not %q", formatNames(), format)
			}
			fix = fix || diff
			out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
			bar := newProgressBar(errOut)
			bar.off = quiet
			ws, an, m, err := loadWorkspace(cmd.Context(), workspaceDir(args), bar.update)
			bar.done()
			if err != nil {
				return err
			}
			// midPoint's errors, read before --fix so that it applies the
			// fixes they confirm.
			var runtime func(*analysis.Model) []dsl.Problem
			var fixedRuntime map[string]bool // where a fix removed what midPoint reported
			if runtimeErrors != "" {
				text, err := readRuntimeErrors(cmd.InOrStdin(), runtimeErrors)
				if err != nil {
					return err
				}
				runtime = func(m *analysis.Model) []dsl.Problem { return m.RuntimeProblems(text, runtimeScript) }
			}
			if fix {
				run, err := applySafeFixes(cmd.Context(), ws, an, m, runtime)
				if err != nil {
					return err
				}
				if diff {
					err = printFixDiff(out, run)
				} else {
					err = writeFixes(ws.Roots(), run)
				}
				if err != nil {
					return err
				}
				if !quiet {
					reportFixes(errOut, run, diff)
				}
				m = run.model
				fixedRuntime = map[string]bool{}
				for _, a := range run.applied {
					if a.problem.Code == analysis.RuntimeCode {
						fixedRuntime[fmt.Sprintf("%s:%d", a.problem.Abs, a.problem.Range.Start.Line)] = true
					}
				}
			}
			problems := m.Diagnostics()
			if runtime != nil {
				found := runtime(m)
				if len(found) == 0 && !quiet {
					fmt.Fprintf(errOut, "no error in %s names a script line connls can place\n", runtimeErrors)
				}
				for _, p := range found {
					// midPoint's error is about the text before the fix.
					if !fixedRuntime[fmt.Sprintf("%s:%d", p.Abs, p.Range.Start.Line)] {
						problems = append(problems, p)
					}
				}
			}
			files := checkedFiles(m)
			if connector != "" {
				u, err := pickConnector(m, connector, "")
				if err != nil {
					return err
				}
				problems = slices.DeleteFunc(problems, func(p dsl.Problem) bool { return !workspace.Within(u.Module(), p.Abs) })
				files = slices.DeleteFunc(files, func(abs string) bool { return !workspace.Within(u.Module(), abs) })
			}
			if !cmd.Flags().Changed("color") {
				color = isTerminal(out) && os.Getenv("NO_COLOR") == ""
			}
			if !diff {
				if err := write(out, report{problems: problems, files: files, color: color}); err != nil {
					return err
				}
			}
			if !quiet {
				// On a terminal the summary ends the text findings; anywhere
				// else stdout stays as machines read it.
				to, toColor := errOut, isTerminal(errOut) && os.Getenv("NO_COLOR") == ""
				if format == "text" && !diff && isTerminal(out) {
					to, toColor = out, color
				}
				fmt.Fprintln(to, summaryLine(problems, files, toColor))
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
	cmd.Flags().StringVar(&format, "format", "text", "output format: "+formatNames())
	cmd.Flags().StringVar(&connector, "connector", "", "check only this connector (its module folder's name or its folder) of a repository")
	cmd.Flags().StringVar(&failOn, "fail-on", "error", "lowest severity that fails the check: error, warning, info or none")
	cmd.Flags().BoolVar(&color, "color", false, "colour the text output (default: only on a terminal, unless NO_COLOR is set)")
	cmd.Flags().BoolVar(&fix, "fix", false, "apply the quick fixes that need no human choice, then report what is left")
	cmd.Flags().BoolVar(&diff, "diff", false, "with --fix: print the fixes as a unified diff instead of writing them")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "print the findings only: no summary line, progress or list of fixes")
	cmd.Flags().StringVar(&runtimeErrors, "runtime-errors", "", "a file of errors midPoint reported (- for stdin): findings on the script lines that cause them")
	cmd.Flags().StringVar(&runtimeScript, "script", "", "with --runtime-errors: the script the errors are about (a path in the workspace or a file name)")
	cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(formatList, cobra.ShellCompDirectiveNoFileComp))
	cmd.RegisterFlagCompletionFunc("fail-on", cobra.FixedCompletions([]string{"error", "warning", "info", "none"}, cobra.ShellCompDirectiveNoFileComp))
	cmd.ValidArgsFunction = dirCompletion
	return cmd
}

// readRuntimeErrors reads the errors midPoint reported, from a file or
// stdin (-).
func readRuntimeErrors(stdin io.Reader, name string) (string, error) {
	var data []byte
	var err error
	if name == "-" {
		data, err = io.ReadAll(io.LimitReader(stdin, 16<<20))
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return "", fmt.Errorf("--runtime-errors: %w", err)
	}
	return string(data), nil
}

// dirCompletion completes the workspace argument with directories.
func dirCompletion(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return nil, cobra.ShellCompDirectiveFilterDirs
}

// report is what the formats print.
type report struct {
	problems []dsl.Problem
	files    []string // every file checked (absolute paths), in scan order
	color    bool
}

// checkedFiles lists the files a check read: every connector file of the
// workspace but Java sources that are no connector's.
func checkedFiles(m *analysis.Model) []string {
	var files []string
	for _, f := range m.Snapshot.Files() {
		if f.Kind == workspace.KindJava && m.Java[f.Abs] == nil {
			continue
		}
		files = append(files, f.Abs)
	}
	return files
}

// summaryLine counts the findings: "3 errors, 2 warnings in 5 of 40 files".
func summaryLine(problems []dsl.Problem, files []string, color bool) string {
	if len(problems) == 0 {
		return fmt.Sprintf("no problems in %s", count(len(files), "file", "files"))
	}
	var bySev [5]int
	with := map[string]bool{}
	for _, p := range problems {
		bySev[min(max(int(p.Severity), 1), 4)]++
		with[p.Abs] = true
	}
	total := len(files)
	for abs := range with {
		if !slices.Contains(files, abs) {
			total++
		}
	}
	var parts []string
	for _, c := range []struct {
		sev         dsl.Severity
		n           int
		one, plural string
	}{
		{dsl.SevError, bySev[1], "error", "errors"},
		{dsl.SevWarning, bySev[2], "warning", "warnings"},
		{dsl.SevInformation, bySev[3], "info", "info"},
		{dsl.SevHint, bySev[4], "hint", "hints"},
	} {
		if c.n == 0 {
			continue
		}
		part := count(c.n, c.one, c.plural)
		if color {
			part = colorize(c.sev, part)
		}
		parts = append(parts, part)
	}
	return fmt.Sprintf("%s in %d of %s", strings.Join(parts, ", "), len(with), count(total, "file", "files"))
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
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

// progressBar draws on a terminal only, and only once the work has taken
// more than a second: a quick check shows nothing, a very large workspace
// or an LLM answering chunk by chunk shows how far it is.
type progressBar struct {
	w       io.Writer
	tty     bool
	off     bool // --quiet
	start   time.Time
	mu      sync.Mutex
	drawn   bool
	stopped bool
}

func newProgressBar(w io.Writer) *progressBar {
	return &progressBar{w: w, tty: isTerminal(w), start: time.Now()}
}

func (b *progressBar) update(stage, message string, done, total int) {
	if b.off || !b.tty || total == 0 || time.Since(b.start) < time.Second {
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
