package docs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"iter"
	"regexp"
	"strconv"

	yaml "github.com/pb33f/go-yaml"
)

// ParseTree parses JSON or YAML into a node tree that keeps line numbers.
// JSON is checked with encoding/json first, for its precise error
// positions; YAML 1.2 then reads it, since JSON is YAML.
func ParseTree(text []byte, isJSON bool) (*yaml.Node, *Problem) {
	if isJSON {
		var v any
		if err := json.Unmarshal(text, &v); err != nil {
			return nil, jsonProblem(text, err)
		}
		// Tabs may only appear between tokens in JSON; YAML refuses
		// them where it expects indentation. Replacing them keeps every
		// offset, line and column.
		if bytes.IndexByte(text, '\t') >= 0 {
			text = bytes.ReplaceAll(text, []byte{'\t'}, []byte{' '})
		}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(text, &root); err != nil {
		return nil, yamlProblem(err)
	}
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		return root.Content[0], nil
	}
	if root.Kind == 0 {
		return nil, &Problem{Line: 1, Column: 1, Message: "the document is empty"}
	}
	return &root, nil
}

func jsonProblem(text []byte, err error) *Problem {
	offset := int64(-1)
	switch e := err.(type) {
	case *json.SyntaxError:
		offset = e.Offset
	case *json.UnmarshalTypeError:
		offset = e.Offset
	}
	msg := err.Error()
	if offset < 0 || err.Error() == "unexpected end of JSON input" {
		offset = int64(len(text))
		msg = "the JSON document is truncated: " + msg
	}
	line, col := 1, 1
	for i := int64(0); i < offset && i < int64(len(text)); i++ {
		if text[i] == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return &Problem{Line: line, Column: col, Message: "invalid JSON: " + msg}
}

var yamlLine = regexp.MustCompile(`line (\d+)(?:, column (\d+))?|\bL(\d+)\.C(\d+)`)

func yamlProblem(err error) *Problem {
	p := &Problem{Line: 1, Message: "invalid YAML: " + err.Error()}
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, col := m[1], m[2]
		if line == "" {
			line, col = m[3], m[4]
		}
		p.Line, _ = strconv.Atoi(line)
		if col != "" {
			p.Column, _ = strconv.Atoi(col)
		}
	}
	return p
}

// Get returns the value of a key of a mapping node, or nil.
func Get(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// KeyNode returns the key node of a mapping entry, or nil.
func KeyNode(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i]
		}
	}
	return nil
}

// Str returns the string value of a scalar node, or "".
func Str(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// Bool returns the boolean value of a scalar node and whether it is one.
func Bool(n *yaml.Node) (bool, bool) {
	if n == nil || n.Kind != yaml.ScalarNode {
		return false, false
	}
	switch n.Value {
	case "true", "True", "TRUE":
		return true, true
	case "false", "False", "FALSE":
		return false, true
	}
	return false, false
}

// Describe names the kind of a node for messages.
func Describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "an object"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "a value"
}

// The same for the readers' own tree.

func get(n *node, key string) *node {
	if n == nil || n.Kind != mappingKind {
		return nil
	}
	c := n.Content()
	for i := 0; i+1 < len(c); i += 2 {
		if c[i].Value() == key {
			return &c[i+1]
		}
	}
	return nil
}

func keyNode(n *node, key string) *node {
	if n == nil || n.Kind != mappingKind {
		return nil
	}
	c := n.Content()
	for i := 0; i+1 < len(c); i += 2 {
		if c[i].Value() == key {
			return &c[i]
		}
	}
	return nil
}

// each yields the nodes of a list: pointers to the tree's own nodes,
// which are the nodes themselves, not copies.
func each(ns []node) iter.Seq[*node] {
	return func(yield func(*node) bool) {
		for i := range ns {
			if !yield(&ns[i]) {
				return
			}
		}
	}
}

// items returns the elements of a sequence node, or nil.
func items(n *node) []node {
	if n == nil || n.Kind != sequenceKind {
		return nil
	}
	return n.Content()
}

func str(n *node) string {
	if n == nil || n.Kind != scalarKind {
		return ""
	}
	return n.Value()
}

func boolOf(n *node) (bool, bool) {
	if n == nil || n.Kind != scalarKind {
		return false, false
	}
	switch n.Value() {
	case "true", "True", "TRUE":
		return true, true
	case "false", "False", "FALSE":
		return false, true
	}
	return false, false
}
