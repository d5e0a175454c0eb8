package docs

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// yamlEdgeCases are hand-written documents with the YAML that
// descriptions use, and some they do not; the fast parser must read
// each exactly as go-yaml does, or refuse it.
var yamlEdgeCases = []string{
	"a: 1\nb:\nc: &x\n  d: 1\ne: *x\nf:\n- 1\n-\n- &y\n  - 2\n",
	"A: {type: object}\nA: {}\n",
	"---\na: 1\n---\nb: 2\n",
	"--- # c\na: 1\n...\n",
	"# head\n\n---\n\n# more\na: 1\n",
	"a: b\n  c\n\n  d\ne: x",
	"a: b\n  c\n  # k\nd: e\n",
	"a: b\n    # k\nd: e\n",
	"a: x\n  - y\n  ? z\n  #k\n",
	"<<: *x",
	"base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n",
	"a:",
	"a:   # c\nb: 1",
	"-   # c\n- x",
	"a: &x\nb: *x",
	"- &x\n- *x\n",
	"a:\n  - 1\nb: &y\n- 2\n",
	"a: |\n  x\n\n b",
	"a: \"x\ny\"",
	"a: \"x\n  y\n\n  z \\\n   w\"\nb: 'it''s\n\n\n  folded'\n",
	"a: [1, 2,]",
	"a: {x: http://y, 'q': \"r\", z: [a, {b: c}]}",
	"a: {x: http://y\n  , z: w}\n",
	"a: [\n    a,\n    b\n  ]\n",
	"a: {\n  \"k\": 1\n}\n",
	"a: [a\n  b]\n",
	"a: {\"k\"\n  : 1}\n",
	"- &a x: 1",
	"a:\n   # hi\n  b: 1",
	"\"a\" : 1",
	"'a': 1\n\"b\\tc\": \"\\u00e9\\x41\\U0001F600\\N\\_\\L\\P\\0\\a\\b\\v\\f\\r\\e\\ \\\"\\'\\\\\\\t.\"\n",
	"a: \"\\/\"\n",
	"a: \"\\x\"\n",
	"a: \"\\ud800\"\n",
	"a: \"\\q\"\n",
	"a: |\n  line 1\n   more\n\n  line 3\n\n\nb: >\n  folded\n  text\n\n  para\n    indented\n  back\nc: |-\n  x\nd: |+\n  y\n\ne: >-\n  z\n",
	"a: |2\n    x\n  y\n",
	"a: >1-\n  x\n b\n",
	"a: |\n\n   \n  x\n",
	"a: |\n    \n  x\n",
	"a: |  # c\n  x\n  # not a comment\n# a comment\nb: 1\n",
	"a: |\n  x\n\tb: 1\n",
	"a: |\n  x\n  \ty\n",
	"- |\n  x\n- >\n y\n",
	"a:\n- |\n x\n",
	"a: |\n  x",
	"a: >\n  x\n\n",
	"a: |+\n  x\n\n\n",
	"a: |\nb: 1\n",
	"- - a\n  - b\n- - c\n",
	"- a: 1\n  b: 2\n- c: 3\n",
	"-   a: 1\n    b: 2\n",
	"a:\n  b:\n    c: 1\n  d: 2\ne: 3\n",
	"a:\n    b: 1\n  c: 2\n",
	"a: 1\n b: 2\n",
	"a: b: c\n",
	"a: - b\n",
	"key with spaces  : value with  spaces  \n",
	"a: x#y\nb: x # y\n",
	"c: 'q'#z\n",
	"a: -1\nb: -x\ne: ~\nf: null\n",
	"c: :x\nd: ?x\n",
	"url: http://example.com:8080/a#b\n",
	"é: ü\n\"ü\": [é, \"ß\"]\nx: {ä: ö}\n",
	"a:\tb\n",
	"a: b\t\n",
	"a: b\tc\n",
	"\ta: 1\n",
	"a: !!str 1\n",
	"? a\n: b\n",
	"%YAML 1.2\n---\na: 1\n",
	"a: 1\r\nb: 2\r\n",
	"a: |\r\n  x\r\n\r\n  y\r\nb: 'p\r\n  q'\r\nc: \"r\\\r\n  s\"\r\nd: t\r\n  u\r\n",
	"a: 1\rb: 2\r",
	"a: 'x\ry'\n",
	"a: |\r  x\r\r  y\r\nb: \"p\\\r  q\"\rc: d\r  e\r# c\rf: [1,\r  2]\r",
	"\ufeffa: 1\n",
	"a: *unknown\n",
	"a: &x 1\nb: &x 2\nc: *x\n",
	"a: &x\n  b: *x\n",
	"a: &x |\n  t\n",
	"b: &y [1]\nc: &z 'q'\nd: &w plain\n",
	"[a, b]\n",
	"{a: b}\n",
	"just text\n",
	"  a: 1\n  b: 2\n",
	"",
	"# only a comment\n",
	"a: 'x\nb: 1\n",
	"a: \"x\n---\ny\"\n",
	"a:\n  b\n  c\n",
	"a:\n  \"b\"\n",
	"a:\n  [1]\n",
	"a:\n  *x\n",
	"a: 1\n# end",
	"a: 1 # end",
	"- a\n-b\n",
	"-\n  - x\n",
	"a:\n-\n  b: 1\n- c\nd: 1\n",
	"a: [*x]\n",
	"a: 'multi\n  line' # c\n",
	"- a: |2\n     x\n    y\n- b\n",
	"a:\n- |1\n  x\n- >2-\n   y\n   z\n",
	"- - |\n    x\n  - >+\n    y\n\n",
	"- a: b\n   c\n  d: e\n    f\n",
	"- x\n  y\n-\ty\n",
	"a: \"p \\ \n  q\\\n  r\\\n\n  s\\t\tt\"\n",
	"a: 'p\tq'\nb: 'r\t\n  s'\n",
	"a: >\n  one\n  two\n\n\n  three\n   four\n  five\n\n   six\n",
	"a: >-\n\n  after blank\n",
	"a: |\n  x\n   \n  y\n",
	"a: |\n  x\n  \n  y\n",
	"a: >\n  x\n \n  y\n",
	"a: >\n  \tx\n  y\n",
	"a: |-\n  trailing  \n",
	"a: [\"x\", 'y', z, [], {}]\nb: {}\nc: []\n",
	"a: {b: [1, {c: d}], e: 'f'}  # c\n",
	"a: [1, # c\n  2]\n",
	"a: &a1 [x]\nb: *a1\nc: [*a1]\n",
	"anchor_name: &a-b_c x\nv: *a-b_c\n",
	"a: &a.b x\n",
	"a:\n  - b\n  -\n    c: d\n  - - e\n",
	"a: 'x' \nb: \"y\"   # c\n",
	"a: b # c\n  d\n",
	"a: '' \nb: \"\"\nc: ''''\n",
	"? \n",
	"a: b\n---\n",
	"a: b\n...\n",
	"...\n",
	"a: |\n  x\n---\n",
	"a: b\n  ---\n",
	"a: \"x\n---\"\n",
	"a: \"x\n  ...\"\n",
	strings.Repeat("k", 1100) + ": v\n",
	"a: \"" + strings.Repeat("k", 1100) + "\"\n",
}

// yamlDocuments are the YAML documents of testdata, the repository's
// fixtures and ../shared/realworld, each with its prefixes cut at every
// 7th line break when it is small.
func yamlDocuments(t testing.TB) map[string][]byte {
	docs := map[string][]byte{}
	for _, root := range []string{"testdata", filepath.Join("..", "..", "testdata"), realWorldDir()} {
		filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || !strings.HasSuffix(p, ".yaml") && !strings.HasSuffix(p, ".yml") {
				return nil
			}
			text, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			docs[p] = text
			if len(text) < 20000 {
				docs[p+":crlf"] = bytes.ReplaceAll(text, []byte("\n"), []byte("\r\n"))
				for i, n := 0, 0; i < len(text); i++ {
					if text[i] == '\n' {
						if n++; n%7 == 0 {
							docs[fmt.Sprintf("%s:cut%d", p, i)] = text[:i]
						}
					}
				}
			}
			return nil
		})
	}
	for i, s := range yamlEdgeCases {
		docs[fmt.Sprint("edge", i)] = []byte(s)
	}
	return docs
}

// compareYAML reads text with parseYAMLFast and go-yaml and returns how
// they differ: "" when they agree or the fast parser refused.
func compareYAML(text []byte) (diff string, accepted bool) {
	fast, ok := parseYAMLFast(bytes.Clone(text))
	if !ok {
		return "", false
	}
	slow, err := parseGoYAML(text)
	if err != nil {
		return fmt.Sprintf("fast parser read it, go-yaml: %v", err), true
	}
	return treeDiff(fast, slow, "$"), true
}

// treeDiff compares two trees node by node: kind, line, column, value
// and children.
func treeDiff(a, b *node, path string) string {
	if a == nil || b == nil {
		if a != b {
			return fmt.Sprintf("%s: %v against %v", path, a, b)
		}
		return ""
	}
	if a.Kind != b.Kind || a.Line != b.Line || a.column() != b.column() || a.Value() != b.Value() || len(a.Content()) != len(b.Content()) {
		return fmt.Sprintf("%s: fast kind %d %d:%d %q (%d children), go-yaml kind %d %d:%d %q (%d)", path,
			a.Kind, a.Line, a.column(), a.Value(), len(a.Content()), b.Kind, b.Line, b.column(), b.Value(), len(b.Content()))
	}
	for i := range a.Content() {
		if d := treeDiff(a.kid(i), b.kid(i), fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

// TestParseYAMLFastAgrees checks that the fast YAML parser reads every
// document as go-yaml does, node by node, or refuses it: the YAML
// documents of testdata and ../shared/realworld, their cut prefixes,
// hand-written edge cases and near-miss mutants of all of those. It
// also checks that it refuses little of what descriptions are.
func TestParseYAMLFastAgrees(t *testing.T) {
	rnd := rand.New(rand.NewSource(1))
	var docs, accepted, mutants, mutantsAccepted int
	for name, text := range yamlDocuments(t) {
		diff, ok := compareYAML(text)
		if diff != "" {
			t.Errorf("%s: %s\n%s", name, diff, clip(text))
		}
		docs++
		if ok {
			accepted++
		} else if !strings.HasPrefix(name, "edge") && !strings.Contains(name, ":cut") && !strings.Contains(name, "malformed") {
			t.Errorf("%s: refused a whole document", name)
		}
		if len(text) > 20000 {
			continue
		}
		for range 100 {
			m := mutate(text, rnd, yamlSyntax, true)
			diff, ok := compareYAML(m)
			if diff != "" {
				t.Fatalf("%s, mutant: %s\n%q", name, diff, m)
			}
			mutants++
			if ok {
				mutantsAccepted++
			}
		}
	}
	t.Logf("%d documents, %d read by the fast parser; %d mutants, %d read", docs, accepted, mutants, mutantsAccepted)
	if accepted < docs/2 {
		t.Errorf("the fast parser read only %d of %d documents", accepted, docs)
	}
}

func clip(b []byte) string {
	if len(b) > 300 {
		return fmt.Sprintf("%q...", b[:300])
	}
	return fmt.Sprintf("%q", b)
}

// yamlSyntax are the bytes YAML syntax is made of, for mutate.
const yamlSyntax = "  \n\n\t\r-:#&*!|>'\"?,[]{}%@`\\.0aé+-129"

func FuzzParseYAML(f *testing.F) {
	for name, text := range yamlDocuments(f) {
		if len(text) < 20000 || strings.HasPrefix(name, "edge") {
			f.Add(text)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if diff, _ := compareYAML(b); diff != "" {
			t.Error(diff)
		}
	})
}

// TestParseYAMLFastCorpus compares the fast parser with go-yaml on every
// .yaml and .yml file under $CONNLS_YAMLCORPUS (any folder of real YAML,
// such as checkouts of public API descriptions), whole and cut at every
// 7th line break. It is skipped without the variable.
func TestParseYAMLFastCorpus(t *testing.T) {
	dir := os.Getenv("CONNLS_YAMLCORPUS")
	if dir == "" {
		t.Skip("CONNLS_YAMLCORPUS not set")
	}
	var files, accepted, cuts, cutsAccepted int
	refused := map[string]int{}
	filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(p, ".yaml") && !strings.HasSuffix(p, ".yml") {
			return nil
		}
		text, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		diff, ok := compareYAML(text)
		if diff != "" {
			t.Errorf("%s: %s", p, diff)
		}
		files++
		if ok {
			accepted++
		} else if _, err := parseGoYAML(text); err == nil {
			refused[p]++
		}
		for i, n := 0, 0; i < len(text); i++ {
			if text[i] == '\n' {
				if n++; n%7 == 0 {
					diff, ok := compareYAML(text[:i])
					if diff != "" {
						t.Errorf("%s cut at %d: %s", p, i, diff)
					}
					cuts++
					if ok {
						cutsAccepted++
					}
				}
			}
		}
		return nil
	})
	for p := range refused {
		t.Logf("refused, go-yaml reads it: %s", p)
	}
	t.Logf("%d files, %d read by the fast parser, %d refused that go-yaml reads; %d cut prefixes, %d read", files, accepted, len(refused), cuts, cutsAccepted)
}

// TestYAMLDocKeepsNoText is TestDocKeepsNoText for YAML, whose scalars
// are the text itself too, with LF and with CR LF line breaks.
func TestYAMLDocKeepsNoText(t *testing.T) {
	for _, file := range []string{"testdata/openapi31.yaml", "testdata/hal-openapi30.yaml"} {
		text, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, text := range [][]byte{text, bytes.ReplaceAll(text, []byte("\n"), []byte("\r\n"))} {
			if _, ok := parseYAMLFast(text); !ok {
				t.Fatalf("%s: the fast parser refused it", file)
			}
			checkKeepsNoText(t, file, text)
		}
	}
}
