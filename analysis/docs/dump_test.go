package docs

import (
	"encoding/json"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connls/connls/bench/synth"
)

// TestDumpDocs writes every document this package can read (testdata,
// the repository's fixtures, ../shared/realworld, the synthetic 10 MB
// description) as JSON into $CONNLS_DOCDUMP, one file each, so that two
// versions of the readers can be compared with diff -r. It is skipped
// without the variable.
func TestDumpDocs(t *testing.T) {
	out := os.Getenv("CONNLS_DOCDUMP")
	if out == "" {
		t.Skip("CONNLS_DOCDUMP not set")
	}
	dump := func(name string, d *Doc) {
		b, err := json.MarshalIndent(d, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(out, strings.NewReplacer("/", "_", "..", "").Replace(name)+".txt")
		if err := os.WriteFile(file, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, root := range []string{"testdata", filepath.Join("..", "..", "testdata"), realWorldDir()} {
		filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return nil
			}
			text, err := os.ReadFile(p)
			if err != nil {
				return nil
			}
			dir := filepath.Dir(p)
			files := func(rel string) ([]byte, bool) {
				b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
				return b, err == nil
			}
			dump(p, Read(filepath.Base(p), text))
			dump(p+".with", ReadWith(filepath.Base(p), text, files))
			if strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".yaml") {
				dump(p+".scim", readSCIM(filepath.Base(p), text, strings.HasSuffix(p, ".json")))
				// Every prefix cut at a line break: the problems of
				// broken documents, for the small ones.
				if len(text) < 20000 {
					for i, n := 0, 0; i < len(text); i++ {
						if text[i] == '\n' {
							n++
							if n%7 == 0 {
								dump(p+".cut"+string(rune('a'+n%26))+itoa(i), Read(filepath.Base(p), text[:i]))
							}
						}
					}
				}
			}
			return nil
		})
	}
	for i, text := range []string{
		"{\"openapi\": \"3.0.0\", \"paths\": {\"/a\\/b\": {\"get\": {\"responses\": {\"200\": {\"content\": {\"application/json\": {\"schema\": {\"$ref\": \"#/components/schemas/U\\u00e9\"}}}}}}}}, \"components\": {\"schemas\": {\"U\\u00e9\": {\"properties\": {\"\\ud83d\\ude00x\": {\"type\": \"string\"}, \"a\\tb\": {\"$ref\": \"#/nope\"}}}}}}",
		"{\r\n\t\"openapi\":\t\"3.0.0\",\r\n\t\"components\": {\"schemas\": {\"A\": {}, \"A\": {}, \"é\": {\"$ref\": \"#/x\"}}}\r\n}",
		"{\"swagger\": \"3.0\"}",
		"{\"openapi\": \"2.0\"}",
		"{\"openapi\": \"\"}",
		"{\"openapi\": {}}",
		"{\"x\": {\"openapi\": \"3.0.0\"}}",
		"[{\"openapi\": \"3.0.0\"}]",
		"{\"openapi\": 3.1, \"info\": {\"title\": 12}, \"servers\": [{\"url\": \"https://x/a%20b/\"}]}",
		"{\"openapi\": \"3.0.0\"\n, \"a\"\n: 1}",
		"{\"openapi\": \"3.0.0\", \"components\": {\"schemas\": {\"L\": {\"description\": \"\\ud800 lone\"}}}}",
		"  {\"openapi\": \"3.0.0\"}  \n\n",
		"{\"openapi\": \"3.0.0\", \"x\": [1, -0, 1e400, true, null, \"\"]}",
	} {
		dump("edge"+itoa(i)+".json", Read("openapi.json", []byte(text)))
		dump("edge"+itoa(i)+".scim.json", readSCIM("x.json", []byte(text), true))
	}
	for i, text := range []string{
		"openapi: 3.0.0\ncomponents:\n  schemas:\n    A: {type: object, properties: {a: {type: string}}}\n    A: {}\n",
		"openapi: 2.0\n",
		"swagger: '2.0'\ndefinitions:\n  X:\n    properties:\n      y: {$ref: '#/definitions/Z'}\n",
		"openapi: 3.0.0\npaths: &p\n  /a: {}\nx: *p\n",
		"openapi: 3.0.0\n\tbad: [\n",
		"x:\n  openapi: 3.0.0\nopenapi: 3.1.0\n",
		"---\nopenapi: 3.0.0\n---\nopenapi: 3.1.0\n",
	} {
		dump("edge"+itoa(i)+".yaml", Read("openapi.yaml", []byte(text)))
	}
	dump("synth10MB.json", Read("openapi.json", synth.OpenAPI(50, 20, 10<<20, rand.New(rand.NewSource(1)))))
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}
