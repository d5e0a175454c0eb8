package workspace

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestWriteFileReplacesAndKeepsMode(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "generate.sh", "old")
	if err := os.Chmod(p, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(dir, Write{Abs: p, Data: []byte("new")}); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(p)
	if err != nil || info.Mode().Perm() != 0o750 {
		t.Fatalf("mode after the write: %v %v", info.Mode(), err)
	}
	if b, _ := os.ReadFile(p); string(b) != "new" {
		t.Errorf("content %q", b)
	}
	fresh := filepath.Join(dir, "sub", "deeper", "New.connid.schema.groovy")
	if err := WriteFile(dir, Write{Abs: fresh, Data: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(fresh); err != nil || info.Mode().Perm() != 0o644 {
		t.Errorf("a new file is created 0644 with its folders: %v %v", info, err)
	}
	assertNoTemps(t, dir)
}

func assertNoTemps(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), tempMark) {
			t.Errorf("temporary file left behind: %s", p)
		}
		return nil
	})
}

// TestWriteRefusesLinksOutside: a dangling link, a link to an outside
// file and a linked folder that leads outside are refused, with messages
// that say so, and nothing is created outside.
func TestWriteRefusesLinksOutside(t *testing.T) {
	dir, elsewhere := t.TempDir(), t.TempDir()
	dangling := filepath.Join(dir, "User.connid.schema.groovy")
	if err := os.Symlink(filepath.Join(elsewhere, "pwned.groovy"), dangling); err != nil {
		t.Fatal(err)
	}
	err := WriteFile(dir, Write{Abs: dangling, Data: []byte("x")})
	if err == nil || !strings.Contains(err.Error(), "symbolic link") || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("dangling link: %v", err)
	}
	if _, err := os.Lstat(filepath.Join(elsewhere, "pwned.groovy")); err == nil {
		t.Fatal("a write through a dangling link created the outside file")
	}

	outsideFile := write(t, elsewhere, "existing.groovy", "theirs")
	link := filepath.Join(dir, "Group.connid.schema.groovy")
	os.Symlink(outsideFile, link)
	err = WriteFile(dir, Write{Abs: link, Data: []byte("x")})
	if !errors.Is(err, ErrOutside) || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("link to an outside file: %v", err)
	}
	if b, _ := os.ReadFile(outsideFile); string(b) != "theirs" {
		t.Error("the outside file was changed")
	}

	os.Symlink(elsewhere, filepath.Join(dir, ".connls"))
	err = WriteFile(dir, Write{Abs: filepath.Join(dir, ".connls", "generated.json"), Data: []byte("{}")})
	if !errors.Is(err, ErrOutside) || !strings.Contains(err.Error(), ".connls is a symbolic link") {
		t.Errorf("linked folder: %v", err)
	}
	if _, err := os.Stat(filepath.Join(elsewhere, "generated.json")); err == nil {
		t.Error("generated.json was written outside")
	}

	os.Symlink(filepath.Join(elsewhere, "missing"), filepath.Join(dir, "gone"))
	err = WriteFile(dir, Write{Abs: filepath.Join(dir, "gone", "X.groovy"), Data: []byte("x")})
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("dangling linked folder: %v", err)
	}
	if _, err := os.Stat(filepath.Join(elsewhere, "missing")); err == nil {
		t.Error("a folder was created outside")
	}

	// A multi-file change with one bad file writes nothing.
	good := write(t, dir, "connector.manifest.json", "{}")
	err = WriteFiles([]string{dir}, []Write{{Abs: good, Data: []byte(`{"new":1}`)}, {Abs: dangling, Data: []byte("x")}})
	if err == nil {
		t.Error("a change with a file outside must be refused")
	}
	if b, _ := os.ReadFile(good); string(b) != "{}" {
		t.Error("a refused change wrote some of its files")
	}
}

// TestWriteThroughLinksInside: links that stay inside the workspace are
// written through (the link is kept), and a linked workspace root is
// written like its real folder.
func TestWriteThroughLinksInside(t *testing.T) {
	real := t.TempDir()
	target := write(t, real, "shared/User.native.schema.groovy", "old")
	link := filepath.Join(real, "User.native.schema.groovy")
	os.Symlink(filepath.Join("shared", "User.native.schema.groovy"), link)
	if err := WriteFile(real, Write{Abs: link, Data: []byte("new")}); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Lstat(link); info.Mode()&fs.ModeSymlink == 0 {
		t.Error("the link was replaced by a file")
	}
	if b, _ := os.ReadFile(target); string(b) != "new" {
		t.Errorf("the link's target holds %q", b)
	}

	root := filepath.Join(t.TempDir(), "L")
	os.Symlink(real, root)
	if err := WriteFiles([]string{root}, []Write{
		{Abs: filepath.Join(root, "A.connid.schema.groovy"), Data: []byte("a")},
		{Abs: filepath.Join(root, ".connls", "generated.json"), Data: []byte("{}")},
	}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(real, "A.connid.schema.groovy")); string(b) != "a" {
		t.Error("a write under a linked root must land in the real folder")
	}
	assertNoTemps(t, real)
	if js, _ := filepath.Glob(filepath.Join(real, ".connls", "commit-*")); len(js) > 0 {
		t.Errorf("journal left behind: %v", js)
	}
}

func TestRecoverRefusesForeignJournals(t *testing.T) {
	dir, elsewhere := t.TempDir(), t.TempDir()
	tmp := write(t, dir, ".x"+tempMark+"1", "payload")
	os.Symlink(elsewhere, filepath.Join(dir, "out"))
	write(t, dir, ".connls/commit-1.json", `{"renames":[{"from":"`+filepath.Base(tmp)+`","to":"out/stolen"}]}`)
	if err := Recover(dir); err == nil {
		t.Error("a journal whose target leaves the folder must be refused")
	}
	if _, err := os.Stat(filepath.Join(elsewhere, "stolen")); err == nil {
		t.Error("recovery moved a file outside")
	}
	write(t, dir, ".connls/commit-1.json", `{"renames":[{"from":"../../etc/passwd","to":"x"}]}`)
	if err := Recover(dir); err == nil {
		t.Error("a journal naming files outside must be refused")
	}
}

// change is a multi-file change whose files all carry its generation, so
// a mix of two changes shows.
func change(dir string, gen int) []Write {
	pad := strings.Repeat("x", 20_000+gen%7*9_000)
	doc := func(name string) []byte {
		b, _ := json.Marshal(map[string]any{"gen": gen, "file": name, "pad": pad})
		return b
	}
	return []Write{
		{Abs: filepath.Join(dir, "User.connid.schema.groovy"), Data: doc("script")},
		{Abs: filepath.Join(dir, "connector.manifest.json"), Data: doc("manifest")},
		{Abs: filepath.Join(dir, ".connls", "generated.json"), Data: doc("record")},
	}
}

// generations reads the generation of every file of a change, failing
// on a file that is not valid, complete JSON.
func generations(t *testing.T, dir string) []int {
	t.Helper()
	var gens []int
	for _, w := range change(dir, 0) {
		b, err := os.ReadFile(w.Abs)
		if err != nil {
			t.Fatalf("%s: %v", w.Abs, err)
		}
		var v struct{ Gen int }
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("%s is not valid JSON (%d bytes): %v", filepath.Base(w.Abs), len(b), err)
		}
		gens = append(gens, v.Gen)
	}
	return gens
}

// TestWriteHelper is the process that TestWriteKilled kills: it writes
// changes in a loop until it dies.
func TestWriteHelper(t *testing.T) {
	dir := os.Getenv("CONNLS_WRITE_HELPER_DIR")
	if dir == "" {
		t.Skip("the helper process of TestWriteKilled")
	}
	for gen := 1; ; gen++ {
		if err := WriteFiles([]string{dir}, change(dir, gen)); err != nil {
			fmt.Println("error:", err)
			os.Exit(3)
		}
		if gen == 1 {
			fmt.Println("ready")
		}
	}
}

// TestWriteKilled kills a process that writes multi-file changes at
// random points: after recovery, every file is valid and all of them
// come from the same change.
func TestWriteKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 25 processes")
	}
	recovered := 0
	for trial := range 25 {
		dir := t.TempDir()
		if err := WriteFiles([]string{dir}, change(dir, 0)); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestWriteHelper$")
		cmd.Env = append(os.Environ(), "CONNLS_WRITE_HELPER_DIR="+dir)
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, _ := bufio.NewReader(out).ReadString('\n')
		if strings.TrimSpace(line) != "ready" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("helper: %q", line)
		}
		time.Sleep(time.Duration(rand.IntN(20_000)) * time.Microsecond)
		cmd.Process.Kill()
		cmd.Wait()
		journals, _ := filepath.Glob(filepath.Join(dir, ".connls", "commit-*.json"))
		if len(journals) > 0 {
			recovered++
		}
		// A reader recovers before it reads.
		if _, err := Scan(dir); err != nil {
			t.Fatal(err)
		}
		gens := generations(t, dir)
		if gens[0] != gens[1] || gens[1] != gens[2] {
			t.Fatalf("trial %d: files from different changes after a kill: %v", trial, gens)
		}
		if journals, _ := filepath.Glob(filepath.Join(dir, ".connls", "commit-*.json")); len(journals) > 0 {
			t.Errorf("trial %d: journal left after recovery", trial)
		}
	}
	t.Logf("%d of 25 kills interrupted a change between its journal and its end", recovered)
}

// TestWriteFullDisk fills a small file system and writes a change that
// does not fit: the error says so and every file keeps its content. A
// tmpfs is mounted where the test may (root on Linux); elsewhere the
// write error is injected.
func TestWriteFullDisk(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	os.Mkdir(dir, 0o755)
	err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=256k")
	mounted := err == nil
	if mounted {
		t.Cleanup(func() { syscall.Unmount(dir, 0) })
	} else {
		t.Logf("no tmpfs (%v): injecting the write error", err)
		orig := writeTemp
		writeTemp = func(f *os.File, data []byte) error {
			f.Write(data[:len(data)/2])
			return &fs.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
		}
		t.Cleanup(func() { writeTemp = orig })
	}
	if err := writeAllOf(dir, change(dir, 0)); err != nil {
		t.Fatal(err)
	}
	if mounted {
		fill(t, dir)
	}
	before := map[string][]byte{}
	for _, w := range change(dir, 0) {
		before[w.Abs], _ = os.ReadFile(w.Abs)
	}
	err = WriteFiles([]string{dir}, change(dir, 1))
	if err == nil || !strings.Contains(err.Error(), "no space left") || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("write on a full disk: %v", err)
	}
	for abs, b := range before {
		if now, _ := os.ReadFile(abs); !bytes.Equal(now, b) {
			t.Errorf("%s changed by a failed write", filepath.Base(abs))
		}
	}
	if gens := generations(t, dir); gens[0] != 0 || gens[1] != 0 || gens[2] != 0 {
		t.Errorf("generations %v after a failed write", gens)
	}
	assertNoTemps(t, dir)
	// One file alone fails the same way.
	err = WriteFile(dir, Write{Abs: filepath.Join(dir, "connector.manifest.json"), Data: bytes.Repeat([]byte(" "), 300<<10)})
	if err == nil || !strings.Contains(err.Error(), "unchanged") {
		t.Errorf("single write on a full disk: %v", err)
	}
	generations(t, dir)
	assertNoTemps(t, dir)
}

// writeAllOf sets up a change without the injected failure.
func writeAllOf(dir string, ws []Write) error {
	orig := writeTemp
	defer func() { writeTemp = orig }()
	writeTemp = func(f *os.File, data []byte) error {
		if _, err := f.Write(data); err != nil {
			return err
		}
		return f.Sync()
	}
	return WriteFiles([]string{dir}, ws)
}

// fill takes all the free space of the file system of dir but a little.
func fill(t *testing.T, dir string) {
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	block := make([]byte, 4096)
	for {
		if _, err := f.Write(block); err != nil {
			break
		}
	}
	f.Truncate(mustSize(f) - 8192)
}

func mustSize(f *os.File) int64 {
	info, err := f.Stat()
	if err != nil {
		return 0
	}
	return info.Size()
}
