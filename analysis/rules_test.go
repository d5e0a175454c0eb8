package analysis

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestRules runs every workspace in testdata/rules and compares its
// findings with the "want" file: each line is "path:line:col severity
// code". Findings not listed fail the test too, so every archive also
// proves what must not be flagged.
func TestRules(t *testing.T) {
	files, _ := filepath.Glob("testdata/rules/*.txtar")
	if len(files) == 0 {
		t.Fatal("no rule tests")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			m, ar, _ := loadTxtar(t, file)
			var want []string
			for _, f := range ar.Files {
				if f.Name == "want" {
					for _, l := range strings.Split(strings.TrimSpace(string(f.Data)), "\n") {
						if l = strings.TrimSpace(l); l != "" {
							want = append(want, l)
						}
					}
				}
			}
			var got []string
			for _, p := range m.Diagnostics() {
				got = append(got, fmt.Sprintf("%s:%d:%d %s %s", p.Path, p.Range.Start.Line+1, p.Range.Start.Col+1, p.Severity, p.Code))
			}
			sort.Strings(got)
			sort.Strings(want)
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
				var msgs []string
				for _, p := range m.Diagnostics() {
					msgs = append(msgs, fmt.Sprintf("  %s:%d:%d %s %s: %s", p.Path, p.Range.Start.Line+1, p.Range.Start.Col+1, p.Severity, p.Code, p.Message))
				}
				t.Errorf("findings differ\n got:\n%s\nwant:\n%s\nmessages:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), strings.Join(msgs, "\n"))
			}
		})
	}
}
