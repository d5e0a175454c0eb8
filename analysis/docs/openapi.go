package docs

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// readOpenAPI reads OpenAPI 3.0/3.1 and Swagger 2.0, in JSON or YAML.
//
// The document is read into the package's own node tree (parseJSON,
// parseYAML) and classes and endpoints are taken from that tree directly.
// libopenapi is not used: the reader needs the tree with line numbers and
// the specification's version, both of which are a few lines here, and
// its JSON tree of yaml.Nodes was most of the memory of reading a big
// description. Its high-level model was never built: on a 10 MB document
// it cost two thirds of the time and more memory than the whole tree, for
// facts this reader would still have to combine itself (allOf,
// flattening, the class a path serves).
func readOpenAPI(path string, text []byte) *Doc { return readOpenAPIWith(path, text, nil) }

// readOpenAPIWith reads an OpenAPI document whose references to other
// files are read through files (nil: they are not followed).
func readOpenAPIWith(path string, text []byte, files FileReader) *Doc {
	d := &Doc{Path: path, Format: FormatOpenAPI}
	var root *node
	if strings.HasSuffix(strings.ToLower(path), ".json") {
		var p *Problem
		if root, p = parseJSON(text); p != nil {
			d.Problems = append(d.Problems, *p)
			return d
		}
	} else {
		var err error
		if root, err = parseYAML(text); err != nil {
			p := yamlProblem(err)
			p.Message = "cannot read the OpenAPI document: unable to parse specification: " + strings.TrimPrefix(p.Message, "invalid YAML: ")
			d.Problems = append(d.Problems, *p)
			return d
		}
		if root == nil {
			d.Problems = append(d.Problems, Problem{Line: 1, Message: "the OpenAPI document is empty"})
			return d
		}
	}
	if root.Kind != mappingKind {
		d.Problems = append(d.Problems, Problem{Line: int(root.Line), Message: "an OpenAPI document must be an object"})
		return d
	}
	if p := versionProblem(root); p != nil {
		d.Problems = append(d.Problems, *p)
		return d
	}
	r := newOAReader(d, root)
	if files != nil {
		r.resolver = newFileResolver(path, files)
	}
	if r.swagger {
		d.Format = FormatSwagger
	}
	d.Title = str(get(get(root, "info"), "title"))
	d.BasePath = r.basePath()
	r.read()
	texts := [][]byte{text}
	if r.resolver != nil {
		texts = append(texts, r.resolver.texts...)
	}
	detach(d, texts...)
	return d
}

type oaReader struct {
	doc     *Doc
	root    *node
	swagger bool
	schemas map[string]*node // by schema name, as written
	keys    map[string]*node // the key node of each schema
	order   []string
	attrs   map[*node][]*Attribute // flattened attributes by schema node
	// the resource classes, by name and by the schema (name or inline
	// node) they were made from
	byName    map[string]*resource
	bySchema  map[any]*resource
	words     vocabulary        // of paths and titles, read when first needed
	pointers  map[string]*node  // local references resolved so far
	names     map[string]string // class names of schemas, when no path names them
	props     map[*node]propSet
	bodyAttrs map[*node][]*Attribute // request bodies read as resources
	limits    map[*node]uint8        // writeLimits of description nodes
	// resolver follows references to other files; nil for one document.
	resolver *fileResolver
}

// versionProblem checks the version the document declares: "openapi"
// 3.x or "swagger" 2.0, as libopenapi checked it when it read the
// documents (the first character of the version is its major version).
func versionProblem(root *node) *Problem {
	version := func(key string) (*node, bool) {
		c := root.Content()
		for i := range c {
			if c[i].Value() == key {
				if i+1 < len(c) {
					return &c[i+1], true
				}
				return &c[i], true
			}
		}
		return nil, false
	}
	major := func(v *node) (int, *Problem) {
		s := []rune(strings.TrimSpace(v.Value()))
		if len(s) == 0 {
			return 0, &Problem{Line: int(v.Line), Column: v.column(), Message: "cannot read the OpenAPI document: unable to extract version from: " + v.Value()}
		}
		return int(s[0] - '0'), nil
	}
	oa, isOA := version("openapi")
	sw, isSwagger := version("swagger")
	if !isOA && !isSwagger {
		return &Problem{Line: 1, Message: `cannot read the OpenAPI document: it has no "openapi" or "swagger" key at the top level`}
	}
	if isOA {
		m, p := major(oa)
		if p != nil {
			return p
		}
		if m < 3 {
			return &Problem{Line: int(oa.Line), Column: oa.column(), Message: "cannot read the OpenAPI document: spec is defined as an openapi spec, but is using a swagger (2.0), or unknown version"}
		}
	}
	if isSwagger {
		m, p := major(sw)
		if p != nil {
			return p
		}
		if m > 2 {
			return &Problem{Line: int(sw.Line), Column: sw.column(), Message: "cannot read the OpenAPI document: spec is defined as a swagger (openapi 2.0) spec, but is an openapi 3 or unknown version"}
		}
	}
	return nil
}

func newOAReader(d *Doc, root *node) *oaReader {
	r := &oaReader{doc: d, root: root, swagger: get(root, "swagger") != nil,
		schemas: map[string]*node{}, keys: map[string]*node{}, attrs: map[*node][]*Attribute{},
		bySchema: map[any]*resource{}, pointers: map[string]*node{},
		names: map[string]string{}, props: map[*node]propSet{}, bodyAttrs: map[*node][]*Attribute{}, limits: map[*node]uint8{}}
	return r
}

// basePath reads the path of the base address: Swagger's basePath, or the
// path of the first server URL (variables kept as written).
func (r *oaReader) basePath() string {
	p := str(get(r.root, "basePath"))
	if !r.swagger {
		servers := items(get(r.root, "servers"))
		if len(servers) == 0 {
			return ""
		}
		raw := str(get(&servers[0], "url"))
		if i := strings.Index(raw, "://"); i >= 0 {
			raw = raw[i+3:]
			if j := strings.IndexByte(raw, '/'); j >= 0 {
				raw = raw[j:]
			} else {
				raw = ""
			}
		}
		if u, err := url.PathUnescape(raw); err == nil {
			raw = u
		}
		p = raw
	}
	p = strings.TrimRight(p, "/")
	if p != "" && !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return p
}

// schemasNode returns components.schemas (3.x) or definitions (2.0).
func (r *oaReader) schemasNode() *node {
	if r.swagger {
		return get(r.root, "definitions")
	}
	return get(get(r.root, "components"), "schemas")
}

func (r *oaReader) read() {
	if s := r.schemasNode(); s != nil && s.Kind == mappingKind {
		for i := 0; i+1 < len(s.Content()); i += 2 {
			k, v := s.kid(i), s.kid(i+1)
			if first := r.keys[k.Value()]; first != nil {
				r.duplicate("schema", k, first)
				continue
			}
			r.schemas[k.Value()], r.keys[k.Value()] = v, k
			r.order = append(r.order, k.Value())
		}
	}
	ops := r.operations()
	res := r.resources(ops)
	consumed := map[string]bool{}
	for _, c := range res {
		r.doc.Classes = append(r.doc.Classes, c.class)
		for _, name := range c.schemaNames {
			consumed[name] = true
		}
	}
	r.security()
	// Schemas that no endpoint serves as a resource stay as helper
	// classes, for scripts that name them (embedded objects).
	for _, name := range r.order {
		if consumed[name] {
			continue
		}
		k := r.keys[name]
		sch := r.resolve(r.schemas[name])
		r.doc.Classes = append(r.doc.Classes, &Class{Name: name, Line: int(k.Line), Schema: name,
			Description: str(get(sch, "description")), Attributes: r.schemaAttributes(r.schemas[name])})
	}
	r.chunks()
}

// duplicate reports a key defined twice; the reader keeps the first.
func (r *oaReader) duplicate(what string, k, first *node) {
	r.doc.Problems = append(r.doc.Problems, Problem{Line: int(k.Line), Column: k.column(),
		Message: fmt.Sprintf("%s %q is defined twice; the definition on line %d is used", what, k.Value(), first.Line)})
}

// resolve follows $ref chains to the node they point at.
func (r *oaReader) resolve(n *node) *node {
	for i := 0; i < 32 && n != nil; i++ {
		refNode := get(n, "$ref")
		ref := str(refNode)
		if ref == "" {
			return n
		}
		target := r.pointer(ref, refNode)
		if target == nil {
			r.unresolved(ref, refNode)
			return nil
		}
		n = target
	}
	return n
}

// unresolved reports a reference that does not resolve, once per place.
func (r *oaReader) unresolved(ref string, at *node) {
	line, in, written := r.resolver.where(at)
	column := at.column()
	if in != "" {
		column, ref = 0, written
	}
	msg := fmt.Sprintf("$ref %q%s does not resolve", ref, in)
	switch {
	case strings.Contains(ref, "://"):
		msg += " (remote references are not followed)"
	case !strings.HasPrefix(ref, "#") && r.resolver == nil:
		msg += " (references to other files are followed only in a workspace)"
	case !strings.HasPrefix(ref, "#"):
		msg += " (the file is not in the workspace, cannot be read, or has no such part)"
	}
	for _, p := range r.doc.Problems {
		if p.Line == line && p.Message == msg {
			return
		}
	}
	r.doc.Problems = append(r.doc.Problems, Problem{Line: line, Column: int(column), Message: msg})
}

// refName returns the schema name a $ref points to ("User"), or "": the
// last part of a local pointer, or the name of a file's schema
// (./schemas/user_model.yml gives user_model).
func refName(n *node) string {
	ref := str(get(n, "$ref"))
	if ref == "" {
		return ""
	}
	if i := strings.LastIndex(ref, "/"); i >= 0 && strings.Contains(ref, "#/") {
		return unescapePointer(ref[i+1:])
	}
	if !strings.Contains(ref, "#") {
		base := ref[strings.LastIndex(ref, "/")+1:]
		if i := strings.IndexByte(base, '.'); i > 0 {
			base = base[:i]
		}
		return base
	}
	return ""
}

func unescapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

// pointer resolves a JSON pointer such as #/components/schemas/User, in
// this document or, through the resolver, in another file.
func (r *oaReader) pointer(ref string, at *node) *node {
	if !strings.HasPrefix(ref, "#") {
		if r.resolver == nil {
			return nil
		}
		return r.resolver.resolve(ref, at)
	}
	if n, ok := r.pointers[ref]; ok {
		return n
	}
	prefix := "#/components/schemas/"
	if r.swagger {
		prefix = "#/definitions/"
	}
	if name, ok := strings.CutPrefix(ref, prefix); ok && !strings.Contains(name, "/") {
		if n := r.schemas[unescapePointer(name)]; n != nil {
			return n // the common case, without a walk through every schema
		}
	}
	n := walkPointer(r.root, ref)
	r.pointers[ref] = n
	return n
}

// walkPointer follows the fragment of a JSON pointer ("#/a/b") from a
// document's root.
func walkPointer(root *node, ref string) *node {
	if ref == "#" || ref == "" {
		return root
	}
	if !strings.HasPrefix(ref, "#/") {
		return nil
	}
	n := root
	for _, part := range strings.Split(ref[2:], "/") {
		part = unescapePointer(part)
		switch n.Kind {
		case mappingKind:
			n = get(n, part)
		case sequenceKind:
			var i int
			if _, err := fmt.Sscanf(part, "%d", &i); err != nil || i < 0 || i >= len(n.Content()) {
				return nil
			}
			n = n.kid(i)
		default:
			return nil
		}
		if n == nil {
			return nil
		}
	}
	return n
}

// typeOf returns a schema's JSON type; 3.1 may list several, with "null".
func typeOf(s *node) string {
	t := get(s, "type")
	if t == nil {
		if get(s, "properties") != nil || get(s, "allOf") != nil {
			return "object"
		}
		return ""
	}
	if t.Kind == sequenceKind {
		for x := range each(t.Content()) {
			if x.Value() != "null" {
				return x.Value()
			}
		}
		return ""
	}
	return t.Value()
}

// property is a schema property with everything merged from allOf.
type property struct {
	key    *node
	schema *node // as written (may be a $ref)
}

// properties merges a schema's properties with those of its allOf parts;
// seen guards against cycles.
func (r *oaReader) properties(s *node, seen map[*node]bool) ([]property, map[string]bool) {
	s = r.resolve(s)
	if s == nil || seen[s] {
		return nil, nil
	}
	seen[s] = true
	defer delete(seen, s)
	var props []property
	required := map[string]bool{}
	for part := range each(items(get(s, "allOf"))) {
		p, req := r.properties(part, seen)
		props = append(props, p...)
		for k := range req {
			required[k] = true
		}
	}
	if req := get(s, "required"); req != nil && req.Kind == sequenceKind {
		for x := range each(req.Content()) {
			required[x.Value()] = true
		}
	}
	if ps := get(s, "properties"); ps != nil && ps.Kind == mappingKind {
		for i := 0; i+1 < len(ps.Content()); i += 2 {
			props = append(props, property{ps.kid(i), ps.kid(i + 1)})
		}
	}
	// A later property of the same name (an allOf override) wins.
	index := map[string]int{}
	var out []property
	for _, p := range props {
		if i, ok := index[p.key.Value()]; ok {
			out[i] = p
			continue
		}
		index[p.key.Value()] = len(out)
		out = append(out, p)
	}
	return out, required
}

// propSet is the merged properties of a schema and those it requires.
type propSet struct {
	props    []property
	required map[string]bool
}

// propertiesOf returns the merged properties of a schema, read once per
// schema: nested schemas are flattened once per parent that holds them.
func (r *oaReader) propertiesOf(s *node) propSet {
	key := r.resolve(s)
	if ps, ok := r.props[key]; ok {
		return ps
	}
	props, required := r.properties(key, map[*node]bool{})
	ps := propSet{props, required}
	r.props[key] = ps
	return ps
}

// maxDepth bounds the flattening of nested objects (name.givenName).
const maxDepth = 3

// schemaAttributes returns the flattened attributes of a schema, read
// once per schema node. Callers that change them must copy them.
func (r *oaReader) schemaAttributes(s *node) []*Attribute {
	key := r.resolve(s)
	if key == nil {
		return nil
	}
	if as, ok := r.attrs[key]; ok {
		return as
	}
	as := r.attributes(s, "", 0, map[*node]bool{key: true})
	r.attrs[key] = as
	return as
}

// attributes lists a schema's attributes, nested objects flattened to
// dotted names. seen holds the schemas being flattened, outermost first.
func (r *oaReader) attributes(s *node, prefix string, depth int, seen map[*node]bool) []*Attribute {
	ps := r.propertiesOf(s)
	var out []*Attribute
	for _, p := range ps.props {
		sch := r.resolve(p.schema)
		if sch == nil {
			continue
		}
		k := keysOf(sch)
		a := &Attribute{Name: prefix + p.key.Value(), Line: int(p.key.Line), File: r.resolver.fileOf(p.key), Required: ps.required[p.key.Value()] && prefix == ""}
		a.Description = str(k.description)
		r.flags(a, k)
		if sch != p.schema {
			r.flags(a, keysOf(p.schema)) // readOnly beside a $ref (3.1)
		}
		typ := k.typeOf()
		elem := sch
		if typ == "array" {
			a.MultiValued = true
			if k.items != nil {
				if ref := refName(k.items); ref != "" {
					a.Ref = ref
				}
				elem = r.resolve(k.items)
				typ = typeOf(elem)
			}
		}
		if ref := refName(p.schema); ref != "" {
			a.Ref = ref
		}
		a.Type = typ
		if elem != nil {
			ek := k
			if elem != sch {
				ek = keysOf(elem)
			}
			a.Format = str(ek.format)
			for e := range each(items(ek.enum)) {
				a.Enum = append(a.Enum, e.Value())
			}
		}
		out = append(out, a)
		switch {
		case typ != "object" || elem == nil || depth >= maxDepth:
		case seen[elem]:
			// A schema that contains itself (parent: Org inside Org) is
			// a reference to another object, not parts to flatten.
			a.Type = "object"
		default:
			a.Complex = true
			seen[elem] = true
			subs := r.attributes(elem, a.Name+".", depth+1, seen)
			delete(seen, elem)
			for _, sub := range subs {
				sub.MultiValued = sub.MultiValued || a.MultiValued
				sub.ReadOnly = sub.ReadOnly || a.ReadOnly
				sub.WriteOnly = sub.WriteOnly || a.WriteOnly
				out = append(out, sub)
			}
		}
	}
	return out
}

// schemaKeys are the keys of a schema the attribute reader needs, found
// in one pass over the mapping.
type schemaKeys struct {
	typ, props, allOf, items, format, enum, description, readOnly, writeOnly *node
}

func keysOf(n *node) schemaKeys {
	var k schemaKeys
	if n == nil || n.Kind != mappingKind {
		return k
	}
	for i := 0; i+1 < len(n.Content()); i += 2 {
		v := n.kid(i + 1)
		switch n.kid(i).Value() {
		case "type":
			k.typ = v
		case "properties":
			k.props = v
		case "allOf":
			k.allOf = v
		case "items":
			k.items = v
		case "format":
			k.format = v
		case "enum":
			k.enum = v
		case "description":
			k.description = v
		case "readOnly":
			k.readOnly = v
		case "writeOnly":
			k.writeOnly = v
		}
	}
	return k
}

// typeOf returns the schema's JSON type, as typeOf does.
func (k schemaKeys) typeOf() string {
	t := k.typ
	if t == nil {
		if k.props != nil || k.allOf != nil {
			return "object"
		}
		return ""
	}
	if t.Kind == sequenceKind {
		for x := range each(t.Content()) {
			if x.Value() != "null" {
				return x.Value()
			}
		}
		return ""
	}
	return t.Value()
}

func (r *oaReader) flags(a *Attribute, k schemaKeys) {
	if b, ok := boolOf(k.readOnly); ok && b {
		a.ReadOnly = true
	}
	if b, ok := boolOf(k.writeOnly); ok && b {
		a.WriteOnly = true
	}
	d := k.description
	if d == nil || d.Kind != scalarKind {
		return
	}
	// Nested schemas are flattened once per parent: read each
	// description once.
	lim, ok := r.limits[d]
	if !ok {
		if immutable, selfOnly := writeLimits(d.Value()); immutable {
			lim = 1
		} else if selfOnly {
			lim = 2
		}
		r.limits[d] = lim
	}
	switch {
	case lim&1 != 0:
		a.Immutable = true
	case lim&2 != 0:
		a.NoUpdate = true
	}
}

var methods = []string{"get", "post", "put", "patch", "delete"}

func firstSentence(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, ".\n"); i > 0 {
		return s[:i]
	}
	return s
}

var setsRe = regexp.MustCompile(`(?i)\bsets?\s+(?:the\s+)?([A-Za-z_][\w.]*)\s+(?:to|=)\s+["'\x60]?([\w-]+)`)

// actionSets reads "sets status to locked" from an action's text.
func actionSets(text string) string {
	if m := setsRe.FindStringSubmatch(text); m != nil {
		return m[1] + "=" + m[2]
	}
	return ""
}

// chunks splits the document by resource: each class with the paths
// that serve it.
func (r *oaReader) chunks() {
	byClass := map[string]*Chunk{}
	var order []string
	for _, e := range r.doc.Endpoints {
		key := e.Class
		if key == "" {
			key = classifyPath(e.Path).resource
		}
		ch := byClass[key]
		if ch == nil {
			ch = &Chunk{Title: key, Class: e.Class, StartLine: e.Line, EndLine: e.Line}
			byClass[key] = ch
			order = append(order, key)
		}
		ch.StartLine = min(ch.StartLine, e.Line)
		ch.EndLine = max(ch.EndLine, e.Line)
	}
	for _, c := range r.doc.Classes {
		if !c.Resource {
			continue
		}
		if _, ok := byClass[c.Name]; !ok {
			byClass[c.Name] = &Chunk{Title: c.Name, Class: c.Name, StartLine: c.Line, EndLine: c.Line}
			order = append(order, c.Name)
		}
	}
	for _, k := range order {
		r.doc.Chunks = append(r.doc.Chunks, byClass[k])
	}
}
