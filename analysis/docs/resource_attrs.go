package docs

import (
	"slices"
	"strings"
)

// The attributes of a resource class come from what its endpoints return
// and from what its create and update bodies take: a field only a body
// carries (password, must_change_password) is an attribute that is never
// read back, one that only the create body takes is creatable only, and
// one that no body takes is read-only, as the bodies say. readOnly and
// writeOnly, where the schema states them, hold regardless.

// buildResource builds the class of a resource.
func (r *oaReader) buildResource(res *resource) {
	c := &Class{Name: res.name, Line: res.line, Resource: true, Kept: res.kept}
	if len(res.schemaNames) > 0 {
		c.Schema = res.schemaNames[0]
	}
	c.Description = str(get(res.nodes[0], "description"))
	res.class = c
	// The request bodies' attributes are needed only while the resource
	// they write is built: kept for the whole read, they were a tenth of
	// what was live at its peak (a second copy of most attributes).
	clear(r.bodyAttrs)

	byName := map[string]*Attribute{}
	var links []link
	for _, n := range res.nodes {
		attrs, ls := r.resourceAttributes(n)
		links = append(links, ls...)
		for _, a := range attrs {
			if byName[a.Name] == nil {
				byName[a.Name] = a
				c.Attributes = append(c.Attributes, a)
			}
		}
	}

	create, update := r.bodies(res)
	inCreate, createRequired := r.bodyNames(create, (*Attribute).Creatable)
	inUpdate, _ := r.bodyNames(update, (*Attribute).Updateable)
	for _, a := range c.Attributes {
		if a.ReadOnly {
			continue
		}
		if len(create) > 0 {
			a.NoCreate = !inCreate[a.Name]
			a.Required = createRequired[a.Name]
		}
		if len(update) > 0 {
			a.NoUpdate = a.NoUpdate || !inUpdate[a.Name]
		}
	}
	// A body that names the object's login differently
	// (CreateUserOption.username for User.login) still sets it.
	if f, a := nameAlias(byName, inCreate); len(create) > 0 && a != nil {
		a.NoCreate = false
		a.Required = a.Required || createRequired[f]
	}
	if _, a := nameAlias(byName, inUpdate); len(update) > 0 && a != nil {
		a.NoUpdate = false
	}
	// Fields only the request bodies carry.
	for _, op := range append(create, update...) {
		for _, a := range r.bodyAttributes(op) {
			if byName[a.Name] != nil || a.ReadOnly {
				continue
			}
			cp := *a
			cp.NoRead = !res.fromBody
			cp.NoCreate = cp.NoCreate || len(create) > 0 && !inCreate[a.Name]
			cp.NoUpdate = cp.NoUpdate || len(update) > 0 && !inUpdate[a.Name]
			cp.Required = createRequired[a.Name]
			byName[a.Name] = &cp
			c.Attributes = append(c.Attributes, &cp)
		}
	}
	// Links of HAL and JSON:API resources to other resources are
	// references to their classes.
	for _, l := range links {
		target := r.linkTarget(l.name)
		if target == "" || byName[l.name] != nil {
			continue
		}
		a := &Attribute{Name: l.name, Line: l.line, Type: "string", Format: "uri", Ref: target, MultiValued: l.multi, ReadOnly: true}
		byName[a.Name] = a
		c.Attributes = append(c.Attributes, a)
	}
	for _, op := range res.ops {
		if op.e.Operation == "create" || op.e.Operation == "update" {
			for _, a := range r.bodyAttributes(op) {
				if !a.ReadOnly {
					op.e.Accepts = append(op.e.Accepts, a.Name)
				}
			}
		}
	}
}

// nameAlias finds a name-like field that bodies take but the resource
// does not return (username), and the resource's name-like attribute
// that no body takes (login): the same value, named twice.
func nameAlias(attrs map[string]*Attribute, in map[string]bool) (string, *Attribute) {
	field := ""
	for _, n := range nameLike {
		if in[n] && attrs[n] == nil {
			field = n
			break
		}
	}
	if field == "" {
		return "", nil
	}
	for _, n := range nameLike {
		if a := attrs[n]; a != nil && !in[n] && !a.ReadOnly {
			return field, a
		}
	}
	return "", nil
}

// bodies returns the create and update endpoints of a resource whose
// request bodies describe its fields. Bodies of top-level paths are
// preferred: a create nested below another resource (POST
// /repos/{owner}/{repo}/forks) often takes only what links the two.
func (r *oaReader) bodies(res *resource) (create, update []*operation) {
	pick := func(kind string) []*operation {
		var top, nested []*operation
		for _, op := range res.ops {
			if op.e.Operation != kind || !op.req.ok() {
				continue
			}
			if op.shape.nested() {
				nested = append(nested, op)
			} else {
				top = append(top, op)
			}
		}
		if len(top) > 0 {
			return top
		}
		return nested
	}
	return pick("create"), pick("update")
}

// bodyNames returns the attribute names the bodies take, and those they
// require. A body attribute counts when its own flags allow the write
// (an update body's password that only the user themself may change
// does not).
func (r *oaReader) bodyNames(ops []*operation, writable func(*Attribute) bool) (names, required map[string]bool) {
	names, required = map[string]bool{}, map[string]bool{}
	for _, op := range ops {
		for _, a := range r.bodyAttributes(op) {
			if !writable(a) {
				continue
			}
			names[a.Name] = true
			if a.Required {
				required[a.Name] = true
			}
		}
	}
	return names, required
}

// bodyAttributes returns the attributes a request body takes, read as a
// resource's (a JSON:API body's attributes are its own), once per body.
func (r *oaReader) bodyAttributes(op *operation) []*Attribute {
	if !op.req.ok() {
		return nil
	}
	if as, ok := r.bodyAttrs[op.req.node]; ok {
		return as
	}
	as, _ := r.resourceAttributes(op.req.node)
	r.bodyAttrs[op.req.node] = as
	return as
}

// link is a member of a HAL resource's _links or _embedded, or of a
// JSON:API resource's relationships.
type link struct {
	name  string
	line  int
	multi bool
}

// halMembers are the members of a HAL resource that belong to the
// envelope.
var halMembers = map[string]bool{"_links": true, "_embedded": true, "_type": true, "_meta": true, "_templates": true}

// resourceAttributes returns the attributes of a resource schema without
// the members of its HAL or JSON:API envelope, and the links those name.
// A JSON:API resource object's attributes are its own (name, not
// attributes.name).
func (r *oaReader) resourceAttributes(s *node) ([]*Attribute, []link) {
	res := r.resolve(s)
	if res == nil {
		return nil, nil
	}
	// Read afresh, not through the cache: the class sets the flags of
	// its own attributes.
	all := r.attributes(res, "", 0, map[*node]bool{res: true})
	// A family of variants (Pet: oneOf [Cat, Dog]) has the attributes of
	// every variant.
	for _, key := range []string{"oneOf", "anyOf"} {
		for v := range each(items(get(res, key))) {
			vr := r.resolve(v)
			if vr == nil || vr == res {
				continue
			}
		variant:
			for _, a := range r.attributes(vr, "", 0, map[*node]bool{res: true, vr: true}) {
				for _, have := range all {
					if have.Name == a.Name {
						continue variant
					}
				}
				a.Required = false
				all = append(all, a)
			}
		}
	}
	props := get(res, "properties")
	if jsonAPI := r.resolve(get(props, "attributes")); jsonAPI != nil && typeOf(jsonAPI) == "object" &&
		(get(props, "type") != nil || get(props, "relationships") != nil) {
		var out []*Attribute
		for _, a := range all {
			switch {
			case a.Name == "id":
				out = append(out, a)
			case strings.HasPrefix(a.Name, "attributes."):
				a.Name = strings.TrimPrefix(a.Name, "attributes.")
				out = append(out, a)
			}
		}
		return out, r.links(get(props, "relationships"))
	}
	hal := false
	for m := range halMembers {
		if get(props, m) != nil {
			hal = true
			break
		}
	}
	if !hal {
		return all, nil
	}
	var out []*Attribute
	for _, a := range all {
		top, _, _ := strings.Cut(a.Name, ".")
		if !halMembers[top] {
			out = append(out, a)
		}
	}
	return out, append(r.links(get(props, "_links")), r.links(get(props, "_embedded"))...)
}

// links lists the members of a _links, _embedded or relationships
// object, but self.
func (r *oaReader) links(n *node) []link {
	ps := propsOf(r.resolve(n))
	var out []link
	for i := 0; i+1 < len(ps); i += 2 {
		name := ps[i].Value()
		if name == "self" || strings.HasPrefix(name, "_") {
			continue
		}
		v := r.resolve(&ps[i+1])
		multi := typeOf(v) == "array"
		if data := r.resolve(get(get(v, "properties"), "data")); data != nil && typeOf(data) == "array" {
			multi = true // JSON:API to-many relationship
		}
		out = append(out, link{name: name, line: int(ps[i].Line), multi: multi})
	}
	return out
}

// linkTarget returns the class a link's name points to (memberships →
// Membership), or "".
func (r *oaReader) linkTarget(name string) string {
	key := normalize(name)
	for n := range r.byName {
		if normalize(n) == key {
			return n
		}
	}
	return ""
}

// placeholders records which attribute fills each path placeholder of a
// resource's endpoints: the placeholder's own name, the parameter's
// description, or the same placeholder in another endpoint of the class.
func (r *oaReader) placeholders(res *resource, groups map[string]*group) {
	known := map[string]Placeholder{} // by placeholder name, for the class's own placeholders
	for _, op := range res.ops {
		for _, pg := range paramGroups(op.e.Path) {
			owner := res
			switch g := groups[pg.group]; {
			case g != nil && g.res != nil:
				owner = g.res
			case pg.group == op.shape.group && op.e.Operation != "action":
				// GET /repos/{owner}/{repo}/collaborators/{collaborator}
				// returns a User, in a group without a class
			default:
				continue
			}
			ph := Placeholder{Name: pg.name, Class: owner.name}
			ph.Attribute, ph.From = fillOf(owner.class, pg.name, r.paramDescription(op, pg.name))
			if ph.Attribute == "" {
				continue
			}
			op.e.Placeholders = append(op.e.Placeholders, ph)
			if owner == res {
				if _, ok := known[pg.name]; !ok {
					known[pg.name] = ph
				}
			}
		}
	}
	// An endpoint that does not describe its placeholder fills it as the
	// class's other endpoints do (DELETE /users/{username} as GET).
	for _, op := range res.ops {
		for _, pg := range paramGroups(op.e.Path) {
			g := groups[pg.group]
			if g == nil || g.res != res || hasPlaceholder(op.e, pg.name) {
				continue
			}
			if ph, ok := known[pg.name]; ok {
				ph.From = "get"
				op.e.Placeholders = append(op.e.Placeholders, ph)
			}
		}
	}
}

func hasPlaceholder(e *Endpoint, name string) bool {
	for _, p := range e.Placeholders {
		if p.Name == name {
			return true
		}
	}
	return false
}

// paramDescription returns the description of a path parameter.
func (r *oaReader) paramDescription(op *operation, name string) string {
	for _, p := range op.params {
		p = r.resolve(p)
		if str(get(p, "name")) == name && str(get(p, "in")) == "path" {
			return str(get(p, "description"))
		}
	}
	return ""
}

// paramGroup is a placeholder and the path group of the resource whose
// item it addresses: {org} of /orgs/{org}/teams addresses orgs.
type paramGroup struct{ name, group string }

func paramGroups(p string) []paramGroup {
	var out []paramGroup
	var segs []string
	for _, s := range strings.Split(strings.Trim(p, "/"), "/") {
		if s == "" || !isParam(s) && isNamespace(s) {
			continue
		}
		if isParam(s) {
			end := len(segs)
			for end > 0 && isParam(segs[end-1]) {
				end--
			}
			if end > 0 {
				out = append(out, paramGroup{name: s[1 : len(s)-1], group: groupKey(segs[:end])})
			}
		}
		segs = append(segs, s)
	}
	return out
}

// nameLike are the attributes that usually hold what a {username} or
// {name} placeholder takes, in order of preference.
var nameLike = []string{"login", "username", "userName", "user_name", "name"}

// fillOf finds the attribute of a class that fills a placeholder, and how
// it knows.
func fillOf(c *Class, param, description string) (string, string) {
	if c == nil {
		return "", ""
	}
	readable := func(name string) string {
		for _, a := range c.Attributes {
			if len(a.Name) != len(name) || !strings.EqualFold(a.Name, name) || !a.Readable() || strings.Contains(a.Name, ".") {
				continue
			}
			if a.Complex {
				// {owner} of a repository is its owner's login.
				for _, n := range append(nameLike, "id") {
					if sub := c.Attribute(a.Name + "." + n); sub != nil && sub.Readable() {
						return sub.Name
					}
				}
			}
			return a.Name
		}
		return ""
	}
	if a := readable(param); a != "" {
		return a, "name"
	}
	// "name of the organization to get", "The ID of the account"
	for _, w := range strings.FieldsFunc(description, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_')
	}) {
		if strings.EqualFold(w, "of") {
			break
		}
		if a := readable(w); a != "" {
			return a, "description"
		}
	}
	// {accountId} of Account is its id; {user_name} of User its name.
	lp := strings.ToLower(param)
	for _, prefix := range []string{strings.ToLower(c.Name), strings.ToLower(singular(c.Name))} {
		if rest, ok := strings.CutPrefix(lp, prefix); ok && rest != lp {
			if a := readable(strings.TrimLeft(rest, "_-")); a != "" {
				return a, "name"
			}
		}
	}
	if strings.HasSuffix(lp, "name") || lp == "login" {
		for _, n := range nameLike {
			if a := readable(n); a != "" {
				return a, "name"
			}
		}
	}
	return "", ""
}

// stateVerbs maps action verbs to the state they set: lock sets locked
// (POST /users/{id}/lock), and its DELETE takes it back.
var stateVerbs = map[string]struct {
	state string
	on    bool
}{
	"lock": {"locked", true}, "unlock": {"locked", false},
	"enable": {"enabled", true}, "disable": {"enabled", false},
	"activate": {"active", true}, "reactivate": {"active", true}, "deactivate": {"active", false},
	"suspend": {"suspended", true}, "unsuspend": {"suspended", false},
	"block": {"blocked", true}, "unblock": {"blocked", false},
	"archive": {"archived", true}, "unarchive": {"archived", false},
}

// offStates are the enum values that undo a state, in order of
// preference.
var offStates = map[string][]string{
	"locked":    {"unlocked", "active", "enabled"},
	"enabled":   {"disabled", "inactive", "deactivated"},
	"active":    {"inactive", "deactivated", "disabled", "suspended"},
	"suspended": {"active", "enabled"},
	"blocked":   {"unblocked", "active"},
	"archived":  {"active", "unarchived"},
}

// inferSets tells what an action endpoint without words about it sets:
// POST /users/{id}/lock sets a boolean locked to true or a status enum
// to its LOCKED value; DELETE on the same path takes it back.
func inferSets(res *resource) {
	for _, op := range res.ops {
		e := op.e
		if e.Operation != "action" || e.Sets != "" || op.shape.action == "" || e.Method == "GET" {
			continue
		}
		e.Sets = stateSet(res.class, e.Action, e.Method == "DELETE")
	}
}

func stateSet(c *Class, action string, undo bool) string {
	v, ok := stateVerbs[strings.ToLower(action)]
	if !ok || c == nil {
		return ""
	}
	on := v.on != undo
	for _, a := range c.Attributes {
		if a.Type != "boolean" || strings.Contains(a.Name, ".") {
			continue
		}
		switch normalize(strings.TrimPrefix(strings.TrimPrefix(a.Name, "is_"), "is")) {
		case normalize(v.state):
			return a.Name + "=" + map[bool]string{true: "true", false: "false"}[on]
		case normalize(offStates[v.state][0]):
			return a.Name + "=" + map[bool]string{true: "false", false: "true"}[on]
		}
	}
	for _, a := range c.Attributes {
		if len(a.Enum) == 0 || !slices.Contains([]string{"status", "state"}, strings.ToLower(a.Name)) {
			continue
		}
		want := []string{v.state}
		if !on {
			want = offStates[v.state]
		}
		for _, w := range want {
			for _, val := range a.Enum {
				if strings.EqualFold(val, w) {
					return a.Name + "=" + val
				}
			}
		}
	}
	return ""
}
