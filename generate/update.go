package generate

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/analysis/dsl"
)

// UpdatePlan is the decided update operation of a class.
type UpdatePlan struct {
	Class     string            `json:"class"`
	Scim      bool              `json:"scim,omitempty"` // the class is SCIM-backed: use the SCIM update
	Endpoints []PlannedEndpoint `json:"endpoints,omitempty"`
	Source    string            `json:"source,omitempty"`
	// From says where the endpoints come from: "scripts" (update blocks
	// of other scripts of the workspace), "docs", "search" (inferred from
	// the item path of the get-by-id search) or the assistant's name.
	From string `json:"from,omitempty"`
}

// PlannedEndpoint is one generated update endpoint.
type PlannedEndpoint struct {
	Method    string   `json:"method"`
	Path      string   `json:"path"`
	Supported []string `json:"supportedAttributes,omitempty"`
	// Value is set for an action endpoint: the value it sets on its one
	// supported attribute, as Groovy source (a quoted string, true, 3).
	Value string `json:"value,omitempty"`
	// Transitions are the (from, to) pairs of the action, as Groovy
	// source, kept from the script that declared them.
	Transitions [][2]string `json:"transitions,omitempty"`
	// Empty sends no body (an action).
	Empty    bool     `json:"empty,omitempty"`
	Comments []string `json:"comments,omitempty"`
	Doc      string   `json:"doc,omitempty"` // file:line of the documented or declared endpoint
	// Inferred marks an endpoint connls guessed: it says why, and the
	// generated code carries a connls:inferred comment that check reports.
	Inferred string `json:"inferred,omitempty"`
	// Unfilled names a placeholder the framework cannot fill, and why.
	Unfilled string `json:"unfilled,omitempty"`
}

func planUpdate(ctx context.Context, req Request, u *analysis.Unit, c *analysis.Class, chunks []DocChunk) (planned, error) {
	reg := updateRegion(req.Model, u, c)
	view := regionView(c, reg)
	if len(DeclaredAttributes(view)) == 0 {
		return planned{}, notFound{fmt.Sprintf("No attributes found for %s in this workspace. Please declare them (or generate the schema) before the update operation.", c.Name)}
	}
	if err := progressDocs(ctx, req.Progress, "endpoints", chunks); err != nil {
		return planned{}, err
	}
	plan, notes, err := ChooseUpdate(u, view)
	undocumented := errors.Is(err, ErrNotFound)
	if err != nil && !(undocumented && req.Assist != nil) {
		return planned{}, err
	}
	// The assistant reads the prose when no endpoint is documented in a
	// form connls understands (or only an inferred one), and reviews the
	// choice when asked to.
	inferred := plan != nil && plan.From == "search"
	if req.Assist != nil && (undocumented || inferred || req.AskAssist) {
		revised, msgs, aerr := req.Assist.ReviseUpdate(ctx, view, plan, chunks, req.Progress)
		notes = append(notes, msgs...)
		switch {
		case aerr != nil && ctx.Err() != nil:
			return planned{}, ctx.Err()
		case aerr != nil && undocumented:
			return planned{}, notFound{err.Error() + " (" + aerr.Error() + ")"}
		case aerr != nil:
			notes = append(notes, "kept the deterministic choice: "+aerr.Error())
		case revised != nil:
			plan = revised
			relocate(u, c, plan)
		}
	}
	for _, b := range c.OpBlocks {
		if reg.file != nil && b.Script.File.Abs == reg.abs {
			continue
		}
		for _, op := range b.Ops {
			if op.Kind == "update" && len(op.Endpoints) > 0 && plan.From == "scripts" {
				notes = append(notes, fmt.Sprintf("%s declares update endpoints too: the framework merges endpoints of the same method and path, so what it lists still applies; keep one of the two", b.Script.File.Path))
			}
		}
	}
	code := plan.code(reg.whole || !reg.exists)
	title := fmt.Sprintf("Generate update operation for %s", c.Name)
	if reg.exists {
		title = fmt.Sprintf("Regenerate update operation for %s", c.Name)
	}
	if len(plan.Endpoints) > 0 {
		title += ": " + plan.Endpoints[0].Method + " " + plan.Endpoints[0].Path
		if n := len(plan.Endpoints) - 1; n > 0 {
			title += fmt.Sprintf(" and %d more", n)
		}
		title += " (" + plan.why() + ")"
	}
	return planned{kind: KindUpdate, code: code, title: title, notes: notes, inputs: updateInputs(view, plan), region: reg, manifestSection: "operation"}, nil
}

// relocate writes the documented endpoints an assistant chose as the
// workspace's scripts write their paths, as connls's own choice does: the
// assistant copies paths from the documentation.
func relocate(u *analysis.Unit, c *analysis.Class, p *UpdatePlan) {
	for i := range p.Endpoints {
		pe := &p.Endpoints[i]
		for _, e := range c.DocEndpoints {
			if e.Method == pe.Method && ItemPath(e.Path) == pe.Path {
				pe.Path = ItemPath(scriptPath(u, e))
				break
			}
		}
	}
}

// why says in a few words where the endpoints come from.
func (p *UpdatePlan) why() string {
	switch p.From {
	case "scripts":
		return "kept from the workspace's scripts"
	case "docs":
		return "as documented"
	case "search":
		return "inferred from the search's item path"
	case "scim":
		return "SCIM"
	}
	return "chosen by " + p.Source
}

// DeclaredAttributes are the attributes scripts declare: the only names the
// framework's update accepts ("Attribute x not found in schema").
func DeclaredAttributes(c *analysis.Class) []*analysis.Attribute {
	var out []*analysis.Attribute
	for _, a := range c.Attributes {
		if len(a.Decls) > 0 {
			out = append(out, a)
		}
	}
	return out
}

var placeholder = regexp.MustCompile(`\{[^}/]*\}`)

// ItemPath writes a documented item path with the {id} placeholder the
// framework fills with the UID.
func ItemPath(p string) string {
	locs := placeholder.FindAllStringIndex(p, -1)
	if len(locs) == 0 {
		return p
	}
	last := locs[len(locs)-1]
	return p[:last[0]] + "{id}" + p[last[1]:]
}

// identity is what an update needs to know of the class's identifiers.
type identity struct {
	uid, name string
}

func identityOf(c *analysis.Class) identity {
	uid, _ := c.Mapped("UID")
	if uid == "" {
		uid = ChooseConnID(c).UID
	}
	name, _ := c.Mapped("NAME")
	return identity{uid, name}
}

// UIDOf is the attribute the framework fills {id} with: the mapped UID,
// else the one connls would map. An Assistant (package generate/llm)
// tells the model so.
func UIDOf(c *analysis.Class) string { return identityOf(c).uid }

// ChooseUpdate decides the update endpoints of a class from the evidence
// the workspace holds, best first: update endpoints other scripts declare
// (kept, minus what the schema says cannot be updated), the documented
// endpoints (PATCH on the item when documented, else PUT, and actions
// that set one attribute's value), and last the item path of the class's
// get-by-id search with PATCH, marked as inferred. Documented paths are
// written relative to the base address of the unit's scripts.
func ChooseUpdate(u *analysis.Unit, c *analysis.Class) (*UpdatePlan, []string, error) {
	plan := &UpdatePlan{Class: c.Name, Source: "connls"}
	id := identityOf(c)
	if eps, notes := scriptUpdates(c, id); len(eps) > 0 {
		plan.Endpoints, plan.From = eps, "scripts"
		return plan, notes, nil
	}
	if c.Scim && !hasRESTUpdate(c) {
		plan.Scim, plan.From = true, "scim"
		return plan, []string{c.Name + " is backed by SCIM: the framework's SCIM update sends PATCH operations itself"}, nil
	}
	if eps, notes := docUpdates(u, c, id); len(eps) > 0 {
		plan.Endpoints, plan.From = eps, "docs"
		return plan, notes, nil
	}
	if ep, notes := inferredUpdate(c, id); ep != nil {
		plan.Endpoints, plan.From = []PlannedEndpoint{*ep}, "search"
		return plan, notes, nil
	}
	return nil, nil, notFound{fmt.Sprintf("No endpoints found for updating %s in this workspace: no script declares an update, the documentation shows no PATCH or PUT on the item path, and no single-result search gives the item path. Document the update endpoint first.", c.Name)}
}

// updateable reports whether an update may list the attribute, and why
// not.
func updateable(a *analysis.Attribute, id identity) (bool, string) {
	switch {
	case a == nil:
		return false, "not in the schema"
	case len(a.Decls) == 0:
		return false, "not declared in a script (the framework fails with \"Attribute not found in schema\")"
	case a.Name == id.uid:
		return false, "the UID: it addresses the object and never changes"
	case !a.Updateable:
		return false, "not updateable"
	case a.Complex:
		return false, "a complex value"
	case a.Emulated || a.Reference && !hasJSON(a):
		return false, "a reference, resolved by the connector rather than sent"
	}
	return true, ""
}

// hasJSON reports whether a script maps the attribute to JSON (a
// reference then travels in the body like any value).
func hasJSON(a *analysis.Attribute) bool {
	for _, d := range a.Decls {
		for _, p := range d.Props {
			if p.Block == "json" || p.Name == "jsonType" || p.Name == "jsonName" || p.Name == "jsonPath" {
				return true
			}
		}
	}
	return false
}

// guessable reports whether an update that nothing documents may offer
// the attribute: not an identifier the resource assigns (id, uuid).
func guessable(c *analysis.Class, a *analysis.Attribute) bool {
	switch n := strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(a.Name)); n {
	case "id", "uuid", "guid", strings.ToLower(c.Name) + "id":
		return false
	}
	return true
}

// scriptUpdates keeps the update endpoints the class's scripts declare,
// dropping from their supported attributes what cannot be updated and
// giving each transition-only action the value it moves to.
func scriptUpdates(c *analysis.Class, id identity) ([]PlannedEndpoint, []string) {
	var out []PlannedEndpoint
	var notes []string
	index := map[string]int{}
	for _, e := range c.Endpoints {
		if e.Operation != "update" || e.Op == nil || e.Op.Class == nil {
			continue
		}
		src := e.Op.Class.Script.File.Path
		ep := PlannedEndpoint{Method: e.Method, Path: e.Path, Doc: fmt.Sprintf("%s:%d", src, e.Range.Start.Line+1), Empty: e.RequestBody == "EMPTY"}
		dropped := map[string][]string{}
		for _, sa := range e.Supported {
			a := c.Attribute(sa.Name)
			if ok, why := updateable(a, id); !ok {
				dropped[why] = append(dropped[why], sa.Name)
				continue
			}
			if contains(ep.Supported, a.Name) {
				continue
			}
			ep.Supported = append(ep.Supported, a.Name)
			if len(sa.Values) > 0 || len(sa.TransitionPairs) > 0 {
				ep.Value = actionValue(a, sa)
				ep.Transitions = sa.TransitionPairs
				ep.Empty = true
			}
		}
		for _, why := range sortedKeys(boolKeys(dropped)) {
			ep.Comments = append(ep.Comments, fmt.Sprintf("dropped %s: %s", strings.Join(dropped[why], ", "), why))
		}
		if len(e.Supported) > 0 && len(ep.Supported) == 0 {
			notes = append(notes, fmt.Sprintf("%s %s (%s) is not kept: none of its attributes can be updated", e.Method, e.Path, ep.Doc))
			continue
		}
		if len(ep.Supported) > 1 || ep.Value == "" {
			// Several attributes, or all of them: a data update.
			ep.Value, ep.Transitions = "", nil
			ep.Empty = e.RequestBody == "EMPTY"
		}
		key := ep.Method + " " + ep.Path
		if i, ok := index[key]; ok {
			out[i].Supported = union(out[i].Supported, ep.Supported)
			continue
		}
		index[key] = len(out)
		out = append(out, ep)
	}
	if len(out) > 0 {
		notes = append(notes, fmt.Sprintf("kept the update endpoints the workspace's scripts declare (%d)", len(out)))
	}
	return out, notes
}

func boolKeys[V any](m map[string]V) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

// actionValue is the value an action sets: the first value written, else
// where its transitions lead (transition "active", "locked" sets
// "locked").
func actionValue(a *analysis.Attribute, sa *dsl.SupportedAttr) string {
	if len(sa.Values) > 0 {
		return literalFor(a, sa.Values[0])
	}
	to := sa.TransitionPairs[0][1]
	for _, p := range sa.TransitionPairs[1:] {
		if p[1] != to {
			return "" // transitions to different values: no single value
		}
	}
	return to
}

// docUpdates is the documented update: PATCH on the item when
// documented (partial update), else PUT; and the actions that set one
// attribute's value.
func docUpdates(u *analysis.Unit, c *analysis.Class, id identity) ([]PlannedEndpoint, []string) {
	var patch, put *analysis.DocEndpoint
	for i := range c.DocEndpoints {
		e := &c.DocEndpoints[i]
		if e.Operation != "update" {
			continue
		}
		switch {
		case e.Method == "PATCH" && patch == nil:
			patch = e
		case e.Method == "PUT" && put == nil:
			put = e
		}
	}
	main := patch
	if main == nil {
		main = put
	}
	if main == nil {
		return nil, nil
	}
	var notes []string
	ep := PlannedEndpoint{Method: main.Method, Doc: fmt.Sprintf("%s:%d", main.Source.File, main.Source.Line)}
	ep.Path, ep.Unfilled = docItemPath(u, c, main, id)
	if main.Method == "PATCH" {
		notes = append(notes, "PATCH is documented: a partial update sends only the changed attributes")
	} else {
		notes = append(notes, "only PUT is documented: a full update; the framework reads the object first to send it whole")
	}
	if ep.Unfilled != "" {
		notes = append(notes, ep.Unfilled)
	}
	// The base path of a description is the base address's, as normal,
	// or the scripts write it whole; a prefix they drop or add otherwise
	// is worth a word.
	written := strings.TrimLeft(scriptPath(u, *main), "/")
	if documented := strings.TrimRight(main.Base, "/") + main.Path; written != strings.TrimLeft(main.Path, "/") && written != strings.TrimLeft(documented, "/") {
		why := fmt.Sprintf("documented as %s %s; the path is relative to the connector's base address", main.Method, documented)
		ep.Comments = append(ep.Comments, why)
		notes = append(notes, why)
	}
	accepted := main.Accepts
	if len(accepted) == 0 {
		// The documentation does not say what the body takes: offer every
		// updateable attribute.
		for _, a := range DeclaredAttributes(c) {
			if guessable(c, a) {
				accepted = append(accepted, a.Name)
			}
		}
		notes = append(notes, "the documentation does not list the request body; all updateable attributes are offered")
	}
	seen := map[string]bool{}
	for _, remote := range accepted {
		a := c.AttributeForRemote(remote)
		if a == nil || len(a.Decls) == 0 || seen[a.Name] {
			continue
		}
		seen[a.Name] = true
		if ok, _ := updateable(a, id); !ok {
			continue
		}
		ep.Supported = append(ep.Supported, a.Name)
		if a.MultiValued {
			ep.Comments = append(ep.Comments, fmt.Sprintf("%s is multi-valued: %s replaces its whole list", a.Name, main.Method))
		}
	}
	if id.name != "" && contains(ep.Supported, id.name) {
		notes = append(notes, fmt.Sprintf("NAME %s is updateable: a change of it renames the object", id.name))
	}
	out := []PlannedEndpoint{ep}
	// Actions that set a value: POST /users/{id}/lock sets status=locked.
	var actions []analysis.DocEndpoint
	for _, e := range c.DocEndpoints {
		if e.Operation != "action" || e.Sets == "" {
			continue
		}
		attrName, _, _ := strings.Cut(e.Sets, "=")
		if a := c.AttributeForRemote(attrName); a == nil || len(a.Decls) == 0 {
			notes = append(notes, fmt.Sprintf("%s %s sets %s, which the schema does not declare: not generated", e.Method, e.Path, attrName))
			continue
		}
		actions = append(actions, e)
	}
	for _, e := range actions {
		attrName, value, _ := strings.Cut(e.Sets, "=")
		a := c.AttributeForRemote(attrName)
		path, unfilled := docItemPath(u, c, &e, id)
		ep := PlannedEndpoint{
			Method: e.Method, Path: path, Supported: []string{a.Name}, Value: literalFor(a, value), Empty: true, Unfilled: unfilled,
			Doc: fmt.Sprintf("%s:%d", e.Source.File, e.Source.Line),
		}
		// The action and the one that undoes it (POST and DELETE
		// /users/{id}/lock, lock and unlock) move the attribute between
		// their two values: each is the transition from the other's.
		if o := counterpart(e, actions); o != nil {
			_, from, _ := strings.Cut(o.Sets, "=")
			ep.Transitions = [][2]string{{literalFor(a, from), ep.Value}}
		}
		out = append(out, ep)
	}
	return out, notes
}

// counterpart returns the action that undoes an action: the other method
// on the same path (POST and DELETE /users/{id}/lock), or the action
// whose name is its own with un, de or dis (unlock, deactivate, disable),
// provided it sets the same attribute to another value.
func counterpart(e analysis.DocEndpoint, actions []analysis.DocEndpoint) *analysis.DocEndpoint {
	attr, value, _ := strings.Cut(e.Sets, "=")
	for i := range actions {
		o := &actions[i]
		oattr, ovalue, _ := strings.Cut(o.Sets, "=")
		if o.Endpoint == e.Endpoint || oattr != attr || ovalue == value {
			continue
		}
		if o.Path == e.Path && o.Method != e.Method || undoes(strings.ToLower(o.Action), strings.ToLower(e.Action)) {
			return o
		}
	}
	return nil
}

// undoes reports whether one action's name undoes the other's.
func undoes(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	for _, p := range []string{"un", "de", "dis"} {
		if a == p+b || b == p+a {
			return true
		}
	}
	return a == "enable" && b == "disable" || a == "disable" && b == "enable"
}

// docItemPath writes a documented item path for the framework, which
// fills only {id}, with the UID. The object's placeholder becomes {id}
// when the UID is what it takes; when it takes another attribute, or
// connls cannot tell and it does not name an identifier, the path keeps
// it and the second result says why it cannot be filled. The path is
// written relative to the scripts' base address.
func docItemPath(u *analysis.Unit, c *analysis.Class, e *analysis.DocEndpoint, id identity) (string, string) {
	path := scriptPath(u, *e)
	if len(e.PathParams) == 0 {
		return path, ""
	}
	param := e.PathParams[len(e.PathParams)-1]
	a, how := c.PlaceholderAttribute(e.Endpoint, param)
	switch {
	case a != nil && a.Name == id.uid:
		return ItemPath(path), ""
	case a == nil && (isIDLike(param) && isIDLike(id.uid) || param == "id"):
		return ItemPath(path), ""
	case a != nil:
		return path, fmt.Sprintf("{%s} takes %s (%s), but the framework fills only {id}, with the UID (%s): %s %s cannot be called. Map %s as the UID, or use an endpoint keyed by %s",
			param, a.Name, howText(how), id.uid, e.Method, e.Path, a.Name, id.uid)
	default:
		return path, fmt.Sprintf("connls cannot tell what {%s} takes, and the framework fills only {id}, with the UID (%s): check that they are the same value and write {id}, or map the attribute {%s} takes as the UID",
			param, id.uid, param)
	}
}

func howText(how string) string {
	switch how {
	case "name":
		return "its name"
	case "class":
		return "the placeholder names the class"
	case "description":
		return "as its description says"
	case "filter":
		return "the search filters on it"
	}
	return "as documented"
}

// inferredUpdate proposes PATCH on the item path of the get-by-id search
// when nothing documents an update: most REST APIs update where they
// read. It is a guess, and says so.
func inferredUpdate(c *analysis.Class, id identity) (*PlannedEndpoint, []string) {
	for _, k := range c.Keys() {
		if k.Operation != "search" || k.Attr.Name != id.uid {
			continue
		}
		path := strings.Replace(k.Path, "{"+k.Param+"}", "{id}", 1)
		ep := &PlannedEndpoint{Method: "PATCH", Path: path, Doc: fmt.Sprintf("%s:%d", k.Source.File, k.Source.Line),
			Inferred: fmt.Sprintf("no update is documented or declared; PATCH on %s, the item path of the search by %s, is a guess: check that the API accepts it", k.Path, id.uid)}
		for _, a := range DeclaredAttributes(c) {
			if ok, _ := updateable(a, id); ok && guessable(c, a) {
				ep.Supported = append(ep.Supported, a.Name)
			}
		}
		if len(ep.Supported) == 0 {
			return nil, nil
		}
		return ep, []string{ep.Inferred}
	}
	return nil, nil
}

func hasRESTUpdate(c *analysis.Class) bool {
	for _, e := range c.DocEndpoints {
		if e.Operation == "update" && e.Source.From != "scim" {
			return true
		}
	}
	return false
}

var numberLiteral = regexp.MustCompile(`^-?\d+(\.\d+)?$`)

// literalFor writes a value for an attribute's type.
func literalFor(a *analysis.Attribute, v string) string {
	switch a.Type {
	case "boolean":
		if v == "true" || v == "false" {
			return v
		}
	case "integer", "number":
		if numberLiteral.MatchString(v) {
			return v
		}
	}
	return Quote(v)
}

// code emits the update block in the style of the framework's docs.
func (p *UpdatePlan) code(whole bool) string {
	var b strings.Builder
	in := ""
	if whole {
		fmt.Fprintf(&b, "objectClass(%s) {\n", Quote(p.Class))
		in = "    "
	}
	fmt.Fprintf(&b, "%supdate {\n", in)
	if p.Scim {
		fmt.Fprintf(&b, "%s    // %s is backed by SCIM: the framework's SCIM update sends PATCH operations itself\n", in, p.Class)
		fmt.Fprintf(&b, "%s    scim {\n%s        enabled true\n%s    }\n", in, in, in)
	}
	for i, e := range p.Endpoints {
		if i > 0 {
			b.WriteString("\n")
		}
		ind := in + "    "
		switch {
		case e.Inferred != "":
			commentMarked(&b, ind, "// "+dsl.InferredMark+" ", "// ", e.Inferred)
		case e.Doc != "" && p.From == "scripts":
			fmt.Fprintf(&b, "%s// %s %s, as declared in %s\n", ind, e.Method, e.Path, e.Doc)
		case e.Doc != "":
			fmt.Fprintf(&b, "%s// %s %s, as documented in %s\n", ind, e.Method, e.Path, strings.SplitN(e.Doc, ":", 2)[0])
		}
		if e.Unfilled != "" {
			comment(&b, ind, "// ", e.Unfilled)
		}
		for _, c := range e.Comments {
			comment(&b, ind, "// ", c)
		}
		fmt.Fprintf(&b, "%sendpoint(%s, %s) {\n", ind, e.Method, Quote(e.Path))
		fmt.Fprintf(&b, "%s    request {\n", ind)
		if e.Empty || e.Value != "" {
			fmt.Fprintf(&b, "%s        body EMPTY\n", ind)
		} else {
			fmt.Fprintf(&b, "%s        contentType APPLICATION_JSON\n", ind)
		}
		fmt.Fprintf(&b, "%s    }\n", ind)
		switch {
		case (e.Value != "" || len(e.Transitions) > 0) && len(e.Supported) == 1:
			fmt.Fprintf(&b, "%s    supportedAttribute(%s) {\n", ind, Quote(e.Supported[0]))
			if e.Value != "" {
				fmt.Fprintf(&b, "%s        value %s\n", ind, e.Value)
			}
			for _, t := range e.Transitions {
				fmt.Fprintf(&b, "%s        transition %s, %s\n", ind, t[0], t[1])
			}
			fmt.Fprintf(&b, "%s    }\n", ind)
		case len(e.Supported) > 0:
			quoted := make([]string, len(e.Supported))
			for i, s := range e.Supported {
				quoted[i] = Quote(s)
			}
			fmt.Fprintf(&b, "%s    supportedAttributes %s\n", ind, wrapList(quoted, ind+"            "))
		}
		fmt.Fprintf(&b, "%s}\n", ind)
	}
	fmt.Fprintf(&b, "%s}\n", in)
	if whole {
		b.WriteString("}\n")
	}
	return b.String()
}

// wrapList joins names, breaking lines longer than about 100 columns.
func wrapList(items []string, cont string) string {
	var b strings.Builder
	width := 0
	for i, it := range items {
		if i > 0 {
			b.WriteString(",")
			if width+len(it) > 80 {
				b.WriteString("\n" + cont)
				width = 0
			} else {
				b.WriteString(" ")
			}
		}
		b.WriteString(it)
		width += len(it) + 2
	}
	return b.String()
}

func updateInputs(c *analysis.Class, p *UpdatePlan) any {
	var eps []string
	for _, e := range c.DocEndpoints {
		eps = append(eps, fmt.Sprintf("%s %s %s %v %s", e.Operation, e.Method, e.Path, e.Accepts, e.Sets))
	}
	for _, e := range c.Endpoints {
		var sup []string
		for _, sa := range e.Supported {
			sup = append(sup, fmt.Sprint(sa.Name, sa.Values, sa.TransitionPairs))
		}
		var filters []string
		for _, f := range e.FilterSpecs {
			filters = append(filters, f.Attr.Name+" "+f.Op+" "+f.PathParam)
		}
		eps = append(eps, fmt.Sprintf("script %s %s %s %v %v %v", e.Operation, e.Method, e.Path, e.SingleResult, sup, filters))
	}
	sort.Strings(eps)
	var attrs []string
	for _, a := range c.Attributes {
		attrs = append(attrs, fmt.Sprint(a.Name, a.Updateable, a.Complex, a.Reference, a.MultiValued, len(a.Decls), a.Description))
	}
	id := identityOf(c)
	return struct {
		Kind, Class, UID, NAME string
		Endpoints, Attrs       []string
		Plan                   *UpdatePlan
	}{"update", c.Name, id.uid, id.name, eps, attrs, p}
}

// updateRegion finds where a class's update goes: the update block of its
// X.update.op.groovy, or an update block that is all its objectClass block
// holds; else a new block in X.update.op.groovy. An update block that
// shares a combined script with other operations stays as written: it is
// evidence, and the generated block goes beside it.
func updateRegion(m *analysis.Model, u *analysis.Unit, c *analysis.Class) region {
	for _, b := range c.OpBlocks {
		if b.Yaml {
			continue
		}
		for _, op := range b.Ops {
			if op.Kind != "update" {
				continue
			}
			if len(b.Ops) == 1 {
				return blockRegion(m.FileOf(b.Script), b.Range, true)
			}
			if b.Script.Kind == dsl.KindUpdate {
				return blockRegion(m.FileOf(b.Script), op.Range, false)
			}
		}
	}
	dir := u.Dir
	for _, b := range append(append([]*dsl.ClassBlock{}, c.OpBlocks...), c.Blocks...) {
		dir = filepath.Dir(b.Script.File.Abs)
		break
	}
	return newFileRegion(u, filepath.Join(dir, c.Name+".update.op.groovy"))
}
