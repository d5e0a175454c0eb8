package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
)

func paths(files []*File) []string {
	var out []string
	for _, f := range files {
		out = append(out, f.Path)
	}
	sort.Strings(out)
	return out
}

func reasons(skipped []Skipped) string {
	var out []string
	for _, s := range skipped {
		out = append(out, filepath.Base(s.Abs)+": "+s.Reason)
	}
	return strings.Join(out, "\n")
}

// TestScanFollowsLinks: a linked root is read like its real folder,
// linked files and folders inside are read under the paths that lead to
// them, a loop is read once, and a dangling link to a workspace file is
// a file that cannot be read.
func TestScanFollowsLinks(t *testing.T) {
	real := t.TempDir()
	write(t, real, "User.native.schema.groovy", "objectClass(\"User\") {}")
	shared := t.TempDir()
	write(t, shared, "Group.native.schema.groovy", "objectClass(\"Group\") {}")
	write(t, shared, "docs/api.yaml", "openapi: 3.0.0")
	os.Symlink(filepath.Join(shared, "Group.native.schema.groovy"), filepath.Join(real, "Group.native.schema.groovy"))
	os.Symlink(filepath.Join(shared, "docs"), filepath.Join(real, "docs"))
	write(t, real, "sub/Sub.search.groovy", "x")
	os.Symlink("..", filepath.Join(real, "sub", "up"))
	os.Symlink(filepath.Join(shared, "missing.groovy"), filepath.Join(real, "Missing.search.groovy"))
	root := filepath.Join(t.TempDir(), "L")
	os.Symlink(real, root)

	res, err := ScanContext(context.Background(), root, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Group.native.schema.groovy", "Missing.search.groovy", "User.native.schema.groovy", "docs/api.yaml", "sub/Sub.search.groovy"}
	if got := paths(res.Files); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("scanned %v, want %v", got, want)
	}
	for _, f := range res.Files {
		if !strings.HasPrefix(f.Abs, root+string(filepath.Separator)) {
			t.Errorf("%s: files keep the path under the root that led to them", f.Abs)
		}
		switch f.Path {
		case "Missing.search.groovy":
			if f.Err == nil || !strings.Contains(f.Err.Error(), "symbolic link") {
				t.Errorf("dangling link: %v", f.Err)
			}
		case "Group.native.schema.groovy":
			if string(f.Text) != "objectClass(\"Group\") {}" {
				t.Errorf("linked file read as %q", f.Text)
			}
		}
	}
	if !strings.Contains(reasons(res.Skipped), "up: the same folder as "+root+" ") || len(res.Skipped) != 1 {
		t.Errorf("the loop must be reported:\n%s", reasons(res.Skipped))
	}
}

func TestScanLimits(t *testing.T) {
	dir := t.TempDir()
	for i := range 30 {
		write(t, dir, fmt.Sprintf("S%02d.search.groovy", i), "x")
	}
	write(t, dir, "a/b/c/d/Deep.search.groovy", "x")
	res, err := ScanContext(context.Background(), dir, Limits{Files: 10, Entries: 1000, Depth: 2, Bytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 10 || !strings.Contains(reasons(res.Skipped), "stopped after 10 files") {
		t.Errorf("files limit: %d files, skipped:\n%s", len(res.Files), reasons(res.Skipped))
	}
	res, _ = ScanContext(context.Background(), dir, Limits{Files: 100, Entries: 1000, Depth: 2, Bytes: 1 << 20})
	if len(res.Files) != 30 || !strings.Contains(reasons(res.Skipped), "c: more than 2 folder levels") {
		t.Errorf("depth limit: %d files, skipped:\n%s", len(res.Files), reasons(res.Skipped))
	}
	res, _ = ScanContext(context.Background(), dir, Limits{Files: 100, Entries: 5, Depth: 9, Bytes: 1 << 20})
	if len(res.Files) > 5 || !strings.Contains(reasons(res.Skipped), "stopped after looking at 5 entries") {
		t.Errorf("entries limit: %d files, skipped:\n%s", len(res.Files), reasons(res.Skipped))
	}
	res, _ = ScanContext(context.Background(), dir, Limits{Files: 100, Entries: 1000, Depth: 9, Bytes: 3})
	if len(res.Files) != 3 || !strings.Contains(reasons(res.Skipped), "stopped after reading") {
		t.Errorf("bytes limit: %d files, skipped:\n%s", len(res.Files), reasons(res.Skipped))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ScanContext(ctx, dir, DefaultLimits); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled scan: %v", err)
	}
}

// TestScanRecoversInterruptedWrite: a change interrupted after its
// journal was written is completed before the folder is read, new files
// included.
func TestScanRecoversInterruptedWrite(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "connector.manifest.json", "old")
	write(t, dir, ".connector.manifest.json"+tempMark+"1", "new manifest")
	write(t, dir, ".User.connid.schema.groovy"+tempMark+"2", "new script")
	write(t, dir, ".connls/commit-1.json", `{"renames":[`+
		`{"from":".User.connid.schema.groovy`+tempMark+`2","to":"User.connid.schema.groovy"},`+
		`{"from":".connector.manifest.json`+tempMark+`1","to":"connector.manifest.json"}]}`)
	files, err := Scan(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range files {
		got[f.Path] = string(f.Text)
	}
	if got["connector.manifest.json"] != "new manifest" || got["User.connid.schema.groovy"] != "new script" || len(got) != 2 {
		t.Errorf("after recovery: %v", got)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".connls", "commit-*")); len(left) > 0 {
		t.Errorf("journal left: %v", left)
	}
}

// TestScanReportsUnreadable: a folder and a file that cannot be read are
// reported, not skipped silently. Root reads everything, so as root the
// scan runs in a helper process as nobody.
func TestScanReportsUnreadable(t *testing.T) {
	dir, err := os.MkdirTemp("", "connls-unreadable")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(filepath.Join(dir, "locked"), 0o755); os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	write(t, dir, "User.native.schema.groovy", "objectClass(\"User\") {}")
	write(t, dir, "locked/Group.native.schema.groovy", "objectClass(\"Group\") {}")
	secret := write(t, dir, "Secret.search.groovy", "x")
	os.Chmod(secret, 0)
	os.Chmod(filepath.Join(dir, "locked"), 0)

	var out scanReport
	if os.Geteuid() == 0 {
		out = scanAsNobody(t, dir)
	} else {
		out = report(ScanContext(context.Background(), dir, DefaultLimits))
	}
	if !strings.Contains(out.Skipped, "locked: cannot read the folder: permission denied") {
		t.Errorf("the unreadable folder must be reported:\n%s", out.Skipped)
	}
	if out.Errors["Secret.search.groovy"] != "permission denied" {
		t.Errorf("the unreadable file must carry its error: %v", out.Errors)
	}
}

type scanReport struct {
	Skipped string
	Errors  map[string]string
}

func report(res ScanResult, err error) scanReport {
	r := scanReport{Skipped: reasons(res.Skipped), Errors: map[string]string{}}
	if err != nil {
		r.Skipped += "\nerror: " + err.Error()
	}
	for _, f := range res.Files {
		if f.Err != nil {
			r.Errors[f.Path] = f.Err.Error()
		}
	}
	return r
}

// TestScanHelper scans CONNLS_SCAN_HELPER_DIR and prints the report.
func TestScanHelper(t *testing.T) {
	dir := os.Getenv("CONNLS_SCAN_HELPER_DIR")
	if dir == "" {
		t.Skip("the helper process of TestScanReportsUnreadable")
	}
	json.NewEncoder(os.Stdout).Encode(report(ScanContext(context.Background(), dir, DefaultLimits)))
	os.Exit(0)
}

// scanAsNobody runs the scan in a copy of the test binary as user nobody.
func scanAsNobody(t *testing.T, dir string) scanReport {
	t.Helper()
	bin := filepath.Join(dir, ".bin")
	os.Mkdir(bin, 0o755)
	exe := filepath.Join(bin, "workspace.test")
	src, err := os.Open(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	dst, err := os.OpenFile(exe, os.O_CREATE|os.O_WRONLY, 0o755)
	if err == nil {
		_, err = io.Copy(dst, src)
		dst.Close()
	}
	src.Close()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestScanHelper$")
	cmd.Env = append(os.Environ(), "CONNLS_SCAN_HELPER_DIR="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	b, err := cmd.Output()
	if err != nil {
		t.Skipf("cannot run the scan as nobody: %v", err)
	}
	var r scanReport
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("helper said %q: %v", b, err)
	}
	return r
}

func TestLoneBuffers(t *testing.T) {
	root := t.TempDir()
	write(t, root, "User.native.schema.groovy", "u")
	w, err := New(root)
	if err != nil {
		t.Fatal(err)
	}
	outside := t.TempDir()
	lone := filepath.Join(outside, "scripts", "X.search.groovy")
	write(t, outside, "scripts/Neighbour.search.groovy", "n")
	w.AddAlone(filepath.Dir(lone))
	s := w.Open(lone, 1, []byte("x"))
	if s.RootOf(lone) != filepath.Dir(lone) || s.File(lone).Root != filepath.Dir(lone) || s.Len() != 2 {
		t.Fatalf("a lone buffer is its own root, and nothing is read beside it: root %q, %d files", s.RootOf(lone), s.Len())
	}
	if s.RootOf(filepath.Join(filepath.Dir(lone), "sub", "Y.search.groovy")) != "" {
		t.Error("a lone root holds only the files of its own folder")
	}
	// Its connector folder comes in: the buffer moves there, the lone
	// root goes.
	s, err = w.AddRoot(context.Background(), outside, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if s.File(lone).Root != outside || s.File(filepath.Join(outside, "scripts", "Neighbour.search.groovy")) == nil || len(s.Roots) != 2 {
		t.Errorf("after the connector folder: root %q, roots %v", s.File(lone).Root, s.Roots)
	}
	// Closed, the last buffer of a lone root takes the root with it.
	other := filepath.Join(t.TempDir(), "Z.search.groovy")
	w.AddAlone(filepath.Dir(other))
	w.Open(other, 1, []byte("z"))
	if s := w.Close(other); len(s.Roots) != 2 || s.File(other) != nil {
		t.Errorf("after closing a lone buffer: roots %v", s.Roots)
	}
}
