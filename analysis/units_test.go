package analysis

import (
	"path/filepath"
	"slices"
	"testing"
)

// unitDirs returns the units of a model that hold scripts or manifests,
// as slash paths relative to dir.
func unitDirs(t *testing.T, m *Model, dir string) []string {
	t.Helper()
	var out []string
	for _, u := range m.Units {
		if len(u.Scripts) == 0 && len(u.Manifests) == 0 {
			continue
		}
		rel, err := filepath.Rel(dir, u.Dir)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, filepath.ToSlash(rel))
	}
	return out
}

// TestUnitsOfARepository checks how a repository laid out like
// connector-scimrest is split: one unit per connector and per test
// workspace, so that scripts in sibling folders never meet.
func TestUnitsOfARepository(t *testing.T) {
	dir, _ := filepath.Abs(filepath.Join("..", "testdata", "repo"))
	m := loadDir(t, dir)
	want := []string{
		"common/src/test/resources/manifests/broken",
		"common/src/test/resources/manifests/e2e",
		"common/src/test/resources/rest",
		"common/src/test/resources/yaml",
		"connector/rest/src/main/resources",
		"connector/scim/src/main/resources",
	}
	if got := unitDirs(t, m, dir); !slices.Equal(got, want) {
		t.Fatalf("units:\n got %q\nwant %q", got, want)
	}
	unit := func(rel string) *Unit {
		t.Helper()
		u := m.UnitOf(filepath.Join(dir, filepath.FromSlash(rel)))
		if u == nil {
			t.Fatalf("no unit holds %s", rel)
		}
		return u
	}

	// The connector's User and the test workspace's User are two classes.
	rest := unit("connector/rest/src/main/resources/User.native.schema.groovy")
	test := unit("common/src/test/resources/rest/User.groovy")
	if rest == test {
		t.Fatal("the connector and its test workspace share a unit")
	}
	for _, u := range []*Unit{rest, test} {
		c := u.Class("User")
		if c == nil || len(c.Blocks) == 0 {
			t.Fatalf("%s: no User class", u.Dir)
		}
		for _, b := range c.Blocks {
			if m.UnitOf(b.Script.File.Abs) != u {
				t.Errorf("%s: User merges %s from another unit", u.Dir, b.Script.File.Path)
			}
		}
	}

	// A script a manifest lists by its classpath path belongs to that
	// manifest's connector, though it lies in a sibling folder; the other
	// scripts of that folder stay in theirs.
	e2e := unit("common/src/test/resources/manifests/e2e/connector.manifest.yaml")
	if got := unit("common/src/test/resources/yaml/Account.search.all.op.yaml"); got != e2e {
		t.Errorf("the listed YAML search is in %s, want the e2e connector", got.Dir)
	}
	if got := unit("common/src/test/resources/yaml/Account.search.filter.op.yaml"); got == e2e {
		t.Error("an unlisted YAML search joined the e2e connector")
	}
	if c := e2e.Class("Account"); c == nil || len(c.Blocks) != 2 || len(c.OpBlocks) != 1 {
		t.Errorf("e2e Account: %+v", c)
	}

	// The module's API document describes its connector and nothing else.
	if rest.Class("User") == nil || len(rest.Class("User").Docs) != 1 {
		t.Errorf("connector/rest: User is not described by its module's openapi.yaml")
	}
	for _, rel := range []string{"common/src/test/resources/rest/User.groovy", "connector/scim/src/main/resources/Scim.schema.groovy"} {
		for _, d := range unit(rel).Docs {
			if d.Format == "openapi" {
				t.Errorf("%s sees %s", rel, d.Path)
			}
		}
	}
}

// TestDocumentsBesideTestWorkspaces checks that a document in a folder of
// its own under src/test/resources, next to test workspaces, describes
// none of them, and that a workspace of documents only still has them.
func TestDocumentsBesideTestWorkspaces(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"src/test/resources/one/User.native.schema.groovy": "objectClass(\"User\") {\n    attribute(\"id\") { jsonType \"string\" }\n}\n",
		"src/test/resources/schemas/openapi.yaml":          minimalOpenAPI,
	})
	m := loadDir(t, dir)
	u := m.UnitOf(filepath.Join(dir, "src/test/resources/one/User.native.schema.groovy"))
	if len(u.Docs) != 0 {
		t.Errorf("the test workspace sees %d documents of a sibling folder", len(u.Docs))
	}

	only := writeFiles(t, map[string]string{"docs/openapi.yaml": minimalOpenAPI})
	m = loadDir(t, only)
	if len(m.Units) != 1 || len(m.Units[0].Docs) != 1 || m.Units[0].Class("User") == nil {
		t.Errorf("a workspace of documents only: %d units, want one with the document's User", len(m.Units))
	}
}

const minimalOpenAPI = `openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /users:
    get:
      responses:
        "200":
          description: users
          content:
            application/json:
              schema:
                type: array
                items: {$ref: "#/components/schemas/User"}
components:
  schemas:
    User:
      type: object
      properties:
        id: {type: string}
`

// TestManifestClasspathPaths checks that manifest paths resolve against
// the classpath root: the resources folder that holds the manifest, or
// the folder a path's first segment names above it.
func TestManifestClasspathPaths(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"maven": {
			"src/test/resources/manifests/e2e/connector.manifest.yaml": "connector:\n  schema:\n    - script: /manifests/e2e/A.native.schema.groovy\n  operation:\n    - script: /ops/A.search.groovy\n",
			"src/test/resources/manifests/e2e/A.native.schema.groovy":  "objectClass(\"A\") {\n    attribute(\"id\") { jsonType \"string\" }\n}\n",
			"src/test/resources/ops/A.search.groovy":                   "objectClass(\"A\") {\n    search { endpoint(\"a\") }\n}\n",
		},
		"named folder": {
			"manifests/e2e/connector.manifest.yaml": "connector:\n  schema:\n    - script: /manifests/e2e/A.native.schema.groovy\n",
			"manifests/e2e/A.native.schema.groovy":  "objectClass(\"A\") {\n    attribute(\"id\") { jsonType \"string\" }\n}\n",
		},
	} {
		t.Run(name, func(t *testing.T) {
			m := loadDir(t, writeFiles(t, files))
			for _, p := range m.Diagnostics() {
				if p.Code == "manifest-missing-script" || p.Code == "manifest-unlisted" {
					t.Errorf("%s:%d %s: %s", p.Path, p.Range.Start.Line+1, p.Code, p.Message)
				}
			}
		})
	}
}
