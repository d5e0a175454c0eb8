package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// mavenRepo is a repository of two connector modules: alpha keeps its
// API description in src/test/resouces (the spelling of a real one),
// beta in docs/ beside an AsciiDoc README.
var mavenRepo = filepath.Join("cmd", "connls", "testdata", "mavenrepo")

// findingsOf runs check --format json in the repository and returns the
// findings as "file:line severity code", sorted.
func findingsOf(t *testing.T, args ...string) []string {
	t.Helper()
	out, stderr, code := runIn(t, filepath.Join(repoRoot, mavenRepo), append([]string{"check", "--format", "json"}, args...)...)
	if code != 0 && code != 1 {
		t.Fatalf("check %v: exit %d %s", args, code, stderr)
	}
	var rep struct {
		Diagnostics []struct {
			File     string `json:"file"`
			Line     int    `json:"line"`
			Severity string `json:"severity"`
			Code     string `json:"code"`
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("check %v: %v\n%s", args, err, out)
	}
	var got []string
	for _, d := range rep.Diagnostics {
		got = append(got, fmt.Sprintf("%s:%d %s %s", d.File, d.Line, d.Severity, d.Code))
	}
	sort.Strings(got)
	return got
}

// TestMavenModule: a module folder, its resources folder and the
// repository with --connector give the same findings: the module's API
// description in src/test/resouces describes the connector in every case
// (it says id is read-only, so no uid-mutable), and is not a connector of
// its own.
func TestMavenModule(t *testing.T) {
	resources := findingsOf(t, "connector/alpha/src/main/resources")
	if len(resources) == 0 {
		t.Fatal("no findings: the testdata should have some")
	}
	for _, f := range resources {
		if strings.Contains(f, "uid-mutable") {
			t.Errorf("the module's API description was not read from the resources folder: %s", f)
		}
	}
	for _, args := range [][]string{{"connector/alpha"}, {"--connector", "alpha", "."}, {"--connector", "connector/alpha", "."}} {
		if got := findingsOf(t, args...); strings.Join(got, "\n") != strings.Join(resources, "\n") {
			t.Errorf("check %v:\n%s\nthe resources folder:\n%s", args, strings.Join(got, "\n"), strings.Join(resources, "\n"))
		}
	}
	_, stderr, code := runIn(t, filepath.Join(repoRoot, mavenRepo), "check", "--connector", "delta", ".")
	if code != 2 || !strings.Contains(stderr, "alpha (connector/alpha/src/main/resources), beta (connector/beta/src/main/resources), gamma (connector/gamma/src/main/resources)") {
		t.Errorf("an unknown connector: exit %d %s", code, stderr)
	}
}

// TestMavenGenerate: generation from a module folder proposes files in
// src/main/resources, from the module's documents; from the repository it
// asks which connector, and --connector says.
func TestMavenGenerate(t *testing.T) {
	dir := filepath.Join(repoRoot, mavenRepo)
	for _, at := range []string{"connector/alpha", "connector/alpha/src/main/resources"} {
		out, stderr, code := runIn(t, dir, "generate", "update", "--class", "Widget", "--diff", at)
		if code != 0 || !strings.Contains(out, "+++ b/") || !strings.Contains(out, `endpoint(PATCH, "widgets/{id}")`) || !strings.Contains(out, "test/resouces/openapi.json") {
			t.Fatalf("generate from %s: exit %d %s\n%s", at, code, stderr, out)
		}
		if at == "connector/alpha" && !strings.Contains(out, "+++ b/src/main/resources/Widget.update.op.groovy") {
			t.Errorf("generate from the module does not write into src/main/resources:\n%s", out)
		}
	}
	_, stderr, code := runIn(t, dir, "generate", "update", "--class", "Widget", ".")
	if code != 3 || !strings.Contains(stderr, "Widget is in 2 connectors here: alpha (connector/alpha/src/main/resources), beta (connector/beta/src/main/resources); choose one with --connector") {
		t.Errorf("an ambiguous class: exit %d %s", code, stderr)
	}
	_, stderr, code = runIn(t, dir, "generate", "update", "--class", "Widget", "--connector", "beta", ".")
	for _, want := range []string{"read connector/beta/src/main/resources/Widget.native.schema.groovy", "connector/beta/docs/api.md", "skipped connector/beta/README.adoc (AsciiDoc is not read)", "no PATCH or PUT endpoint for Widget"} {
		if code != 3 || !strings.Contains(stderr, want) {
			t.Errorf("nothing to generate for beta: exit %d, no %q in\n%s", code, want, stderr)
		}
	}
}

// TestMavenConfig: gamma's connls.yaml attaches a description kept at the
// top of the repository to gamma alone, whether connls is run on the
// repository, the module or its resources folder.
func TestMavenConfig(t *testing.T) {
	dir := filepath.Join(repoRoot, mavenRepo)
	for _, args := range [][]string{{"connector/gamma/src/main/resources"}, {"connector/gamma"}, {"--connector", "gamma", "."}} {
		out, stderr, code := runIn(t, dir, append([]string{"generate", "update", "--class", "Gadget", "--diff"}, args...)...)
		if code != 0 || !strings.Contains(out, `endpoint(PUT, "gadgets/{id}")`) || !strings.Contains(out, "apis/gadgets.json") {
			t.Errorf("generate %v: exit %d %s\n%s", args, code, stderr, out)
		}
	}
	out, _, _ := runIn(t, dir, "inspect", "--json", ".")
	if n := strings.Count(out, `"name": "Gadget"`); n != 1 {
		t.Errorf("Gadget is a class of %d connectors, want gamma alone", n)
	}
}
