package analysis

import (
	"path/filepath"
	"testing"
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
	one := []Fix{{Title: "Change to a"}}
	two := []Fix{{Title: "Change to a"}, {Title: "Change to b"}}
	for _, tc := range []struct {
		code  string
		fixes []Fix
		want  string
	}{
		{"connid-name", one, "Change to a"},
		{"path-placeholder", two, "Change to a"}, // always: the first, preferred fix
		{"unknown-dsl", one, "Change to a"},
		{"unknown-dsl", two, ""}, // a choice between two names
		{"uid-mutable", one, ""}, // never
		{"syntax", nil, ""},
		// Two spellings of one DSL method are one correction.
		{"unknown-dsl", []Fix{
			{Title: "Change to updateable", Edits: []Edit{{Abs: "/w/a", NewText: "updateable"}}},
			{Title: "Change to updatable", Edits: []Edit{{Abs: "/w/a", NewText: "updatable"}}},
		}, "Change to updateable"},
		{"unknown-dsl", []Fix{
			{Title: "Change to readable", Edits: []Edit{{Abs: "/w/a", NewText: "readable"}}},
			{Title: "Change to required", Edits: []Edit{{Abs: "/w/a", NewText: "required"}}},
		}, ""},
	} {
		f, ok := Problem{Code: tc.code, Fixes: tc.fixes}.SafeFix()
		if ok != (tc.want != "") || f.Title != tc.want {
			t.Errorf("%s with %d fixes: %q %v, want %q", tc.code, len(tc.fixes), f.Title, ok, tc.want)
		}
	}
}
