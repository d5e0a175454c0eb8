package analysis

import (
	"context"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/connls/connls/workspace"
)

// TestIncrementalWorkspaceEdits edits several files of a connector at
// random, one after the other: an unlisted open script (whose edits leave
// the unit's classes as they were), a listed open script, the manifest
// and the OpenAPI document. After each edit the analyzer that has seen
// every version (incremental parse, memoized readings, classes reused
// whole or one by one) must report exactly what a fresh analyzer reports.
func TestIncrementalWorkspaceEdits(t *testing.T) {
	checkIncremental = true
	defer func() { checkIncremental = false }()
	dir := t.TempDir()
	copySample(t, "ticketdesk", dir)
	teams := filepath.Join(dir, "Teams.native.schema.groovy")
	teamsText := "objectClass(\"Team\") {\n    attribute(\"id\") { jsonType \"string\" }\n    connIdAttribute(\"UID\", \"id\")\n}\n"
	os.WriteFile(teams, []byte(teamsText), 0o644)
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	user, manifest, doc := read("User.native.schema.groovy"), read("connector.manifest.json"), read("docs/openapi.yaml")
	assoc, search := read("associations.schema.groovy"), read("User.search.groovy")
	// Each file's versions: the first is the file as it is on disk.
	versions := map[string][]string{
		teams: {
			teamsText,
			strings.Replace(teamsText, `"string"`, `"strin"`, 1),
			"// teams\n" + teamsText,
			teamsText + "objectClass(\"User\") {\n    attribute(\"nickname\") { jsonType \"string\" }\n}\n",
			teamsText + "objectClass(\"User\") {\n    scim { name \"User\" }\n}\n",
			teamsText + "objectClass(\"Group\") {\n    search {\n        endpoint(\"/groups\") {\n            emptyFilterSupported true\n        }\n    }\n}\n",
			// The same classes by the same names (the plan is derived
			// from the last one), with the same SCIM names or not.
			teamsText + "objectClass(\"User\") {\n    scim { name \"User\" }\n    attribute(\"nick\") { jsonType \"string\" }\n}\n",
			teamsText + "objectClass(\"User\") {\n    scim { name \"Users\" }\n    attribute(\"nick\") { jsonType \"string\" }\n}\n",
			// An operation script's content, and parts connls inferred.
			"objectClass(\"Team\") {\n    search {\n        endpoint(\"/teams\") {\n            emptyFilterSupported true\n        }\n    }\n}\n",
			strings.Replace(teamsText, "    connIdAttribute", "    // connls:inferred from the name\n    connIdAttribute", 1),
			// Nothing left to read (no scopes, where the last reading had some).
			"// teams, to come\n",
		},
		filepath.Join(dir, "associations.schema.groovy"): {
			assoc,
			strings.Replace(assoc, "role OBJECT", "role SUBJECT", 1),
			strings.Replace(assoc, `attribute("members")`, `attribute("memberz")`, 1),
			strings.Replace(assoc, `subject("User")`, `subject("Users")`, 1),
			assoc + "relationship(\"Ownership\") {\n    subject(\"Group\") {\n        attribute(\"owner\") {\n            role SUBJECT\n        }\n    }\n    object(\"User\")\n}\n",
		},
		filepath.Join(dir, "User.search.groovy"): {
			search,
			strings.Replace(search, `endpoint("/users") {`, `endpoint("/userz") {`, 1),
			strings.Replace(search, `emptyFilterSupported true`, "// connls:inferred from the docs\n            emptyFilterSupported true", 1),
		},
		filepath.Join(dir, "User.native.schema.groovy"): {
			user,
			strings.Replace(user, `jsonType "string"`, `jsonType "strin"`, 1),
			strings.Replace(user, `attribute("login") {`, "attribute(\"nick\") { jsonType \"string\" }\n    attribute(\"login\") {", 1),
			strings.Replace(user, `objectClass("User") {`, "objectClass(\"User\") {\n    scim { name \"User\" }", 1),
			strings.Replace(user, `objectClass("User")`, `objectClass("Person")`, 1),
		},
		filepath.Join(dir, "connector.manifest.json"): {
			manifest,
			strings.Replace(manifest, `{ "script": "/Address.native.schema.groovy" },`, `{ "script": "/Address.native.schema.groovy" }, { "script": "/Teams.native.schema.groovy" },`, 1),
			strings.Replace(manifest, `{ "script": "/User.connid.schema.groovy" },`, "", 1),
		},
		filepath.Join(dir, "docs", "openapi.yaml"): {
			doc,
			strings.Replace(doc, "description", "summary", 1),
			strings.Replace(doc, "        email:\n          type: string\n", "        email:\n          type: integer\n", 1),
			strings.Replace(doc, "        first_name:\n", "        nickname:\n          type: string\n        first_name:\n", 1),
		},
	}
	for name, vs := range versions {
		for i, v := range vs[1:] {
			if v == vs[0] {
				t.Fatalf("version %d of %s is the first one: the edit did not apply", i+1, name)
			}
		}
	}
	ws, err := workspace.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	a := NewAnalyzer()
	var files []string
	for name, vs := range versions {
		files = append(files, name)
		if strings.HasSuffix(name, ".groovy") {
			a.Track(name)
		}
		ws.Open(name, 1, []byte(vs[0]))
	}
	slices.Sort(files)
	rng := rand.New(rand.NewSource(1))
	version := int32(1)
	steps := 150
	if testing.Short() {
		steps = 40
	}
	for step := 0; step < steps; step++ {
		name := files[rng.Intn(len(files))]
		vs := versions[name]
		text := vs[rng.Intn(len(vs))]
		version++
		snap, err := ws.Change(name, version, []workspace.Change{{Text: text}})
		if err != nil {
			t.Fatal(err)
		}
		inc, err := a.Analyze(context.Background(), snap, nil)
		if err != nil {
			t.Fatal(err)
		}
		a.Forget(snap)
		for k := range a.scripts {
			if f := snap.File(k.abs); f == nil || f.Hash != k.hash {
				t.Fatalf("step %d: a reading of an older %s is kept", step, filepath.Base(k.abs))
			}
		}
		fresh, err := NewAnalyzer().Analyze(context.Background(), snap, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := dump(t, inc), dump(t, fresh); got != want {
			t.Fatalf("step %d (%s, version %d of it): incremental and fresh analyses differ:\n%s", step, filepath.Base(name), slices.Index(vs, text), firstDiff(got, want))
		}
	}
}

// TestIncrementalSeesDisk: scripts a manifest or a Java class lists that
// are outside the snapshot are looked for on disk, and an analysis
// carried over from the last one, with the findings it keeps, must see
// them appear and go as a fresh analysis does.
func TestIncrementalSeesDisk(t *testing.T) {
	checkIncremental = true
	defer func() { checkIncremental = false }()
	desk := "objectClass(\"Desk\") {\n    attribute(\"number\") { jsonType \"string\" }\n    connIdAttribute(\"NAME\", \"number\")\n}\n"
	dir := writeFiles(t, map[string]string{
		"connector/src/main/java/x/DeskConnector.java": "package x;\n\npublic class DeskConnector extends AbstractGroovyRestConnector<DeskConfiguration> {\n" +
			"    @Override\n    protected void initializeSchema(GroovySchemaLoader loader) {\n" +
			"        loader.loadFromResource(\"/Desk.native.schema.groovy\");\n        loader.loadFromResource(\"/Room.native.schema.groovy\");\n    }\n}\n",
		"connector/src/main/resources/Desk.native.schema.groovy": desk,
		// A class none of whose scripts is there lists nothing, until one is.
		"other/src/main/java/z/OtherConnector.java": "package z;\n\npublic class OtherConnector extends AbstractGroovyRestConnector<OtherConfiguration> {\n" +
			"    @Override\n    protected void initializeSchema(GroovySchemaLoader loader) {\n" +
			"        loader.loadFromResource(\"/Other.native.schema.groovy\");\n    }\n}\n",
		"other/src/main/resources/Thing.native.schema.groovy": "objectClass(\"Thing\") {\n    attribute(\"id\") { jsonType \"string\" }\n}\n",
		"mf/connector.manifest.json":                          `{ "connector": { "schema": [ { "script": "/A.native.schema.groovy" }, { "script": "/Gone.native.schema.groovy" } ] } }`,
		"mf/A.native.schema.groovy":                           "objectClass(\"A\") {\n    attribute(\"id\") { jsonType \"string\" }\n}\n",
	})
	ws, err := workspace.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	deskPath := filepath.Join(dir, "connector/src/main/resources/Desk.native.schema.groovy")
	a := NewAnalyzer()
	a.Track(deskPath)
	snap := ws.Open(deskPath, 1, []byte(desk))
	first, err := a.Analyze(context.Background(), snap, nil)
	if err != nil {
		t.Fatal(err)
	}
	before := len(first.Diagnostics())
	// One at a time: what the manifest lists (the rules look), what the
	// Java class lists beside a script it has (the rules look), what it
	// lists alone (grouping looks).
	outside := []string{"mf/Gone.native.schema.groovy", "connector/src/main/resources/Room.native.schema.groovy", "other/src/main/resources/Other.native.schema.groovy"}
	version := int32(1)
	for step := range 2 * len(outside) {
		name, appear := outside[step/2], step%2 == 0
		abs := filepath.Join(dir, filepath.FromSlash(name))
		if appear {
			os.WriteFile(abs, []byte("objectClass(\"Room\") {\n}\n"), 0o644)
		} else {
			os.Remove(abs)
		}
		version++
		text := strings.Replace(desk, `"string"`, strings.Repeat(" ", step+1)+`"string"`, 1)
		snap, err := ws.Change(deskPath, version, []workspace.Change{{Text: text}})
		if err != nil {
			t.Fatal(err)
		}
		inc, fresh := analyzeBoth(t, a, snap)
		got, want := dump(t, inc), dump(t, fresh)
		if got != want {
			t.Fatalf("step %d (%s on disk: %v): incremental and fresh analyses differ:\n%s", step, name, appear, firstDiff(got, want))
		}
		if appear && len(inc.Diagnostics()) == before {
			t.Fatalf("step %d: %s appeared and the findings are as many: the test tests nothing", step, name)
		}
	}
}

// TestForgetKeepsCurrentReadings: after Forget, the analyzer keeps the
// readings of the snapshot's versions alone, also when a version it read
// between two Forgets is gone again (a buffer closed: the file is the
// disk's, as it was before it was opened).
func TestForgetKeepsCurrentReadings(t *testing.T) {
	dir := t.TempDir()
	copySample(t, "ticketdesk", dir)
	ws, err := workspace.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	user := filepath.Join(dir, "User.native.schema.groovy")
	a := NewAnalyzer()
	analyze := func(snap *workspace.Snapshot, forget bool) {
		t.Helper()
		if _, err := a.Analyze(context.Background(), snap, nil); err != nil {
			t.Fatal(err)
		}
		if forget {
			a.Forget(snap)
			for k := range a.scripts {
				if f := snap.File(k.abs); f == nil || f.Hash != k.hash {
					t.Fatalf("a reading of another version of %s is kept", filepath.Base(k.abs))
				}
			}
		}
	}
	analyze(ws.Snapshot(), true)
	analyze(ws.Open(user, 1, []byte("// opened\n")), false)
	analyze(ws.Close(user), true)
	analyze(ws.Open(user, 1, []byte("// opened again\n")), true)
	snap, err := ws.Change(user, 2, []workspace.Change{{Text: "// changed\n"}})
	if err != nil {
		t.Fatal(err)
	}
	analyze(snap, true)
	// Forget needs no analysis of the snapshot it is given.
	snap, err = ws.Change(user, 3, []workspace.Change{{Text: "// not analysed\n"}})
	if err != nil {
		t.Fatal(err)
	}
	a.Forget(snap)
	for k := range a.scripts {
		if f := snap.File(k.abs); f == nil || f.Hash != k.hash {
			t.Fatalf("a reading of another version of %s is kept", filepath.Base(k.abs))
		}
	}
}

// analyzeBoth analyzes snap with a, which has seen earlier versions, and
// with a fresh analyzer.
func analyzeBoth(t *testing.T, a *Analyzer, snap *workspace.Snapshot) (inc, fresh *Model) {
	t.Helper()
	inc, err := a.Analyze(context.Background(), snap, nil)
	if err != nil {
		t.Fatal(err)
	}
	fresh, err = NewAnalyzer().Analyze(context.Background(), snap, nil)
	if err != nil {
		t.Fatal(err)
	}
	return inc, fresh
}
