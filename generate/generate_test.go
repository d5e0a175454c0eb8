package generate

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/workspace"
)

var update = flag.Bool("update", false, "rewrite golden files")

func load(t *testing.T, dir string) *analysis.Model {
	t.Helper()
	ws, err := workspace.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	m, err := analysis.NewAnalyzer().Analyze(context.Background(), ws.Snapshot(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// copyDir copies a sample workspace into a temporary directory.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			if info.Name() == ".connls" {
				return filepath.SkipDir
			}
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func gen(t *testing.T, m *analysis.Model, class string, kind Kind, fresh bool) *Result {
	t.Helper()
	res, err := Generate(context.Background(), Request{Model: m, Class: class, Kind: kind, Fresh: fresh, Records: NewRecords()})
	if err != nil {
		t.Fatalf("%s %s: %v", kind, class, err)
	}
	return res
}

// TestSampleCode pins the code generated for every class of the samples.
func TestSampleCode(t *testing.T) {
	for _, tc := range []struct {
		sample, class string
		kind          Kind
	}{
		{"ticketdesk", "User", KindConnID},
		{"ticketdesk", "Group", KindConnID},
		{"ticketdesk", "User", KindUpdate},
		{"ticketdesk", "Group", KindUpdate},
		{"peoplehub", "Employee", KindConnID},
		{"peoplehub", "Badge", KindConnID},
		{"peoplehub", "Department", KindConnID},
		{"peoplehub", "Employee", KindUpdate},
		{"peoplehub", "Badge", KindUpdate},
		{"peoplehub", "Department", KindUpdate},
	} {
		t.Run(tc.sample+"/"+tc.class+"/"+string(tc.kind), func(t *testing.T) {
			m := load(t, filepath.Join("..", "testdata", tc.sample))
			res := gen(t, m, tc.class, tc.kind, true)
			path := filepath.Join("testdata", "golden", tc.sample+"."+tc.class+"."+string(tc.kind)+".groovy")
			if *update {
				os.WriteFile(path, []byte(res.Code), 0o644)
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test ./generate -update)", err)
			}
			if res.Code != string(want) {
				t.Errorf("generated:\n%s\nwant:\n%s", res.Code, want)
			}
		})
	}
}

// TestGeneratedWorkspaceChecksClean removes the connid and update scripts
// of the first sample, generates them all, writes them and checks the
// workspace: nothing may be reported, and the manifest lists the new
// files.
func TestGeneratedWorkspaceChecksClean(t *testing.T) {
	dir := copyDir(t, filepath.Join("..", "testdata", "ticketdesk"))
	manifest := filepath.Join(dir, "connector.manifest.json")
	text, _ := os.ReadFile(manifest)
	var kept []string
	for _, line := range strings.Split(string(text), "\n") {
		if strings.Contains(line, ".connid.schema.groovy") || strings.Contains(line, ".update.op.groovy") {
			continue
		}
		kept = append(kept, line)
	}
	// Commas before the closing brackets of the lists stay valid JSON
	// only when the dropped entries were not last: fix them up.
	fixed := strings.NewReplacer("},\n    ]", "}\n    ]").Replace(strings.Join(kept, "\n"))
	os.WriteFile(manifest, []byte(fixed), 0o644)
	for _, f := range []string{"User.connid.schema.groovy", "Group.connid.schema.groovy", "User.update.op.groovy", "Group.update.op.groovy"} {
		os.Remove(filepath.Join(dir, f))
	}
	before := load(t, dir)
	if len(before.Diagnostics()) == 0 {
		t.Fatal("the stripped workspace should have findings (missing mappings)")
	}
	for _, class := range []string{"User", "Group"} {
		for _, kind := range []Kind{KindConnID, KindUpdate} {
			m := load(t, dir)
			res := gen(t, m, class, kind, false)
			if res.Status != "created" || len(res.Changes) != 2 || !res.Changes[0].New {
				t.Fatalf("%s %s: status %s, %d changes", kind, class, res.Status, len(res.Changes))
			}
			if err := WriteFiles(res, m.Snapshot.Roots); err != nil {
				t.Fatal(err)
			}
		}
	}
	after := load(t, dir)
	for _, p := range after.Diagnostics() {
		t.Errorf("generated workspace: %s:%d: %s %s: %s", p.Path, p.Range.Start.Line+1, p.Severity, p.Code, p.Message)
	}
	for _, s := range after.Units[0].Scripts {
		if len(s.Problems) > 0 {
			t.Errorf("%s does not parse cleanly: %v", s.File.Path, s.Problems)
		}
	}
}

// TestIdempotenceAndOverrides: regenerating with unchanged inputs
// changes nothing; an edited block is a manual override that a normal
// regeneration leaves alone and a fresh one replaces.
func TestIdempotenceAndOverrides(t *testing.T) {
	dir := copyDir(t, filepath.Join("..", "testdata", "ticketdesk"))
	os.Remove(filepath.Join(dir, "Group.update.op.groovy"))
	recs, _ := LoadRecords(dir)
	run := func(fresh bool) *Result {
		m := load(t, dir)
		res, err := Generate(context.Background(), Request{Model: m, Class: "Group", Kind: KindUpdate, Fresh: fresh, Records: recs})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Changes) > 0 {
			if err := WriteFiles(res, m.Snapshot.Roots); err != nil {
				t.Fatal(err)
			}
			recs.Put(res.Record)
			if err := recs.Save(); err != nil {
				t.Fatal(err)
			}
		}
		return res
	}
	if res := run(false); res.Status != "created" {
		t.Fatalf("first generation: %s", res.Status)
	}
	if res := run(false); res.Status != "unchanged" || len(res.Changes) != 0 {
		t.Fatalf("second generation with the same inputs: %s, %d changes", res.Status, len(res.Changes))
	}
	// Records survive a restart: read them back from disk.
	recs, _ = LoadRecords(dir)
	if rec, ok := recs.Get("Group", "update"); !ok || rec.OutputHash == "" || rec.Time.IsZero() {
		t.Fatalf("record not saved: %+v", rec)
	}
	path := filepath.Join(dir, "Group.update.op.groovy")
	text, _ := os.ReadFile(path)
	edited := strings.Replace(string(text), `"name", "description"`, `"name"`, 1)
	os.WriteFile(path, []byte(edited), 0o644)
	if res := run(false); res.Status != "override" || len(res.Changes) != 0 {
		t.Fatalf("regeneration over a user's edit: %s, %d changes", res.Status, len(res.Changes))
	}
	if got, _ := os.ReadFile(path); string(got) != edited {
		t.Fatal("the user's edit was overwritten")
	}
	if res := run(true); res.Status != "updated" {
		t.Fatalf("fresh regeneration: %s", res.Status)
	}
	if got, _ := os.ReadFile(path); !strings.Contains(string(got), `"name", "description"`) {
		t.Fatalf("fresh regeneration did not replace the block:\n%s", got)
	}
	// Inputs change (the docs add an attribute to the body): a block
	// still as generated is regenerated without --fresh.
	doc := filepath.Join(dir, "docs", "openapi.yaml")
	d, _ := os.ReadFile(doc)
	os.WriteFile(doc, []byte(strings.Replace(string(d), "        description:\n          type: string\n        memberCount:", "        description:\n          type: string\n        memberCount:", 1)), 0o644)
	if res := run(false); res.Status != "unchanged" {
		t.Fatalf("a doc change that changes no input: %s", res.Status)
	}
}

func TestCancellation(t *testing.T) {
	m := load(t, filepath.Join("..", "testdata", "ticketdesk"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Generate(ctx, Request{Model: m, Class: "User", Kind: KindUpdate, Fresh: true, Records: NewRecords()})
	if !errors.Is(err, context.Canceled) || res != nil {
		t.Fatalf("a cancelled generation returns the context's error and nothing else: %v %v", res, err)
	}
}

func TestProgressPerDocument(t *testing.T) {
	m := load(t, filepath.Join("..", "testdata", "ticketdesk"))
	var steps []string
	_, err := Generate(context.Background(), Request{Model: m, Class: "User", Kind: KindUpdate, Fresh: true, Records: NewRecords(),
		Progress: func(stage, msg string, done, total int) {
			steps = append(steps, stage+" "+strings.Repeat("#", done)+strings.Repeat(".", total-done))
		}})
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) == 0 || !strings.HasPrefix(steps[len(steps)-1], "endpoints #") {
		t.Errorf("progress: %v", steps)
	}
}

func TestMissingPrerequisites(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "A.native.schema.groovy"), []byte("objectClass(\"A\") {\n    attribute(\"id\") { jsonType \"string\" }\n}\nobjectClass(\"B\") {\n}\n"), 0o644)
	m := load(t, dir)
	for _, tc := range []struct {
		class string
		kind  Kind
		want  string
	}{
		{"A", KindUpdate, "No endpoints found for updating A"},
		{"B", KindConnID, "No attributes found for B"},
		{"Nope", KindConnID, `object class "Nope" not found`},
	} {
		_, err := Generate(context.Background(), Request{Model: m, Class: tc.class, Kind: tc.kind, Records: NewRecords()})
		if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %s: %v, want %q", tc.kind, tc.class, err, tc.want)
		}
	}
}

// TestChoices covers the chooser's harder cases: a single identifier,
// a close call, and an API that addresses objects by name.
func TestChoices(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "Tag.native.schema.groovy"), []byte(`objectClass("Tag") {
    attribute("tag") { jsonType "string" }
    attribute("color") { jsonType "string" }
}
objectClass("Member") {
    attribute("id") { jsonType "integer" }
    attribute("email") { jsonType "string"; required true }
    attribute("displayName") { jsonType "string"; required true }
}
objectClass("Org") {
    attribute("id") { jsonType "integer" }
    attribute("name") { jsonType "string"; required true }
    attribute("description") { jsonType "string" }
}
`), 0o644)
	os.WriteFile(filepath.Join(dir, "openapi.yaml"), []byte(`openapi: 3.0.0
info: { title: t, version: "1" }
paths:
  /orgs/{org}:
    patch:
      requestBody:
        content:
          application/json:
            schema: { $ref: "#/components/schemas/Org" }
      responses: { "200": { description: ok } }
components:
  schemas:
    Org:
      type: object
      properties:
        id: { type: integer, readOnly: true }
        name: { type: string }
        description: { type: string }
`), 0o644)
	m := load(t, dir)
	tag := gen(t, m, "Tag", KindConnID, true)
	if !strings.Contains(tag.Code, `connIdAttribute("NAME", "tagName")`) || !strings.Contains(tag.Code, `name "tag"`) {
		t.Errorf("single identifier:\n%s", tag.Code)
	}
	member := gen(t, m, "Member", KindConnID, true)
	if !strings.Contains(member.Title, "runner-up") || !strings.Contains(member.Code, "(displayName came close)") {
		t.Errorf("close call should show the runner-up: %s\n%s", member.Title, member.Code)
	}
	org := gen(t, m, "Org", KindConnID, true)
	if !strings.Contains(org.Code, `connIdAttribute("UID", "name")`) || !strings.Contains(org.Code, "connls:ignore uid-mutable") {
		t.Errorf("the API addresses orgs by {org}, the name: it should be the UID\n%s", org.Code)
	}
	up := gen(t, m, "Org", KindUpdate, true)
	if !strings.Contains(up.Code, `endpoint(PATCH, "/orgs/{id}")`) || strings.Contains(up.Code, `"name"`) && !strings.Contains(up.Code, `"description"`) {
		t.Errorf("update:\n%s", up.Code)
	}
	// Both generated files check clean together.
	for _, res := range []*Result{tag, member, org} {
		if err := WriteFiles(res, m.Snapshot.Roots); err != nil {
			t.Fatal(err)
		}
	}
	m2 := load(t, dir)
	if err := WriteFiles(gen(t, m2, "Org", KindUpdate, true), m2.Snapshot.Roots); err != nil {
		t.Fatal(err)
	}
	for _, p := range load(t, dir).Diagnostics() {
		if p.Severity <= analysis.SevWarning {
			t.Errorf("%s:%d: %s %s: %s", p.Path, p.Range.Start.Line+1, p.Severity, p.Code, p.Message)
		}
	}
}

func loadB(b *testing.B, dir string) *analysis.Model {
	ws, err := workspace.New(dir)
	if err != nil {
		b.Fatal(err)
	}
	m, err := analysis.NewAnalyzer().Analyze(context.Background(), ws.Snapshot(), nil)
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// TestEmptyBlockIsFilled: an empty class block holds nothing written by
// hand, so a normal generation fills it instead of leaving it alone.
func TestEmptyBlockIsFilled(t *testing.T) {
	dir := copyDir(t, filepath.Join("..", "testdata", "ticketdesk"))
	path := filepath.Join(dir, "User.connid.schema.groovy")
	os.WriteFile(path, []byte("// mappings below\nobjectClass(\"User\") {\n}\n"), 0o644)
	m := load(t, dir)
	res, err := Generate(context.Background(), Request{Model: m, Class: "User", Kind: KindConnID})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != "updated" || len(res.Changes) != 1 {
		t.Fatalf("status %s, %d changes; notes %q", res.Status, len(res.Changes), res.Notes)
	}
	want := `// mappings below
objectClass("User") {
    // UID id: named id, single-result search /users/{id} filters on it, PATCH /users/{id} addresses
    // objects by it, assigned by the resource (not creatable, not updateable), an integer
    connIdAttribute("UID", "id")
    // NAME login: named login, search /users filters on it (eq), required, creatable, a string
    connIdAttribute("NAME", "login")
}
`
	if got := res.Changes[0].After; got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestEmptyBlock(t *testing.T) {
	for text, want := range map[string]bool{
		"objectClass(\"User\") {\n}":                                     true,
		"objectClass(\"User\") {}":                                       true,
		"objectClass(\"User\") {\n  connIdAttribute(\"UID\", \"id\")\n}": false,
		"update {\n    // keep\n}":                                       false,
		"":                                                               false,
	} {
		if got := emptyBlock(text); got != want {
			t.Errorf("emptyBlock(%q) = %v, want %v", text, got, want)
		}
	}
}

// TestListedFileNotListedTwice: a script the manifest already lists but
// that does not exist yet is created without a second manifest entry.
func TestListedFileNotListedTwice(t *testing.T) {
	dir := copyDir(t, filepath.Join("..", "testdata", "ticketdesk"))
	os.Remove(filepath.Join(dir, "Group.update.op.groovy"))
	m := load(t, dir)
	res, err := Generate(context.Background(), Request{Model: m, Class: "Group", Kind: KindUpdate})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Changes {
		if strings.HasSuffix(c.Path, "connector.manifest.json") {
			t.Fatalf("manifest edited although it lists the script:\n%s", c.After)
		}
	}
	if len(res.Changes) != 1 || !res.Changes[0].New {
		t.Fatalf("want one new file, got %d changes", len(res.Changes))
	}
}

func TestNativeSchema(t *testing.T) {
	got := NativeSchema("Device", map[string]AttributeSpec{
		"id":    {Type: "integer", Format: "int64", Readable: true},
		"label": {Type: "string", Required: true, Creatable: true, Updateable: true, Readable: true, Description: "Shown\nto people"},
		"tags":  {Type: "array", Creatable: true, Updateable: true, Readable: true, MultiValued: true},
	})
	want := `objectClass("Device") {
    attribute("id") {
        jsonType "integer"
        openApiFormat "int64"
        creatable false
        updateable false
    }
    attribute("label") {
        jsonType "string"
        required true
        description "Shown to people"
    }
    attribute("tags") {
        jsonType "string"
        multiValued true
    }
}
`
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}
