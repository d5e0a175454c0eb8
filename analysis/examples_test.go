package analysis

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// exampleFiles turns a rule's documented example into workspace files.
// An example written as a txtar archive ("-- name --" lines) gives its
// files; a single snippet is put in the file its form suggests.
func exampleFiles(r *Rule) map[string]string {
	ex := r.Example
	if strings.HasPrefix(ex, "-- ") {
		out := map[string]string{}
		for _, f := range txtar.Parse([]byte(ex)).Files {
			out[f.Name] = string(f.Data)
		}
		return out
	}
	if !strings.HasSuffix(ex, "\n") {
		ex += "\n"
	}
	switch {
	case strings.HasPrefix(r.Code, "sailpoint-"):
		return map[string]string{"sailpoint.connector.json": ex}
	case strings.HasPrefix(r.Code, "manifest-") && strings.HasPrefix(strings.TrimSpace(ex), "{"):
		return map[string]string{"connector.manifest.json": ex}
	case strings.HasPrefix(strings.TrimSpace(ex), "{"), strings.HasPrefix(ex, "openapi:"), strings.HasPrefix(ex, "swagger:"):
		return map[string]string{"docs/openapi.json": ex}
	case strings.Contains(ex, "search {") || strings.Contains(ex, "update {") || strings.Contains(ex, "create {") ||
		strings.Contains(ex, "delete {") || strings.Contains(ex, "endpoint("):
		return map[string]string{"User.op.groovy": ex}
	}
	return map[string]string{"User.native.schema.groovy": ex}
}

// TestRuleExamplesTrigger: every rule's documented example, as
// docs/rules.md shows it, produces that rule's finding.
func TestRuleExamplesTrigger(t *testing.T) {
	for _, r := range Rules {
		t.Run(r.Code, func(t *testing.T) {
			dir := t.TempDir()
			files := exampleFiles(r)
			for name, text := range files {
				// "-- name -> target --" is a symbolic link.
				name, link, isLink := strings.Cut(name, " -> ")
				p := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				var err error
				if isLink {
					err = os.Symlink(filepath.FromSlash(link), p)
				} else {
					err = os.WriteFile(p, []byte(text), 0o644)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			m := loadDir(t, dir)
			var got []string
			for _, p := range m.Diagnostics() {
				if p.Code == r.Code {
					return
				}
				got = append(got, p.Code)
			}
			t.Errorf("the example does not trigger %s (found %v):\n%s", r.Code, got, r.Example)
		})
	}
}
