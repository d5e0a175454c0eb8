// Package deps holds the test that keeps the layers of ARCHITECTURE.md:
// which package may import which, in the spirit of Go's own
// go/build/deps_test.go. A new import that crosses a layer fails here
// with the rule it breaks; change the rule only with the architecture.
package deps

import (
	"bufio"
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/connls/connls"

// allowed lists, per package of the module, the packages outside the
// standard library it may import: module packages by their path in the
// module, others by a path prefix. Packages not listed (commands,
// benchmarks, test helpers) may import anything.
var allowed = map[string][]string{
	// The syntax layers know nothing of the model.
	"workspace":       {},
	"analysis/groovy": {"github.com/smacker/go-tree-sitter"},
	"analysis/docs": {"github.com/pb33f/", "github.com/yuin/goldmark", "golang.org/x/net/html",
		"github.com/go-json-experiment/json"},
	// Reading one DSL file (script, manifest, Java connector class):
	// knows nothing of units, classes or rules.
	"analysis/dsl": {"workspace", "analysis/docs", "analysis/groovy", "github.com/pb33f/go-yaml"},
	// The model and its rules: no I/O, no LSP, no HTTP.
	"analysis": {"workspace", "analysis/docs", "analysis/dsl", "analysis/groovy", "github.com/pb33f/go-yaml"},
	// Editor features are plain functions of a model.
	"features": {"analysis", "analysis/dsl", "workspace"},
	// Generation: the model in, edits out; go-udiff turns a merge into
	// line edits and a diff.
	"generate": {"analysis", "analysis/dsl", "workspace", "github.com/aymanbagabas/go-udiff"},
	// The optional LLM assistant of generation, apart so that a face
	// that offers no AI links no SDK.
	"generate/llm": {"analysis", "analysis/dsl", "generate", "go.uber.org/zap"},
	// The faces.
	"lsp": {"analysis", "analysis/dsl", "features", "generate", "sailpoint", "workspace",
		"go.lsp.dev/", "go.uber.org/zap", "github.com/fsnotify/fsnotify"},
	"api": {"analysis", "analysis/dsl", "generate", "workspace", "go.uber.org/zap", "go.etcd.io/bbolt", "github.com/google/uuid",
		"github.com/jackc/pgx/", "github.com/riverqueue/river", "github.com/pressly/goose/", "github.com/coreos/go-oidc/"},
	"sailpoint": {"analysis", "analysis/dsl", "workspace"},
}

// forbidden are standard library packages a layer must not import.
var forbidden = map[string][]string{
	"analysis":        {"os", "net/http", "net"},
	"analysis/dsl":    {"os", "net/http", "net"},
	"analysis/docs":   {"os", "net/http", "net"},
	"analysis/groovy": {"os", "net/http", "net"},
	"features":        {"os", "net/http", "net"},
	"generate":        {"os", "net/http", "net"},
}

// pure are packages under a forbidden path that only compute: parsing
// a URL does no I/O.
var pure = map[string]bool{"net/url": true, "net/netip": true}

func TestImports(t *testing.T) {
	touchSources(t)
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		pkg := strings.TrimPrefix(strings.TrimPrefix(fields[0], module), "/")
		for _, imp := range fields[1:] {
			if strings.HasPrefix(imp, "go.lsp.dev/") && pkg != "lsp" && !strings.HasSuffix(fields[0], "_test") {
				t.Errorf("%s imports %s: only lsp speaks the protocol (see ARCHITECTURE.md)", pkg, imp)
			}
		}
		rules, ok := allowed[pkg]
		if !ok {
			continue
		}
		seen[pkg] = true
		for _, imp := range fields[1:] {
			if msg := check(pkg, imp, rules); msg != "" {
				t.Error(msg)
			}
		}
	}
	for pkg := range allowed {
		if !seen[pkg] {
			t.Errorf("ARCHITECTURE.md names %s, which the module no longer has: update the rules", pkg)
		}
	}
}

// check returns why pkg may not import imp, or "".
func check(pkg, imp string, rules []string) string {
	if inModule, ok := strings.CutPrefix(imp, module+"/"); ok {
		for _, r := range rules {
			if r == inModule {
				return ""
			}
		}
		return pkg + " imports " + inModule + ", which its layer may not (see ARCHITECTURE.md)"
	}
	if first, _, _ := strings.Cut(imp, "/"); !strings.Contains(first, ".") {
		// The standard library, and C for cgo.
		if pure[imp] {
			return ""
		}
		for _, f := range forbidden[pkg] {
			if imp == f || strings.HasPrefix(imp, f+"/") {
				return pkg + " imports " + imp + ": it does no I/O of its own (see ARCHITECTURE.md)"
			}
		}
		return ""
	}
	for _, r := range rules {
		if strings.Contains(r, ".") && (strings.HasPrefix(imp, r) || path.Dir(imp) == strings.TrimSuffix(r, "/")) {
			return ""
		}
	}
	return pkg + " imports " + imp + ", a dependency its layer may not use (see ARCHITECTURE.md)"
}

// TestRulesCatchAForbiddenImport: the check itself fails on what it must
// refuse.
func TestRulesCatchAForbiddenImport(t *testing.T) {
	for _, tc := range []struct{ pkg, imp string }{
		{"analysis", module + "/lsp"},
		{"analysis", "go.lsp.dev/protocol"},
		{"analysis", "os"},
		{"analysis/docs", module + "/analysis"},
		{"analysis/dsl", module + "/analysis"},
		{"features", module + "/generate"},
		{"generate", "go.lsp.dev/protocol"},
		{"generate", "net/http"},
		{"generate", "os"},
		{"sailpoint", module + "/lsp"},
	} {
		if check(tc.pkg, tc.imp, allowed[tc.pkg]) == "" {
			t.Errorf("%s importing %s passes", tc.pkg, tc.imp)
		}
	}
	if msg := check("lsp", "go.lsp.dev/protocol", allowed["lsp"]); msg != "" {
		t.Errorf("lsp importing the protocol: %s", msg)
	}
}

// touchSources stats every Go file of the module. The imports are read
// by a go list subprocess, which the test cache does not see; the files
// a test itself stats are part of its cache key, so a cached pass is
// never reused after a source changes.
func touchSources(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return nil
		case d.IsDir() && (d.Name() == "node_modules" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && p != root:
			return filepath.SkipDir
		case !d.IsDir() && strings.HasSuffix(p, ".go"):
			os.Stat(p)
		}
		return nil
	})
}
