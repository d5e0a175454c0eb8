package analysis

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/workspace"
)

// TestEveryFixHasAPolicy: a rule that offers quick fixes in any rule test
// must say whether `connls check --fix` applies them, and why; a policy
// names a real rule.
func TestEveryFixHasAPolicy(t *testing.T) {
	for code := range autoFixes {
		if RuleFor(code) == nil {
			t.Errorf("autoFixes names %q, which is no rule", code)
		}
	}
	files, _ := filepath.Glob("testdata/rules/*.txtar")
	offered := map[string]bool{}
	for _, file := range files {
		m, _, _ := loadTxtar(t, file)
		for _, p := range m.Diagnostics() {
			if len(p.Fixes) == 0 {
				continue
			}
			offered[p.Code] = true
			if _, why := RuleFor(p.Code).AutoFix(); why == "" {
				t.Errorf("%s: %s offers fixes (%q) but autoFixes does not say whether --fix applies them", filepath.Base(file), p.Code, p.Fixes[0].Title)
			}
		}
	}
	if len(offered) < 15 {
		t.Errorf("only %d rules offered fixes in the rule tests: %v", len(offered), offered)
	}
}

func TestSafeFix(t *testing.T) {
	dir := t.TempDir()
	abs := filepath.Join(dir, "A.native.schema.groovy")
	text := "attribute(\"x\") { updateabel true; mapping {} }\n"
	os.WriteFile(abs, []byte(text), 0o644)
	ws, err := workspace.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	snap := ws.Snapshot()
	at := func(word string) workspace.Range {
		i := strings.Index(text, word)
		return workspace.Range{Start: workspace.Pos{Col: i}, End: workspace.Pos{Col: i + len(word)}}
	}
	change := func(word, to string) dsl.Fix {
		return dsl.Fix{Title: "Change to " + to, Edits: []dsl.Edit{{Abs: abs, Range: at(word), NewText: to}}}
	}
	one := []dsl.Fix{{Title: "Change to a"}}
	two := []dsl.Fix{{Title: "Change to a"}, {Title: "Change to b"}}
	for _, tc := range []struct {
		code  string
		fixes []dsl.Fix
		want  string
	}{
		{"connid-name", one, "Change to a"},
		{"path-placeholder", two, "Change to a"}, // always: the first, preferred fix
		{"unknown-json-type", one, "Change to a"},
		{"unknown-json-type", two, ""}, // a choice between two types
		{"unknown-dsl", []dsl.Fix{change("updateabel", "updateable")}, "Change to updateable"},
		{"unknown-dsl", []dsl.Fix{change("mapping", "mappingTable")}, ""}, // starts the same, no typo
		{"unknown-dsl", []dsl.Fix{change("updateabel", "updateable"), change("updateabel", "readable")}, ""},
		{"uid-mutable", one, ""}, // never
		{"syntax", nil, ""},
		// Two spellings of one DSL method are one correction.
		{"unknown-dsl", []dsl.Fix{change("updateabel", "updateable"), change("updateabel", "updatable")}, "Change to updateable"},
	} {
		f, ok := SafeFix(dsl.Problem{Code: tc.code, Fixes: tc.fixes}, snap)
		if ok != (tc.want != "") || f.Title != tc.want {
			t.Errorf("%s with %d fixes: %q %v, want %q", tc.code, len(tc.fixes), f.Title, ok, tc.want)
		}
	}
}
