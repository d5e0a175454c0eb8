package docs

import (
	"bytes"
	"encoding/xml"
	"regexp"
	"strings"
)

// Examples in pages. A JSON request or response example says which
// fields an object has and, by their values, their types. Examples are
// written by hand and are often not valid JSON (a missing comma, a stray
// quote), so they are read leniently: only their structure and keys
// matter. They become JSON Schemas, as an OpenAPI document would have
// written them, so that the pages share the OpenAPI reader's resources.

// node helpers build the schemas.
func scalarNode(v string, line int) *node {
	n := &node{Kind: scalarKind, Line: int32(line)}
	n.setValue(v)
	return n
}

func mappingNode(line int, kv ...*node) *node {
	n := &node{Kind: mappingKind, Line: int32(line)}
	n.add(kv...)
	return n
}

func sequenceNode(line int, items ...*node) *node {
	n := &node{Kind: sequenceKind, Line: int32(line)}
	n.add(items...)
	return n
}

// fields collects the keys and values of a mapping being built, each key
// once (the first wins), so that the mapping is made once complete:
// adding to a node copies its children, which one key at a time would
// make quadratic.
type fields struct {
	kv   []*node
	seen map[string]bool
}

func (f *fields) has(key string) bool { return f.seen[key] }

func (f *fields) add(key string, line int, v *node) {
	if f.seen[key] {
		return
	}
	if f.seen == nil {
		f.seen = map[string]bool{}
	}
	f.seen[key] = true
	f.kv = append(f.kv, scalarNode(key, line), v)
}

func (f *fields) mapping(line int) *node { return mappingNode(line, f.kv...) }

// jsonToken is a token of a lenient JSON reading.
type jsonToken struct {
	kind byte // one of {}[]:, ; 's' string, 'v' other value
	text string
	line int
}

// lexJSON splits text into JSON tokens, tolerating what hand-written
// examples get wrong. A key closed with the wrong quote
// ("lastSeenAtAge': "2m") ends at the colon.
func lexJSON(text string, firstLine int) []jsonToken {
	var toks []jsonToken
	line := firstLine
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '\n':
			line++
		case c == ' ' || c == '\t' || c == '\r':
		case strings.IndexByte("{}[]:,", c) >= 0:
			toks = append(toks, jsonToken{kind: c, line: line})
		case c == '"':
			j := i + 1
			var b strings.Builder
			for ; j < len(text) && text[j] != '"' && text[j] != '\n'; j++ {
				if text[j] == '\\' && j+1 < len(text) {
					j++
				}
				if text[j] == '\'' && strings.HasPrefix(strings.TrimLeft(text[j+1:], " \t"), ":") {
					break // "key': value
				}
				b.WriteByte(text[j])
			}
			toks = append(toks, jsonToken{kind: 's', text: b.String(), line: line})
			if j < len(text) && text[j] == '\'' {
				j++ // the stray quote
			}
			if j < len(text) && text[j] == '\n' {
				j-- // let the loop count the line
			}
			i = j
		default:
			j := i
			for j < len(text) && strings.IndexByte(" \t\r\n{}[]:,\"", text[j]) < 0 {
				j++
			}
			toks = append(toks, jsonToken{kind: 'v', text: text[i:j], line: line})
			i = j - 1
		}
	}
	return toks
}

// jsonSchemaReader turns lenient JSON tokens into a schema.
type jsonSchemaReader struct {
	toks  []jsonToken
	pos   int
	depth int
}

func (p *jsonSchemaReader) peek() *jsonToken {
	if p.pos < len(p.toks) {
		return &p.toks[p.pos]
	}
	return nil
}

// exampleSchema reads a JSON example into a schema, or returns nil when
// the text holds no object or list.
func exampleSchema(text string, firstLine int) *node {
	p := &jsonSchemaReader{toks: lexJSON(text, firstLine)}
	for t := p.peek(); t != nil; t = p.peek() {
		if t.kind == '{' || t.kind == '[' {
			return p.value()
		}
		p.pos++
	}
	return nil
}

// value reads one value and returns its schema.
func (p *jsonSchemaReader) value() *node {
	t := p.peek()
	if t == nil {
		return nil
	}
	p.pos++
	switch t.kind {
	case '{':
		return p.object(t.line)
	case '[':
		return p.array(t.line)
	case 's':
		return valueType(t.text, true, t.line)
	case 'v':
		return valueType(t.text, false, t.line)
	}
	return nil
}

// maxExampleDepth bounds the nesting an example is read to.
const maxExampleDepth = 16

func (p *jsonSchemaReader) object(line int) *node {
	var props fields
	p.depth++
	defer func() { p.depth-- }()
	for t := p.peek(); t != nil; t = p.peek() {
		switch t.kind {
		case '}':
			p.pos++
			return mappingNode(line, scalarNode("type", line), scalarNode("object", line), scalarNode("properties", line), props.mapping(line))
		case ',':
			p.pos++
		case 's':
			p.pos++
			if n := p.peek(); n != nil && n.kind == ':' {
				p.pos++
				v := p.value()
				if v == nil || p.depth > maxExampleDepth {
					v = mappingNode(t.line)
				}
				if identRe.MatchString(t.text) {
					props.add(t.text, t.line, v)
				}
			}
		default:
			p.pos++ // a value without a key: skip it
		}
	}
	return mappingNode(line, scalarNode("type", line), scalarNode("object", line), scalarNode("properties", line), props.mapping(line))
}

func (p *jsonSchemaReader) array(line int) *node {
	var items *node
	for t := p.peek(); t != nil; t = p.peek() {
		switch t.kind {
		case ']':
			p.pos++
			return arraySchema(items, line)
		case ',':
			p.pos++
		case '}', ':':
			p.pos++
		default:
			v := p.value()
			items = mergeSchemas(items, v)
		}
	}
	return arraySchema(items, line)
}

func arraySchema(items *node, line int) *node {
	if items == nil {
		items = mappingNode(line)
	}
	return mappingNode(line, scalarNode("type", line), scalarNode("array", line), scalarNode("items", line), items)
}

// mergeSchemas joins the schemas of two elements of one list: the
// properties of either.
func mergeSchemas(a, b *node) *node {
	if a == nil {
		return b
	}
	pa, pb := get(a, "properties"), get(b, "properties")
	if pa == nil || pb == nil {
		return a
	}
	var missing []*node
	for i := 0; i+1 < len(pb.Content()); i += 2 {
		if get(pa, pb.kid(i).Value()) == nil {
			missing = append(missing, pb.kid(i), pb.kid(i+1))
		}
	}
	pa.add(missing...)
	return a
}

var (
	dateTimeRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}`)
	dateRe     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	emailRe    = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[a-z]{2,}$`)
	integerRe  = regexp.MustCompile(`^-?\d+$`)
	numberRe   = regexp.MustCompile(`^-?\d+(\.\d+)?([eE][-+]?\d+)?$`)
)

// valueType returns the schema of an example value: its JSON type, and
// the format a string's value shows (a date, an email address, a URL).
func valueType(v string, quoted bool, line int) *node {
	typ, format := "string", ""
	switch {
	case quoted:
		switch {
		case dateTimeRe.MatchString(v):
			format = "date-time"
		case dateRe.MatchString(v):
			format = "date"
		case emailRe.MatchString(v):
			format = "email"
		case strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://"):
			format = "uri"
		}
	case v == "true" || v == "false":
		typ = "boolean"
	case integerRe.MatchString(v):
		typ = "integer"
	case numberRe.MatchString(v):
		typ = "number"
	case v == "null":
		typ = "string" // the type is not shown; string is the safe guess
	}
	n := mappingNode(line, scalarNode("type", line), scalarNode(typ, line))
	if format != "" {
		n.add(scalarNode("format", line), scalarNode(format, line))
	}
	return n
}

// httpExample splits an example written as an HTTP message ("GET
// /api/users HTTP/1.1", headers, a blank line, a body) into its request
// method, whether it is a response, and the body with its first line.
func httpExample(text string, firstLine int) (method string, response bool, body string, bodyLine int) {
	lines := strings.Split(text, "\n")
	first := strings.TrimSpace(lines[0])
	switch {
	case strings.HasPrefix(first, "HTTP/"):
		response = true
	case httpRequestRe.MatchString(first):
		method = strings.Fields(first)[0]
	default:
		return "", false, text, firstLine
	}
	for i := 1; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if l == "" || strings.HasPrefix(l, "{") || strings.HasPrefix(l, "[") {
			return method, response, strings.Join(lines[i:], "\n"), firstLine + i
		}
	}
	return method, response, "", firstLine
}

var httpRequestRe = regexp.MustCompile(`^(GET|POST|PUT|PATCH|DELETE)\s+\S+\s+HTTP/\d`)

// xmlExampleSchema reads an XML response example: the children of its
// data element (an OCS envelope's <data>), or of the root. An element
// holding <element> items is a list. It returns nil when there are no
// fields.
func xmlExampleSchema(text string, firstLine int) *node {
	d := xml.NewDecoder(strings.NewReader(text))
	d.Strict = false
	type elem struct {
		name     string
		line     int
		children []*elem
		text     strings.Builder
	}
	root := &elem{}
	stack := []*elem{root}
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		off, _ := d.InputPos()
		switch t := tok.(type) {
		case xml.StartElement:
			e := &elem{name: t.Name.Local, line: firstLine + off - 1}
			top := stack[len(stack)-1]
			top.children = append(top.children, e)
			stack = append(stack, e)
		case xml.EndElement:
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			stack[len(stack)-1].text.Write(bytes.TrimSpace(t))
		}
	}
	var find func(e *elem) *elem
	find = func(e *elem) *elem {
		for _, c := range e.children {
			if c.name == "data" {
				return c
			}
			if f := find(c); f != nil {
				return f
			}
		}
		return nil
	}
	data := find(root)
	if data == nil {
		if len(root.children) != 1 {
			return nil
		}
		data = root.children[0]
	}
	var props fields
	for _, c := range data.children {
		if c.name == "element" || props.has(c.name) {
			continue
		}
		var v *node
		if len(c.children) > 0 && c.children[0].name == "element" {
			v = arraySchema(valueType(c.children[0].text.String(), true, c.line), c.line)
		} else {
			s := c.text.String()
			v = valueType(s, !integerRe.MatchString(s) && s != "true" && s != "false", c.line)
		}
		props.add(c.name, c.line, v)
	}
	if len(props.kv) == 0 {
		return nil
	}
	return mappingNode(data.line, scalarNode("type", data.line), scalarNode("object", data.line), scalarNode("properties", data.line), props.mapping(data.line))
}
