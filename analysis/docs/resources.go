package docs

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// How an OpenAPI document's endpoints become classes. A class is a
// resource named after its schema: what an endpoint returns or accepts
// (through arrays, page wrappers and envelopes) decides the class it
// serves, and the path only groups endpoints and breaks ties. Version
// and namespace segments never name a class, and verbs after a resource
// (/users/{id}/lifecycle/activate) are actions of that resource.

// schemaRef is a schema an operation returns or takes: a named
// component, or an inline schema.
type schemaRef struct {
	name string // the component's name; "" for an inline schema
	node *node  // the schema, resolved
	list bool   // returned as a list (an array, a page)
}

func (s schemaRef) ok() bool { return s.node != nil }

// key identifies the schema: its name, or the inline node.
func (s schemaRef) key() any {
	if s.name != "" {
		return s.name
	}
	return s.node
}

// operation is one method of one path, read.
type operation struct {
	e        *Endpoint
	shape    pathShape
	node     *node // the operation object
	params   []*node
	resp     schemaRef // the objects it returns
	async    bool      // answered 202: the response is a task, not the object
	req      schemaRef // its request body
	reqBody  *node
	resource *resource // the class it serves
}

// operations reads every endpoint of the document.
func (r *oaReader) operations() []*operation {
	paths := get(r.root, "paths")
	if paths == nil || paths.Kind != mappingKind {
		return nil
	}
	var ops []*operation
	keys := make([]string, 0, len(paths.Content())/2)
	for i := 0; i < len(paths.Content()); i += 2 {
		keys = append(keys, paths.kid(i).Value())
	}
	collections := collectionSegments(keys)
	seen := map[string]*node{}
	for i := 0; i+1 < len(paths.Content()); i += 2 {
		k, item := paths.kid(i), r.resolve(paths.kid(i+1))
		if first := seen[k.Value()]; first != nil {
			r.duplicate("path", k, first)
			continue
		}
		seen[k.Value()] = k
		if item == nil || item.Kind != mappingKind {
			continue
		}
		p := k.Value()
		shape := classifyPathIn(p, collections)
		for _, m := range methods {
			mk := keyNode(item, m)
			opn := get(item, m)
			if mk == nil || opn == nil {
				continue
			}
			e := &Endpoint{Method: strings.ToUpper(m), Path: p, Line: int(mk.Line), PathParams: pathParams(p)}
			e.Summary = str(get(opn, "summary"))
			if e.Summary == "" {
				e.Summary = firstSentence(str(get(opn, "description")))
			}
			op := &operation{e: e, shape: shape, node: opn}
			op.params = slices.AppendSeq(slices.Collect(each(items(get(opn, "parameters")))), each(items(get(item, "parameters"))))
			var respNode *node
			respNode, op.async = r.responseSchema(opn)
			op.resp = r.itemOf(respNode, false)
			op.reqBody = r.requestSchema(opn, item)
			op.req = r.bodyRef(op.reqBody)
			e.Operation, e.Action = operationOf(e.Method, shape, op.resp)
			r.details(e, opn, item, respNode)
			if e.Operation == "action" {
				e.Sets = actionSets(e.Summary + " " + str(get(opn, "description")))
			}
			ops = append(ops, op)
			r.doc.Endpoints = append(r.doc.Endpoints, e)
		}
	}
	return ops
}

// operationOf names the operation a method serves on a path of a shape,
// knowing what it returns.
func operationOf(method string, sh pathShape, resp schemaRef) (op, action string) {
	switch {
	case sh.action != "":
		if resp.list && (method == "GET" || method == "POST" && queryVerbs[strings.ToLower(sh.action)]) {
			return "search", "" // GET /users/search, POST /roles/filter
		}
		return "action", sh.action
	case sh.item:
		switch method {
		case "GET":
			return "get", ""
		case "PUT", "PATCH":
			return "update", ""
		case "DELETE":
			return "delete", ""
		}
		return "action", ""
	case sh.resource == "":
		return "other", ""
	}
	switch method {
	case "GET":
		if resp.ok() && !resp.list {
			return "current", "" // GET /user: the current user, or a singleton
		}
		return "search", ""
	case "POST":
		return "create", ""
	}
	return "other", ""
}

// queryVerbs are the actions that search when posted a filter.
var queryVerbs = map[string]bool{"search": true, "query": true, "filter": true, "find": true, "lookup": true}

// jsonContent picks the JSON schema of a content map (3.x).
func jsonContent(content *node) *node {
	if content == nil || content.Kind != mappingKind {
		return nil
	}
	var first *node
	for i := 0; i+1 < len(content.Content()); i += 2 {
		mt, v := content.kid(i).Value(), content.kid(i+1)
		if first == nil {
			first = get(v, "schema")
		}
		if strings.Contains(mt, "json") {
			return get(v, "schema")
		}
	}
	return first
}

// requestSchema returns the schema of an operation's request body.
func (r *oaReader) requestSchema(op, item *node) *node {
	if r.swagger {
		for _, params := range []*node{get(op, "parameters"), get(item, "parameters")} {
			for p := range each(items(params)) {
				p = r.resolve(p)
				if str(get(p, "in")) == "body" {
					return get(p, "schema")
				}
			}
		}
		return nil
	}
	body := r.resolve(get(op, "requestBody"))
	return jsonContent(get(body, "content"))
}

// responseSchema returns the schema of the first success response, and
// whether that response is 202 Accepted (a task, not the object).
func (r *oaReader) responseSchema(op *node) (*node, bool) {
	resps := get(op, "responses")
	if resps == nil || resps.Kind != mappingKind {
		return nil, false
	}
	for i := 0; i+1 < len(resps.Content()); i += 2 {
		code := resps.kid(i).Value()
		if !strings.HasPrefix(code, "2") {
			continue
		}
		resp := r.resolve(resps.kid(i + 1))
		var s *node
		if r.swagger {
			s = get(resp, "schema")
		} else {
			s = jsonContent(get(resp, "content"))
		}
		if s != nil {
			return s, code == "202"
		}
	}
	return nil, false
}

// envelopeMembers are the members of page wrappers and HAL or JSON:API
// envelopes that say nothing about the resource.
var envelopeMembers = map[string]bool{
	"_links": true, "_embedded": true, "_type": true, "links": true, "meta": true, "jsonapi": true, "included": true,
	"page": true, "pagination": true, "paging": true, "total": true, "count": true, "totalCount": true, "total_count": true,
	"totalElements": true, "totalPages": true, "offset": true, "limit": true, "pageSize": true, "next": true,
	"previous": true, "prev": true, "cursor": true, "nextCursor": true, "hasMore": true, "has_more": true,
	"ok": true, "success": true, "itemsPerPage": true, "perPage": true, "per_page": true, "perpage": true,
	"startIndex": true, "totalResults": true, "schemas": true,
}

// itemOf finds the objects a response holds: the schema itself, the
// items of an array, the one list of a page wrapper ({ items: [User],
// total: 3 }, HAL's _embedded, JSON:API's data), the single object of an
// envelope ({ data: User }), or the common base of a oneOf family.
func (r *oaReader) itemOf(s *node, list bool) schemaRef {
	for depth := 0; depth < 6 && s != nil; depth++ {
		name := refName(s)
		res := r.resolve(s)
		if res == nil {
			return schemaRef{}
		}
		if typeOf(res) == "array" {
			s, list = get(res, "items"), true
			continue
		}
		if inner, innerList, ok := r.unwrap(res); ok {
			if inner == nil {
				return schemaRef{list: true} // a list of identifiers
			}
			s, list = inner, list || innerList
			continue
		}
		if base := r.familyBase(res); base != nil {
			// Named after the base, with the attributes of every variant.
			return schemaRef{name: refName(base), node: res, list: list}
		}
		if name == "" {
			name = r.singleRef(res)
		}
		if t := typeOf(res); t != "" && t != "object" ||
			len(propsOf(res)) == 0 && get(res, "allOf") == nil && get(res, "oneOf") == nil && get(res, "anyOf") == nil {
			return schemaRef{} // a string, a map of anything: not a resource
		}
		return schemaRef{name: name, node: res, list: list}
	}
	return schemaRef{}
}

// bodyRef reads a request body: a named or inline object schema, out of
// its envelope ({ data: User }). Arrays (JSON Patch) and patch documents
// are not the resource's fields.
func (r *oaReader) bodyRef(s *node) schemaRef {
	res := r.resolve(s)
	if res == nil || typeOf(res) == "array" {
		return schemaRef{}
	}
	if inner, list, ok := r.unwrap(res); ok && inner != nil && !list {
		s, res = inner, r.resolve(inner)
		if res == nil {
			return schemaRef{}
		}
	}
	name := refName(s)
	if name == "" {
		name = r.singleRef(res)
	}
	if ps := get(res, "properties"); get(ps, "op") != nil && get(ps, "path") != nil {
		return schemaRef{}
	}
	if len(propsOf(res)) == 0 && get(res, "allOf") == nil && get(res, "oneOf") == nil {
		return schemaRef{}
	}
	return schemaRef{name: name, node: res}
}

// propsOf returns the properties of a schema, keys and values
// alternating, or nil.
func propsOf(s *node) []node {
	ps := get(s, "properties")
	if ps == nil || ps.Kind != mappingKind {
		return nil
	}
	return ps.Content()
}

// singleRef returns the name of the one schema an inline allOf extends
// (allOf: [$ref: User, {properties: ...}]), or "".
func (r *oaReader) singleRef(s *node) string {
	name := ""
	for part := range each(items(get(s, "allOf"))) {
		if n := refName(part); n != "" {
			if name != "" {
				return ""
			}
			name = n
		}
	}
	return name
}

// unwrap finds the member of a wrapper that holds the resource: the one
// list of objects among metadata ({ items: [...], total }), HAL's
// _embedded list, JSON:API's data, or the single object of an envelope
// ({ data: User }). A wrapper has no other members than metadata.
func (r *oaReader) unwrap(s *node) (*node, bool, bool) {
	props := propsOf(s)
	if props == nil {
		return nil, false, false
	}
	if emb := r.resolve(get(get(s, "properties"), "_embedded")); emb != nil {
		// HAL: { _embedded: { users: [User] }, _links, page }
		if ps := propsOf(emb); len(ps) == 2 && typeOf(r.resolve(&ps[1])) == "array" {
			return &ps[1], true, true
		}
	}
	var found *node
	foundList, scalars := false, 0
	for i := 0; i+1 < len(props); i += 2 {
		key, v := props[i].Value(), &props[i+1]
		res := r.resolve(v)
		if res == nil {
			continue
		}
		switch {
		case typeOf(res) == "array":
			elem := r.resolve(get(res, "items"))
			if elem == nil || typeOf(elem) != "object" && refName(get(res, "items")) == "" {
				if !envelopeMembers[key] {
					scalars++
				}
				continue
			}
			if found != nil {
				return nil, false, false
			}
			found, foundList = v, true
		case envelopeMembers[key]:
		case (key == "data" || key == "result" || key == "item") && typeOf(res) == "object":
			if found != nil {
				return nil, false, false
			}
			found = v
		default:
			return nil, false, false
		}
	}
	if found == nil {
		// { users: ["Frank"] }: a list, of identifiers only.
		return nil, true, scalars == 1
	}
	return found, foundList, scalars == 0
}

// familyBase returns the common base of a oneOf or anyOf of variants
// that all extend one schema (allOf: [$ref: BaseAccount, ...]), or nil.
func (r *oaReader) familyBase(s *node) *node {
	variants := items(get(s, "oneOf"))
	if len(variants) == 0 {
		variants = items(get(s, "anyOf"))
	}
	if len(variants) == 0 || len(propsOf(s)) > 0 {
		return nil
	}
	var base *node
	baseName := ""
	for v := range each(variants) {
		res := r.resolve(v)
		name := r.singleRef(res)
		if name == "" || baseName != "" && name != baseName {
			return nil
		}
		baseName = name
		for part := range each(items(get(res, "allOf"))) {
			if refName(part) == name {
				base = part
			}
		}
	}
	return base
}

// resource is a class the endpoints serve.
type resource struct {
	name        string
	schemaNames []string // the named schemas it was made from, primary first
	nodes       []*node  // the response schemas, primary first
	line        int
	ops         []*operation
	kept        string
	fromBody    bool   // only request bodies describe it
	home        *group // where it is best described
	class       *Class
}

// group is the endpoints of one path group (orgs, orgs/{}/teams).
type group struct {
	key, parent string
	resource    string
	ops         []*operation
	res         *resource
	current     bool // res is the class of the one object it reads (GET /user)
}

// vote weights: what an endpoint returns says more than what it takes.
const (
	voteGet    = 4
	voteList   = 3
	voteWrite  = 3
	voteNested = 2
	voteBody   = 1
)

// candidate is a schema a group of endpoints may serve, with its votes
// and the strongest endpoint that voted for it.
type candidate struct {
	ref    schemaRef
	score  int
	why    *operation
	weight int // of why's vote
	verb   string
	more   []schemaRef // other schemas of the group that describe the resource
}

// kept says why a candidate makes a class: "GET /orgs/{org} returns Organization".
func (c *candidate) kept() string {
	return fmt.Sprintf("%s %s %s %s", c.why.e.Method, c.why.e.Path, c.verb, schemaLabel(c.ref))
}

// resources decides the classes the endpoints serve and builds them.
func (r *oaReader) resources(ops []*operation) []*resource {
	groups := map[string]*group{}
	var order []*group
	for _, op := range ops {
		sh := op.shape
		if sh.resource == "" {
			continue
		}
		g := groups[sh.group]
		if g == nil {
			g = &group{key: sh.group, parent: sh.parent, resource: sh.resource}
			groups[sh.group] = g
			order = append(order, g)
		}
		g.ops = append(g.ops, op)
	}
	// Each group picks its schema; a schema's name is decided from every
	// path segment that serves it.
	choices := map[*group]*candidate{}
	segments := map[any][]string{}
	for _, g := range order {
		if c := r.choose(g); c != nil {
			choices[g] = c
			segments[c.ref.key()] = append(segments[c.ref.key()], g.resource)
		}
	}
	byName := map[string]*resource{}
	var all []*resource
	for _, g := range order {
		c := choices[g]
		if c == nil {
			continue
		}
		name := r.className(c.ref, segments[c.ref.key()]...)
		res := byName[name]
		if res == nil {
			res = &resource{name: name}
			byName[name] = res
			all = append(all, res)
		}
		if h := res.home; h == nil || homeRank(g, c) > homeRank(h, choices[h]) {
			res.home = g
		}
		res.addSchema(c.ref)
		r.bySchema[c.ref.key()] = res
		for _, m := range c.more {
			res.addSchema(m)
			r.bySchema[m.key()] = res
		}
		g.res = res
	}
	for _, res := range all {
		c := choices[res.home]
		res.kept, res.fromBody = c.kept(), c.verb == "takes"
		res.line = c.why.e.Line
		if c.ref.name != "" && r.keys[c.ref.name] != nil {
			res.line = int(r.keys[c.ref.name].Line)
		}
	}
	r.byName = byName
	// A group that only reads one object (GET /user) stands for that
	// object's class, for the paths below it (/user/following/{username}).
	for _, g := range order {
		if g.res != nil {
			continue
		}
		for _, op := range g.ops {
			if op.e.Operation == "current" && op.resp.ok() {
				if res := r.resourceOf(op.resp, g.resource); res != nil {
					g.res, g.current = res, true
					break
				}
			}
		}
	}
	for _, g := range order {
		for _, op := range g.ops {
			r.assign(op, g, groups)
		}
	}
	for _, res := range all {
		r.buildResource(res)
	}
	for _, res := range all {
		r.placeholders(res, groups)
		inferSets(res)
	}
	return all
}

// homeRank orders the groups of a class: its home is where it is best
// described, the group whose item GET returns it (/teams/{id} rather than
// /repos/{owner}/{repo}/teams/{team}), at the top level rather than
// nested, then the one with the stronger votes.
func homeRank(g *group, c *candidate) int {
	rank := c.score
	if g.parent == "" {
		rank += 100
	}
	if c.weight == voteGet {
		rank += 1000
	}
	return rank
}

// assign decides the class of one endpoint. It is its group's, with
// three exceptions: a list or single object of another class's schema
// belongs to that class (/users/{id}/orgs lists organizations); a nested
// group without a class of its own (/users/{id}/password,
// /groups/{id}/members/{m}) holds actions of the resource it is nested
// in; and writes below another resource to a class that lives elsewhere
// (PUT /orgs/{org}/members/{username}) change that resource's
// relationships, so they are its actions too.
func (r *oaReader) assign(op *operation, g *group, groups map[string]*group) {
	res := g.res
	if g.current && op.e.Operation != "current" {
		res = nil
	}
	switch op.e.Operation {
	case "search", "current", "get":
		if op.resp.ok() && (res == nil || !r.sameFamily(op.resp, res)) {
			if other := r.resourceOf(op.resp, g.resource); other != nil {
				res = other
			} else if op.e.Operation == "current" {
				res = nil // a singleton of its own: /auth-org/network-config
			}
		}
	case "create":
		// POST /orgs/{org}/teams takes CreateTeamOption and returns a
		// Team: it creates one, below the organization.
		if res == nil && op.resp.ok() {
			if other := r.resourceOf(op.resp, g.resource); other != nil && r.createsOwn(op, other, g) {
				res = other
			}
		}
	}
	var parent *resource
	if p := groups[g.parent]; g.parent != "" && p != nil {
		parent = p.res
	} else if currentWords[g.parent] {
		// PUT /user/status with no GET /user documented: the current
		// user is a User.
		parent = r.byName[segmentClass(g.parent)]
	}
	switch {
	case res == nil && parent != nil:
		res = parent
		op.e.Operation, op.e.Action = "action", g.resource
	case res != nil && parent != nil && res == g.res && res.home != g && op.e.Method != "GET" && !r.createsOwn(op, res, g):
		res = parent
		op.e.Operation, op.e.Action = "action", g.resource
	}
	if res == nil {
		op.e.Class = segmentClass(g.resource) // a hint for scripts that name the class
		return
	}
	op.resource = res
	op.e.Class = res.name
	res.ops = append(res.ops, op)
}

// createsOwn reports whether a nested POST creates an object of the class
// (POST /orgs/{org}/teams takes CreateTeamOption) rather than linking
// one: its body is the class's own.
func (r *oaReader) createsOwn(op *operation, res *resource, g *group) bool {
	if op.e.Operation != "create" || !op.req.ok() {
		return false
	}
	if op.req.name == "" || r.sameFamily(op.req, res) {
		return true
	}
	key := normalize(stripRole(op.req.name))
	return key == normalize(g.resource) || strings.HasSuffix(key, normalize(res.name))
}

// resourceOf returns the class a schema is the resource of, if any.
func (r *oaReader) resourceOf(ref schemaRef, seg string) *resource {
	if res := r.bySchema[ref.key()]; res != nil {
		return res
	}
	if ref.name == "" {
		// An inline schema of another group: GET /user returns a User.
		return r.byName[segmentClass(seg)]
	}
	return r.byName[r.className(ref, seg)]
}

// choose picks the schema a group of endpoints serves, or nil.
func (r *oaReader) choose(g *group) *candidate {
	var cands []*candidate
	add := func(ref schemaRef, weight int, op *operation, verb string) {
		if !ref.ok() {
			return
		}
		for _, c := range cands {
			// The schemas of one group that name the same resource
			// (GroupDto in the list, GroupResponse for the item), and
			// its inline schemas (the examples of a page's list and
			// item), describe one resource.
			same := c.ref.key() == ref.key()
			family := !same && (c.ref.name == "" && ref.name == "" || c.ref.name != "" && ref.name != "" && r.className(c.ref) == r.className(ref))
			if !same && !family {
				continue
			}
			c.score += weight
			if family && op.e.Method == "GET" {
				// What a write answers ({"message": "User updated"})
				// is not the resource.
				c.more = append(c.more, ref)
			}
			if weight > c.weight {
				c.why, c.weight, c.verb = op, weight, verb
				if family && op.e.Method == "GET" {
					// The schema of the strongest vote names the class.
					c.ref, c.more[len(c.more)-1] = ref, c.ref
				}
			}
			return
		}
		cands = append(cands, &candidate{ref: ref, score: weight, why: op, weight: weight, verb: verb})
	}
	nested := g.parent != ""
	hasItem := false
	for _, op := range g.ops {
		if op.shape.item {
			hasItem = true
		}
	}
	for _, op := range g.ops {
		if nested && !hasItem && op.e.Operation != "get" {
			// /users/{id}/orgs lists organizations, POST
			// /sources/{id}/connector/ping-cluster answers a status:
			// endpoints below another resource join the class of what
			// they return, but do not make one.
			continue
		}
		switch op.e.Operation {
		case "get":
			add(op.resp, voteGet, op, "returns")
		case "search":
			if op.resp.list {
				w := voteList
				if nested {
					w = voteNested
				}
				add(op.resp, w, op, "lists")
			}
		case "create", "update":
			if !op.async {
				add(op.resp, voteWrite, op, "returns")
			}
		}
	}
	if len(cands) == 0 && !nested {
		// No response names the resource: request bodies may, when their
		// names agree with the path (POST /users takes CreateUserRequest).
		for _, op := range g.ops {
			if (op.e.Operation == "create" || op.e.Operation == "update") && op.req.ok() {
				if op.req.name == "" || normalize(stripRole(op.req.name)) == normalize(g.resource) {
					add(op.req, voteBody, op, "takes")
				}
			}
		}
	}
	if len(cands) == 0 {
		return nil
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].score != cands[j].score {
			return cands[i].score > cands[j].score
		}
		// A tie goes to the schema the path names.
		return r.pathAgrees(cands[i].ref, g.resource) && !r.pathAgrees(cands[j].ref, g.resource)
	})
	return cands[0]
}

func (r *oaReader) pathAgrees(ref schemaRef, seg string) bool {
	return ref.name != "" && normalize(stripRole(ref.name)) == normalize(seg)
}

func schemaLabel(ref schemaRef) string {
	if ref.name != "" {
		return ref.name
	}
	return fmt.Sprintf("the schema on line %d", ref.node.Line)
}

// sameFamily reports whether a schema describes a resource's objects:
// one of its schemas, or one whose name without role words is its name.
func (r *oaReader) sameFamily(ref schemaRef, res *resource) bool {
	if ref.name == "" {
		return slices.Contains(res.nodes, ref.node)
	}
	return slices.Contains(res.schemaNames, ref.name) || r.className(ref) == res.name
}

func (res *resource) addSchema(ref schemaRef) {
	if ref.name != "" && !slices.Contains(res.schemaNames, ref.name) {
		res.schemaNames = append(res.schemaNames, ref.name)
	}
	if !slices.Contains(res.nodes, ref.node) {
		res.nodes = append(res.nodes, ref.node)
	}
}

// className names the class of a schema: its name without role words
// (UserModel → User), in PascalCase. A name written without word
// boundaries (accessprofile, workgroupdto) takes them from its title, from
// the path segment that names the same resource (access-profiles →
// AccessProfile), or from the words of the document's paths.
func (r *oaReader) className(ref schemaRef, segs ...string) string {
	if ref.name == "" {
		if len(segs) == 0 {
			return ""
		}
		return segmentClass(segs[0])
	}
	key := ref.name
	if len(segs) > 0 {
		key += "\x00" + strings.Join(segs, "\x00")
	}
	name, ok := r.names[key]
	if !ok {
		name = r.nameFor(ref, segs)
		r.names[key] = name
	}
	return name
}

func (r *oaReader) nameFor(ref schemaRef, segs []string) string {
	base := stripRole(ref.name)
	if hasUpper(base) {
		return pascal(base)
	}
	base = stripLowerRole(base)
	key := normalize(base)
	if title := pascal(str(get(ref.node, "title"))); title != "" {
		t := stripRole(title)
		if normalize(t) == key || normalize(title) == normalize(ref.name) {
			return t
		}
	}
	for _, seg := range segs {
		if normalize(seg) == key {
			return segmentClass(seg)
		}
	}
	if words := r.vocabulary().split(strings.ToLower(base)); words != nil {
		return pascal(strings.Join(words, " "))
	}
	return pascal(base)
}

// lowerRoles are role words at the end of a lower-case schema name
// (attributedto, connectorruleresponse), and version marks (entitlementv2).
var (
	lowerRoles        = []string{"representation", "response", "details", "entity", "model", "dto"}
	lowerRequestWords = []string{"request", "input", "payload", "body", "option", "options", "params"}
	lowerVerbs        = []string{"create", "update", "patch", "edit", "replace", "new"}
)

func stripLowerRole(name string) string {
	if strings.ContainsAny(name, "_-") {
		// user_model, user-create-request
		words := splitWords(name)
		for len(words) > 1 && (slices.Contains(lowerRoles, words[len(words)-1]) || slices.Contains(lowerRequestWords, words[len(words)-1])) {
			words = words[:len(words)-1]
		}
		for len(words) > 1 && slices.Contains(lowerVerbs, words[len(words)-1]) {
			words = words[:len(words)-1]
		}
		return strings.Join(words, "_")
	}
	if m := lowerVersionRe.FindStringIndex(name); m != nil && m[0] >= 4 {
		name = name[:m[0]]
	}
	for _, s := range lowerRoles {
		if rest, ok := strings.CutSuffix(name, s); ok && len(rest) >= 4 {
			return rest
		}
	}
	return name
}

var lowerVersionRe = regexp.MustCompile(`v\d+$`)

// vocabulary is the set of words a document's paths and schema titles
// use, to find the words of a name written without boundaries.
type vocabulary map[string]bool

func (r *oaReader) vocabulary() vocabulary {
	if r.words != nil {
		return r.words
	}
	r.words = vocabulary{}
	add := func(w string) {
		if len(w) >= 2 && !r.words[w] {
			r.words[w] = true
			r.words[singular(w)] = true
		}
	}
	if paths := get(r.root, "paths"); paths != nil {
		for i := 0; i < len(paths.Content()); i += 2 {
			// Path segments are lower-case words between punctuation.
			for _, w := range strings.FieldsFunc(paths.kid(i).Value(), func(c rune) bool { return c < 'a' || c > 'z' }) {
				add(w)
			}
		}
	}
	for _, name := range r.order {
		if t := str(get(r.schemas[name], "title")); t != "" {
			for _, w := range splitWords(t) {
				add(w)
			}
		}
	}
	return r.words
}

// split cuts a lower-case name into the fewest known words, or returns
// nil when it cannot.
func (v vocabulary) split(s string) []string {
	n := len(s)
	if n == 0 || n > 64 {
		return nil
	}
	best := make([]int, n+1) // fewest words covering s[:i]; -1 when none
	from := make([]int, n+1)
	for i := 1; i <= n; i++ {
		best[i] = -1
		for j := 0; j < i; j++ {
			if best[j] >= 0 && v[s[j:i]] && (best[i] < 0 || best[j]+1 < best[i]) {
				best[i], from[i] = best[j]+1, j
			}
		}
	}
	if best[n] < 0 {
		return nil
	}
	var words []string
	for i := n; i > 0; i = from[i] {
		words = append([]string{s[from[i]:i]}, words...)
	}
	return words
}
