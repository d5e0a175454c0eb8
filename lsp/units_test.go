package lsp_test

import (
	"path/filepath"
	"slices"
	"testing"

	"go.lsp.dev/protocol"
)

// TestRepositoryUnits opens a repository laid out like connector-scimrest
// (testdata/repo) as one workspace folder: each connector and each test
// workspace is its own model, so same-named classes never meet, SCIM
// classes get their UID from the server, and a draft the manifest does
// not list is reported as such with its errors lowered.
func TestRepositoryUnits(t *testing.T) {
	dir := sample(t, "repo")
	c := start(t, opts{folders: []string{dir}})
	defer c.shutdown()
	path := func(rel string) string { return filepath.Join(dir, filepath.FromSlash(rel)) }

	draft := c.diagnostics(0, path("connector/rest/src/main/resources/User.draft.op.groovy"), func(p protocol.PublishDiagnosticsParams) bool {
		return hasCode(p, "manifest-unlisted")
	})
	for _, d := range draft.Diagnostics {
		if d.Severity == protocol.DiagnosticSeverityError {
			t.Errorf("an error in a script the manifest does not list: %s", d.Message)
		}
	}
	scim := c.diagnostics(0, path("connector/scim/src/main/resources/Scim.schema.groovy"), func(p protocol.PublishDiagnosticsParams) bool {
		return len(p.Diagnostics) > 0
	})
	if got := codes(scim); slices.Contains(got, "missing-uid") || slices.Contains(got, "connid-unknown-class") {
		t.Errorf("SCIM classes: %v", got)
	}

	// The test workspace's User declares id and login with other words
	// than the connector's: an edit there is checked against its own
	// class only.
	test := path("common/src/test/resources/rest/User.groovy")
	c.open(test)
	mark := c.mark()
	c.edit(test, `jsonType "string"`, `jsonType "int"`)
	got := c.diagnostics(mark, test, func(p protocol.PublishDiagnosticsParams) bool { return hasCode(p, "unknown-json-type") })
	if codes := codes(got); !slices.Equal(codes, []string{"unknown-json-type"}) {
		t.Errorf("the test workspace's User: %v, want only unknown-json-type (no conflict with the connector's User)", codes)
	}
}

// TestMavenModuleFolder opens a Maven module, then its resources folder:
// the diagnostics of a script are the same, since the resources folder
// reads the module's API description (src/test/resouces) too; the
// endpoint-undocumented finding shows that it was read.
func TestMavenModuleFolder(t *testing.T) {
	repo := copyDir(t, filepath.Join("..", "cmd", "connls", "testdata", "mavenrepo"))
	module := filepath.Join(repo, "connector", "alpha")
	resources := filepath.Join(module, "src", "main", "resources")
	script := filepath.Join(resources, "Widget.extra.search.groovy")
	var got [][]string
	for _, folder := range []string{module, resources} {
		c := start(t, opts{folders: []string{folder}})
		p := c.diagnostics(0, script, func(p protocol.PublishDiagnosticsParams) bool { return hasCode(p, "endpoint-undocumented") })
		cs := codes(p)
		slices.Sort(cs)
		got = append(got, cs)
		c.shutdown()
	}
	if !slices.Equal(got[0], got[1]) || !slices.Contains(got[0], "manifest-unlisted") {
		t.Errorf("module folder %v, resources folder %v", got[0], got[1])
	}
}
