package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyDir copies a sample workspace into a temporary folder and returns
// the folder that holds the copy, named as the sample.
func copySample(t *testing.T, sample string) (parent, dir string) {
	t.Helper()
	parent = t.TempDir()
	dir = filepath.Join(parent, filepath.Base(sample))
	src := filepath.Join(repoRoot, sample)
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return parent, dir
}

// readTree reads every file under dir, by slash path.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(path)
			rel, _ := filepath.Rel(dir, path)
			files[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	return files
}

// TestCheckFixBrokenSample: --diff shows the fixes and writes nothing;
// --fix writes them (each fixed file is testdata/fixed/broken/PATH.golden,
// named so that no scanner takes it for a connector file; files without a
// safe fix are untouched), lists what is left, keeps the mode
// of a file, leaves no temporary file, and a second run changes nothing.
func TestCheckFixBrokenSample(t *testing.T) {
	parent, dir := copySample(t, "testdata/broken")
	manifest := filepath.Join(dir, "connector.manifest.json")
	if err := os.Chmod(manifest, 0o600); err != nil {
		t.Fatal(err)
	}
	original := readTree(t, dir)

	diff, stderr, code := runIn(t, parent, "check", "--fix", "--diff", "broken")
	if code != 1 {
		t.Errorf("--diff: exit %d, want 1 for the errors left (stderr %s)", code, stderr)
	}
	golden(t, "fix.broken.diff", diff)
	if got := readTree(t, dir); !equalTrees(got, original) {
		t.Fatal("--diff changed files")
	}
	if !strings.Contains(stderr, "connls: would fix broken/Customer.connid.schema.groovy:2:21 connid-name: Change to UID") {
		t.Errorf("--diff does not say what it would fix:\n%s", stderr)
	}

	out, stderr, code := runIn(t, parent, "check", "--fix", "broken")
	if code != 1 {
		t.Errorf("--fix: exit %d, want 1 for the errors left (stderr %s)", code, stderr)
	}
	golden(t, "fix.broken.left", out)
	if !strings.Contains(stderr, "connls: fixed broken/Invoice.connid.schema.groovy:2:26 command-chain: Insert the missing comma") ||
		!strings.Contains(stderr, "2 errors, 3 warnings, 2 info in 5 of 10 files") {
		t.Errorf("stderr:\n%s", stderr)
	}
	fixed := readTree(t, dir)
	want := filepath.Join("testdata", "fixed", "broken")
	for path, text := range fixed {
		if strings.Contains(path, ".connls-tmp-") {
			t.Errorf("a temporary file was left: %s", path)
		}
		if text == original[path] {
			if _, err := os.Stat(filepath.Join(want, path+".golden")); err == nil {
				t.Errorf("%s was not fixed", path)
			}
			continue
		}
		golden := filepath.Join(want, path+".golden")
		if *update {
			os.MkdirAll(filepath.Dir(golden), 0o755)
			os.WriteFile(golden, []byte(text), 0o644)
		}
		b, err := os.ReadFile(golden)
		if err != nil {
			t.Errorf("%s changed, but %s has no expected version", path, want)
			continue
		}
		if text != string(b) {
			t.Errorf("%s differs from the expected fix:\n%s", path, diffLines(string(b), text))
		}
	}
	if fi, err := os.Stat(manifest); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the manifest's mode was not kept: %v %v", fi.Mode(), err)
	}
	// The diff shown was the change made.
	for _, f := range []string{"Customer.connid.schema.groovy", "connector.manifest.json"} {
		if fixed[f] == original[f] || !strings.Contains(diff, "+++ b/broken/"+f) {
			t.Errorf("%s: the diff and the change disagree", f)
		}
	}

	again, stderr, _ := runIn(t, parent, "check", "--fix", "broken")
	if got := readTree(t, dir); !equalTrees(got, fixed) || strings.Contains(stderr, "connls: fixed") || again != out {
		t.Errorf("a second --fix changed something:\n%s", stderr)
	}
}

func equalTrees(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestCheckFixCleanSample: on a clean workspace --fix writes nothing.
func TestCheckFixCleanSample(t *testing.T) {
	parent, dir := copySample(t, "testdata/ticketdesk")
	before := readTree(t, dir)
	out, stderr, code := runIn(t, parent, "check", "--fix", "ticketdesk")
	if code != 0 || out != "" || strings.Contains(stderr, "fixed") || !equalTrees(readTree(t, dir), before) {
		t.Errorf("exit %d, %q %q", code, out, stderr)
	}
}

// TestWriteFilesRefusesOutside: a workspace file that is a symbolic link
// to a file outside the workspace is never written.
func TestWriteFilesRefusesOutside(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	target := filepath.Join(outside, "A.native.schema.groovy")
	os.WriteFile(target, []byte("old"), 0o644)
	link := filepath.Join(root, "A.native.schema.groovy")
	if err := os.Symlink(target, link); err != nil {
		t.Skip(err)
	}
	err := writeFiles([]string{root}, []fileWrite{{Abs: link, Data: []byte("new")}})
	if err == nil || !strings.Contains(err.Error(), "outside the workspace") {
		t.Errorf("err = %v", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "old" {
		t.Errorf("the file outside was written: %q", b)
	}
	inside := filepath.Join(root, "B.native.schema.groovy")
	os.WriteFile(inside, []byte("old"), 0o640)
	if err := writeFiles([]string{root}, []fileWrite{{Abs: inside, Data: []byte("new")}}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(inside); string(b) != "new" {
		t.Errorf("inside: %q", b)
	}
	if fi, _ := os.Stat(inside); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", fi.Mode().Perm())
	}
}
