package generate

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/analysis/dsl"
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
	res, err := Generate(context.Background(), Request{Model: m, Class: class, Kind: kind, Fresh: fresh})
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
// changes nothing, and nothing is written beside the scripts; an edited
// block gets a merge that changes only the lines connls disagrees with
// and asks for confirmation; a fresh one replaces the block but keeps the
// user's comments.
func TestIdempotenceAndOverrides(t *testing.T) {
	dir := copyDir(t, filepath.Join("..", "testdata", "ticketdesk"))
	os.Remove(filepath.Join(dir, "Group.update.op.groovy"))
	run := func(fresh bool) *Result {
		m := load(t, dir)
		res, err := Generate(context.Background(), Request{Model: m, Class: "Group", Kind: KindUpdate, Fresh: fresh})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Changes) > 0 {
			if err := WriteResult(res, m.Snapshot.Roots); err != nil {
				t.Fatal(err)
			}
		}
		return res
	}
	if res := run(false); res.Status != "created" || res.Confirm {
		t.Fatalf("first generation: %s", res.Status)
	}
	if res := run(false); res.Status != "unchanged" || len(res.Changes) != 0 {
		t.Fatalf("second generation with the same inputs: %s, %d changes", res.Status, len(res.Changes))
	}
	if _, err := os.Stat(filepath.Join(dir, ".connls")); err == nil {
		t.Fatal("generation wrote state beside the connector's sources")
	}
	path := filepath.Join(dir, "Group.update.op.groovy")
	text, _ := os.ReadFile(path)
	if !strings.Contains(string(text), "// generated by connls: sha256:") {
		t.Fatalf("no marker in the generated block:\n%s", text)
	}
	// The user drops an attribute and comments out a line of their own.
	edited := strings.Replace(string(text), `"name", "description"`, `"name"`, 1)
	edited = strings.Replace(edited, "            request {", "            // header \"X-Old\", \"1\"\n            request {", 1)
	os.WriteFile(path, []byte(edited), 0o644)
	m := load(t, dir)
	res, err := Generate(context.Background(), Request{Model: m, Class: "Group", Kind: KindUpdate})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != "proposal" || !res.Confirm || len(res.Changes) != 1 {
		t.Fatalf("regeneration over a user's edit: %s, confirm %v, %d changes", res.Status, res.Confirm, len(res.Changes))
	}
	if !strings.Contains(strings.Join(res.Notes, "\n"), "edited since connls generated it") {
		t.Errorf("notes do not say the block was edited: %q", res.Notes)
	}
	if got, _ := os.ReadFile(path); string(got) != edited {
		t.Fatal("the user's edit was overwritten")
	}
	// Only the supportedAttributes line changes; the comment stays.
	after := res.Changes[0].After
	if !strings.Contains(after, `"name", "description"`) || !strings.Contains(after, `// header "X-Old", "1"`) {
		t.Fatalf("the merge:\n%s", after)
	}
	if d := lineDiff(edited, after); len(d) != 2 {
		t.Errorf("the merge changes more than the supportedAttributes line: %q", d)
	}
	// From scratch: the generated block, with the user's comment kept.
	if res := run(true); res.Status != "proposal" || !res.Confirm {
		t.Fatalf("fresh regeneration: %s", res.Status)
	}
	got, _ := os.ReadFile(path)
	if !strings.Contains(string(got), `"name", "description"`) || !strings.Contains(string(got), `// header "X-Old", "1"`) {
		t.Fatalf("fresh regeneration did not replace the block or lost the comment:\n%s", got)
	}
	// And it is a fixed point.
	if res := run(true); res.Status != "unchanged" {
		t.Fatalf("fresh regeneration again: %s\n%s", res.Status, resultText(res))
	}
	if res := run(false); res.Status != "unchanged" {
		t.Fatalf("regeneration after a fresh one: %s\n%s", res.Status, resultText(res))
	}
}

// TestUndoneEdit: a block edited and edited back is as connls generated
// it; nothing remembers the edit.
func TestUndoneEdit(t *testing.T) {
	dir := copyDir(t, filepath.Join("..", "testdata", "ticketdesk"))
	os.Remove(filepath.Join(dir, "Group.update.op.groovy"))
	m := load(t, dir)
	res := gen(t, m, "Group", KindUpdate, false)
	if err := WriteResult(res, m.Snapshot.Roots); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "Group.update.op.groovy")
	text, _ := os.ReadFile(path)
	os.WriteFile(path, []byte(strings.Replace(string(text), `"name", "description"`, `"name"`, 1)), 0o644)
	os.WriteFile(path, text, 0o644) // undone
	if res := gen(t, load(t, dir), "Group", KindUpdate, false); res.Status != "unchanged" || res.Confirm {
		t.Fatalf("after an undone edit: %s %q", res.Status, res.Notes)
	}
	// Re-indenting is not editing: the block is still connls's, no
	// confirmation asked.
	os.WriteFile(path, []byte(strings.ReplaceAll(string(text), "    ", "  ")), 0o644)
	if res := gen(t, load(t, dir), "Group", KindUpdate, false); res.Confirm {
		t.Fatalf("after re-indenting: %s %q", res.Status, res.Notes)
	}
}

func resultText(res *Result) string {
	var b strings.Builder
	for _, c := range res.Changes {
		b.WriteString(c.After)
	}
	return b.String() + strings.Join(res.Notes, "\n")
}

// lineDiff returns the lines only one of the texts has.
func lineDiff(a, b string) []string {
	count := map[string]int{}
	for _, l := range strings.Split(a, "\n") {
		count[l]++
	}
	for _, l := range strings.Split(b, "\n") {
		count[l]--
	}
	var out []string
	for l, n := range count {
		if n != 0 {
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return out
}

func TestCancellation(t *testing.T) {
	m := load(t, filepath.Join("..", "testdata", "ticketdesk"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Generate(ctx, Request{Model: m, Class: "User", Kind: KindUpdate, Fresh: true})
	if !errors.Is(err, context.Canceled) || res != nil {
		t.Fatalf("a cancelled generation returns the context's error and nothing else: %v %v", res, err)
	}
}

func TestProgressPerDocument(t *testing.T) {
	m := load(t, filepath.Join("..", "testdata", "ticketdesk"))
	var steps []string
	_, err := Generate(context.Background(), Request{Model: m, Class: "User", Kind: KindUpdate, Fresh: true,
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
		_, err := Generate(context.Background(), Request{Model: m, Class: tc.class, Kind: tc.kind})
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
		if p.Severity <= dsl.SevWarning {
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
	mk, got, ok := readMarker(res.Changes[0].After)
	if !ok || mk.code == "" {
		t.Errorf("no marker in\n%s", res.Changes[0].After)
	}
	if got != want {
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

// TestRegenerateOverHandWritten: a hand-written mapping that disagrees
// with connls gets a proposal that changes only the disagreeing line and
// keeps the user's comments and commented-out code; from scratch keeps
// them too; a mapping that agrees is left as it is.
func TestRegenerateOverHandWritten(t *testing.T) {
	dir := copyDir(t, filepath.Join("..", "testdata", "ticketdesk"))
	path := filepath.Join(dir, "User.connid.schema.groovy")
	hand := `objectClass("User") {
    // we log in with the login name
    connIdAttribute("UID", "id")
    connIdAttribute("NAME", "email")
    // connIdAttribute("NAME", "nickname")
    /* tried:
       connIdAttribute("UID", "login") */
}
`
	os.WriteFile(path, []byte(hand), 0o644)
	res := gen(t, load(t, dir), "User", KindConnID, false)
	if res.Status != "proposal" || !res.Confirm || len(res.Changes) != 1 {
		t.Fatalf("status %s confirm %v, notes %q", res.Status, res.Confirm, res.Notes)
	}
	want := strings.Replace(hand, `connIdAttribute("NAME", "email")`, `connIdAttribute("NAME", "login")`, 1)
	if got := res.Changes[0].After; got != want {
		t.Errorf("proposal:\n%s\nwant:\n%s", got, want)
	}
	if notes := strings.Join(res.Notes, "\n"); !strings.Contains(notes, "written by hand") || !strings.Contains(notes, `connIdAttribute("NAME", "email") → connIdAttribute("NAME", "login")`) {
		t.Errorf("notes: %q", res.Notes)
	}
	if e := res.Changes[0].Edits; len(e) != 1 || e[0].Range.Start.Line != 3 || e[0].Range.End.Line != 4 {
		t.Errorf("edits are not the one changed line: %+v", e)
	}

	// A mapping the block lacks is added, with the comment saying why.
	os.WriteFile(path, []byte("objectClass(\"User\") {\n    // ours\n    connIdAttribute(\"UID\", \"id\")\n}\n"), 0o644)
	res = gen(t, load(t, dir), "User", KindConnID, false)
	after := res.Changes[0].After
	if !strings.Contains(after, "    // ours\n    connIdAttribute(\"UID\", \"id\")\n    // NAME login:") || !strings.HasSuffix(after, "connIdAttribute(\"NAME\", \"login\")\n}\n") {
		t.Errorf("missing NAME not added after UID:\n%s", after)
	}

	// From scratch: connls's block, the comments kept.
	os.WriteFile(path, []byte(hand), 0o644)
	res = gen(t, load(t, dir), "User", KindConnID, true)
	if !res.Confirm {
		t.Error("from scratch over hand-written code does not ask")
	}
	after = res.Changes[0].After
	for _, keep := range []string{"// we log in with the login name", `// connIdAttribute("NAME", "nickname")`, "/* tried:", `connIdAttribute("UID", "login") */`, "// generated by connls: sha256:", `connIdAttribute("NAME", "login")`} {
		if !strings.Contains(after, keep) {
			t.Errorf("from scratch lost %q:\n%s", keep, after)
		}
	}
	if strings.Contains(after, `"email"`) {
		t.Errorf("from scratch kept the hand-written mapping:\n%s", after)
	}

	// A hand-written mapping that agrees: nothing to do.
	os.WriteFile(path, []byte("objectClass(\"User\") {\n    // mine\n    connIdAttribute(\"UID\", \"id\")\n    connIdAttribute(\"NAME\", \"login\")\n}\n"), 0o644)
	if res := gen(t, load(t, dir), "User", KindConnID, false); res.Status != "unchanged" || len(res.Changes) != 0 {
		t.Errorf("agreeing mapping: %s %q", res.Status, res.Notes)
	}
}

// writeTree writes files (slash paths → text) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, text := range files {
		abs := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(abs, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestNothingToGenerateSaysWhere: when there is nothing to generate
// from, the message names the files read, those skipped and why, and the
// endpoints found.
func TestNothingToGenerateSaysWhere(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"src/main/resources/Widget.native.schema.groovy": "objectClass(\"Widget\") {\n    attribute(\"id\") {\n        jsonType \"string\"\n        updateable false\n    }\n    attribute(\"label\") {\n        jsonType \"string\"\n    }\n}\n",
		"src/main/resources/Widget.search.groovy":        "objectClass(\"Widget\") {\n    search {\n        endpoint(\"widgets\") {\n            responseFormat JSON_ARRAY\n        }\n    }\n}\n",
		"docs/api.adoc": "= Widgets API\n\nPATCH /widgets/{id} changes a widget.\n",
	})
	_, err := Generate(context.Background(), Request{Model: load(t, dir), Class: "Widget", Kind: KindUpdate})
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("err %v", err)
	}
	for _, want := range []string{
		"read src/main/resources/Widget.native.schema.groovy, src/main/resources/Widget.search.groovy",
		"skipped docs/api.adoc (AsciiDoc is not read)",
		"found GET widgets (search script), but no PATCH or PUT endpoint for Widget",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q:\n%s", want, err)
		}
	}
}

// TestMergeKeepsStyle: a statement that says the same (a semicolon,
// single quotes, supportedAttributes in another order) is no change; a
// changed line keeps the user's semicolon.
func TestMergeKeepsStyle(t *testing.T) {
	cur := "objectClass(\"User\") {\n    connIdAttribute 'UID', 'id'\n    connIdAttribute(\"NAME\", \"email\");\n    update {\n        endpoint(PATCH, \"/users/{id}\") {\n            supportedAttributes \"b\", \"a\"\n        }\n    }\n}"
	gen := "objectClass(\"User\") {\n    connIdAttribute(\"UID\", \"id\")\n    connIdAttribute(\"NAME\", \"login\")\n    update {\n        endpoint(PATCH, \"/users/{id}\") {\n            supportedAttributes \"a\", \"b\"\n        }\n    }\n}"
	merged, changed, left := mergeKeyed(cur, gen, false)
	want := strings.Replace(cur, `connIdAttribute("NAME", "email");`, `connIdAttribute("NAME", "login");`, 1)
	if merged != want || len(changed) != 1 || len(left) != 0 {
		t.Errorf("merged:\n%s\nchanged %q, left %q", merged, changed, left)
	}
}

// TestPlanOnly: a plan names the same choice as the generation (title,
// code, status) and builds no change.
func TestPlanOnly(t *testing.T) {
	for _, sample := range []string{"ticketdesk", "peoplehub", "broken"} {
		m := load(t, filepath.Join("..", "testdata", sample))
		for _, u := range m.Units {
			for _, c := range u.Classes {
				for _, kind := range []Kind{KindConnID, KindUpdate, KindNative, KindSearch, KindCreate, KindDelete} {
					full, err := Generate(context.Background(), Request{Model: m, Unit: u, Class: c.Name, Kind: kind, Fresh: true})
					plan, perr := Generate(context.Background(), Request{Model: m, Unit: u, Class: c.Name, Kind: kind, Fresh: true, PlanOnly: true})
					if (err == nil) != (perr == nil) {
						t.Errorf("%s %s %s: generate %v, plan %v", sample, kind, c.Name, err, perr)
						continue
					}
					if err != nil {
						continue
					}
					if plan.Title != full.Title || plan.Code != full.Code || len(plan.Changes) != 0 {
						t.Errorf("%s %s %s: plan %q (%d changes), generation %q", sample, kind, c.Name, plan.Title, len(plan.Changes), full.Title)
					}
					if full.Status != "unchanged" && plan.Status != full.Status {
						t.Errorf("%s %s %s: plan status %s, generation %s", sample, kind, c.Name, plan.Status, full.Status)
					}
				}
			}
		}
	}
}
