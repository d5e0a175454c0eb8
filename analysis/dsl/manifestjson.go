package dsl

import (
	yaml "github.com/pb33f/go-yaml"

	"github.com/connls/connls/analysis/docs"
)

// manifestTree parses a manifest into the node tree ReadManifest walks.
// A JSON manifest is read by plainJSON when it keeps to what manifests
// hold (objects, lists, strings without escapes, true, false, null):
// docs.ParseTree checks JSON with encoding/json and then reads it again
// as YAML, which for the 1,000-entry manifest of a big connector took
// longer than reading a script, on the one core while the scripts wait
// for the roles it gives them. Anything else goes to docs.ParseTree,
// whose tree plainJSON's equals (manifestjson_test.go), as do its
// messages for text that is not JSON.
func manifestTree(text []byte, isJSON bool) (*yaml.Node, *docs.Problem) {
	if isJSON {
		if root := plainJSON(text); root != nil {
			return root, nil
		}
	}
	return docs.ParseTree(text, isJSON)
}

// plainJSON reads a JSON object into the nodes YAML reads from the same
// text, or returns nil when the text is not in the subset it knows to
// read the same way: printable ASCII, an object at the top, no numbers,
// no escapes in strings, each key on the line of its colon and short
// (YAML's implicit keys end at a line break and after 1,024
// characters). Its output is never a guess: what is not in the subset is
// read by the general path.
func plainJSON(text []byte) *yaml.Node {
	r := jsonReader{text: text, line: 1, lineStart: 0}
	r.space()
	if r.pos >= len(text) || text[r.pos] != '{' {
		return nil
	}
	root := r.value(0)
	if root == nil {
		return nil
	}
	r.space()
	if r.pos != len(text) {
		return nil
	}
	return root
}

// maxPlainDepth bounds the nesting plainJSON reads (YAML has limits of
// its own far above what a manifest needs).
const maxPlainDepth = 64

type jsonReader struct {
	text      []byte
	pos       int
	line      int // 1-based, as YAML counts: \n, \r\n and a lone \r each end a line
	lineStart int // offset of the current line's first byte
}

// space skips JSON white space.
func (r *jsonReader) space() {
	for r.pos < len(r.text) {
		switch r.text[r.pos] {
		case ' ', '\t':
			r.pos++
		case '\n':
			r.pos++
			r.line, r.lineStart = r.line+1, r.pos
		case '\r':
			r.pos++
			if r.pos < len(r.text) && r.text[r.pos] == '\n' {
				r.pos++
			}
			r.line, r.lineStart = r.line+1, r.pos
		default:
			return
		}
	}
}

// node starts a node at the current position.
func (r *jsonReader) node(kind yaml.Kind, style yaml.Style, tag string) *yaml.Node {
	return &yaml.Node{Kind: kind, Style: style, Tag: tag, Line: r.line, Column: r.pos - r.lineStart + 1}
}

// value reads one value at the current position (white space skipped).
func (r *jsonReader) value(depth int) *yaml.Node {
	if r.pos >= len(r.text) || depth > maxPlainDepth {
		return nil
	}
	switch c := r.text[r.pos]; c {
	case '{':
		n := r.node(yaml.MappingNode, yaml.FlowStyle, "!!map")
		r.pos++
		r.space()
		if r.pos < len(r.text) && r.text[r.pos] == '}' {
			r.pos++
			return n
		}
		for {
			key := r.str()
			if key == nil {
				return nil
			}
			keyLine, keyStart := key.Line, r.pos-len(key.Value)-2
			r.space()
			if r.pos >= len(r.text) || r.text[r.pos] != ':' || r.line != keyLine || r.pos-keyStart >= 1000 {
				return nil
			}
			r.pos++
			r.space()
			val := r.value(depth + 1)
			if val == nil {
				return nil
			}
			n.Content = append(n.Content, key, val)
			if more, ok := r.next('}'); !more {
				return orNil(n, ok)
			}
			r.space()
		}
	case '[':
		n := r.node(yaml.SequenceNode, yaml.FlowStyle, "!!seq")
		r.pos++
		r.space()
		if r.pos < len(r.text) && r.text[r.pos] == ']' {
			r.pos++
			return n
		}
		for {
			val := r.value(depth + 1)
			if val == nil {
				return nil
			}
			n.Content = append(n.Content, val)
			if more, ok := r.next(']'); !more {
				return orNil(n, ok)
			}
			r.space()
		}
	case '"':
		return r.str()
	case 't', 'f', 'n':
		for _, lit := range []struct{ word, tag string }{{"true", "!!bool"}, {"false", "!!bool"}, {"null", "!!null"}} {
			if end := r.pos + len(lit.word); end <= len(r.text) && string(r.text[r.pos:end]) == lit.word {
				n := r.node(yaml.ScalarNode, 0, lit.tag)
				n.Value = lit.word
				r.pos = end
				return n
			}
		}
	}
	return nil
}

// next reads what follows a member or element: a comma (more), or the
// closing bracket (ok), or anything else (neither).
func (r *jsonReader) next(close byte) (more, ok bool) {
	r.space()
	if r.pos >= len(r.text) {
		return false, false
	}
	switch r.text[r.pos] {
	case ',':
		r.pos++
		return true, true
	case close:
		r.pos++
		return false, true
	}
	return false, false
}

func orNil(n *yaml.Node, ok bool) *yaml.Node {
	if ok {
		return n
	}
	return nil
}

// str reads a string of printable ASCII without escapes.
func (r *jsonReader) str() *yaml.Node {
	if r.pos >= len(r.text) || r.text[r.pos] != '"' {
		return nil
	}
	n := r.node(yaml.ScalarNode, yaml.DoubleQuotedStyle, "!!str")
	for i := r.pos + 1; i < len(r.text); i++ {
		switch c := r.text[i]; {
		case c == '"':
			n.Value = string(r.text[r.pos+1 : i])
			r.pos = i + 1
			return n
		case c == '\\' || c < 0x20 || c > 0x7e:
			return nil
		}
	}
	return nil
}
