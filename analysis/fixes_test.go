package analysis

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/workspace"
)

// applyEdits applies edits to a text, from the last to the first.
func applyEdits(text []byte, edits []dsl.Edit) []byte {
	sorted := append([]dsl.Edit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[j].Range.Start.Before(sorted[i].Range.Start) })
	for _, e := range sorted {
		l := workspace.NewLines(text)
		s, end := l.Offset(e.Range.Start), l.Offset(e.Range.End)
		text = append(append(append([]byte(nil), text[:s]...), e.NewText...), text[end:]...)
	}
	return text
}

// TestQuickFixes applies the first fix of a finding and compares the
// file with what a careful author would have written.
func TestQuickFixes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		code  string
		file  string // the file the fix changes
		want  string
	}{
		{
			name: "uid-mutable adds the flags in the block's style",
			files: map[string]string{"A.native.schema.groovy": `objectClass("A") {
    attribute("id") {
        jsonType "string"
        updateable true
    }
    attribute("name") { jsonType "string" }
    connIdAttribute("UID", "id")
    connIdAttribute("NAME", "name")
}
`},
			code: "uid-mutable", file: "A.native.schema.groovy",
			want: `objectClass("A") {
    attribute("id") {
        jsonType "string"
        updateable false
        creatable false
    }
    attribute("name") { jsonType "string" }
    connIdAttribute("UID", "id")
    connIdAttribute("NAME", "name")
}
`,
		},
		{
			name: "uid-mutable in a one-line block",
			files: map[string]string{"A.native.schema.groovy": `objectClass("A") {
  attribute("id") { jsonType "string" }
  attribute("name") { jsonType "string" }
  connIdAttribute("UID", "id")
  connIdAttribute("NAME", "name")
}
`},
			code: "uid-mutable", file: "A.native.schema.groovy",
			want: `objectClass("A") {
  attribute("id") { jsonType "string"; creatable false; updateable false }
  attribute("name") { jsonType "string" }
  connIdAttribute("UID", "id")
  connIdAttribute("NAME", "name")
}
`,
		},
		{
			name: "missing-uid maps the chosen identifier",
			files: map[string]string{
				"A.native.schema.groovy": "objectClass(\"A\") {\n    attribute(\"uuid\") { jsonType \"string\"; openApiFormat \"uuid\"; creatable false; updateable false }\n    attribute(\"login\") { jsonType \"string\"; required true }\n}\n",
				"A.connid.schema.groovy": "objectClass(\"A\") {\n    connIdAttribute(\"NAME\", \"login\")\n}\n",
			},
			code: "missing-uid", file: "A.connid.schema.groovy",
			want: "objectClass(\"A\") {\n    connIdAttribute(\"NAME\", \"login\")\n    connIdAttribute(\"UID\", \"uuid\")\n}\n",
		},
		{
			name:  "unknown-dsl corrects the typo",
			files: map[string]string{"A.native.schema.groovy": "objectClass(\"A\") {\n    attribute(\"x\") { updateabel false }\n}\n"},
			code:  "unknown-dsl", file: "A.native.schema.groovy",
			want: "objectClass(\"A\") {\n    attribute(\"x\") { updateable false }\n}\n",
		},
		{
			name: "manifest-unlisted lists the script",
			files: map[string]string{
				"connector.manifest.json": "{\n  \"connector\": {\n    \"operation\": [\n      { \"script\": \"/A.search.groovy\" }\n    ]\n  }\n}\n",
				"A.search.groovy":         "objectClass(\"A\") {\n    search { endpoint(\"/a\") }\n}\n",
				"A.update.op.groovy":      "objectClass(\"A\") {\n    update { endpoint(PATCH, \"/a/{id}\") }\n}\n",
			},
			code: "manifest-unlisted", file: "connector.manifest.json",
			want: "{\n  \"connector\": {\n    \"operation\": [\n      { \"script\": \"/A.search.groovy\" },\n      { \"script\": \"/A.update.op.groovy\" }\n    ]\n  }\n}\n",
		},
		{
			name: "manifest-unlisted in YAML",
			files: map[string]string{
				"connector.manifest.yaml": "connector:\n  operation:\n    - script: /A.search.groovy\n",
				"A.search.groovy":         "objectClass(\"A\") {\n    search { endpoint(\"/a\") }\n}\n",
				"A.update.op.groovy":      "objectClass(\"A\") {\n    update { endpoint(PATCH, \"/a/{id}\") }\n}\n",
			},
			code: "manifest-unlisted", file: "connector.manifest.yaml",
			want: "connector:\n  operation:\n    - script: /A.search.groovy\n    - script: /A.update.op.groovy\n",
		},
		{
			name: "update-uid removes the UID from the list",
			files: map[string]string{
				"A.native.schema.groovy": "objectClass(\"A\") {\n    attribute(\"id\") { jsonType \"string\"; creatable false; updateable false }\n    attribute(\"mail\") { jsonType \"string\" }\n    connIdAttribute(\"UID\", \"id\")\n    connIdAttribute(\"NAME\", \"mail\")\n}\n",
				"A.update.op.groovy":     "objectClass(\"A\") {\n    update {\n        endpoint(PATCH, \"/a/{id}\") {\n            supportedAttributes \"mail\", \"id\"\n        }\n    }\n}\n",
			},
			code: "update-uid", file: "A.update.op.groovy",
			want: "objectClass(\"A\") {\n    update {\n        endpoint(PATCH, \"/a/{id}\") {\n            supportedAttributes \"mail\"\n        }\n    }\n}\n",
		},
		{
			name: "one-attribute-two-mappings adds a copy attribute",
			files: map[string]string{"Tag.native.schema.groovy": `objectClass("Tag") {
    attribute("tag") { jsonType "string" }
    connIdAttribute("UID", "tag")
    connIdAttribute("NAME", "tag")
}
`},
			code: "one-attribute-two-mappings", file: "Tag.native.schema.groovy",
			want: `objectClass("Tag") {
    attribute("tag") { jsonType "string" }
    connIdAttribute("UID", "tag")
    connIdAttribute("NAME", "tagName")
    attribute("tagName") {
        json {
            name "tag"
            type "string"
        }
        creatable false
        updateable false
    }
}
`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, text := range tc.files {
				os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644)
			}
			m := loadDir(t, dir)
			var fix *dsl.Fix
			for _, p := range m.Diagnostics() {
				if p.Code == tc.code && len(p.Fixes) > 0 {
					fix = &p.Fixes[0]
					break
				}
			}
			if fix == nil {
				t.Fatalf("no %s finding with a fix; findings: %+v", tc.code, m.Diagnostics())
			}
			abs := filepath.Join(dir, tc.file)
			var edits []dsl.Edit
			for _, e := range fix.Edits {
				if e.Abs != abs {
					t.Fatalf("the fix edits %s, want %s", e.Abs, abs)
				}
				edits = append(edits, e)
			}
			got := string(applyEdits([]byte(tc.files[tc.file]), edits))
			if got != tc.want {
				t.Errorf("after %q:\n%s\nwant:\n%s", fix.Title, got, tc.want)
			}
			// The fixed workspace no longer has the finding.
			os.WriteFile(abs, []byte(got), 0o644)
			for _, p := range loadDir(t, dir).Diagnostics() {
				if p.Code == tc.code {
					t.Errorf("still reported after the fix: %s", p.Message)
				}
			}
		})
	}
}
