package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	junitparser "github.com/joshdk/go-junit"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

const sarifSchemaID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// schemaCheck validates a document against a schema of testdata/schemas,
// offline: the schema is registered under its own id, and the compiler
// loads nothing but the meta-schemas it has built in.
func schemaCheck(schemaFile, id, doc string) error {
	f, err := os.Open(filepath.Join("testdata", "schemas", schemaFile))
	if err != nil {
		return err
	}
	defer f.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return err
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(id, schemaDoc); err != nil {
		return err
	}
	schema, err := c.Compile(id)
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	return schema.Validate(inst)
}

// TestSARIFValidatesAgainstTheSchema validates the bytes connls prints —
// not a value read back — against the published SARIF 2.1.0 schema.
func TestSARIFValidatesAgainstTheSchema(t *testing.T) {
	for _, sample := range []string{"testdata/broken", "testdata/ticketdesk", "testdata/repo"} {
		out, stderr, code := run(t, "check", "--format", "sarif", "--fail-on", "none", sample)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", sample, code, stderr)
		}
		if err := schemaCheck("sarif-schema-2.1.0.json", sarifSchemaID, out); err != nil {
			t.Errorf("%s: %v", sample, err)
		}
	}
	// The validator rejects what the schema forbids.
	bad := `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "connls"}}, "results": [{"message": {"text": "x"}, "level": "fatal"}]}]}`
	if err := schemaCheck("sarif-schema-2.1.0.json", sarifSchemaID, bad); err == nil {
		t.Error("a result of level fatal validated")
	}
}

// TestJUnitReadsBack reads the JUnit report with an independent parser:
// a suite per checked file, a failing case per finding with its severity
// as the failure type, a passing case for a file without findings.
func TestJUnitReadsBack(t *testing.T) {
	out, stderr, code := run(t, "check", "--format", "junit", "testdata/broken")
	if code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	golden(t, "check.broken.junit", out)
	suites, err := junitparser.Ingest([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	jsonOut, _, _ := run(t, "check", "--format", "json", "testdata/broken")
	var findings struct {
		Diagnostics []jsonDiagnostic `json:"diagnostics"`
	}
	if err := json.Unmarshal([]byte(jsonOut), &findings); err != nil {
		t.Fatal(err)
	}
	failed, passed := 0, 0
	byFile := map[string]junitparser.Suite{}
	for _, s := range suites {
		byFile[s.Name] = s
		for _, tc := range s.Tests {
			switch tc.Status {
			case junitparser.StatusFailed:
				failed++
				if tc.Error == nil || tc.Classname != s.Name {
					t.Errorf("%s: a failure without its message or class: %+v", s.Name, tc)
				}
			case junitparser.StatusPassed:
				passed++
			default:
				t.Errorf("%s: status %s", tc.Name, tc.Status)
			}
		}
	}
	if failed != len(findings.Diagnostics) {
		t.Errorf("%d failures for %d findings", failed, len(findings.Diagnostics))
	}
	if len(suites) != 10 || passed != 2 {
		t.Errorf("%d suites, %d passing cases; want a suite per checked file (10), 2 without findings", len(suites), passed)
	}
	d := findings.Diagnostics[0]
	s := byFile[d.File]
	want := fmt.Sprintf("%s at %d:%d", d.Code, d.Line, d.Column)
	if len(s.Tests) == 0 {
		t.Fatalf("no suite for %s", d.File)
	}
	first := s.Tests[0]
	failure, _ := first.Error.(junitparser.Error)
	if first.Name != want || failure.Message != d.Message || failure.Type != d.Severity || !strings.HasPrefix(failure.Body, fmt.Sprintf("%s:%d:%d: ", d.File, d.Line, d.Column)) {
		t.Errorf("first case of %s: %+v %+v, want %s: %s (%s)", d.File, first, failure, want, d.Message, d.Severity)
	}
}

// TestCodeQualityShape checks the GitLab Code Quality report against the
// fields GitLab requires, and that its fingerprints are unique.
func TestCodeQualityShape(t *testing.T) {
	out, stderr, code := run(t, "check", "--format", "codeclimate", "testdata/broken")
	if code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	golden(t, "check.broken.codeclimate", out)
	if err := schemaCheck("gitlab-code-quality.json", "https://connls.test/gitlab-code-quality.json", out); err != nil {
		t.Fatal(err)
	}
	var issues []codeQualityIssue
	if err := json.Unmarshal([]byte(out), &issues); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, is := range issues {
		if seen[is.Fingerprint] {
			t.Errorf("fingerprint %s twice", is.Fingerprint)
		}
		seen[is.Fingerprint] = true
	}
	if len(issues) != 14 || issues[0].Severity != "critical" || issues[0].Location.Path != "testdata/broken/Customer.connid.schema.groovy" {
		t.Errorf("%d issues, first %+v", len(issues), issues[0])
	}
	// A clean workspace is an empty array, which GitLab reads as no issue.
	if out, _, _ := run(t, "check", "--format", "codeclimate", "testdata/ticketdesk"); strings.TrimSpace(out) != "[]" {
		t.Errorf("clean workspace: %q", out)
	}
	// The schema does catch a report GitLab would reject.
	if err := schemaCheck("gitlab-code-quality.json", "https://connls.test/gitlab-code-quality.json", `[{"description": "x", "check_name": "c", "fingerprint": "f", "severity": "error", "location": {"path": "a"}}]`); err == nil {
		t.Error("a report with severity error and no lines validated")
	}
}
