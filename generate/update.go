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
)

// UpdatePlan is the decided update operation of a class.
type UpdatePlan struct {
	Class     string            `json:"class"`
	Scim      bool              `json:"scim,omitempty"` // the class is SCIM-backed: use the SCIM update
	Endpoints []PlannedEndpoint `json:"endpoints,omitempty"`
	Source    string            `json:"source,omitempty"`
}

// PlannedEndpoint is one generated update endpoint.
type PlannedEndpoint struct {
	Method    string   `json:"method"`
	Path      string   `json:"path"`
	Supported []string `json:"supportedAttributes,omitempty"`
	// Value is set for an action endpoint: the value it sets on its one
	// supported attribute, as Groovy source (a quoted string, true, 3).
	Value    string   `json:"value,omitempty"`
	Comments []string `json:"comments,omitempty"`
	Doc      string   `json:"doc,omitempty"` // file:line of the documented endpoint
}

func planUpdate(ctx context.Context, req Request, u *analysis.Unit, c *analysis.Class, chunks []DocChunk) (planned, error) {
	if len(declared(c)) == 0 {
		return planned{}, notFound{fmt.Sprintf("No attributes found for %s in this workspace. Please declare them (or generate the schema) before the update operation.", c.Name)}
	}
	if err := progressDocs(ctx, req.Progress, "endpoints", chunks); err != nil {
		return planned{}, err
	}
	plan, notes, err := ChooseUpdate(c)
	undocumented := errors.Is(err, ErrNotFound)
	if err != nil && !(undocumented && req.Assist != nil) {
		return planned{}, err
	}
	// The assistant reads the prose when no endpoint is documented in a
	// form connls understands, and reviews the choice when asked to.
	if req.Assist != nil && (undocumented || req.AskAssist) {
		revised, msgs, aerr := req.Assist.ReviseUpdate(ctx, c, plan, chunks, req.Progress)
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
		}
	}
	reg := updateRegion(req.Model, u, c)
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
	}
	return planned{kind: KindUpdate, code: code, title: title, notes: notes, inputs: updateInputs(c, plan), region: reg, manifestSection: "operation"}, nil
}

// declared returns the attributes scripts declare: the only names the
// framework's update accepts ("Attribute x not found in schema").
func declared(c *analysis.Class) []*analysis.Attribute {
	var out []*analysis.Attribute
	for _, a := range c.Attributes {
		if len(a.Decls) > 0 {
			out = append(out, a)
		}
	}
	return out
}

var placeholder = regexp.MustCompile(`\{[^}/]*\}`)

// itemPath writes a documented item path with the {id} placeholder the
// framework fills with the UID.
func itemPath(p string) string {
	locs := placeholder.FindAllStringIndex(p, -1)
	if len(locs) == 0 {
		return p
	}
	last := locs[len(locs)-1]
	return p[:last[0]] + "{id}" + p[last[1]:]
}

// ChooseUpdate decides the update endpoints of a class from its
// documented endpoints: PATCH on the item when documented (partial
// update), else PUT; action endpoints that set one attribute's value.
func ChooseUpdate(c *analysis.Class) (*UpdatePlan, []string, error) {
	plan := &UpdatePlan{Class: c.Name, Source: "connls"}
	if c.Scim && !hasRESTUpdate(c) {
		plan.Scim = true
		return plan, []string{c.Name + " is backed by SCIM: the framework's SCIM update sends PATCH operations itself"}, nil
	}
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
		return nil, nil, notFound{fmt.Sprintf("No endpoints found for updating %s in this workspace. Please document the update endpoint (PATCH or PUT on the item path) in the API documentation first.", c.Name)}
	}
	uid, _ := c.Mapped("UID")
	if uid == "" {
		uid = ChooseConnID(c).UID
	}
	name, _ := c.Mapped("NAME")
	var notes []string
	ep := PlannedEndpoint{Method: main.Method, Path: itemPath(main.Path), Doc: fmt.Sprintf("%s:%d", main.Source.File, main.Source.Line)}
	if main.Method == "PATCH" {
		notes = append(notes, "PATCH is documented: a partial update sends only the changed attributes")
	} else {
		notes = append(notes, "only PUT is documented: a full update; the framework reads the object first to send it whole")
	}
	if params := main.PathParams; len(params) > 0 {
		if p := params[len(params)-1]; p != "id" && uid != "" && !strings.EqualFold(p, uid) {
			notes = append(notes, fmt.Sprintf("the API addresses %s by {%s}; the framework fills {id} with the UID (%s): check that they are the same value", c.Name, p, uid))
		}
	}
	accepted := main.Accepts
	if len(accepted) == 0 {
		// The documentation does not say what the body takes: offer every
		// updateable attribute.
		for _, a := range declared(c) {
			accepted = append(accepted, a.Name)
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
		switch {
		case a.Name == uid:
			continue // the UID addresses the object, it is never updated
		case a.Name == name && !a.Updateable:
			continue
		case !a.Updateable || a.Complex:
			continue
		}
		ep.Supported = append(ep.Supported, a.Name)
		if a.MultiValued {
			ep.Comments = append(ep.Comments, fmt.Sprintf("%s is multi-valued: %s replaces its whole list", a.Name, main.Method))
		}
	}
	if name != "" && seen[name] && contains(ep.Supported, name) {
		notes = append(notes, fmt.Sprintf("NAME %s is updateable: a change of it renames the object", name))
	}
	plan.Endpoints = append(plan.Endpoints, ep)
	// Actions that set a value: POST /users/{id}/lock sets status=locked.
	for _, e := range c.DocEndpoints {
		if e.Operation != "action" || e.Sets == "" {
			continue
		}
		attrName, value, _ := strings.Cut(e.Sets, "=")
		a := c.AttributeForRemote(attrName)
		if a == nil || len(a.Decls) == 0 {
			notes = append(notes, fmt.Sprintf("%s %s sets %s, which the schema does not declare: not generated", e.Method, e.Path, attrName))
			continue
		}
		plan.Endpoints = append(plan.Endpoints, PlannedEndpoint{
			Method: e.Method, Path: itemPath(e.Path), Supported: []string{a.Name}, Value: literalFor(a, value),
			Doc: fmt.Sprintf("%s:%d", e.Source.File, e.Source.Line),
		})
	}
	return plan, notes, nil
}

func hasRESTUpdate(c *analysis.Class) bool {
	for _, e := range c.DocEndpoints {
		if e.Operation == "update" && e.Source.From != "scim" {
			return true
		}
	}
	return false
}

// literalFor writes a value for an attribute's type.
func literalFor(a *analysis.Attribute, v string) string {
	switch a.Type {
	case "boolean":
		if v == "true" || v == "false" {
			return v
		}
	case "integer", "number":
		if regexp.MustCompile(`^-?\d+(\.\d+)?$`).MatchString(v) {
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
		fmt.Fprintf(&b, "%s    scim {\n%s        enabled true\n%s    }\n", in, in, in)
	}
	for i, e := range p.Endpoints {
		if i > 0 {
			b.WriteString("\n")
		}
		if e.Doc != "" {
			fmt.Fprintf(&b, "%s    // %s %s, as documented in %s\n", in, e.Method, e.Path, strings.SplitN(e.Doc, ":", 2)[0])
		}
		for _, c := range e.Comments {
			fmt.Fprintf(&b, "%s    // %s\n", in, c)
		}
		fmt.Fprintf(&b, "%s    endpoint(%s, %s) {\n", in, e.Method, Quote(e.Path))
		fmt.Fprintf(&b, "%s        request {\n", in)
		if e.Value != "" {
			fmt.Fprintf(&b, "%s            body EMPTY\n", in)
		} else {
			fmt.Fprintf(&b, "%s            contentType APPLICATION_JSON\n", in)
		}
		fmt.Fprintf(&b, "%s        }\n", in)
		switch {
		case e.Value != "" && len(e.Supported) == 1:
			fmt.Fprintf(&b, "%s        supportedAttribute(%s) {\n%s            value %s\n%s        }\n", in, Quote(e.Supported[0]), in, e.Value, in)
		case len(e.Supported) > 0:
			quoted := make([]string, len(e.Supported))
			for i, s := range e.Supported {
				quoted[i] = Quote(s)
			}
			fmt.Fprintf(&b, "%s        supportedAttributes %s\n", in, wrapList(quoted, in+"                "))
		}
		fmt.Fprintf(&b, "%s    }\n", in)
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
	sort.Strings(eps)
	var attrs []string
	for _, a := range c.Attributes {
		attrs = append(attrs, fmt.Sprint(a.Name, a.Updateable, a.Complex, a.Reference, a.MultiValued, len(a.Decls)))
	}
	uid, _ := c.Mapped("UID")
	name, _ := c.Mapped("NAME")
	return struct {
		Kind, Class, UID, NAME string
		Endpoints, Attrs       []string
		Plan                   *UpdatePlan
	}{"update", c.Name, uid, name, eps, attrs, p}
}

// updateRegion finds where a class's update goes: its update {} block
// (the whole objectClass block when that holds nothing else), or a new
// block in X.update.op.groovy.
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
			return blockRegion(m.FileOf(b.Script), op.Range, false)
		}
	}
	dir := u.Dir
	for _, b := range append(append([]*analysis.ClassBlock{}, c.OpBlocks...), c.Blocks...) {
		dir = filepath.Dir(b.Script.File.Abs)
		break
	}
	return newFileRegion(u, filepath.Join(dir, c.Name+".update.op.groovy"))
}
