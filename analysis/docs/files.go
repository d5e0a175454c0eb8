package docs

import (
	"fmt"
	"path"
	"strings"
)

// Multi-file descriptions. Projects keep their OpenAPI in many files
// with relative references ($ref: ./components/schemas/user_model.yml,
// common.yaml#/components/schemas/Error). The reader follows them
// through a FileReader, which the analysis backs with the workspace
// snapshot: only files of the workspace can be read (and an editor's
// unsaved text is what is read). OpenAPI libraries could follow them
// too, but only by indexing the whole document, which costs more than
// reading it; the reader needs nothing but the referenced nodes.

// FileReader returns the text of a file of the workspace, given its
// slash path relative to the workspace root, and whether there is one.
type FileReader func(path string) ([]byte, bool)

// ReadWith reads a document whose references to other files are read
// through files; Read reads one file alone.
func ReadWith(path string, text []byte, files FileReader) *Doc {
	lower := strings.ToLower(path)
	if files != nil && (strings.HasSuffix(lower, ".json") || strings.HasSuffix(lower, ".yaml") || strings.HasSuffix(lower, ".yml")) &&
		declaresOpenAPI(text, strings.HasSuffix(lower, ".json")) {
		return readOpenAPIWith(path, text, files)
	}
	return Read(path, text)
}

// fileResolver follows references to other files of a description.
type fileResolver struct {
	dir   string // the directory of the root document
	open  FileReader
	files map[string]*node // read files by path; nil when unreadable
	// origin says which file a rewritten $ref node came from, and entry
	// the root document's line that first led into a file, for problems.
	origin  map[*node]string
	written map[*node]string // a rewritten reference as its file wrote it
	entry   map[string]int
	keys    map[*node]string // the file of each key of the files read
	texts   [][]byte         // of the files read, whose strings the Doc must not keep
}

func newFileResolver(docPath string, open FileReader) *fileResolver {
	return &fileResolver{dir: path.Dir(docPath), open: open, files: map[string]*node{},
		origin: map[*node]string{}, written: map[*node]string{}, entry: map[string]int{}, keys: map[*node]string{}}
}

// target splits a reference into the workspace path of its file and the
// pointer within it. A reference read from another file was rewritten to
// start with "/" and the workspace path; others are relative to the root
// document. It returns "" for a reference that leaves the workspace or is
// remote.
func (f *fileResolver) target(ref string) (file, fragment string) {
	file, fragment, _ = strings.Cut(ref, "#")
	if strings.Contains(file, "://") {
		return "", ""
	}
	if strings.HasPrefix(file, "/") {
		file = path.Clean(file[1:])
	} else {
		file = path.Join(f.dir, file)
	}
	if file == ".." || strings.HasPrefix(file, "../") || path.IsAbs(file) {
		return "", ""
	}
	return file, "#" + fragment
}

// resolve returns the node a reference to another file points at, or
// nil.
func (f *fileResolver) resolve(ref string, at *node) *node {
	file, fragment := f.target(ref)
	if file == "" {
		return nil
	}
	root, ok := f.files[file]
	if !ok {
		root = f.load(file)
		f.files[file] = root
		if from, ok := f.origin[at]; ok {
			f.entry[file] = f.entry[from]
		} else {
			f.entry[file] = int(at.Line)
		}
	}
	if root == nil {
		return nil
	}
	return walkPointer(root, fragment)
}

// load reads and parses a file, and rewrites its references so that they
// name their files from the workspace root.
func (f *fileResolver) load(file string) *node {
	text, ok := f.open(file)
	if !ok {
		return nil
	}
	f.texts = append(f.texts, text)
	root, p := parseTree(text, strings.HasSuffix(strings.ToLower(file), ".json"))
	if p != nil {
		return nil
	}
	dir := path.Dir(file)
	var walk func(n *node, depth int)
	walk = func(n *node, depth int) {
		if n == nil || depth > 256 {
			return
		}
		if n.Kind == mappingKind {
			for i := 0; i+1 < len(n.Content()); i += 2 {
				f.keys[n.kid(i)] = file
				if n.kid(i).Value() == "$ref" && n.kid(i+1).Kind == scalarKind {
					v := n.kid(i + 1)
					f.written[v] = v.Value()
					target, frag, _ := strings.Cut(v.Value(), "#")
					switch {
					case strings.Contains(target, "://"):
					case target == "":
						v.setValue("/" + file + "#" + frag)
					default:
						ref := "/" + path.Join(dir, target)
						if frag != "" || strings.Contains(ref, "#") {
							ref += "#" + frag
						}
						v.setValue(ref)
					}
					f.origin[v] = file
				}
			}
		}
		for i := range n.Content() {
			walk(n.kid(i), depth+1)
		}
	}
	walk(root, 0)
	return root
}

// where says where a reference is written, for a problem: in the root
// document (its line, "") or in another file (the root's line that led
// into it, and the file and line to name); and the reference as written.
func (f *fileResolver) where(at *node) (line int, in, ref string) {
	if f == nil {
		return int(at.Line), "", at.Value()
	}
	file, ok := f.origin[at]
	if !ok {
		return int(at.Line), "", at.Value()
	}
	return f.entry[file], fmt.Sprintf(" in %s:%d", file, at.Line), f.written[at]
}

// fileOf returns the file a key was read from, or "" for the document
// itself.
func (f *fileResolver) fileOf(key *node) string {
	if f == nil {
		return ""
	}
	return f.keys[key]
}
