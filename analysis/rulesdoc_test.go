package analysis

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRulesDoc fails when docs/rules.md no longer matches the rule
// definitions.
func TestRulesDoc(t *testing.T) {
	path := filepath.Join("..", "docs", "rules.md")
	want := RulesMarkdown()
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != want {
		t.Fatalf("docs/rules.md is stale; run go test ./analysis -run TestRulesDoc -update (%v)", err)
	}
}

// TestEveryRuleIsDocumentedAndTested checks that every code has its texts
// and appears in a rule test archive or is produced by the readers.
func TestEveryRuleIsDocumentedAndTested(t *testing.T) {
	archives, _ := filepath.Glob("testdata/rules/*.txtar")
	var all []byte
	for _, a := range archives {
		b, _ := os.ReadFile(a)
		all = append(all, b...)
	}
	seen := map[string]bool{}
	for _, r := range Rules {
		if seen[r.Code] {
			t.Errorf("duplicate rule code %s", r.Code)
		}
		seen[r.Code] = true
		if r.Summary == "" || r.Help == "" || r.Example == "" || r.Severity == 0 {
			t.Errorf("%s: summary, help, example and severity are required", r.Code)
		}
		if !strings.Contains(string(all), " "+r.Code+": ") {
			t.Errorf("%s: no rule test expects it", r.Code)
		}
	}
}
