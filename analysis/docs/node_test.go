package docs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	yaml "github.com/pb33f/go-yaml"
)

// jsonSeeds are the JSON documents of testdata, read whole.
func jsonSeeds(t testing.TB) map[string][]byte {
	seeds := map[string][]byte{}
	files, _ := filepath.Glob("testdata/*.json")
	more, _ := filepath.Glob("../../testdata/*/*/*.json")
	for _, f := range append(files, more...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		seeds[f] = b
	}
	for i, s := range []string{
		`{"a\/b": "\u00e9\ud83d\ude00", "c": "\ud800x", "d": [1, -0, 1e400, 0.5e-3, true, false, null], "e": {}}`,
		"{\r\n\t\"k\":\t\"v\",\r\"é\": [\"ü\", {\"x\": \"y\"}]\n}",
		`  [ ]  `, `"just a string"`, `12`, `{"a":1,"a":2}`,
	} {
		seeds[fmt.Sprint("inline", i)] = []byte(s)
	}
	return seeds
}

// mutate changes a few bytes of a document, among those of its syntax
// (alphabet), so that most mutants are near-misses of valid documents;
// with indent, it also indents or outdents lines.
func mutate(b []byte, rnd *rand.Rand, alphabet string, indent bool) []byte {
	ops := 3
	if indent {
		ops = 4
	}
	out := bytes.Clone(b)
	for range 1 + rnd.Intn(3) {
		i := rnd.Intn(len(out) + 1)
		c := alphabet[rnd.Intn(len(alphabet))]
		switch rnd.Intn(ops) {
		case 0:
			out = append(out[:i], append([]byte{c}, out[i:]...)...)
		case 1:
			if i < len(out) {
				out = append(out[:i], out[i+1:]...)
			}
		case 2:
			if i < len(out) {
				out[i] = c
			}
		default:
			j := bytes.LastIndexByte(out[:i], '\n') + 1
			if rnd.Intn(2) == 0 {
				out = append(out[:j], append([]byte("  "), out[j:]...)...)
			} else if j < len(out) && out[j] == ' ' {
				out = append(out[:j], out[j+1:]...)
			}
		}
	}
	return out
}

// jsonSyntax are the bytes JSON syntax is made of, for mutate.
const jsonSyntax = "{}[],:\"\\/ \t\r\n0123456789.eE+-tfnulrsa'#é\x00\x7f"

// TestParseJSONAgreesWithEncodingJSON checks that parseJSON accepts
// exactly what encoding/json accepts, gives its problems for the rest,
// and reads the same values, on the documents of testdata and many
// near-miss mutants of them.
func TestParseJSONAgreesWithEncodingJSON(t *testing.T) {
	rnd := rand.New(rand.NewSource(1))
	n := 0
	for name, seed := range jsonSeeds(t) {
		texts := [][]byte{seed}
		if len(seed) < 40000 {
			for range 200 {
				texts = append(texts, mutate(seed, rnd, jsonSyntax, false))
			}
		}
		for _, text := range texts {
			n++
			checkAgainstEncodingJSON(t, name, text)
		}
	}
	t.Logf("%d documents", n)
}

func checkAgainstEncodingJSON(t *testing.T, name string, text []byte) {
	t.Helper()
	root, p := parseJSON(text)
	var want any
	d := json.NewDecoder(bytes.NewReader(text))
	d.UseNumber()
	err := d.Decode(&want)
	if err == nil && d.More() {
		err = fmt.Errorf("more")
	}
	if valid := json.Valid(text); (p == nil) != valid {
		t.Fatalf("%s: json.Valid %v, problem %v, text %q", name, valid, p, text)
	}
	if p != nil {
		var v any
		if wp := jsonProblem(text, json.Unmarshal(text, &v)); *wp != *p {
			t.Fatalf("%s: problem %v, want %v", name, *p, *wp)
		}
		return
	}
	if err != nil {
		t.Fatalf("%s: valid, but decoding fails: %v", name, err)
	}
	if got, w := plain(root), plainJSON(want); got != w {
		t.Fatalf("%s: read\n%s\nwant\n%s", name, got, w)
	}
}

// plain prints a tree as the readers see it: a mapping's last value of a
// key wins, as in encoding/json; keys sorted.
func plain(n *node) string {
	switch n.Kind {
	case mappingKind:
		m := map[string]string{}
		for i := 0; i+1 < len(n.Content()); i += 2 {
			m[n.kid(i).Value()] = plain(n.kid(i + 1))
		}
		b, _ := json.Marshal(m)
		return string(b)
	case sequenceKind:
		var s []string
		for c := range each(n.Content()) {
			s = append(s, plain(c))
		}
		return "[" + strings.Join(s, ",") + "]"
	}
	return n.Value()
}

func plainJSON(v any) string {
	switch v := v.(type) {
	case map[string]any:
		m := map[string]string{}
		for k, x := range v {
			m[k] = plainJSON(x)
		}
		b, _ := json.Marshal(m)
		return string(b)
	case []any:
		var s []string
		for _, x := range v {
			s = append(s, plainJSON(x))
		}
		return "[" + strings.Join(s, ",") + "]"
	case nil:
		return "null"
	}
	return fmt.Sprint(v)
}

// TestParseJSONPositions checks lines and columns against go-yaml's,
// which the readers used before (JSON is YAML): columns count
// characters, CR LF is one line break.
func TestParseJSONPositions(t *testing.T) {
	compared := 0
	for name, text := range jsonSeeds(t) {
		if bytes.Contains(text, []byte(`\/`)) || bytes.Contains(text, []byte(`\u`)) {
			continue // go-yaml refuses \/ and lone surrogates
		}
		root, p := parseJSON(text)
		if p != nil {
			continue
		}
		var y yaml.Node
		if err := yaml.Unmarshal(bytes.ReplaceAll(text, []byte{'\t'}, []byte{' '}), &y); err != nil || y.Kind != yaml.DocumentNode {
			continue
		}
		var walk func(n *node, y *yaml.Node)
		walk = func(n *node, y *yaml.Node) {
			if int(n.Line) != y.Line || n.column() != y.Column || n.Value() != y.Value || len(n.Content()) != len(y.Content) {
				t.Fatalf("%s: node %d:%d %q (%d children), go-yaml %d:%d %q (%d)", name, n.Line, n.column(), n.Value(), len(n.Content()), y.Line, y.Column, y.Value, len(y.Content))
			}
			compared++
			for i := range n.Content() {
				walk(n.kid(i), y.Content[i])
			}
		}
		walk(root, y.Content[0])
	}
	if compared < 1000 {
		t.Errorf("only %d nodes compared", compared)
	}
	root, _ := parseJSON([]byte("{\"é\": \"ü\",\r\n\t\"b\":\r[1,\n  \"\\n\\u00e9\", \"x\"]}"))
	var got []string
	var walk func(n *node)
	walk = func(n *node) {
		got = append(got, fmt.Sprintf("%d:%d", n.Line, n.column()))
		for c := range each(n.Content()) {
			walk(c)
		}
	}
	walk(root)
	if s := strings.Join(got, " "); s != "1:1 1:2 1:7 2:2 3:1 3:2 4:3 4:15" {
		t.Errorf("positions %s", s)
	}
}

// TestDocKeepsNoText checks that a Doc does not share memory with the
// text it was read from: the JSON reader's scalars are the text itself
// until the Doc detaches them.
func TestDocKeepsNoText(t *testing.T) {
	for _, file := range []string{"testdata/swagger2.json", "testdata/scim-schema.json", "testdata/jsonapi-inline-openapi31.json"} {
		text, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		checkKeepsNoText(t, file, text)
	}
}

// checkKeepsNoText reads text as file and fails when the Doc changes as
// the text is overwritten, or has no classes to show.
func checkKeepsNoText(t *testing.T, file string, text []byte) {
	t.Helper()
	d := Read(filepath.Base(file), text)
	before, _ := json.Marshal(d)
	for i := range text {
		text[i] = 'x'
	}
	if after, _ := json.Marshal(d); !bytes.Equal(before, after) {
		t.Errorf("%s: the Doc changed with the text it was read from", file)
	}
	if len(d.Classes) == 0 {
		t.Errorf("%s: no classes", file)
	}
}

// TestDocKeepsNoTextOfOtherFiles is TestDocKeepsNoText for the files a
// description's references lead to.
func TestDocKeepsNoTextOfOtherFiles(t *testing.T) {
	root := []byte(`{"openapi": "3.0.0", "paths": {"/users/{id}": {"get": {"responses": {"200": {"description": "ok",
		"content": {"application/json": {"schema": {"$ref": "user.json"}}}}}}}}}`)
	user := []byte(`{"type": "object", "properties": {"login": {"type": "string", "description": "the login"}}}`)
	d := ReadWith("openapi.json", root, func(path string) ([]byte, bool) { return user, path == "user.json" })
	before, _ := json.Marshal(d)
	if !bytes.Contains(before, []byte(`"the login"`)) {
		t.Fatalf("the other file was not read: %s", before)
	}
	for _, text := range [][]byte{root, user} {
		for i := range text {
			text[i] = 'x'
		}
	}
	if after, _ := json.Marshal(d); !bytes.Equal(before, after) {
		t.Errorf("the Doc changed with the texts it was read from:\n%s\n%s", before, after)
	}
}

func FuzzParseJSON(f *testing.F) {
	for _, b := range jsonSeeds(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, p := parseJSON(b); (p == nil) != json.Valid(b) {
			t.Errorf("parseJSON problem %v, json.Valid %v", p, json.Valid(b))
		}
	})
}

// TestDetachCoversDoc fills every string of a Doc, at every depth, with a
// slice of a text and checks that detach leaves none of them there: a
// field added to the Doc and not to detach fails it.
func TestDetachCoversDoc(t *testing.T) {
	text := []byte(strings.Repeat("abcdefghij", 100))
	i := 0
	next := func() string {
		i = (i + 3) % 900
		return unsafe.String(&text[i], 5+i%40)
	}
	var fill func(v reflect.Value)
	fill = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			v.SetString(next())
		case reflect.Pointer:
			v.Set(reflect.New(v.Type().Elem()))
			fill(v.Elem())
		case reflect.Slice:
			v.Set(reflect.MakeSlice(v.Type(), 2, 2))
			for j := range 2 {
				fill(v.Index(j))
			}
		case reflect.Struct:
			for j := range v.NumField() {
				fill(v.Field(j))
			}
		}
	}
	d := &Doc{}
	fill(reflect.ValueOf(d).Elem())
	detach(d, text)
	start := uintptr(unsafe.Pointer(&text[0]))
	var check func(v reflect.Value, path string)
	check = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.String:
			if p := uintptr(unsafe.Pointer(unsafe.StringData(v.String()))); p >= start && p < start+uintptr(len(text)) {
				t.Errorf("%s is still a slice of the text", path)
			}
		case reflect.Pointer:
			check(v.Elem(), path)
		case reflect.Slice:
			for j := range v.Len() {
				check(v.Index(j), fmt.Sprintf("%s[%d]", path, j))
			}
		case reflect.Struct:
			for j := range v.NumField() {
				check(v.Field(j), path+"."+v.Type().Field(j).Name)
			}
		}
	}
	check(reflect.ValueOf(d), "Doc")
}
