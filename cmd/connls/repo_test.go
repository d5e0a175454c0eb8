package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestCheckRepository checks a repository laid out like connector-scimrest
// (testdata/repo: connectors with and without a manifest, a SCIM-backed
// one, test workspaces): every finding is true, and the one error is the
// broken test manifest that lists a missing script.
func TestCheckRepository(t *testing.T) {
	out, stderr, code := run(t, "check", "--fail-on", "none", "testdata/repo")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	golden(t, "check.repo.text", out)
	if _, _, code := run(t, "check", "testdata/repo"); code != 1 {
		t.Errorf("exit %d with --fail-on error, want 1 for the broken test manifest", code)
	}
}

// TestInspectKeepsUnitsApart: a class name used by two connectors is two
// classes, each with the folder of its unit.
func TestInspectKeepsUnitsApart(t *testing.T) {
	out, stderr, code := run(t, "inspect", "--json", "testdata/repo")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		ObjectClasses []struct {
			Name      string   `json:"name"`
			Connector string   `json:"connector"`
			Files     []string `json:"files"`
		} `json:"objectClasses"`
		Connectors []struct {
			Dir     string   `json:"dir"`
			Loaders []string `json:"loaders"`
		} `json:"connectors"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	var users []string
	for _, c := range got.ObjectClasses {
		if c.Name == "User" {
			users = append(users, c.Connector)
			for _, f := range c.Files {
				if strings.HasSuffix(f, ".groovy") && !strings.HasPrefix(f, c.Connector+"/") {
					t.Errorf("class User of %s has a script of another unit: %s", c.Connector, f)
				}
			}
		}
	}
	want := []string{"common/src/test/resources/rest", "connector/rest/src/main/resources", "connector/scim/src/main/resources"}
	if !slices.Equal(users, want) {
		t.Errorf("User classes in %q, want %q", users, want)
	}
	for _, u := range got.Connectors {
		if u.Dir == "connector/scim/src/main/resources" && len(u.Loaders) != 1 {
			t.Errorf("the SCIM connector's loaders: %q, want its Java class", u.Loaders)
		}
	}
}
