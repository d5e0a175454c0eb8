package workspace

import (
	"path/filepath"
	"strings"
)

// ConfigName is the name of the file that says which documents describe
// a connector, for documents connls would not attach to it by their
// place (a shared folder, test resources beside test workspaces):
//
//	# connls.yaml, in a connector's module (or resources) folder
//	docs:
//	  - src/test/resouces/swagger.v1.json
//	  - ../api/forgejo/*.yaml
//
// Paths are relative to the file's folder; * and ? match within a name.
const ConfigName = "connls.yaml"

// ConfigDocs returns the document patterns a connls.yaml lists, made
// absolute against its folder. It reads the one key it knows, as a block
// list or a flow list ([a, b]); anything else is ignored.
func ConfigDocs(abs string, text []byte) []string {
	dir := filepath.Dir(abs)
	var out []string
	add := func(v string) {
		v = strings.Trim(strings.TrimSpace(v), `"'`)
		if v != "" {
			out = append(out, filepath.Join(dir, filepath.FromSlash(v)))
		}
	}
	in := false
	for _, line := range strings.Split(string(text), "\n") {
		line = strings.TrimRight(line, "\r")
		if i := strings.Index(line, " #"); i >= 0 {
			line = line[:i]
		}
		t := strings.TrimSpace(line)
		switch {
		case t == "" || strings.HasPrefix(t, "#"):
		case strings.HasPrefix(line, "docs:"):
			rest := strings.TrimSpace(strings.TrimPrefix(line, "docs:"))
			in = rest == ""
			if strings.HasPrefix(rest, "[") && strings.HasSuffix(rest, "]") {
				for _, v := range strings.Split(rest[1:len(rest)-1], ",") {
					add(v)
				}
			}
		case in && strings.HasPrefix(t, "- "):
			add(t[2:])
		case line[0] != ' ' && line[0] != '\t':
			in = false
		}
	}
	return out
}

// MatchConfig reports whether a file is one of the patterns of a
// connls.yaml.
func MatchConfig(patterns []string, abs string) bool {
	for _, p := range patterns {
		if ok, _ := filepath.Match(p, abs); ok {
			return true
		}
	}
	return false
}
