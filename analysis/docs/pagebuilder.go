package docs

import (
	"regexp"
	"sort"
	"strings"
)

// Pages as people write them. An endpoint is written in a code block, in
// backquotes or in prose ("GET /users/:id"), or as "Syntax: path" with
// "HTTP method: POST" on the next line; what follows it until the next
// heading of its level is about it: a fields table (with or without a
// type column), a list of arguments, JSON or XML request and response
// examples. The page reader collects these per endpoint, writes them as
// the OpenAPI document the page could have been, and lets the OpenAPI
// reader decide the classes, so that pages and descriptions agree on
// what a resource is. Tables under a heading that names a class, with no
// endpoint around them, still describe that class.

// itemKind is what a part of a page is.
type itemKind int

const (
	itemHeading itemKind = iota
	itemText             // a line of a paragraph
	itemBullet           // a list item
	itemCode             // a code block
	itemTable
)

// pageItem is a part of a page, in reading order.
type pageItem struct {
	kind  itemKind
	level int // of a heading
	line  int
	text  string // a heading's title, a line, a list item, a code block
	table *pageTable
}

// pageEndpoint is an endpoint of a page with what the page says about it.
type pageEndpoint struct {
	method, path string
	line         int
	summary      string
	fields       []*Attribute      // of its request body
	request      *node             // schema of its request examples
	response     *node             // schema of its response examples
	params       map[string]string // descriptions of its placeholders
	paramLines   map[string]int
}

// pageBuilder reads the items of a page.
type pageBuilder struct {
	doc       *Doc
	endpoints []*pageEndpoint
	byKey     map[string]*pageEndpoint
	current   []*pageEndpoint // the endpoints the text now talks about
	level     int             // the heading level they were found under
	heading   string
	headLevel int
	syntax    string // a "Syntax: path" waiting for its method
	syntaxAt  int
	keyList   *pageEndpoint // after "PUT argument: key", bare list items name fields
	request   bool          // the last line of prose announced a request example
	tables    []pageTable   // tables no endpoint claims
	sections  []section
}

func newPageBuilder(d *Doc) *pageBuilder {
	return &pageBuilder{doc: d, byKey: map[string]*pageEndpoint{}}
}

func (b *pageBuilder) add(it pageItem) {
	if len(b.sections) > 0 && it.kind != itemHeading {
		b.sections[len(b.sections)-1].end = max(b.sections[len(b.sections)-1].end, it.line)
	}
	switch it.kind {
	case itemHeading:
		if len(b.sections) > 0 {
			b.sections[len(b.sections)-1].end = max(b.sections[len(b.sections)-1].start, it.line-1)
		}
		b.sections = append(b.sections, section{title: it.text, start: it.line, end: it.line})
		if b.doc.Title == "" && it.level == 1 {
			b.doc.Title = it.text
		}
		if it.level <= b.level {
			b.current, b.level = nil, 0
		}
		b.heading, b.headLevel = it.text, it.level
		b.keyList, b.syntax, b.request = nil, "", false
	case itemText:
		b.text(it.text, it.line, false)
	case itemBullet:
		b.text(it.text, it.line, true)
	case itemCode:
		b.code(it.text, it.line)
	case itemTable:
		b.table(*it.table)
	}
}

var (
	endpointRe   = regexp.MustCompile(`\b(GET|POST|PUT|PATCH|DELETE)\s+(/[\w/{}.:~-]*)`)
	syntaxRe     = regexp.MustCompile(`(?i)^\s*syntax:\s*(\S+)`)
	methodLineRe = regexp.MustCompile(`(?i)^\s*(?:http )?method:\s*(GET|POST|PUT|PATCH|DELETE)\b`)
	// "POST argument: userid - string, the required username", "POST
	// argument: groupid, string - the group"
	argumentRe = regexp.MustCompile(`(?i)^\s*(GET|POST|PUT|PATCH|DELETE|url)\s+arguments?:\s*([A-Za-z_][\w.-]*)\s*(?:-\s*|,\s*)(.*)$`)
	// "`id` (required) - The ID of a user"
	paramBulletRe = regexp.MustCompile("^\\s*`?([A-Za-z_][\\w.-]*)`?\\s*\\((required|optional)\\)\\s*-\\s*(.*)$")
	bareFieldRe   = regexp.MustCompile(`^\s*([A-Za-z_][\w.-]*)\s*(?:\(.*\))?\s*$`)
)

// text reads a line of prose or a list item.
func (b *pageBuilder) text(t string, line int, bullet bool) {
	trimmed := strings.TrimSpace(t)
	if trimmed == "" {
		return
	}
	if m := syntaxRe.FindStringSubmatch(trimmed); m != nil {
		b.syntax, b.syntaxAt = m[1], line
		return
	}
	if m := methodLineRe.FindStringSubmatch(trimmed); m != nil && b.syntax != "" {
		p := b.syntax
		if !strings.HasPrefix(p, "/") {
			p = "/" + p
		}
		b.endpoint(strings.ToUpper(m[1]), p, b.syntaxAt, trimmed)
		b.syntax = ""
		return
	}
	found := false
	if !httpRequestRe.MatchString(trimmed) {
		for _, m := range endpointRe.FindAllStringSubmatch(t, -1) {
			b.endpoint(m[1], strings.TrimRight(m[2], ".:,"), line, trimmed)
			found = true
		}
	}
	if found {
		return
	}
	lower := strings.ToLower(trimmed)
	b.request = strings.Contains(lower, "request") && !strings.Contains(lower, "response")
	if bullet {
		b.bullet(trimmed, line)
	}
}

// bullet reads a list item about the current endpoints: an argument, a
// placeholder's description, a field of a key list.
func (b *pageBuilder) bullet(t string, line int) {
	if m := argumentRe.FindStringSubmatch(t); m != nil {
		method, name, rest := strings.ToUpper(m[1]), m[2], m[3]
		b.keyList = nil
		if method == "URL" || method == "GET" {
			return // query parameters
		}
		e := b.currentWith(method)
		if e == nil {
			return
		}
		if strings.EqualFold(name, "key") && strings.HasSuffix(strings.TrimSpace(rest), ":") {
			b.keyList = e // the fields follow, one per item
			return
		}
		if strings.EqualFold(name, "value") && b.keyListDone(e) {
			return
		}
		a := &Attribute{Name: name, Line: line}
		typ, desc := argumentType(rest)
		a.Type, a.Description = typ, desc
		if strings.Contains(strings.ToLower(desc), "required") && !strings.Contains(strings.ToLower(desc), "required if") {
			a.Required = true
		}
		if typ == "array" {
			a.Type, a.MultiValued = "string", true
		}
		e.fields = append(e.fields, a)
		return
	}
	if b.keyList != nil {
		if m := bareFieldRe.FindStringSubmatch(t); m != nil {
			b.keyList.fields = append(b.keyList.fields, &Attribute{Name: m[1], Line: line, Type: "string", Description: t})
			return
		}
		b.keyList = nil
	}
	if m := paramBulletRe.FindStringSubmatch(t); m != nil {
		for _, e := range b.current {
			if contains(pathParams(e.path), m[1]) {
				e.params[m[1]], e.paramLines[m[1]] = m[3], line
				return
			}
		}
		if e := b.lastWrite(); e != nil {
			e.fields = append(e.fields, &Attribute{Name: m[1], Line: line, Type: typeFromText(m[3]), Description: m[3], Required: m[2] == "required"})
		}
	}
}

// keyListDone reports whether an endpoint took its fields from a key
// list: its "value" argument is the value of those fields, not one.
func (b *pageBuilder) keyListDone(e *pageEndpoint) bool { return len(e.fields) > 0 }

// argumentType reads "string, the username" or "string - the group":
// the type word first, then the description.
func argumentType(rest string) (string, string) {
	rest = strings.TrimSpace(rest)
	word := rest
	if i := strings.IndexAny(rest, " ,-"); i > 0 {
		word = rest[:i]
	}
	if typ, ok := knownTypes[strings.ToLower(word)]; ok {
		desc := strings.TrimLeft(rest[len(word):], " ,-")
		return typ, desc
	}
	return typeFromText(rest), rest
}

// endpoint records an endpoint the page names; a second mention of the
// same endpoint is the same endpoint.
func (b *pageBuilder) endpoint(method, path string, line int, text string) {
	path = bracePlaceholders(path)
	key := method + " " + normalizePlaceholders(path)
	e := b.byKey[key]
	if e == nil {
		summary := b.heading
		if summary == "" {
			summary = text
		}
		e = &pageEndpoint{method: method, path: path, line: line, summary: summary, params: map[string]string{}, paramLines: map[string]int{}}
		b.byKey[key] = e
		b.endpoints = append(b.endpoints, e)
		if len(b.sections) > 0 {
			b.sections[len(b.sections)-1].endpoints++
		}
	}
	if b.level != b.headLevel {
		b.current = nil
	}
	b.current = append(b.current, e)
	b.level = b.headLevel
}

func normalizePlaceholders(p string) string { return paramRe.ReplaceAllString(p, "{}") }

// currentWith returns the latest current endpoint of a method.
func (b *pageBuilder) currentWith(method string) *pageEndpoint {
	for i := len(b.current) - 1; i >= 0; i-- {
		if b.current[i].method == method {
			return b.current[i]
		}
	}
	return nil
}

// lastWrite returns the latest current endpoint that writes.
func (b *pageBuilder) lastWrite() *pageEndpoint {
	for i := len(b.current) - 1; i >= 0; i-- {
		switch b.current[i].method {
		case "POST", "PUT", "PATCH":
			return b.current[i]
		}
	}
	return nil
}

func (b *pageBuilder) last() *pageEndpoint {
	if len(b.current) == 0 {
		return nil
	}
	return b.current[len(b.current)-1]
}

// code reads a code block: endpoint templates, and JSON or XML examples.
func (b *pageBuilder) code(text string, line int) {
	for i, l := range strings.Split(text, "\n") {
		b.text(l, line+i, false)
	}
	trimmed := strings.TrimSpace(text)
	if strings.HasPrefix(trimmed, "<") {
		if s := xmlExampleSchema(text, line); s != nil {
			if e := b.last(); e != nil {
				e.response = mergeExample(e.response, s)
			}
		}
		return
	}
	method, response, body, bodyLine := httpExample(text, line)
	s := exampleSchema(body, bodyLine)
	if s == nil {
		return
	}
	switch {
	case method != "":
		if e := b.currentWith(method); e != nil {
			e.request = mergeExample(e.request, s)
		}
	case !response && b.request:
		if e := b.lastWrite(); e != nil {
			e.request = mergeExample(e.request, s)
		}
	default:
		if e := b.last(); e != nil {
			e.response = mergeExample(e.response, s)
		}
	}
}

// mergeExample joins two examples of one body: the properties of both.
func mergeExample(a, b *node) *node {
	if a == nil {
		return b
	}
	if str(get(a, "type")) == "array" && str(get(b, "type")) == "array" {
		mergeSchemas(get(a, "items"), get(b, "items"))
		return a
	}
	return mergeSchemas(a, b)
}

// table reads a table: the request fields of the current endpoint that
// writes, the descriptions of its placeholders, or, with no endpoint
// around, a class's fields.
func (b *pageBuilder) table(t pageTable) {
	if len(b.sections) > 0 {
		b.sections[len(b.sections)-1].tables++
	}
	if len(b.current) == 0 {
		b.tables = append(b.tables, t)
		return
	}
	e := b.last()
	params := map[string]bool{}
	for _, p := range pathParams(e.path) {
		params[p] = true
	}
	attrs := tableAttributes(t, nil)
	for _, a := range attrs {
		if params[a.Name] {
			e.params[a.Name], e.paramLines[a.Name] = a.Description, a.Line
		}
	}
	switch e.method {
	case "POST", "PUT", "PATCH":
		for _, a := range attrs {
			if !params[a.Name] {
				e.fields = append(e.fields, a)
			}
		}
	}
	// A GET's table lists query parameters: filters, not fields.
}

// finish writes the page's endpoints as an OpenAPI document, reads its
// resources, and adds the classes of the tables no endpoint claims.
func (b *pageBuilder) finish() {
	d := b.doc
	if len(b.sections) > 0 {
		b.sections[len(b.sections)-1].end = max(b.sections[len(b.sections)-1].end, b.lastLine())
	}
	// Each path's operations are gathered first and its node made once
	// (adding to a node copies its children).
	var order []*pageEndpoint
	ops := map[string][]*node{}
	for _, e := range b.endpoints {
		if _, ok := ops[e.path]; !ok {
			order = append(order, e)
		}
		ops[e.path] = append(ops[e.path], scalarNode(strings.ToLower(e.method), e.line), e.operation())
	}
	var items []*node
	for _, e := range order {
		items = append(items, scalarNode(e.path, e.line), mappingNode(e.line, ops[e.path]...))
	}
	root := mappingNode(1, scalarNode("paths", 1), mappingNode(1, items...))
	r := newOAReader(d, root)
	res := r.resources(r.operations())
	// In the page's order, not grouped by path.
	sort.SliceStable(d.Endpoints, func(i, j int) bool { return d.Endpoints[i].Line < d.Endpoints[j].Line })
	byName := map[string]*Class{}
	for _, c := range res {
		d.Classes = append(d.Classes, c.class)
		byName[c.name] = c.class
	}
	for _, t := range b.tables {
		c := tableClass(t)
		if c == nil {
			continue
		}
		if have := byName[c.Name]; have != nil {
			for _, a := range c.Attributes {
				if have.Attribute(a.Name) == nil {
					have.Attributes = append(have.Attributes, a)
				}
			}
			continue
		}
		c.Kept = "the fields table under \"" + t.heading + "\""
		byName[c.Name] = c
		d.Classes = append(d.Classes, c)
	}
	for _, e := range d.Endpoints {
		if c := byName[e.Class]; c != nil && !c.Resource {
			c.Resource = true
			c.Kept += ", served by " + e.Method + " " + e.Path
		}
	}
	prose := len(d.Classes) == 0 && len(d.Endpoints) == 0
	for _, s := range b.sections {
		if s.tables > 0 || s.endpoints > 0 || prose {
			d.Chunks = append(d.Chunks, &Chunk{Title: s.title, Class: headingClass(s.title), StartLine: s.start, EndLine: s.end})
		}
	}
	if prose {
		// A page with no schema table and no endpoint is not API
		// documentation connls can read; its sections are kept only as
		// prose that an LLM assistant may read about a class.
		d.Format = FormatProse
	}
}

func (b *pageBuilder) lastLine() int {
	if len(b.sections) == 0 {
		return 1
	}
	return b.sections[len(b.sections)-1].end
}

// operation writes an endpoint as an OpenAPI operation.
func (e *pageEndpoint) operation() *node {
	l := e.line
	op := mappingNode(l, scalarNode("summary", l), scalarNode(e.summary, l))
	if len(e.params) > 0 {
		params := sequenceNode(l)
		for _, name := range pathParams(e.path) {
			if desc, ok := e.params[name]; ok {
				pl := e.paramLines[name]
				params.add(mappingNode(pl, scalarNode("name", pl), scalarNode(name, pl),
					scalarNode("in", pl), scalarNode("path", pl), scalarNode("description", pl), scalarNode(desc, pl)))
			}
		}
		op.add(scalarNode("parameters", l), params)
	}
	if body := e.requestSchema(); body != nil {
		op.add(scalarNode("requestBody", l), content(body, l))
	}
	resp := mappingNode(l, scalarNode("description", l), scalarNode("example", l))
	if e.response != nil {
		resp = content(e.response, l)
		resp.add(scalarNode("description", l), scalarNode("example", l))
	}
	op.add(scalarNode("responses", l), mappingNode(l, scalarNode("200", l), resp))
	return op
}

// content wraps a schema as a JSON content map.
func content(schema *node, l int) *node {
	return mappingNode(l, scalarNode("content", l),
		mappingNode(l, scalarNode("application/json", l), mappingNode(l, scalarNode("schema", l), schema)))
}

// requestSchema is the request body: the listed fields and the request
// examples.
func (e *pageEndpoint) requestSchema() *node {
	if len(e.fields) == 0 {
		return e.request
	}
	var props fields
	var required []*node
	for _, a := range e.fields {
		if props.has(a.Name) {
			continue
		}
		props.add(a.Name, a.Line, attributeSchema(a))
		if a.Required {
			required = append(required, scalarNode(a.Name, a.Line))
		}
	}
	s := mappingNode(e.line, scalarNode("type", e.line), scalarNode("object", e.line), scalarNode("properties", e.line), props.mapping(e.line))
	if len(required) > 0 {
		s.add(scalarNode("required", e.line), sequenceNode(e.line, required...))
	}
	if e.request != nil {
		s = mergeSchemas(s, e.request)
	}
	return s
}

// attributeSchema writes a field as a property schema.
func attributeSchema(a *Attribute) *node {
	l := a.Line
	typ := a.Type
	if typ == "" {
		typ = "string"
	}
	s := mappingNode(l, scalarNode("type", l), scalarNode(typ, l))
	if a.Format != "" {
		s.add(scalarNode("format", l), scalarNode(a.Format, l))
	}
	if a.Description != "" {
		s.add(scalarNode("description", l), scalarNode(a.Description, l))
	}
	if a.ReadOnly {
		s.add(scalarNode("readOnly", l), scalarNode("true", l))
	}
	if a.WriteOnly {
		s.add(scalarNode("writeOnly", l), scalarNode("true", l))
	}
	if a.MultiValued {
		return mappingNode(l, scalarNode("type", l), scalarNode("array", l), scalarNode("items", l), s)
	}
	return s
}

// section is the part of a page under one heading.
type section struct {
	title             string
	start, end        int
	tables, endpoints int
}
