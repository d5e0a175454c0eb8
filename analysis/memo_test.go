package analysis

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connls/connls/workspace"
)

// TestIncrementalMatchesFresh edits an open script step by step and
// checks that the tracked analyzer (incremental parse, memoized statement
// readings, reused classes and findings) reports exactly what a fresh
// analyzer reports for the same text: findings, fixes and the model.
func TestIncrementalMatchesFresh(t *testing.T) {
	checkIncremental = true
	defer func() { checkIncremental = false }()
	dir := t.TempDir()
	copySample(t, "ticketdesk", dir)
	// Several top-level statements, so that an edit leaves some alone.
	path := filepath.Join(dir, "Teams.native.schema.groovy")
	text := []byte(`objectClass("Team") {
    attribute("id") { jsonType "string"; creatable false; updateable false }
    attribute("name") { jsonType "string"; required true }
    connIdAttribute("UID", "id")
    connIdAttribute("NAME", "name")
}
objectClass("Site") {
    attribute("code") { jsonType "string"; required true }
    attribute("city") { jsonType "strin" }
}
objectClass("Tag") {
    attribute("id") { jsonType "integer"; creatable false; updateable false }
    attribute("label") { jsonType "string"; required true }
    connIdAttribute("UID", "id")
    connIdAttribute("NAME", "label")
}
`)
	os.WriteFile(path, text, 0o644)
	ws, err := workspace.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	a := NewAnalyzer()
	a.Track(path)
	cur := string(text)
	ws.Open(path, 1, text)
	steps := []struct{ name, from, to string }{
		{"a typo in the last class", `attribute("label") { jsonType "string"; required true }`, `attribute("label") { jsonType "string"; requird true }`},
		{"the typo fixed", `requird true`, `required true`},
		{"a line inserted at the top", `objectClass("Team") {`, "// teams\nobjectClass(\"Team\") {"},
		{"same length, one line more", "// teams\n", "//\n// ms\n"},
		{"back", "//\n// ms\n", "// teams\n"},
		{"an unbalanced bracket in the middle", `objectClass("Site") {`, `objectClass("Site") {{`},
		{"balanced again", `objectClass("Site") {{`, `objectClass("Site") {`},
		{"a type fixed in the middle", `"strin"`, `"string"`},
		{"an attribute renamed that a mapping uses", `attribute("label")`, `attribute("title")`},
		{"a call of an undeclared helper", `attribute("id") { jsonType "integer"`, `attribute("id") { jsonType "integer"; helperCall "x"`},
		{"the helper declared after it", "connIdAttribute(\"NAME\", \"label\")\n}\n", "connIdAttribute(\"NAME\", \"label\")\n}\ndef helperCall(v) { v }\n"},
		{"the first class deleted", "objectClass(\"Team\") {\n    attribute(\"id\") { jsonType \"string\"; creatable false; updateable false }\n    attribute(\"name\") { jsonType \"string\"; required true }\n    connIdAttribute(\"UID\", \"id\")\n    connIdAttribute(\"NAME\", \"name\")\n}\n", ""},
	}
	reused := 0
	for i, st := range steps {
		if !strings.Contains(cur, st.from) {
			t.Fatalf("step %q: %q not in the text", st.name, st.from)
		}
		cur = strings.Replace(cur, st.from, st.to, 1)
		snap, err := ws.Change(path, int32(i+2), []workspace.Change{{Text: cur}})
		if err != nil {
			t.Fatal(err)
		}
		inc, fresh := analyzeBoth(t, a, snap)
		for _, sc := range inc.Scripts {
			for _, cb := range sc.Classes {
				if cb.Script != sc {
					reused++ // a block from an earlier reading
				}
			}
		}
		if got, want := dump(t, inc), dump(t, fresh); got != want {
			t.Fatalf("step %q: incremental and fresh analyses differ:\n%s", st.name, firstDiff(got, want))
		}
	}
	if reused == 0 {
		t.Fatal("no statement reading was reused: the test does not test the memo")
	}
}

// dump is the model and findings as JSON, without pointers.
func dump(t *testing.T, m *Model) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetIndent("", " ")
	if err := enc.Encode(m.Diagnostics()); err != nil {
		t.Fatal(err)
	}
	if err := enc.Encode(Inspect(m)); err != nil {
		t.Fatal(err)
	}
	for _, u := range m.Units {
		for _, s := range u.Scripts {
			enc.Encode(s.Scopes)
		}
	}
	return b.String()
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			lo := max(0, i-5)
			return "incremental:\n" + strings.Join(al[lo:min(len(al), i+5)], "\n") + "\nfresh:\n" + strings.Join(bl[lo:min(len(bl), i+5)], "\n")
		}
	}
	return "lengths differ"
}
