package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Robustness of the commands: links, empty workspaces, unreadable files,
// and writes that are refused, fill the disk or are killed.

// findings returns the findings of check's text output without their
// paths' folders, sorted, so that two spellings of one workspace compare.
func findings(out string) []string {
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l != "" {
			lines = append(lines, filepath.Base(l))
		}
	}
	sort.Strings(lines)
	return lines
}

// TestCheckLinkedWorkspace: a workspace reached through a symbolic link
// is checked like its real path.
func TestCheckLinkedWorkspace(t *testing.T) {
	link := filepath.Join(t.TempDir(), "L")
	if err := os.Symlink(filepath.Join(repoRoot, "testdata", "broken"), link); err != nil {
		t.Fatal(err)
	}
	want, _, wantCode := run(t, "check", "testdata/broken")
	got, stderr, code := run(t, "check", link)
	if code != wantCode || code != 1 || strings.Join(findings(got), "\n") != strings.Join(findings(want), "\n") {
		t.Errorf("check through a link: exit %d (want %d) %s\n%s\nwant:\n%s", code, wantCode, stderr, got, want)
	}
	out, _, code := run(t, "inspect", link)
	if code != 0 || !strings.Contains(out, "object class Customer") {
		t.Errorf("inspect through a link: exit %d\n%s", code, out)
	}
}

// TestCheckNoConnectorFiles: a folder without connector files is a usage
// error with a message, not a green check.
func TestCheckNoConnectorFiles(t *testing.T) {
	empty := t.TempDir()
	docsOnly := t.TempDir()
	os.WriteFile(filepath.Join(docsOnly, "README.md"), []byte("# notes\n"), 0o644)
	for _, dir := range []string{empty, docsOnly} {
		for _, cmd := range []string{"check", "inspect"} {
			_, stderr, code := run(t, cmd, dir)
			if code != 2 || !strings.Contains(stderr, "no connector files in "+dir) {
				t.Errorf("%s %s: exit %d, %q", cmd, dir, code, stderr)
			}
		}
	}
	// An API description alone is where a connector starts: inspect and
	// generate read it; check still wants connector files.
	api := t.TempDir()
	os.WriteFile(filepath.Join(api, "api.yaml"), []byte(apiOnly), 0o644)
	if out, stderr, code := run(t, "inspect", api); code != 0 || !strings.Contains(out, "object class User") {
		t.Errorf("inspect of an API description alone: exit %d %s\n%s", code, stderr, out)
	}
	// The mapping needs the native schema first, and says so.
	if _, stderr, code := run(t, "generate", "connid", "--class", "User", api); code != 3 || !strings.Contains(stderr, "generate native --class User") {
		t.Errorf("generate connid from an API description alone: exit %d %s", code, stderr)
	}
	if _, _, code := run(t, "check", api); code != 2 {
		t.Errorf("check of an API description alone: exit %d, want 2", code)
	}
	// The native schema first, then the mapping: both from the
	// description alone, and check passes on the result.
	if _, stderr, code := run(t, "generate", "native", "--class", "User", "--write", api); code != 0 {
		t.Fatalf("generate native from an API description alone: exit %d %s", code, stderr)
	}
	if _, stderr, code := run(t, "generate", "connid", "--class", "User", "--write", api); code != 0 {
		t.Fatalf("generate connid after native: exit %d %s", code, stderr)
	}
	if out, stderr, code := run(t, "check", api); code != 0 {
		t.Errorf("check after native and connid: exit %d %s\n%s", code, stderr, out)
	}
}

const apiOnly = `openapi: 3.0.3
info: {title: people, version: "1"}
paths:
  /users:
    get:
      responses:
        "200":
          description: the users
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/User"}}
  /users/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: one user
          content:
            application/json:
              schema: {$ref: "#/components/schemas/User"}
components:
  schemas:
    User:
      type: object
      required: [userName]
      properties:
        id: {type: string, readOnly: true}
        userName: {type: string}
        email: {type: string}
`

// TestCheckReportsUnreadable: an unreadable folder and an unreadable
// file are findings. Root reads everything, so as root the binary runs
// as nobody.
func TestCheckReportsUnreadable(t *testing.T) {
	dir, err := os.MkdirTemp("", "connls-unreadable")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(filepath.Join(dir, "ws", "locked"), 0o755); os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	ws := filepath.Join(dir, "ws")
	os.Mkdir(ws, 0o755)
	groupWorkspace(t, ws)
	os.MkdirAll(filepath.Join(ws, "locked"), 0o755)
	os.WriteFile(filepath.Join(ws, "locked", "User.native.schema.groovy"), []byte("objectClass(\"User\") {}\n"), 0o644)
	os.Chmod(filepath.Join(ws, "Group.search.groovy"), 0)
	os.Chmod(filepath.Join(ws, "locked"), 0)
	filepath.WalkDir(ws, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Name() != "locked" && d.Name() != "Group.search.groovy" {
			os.Chmod(p, 0o755)
		}
		return nil
	})

	bin := connls
	cmd := exec.Command(bin, "check", ws)
	if os.Geteuid() == 0 {
		bin = filepath.Join(dir, "connls")
		copyFile(t, connls, bin)
		cmd = exec.Command(bin, "check", ws)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	err = cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("check: %v %s\n%s", err, stderr.String(), out.String())
	}
	text := out.String()
	if !regexp.MustCompile(`locked:1:1: warning scan-skipped: not read: cannot read the folder: permission denied`).MatchString(text) {
		t.Errorf("the unreadable folder is not reported:\n%s", text)
	}
	if !regexp.MustCompile(`Group.search.groovy:1:1: error file-unreadable: connls cannot read this file: permission denied`).MatchString(text) {
		t.Errorf("the unreadable file is not reported as such:\n%s", text)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	dst.Close()
}

// TestGenerateRefusesLinksOutside: generate --write never writes through
// a link that leads outside the workspace, and says which link it is.
func TestGenerateRefusesLinksOutside(t *testing.T) {
	elsewhere := t.TempDir()
	check := func(name string, dir string, wantErr ...string) {
		t.Helper()
		manifest, _ := os.ReadFile(filepath.Join(dir, "connector.manifest.json"))
		_, stderr, code := run(t, "generate", "update", "--class", "Group", "--write", dir)
		if code != 2 {
			t.Errorf("%s: exit %d, %s", name, code, stderr)
		}
		for _, w := range wantErr {
			if !strings.Contains(stderr, w) {
				t.Errorf("%s: the error does not say %q: %s", name, w, stderr)
			}
		}
		if now, _ := os.ReadFile(filepath.Join(dir, "connector.manifest.json")); !bytes.Equal(now, manifest) {
			t.Errorf("%s: the manifest was changed by a refused generation", name)
		}
		if entries, _ := os.ReadDir(elsewhere); len(entries) > 1 {
			t.Errorf("%s: something was written outside: %v", name, entries)
		}
	}

	dir := groupWorkspace(t, t.TempDir())
	os.Symlink(filepath.Join(elsewhere, "pwned.groovy"), filepath.Join(dir, "Group.update.op.groovy"))
	check("a dangling link", dir, "symbolic link", "pwned.groovy", "does not exist")
	if _, err := os.Lstat(filepath.Join(elsewhere, "pwned.groovy")); err == nil {
		t.Fatal("generate --write created the file a dangling link points to")
	}

	dir = groupWorkspace(t, t.TempDir())
	theirs := filepath.Join(elsewhere, "theirs.groovy")
	os.WriteFile(theirs, []byte("// theirs: /elsewhere\n"), 0o644)
	os.Symlink(theirs, filepath.Join(dir, "Group.update.op.groovy"))
	check("a link to an outside file", dir, "outside the workspace", "theirs.groovy")
	if b, _ := os.ReadFile(theirs); !strings.Contains(string(b), "/elsewhere") {
		t.Error("the outside file was changed")
	}

	dir = groupWorkspace(t, t.TempDir())
	state := t.TempDir()
	os.Symlink(state, filepath.Join(dir, ".connls"))
	check("a linked .connls", dir, ".connls is a symbolic link", "outside the workspace")
	if _, err := os.Stat(filepath.Join(dir, "Group.update.op.groovy")); err == nil {
		t.Error("the script was written although its record could not be")
	}
	if entries, _ := os.ReadDir(state); len(entries) > 0 {
		t.Errorf("written into the linked .connls: %v", entries)
	}
}

// generated reports the state of a group workspace after generate
// update --write: "old" (nothing written) or "new" (script, manifest
// entry and record), failing on anything between or invalid.
func generated(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "connector.manifest.json"))
	if err != nil || !json.Valid(b) {
		t.Fatalf("the manifest is not valid JSON (%d bytes, %v):\n%s", len(b), err, b)
	}
	listed := strings.Contains(string(b), "/Group.update.op.groovy")
	script, serr := os.ReadFile(filepath.Join(dir, "Group.update.op.groovy"))
	// Nothing but the scripts is written: the generated block carries its
	// marker, and no state goes beside the connector's sources.
	_, rerr := os.Stat(filepath.Join(dir, ".connls", "generated.json"))
	switch {
	case rerr == nil:
		t.Fatalf("generation wrote a state file in %s", dir)
	case !listed && serr != nil:
		return "old"
	case listed && serr == nil && strings.Contains(string(script), "objectClass(\"Group\")") && strings.Contains(string(script), "// generated by connls: sha256:"):
		return "new"
	}
	t.Fatalf("a mixed state: listed %v, script %v (%d bytes)", listed, serr, len(script))
	return ""
}

// TestGenerateWriteFullDisk: generate --write on a full file system fails
// with a message and leaves every file as it was; with room, it works.
func TestGenerateWriteFullDisk(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	os.Mkdir(dir, 0o755)
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=512k"); err != nil {
		t.Skipf("cannot mount a small tmpfs (%v); workspace.TestWriteFullDisk injects the error instead", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, 0) })
	groupWorkspace(t, dir)
	filler := filepath.Join(dir, "filler")
	f, _ := os.Create(filler)
	for {
		if _, err := f.Write(make([]byte, 4096)); err != nil {
			break
		}
	}
	f.Close()
	manifest, _ := os.ReadFile(filepath.Join(dir, "connector.manifest.json"))
	_, stderr, code := run(t, "generate", "update", "--class", "Group", "--write", dir)
	if code != 2 || !strings.Contains(stderr, "no space left on device") || !strings.Contains(stderr, "nothing was changed") {
		t.Errorf("on a full disk: exit %d, %s", code, stderr)
	}
	if generated(t, dir) != "old" {
		t.Error("a failed write changed the workspace")
	}
	if now, _ := os.ReadFile(filepath.Join(dir, "connector.manifest.json")); !bytes.Equal(now, manifest) {
		t.Error("the manifest changed")
	}
	os.Remove(filler)
	if _, stderr, code := run(t, "generate", "update", "--class", "Group", "--write", dir); code != 0 || generated(t, dir) != "new" {
		t.Errorf("with room again: exit %d, %s", code, stderr)
	}
}

// TestGenerateWriteKilled kills generate --write at random points: the
// workspace is then old or new, never between, once connls has read it
// again (which completes an interrupted change).
func TestGenerateWriteKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("runs generate 20 times")
	}
	// How long a whole run takes, to spread the kills over it.
	dir := groupWorkspace(t, t.TempDir())
	start := time.Now()
	if _, stderr, code := run(t, "generate", "update", "--class", "Group", "--write", dir); code != 0 {
		t.Fatalf("generate: %s", stderr)
	}
	whole := time.Since(start)
	counts := map[string]int{}
	for range 20 {
		dir := groupWorkspace(t, t.TempDir())
		cmd := exec.Command(connls, "generate", "update", "--class", "Group", "--write", dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rand.Int64N(int64(whole))))
		cmd.Process.Kill()
		cmd.Wait()
		if out, stderr, code := run(t, "check", dir); code != 0 {
			t.Fatalf("check after a kill: exit %d %s\n%s", code, stderr, out)
		}
		counts[generated(t, dir)]++
	}
	t.Logf("after 20 kills spread over %v: %v", whole, counts)
}
