package docs

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"

	yaml "github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi"
	"github.com/pb33f/libopenapi/datamodel"
)

// readOpenAPI reads OpenAPI 3.0/3.1 and Swagger 2.0, in JSON or YAML.
//
// libopenapi reads the document: it detects the specification and its
// version and builds the node tree with line numbers (its JSON path is
// three times faster than a YAML parser on big documents). Classes and
// endpoints are taken from that tree directly. libopenapi's own high-level
// model is not built: on a 10 MB document it costs two thirds of the time
// and more memory than the whole tree, for facts this reader would still
// have to combine itself (allOf, flattening, the class a path serves).
func readOpenAPI(path string, text []byte) *Doc {
	d := &Doc{Path: path, Format: FormatOpenAPI}
	if strings.HasSuffix(strings.ToLower(path), ".json") && !json.Valid(text) {
		// libopenapi's JSON errors carry no position; encoding/json's do.
		_, p := ParseTree(text, true)
		d.Problems = append(d.Problems, *p)
		return d
	}
	doc, err := libopenapi.NewDocumentWithConfiguration(text, &datamodel.DocumentConfiguration{
		SkipCircularReferenceCheck: true,
		SkipMetadataCollection:     true,
	})
	if err != nil {
		p := yamlProblem(err)
		p.Message = "cannot read the OpenAPI document: " + strings.TrimPrefix(p.Message, "invalid YAML: ")
		d.Problems = append(d.Problems, *p)
		return d
	}
	info := doc.GetSpecInfo()
	if info == nil || info.RootNode == nil {
		d.Problems = append(d.Problems, Problem{Line: 1, Message: "the OpenAPI document is empty"})
		return d
	}
	root := info.RootNode
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		d.Problems = append(d.Problems, Problem{Line: root.Line, Message: "an OpenAPI document must be an object"})
		return d
	}
	r := &oaReader{doc: d, root: root, swagger: Get(root, "swagger") != nil, classes: map[string]*Class{}}
	if r.swagger {
		d.Format = FormatSwagger
	}
	d.Title = Str(Get(Get(root, "info"), "title"))
	r.read()
	return d
}

type oaReader struct {
	doc     *Doc
	root    *yaml.Node
	swagger bool
	classes map[string]*Class // by schema name
	order   []string
	byKey   map[string]string // normalized schema name → schema name
}

// schemasNode returns components.schemas (3.x) or definitions (2.0).
func (r *oaReader) schemasNode() *yaml.Node {
	if r.swagger {
		return Get(r.root, "definitions")
	}
	return Get(Get(r.root, "components"), "schemas")
}

func (r *oaReader) read() {
	if s := r.schemasNode(); s != nil && s.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(s.Content); i += 2 {
			k, v := s.Content[i], s.Content[i+1]
			c := &Class{Name: k.Value, Line: k.Line, Schema: k.Value}
			sch := r.resolve(v, nil)
			c.Description = Str(Get(sch, "description"))
			c.Attributes = r.attributes(v, "", 0, map[*yaml.Node]bool{sch: true})
			r.classes[k.Value] = c
			r.order = append(r.order, k.Value)
		}
	}
	r.byKey = make(map[string]string, len(r.order))
	for _, name := range r.order {
		if k := normalize(name); r.byKey[k] == "" {
			r.byKey[k] = name
		}
	}
	r.paths()
	for _, name := range r.order {
		r.doc.Classes = append(r.doc.Classes, r.classes[name])
	}
	// Resource classes served by paths but described by no named schema.
	var extra []string
	for name, c := range r.classes {
		if c.Schema == "" {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	for _, name := range extra {
		r.doc.Classes = append(r.doc.Classes, r.classes[name])
	}
	r.chunks()
}

// resolve follows $ref chains to the node they point at.
func (r *oaReader) resolve(n *yaml.Node, _ map[*yaml.Node]bool) *yaml.Node {
	for i := 0; i < 32 && n != nil; i++ {
		ref := Str(Get(n, "$ref"))
		if ref == "" {
			return n
		}
		target := r.pointer(ref)
		if target == nil {
			r.doc.Problems = append(r.doc.Problems, Problem{Line: Get(n, "$ref").Line, Column: Get(n, "$ref").Column,
				Message: fmt.Sprintf("$ref %q does not resolve (only references within the document are followed)", ref)})
			return nil
		}
		n = target
	}
	return n
}

// refName returns the schema name a $ref points to ("User"), or "".
func refName(n *yaml.Node) string {
	ref := Str(Get(n, "$ref"))
	if i := strings.LastIndex(ref, "/"); i >= 0 && strings.HasPrefix(ref, "#/") {
		return unescapePointer(ref[i+1:])
	}
	return ""
}

func unescapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

// pointer resolves a local JSON pointer such as #/components/schemas/User.
func (r *oaReader) pointer(ref string) *yaml.Node {
	if !strings.HasPrefix(ref, "#/") {
		return nil
	}
	n := r.root
	for _, part := range strings.Split(ref[2:], "/") {
		part = unescapePointer(part)
		switch n.Kind {
		case yaml.MappingNode:
			n = Get(n, part)
		case yaml.SequenceNode:
			var i int
			if _, err := fmt.Sscanf(part, "%d", &i); err != nil || i < 0 || i >= len(n.Content) {
				return nil
			}
			n = n.Content[i]
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
func typeOf(s *yaml.Node) string {
	t := Get(s, "type")
	if t == nil {
		if Get(s, "properties") != nil || Get(s, "allOf") != nil {
			return "object"
		}
		return ""
	}
	if t.Kind == yaml.SequenceNode {
		for _, x := range t.Content {
			if x.Value != "null" {
				return x.Value
			}
		}
		return ""
	}
	return t.Value
}

// property is a schema property with everything merged from allOf.
type property struct {
	key    *yaml.Node
	schema *yaml.Node // as written (may be a $ref)
}

// properties merges a schema's properties with those of its allOf parts;
// seen guards against allOf cycles.
func (r *oaReader) properties(s *yaml.Node, seen map[*yaml.Node]bool) ([]property, map[string]bool) {
	s = r.resolve(s, nil)
	if s == nil || seen[s] {
		return nil, nil
	}
	seen[s] = true
	defer delete(seen, s)
	var props []property
	required := map[string]bool{}
	for _, part := range items(Get(s, "allOf")) {
		p, req := r.properties(part, seen)
		props = append(props, p...)
		for k := range req {
			required[k] = true
		}
	}
	if req := Get(s, "required"); req != nil && req.Kind == yaml.SequenceNode {
		for _, x := range req.Content {
			required[x.Value] = true
		}
	}
	if ps := Get(s, "properties"); ps != nil && ps.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(ps.Content); i += 2 {
			props = append(props, property{ps.Content[i], ps.Content[i+1]})
		}
	}
	// A later property of the same name (an allOf override) wins.
	index := map[string]int{}
	var out []property
	for _, p := range props {
		if i, ok := index[p.key.Value]; ok {
			out[i] = p
			continue
		}
		index[p.key.Value] = len(out)
		out = append(out, p)
	}
	return out, required
}

// maxDepth bounds the flattening of nested objects (name.givenName).
const maxDepth = 3

// attributes lists a schema's attributes, nested objects flattened to
// dotted names. seen holds the schemas being flattened, outermost first.
func (r *oaReader) attributes(s *yaml.Node, prefix string, depth int, seen map[*yaml.Node]bool) []*Attribute {
	props, required := r.properties(s, map[*yaml.Node]bool{})
	var out []*Attribute
	for _, p := range props {
		ps := r.resolve(p.schema, seen)
		if ps == nil {
			continue
		}
		a := &Attribute{Name: prefix + p.key.Value, Line: p.key.Line, Required: required[p.key.Value] && prefix == ""}
		a.Description = Str(Get(ps, "description"))
		flagsFrom(a, p.schema)
		flagsFrom(a, ps)
		typ := typeOf(ps)
		elem := ps
		if typ == "array" {
			a.MultiValued = true
			if items := Get(ps, "items"); items != nil {
				if ref := refName(items); ref != "" {
					a.Ref = ref
				}
				elem = r.resolve(items, seen)
				typ = typeOf(elem)
			}
		}
		if ref := refName(p.schema); ref != "" {
			a.Ref = ref
		}
		a.Type = typ
		if elem != nil {
			a.Format = Str(Get(elem, "format"))
			for _, e := range items(Get(elem, "enum")) {
				a.Enum = append(a.Enum, e.Value)
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

func flagsFrom(a *Attribute, s *yaml.Node) {
	if b, ok := Bool(Get(s, "readOnly")); ok && b {
		a.ReadOnly = true
	}
	if b, ok := Bool(Get(s, "writeOnly")); ok && b {
		a.WriteOnly = true
	}
}

var methods = []string{"get", "post", "put", "patch", "delete"}

// paths reads the endpoints and marks the classes they serve.
func (r *oaReader) paths() {
	paths := Get(r.root, "paths")
	if paths == nil || paths.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(paths.Content); i += 2 {
		k, item := paths.Content[i], r.resolve(paths.Content[i+1], nil)
		if item == nil || item.Kind != yaml.MappingNode {
			continue
		}
		p := k.Value
		shape := classifyPath(p)
		for _, m := range methods {
			mk := KeyNode(item, m)
			op := Get(item, m)
			if mk == nil || op == nil {
				continue
			}
			e := &Endpoint{Method: strings.ToUpper(m), Path: p, Line: mk.Line, PathParams: pathParams(p)}
			e.Summary = Str(Get(op, "summary"))
			if e.Summary == "" {
				e.Summary = firstSentence(Str(Get(op, "description")))
			}
			e.Operation, e.Action = operationOf(e.Method, shape)
			reqSchema := r.requestSchema(op, item)
			respSchema := r.responseSchema(op)
			e.Class = r.servedClass(e, shape, reqSchema, respSchema)
			if (e.Operation == "create" || e.Operation == "update") && reqSchema != nil {
				for _, a := range r.attributes(reqSchema, "", 0, map[*yaml.Node]bool{}) {
					if !a.ReadOnly {
						e.Accepts = append(e.Accepts, a.Name)
					}
				}
			}
			if e.Operation == "action" {
				e.Sets = actionSets(e.Summary + " " + Str(Get(op, "description")))
			}
			r.doc.Endpoints = append(r.doc.Endpoints, e)
		}
	}
}

// pathShape is what a path addresses: a collection (/users), an item
// (/users/{id}) or something below an item (/users/{id}/lock).
type pathShape struct {
	resource string // the collection segment: "users"
	item     bool   // ends with a parameter
	sub      string // the segment after an item: "lock"
}

func classifyPath(p string) pathShape {
	var segs []string
	for _, s := range strings.Split(strings.Trim(p, "/"), "/") {
		if s != "" {
			segs = append(segs, s)
		}
	}
	isParam := func(s string) bool { return strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") }
	var sh pathShape
	n := len(segs)
	switch {
	case n == 0:
	case isParam(segs[n-1]):
		sh.item = true
		for j := n - 2; j >= 0; j-- {
			if !isParam(segs[j]) {
				sh.resource = segs[j]
				break
			}
		}
	case n >= 2 && isParam(segs[n-2]):
		sh.sub = segs[n-1]
		for j := n - 3; j >= 0; j-- {
			if !isParam(segs[j]) {
				sh.resource = segs[j]
				break
			}
		}
	default:
		sh.resource = segs[n-1]
	}
	return sh
}

// operationOf names the operation a method serves on a path of a shape.
func operationOf(method string, sh pathShape) (op, action string) {
	switch {
	case sh.sub != "":
		if method == "GET" {
			return "search", "" // a sub-collection such as /groups/{id}/members
		}
		return "action", sh.sub
	case sh.item:
		switch method {
		case "GET":
			return "get", ""
		case "PUT", "PATCH":
			return "update", ""
		case "DELETE":
			return "delete", ""
		case "POST":
			return "action", ""
		}
	default:
		switch method {
		case "GET":
			return "search", ""
		case "POST":
			return "create", ""
		}
	}
	return "other", ""
}

func pathParams(p string) []string {
	var out []string
	for _, m := range paramRe.FindAllStringSubmatch(p, -1) {
		out = append(out, m[1])
	}
	return out
}

var paramRe = regexp.MustCompile(`\{([^}/]+)\}`)

// jsonContent picks the JSON schema of a content map (3.x).
func jsonContent(content *yaml.Node) *yaml.Node {
	if content == nil || content.Kind != yaml.MappingNode {
		return nil
	}
	var first *yaml.Node
	for i := 0; i+1 < len(content.Content); i += 2 {
		mt, v := content.Content[i].Value, content.Content[i+1]
		if first == nil {
			first = Get(v, "schema")
		}
		if strings.Contains(mt, "json") {
			return Get(v, "schema")
		}
	}
	return first
}

// requestSchema returns the schema of an operation's request body.
func (r *oaReader) requestSchema(op, item *yaml.Node) *yaml.Node {
	if r.swagger {
		for _, params := range []*yaml.Node{Get(op, "parameters"), Get(item, "parameters")} {
			for _, p := range items(params) {
				p = r.resolve(p, nil)
				if Str(Get(p, "in")) == "body" {
					return Get(p, "schema")
				}
			}
		}
		return nil
	}
	body := r.resolve(Get(op, "requestBody"), nil)
	return jsonContent(Get(body, "content"))
}

// responseSchema returns the schema of the first success response.
func (r *oaReader) responseSchema(op *yaml.Node) *yaml.Node {
	resps := Get(op, "responses")
	if resps == nil || resps.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(resps.Content); i += 2 {
		code := resps.Content[i].Value
		if !strings.HasPrefix(code, "2") {
			continue
		}
		resp := r.resolve(resps.Content[i+1], nil)
		if r.swagger {
			if s := Get(resp, "schema"); s != nil {
				return s
			}
			continue
		}
		if s := jsonContent(Get(resp, "content")); s != nil {
			return s
		}
	}
	return nil
}

// itemRef finds the named schema of the objects a response returns: the
// schema itself, the items of an array, or the array property of a page
// wrapper ({ items: [User], total: 3 }).
func (r *oaReader) itemRef(s *yaml.Node) string {
	if s == nil {
		return ""
	}
	if name := refName(s); name != "" {
		res := r.resolve(s, nil)
		if typeOf(res) == "array" {
			return r.itemRef(Get(res, "items"))
		}
		if wrapped := r.wrappedRef(res); wrapped != "" {
			return wrapped
		}
		return name
	}
	if typeOf(s) == "array" {
		return r.itemRef(Get(s, "items"))
	}
	return r.wrappedRef(s)
}

func (r *oaReader) wrappedRef(s *yaml.Node) string {
	props := Get(s, "properties")
	if props == nil || props.Kind != yaml.MappingNode {
		return ""
	}
	found := ""
	for i := 0; i+1 < len(props.Content); i += 2 {
		v := r.resolve(props.Content[i+1], nil)
		if typeOf(v) == "array" {
			if name := refName(Get(v, "items")); name != "" {
				if found != "" {
					return ""
				}
				found = name
			}
		}
	}
	return found
}

// servedClass decides which class an endpoint serves and marks it as a
// resource. Named schemas are preferred; a path without any falls back to
// its collection name (users → User).
func (r *oaReader) servedClass(e *Endpoint, sh pathShape, req, resp *yaml.Node) string {
	name := ""
	switch e.Operation {
	case "search", "get":
		name = r.itemRef(resp)
	case "create", "update":
		name = r.itemRef(resp)
		if name == "" {
			name = refName(req)
		}
	}
	if sh.sub != "" && e.Operation != "search" {
		name = "" // actions belong to the collection's class
	}
	byPath := ""
	if sh.resource != "" {
		byPath = r.classForSegment(sh.resource)
	}
	switch {
	case e.Operation == "search" && sh.sub != "":
		// /groups/{id}/members lists other objects; only a named schema
		// says which.
	case name == "" || (byPath != "" && r.classes[byPath] != nil && name != byPath && !r.sameResource(name, byPath)):
		if byPath == "" {
			return ""
		}
		name = byPath
	}
	if name == "" {
		return ""
	}
	c := r.classes[name]
	if c == nil {
		c = &Class{Name: name, Line: e.Line}
		r.classes[name] = c
	}
	if e.Operation != "search" || sh.sub == "" {
		c.Resource = true
	}
	return name
}

// sameResource reports whether two schema names describe one resource
// (UserPatch and User do not; User and user do).
func (r *oaReader) sameResource(a, b string) bool {
	return normalize(a) == normalize(b)
}

// classForSegment maps a collection segment to a class: a schema whose
// name matches it (users → User), else the segment made singular and
// capitalized.
func (r *oaReader) classForSegment(seg string) string {
	if name := r.byKey[normalize(seg)]; name != "" {
		return name
	}
	s := singular(seg)
	var b strings.Builder
	upper := true
	for _, c := range s {
		if c == '-' || c == '_' || c == '.' {
			upper = true
			continue
		}
		if upper {
			b.WriteRune(unicode.ToUpper(c))
			upper = false
		} else {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// normalize reduces a name to lower-case letters and digits, singular.
func normalize(name string) string {
	var b strings.Builder
	for _, c := range name {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			b.WriteRune(unicode.ToLower(c))
		}
	}
	return singular(b.String())
}

func singular(s string) string {
	ls := strings.ToLower(s)
	switch {
	case strings.HasSuffix(ls, "ies") && len(s) > 4:
		return s[:len(s)-3] + "y"
	case strings.HasSuffix(ls, "sses"), strings.HasSuffix(ls, "xes"), strings.HasSuffix(ls, "ches"), strings.HasSuffix(ls, "shes"):
		return s[:len(s)-2]
	case strings.HasSuffix(ls, "ss"), strings.HasSuffix(ls, "us"):
		return s
	case strings.HasSuffix(ls, "s") && len(s) > 3:
		return s[:len(s)-1]
	}
	return s
}

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
