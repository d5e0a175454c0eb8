package workspace

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestReadText checks readText against os.ReadFile: the same text, the
// same errors once ReadFile unwraps them, and no read above the limit.
func TestReadText(t *testing.T) {
	dir := t.TempDir()
	big := bytes.Repeat([]byte("attribute(\"x\") { jsonType \"string\" }\n"), 2000)
	for name, text := range map[string][]byte{"empty.groovy": {}, "small.groovy": []byte("objectClass(\"A\") {}\n"), "big.groovy": big} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, text, 0o644); err != nil {
			t.Fatal(err)
		}
		got, size, err := readText(p, MaxFileSize)
		if err != nil || !bytes.Equal(got, text) || size != int64(len(text)) {
			t.Errorf("%s: %d bytes (size %d, %v), want %d", name, len(got), size, err, len(text))
		}
		if f := ReadFile(dir, p); f.Err != nil || !bytes.Equal(f.Text, text) || f.Hash != HashOf(text) {
			t.Errorf("ReadFile(%s): %d bytes, %v", name, len(f.Text), f.Err)
		}
	}
	// Above the limit: the size, and nothing read.
	got, size, err := readText(filepath.Join(dir, "big.groovy"), 100)
	if got != nil || size != int64(len(big)) || err != nil {
		t.Errorf("above the limit: %d bytes, size %d, %v", len(got), size, err)
	}
	for _, c := range []struct {
		path string
		want error
	}{{filepath.Join(dir, "missing.groovy"), fs.ErrNotExist}, {dir, syscall.EISDIR}} {
		f := ReadFile(dir, c.path)
		_, osErr := os.ReadFile(c.path)
		if !errors.Is(f.Err, c.want) || f.Err.Error() != unwrapPath(osErr).Error() {
			t.Errorf("ReadFile(%s): error %v, want %v (os.ReadFile: %v)", c.path, f.Err, c.want, osErr)
		}
	}
}

// TestReadTextShortReads: a file that reads short before its end, as
// procfs files do (they say size 0 and give a page or a record at a
// time), is read to the end.
func TestReadTextShortReads(t *testing.T) {
	const p = "/proc/self/smaps"
	whole, err := os.ReadFile(p)
	if err != nil || !bytes.Contains(whole, []byte("[vdso]")) {
		t.Skip("no /proc/self/smaps with a [vdso] mapping here")
	}
	got, _, err := readText(p, MaxFileSize)
	if err != nil || !bytes.Contains(got, []byte("[vdso]")) {
		t.Errorf("read %d bytes of %s (os.ReadFile: %d), %v: cut short", len(got), p, len(whole), err)
	}
}
