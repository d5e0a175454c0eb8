package generate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/workspace"
)

// ScaffoldKinds are the per-class generators a new connector runs, in
// order: the schema, the search (which the mapping takes as evidence),
// the mapping, then the operations that use it. Generating them again in
// this order changes nothing.
var ScaffoldKinds = []Kind{KindNative, KindSearch, KindConnID, KindCreate, KindUpdate, KindDelete}

// ScaffoldSection is the manifest section that lists a kind's scripts.
func ScaffoldSection(k Kind) string {
	switch k {
	case KindNative, KindConnID:
		return "schema"
	case KindAuthorization:
		return "authorization"
	}
	return "operation"
}

// CoreClasses are the classes of a unit a connector would start with:
// the documented resources the API both lists (a GET without a parent
// placeholder, not the current user's) and reads one by one.
func CoreClasses(u *analysis.Unit) []string {
	var out []string
	for _, c := range u.Classes {
		if c.Scim || c.Embedded || !isResource(c) {
			continue
		}
		list, get := false, false
		for _, e := range c.DocEndpoints {
			switch {
			case e.Method == "GET" && e.Operation == "search" && len(e.PathParams) == 0 && !mine(e.Path):
				list = true
			case e.Method == "GET" && e.Operation == "get" && len(e.PathParams) == 1:
				get = true
			}
		}
		if list && get {
			out = append(out, c.Name)
		}
	}
	sort.Strings(out)
	return out
}

// ScaffoldRequest asks for the scripts of a new connector.
type ScaffoldRequest struct {
	// Root is the connector's folder; Files are what it holds now (the
	// API description), by slash path relative to Root. Nothing is read
	// from disk: the connector is built in memory.
	Root  string
	Files map[string][]byte
	// Classes to generate; empty takes CoreClasses.
	Classes  []string
	Progress analysis.Progress
}

// Scaffold is a new connector: the files to create, by slash path
// relative to the root, the manifest among them, and what was decided on
// the way.
type Scaffold struct {
	Files   map[string][]byte
	Classes []string
	Notes   []string
	// Errors and Warnings count what check finds in the new connector.
	Errors, Warnings int
}

// NewConnector generates a connector from the documents in req.Files:
// for each class the ScaffoldKinds in order, then the relationships
// between the classes (ScaffoldRelations), then the authorization, each
// where the documentation holds what it needs, and a manifest that lists
// every script. Each step reads the connector as the steps before left it,
// since each script is evidence for the next. A script that check finds
// an error in is left out, with a note saying why: the new connector
// checks clean, and the developer writes that part. It returns ErrNotFound
// when the documents describe nothing to start from.
func NewConnector(ctx context.Context, req ScaffoldRequest) (*Scaffold, error) {
	files := map[string][]byte{}
	for p, b := range req.Files {
		files[p] = b
	}
	sc := &Scaffold{Files: map[string][]byte{}}
	an := analysis.NewAnalyzer()
	// analyze reads the files as they are now; the last reading is kept
	// until the files change, so a step reads what the check of the step
	// before read already. Only the unit of the root counts: the paths of
	// its results are relative to it.
	var (
		lastModel *analysis.Model
		lastUnit  *analysis.Unit
		changed   = true
	)
	analyze := func() (*analysis.Model, *analysis.Unit, error) {
		if !changed {
			return lastModel, lastUnit, nil
		}
		ws, err := workspace.InMemory(req.Root, files)
		if err != nil {
			return nil, nil, err
		}
		m, err := an.Analyze(ctx, ws.Snapshot(), nil)
		if err != nil {
			return nil, nil, err
		}
		lastModel, lastUnit, changed = m, nil, false
		for _, u := range m.Units {
			if u.Dir == filepath.Clean(req.Root) {
				lastUnit = u
			}
		}
		return lastModel, lastUnit, nil
	}
	m, u, err := analyze()
	if err != nil {
		return nil, err
	}
	if u == nil || len(u.Classes) == 0 {
		return nil, notFound{"the documents describe no object class"}
	}
	classes := req.Classes
	if len(classes) == 0 {
		if classes = CoreClasses(u); len(classes) == 0 {
			return nil, notFound{"no resource that the API both lists and reads one by one; name the classes"}
		}
		sc.Notes = append(sc.Notes, "core resources: "+strings.Join(classes, ", "))
	}
	for _, name := range classes {
		c := u.Class(name)
		if c == nil {
			c = u.ClassFold(name)
		}
		if c == nil {
			return nil, notFound{unknownClass(m, u, name)}
		}
		sc.Classes = append(sc.Classes, c.Name)
	}

	listed := map[string][]string{}
	// keep applies a result to the files, or leaves it out when check
	// finds an error in what it wrote.
	keep := func(res *Result) error {
		sc.Notes = append(sc.Notes, res.Notes...)
		if len(res.Changes) == 0 {
			return nil
		}
		before := map[string][]byte{}
		for _, c := range res.Changes {
			before[c.Path] = files[c.Path]
			files[c.Path] = []byte(c.After)
		}
		changed = true
		m, _, err := analyze()
		if err != nil {
			return err
		}
		if errs := errorsIn(m, res); len(errs) > 0 {
			for p, b := range before {
				if b == nil {
					delete(files, p)
				} else {
					files[p] = b
				}
			}
			changed = true
			sc.Notes = append(sc.Notes, fmt.Sprintf("left out the %s of %s: %s", res.Kind, res.Class, strings.Join(errs, "; ")))
			return nil
		}
		for _, c := range res.Changes {
			if c.New {
				section := ScaffoldFileSection(res.Kind, c.Path)
				listed[section] = append(listed[section], "/"+c.Path)
				sc.Notes = append(sc.Notes, "created "+c.Path)
			}
		}
		return nil
	}
	relations := ScaffoldRelations(u, sc.Classes)
	steps := len(ScaffoldKinds)*len(sc.Classes) + len(relations) + 1
	step := 0
	run := func(kind Kind, class string) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		step++
		if req.Progress != nil {
			req.Progress("scaffold", fmt.Sprintf("%s %s", kind, class), step, steps)
		}
		m, u, err := analyze()
		if err != nil {
			return err
		}
		res, err := Generate(ctx, Request{Model: m, Unit: u, Class: class, Kind: kind})
		if errors.Is(err, ErrNotFound) {
			what := string(kind)
			if class != "" {
				what += " for " + class
			}
			sc.Notes = append(sc.Notes, fmt.Sprintf("no %s: %v", what, err))
			return nil
		}
		if err != nil {
			return err
		}
		return keep(res)
	}
	for _, kind := range ScaffoldKinds {
		for _, name := range sc.Classes {
			if err := run(kind, name); err != nil {
				return nil, err
			}
		}
	}
	// The relationships between the classes, once their schemas and
	// searches are in place.
	for _, name := range relations {
		if err := run(KindRelations, name); err != nil {
			return nil, err
		}
	}
	if err := run(KindAuthorization, ""); err != nil {
		return nil, err
	}
	if m, u, err = analyze(); err != nil {
		return nil, err
	}
	files[manifestName] = manifest(req.Root, u, listed)
	changed = true
	if m, _, err = analyze(); err != nil {
		return nil, err
	}
	for _, p := range m.Diagnostics() {
		switch p.Severity {
		case dsl.SevError:
			sc.Errors++
		case dsl.SevWarning:
			sc.Warnings++
		}
	}
	for p, b := range files {
		if _, had := req.Files[p]; !had {
			sc.Files[p] = b
		}
	}
	return sc, nil
}

const manifestName = "connector.manifest.json"

// errorsIn returns the errors check finds in the files a result wrote. A
// class has no mapping until connid runs, after the native schema and
// the search: the final check still sees it if that fails.
func errorsIn(m *analysis.Model, res *Result) []string {
	files := map[string]bool{}
	for _, c := range res.Changes {
		files[c.Path] = true
	}
	var out []string
	for _, p := range m.Diagnostics() {
		if p.Code == "missing-uid" || p.Code == "missing-name" {
			continue
		}
		if files[p.Path] && p.Severity == dsl.SevError {
			out = append(out, fmt.Sprintf("%s:%d: %s", p.Path, p.Range.Start.Line+1, p.Message))
		}
	}
	return out
}

// manifest lists the generated scripts in the order the framework loads
// them: schema first (native before connid, as generated, then the
// relationships), then authorization, then operations. The application is named after the
// description's title, else the folder.
func manifest(root string, u *analysis.Unit, listed map[string][]string) []byte {
	type entry struct {
		Script string `json:"script"`
	}
	app := struct {
		Name        string `json:"name"`
		Description string `json:"description,omitempty"`
	}{Name: filepath.Base(root)}
	if u != nil {
		for _, d := range u.Docs {
			if d.Title != "" {
				app.Name = d.Title
				break
			}
		}
	}
	order := func(paths []string, suffixes ...string) []entry {
		out := []entry{}
		for _, s := range suffixes {
			for _, p := range paths {
				if strings.HasSuffix(p, s) {
					out = append(out, entry{p})
				}
			}
		}
		return out
	}
	conn := struct {
		Schema        []entry `json:"schema"`
		Authorization []entry `json:"authorization"`
		Operation     []entry `json:"operation"`
	}{
		order(listed["schema"], ".native.schema.groovy", ".connid.schema.groovy", "associations.schema.groovy"),
		order(listed["authorization"], ".groovy"),
		order(listed["operation"], ".search.groovy", ".create.op.groovy", ".update.op.groovy", ".delete.op.groovy"),
	}
	b, _ := json.MarshalIndent(struct {
		Application any `json:"application"`
		Connector   any `json:"connector"`
	}{app, conn}, "", "  ")
	return append(b, '\n')
}

// ScaffoldFileSection is the manifest section of a file a generation of
// kind k created: a relationship writes a schema script and a search
// script at once.
func ScaffoldFileSection(k Kind, path string) string {
	if k == KindRelations {
		if strings.HasSuffix(path, ".schema.groovy") {
			return "schema"
		}
		return "operation"
	}
	return ScaffoldSection(k)
}

// ScaffoldRelations are the relationships a new connector starts with:
// those between two of its classes, by name.
func ScaffoldRelations(u *analysis.Unit, classes []string) []string {
	have := map[string]bool{}
	for _, c := range classes {
		have[c] = true
	}
	var out []string
	for _, r := range FindRelations(u) {
		if have[r.Subject] && have[r.Object] {
			out = append(out, r.Name)
		}
	}
	return out
}
