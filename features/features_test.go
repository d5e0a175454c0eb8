package features

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/workspace"
)

// cursor marks the position of a test in a file's text.
const cursor = "‸"

// analyze writes files into a workspace and analyses it; it returns the
// model and the cursor's file and position.
func analyze(t *testing.T, files map[string]string) (*analysis.Model, string, workspace.Pos) {
	t.Helper()
	dir := t.TempDir()
	var abs string
	var pos workspace.Pos
	for name, text := range files {
		p := filepath.Join(dir, name)
		if i := strings.Index(text, cursor); i >= 0 {
			text = text[:i] + text[i+len(cursor):]
			abs, pos = p, workspace.NewLines([]byte(text)).Pos(i)
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ws, err := workspace.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	m, err := analysis.NewAnalyzer().Analyze(context.Background(), ws.Snapshot(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return m, abs, pos
}

const native = `objectClass("User") {
    attribute("id") { jsonType "string" }
    attribute("login") {
        jsonType "string"
        ‸
    }
}
`

func labels(items []Completion) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Label)
	}
	return out
}

// TestCompletionPerBlock: at the start of a statement, completion offers
// the builder at the cursor, not the enclosing ones.
func TestCompletionPerBlock(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want, not  []string
	}{
		{"attribute", native, []string{"jsonType", "updateable", "readable", "json", "connId"}, []string{"connIdAttribute", "relationship", "attribute", "embedded"}},
		{"object class", "objectClass(\"User\") {\n    ‸\n}\n", []string{"attribute", "connIdAttribute", "description", "embedded"}, []string{"jsonType", "objectClass", "readable"}},
		{"top level", "‸\n", []string{"objectClass", "relationship"}, []string{"attribute", "connIdAttribute"}},
		{"json", "objectClass(\"User\") {\n    attribute(\"id\") {\n        json {\n            ‸\n        }\n    }\n}\n", []string{"name", "type", "openApiFormat"}, []string{"readable", "connIdAttribute"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, abs, pos := analyze(t, map[string]string{"User.native.schema.groovy": tc.text})
			got := labels(Complete(m, abs, pos))
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("%q missing from %v", w, got)
				}
			}
			for _, n := range tc.not {
				if slices.Contains(got, n) {
					t.Errorf("%q offered in %s: %v", n, tc.name, got)
				}
			}
		})
	}
}

func TestCompletionSnippets(t *testing.T) {
	m, abs, pos := analyze(t, map[string]string{"User.native.schema.groovy": "objectClass(\"User\") {\n    ‸\n}\n"})
	snippets := map[string]string{}
	for _, it := range Complete(m, abs, pos) {
		snippets[it.Label] = it.Snippet
	}
	for label, want := range map[string]string{
		"attribute":       "attribute(\"${1}\") {\n\t$0\n}",
		"connIdAttribute": "connIdAttribute(\"${1}\", \"${2}\")",
		"embedded":        "embedded ${1|true,false|}",
		"description":     "description \"${1}\"",
		"scim":            "scim {\n\t$0\n}",
	} {
		if snippets[label] != want {
			t.Errorf("snippet of %s: %q, want %q", label, snippets[label], want)
		}
	}
}

func TestCompletionArguments(t *testing.T) {
	for _, tc := range []struct {
		name, line string
		want, not  []string
	}{
		{"bool", `readable ‸`, []string{"true", "false"}, []string{"SUBJECT"}},
		{"const", `role ‸`, []string{"SUBJECT", "OBJECT"}, []string{"true"}},
		{"jsonType", `jsonType "‸`, []string{"string", "integer", "boolean"}, []string{"true"}},
		{"connIdAttribute name", `connIdAttribute("‸`, []string{"UID", "NAME"}, []string{"login"}},
		{"connIdAttribute attribute", `connIdAttribute("NAME", "‸`, []string{"id", "login", "email"}, []string{"UID"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := "objectClass(\"User\") {\n    attribute(\"id\") { jsonType \"string\" }\n    attribute(\"login\") {}\n    attribute(\"email\") {\n        " + tc.line + "\n    }\n}\n"
			if strings.HasPrefix(tc.line, "connIdAttribute") {
				text = "objectClass(\"User\") {\n    attribute(\"id\") { jsonType \"string\" }\n    attribute(\"login\") {}\n    attribute(\"email\") {}\n    " + tc.line + "\n}\n"
			}
			m, abs, pos := analyze(t, map[string]string{"User.native.schema.groovy": text})
			got := labels(Complete(m, abs, pos))
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("%q missing from %v", w, got)
				}
			}
			for _, n := range tc.not {
				if slices.Contains(got, n) {
					t.Errorf("%q offered: %v", n, got)
				}
			}
		})
	}
}

func TestHoverAndDefinition(t *testing.T) {
	m, abs, pos := analyze(t, map[string]string{
		"User.native.schema.groovy": "objectClass(\"User\") {\n    attribute(\"login\") {\n        jsonType \"string\"\n        description \"The user's login\"\n    }\n}\n",
		"User.connid.schema.groovy": "objectClass(\"User\") {\n    connIdAttribute(\"NAME\", \"lo‸gin\")\n}\n",
	})
	h, ok := HoverAt(m, abs, pos)
	if !ok || !strings.Contains(h.Markdown, "**User.login** — string") || !strings.Contains(h.Markdown, "The user's login") || !strings.Contains(h.Markdown, "ConnId **NAME**") {
		t.Errorf("hover: %v %q", ok, h.Markdown)
	}
	defs := Definition(m, abs, pos)
	if len(defs) != 1 || filepath.Base(defs[0].Abs) != "User.native.schema.groovy" || defs[0].Range.Start.Line != 1 {
		t.Errorf("definition: %+v", defs)
	}
	refs := References(m, abs, pos, true)
	if len(refs) != 2 {
		t.Errorf("references with the declaration: %+v", refs)
	}
	if refs := References(m, abs, pos, false); len(refs) != 1 {
		t.Errorf("references without it: %+v", refs)
	}
}

func TestOutline(t *testing.T) {
	m, abs, _ := analyze(t, map[string]string{
		"User.native.schema.groovy": "objectClass(\"User\") {\n    attribute(\"id\") {}\n    connIdAttribute(\"UID\", \"id\")\n}\n‸",
	})
	out := Outline(m, abs)
	if len(out) != 1 || out[0].Name != "User" || len(out[0].Children) != 2 {
		t.Fatalf("outline: %+v", out)
	}
	if c := out[0].Children[1]; c.Kind != SymbolMapping || c.Name != "UID" || c.Detail != "→ id" {
		t.Errorf("mapping: %+v", c)
	}
}

// TestUnlistedScriptsDoNotShapeTheModel: a script the manifest does not
// list is checked, as if it were listed, but what it declares is not in
// the classes that completion, hover and generation read.
func TestUnlistedScriptsDoNotShapeTheModel(t *testing.T) {
	m, abs, pos := analyze(t, map[string]string{
		"connector.manifest.json":   `{"connector": {"schema": [{"script": "/User.native.schema.groovy"}, {"script": "/User.connid.schema.groovy"}]}}`,
		"User.native.schema.groovy": "objectClass(\"User\") {\n    attribute(\"id\") {}\n    attribute(\"login\") {}\n}\n",
		"User.connid.schema.groovy": "objectClass(\"User\") {\n    connIdAttribute(\"UID\", \"id\")\n    connIdAttribute(\"NAME\", \"‸\")\n}\n",
		"User.extra.schema.groovy":  "objectClass(\"User\") {\n    attribute(\"secret\") {}\n    attribute(\"login\") { updateable false }\n    connIdAttribute(\"NAME\", \"nosuch\")\n}\n",
	})
	got := labels(Complete(m, abs, pos))
	if !slices.Contains(got, "login") || slices.Contains(got, "secret") {
		t.Errorf("attribute names: %v", got)
	}
	if a := m.UnitOf(abs).Class("User").Attribute("login"); a == nil || !a.Updateable {
		t.Errorf("login's flags come from the unlisted script: %+v", a)
	}
	var found bool
	for _, p := range m.Diagnostics() {
		if filepath.Base(p.Abs) == "User.extra.schema.groovy" && p.Code == "mapped-attribute-missing" {
			found = true
			if p.Severity != dsl.SevWarning || !strings.Contains(p.Message, "not loaded") {
				t.Errorf("finding in the unlisted script: %v %s", p.Severity, p.Message)
			}
		}
	}
	if !found {
		t.Error("the unlisted script's own mapping is not checked")
	}
}
