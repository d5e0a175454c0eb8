package generate

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/connls/connls/analysis"
)

// CreatePlan is the decided create operation of a class.
type CreatePlan struct {
	Class     string   `json:"class"`
	Path      string   `json:"path"`
	Doc       string   `json:"doc"`
	Supported []string `json:"supported,omitempty"`
	// All is set when the documentation does not list the request body:
	// every creatable attribute is offered.
	All bool `json:"all,omitempty"`
}

func planCreate(ctx context.Context, req Request, u *analysis.Unit, c *analysis.Class, chunks []DocChunk) (planned, error) {
	reg := opFileRegion(req.Model, u, c, c.Name+".create.op.groovy")
	view := regionView(c, reg)
	if len(DeclaredAttributes(view)) == 0 {
		return planned{}, notFound{fmt.Sprintf("No attributes found for %s in this workspace. Please declare them (connls generate native --class %s) before the create operation.", c.Name, c.Name)}
	}
	if err := progressDocs(ctx, req.Progress, "endpoints", chunks); err != nil {
		return planned{}, err
	}
	plan, notes, err := ChooseCreate(u, view)
	if err != nil {
		return planned{}, err
	}
	title := fmt.Sprintf("Generate create operation for %s: POST %s", c.Name, plan.Path)
	if reg.exists {
		title = "Re" + strings.ToLower(title[:1]) + title[1:]
	}
	return planned{kind: KindCreate, code: plan.code(), title: title, notes: notes, inputs: struct {
		Kind string
		Plan *CreatePlan
	}{"create", plan}, region: reg, manifestSection: "operation"}, nil
}

// ChooseCreate decides the create of a class: the documented POST on a
// collection path with no placeholder (a create has no identifier to
// fill one with), the plainest first; the attributes its body takes that
// the schema declares creatable.
func ChooseCreate(u *analysis.Unit, c *analysis.Class) (*CreatePlan, []string, error) {
	var cands, nested []analysis.DocEndpoint
	for _, e := range c.DocEndpoints {
		if e.Operation != "create" || e.Method != "POST" {
			continue
		}
		if len(e.PathParams) > 0 {
			nested = append(nested, e)
			continue
		}
		cands = append(cands, e)
	}
	if len(cands) == 0 {
		msg := fmt.Sprintf("No endpoint found for creating %s: the documentation shows no POST on a collection path.", c.Name)
		if len(nested) > 0 {
			msg = fmt.Sprintf("No endpoint found for creating %s that the framework can call: POST %s needs {%s}, which nothing fills on create. Write the create by hand (a custom request).", c.Name, nested[0].Path, nested[0].PathParams[0])
		}
		return nil, nil, notFound{msg}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if sa, sb := strings.Count(a.Path, "/"), strings.Count(b.Path, "/"); sa != sb {
			return sa < sb
		}
		return len(a.Path) < len(b.Path)
	})
	e := cands[0]
	p := &CreatePlan{Class: c.Name, Path: scriptPath(u, e), Doc: docRef(e)}
	notes := []string{fmt.Sprintf("creates %s with POST %s (%s)", c.Name, e.Path, docRef(e))}
	accepted := e.Accepts
	if len(accepted) == 0 {
		p.All = true
		notes = append(notes, "the documentation does not list the request body; all creatable attributes are offered")
		for _, a := range DeclaredAttributes(c) {
			accepted = append(accepted, a.Name)
		}
	}
	seen := map[string]bool{}
	for _, remote := range accepted {
		a := c.AttributeForRemote(remote)
		if a == nil || len(a.Decls) == 0 || seen[a.Name] || !a.Creatable || a.Complex || a.Emulated || a.Reference && !hasJSON(a) {
			continue
		}
		seen[a.Name] = true
		p.Supported = append(p.Supported, a.Name)
	}
	if len(p.Supported) == 0 {
		return nil, nil, notFound{fmt.Sprintf("POST %s takes none of the attributes the schema of %s declares creatable: declare them (connls generate native --class %s) first.", e.Path, c.Name, c.Name)}
	}
	return p, notes, nil
}

func (p *CreatePlan) code() string {
	var b strings.Builder
	fmt.Fprintf(&b, "objectClass(%s) {\n    create {\n", Quote(p.Class))
	in := "        "
	fmt.Fprintf(&b, "%s// POST %s, as documented in %s\n", in, p.Path, strings.SplitN(p.Doc, ":", 2)[0])
	if p.All {
		fmt.Fprintf(&b, "%s// The documentation does not list the request body: every creatable attribute is offered.\n", in)
	}
	fmt.Fprintf(&b, "%sendpoint(POST, %s) {\n", in, Quote(p.Path))
	fmt.Fprintf(&b, "%s    request {\n%s        contentType APPLICATION_JSON\n%s    }\n", in, in, in)
	quoted := make([]string, len(p.Supported))
	for i, s := range p.Supported {
		quoted[i] = Quote(s)
	}
	fmt.Fprintf(&b, "%s    supportedAttributes %s\n", in, wrapList(quoted, in+"            "))
	fmt.Fprintf(&b, "%s}\n", in)
	b.WriteString("    }\n}\n")
	return b.String()
}
