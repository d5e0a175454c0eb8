package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
)

var update = flag.Bool("update", false, "rewrite golden files")

// connls is the binary under test, built once by TestMain.
var connls string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "connls-test")
	if err != nil {
		panic(err)
	}
	connls = filepath.Join(dir, "connls")
	if runtime.GOOS == "windows" {
		connls += ".exe"
	}
	// The version is pinned so that the goldens do not change per commit.
	build := exec.Command("go", "build", "-ldflags", "-X main.version=dev", "-o", connls, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// repoRoot is where the commands run, so that paths print as
// testdata/broken/... the way a user in the repository would see them.
var repoRoot, _ = filepath.Abs(filepath.Join("..", ".."))

func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	return runIn(t, repoRoot, args...)
}

// runIn runs connls in a directory, so that paths print relative to it.
func runIn(t *testing.T, dir string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(connls, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return stdout.String(), stderr.String(), code
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/connls -update)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s:\n%s", path, diffLines(string(want), got))
	}
}

func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("- " + wl + "\n+ " + gl + "\n")
		}
	}
	return b.String()
}

func TestCheckBrokenSampleInEveryFormat(t *testing.T) {
	for _, format := range []string{"text", "json", "sarif", "github"} {
		t.Run(format, func(t *testing.T) {
			out, stderr, code := run(t, "check", "--format", format, "testdata/broken")
			if code != 1 {
				t.Errorf("exit code %d, want 1 (stderr %q)", code, stderr)
			}
			golden(t, "check.broken."+format, out)
			if format == "sarif" {
				rep, err := sarif.FromString(out, sarif.WithStrictValidation())
				if err != nil {
					t.Fatalf("not valid SARIF 2.1.0: %v", err)
				}
				if err := rep.Validate(); err != nil {
					t.Fatalf("SARIF does not validate against the 2.1.0 schema: %v", err)
				}
				res := rep.Runs[0].Results
				if len(res) == 0 || res[0].PartialFingerprints["connls/v1"] == "" || res[0].Locations[0].PhysicalLocation.Region.EndColumn == nil {
					t.Errorf("results need fingerprints and full regions: %+v", res[0])
				}
				if len(rep.Runs[0].Tool.Driver.Rules) < 40 {
					t.Errorf("every rule should be described, got %d", len(rep.Runs[0].Tool.Driver.Rules))
				}
			}
		})
	}
}

func TestCheckCleanSamples(t *testing.T) {
	for _, sample := range []string{"testdata/ticketdesk", "testdata/peoplehub"} {
		out, stderr, code := run(t, "check", sample)
		if code != 0 || out != "" {
			t.Errorf("%s: exit %d, output %q %q; a clean sample prints nothing and exits 0", sample, code, out, stderr)
		}
	}
}

func TestCheckExitCodes(t *testing.T) {
	dir := t.TempDir()
	// Only a warning: path-placeholder.
	os.WriteFile(filepath.Join(dir, "A.native.schema.groovy"), []byte(`objectClass("A") {
    attribute("id") { jsonType "string"; creatable false; updateable false }
    attribute("name") { jsonType "string" }
    connIdAttribute("UID", "id")
    connIdAttribute("NAME", "name")
}
`), 0o644)
	os.WriteFile(filepath.Join(dir, "A.delete.op.groovy"), []byte(`objectClass("A") {
    delete { endpoint("/a/{key}") }
}
`), 0o644)
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"check", dir}, 0},
		{[]string{"check", "--fail-on", "warning", dir}, 1},
		{[]string{"check", "--fail-on", "none", "testdata/broken"}, 0},
		{[]string{"check", "--fail-on", "sometimes", dir}, 2},
		{[]string{"check", "--format", "xml", dir}, 2},
		{[]string{"check", filepath.Join(dir, "missing")}, 2},
		{[]string{"check", "a", "b"}, 2},
	} {
		_, stderr, code := run(t, tc.args...)
		if code != tc.code {
			t.Errorf("%v: exit %d, want %d (stderr %q)", tc.args, code, tc.code, stderr)
		}
	}
}

func TestSARIFFingerprintsSurviveMovedLines(t *testing.T) {
	dir := t.TempDir()
	script := `objectClass("A") {
    attribute("id") { jsonType "int" }
}
`
	path := filepath.Join(dir, "A.native.schema.groovy")
	os.WriteFile(path, []byte(script), 0o644)
	first, _, _ := run(t, "check", "--format", "sarif", dir)
	os.WriteFile(path, []byte("// a new first line\n\n"+script), 0o644)
	second, _, _ := run(t, "check", "--format", "sarif", dir)
	fp := func(out string) []string {
		rep, err := sarif.FromString(out)
		if err != nil {
			t.Fatal(err)
		}
		var fps []string
		for _, r := range rep.Runs[0].Results {
			fps = append(fps, *r.RuleID+"="+r.PartialFingerprints["connls/v1"])
		}
		return fps
	}
	a, b := fp(first), fp(second)
	if len(a) == 0 || strings.Join(a, ",") != strings.Join(b, ",") {
		t.Errorf("fingerprints changed when lines moved:\n%v\n%v", a, b)
	}
}

func TestHelpOnEveryCommand(t *testing.T) {
	for _, c := range []string{"serve", "check", "inspect", "generate", "version"} {
		out, _, code := run(t, c, "--help")
		if code != 0 || !strings.Contains(out, "Usage:") || len(out) < 60 {
			t.Errorf("%s --help: exit %d, %q", c, code, out)
		}
	}
}

func TestGenerateCommand(t *testing.T) {
	out, stderr, code := run(t, "generate", "connid", "--class", "User", "testdata/ticketdesk")
	if code != 0 || !strings.Contains(out, `connIdAttribute("UID", "id")`) || !strings.Contains(stderr, "UID id:") {
		t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
	}
	// Into a copy without the update script: --diff shows the new file
	// and the manifest entry; --write writes them; a second --write
	// changes nothing.
	dir := groupWorkspace(t, t.TempDir())
	diff, _, code := run(t, "generate", "update", "--class", "Group", "--diff", dir)
	if code != 0 || !strings.Contains(diff, "+++ b/Group.update.op.groovy") || !strings.Contains(diff, `+      { "script": "/Group.update.op.groovy" }`) {
		t.Fatalf("diff (exit %d):\n%s", code, diff)
	}
	_, stderr, code = run(t, "generate", "update", "--class", "Group", "--write", dir)
	if code != 0 || !strings.Contains(stderr, "created Group.update.op.groovy") {
		t.Fatalf("write: exit %d %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, ".connls")); err == nil {
		t.Error("generation wrote state beside the connector's sources")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "Group.update.op.groovy")); !strings.Contains(string(b), "// generated by connls: sha256:") {
		t.Errorf("no marker in the generated block:\n%s", b)
	}
	_, stderr, _ = run(t, "generate", "update", "--class", "Group", "--write", dir)
	if !strings.Contains(stderr, "unchanged, nothing written") {
		t.Errorf("second write: %s", stderr)
	}
	out, _, code = run(t, "check", dir)
	if code != 0 || out != "" {
		t.Errorf("the generated workspace checks with findings (exit %d):\n%s", code, out)
	}
	_, stderr, code = run(t, "generate", "update", "--class", "Nope", dir)
	if code != 3 || !strings.Contains(stderr, `object class "Nope" not found in the workspace; its classes are Group`) {
		t.Errorf("unknown class: exit %d %s", code, stderr)
	}
	// Nothing to generate from is not a usage error either.
	tags := t.TempDir()
	os.WriteFile(filepath.Join(tags, "Tag.native.schema.groovy"), []byte("objectClass(\"Tag\") {\n    attribute(\"label\") { jsonType \"string\" }\n}\n"), 0o644)
	_, stderr, code = run(t, "generate", "update", "--class", "Tag", tags)
	if code != 3 || !strings.Contains(stderr, "No endpoints found for updating Tag") {
		t.Errorf("no update endpoint: exit %d %s", code, stderr)
	}
	_, _, code = run(t, "generate", "sideways", "--class", "Tag", tags)
	if code != 2 {
		t.Errorf("unknown kind: exit %d, want 2", code)
	}
}

// TestAPICommand starts `connls api` on a free loopback port, asks it
// for its health and its description, and stops it with SIGINT.
func TestAPICommand(t *testing.T) {
	cmd := exec.Command(connls, "api", "--listen", "127.0.0.1:0", "--data", t.TempDir())
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(stderr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(line, "listening on ")
	if !ok {
		t.Fatalf("no address in %q", line)
	}
	base := strings.Fields(rest)[0]
	for _, path := range []string{"/health", "/openapi.json"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
	}
	cmd.Process.Signal(os.Interrupt)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGINT: %v", err)
	}
	if _, _, code := run(t, "api"); code != 2 {
		t.Fatalf("api without --data: exit %d", code)
	}
	// A shared API is not served without credentials.
	for _, args := range [][]string{
		{"api", "--database", "postgres://connls:secret@127.0.0.1:1/db"},
		{"api", "--data", t.TempDir(), "--listen", "0.0.0.0:0"},
	} {
		_, stderr, code := run(t, args...)
		if code != 2 || !strings.Contains(stderr, "a shared API needs credentials") || strings.Contains(stderr, "secret") {
			t.Errorf("%v: exit %d %s", args, code, stderr)
		}
	}
	token, line, code := run(t, "api", "token", "alice")
	sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
	if code != 0 || !strings.Contains(line, "alice sha256:"+hex.EncodeToString(sum[:])) {
		t.Errorf("api token: exit %d %q %q", code, token, line)
	}
}

// TestSailPointRegister: a dry run prints the request; --apply against a
// fake tenant creates the connector and stores its scriptName; no token
// or secret reaches the output, even with --verbose.
func TestSailPointRegister(t *testing.T) {
	const token, secret = "TOKEN-abcdef-123456", "SECRET-987654"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/oauth/token" && r.FormValue("client_secret") == secret:
			fmt.Fprintf(w, `{"access_token": %q}`, token)
		case r.URL.Path == "/v3/connectors" && r.Header.Get("Authorization") == "Bearer "+token:
			w.WriteHeader(http.StatusCreated)
			fmt.Fprint(w, `{"name": "TicketDesk", "scriptName": "ticketdesk-9", "status": "DEVELOPMENT"}`)
		default:
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, `{"error": "bad token %s"}`, r.Header.Get("Authorization"))
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	file := filepath.Join(dir, "sailpoint.connector.json")
	os.WriteFile(file, []byte("{\n  \"name\": \"TicketDesk\",\n  \"status\": \"DEVELOPMENT\"\n}\n"), 0o644)

	out, _, code := run(t, "sailpoint", "register", dir, "--tenant", srv.URL)
	if code != 0 || !strings.Contains(out, "POST "+srv.URL+"/v3/connectors") || !strings.Contains(out, `"name": "TicketDesk"`) {
		t.Fatalf("dry run: %d\n%s", code, out)
	}
	if text, _ := os.ReadFile(file); strings.Contains(string(text), "scriptName") {
		t.Fatal("a dry run changed the file")
	}

	cmd := exec.Command(connls, "sailpoint", "register", dir, "--tenant", srv.URL, "--apply", "--verbose")
	cmd.Env = append(os.Environ(), "SAIL_CLIENT_ID=id", "SAIL_CLIENT_SECRET="+secret)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v\n%s%s", err, stdout.String(), stderr.String())
	}
	all := stdout.String() + stderr.String()
	if !strings.Contains(stdout.String(), "created connector TicketDesk (scriptName ticketdesk-9)") || !strings.Contains(stderr.String(), "POST /v3/connectors -> 201") && !strings.Contains(stderr.String(), "/v3/connectors -> 201") {
		t.Fatalf("output:\n%s", all)
	}
	if strings.Contains(all, token) || strings.Contains(all, secret) {
		t.Fatalf("a secret was printed:\n%s", all)
	}
	if text, _ := os.ReadFile(file); !strings.Contains(string(text), `"scriptName": "ticketdesk-9"`) {
		t.Fatalf("file:\n%s", text)
	}
}

// groupWorkspace writes into dir a copy of the ticketdesk sample's Group
// class without its update script, ready for generate update --write.
func groupWorkspace(t *testing.T, dir string) string {
	t.Helper()
	for _, f := range []string{"Group.native.schema.groovy", "Group.connid.schema.groovy", "connector.manifest.json"} {
		b, _ := os.ReadFile(filepath.Join(repoRoot, "testdata", "ticketdesk", f))
		if f == "connector.manifest.json" {
			b = []byte(`{
  "connector": {
    "schema": [
      { "script": "/Group.native.schema.groovy" },
      { "script": "/Group.connid.schema.groovy" }
    ],
    "operation": [
      { "script": "/Group.search.groovy" }
    ]
  }
}
`)
		}
		os.WriteFile(filepath.Join(dir, f), b, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "Group.search.groovy"), []byte("objectClass(\"Group\") {\n    search { endpoint(\"/groups\") }\n}\n"), 0o644)
	os.MkdirAll(filepath.Join(dir, "docs"), 0o755)
	doc, _ := os.ReadFile(filepath.Join(repoRoot, "testdata", "ticketdesk", "docs", "openapi.yaml"))
	os.WriteFile(filepath.Join(dir, "docs", "openapi.yaml"), doc, 0o644)
	return dir
}
