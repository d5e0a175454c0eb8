package generate

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/connls/connls/analysis"
)

// DeletePlan is the decided delete operation of a class.
type DeletePlan struct {
	Class string `json:"class"`
	Path  string `json:"path"`
	Doc   string `json:"doc"`
}

func planDelete(ctx context.Context, req Request, u *analysis.Unit, c *analysis.Class, chunks []DocChunk) (planned, error) {
	reg := opFileRegion(req.Model, u, c, c.Name+".delete.op.groovy")
	view := regionView(c, reg)
	if err := progressDocs(ctx, req.Progress, "endpoints", chunks); err != nil {
		return planned{}, err
	}
	plan, notes, err := ChooseDelete(u, view)
	if err != nil {
		return planned{}, err
	}
	title := fmt.Sprintf("Generate delete operation for %s: DELETE %s", c.Name, plan.Path)
	if reg.exists {
		title = "Re" + strings.ToLower(title[:1]) + title[1:]
	}
	return planned{kind: KindDelete, code: plan.code(), title: title, notes: notes, inputs: struct {
		Kind string
		Plan *DeletePlan
	}{"delete", plan}, region: reg, manifestSection: "operation"}, nil
}

// ChooseDelete decides the delete of a class: the documented DELETE on
// an item path whose one placeholder takes the UID, which the framework
// fills as {id}.
func ChooseDelete(u *analysis.Unit, c *analysis.Class) (*DeletePlan, []string, error) {
	id := identityOf(c)
	if id.uid == "" {
		return nil, nil, notFound{fmt.Sprintf("No UID for %s: the framework deletes by UID. Generate the mapping first (connls generate connid --class %s).", c.Name, c.Name)}
	}
	var cands []analysis.DocEndpoint
	var why []string
	for _, e := range c.DocEndpoints {
		if e.Operation != "delete" || e.Method != "DELETE" || len(e.PathParams) == 0 {
			continue
		}
		if len(e.PathParams) > 1 {
			why = append(why, fmt.Sprintf("DELETE %s needs more than the UID", e.Path))
			continue
		}
		if _, unfilled := docItemPath(u, c, &e, id); unfilled != "" {
			why = append(why, unfilled)
			continue
		}
		cands = append(cands, e)
	}
	if len(cands) == 0 {
		msg := fmt.Sprintf("No endpoint found for deleting %s that the framework can call: it needs a documented DELETE on an item path keyed by the UID (%s).", c.Name, id.uid)
		if len(why) > 0 {
			msg += " " + why[0]
		}
		return nil, nil, notFound{msg}
	}
	sort.SliceStable(cands, func(i, j int) bool { return len(cands[i].Path) < len(cands[j].Path) })
	e := cands[0]
	path, _ := docItemPath(u, c, &e, id)
	p := &DeletePlan{Class: c.Name, Path: path, Doc: docRef(e)}
	return p, []string{fmt.Sprintf("deletes %s with DELETE %s (%s): the framework fills {id} with the UID, %s", c.Name, e.Path, docRef(e), id.uid)}, nil
}

func (p *DeletePlan) code() string {
	var b strings.Builder
	fmt.Fprintf(&b, "objectClass(%s) {\n    delete {\n", Quote(p.Class))
	fmt.Fprintf(&b, "        // DELETE %s, as documented in %s; the framework fills {id} with the UID\n", p.Path, strings.SplitN(p.Doc, ":", 2)[0])
	fmt.Fprintf(&b, "        endpoint(DELETE, %s)\n", Quote(p.Path))
	b.WriteString("    }\n}\n")
	return b.String()
}
