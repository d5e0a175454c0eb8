package main

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	yaml "github.com/pb33f/go-yaml"
)

// actionRun is one run of the action's check script.
type actionRun struct {
	stdout, summary string
	outputs         map[string]string
	code            int
}

// runAction runs scripts/action-check.sh as the action's check step does,
// with connls and the GitHub files pointed at temporary ones.
func runAction(t *testing.T, env ...string) actionRun {
	t.Helper()
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	dir := t.TempDir()
	outFile, summaryFile := filepath.Join(dir, "output"), filepath.Join(dir, "summary")
	cmd := exec.Command(filepath.Join(repoRoot, "scripts", "action-check.sh"))
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), "CONNLS="+connls, "GITHUB_OUTPUT="+outFile, "GITHUB_STEP_SUMMARY="+summaryFile, "NO_COLOR=1")
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.Output()
	r := actionRun{stdout: string(out), outputs: map[string]string{}}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(outFile); err == nil {
		sc := bufio.NewScanner(strings.NewReader(string(b)))
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), "="); ok {
				r.outputs[k] = v
			}
		}
	}
	b, _ := os.ReadFile(summaryFile)
	r.summary = string(b)
	return r
}

// TestActionScriptOnTheSamples runs the action's script on the sample
// workspaces: the clean ones pass, the broken one annotates every finding,
// writes a valid SARIF log and reports status 1 (0 with fail-on none).
func TestActionScriptOnTheSamples(t *testing.T) {
	for _, sample := range []string{"testdata/ticketdesk", "testdata/peoplehub"} {
		r := runAction(t, "INPUT_PATH="+sample)
		if r.code != 0 || r.outputs["status"] != "0" || r.outputs["findings"] != "0" || strings.Contains(r.stdout, "::error") {
			t.Errorf("%s: %+v", sample, r)
		}
	}

	sarifFile := filepath.Join(t.TempDir(), "connls.sarif")
	r := runAction(t, "INPUT_PATH=testdata/broken", "INPUT_SARIF=true", "INPUT_SARIF_FILE="+sarifFile)
	if r.code != 0 || r.outputs["status"] != "1" || r.outputs["sarif-file"] != sarifFile {
		t.Fatalf("broken: %+v", r)
	}
	jsonOut, _, _ := run(t, "check", "--format", "json", "testdata/broken")
	var findings struct{ Diagnostics []jsonDiagnostic }
	json.Unmarshal([]byte(jsonOut), &findings)
	annotations := regexp.MustCompile(`(?m)^::(error|warning|notice) file=`).FindAllString(r.stdout, -1)
	if len(annotations) != len(findings.Diagnostics) || r.outputs["findings"] != "14" {
		t.Errorf("%d annotations, findings output %q, for %d findings", len(annotations), r.outputs["findings"], len(findings.Diagnostics))
	}
	if !strings.Contains(r.summary, "10 errors, 3 warnings, 1 info in 8 of 10 files (fail on: error)") {
		t.Errorf("job summary: %q", r.summary)
	}
	sarif, err := os.ReadFile(sarifFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := schemaCheck("sarif-schema-2.1.0.json", sarifSchemaID, string(sarif)); err != nil {
		t.Errorf("the action's SARIF: %v", err)
	}

	if r := runAction(t, "INPUT_PATH=testdata/broken", "INPUT_FAIL_ON=none", "INPUT_ANNOTATIONS=false"); r.outputs["status"] != "0" || strings.Contains(r.stdout, "::error file=") {
		t.Errorf("fail-on none without annotations: %+v", r)
	}
	if r := runAction(t, "INPUT_PATH=testdata/broken", "INPUT_FAIL_ON=sometimes"); r.code != 2 || !strings.Contains(r.stdout, "::error title=connls::fail-on must be") {
		t.Errorf("bad fail-on: %+v", r)
	}
	if r := runAction(t, "INPUT_PATH=testdata/none"); r.code != 2 || r.outputs["status"] != "" {
		t.Errorf("missing folder: %+v", r)
	}
}

// TestActionDefinition reads action.yml: a composite action whose steps
// use only the inputs it declares, whose outputs come from its check step,
// and whose script exists and is executable.
func TestActionDefinition(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Name    string
		Inputs  map[string]struct{ Description, Default string }
		Outputs map[string]struct{ Description, Value string }
		Runs    struct {
			Using string
			Steps []map[string]any
		}
	}
	if err := yaml.Unmarshal(b, &action); err != nil {
		t.Fatal(err)
	}
	if action.Runs.Using != "composite" || len(action.Runs.Steps) == 0 {
		t.Fatalf("not a composite action: %+v", action.Runs)
	}
	for _, m := range regexp.MustCompile(`inputs\.([a-z-]+)`).FindAllStringSubmatch(string(b), -1) {
		if _, ok := action.Inputs[m[1]]; !ok {
			t.Errorf("action.yml uses the undeclared input %s", m[1])
		}
	}
	for name, in := range action.Inputs {
		if in.Description == "" {
			t.Errorf("input %s has no description", name)
		}
		if !strings.Contains(string(b), "inputs."+name) {
			t.Errorf("input %s is never used", name)
		}
	}
	for name, out := range action.Outputs {
		if !strings.Contains(out.Value, "steps.check.outputs.") {
			t.Errorf("output %s = %q does not come from the check step", name, out.Value)
		}
	}
	if fi, err := os.Stat(filepath.Join(repoRoot, "scripts", "action-check.sh")); err != nil || fi.Mode()&0o111 == 0 {
		t.Errorf("scripts/action-check.sh: %v", err)
	}

	var hooks []struct {
		ID, Entry, Language string
		PassFilenames       *bool `yaml:"pass_filenames"`
	}
	b, err = os.ReadFile(filepath.Join(repoRoot, ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &hooks); err != nil {
		t.Fatal(err)
	}
	if len(hooks) < 1 || hooks[0].ID != "connls-check" || hooks[0].Language != "golang" || hooks[0].PassFilenames == nil || *hooks[0].PassFilenames {
		t.Errorf("pre-commit hooks: %+v", hooks)
	}
	for _, h := range hooks {
		args := strings.Fields(h.Entry)
		if args[0] != "connls" {
			t.Errorf("%s: entry %q", h.ID, h.Entry)
			continue
		}
		// The entry runs as written, on a clean copy of a sample.
		parent, _ := copySample(t, "testdata/ticketdesk")
		if _, stderr, code := runIn(t, parent, append(args[1:], "ticketdesk")...); code != 0 {
			t.Errorf("%s: exit %d %s", h.ID, code, stderr)
		}
	}
}
