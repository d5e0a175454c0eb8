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
	// Each file's versions: the first is the file as it is on disk.
	versions := map[string][]string{
		teams: {
			teamsText,
			strings.Replace(teamsText, `"string"`, `"strin"`, 1),
			"// teams\n" + teamsText,
			teamsText + "objectClass(\"User\") {\n    attribute(\"nickname\") { jsonType \"string\" }\n}\n",
			teamsText + "objectClass(\"User\") {\n    scim { name \"User\" }\n}\n",
			teamsText + "objectClass(\"Group\") {\n    search {\n        endpoint(\"/groups\") {\n            emptyFilterSupported true\n        }\n    }\n}\n",
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
	steps := 60
	if testing.Short() {
		steps = 20
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
		fresh, err := NewAnalyzer().Analyze(context.Background(), snap, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := dump(t, inc), dump(t, fresh); got != want {
			t.Fatalf("step %d (%s, version %d of it): incremental and fresh analyses differ:\n%s", step, filepath.Base(name), slices.Index(vs, text), firstDiff(got, want))
		}
	}
}
