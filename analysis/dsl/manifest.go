package dsl

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"

	yaml "github.com/pb33f/go-yaml"

	"github.com/connls/connls/analysis/docs"
	"github.com/connls/connls/workspace"
)

// Manifest is a connector.manifest.{json,yaml,yml}: the list of scripts
// the framework loads, by role, in order (dsl.md §1.2).
type Manifest struct {
	File     *workspace.File
	Entries  []*ManifestEntry
	Problems []Problem
	Dir      string // absolute directory of the manifest
	// Root is the classpath root the script paths are resolved against
	// (dsl.md §1.2): the src/main/resources or src/test/resources folder
	// that holds the manifest, else the folder a path's first segment
	// names above the manifest, else the manifest's own folder.
	Root string
}

// ManifestEntry is one { "script": "/X.groovy" } of a section.
type ManifestEntry struct {
	Section  string // schema, authorization, operation
	Script   string // as written
	Abs      string // the file it names
	Range    workspace.Range
	Disabled bool
}

// Role returns the role the section gives a script.
func (e *ManifestEntry) Role() Role {
	switch e.Section {
	case "schema":
		return RoleSchema
	case "authorization":
		return RoleAuthorization
	}
	return RoleOperation
}

// ManifestSections are the sections of a manifest, in the order the
// framework loads them.
func ManifestSections() []string { return []string{"schema", "authorization", "operation"} }

// ReadManifest reads a manifest. Problems are kept on it.
func ReadManifest(f *workspace.File) *Manifest {
	m := &Manifest{File: f, Dir: filepath.Dir(f.Abs)}
	m.Root = m.Dir
	isJSON := strings.HasSuffix(strings.ToLower(f.Path), ".json")
	root, perr := manifestTree(f.Text, isJSON)
	if perr != nil {
		m.problem(NodeRangeAt(perr.Line, perr.Column, 1), "connector manifest: %s", perr.Message)
		return m
	}
	if root.Kind != yaml.MappingNode {
		m.problem(NodeRange(root), "connector manifest must be an object with a \"connector\" section, not %s", docs.Describe(root))
		return m
	}
	m.dropDuplicateKeys(root)
	conn := docs.Get(root, "connector")
	if conn == nil || conn.Kind != yaml.MappingNode {
		m.problem(NodeRange(root), "connector manifest has no \"connector\" object: the framework fails with \"connector object not present\"")
		return m
	}
	for i := 0; i+1 < len(conn.Content); i += 2 {
		key, val := conn.Content[i], conn.Content[i+1]
		known := false
		for _, s := range ManifestSections() {
			known = known || key.Value == s
		}
		if !known {
			p := m.problem(NodeRange(key), "unknown manifest section %q: the framework reads only schema, authorization and operation", key.Value)
			p.Severity = SevWarning
			continue
		}
		if val.Kind != yaml.SequenceNode {
			m.problem(NodeRange(val), "manifest section %q must be a list of { \"script\": \"/path\" } entries", key.Value)
			continue
		}
		for _, item := range val.Content {
			script := docs.Get(item, "script")
			if script == nil || script.Kind != yaml.ScalarNode {
				m.problem(NodeRange(item), "manifest entry has no \"script\" path")
				continue
			}
			e := &ManifestEntry{Section: key.Value, Script: script.Value, Range: NodeRange(script)}
			if d, ok := docs.Bool(docs.Get(item, "disabled")); ok && d {
				e.Disabled = true
			}
			m.Entries = append(m.Entries, e)
		}
	}
	m.Root = resourceRoot(m.Dir, m.Entries)
	for _, e := range m.Entries {
		e.Abs = m.ScriptPath(e.Script)
	}
	return m
}

// dropDuplicateKeys warns of keys given twice in one object and keeps
// the last of them, as the framework's readers do (Jackson for JSON,
// SnakeYAML for YAML): a silent merge would check another manifest than
// the one the framework loads.
func (m *Manifest) dropDuplicateKeys(n *yaml.Node) {
	if n.Kind == yaml.MappingNode {
		last := map[string]int{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			last[n.Content[i].Value] = i
		}
		kept := n.Content[:0]
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, val := n.Content[i], n.Content[i+1]
			if j := last[key.Value]; j != i {
				p := m.problem(NodeRange(key), "duplicate key %q: the framework reads only the last one, on line %d", key.Value, n.Content[j].Line)
				p.Severity = SevWarning
				continue
			}
			kept = append(kept, key, val)
		}
		n.Content = kept
	}
	for _, c := range n.Content {
		m.dropDuplicateKeys(c)
	}
}

// ScriptPath is the file a manifest's script path names: the framework
// passes it to Class.getResource, which resolves it against the classpath
// root.
func (m *Manifest) ScriptPath(script string) string {
	return filepath.Join(m.Root, filepath.FromSlash(strings.TrimPrefix(path.Clean("/"+script), "/")))
}

// ScriptName returns the path a manifest lists a file under ("/X.groovy",
// relative to its classpath root), and false for a file outside the root.
func (m *Manifest) ScriptName(abs string) (string, bool) {
	rel, err := filepath.Rel(m.Root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return "/" + filepath.ToSlash(rel), true
}

// resourceRoot finds the classpath root of a manifest in dir. In a Maven
// layout it is the resources folder that holds the manifest (a test
// manifest in src/test/resources/manifests/e2e lists
// /manifests/e2e/Account.native.schema.groovy). Elsewhere a script path
// whose first segment names a folder above the manifest is read the same
// way; without one, paths are relative to the manifest's folder.
func resourceRoot(dir string, entries []*ManifestEntry) string {
	if r := ResourcesRoot(dir); r != "" {
		return r
	}
	for _, e := range entries {
		first, rest, ok := strings.Cut(strings.TrimPrefix(path.Clean("/"+e.Script), "/"), "/")
		if !ok || rest == "" || !strings.HasPrefix(e.Script, "/") {
			continue
		}
		for d := dir; d != filepath.Dir(d); d = filepath.Dir(d) {
			if filepath.Base(d) == first {
				return filepath.Dir(d)
			}
		}
	}
	return dir
}

// ResourcesRoot returns the Maven resources folder (…/src/<set>/resources)
// that holds dir, or dir itself when it is one, or "".
func ResourcesRoot(dir string) string {
	for d := dir; d != filepath.Dir(d); d = filepath.Dir(d) {
		if IsResourcesRoot(d) {
			return d
		}
	}
	return ""
}

// IsResourcesRoot reports whether dir is a Maven resources folder:
// src/main/resources, src/test/resources and the like.
func IsResourcesRoot(dir string) bool {
	return filepath.Base(dir) == "resources" && filepath.Base(filepath.Dir(filepath.Dir(dir))) == "src"
}

func (m *Manifest) problem(r workspace.Range, format string, args ...any) *Problem {
	m.Problems = append(m.Problems, Problem{
		Code: "manifest-invalid", Severity: SevError, Abs: m.File.Abs, Path: m.File.Path, Range: r,
		Message: fmt.Sprintf(format, args...),
	})
	return &m.Problems[len(m.Problems)-1]
}

// NodeRange is the range of a YAML node's text (for scalars; other nodes
// get their first character).
func NodeRange(n *yaml.Node) workspace.Range {
	width := 1
	if n.Kind == yaml.ScalarNode {
		width = len([]rune(n.Value))
		if n.Style == yaml.DoubleQuotedStyle || n.Style == yaml.SingleQuotedStyle {
			width += 2
		}
	}
	return NodeRangeAt(n.Line, n.Column, width)
}

func NodeRangeAt(line, col, width int) workspace.Range {
	if line < 1 {
		line = 1
	}
	if col < 1 {
		col = 1
	}
	start := workspace.Pos{Line: line - 1, Col: col - 1}
	return workspace.Range{Start: start, End: workspace.Pos{Line: start.Line, Col: start.Col + width}}
}
