package analysis

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connls/connls/analysis/dsl"
	"golang.org/x/tools/txtar"
)

// TestRules runs every workspace in testdata/rules and compares its
// findings with the "want" file: each finding is a line
// "path:line:col severity code: message", followed by one indented line
// per quick fix, "fix "title": path:l:c-l:c "new text"" for each of its
// edits. Findings not listed fail the test too, so every archive also
// proves what must not be flagged. -update rewrites the want files.
func TestRules(t *testing.T) {
	files, _ := filepath.Glob("testdata/rules/*.txtar")
	if len(files) == 0 {
		t.Fatal("no rule tests")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			m, ar, dir := loadTxtar(t, file)
			var want []string
			for _, f := range ar.Files {
				if f.Name == "want" {
					for _, l := range strings.Split(string(f.Data), "\n") {
						if strings.TrimSpace(l) != "" {
							want = append(want, strings.TrimRight(l, " \t"))
						}
					}
				}
			}
			var got []string
			for _, p := range m.Diagnostics() {
				got = append(got, wantLines(m, p, dir)...)
			}
			if *update {
				for i := range ar.Files {
					if ar.Files[i].Name == "want" {
						ar.Files[i].Data = []byte(strings.Join(got, "\n") + "\n")
					}
				}
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("findings differ\n got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// wantLines renders a finding and its fixes as a want file lists them;
// the workspace's temporary folder is written $WORK.
func wantLines(m *Model, p dsl.Problem, dir string) []string {
	msg := strings.ReplaceAll(p.Message, dir, "$WORK")
	out := []string{fmt.Sprintf("%s:%d:%d %s %s: %s", p.Path, p.Range.Start.Line+1, p.Range.Start.Col+1, p.Severity, p.Code, msg)}
	for _, f := range p.Fixes {
		for _, e := range f.Edits {
			path := e.Abs
			if f := m.Snapshot.File(e.Abs); f != nil {
				path = f.Path
			}
			out = append(out, fmt.Sprintf("    fix %q: %s:%d:%d-%d:%d %q", f.Title, path,
				e.Range.Start.Line+1, e.Range.Start.Col+1, e.Range.End.Line+1, e.Range.End.Col+1, e.NewText))
		}
	}
	return out
}
