package workspace

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"unicode/utf8"
)

func TestPositionsCountUTF16(t *testing.T) {
	// "é" is two bytes and one UTF-16 unit; "😀" four bytes and two units.
	text := []byte("ab\né😀x\r\nlast")
	l := NewLines(text)
	cases := []struct {
		offset int
		pos    Pos
	}{
		{0, Pos{0, 0}}, {2, Pos{0, 2}}, {3, Pos{1, 0}}, {5, Pos{1, 1}}, {9, Pos{1, 3}}, {10, Pos{1, 4}}, {12, Pos{2, 0}}, {16, Pos{2, 4}},
	}
	for _, c := range cases {
		if got := l.Pos(c.offset); got != c.pos {
			t.Errorf("Pos(%d) = %v, want %v", c.offset, got, c.pos)
		}
		if got := l.Offset(c.pos); got != c.offset {
			t.Errorf("Offset(%v) = %d, want %d", c.pos, got, c.offset)
		}
		cur := l.Cursor()
		if got := cur.Pos(c.offset); got != c.pos {
			t.Errorf("Cursor.Pos(%d) = %v, want %v", c.offset, got, c.pos)
		}
	}
	// Past the end of a line clamps to before its line break ("\r\n").
	if got := l.Offset(Pos{1, 99}); got != 10 {
		t.Errorf("clamped offset = %d, want 10", got)
	}
	if got := l.Offset(Pos{9, 0}); got != len(text) {
		t.Errorf("offset past the last line = %d", got)
	}
}

func TestApplyChanges(t *testing.T) {
	text := []byte("objectClass(\"User\") {\n    attribute(\"id\")\n}\n")
	got, err := ApplyChanges(text, []Change{
		{Range: &Range{Start: Pos{1, 15}, End: Pos{1, 17}}, Text: "uuid"},
		{Range: &Range{Start: Pos{2, 0}, End: Pos{2, 0}}, Text: "    attribute(\"é\")\n"},
		{Range: &Range{Start: Pos{2, 16}, End: Pos{2, 16}}, Text: "x"}, // after é, counted as one unit
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "objectClass(\"User\") {\n    attribute(\"uuid\")\n    attribute(\"éx\")\n}\n"
	if string(got) != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if _, err := ApplyChanges(text, []Change{{Range: &Range{Start: Pos{1, 5}, End: Pos{0, 1}}}}); err == nil {
		t.Error("a range that ends before it starts must be refused")
	}
	full, _ := ApplyChanges(text, []Change{{Text: "new"}})
	if string(full) != "new" {
		t.Errorf("full replacement: %q", full)
	}
}

func TestClassify(t *testing.T) {
	for name, want := range map[string]Kind{
		"User.native.schema.groovy":       KindGroovy,
		"authorization.op.groovy":         KindGroovy,
		"UserModel.groovy":                KindGroovy,
		"User.connid.schema.yaml":         KindYAMLScript,
		"Account.op.yml":                  KindYAMLScript,
		"connector.manifest.json":         KindManifest,
		"connector.manifest.yaml":         KindManifest,
		"sailpoint.connector.json":        KindSailPoint,
		"connls.yaml":                     KindConfig,
		"docs/openapi.yaml":               KindDocYAML,
		"scim/Schemas.json":               KindDocJSON,
		"api.html":                        KindDocHTML,
		"README.md":                       KindDocMarkdown,
		"src/main/java/x/XConnector.java": KindJava,
		"pom.xml":                         KindOther,
	} {
		if got := Classify(name); got != want {
			t.Errorf("Classify(%s) = %v, want %v", name, got, want)
		}
	}
}

func write(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestScanSkipsBuildOutput(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "src/main/resources/User.native.schema.groovy", "objectClass(\"User\") {}")
	write(t, dir, "target/classes/User.native.schema.groovy", "copy")
	write(t, dir, "node_modules/x/README.md", "# x")
	write(t, dir, ".git/HEAD", "ref")
	write(t, dir, "build/api.json", "{}")
	write(t, dir, "docs/openapi.yaml", "openapi: 3.0.0")
	write(t, dir, "package.json", "{}")
	write(t, dir, "pom.xml", "<project/>")
	files, err := Scan(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, f.Path)
	}
	want := []string{"docs/openapi.yaml", "src/main/resources/User.native.schema.groovy"}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("scanned %v, want %v", got, want)
	}
}

func TestOverlayAndVersions(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "User.connid.schema.groovy", "disk")
	w, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	s0 := w.Snapshot()
	s1 := w.Open(p, 1, []byte("buffer"))
	if string(s1.File(p).Text) != "buffer" || string(s0.File(p).Text) != "disk" {
		t.Fatal("an open buffer must win over disk without changing older snapshots")
	}
	s2, err := w.Change(p, 2, []Change{{Range: &Range{Start: Pos{0, 0}, End: Pos{0, 0}}, Text: "my "}})
	if err != nil || string(s2.File(p).Text) != "my buffer" || s2.File(p).Version != 2 {
		t.Fatalf("change: %v %q", err, s2.File(p).Text)
	}
	if _, err := w.Change(p, 2, []Change{{Text: "stale"}}); !errors.Is(err, ErrStaleVersion) {
		t.Errorf("a change with an old version must be refused, got %v", err)
	}
	if string(w.Snapshot().File(p).Text) != "my buffer" {
		t.Error("a refused change must leave the buffer alone")
	}
	s3 := w.Close(p)
	if string(s3.File(p).Text) != "disk" {
		t.Error("closing a buffer shows the disk again")
	}
}

func TestDiskChanged(t *testing.T) {
	dir := t.TempDir()
	a := write(t, dir, "A.native.schema.groovy", "a")
	w, _ := New(dir)
	if _, changed := w.DiskChanged(a); changed {
		t.Error("an unchanged file is not a change")
	}
	write(t, dir, "A.native.schema.groovy", "a2")
	b := write(t, dir, "sub/B.search.groovy", "b")
	s, changed := w.DiskChanged(a, filepath.Join(dir, "sub"))
	if !changed || string(s.File(a).Text) != "a2" || s.File(b) == nil {
		t.Fatal("changed and created files must show")
	}
	os.RemoveAll(filepath.Join(dir, "sub"))
	s, _ = w.DiskChanged(filepath.Join(dir, "sub"))
	if s.File(b) != nil {
		t.Error("files of a removed directory must go")
	}
	outside := write(t, t.TempDir(), "X.search.groovy", "x")
	if _, changed := w.DiskChanged(outside); changed {
		t.Error("files outside the roots are not part of the workspace")
	}
}

// TestLongLinePositions: columns far into a long line, counted from the
// marks, equal the ones counted rune by rune, with 2-, 3- and 4-byte
// characters and invalid bytes on the way.
func TestLongLinePositions(t *testing.T) {
	var b []byte
	pieces := []string{"abc ", "é", "€", "😀", "\xff", "x\"y", "\n", "tail "}
	for i := 0; len(b) < 20_000; i++ {
		p := pieces[(i*7+i/5)%len(pieces)]
		if p == "\n" && i%40 != 0 {
			continue // few line breaks: long lines
		}
		b = append(b, p...)
	}
	l := NewLines(b)
	cur := l.Cursor()
	for off := 0; off <= len(b); off++ {
		if off < len(b) && !utf8.RuneStart(b[off]) {
			continue
		}
		line := bytes.Count(b[:off], []byte("\n"))
		start := bytes.LastIndexByte(b[:off], '\n') + 1
		want := Pos{Line: line, Col: utf16Len(b[start:off])}
		if got := l.Pos(off); got != want {
			t.Fatalf("Pos(%d) = %v, want %v", off, got, want)
		}
		if got := cur.Pos(off); got != want {
			t.Fatalf("Cursor.Pos(%d) = %v, want %v", off, got, want)
		}
	}
}

// BenchmarkLongLinePositions converts the positions of a 1 MB script
// written on one line, as the reader does for every node.
func BenchmarkLongLinePositions(b *testing.B) {
	text := bytes.Repeat([]byte(`attribute("é") { jsonType "string" }; `), 1<<20/38)
	for b.Loop() {
		cur := NewLines(text).Cursor()
		for off := 0; off < len(text); off += 37 {
			cur.Pos(off)
		}
	}
}

func TestInMemory(t *testing.T) {
	root := filepath.Join(t.TempDir(), "absent")
	w, err := InMemory(root, map[string][]byte{
		"User.native.schema.groovy": []byte(`objectClass("User") {}`),
		"docs/api.yaml":             []byte("openapi: 3.0.0\n"),
	})
	if err != nil {
		t.Fatal(err)
	}
	snap := w.Snapshot()
	if f := snap.File(filepath.Join(root, "docs", "api.yaml")); f == nil || f.Path != "docs/api.yaml" || f.Kind != KindDocYAML {
		t.Errorf("docs/api.yaml: %+v", f)
	}
	if f := snap.File(filepath.Join(root, "User.native.schema.groovy")); f == nil || f.Kind != KindGroovy {
		t.Errorf("User.native.schema.groovy: %+v", f)
	}
	if _, err := os.Stat(root); !os.IsNotExist(err) {
		t.Errorf("the root was created: %v", err)
	}
	for _, bad := range []string{"../x.groovy", "a/../../etc/x", "."} {
		if _, err := InMemory(root, map[string][]byte{bad: nil}); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestConfigDocs(t *testing.T) {
	abs := filepath.Join(string(filepath.Separator)+"repo", "connector", "x", ConfigName)
	text := "# docs for x\ndocs:\n  - src/test/resouces/a.json  # the API\n  - \"../../apis/*.yaml\"\nother:\n  - ignored.json\n"
	got := ConfigDocs(abs, []byte(text))
	want := []string{filepath.Join(filepath.Dir(abs), "src", "test", "resouces", "a.json"), filepath.Join(string(filepath.Separator)+"repo", "apis", "*.yaml")}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("got %q, want %q", got, want)
	}
	if flow := ConfigDocs(abs, []byte("docs: [a.json, 'b.json']\n")); len(flow) != 2 || filepath.Base(flow[1]) != "b.json" {
		t.Errorf("flow list: %q", flow)
	}
	if !MatchConfig(got, filepath.Join(string(filepath.Separator)+"repo", "apis", "x.yaml")) || MatchConfig(got, filepath.Join(string(filepath.Separator)+"repo", "apis", "x.json")) {
		t.Error("MatchConfig")
	}
	if Classify(ConfigName) != KindConfig {
		t.Error("connls.yaml is not a config")
	}
}

// An edit's snapshot is built from the last one (Snapshot.replacing)
// instead of from disk and overlay: it must hold what a rebuild would,
// and leave the snapshot it came from as it was.
func TestChangeMatchesRebuild(t *testing.T) {
	root := filepath.Join(t.TempDir(), "ws")
	w, err := InMemory(root, map[string][]byte{
		"b/Group.native.schema.groovy": []byte("b"),
		"a.yaml":                       []byte("a"),
		"c/User.native.schema.groovy":  []byte("c"),
		"z.json":                       []byte("{}"),
	})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(root, "c", "User.native.schema.groovy")
	s1 := w.Open(p, 1, []byte("one"))
	s2, err := w.Change(p, 2, []Change{{Range: &Range{Start: Pos{0, 3}, End: Pos{0, 3}}, Text: "\ntwo"}})
	if err != nil {
		t.Fatal(err)
	}
	s3, err := w.Change(p, 3, []Change{{Text: "whole"}, {Range: &Range{Start: Pos{0, 0}, End: Pos{0, 1}}, Text: "W"}})
	if err != nil {
		t.Fatal(err)
	}
	if s1.ID >= s2.ID || s2.ID >= s3.ID {
		t.Errorf("snapshot ids %d, %d, %d do not increase", s1.ID, s2.ID, s3.ID)
	}
	w.mu.Lock()
	rebuilt := w.rebuild()
	w.mu.Unlock()
	paths := func(s *Snapshot) (out []string) {
		for _, f := range s.Files() {
			out = append(out, f.Abs+"="+string(f.Text))
		}
		return out
	}
	if got, want := paths(s3), paths(rebuilt); !slices.Equal(got, want) {
		t.Errorf("after edits:\n%q\nrebuilt:\n%q", got, want)
	}
	if s3.Len() != rebuilt.Len() || !slices.Equal(s3.Roots, rebuilt.Roots) {
		t.Errorf("len %d roots %v, rebuilt %d %v", s3.Len(), s3.Roots, rebuilt.Len(), rebuilt.Roots)
	}
	if got := string(s3.File(p).Text); got != "Whole" {
		t.Errorf("text %q", got)
	}
	if got := string(s2.File(p).Text); got != "one\ntwo" {
		t.Errorf("the earlier snapshot changed: %q", got)
	}
	if got := string(s1.File(p).Text); got != "one" || s1.Files()[2].Abs != p || string(s1.Files()[2].Text) != "one" {
		t.Errorf("the first snapshot changed: %q", got)
	}
}
