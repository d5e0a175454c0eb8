package synth

import (
	"bytes"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteIsDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	o := Options{Classes: 3, Attributes: 8, Seed: 7, OpenAPIBytes: 20000}
	na, err := Write(a, o)
	if err != nil {
		t.Fatal(err)
	}
	nb, _ := Write(b, o)
	if na != nb || na != 3*4+2 {
		t.Fatalf("files: %d and %d, want 14", na, nb)
	}
	for _, name := range []string{"Class001.native.schema.groovy", "docs/openapi.json", "connector.manifest.json"} {
		x, _ := os.ReadFile(filepath.Join(a, name))
		y, _ := os.ReadFile(filepath.Join(b, name))
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s differs between runs with the same seed", name)
		}
	}
	doc, _ := os.ReadFile(filepath.Join(a, "docs/openapi.json"))
	if len(doc) < 20000 {
		t.Errorf("OpenAPI document is %d bytes, want at least 20000", len(doc))
	}
}

func TestFilesOption(t *testing.T) {
	n, err := Write(t.TempDir(), Options{Classes: 1, Attributes: 4, Files: 100})
	if err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Errorf("wrote %d files, want at least 100", n)
	}
}

func TestBigScriptSize(t *testing.T) {
	s := BigScript(5000)
	lines := bytes.Count(s, []byte{'\n'})
	if lines < 5000 || lines > 5600 {
		t.Errorf("BigScript(5000) has %d lines", lines)
	}
}

func TestOpenAPISize(t *testing.T) {
	doc := OpenAPI(2, 5, 1<<20, rand.New(rand.NewSource(1)))
	if len(doc) < 1<<20 || len(doc) > 3<<20 {
		t.Errorf("document is %d bytes for a 1 MB request", len(doc))
	}
}
