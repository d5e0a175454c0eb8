package dsl

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	yaml "github.com/pb33f/go-yaml"

	"github.com/connls/connls/analysis/docs"
	"github.com/connls/connls/bench/synth"
	"github.com/connls/connls/workspace"
)

// sameTree reports where two node trees differ, or "".
func sameTree(a, b *yaml.Node, path string) string {
	if a == nil || b == nil {
		if a != b {
			return path + ": one tree is nil"
		}
		return ""
	}
	x, y := *a, *b
	x.Content, y.Content = nil, nil
	if !reflect.DeepEqual(x, y) {
		return fmt.Sprintf("%s: %+v\n  against %+v", path, x, y)
	}
	if len(a.Content) != len(b.Content) {
		return fmt.Sprintf("%s: %d children against %d", path, len(a.Content), len(b.Content))
	}
	for i := range a.Content {
		if d := sameTree(a.Content[i], b.Content[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

// plainCases are JSON texts in plainJSON's subset, with the white space,
// line breaks and shapes YAML might read otherwise.
var plainCases = []string{
	`{}`,
	`{"connector":{}}`,
	"{\n  \"connector\": {\n    \"schema\": [ { \"script\": \"/A.native.schema.groovy\" } ]\n  }\n}\n",
	"{\r\n\t\"a\": [true, false, null, \"x\", [], {}],\r\n\t\"b\" : {\"c\":\"d\"}\r\n}\r\n",
	"{\"a\":\"b\",\"a\":\"c\"}",
	"{\r\"a\":\r[\r\"b\"\r,\r\"c\"\r]\r}",
	"\n\n   {\"a\"   :\t\"spaces and # hash: colon, - dash\" , \"b\":[\n[\n[]\n]\n]}\n\n",
	"{\n\"no\": \"indent\",\n\"list\": [\n\"x\",\n{\"y\": true}\n]\n}",
	`{"": "", "disabled": "true", "q": "it's 'single' {and} [brackets]"}`,
}

// notPlainCases are JSON texts outside the subset (and texts that are not
// JSON): the general path reads them.
var notPlainCases = []string{
	``, `  `, `[]`, `"x"`, `1`, `{"a": 1}`, `{"a": -2.5e3}`, `{"a": "\n"}`, `{"a": "é"}`, "{\"a\": \"\x7f\"}",
	"{\"a\"\n: \"b\"}", `{"a": "b",}`, `{"a": "b"} x`, `{"a" "b"}`, `{"a": tru}`, `{"a": [1,]}`, `{"a": "b"`,
	`{"` + strings.Repeat("k", 1000) + `": "v"}`, "\ufeff{}", `{'a': 'b'}`,
}

func TestPlainJSONReadsAsYAML(t *testing.T) {
	texts := append([]string(nil), plainCases...)
	// The manifests of the sample workspaces and the synthetic one.
	matches, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "*", "connector.manifest.json"))
	more, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "repo", "*", "*", "src", "main", "resources", "connector.manifest.json"))
	for _, m := range append(matches, more...) {
		data, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(data))
	}
	dir := t.TempDir()
	if _, err := synth.Write(dir, synth.Options{Classes: 3, Attributes: 2, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "connector.manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	texts = append(texts, string(data))
	if len(texts) < len(plainCases)+3 {
		t.Fatalf("found only %d manifests", len(texts)-len(plainCases))
	}
	for _, text := range texts {
		got := plainJSON([]byte(text))
		if got == nil {
			t.Errorf("plainJSON refused %q", text)
			continue
		}
		want, p := docs.ParseTree([]byte(text), true)
		if p != nil {
			t.Fatalf("ParseTree(%q): %v", text, p.Message)
		}
		if d := sameTree(got, want, ""); d != "" {
			t.Errorf("%q: plainJSON and ParseTree differ at %s", text, d)
		}
	}
}

func TestPlainJSONLeavesTheRest(t *testing.T) {
	for _, text := range notPlainCases {
		if got := plainJSON([]byte(text)); got != nil {
			t.Errorf("plainJSON read %q, which is outside its subset", text)
		}
		// ReadManifest still reads it, through the general path: the
		// same problems as ParseTree's.
		f := &workspace.File{Abs: "/w/connector.manifest.json", Path: "connector.manifest.json", Kind: workspace.KindManifest, Text: []byte(text)}
		m := ReadManifest(f)
		_, p := docs.ParseTree([]byte(text), true)
		if p != nil && (len(m.Problems) == 0 || !strings.Contains(m.Problems[0].Message, p.Message)) {
			t.Errorf("%q: ReadManifest's problems %v, ParseTree's %q", text, m.Problems, p.Message)
		}
	}
}

// FuzzPlainJSON checks that whatever plainJSON reads, YAML reads the same.
func FuzzPlainJSON(f *testing.F) {
	for _, c := range append(plainCases, notPlainCases...) {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got := plainJSON([]byte(text))
		if got == nil {
			return
		}
		want, p := docs.ParseTree([]byte(text), true)
		if p != nil {
			t.Fatalf("plainJSON read %q, which ParseTree refuses: %s", text, p.Message)
		}
		if d := sameTree(got, want, ""); d != "" {
			t.Fatalf("%q: plainJSON and ParseTree differ at %s", text, d)
		}
	})
}
