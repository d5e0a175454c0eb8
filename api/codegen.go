package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/generate"
)

// The service's codegen kinds beyond connid and update. A search job's
// kind carries its intent (search/all, search/filter, search/id) so that
// a job is looked up under the path that started it.
const (
	kindNative        = "native-schema"
	kindSearch        = "search"
	kindCreate        = "create"
	kindDelete        = "delete"
	kindRelation      = "relation"
	kindAuthorization = "authorization"
)

// searchIntents are the service's ways to search: every object, by a
// filter, by the identifier.
var searchIntents = []string{"all", "filter", "id"}

// CodegenInput is the service's optional body of a codegen POST.
type CodegenInput struct {
	// PreferredEndpoints focus the generation: among the documented
	// endpoints of one method and operation, only these are used.
	PreferredEndpoints []PreferredEndpoint `json:"preferredEndpoints,omitempty"`
	// CurrentScript is the user's script to repair instead of generating
	// one.
	CurrentScript *string `json:"currentScript,omitempty"`
	// MidpointErrors are what midPoint reported for the script.
	MidpointErrors []string `json:"midpointErrors,omitempty"`
}

// PreferredEndpoint is an endpoint the user wants used.
type PreferredEndpoint struct {
	Method string `json:"method"`
	Path   string `json:"path"`
}

// codegenKind maps a job kind to the generator's.
func codegenKind(kind string) generate.Kind {
	switch {
	case kind == kindNative:
		return generate.KindNative
	case strings.HasPrefix(kind, kindSearch):
		return generate.KindSearch
	case kind == kindCreate:
		return generate.KindCreate
	case kind == kindDelete:
		return generate.KindDelete
	case kind == kindAuthorization:
		return generate.KindAuthorization
	case kind == kindRelation:
		return generate.KindRelations
	}
	return ""
}

// scriptSuffix is the file a kind's script is kept in, as the framework's
// connectors name it.
func scriptSuffix(kind string) string {
	switch {
	case kind == kindNative:
		return "native.schema"
	case strings.HasPrefix(kind, kindSearch):
		return "search"
	case kind == kindCreate:
		return "create.op"
	case kind == kindDelete:
		return "delete.op"
	case kind == kindConnID:
		return "connid.schema"
	case kind == kindUpdate:
		return "update.op"
	}
	return ""
}

// label names a kind in messages, as the service does.
func label(kind string) string {
	switch {
	case kind == kindConnID:
		return "ConnID"
	case kind == kindUpdate:
		return "Update"
	case kind == kindNative:
		return "Native schema"
	case strings.HasPrefix(kind, kindSearch):
		return "Search"
	case kind == kindCreate:
		return "Create"
	case kind == kindDelete:
		return "Delete"
	case kind == kindRelation:
		return "Relation"
	case kind == kindAuthorization:
		return "Authorization"
	}
	return kind
}

// codeOf returns the session's code of a class and kind (nil: none), and
// a setter for it.
func codeOf(st *ClassState, kind string) (*Code, func(*ClassState, *Code)) {
	switch {
	case kind == kindConnID:
		return st.ConnID, func(st *ClassState, c *Code) { st.ConnID = c }
	case kind == kindUpdate:
		return st.Update, func(st *ClassState, c *Code) { st.Update = c }
	case kind == kindNative:
		return st.Native, func(st *ClassState, c *Code) { st.Native = c }
	case strings.HasPrefix(kind, kindSearch):
		return st.Search, func(st *ClassState, c *Code) { st.Search = c }
	case kind == kindCreate:
		return st.Create, func(st *ClassState, c *Code) { st.Create = c }
	case kind == kindDelete:
		return st.Delete, func(st *ClassState, c *Code) { st.Delete = c }
	}
	return nil, func(*ClassState, *Code) {}
}

// readInput reads a codegen POST's optional body.
func readInput(w http.ResponseWriter, r *http.Request) (*CodegenInput, error) {
	if r.ContentLength == 0 {
		return nil, nil
	}
	var raw json.RawMessage
	if err := decodeJSON(http.MaxBytesReader(w, r.Body, maxJSONBytes), &raw); err != nil {
		return nil, fmt.Errorf("the request body is not JSON: %v", err)
	}
	if string(raw) == "null" {
		return nil, nil
	}
	var in CodegenInput
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, fmt.Errorf("the request body is not a codegen input (preferredEndpoints, currentScript, midpointErrors): %v", err)
	}
	for _, p := range in.PreferredEndpoints {
		if p.Method == "" || !strings.HasPrefix(p.Path, "/") {
			return nil, fmt.Errorf("a preferred endpoint needs a method and a path starting with /, not %+v", p)
		}
	}
	if in.PreferredEndpoints == nil && in.CurrentScript == nil && in.MidpointErrors == nil {
		return nil, nil
	}
	return &in, nil
}

// startCodegen starts a generation of a class's native schema, search,
// create or delete, after checking its prerequisites as the service
// does: attributes first; endpoints too for the operations.
func (s *Server) startCodegen(step string) func(http.ResponseWriter, *http.Request, *Session) {
	return func(w http.ResponseWriter, r *http.Request, sess *Session) {
		kind := step
		class := r.PathValue("object_class")
		if !validClass(class) {
			detail(w, http.StatusUnprocessableEntity, "object_class %q is not a class name", class)
			return
		}
		if kind == kindSearch {
			intent := r.PathValue("intent")
			if !validIntent(intent) {
				detail(w, http.StatusUnprocessableEntity, "intent must be one of %s, not %q", strings.Join(searchIntents, ", "), intent)
				return
			}
			kind += "/" + intent
		}
		fresh, err := freshParam(r)
		if err != nil {
			detail(w, http.StatusUnprocessableEntity, "%v", err)
			return
		}
		in, err := readInput(w, r)
		if err != nil {
			detail(w, http.StatusUnprocessableEntity, "%v", err)
			return
		}
		name, st := lookup(sess, class)
		if st == nil || len(st.Attributes) == 0 {
			detail(w, http.StatusNotFound, "No attributes found for %s in session %s. Please run /classes/%s/attributes endpoint first.", class, sess.ID, class)
			return
		}
		if kind != kindNative && len(st.Endpoints) == 0 {
			detail(w, http.StatusNotFound, "No endpoints found for %s in session %s. Please run /classes/%s/endpoints endpoint first.", class, sess.ID, class)
			return
		}
		if in != nil && in.CurrentScript == nil && len(in.MidpointErrors) > 0 {
			if c, _ := codeOf(st, kind); c == nil {
				detail(w, http.StatusUnprocessableEntity, "midpointErrors need the script they are about: send it as currentScript, or generate the %s code of %s first", strings.ToLower(label(kind)), class)
				return
			}
		}
		j, err := s.enqueue(r.Context(), &Job{SessionID: sess.ID, Kind: kind, ObjectClass: name, Fresh: fresh, Input: in})
		if err != nil {
			s.refuse(w, sess.ID, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"jobId": j.JobID})
	}
}

func validIntent(intent string) bool {
	for _, i := range searchIntents {
		if i == intent {
			return true
		}
	}
	return false
}

// startConnectorJob starts the authorization's or a relation's
// generation: they belong to the connector, not to a class.
func (s *Server) startConnectorJob(kind string) func(http.ResponseWriter, *http.Request, *Session) {
	return func(w http.ResponseWriter, r *http.Request, sess *Session) {
		fresh, err := freshParam(r)
		if err != nil {
			detail(w, http.StatusUnprocessableEntity, "%v", err)
			return
		}
		in, err := readInput(w, r)
		if err != nil {
			detail(w, http.StatusUnprocessableEntity, "%v", err)
			return
		}
		if len(sess.KnownClasses) == 0 && kind == kindAuthorization {
			detail(w, http.StatusNotFound, "No documentation processed in session %s. Please upload documentation first.", sess.ID)
			return
		}
		target := ""
		prev := sess.Authorization
		if kind == kindRelation {
			target = r.PathValue("relation_name")
			if !validClass(target) {
				detail(w, http.StatusUnprocessableEntity, "relation_name %q is not a relation name", target)
				return
			}
			prev = sess.Relations[target]
		}
		if in != nil && in.CurrentScript == nil && len(in.MidpointErrors) > 0 && prev == nil {
			detail(w, http.StatusUnprocessableEntity, "midpointErrors need the script they are about: send it as currentScript, or generate the %s code first", strings.ToLower(label(kind)))
			return
		}
		j, err := s.enqueue(r.Context(), &Job{SessionID: sess.ID, Kind: kind, ObjectClass: target, Fresh: fresh, Input: in})
		if err != nil {
			s.refuse(w, sess.ID, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"jobId": j.JobID})
	}
}

// overrideConnector stores the authorization or a relation written by
// hand.
func (s *Server) overrideConnector(kind string) func(http.ResponseWriter, *http.Request, *Session) {
	return func(w http.ResponseWriter, r *http.Request, sess *Session) {
		var body struct {
			Code *string `json:"code"`
		}
		if err := decodeJSON(http.MaxBytesReader(w, r.Body, maxJSONBytes), &body); err != nil {
			detail(w, http.StatusUnprocessableEntity, "the request body is not JSON: %v", err)
			return
		}
		if body.Code == nil {
			detail(w, http.StatusUnprocessableEntity, `the request body needs {"code": "..."}`)
			return
		}
		name := r.PathValue("relation_name")
		if kind == kindRelation && !validClass(name) {
			detail(w, http.StatusUnprocessableEntity, "relation_name %q is not a relation name", name)
			return
		}
		err := s.b.updateSession(r.Context(), sess.ID, func(sess *Session) error {
			c := &Code{Code: *body.Code, Override: true, UpdatedAt: time.Now().UTC()}
			if kind == kindRelation {
				if sess.Relations == nil {
					sess.Relations = map[string]*Code{}
				}
				sess.Relations[name] = c
			} else {
				sess.Authorization = c
			}
			return nil
		})
		if err != nil {
			s.internal(w, err)
			return
		}
		out := map[string]string{"sessionId": sess.ID}
		if kind == kindRelation {
			out["message"] = fmt.Sprintf("Relation %s overridden successfully", name)
			out["relationName"] = name
		} else {
			out["message"] = "Authorization overridden successfully"
		}
		writeJSON(w, http.StatusOK, out)
	}
}

// codegen runs a generation of the service's codegen kinds, or repairs
// the script the input gives from midPoint's errors. The job's workspace
// is the session's documents and what the session holds for the class:
// its native schema (generated, overridden, or written from the detected
// attributes) and its mapping, so that an operation is generated against
// the schema the connector declares.
func (s *Server) codegen(ctx context.Context, j *Job, sess *Session, docs map[string][]byte, progress analysis.Progress) (any, func(*Session) error, error) {
	files := jobFiles{docs}
	in := j.Input
	if in == nil {
		in = &CodegenInput{}
	}
	var (
		prev   *Code
		set    func(*Session, *Code)
		name   = j.ObjectClass
		script string // the file the kind's script is kept in
	)
	switch j.Kind {
	case kindAuthorization:
		prev, script = sess.Authorization, "authorization.op.groovy"
		set = func(sess *Session, c *Code) { sess.Authorization = c }
	case kindRelation:
		prev, script = sess.Relations[name], "associations.schema.groovy"
		set = func(sess *Session, c *Code) {
			if sess.Relations == nil {
				sess.Relations = map[string]*Code{}
			}
			sess.Relations[name] = c
		}
	default:
		var st *ClassState
		name, st = lookup(sess, j.ObjectClass)
		if st == nil || len(st.Attributes) == 0 {
			return nil, nil, fmt.Errorf("no attributes for %s", j.ObjectClass) // checked on POST; deleted meanwhile
		}
		var setClass func(*ClassState, *Code)
		prev, setClass = codeOf(st, j.Kind)
		set = func(sess *Session, c *Code) { setClass(state(sess, name), c) }
		script = scriptName(name, scriptSuffix(j.Kind))
		if j.Kind != kindNative {
			if err := files.put(scriptName(name, "native.schema"), nativeOf(name, st)); err != nil {
				return nil, nil, err
			}
		}
		if st.ConnID != nil && j.Kind != kindConnID {
			if err := files.put(scriptName(name, "connid.schema"), st.ConnID.Code); err != nil {
				return nil, nil, err
			}
		}
	}
	if j.Kind == kindRelation {
		// A relation joins classes: their schemas and mappings are what
		// it is found from (a placeholder filled by a UID or NAME) and
		// checked against.
		for class, st := range sess.Classes {
			if len(st.Attributes) > 0 {
				if err := files.put(scriptName(class, "native.schema"), nativeOf(class, st)); err != nil {
					return nil, nil, err
				}
			}
			if st.ConnID != nil {
				if err := files.put(scriptName(class, "connid.schema"), st.ConnID.Code); err != nil {
					return nil, nil, err
				}
			}
		}
	}

	// A repair: the user's script (or the session's) and midPoint's errors.
	if in.CurrentScript != nil || len(in.MidpointErrors) > 0 {
		code := ""
		switch {
		case in.CurrentScript != nil:
			code = *in.CurrentScript
		case prev != nil:
			code = prev.Code
		}
		return s.repair(ctx, files, script, code, in.MidpointErrors, set)
	}

	if prev != nil && prev.Override && !j.Fresh {
		progress("finished", "kept the manual override; regenerate with skipCache=true to replace it", 1, 1)
		return map[string]any{"code": prev.Code, "override": true}, nil, nil
	}
	m, err := files.analyze(ctx)
	if err != nil {
		return nil, nil, err
	}
	var notes []string
	if len(in.PreferredEndpoints) > 0 {
		notes = prefer(m, name, in.PreferredEndpoints)
	}
	res, err := generate.Generate(ctx, generate.Request{Model: m, Class: name, Kind: codegenKind(j.Kind), Fresh: true, Progress: progress})
	if err != nil {
		return nil, nil, err
	}
	notes = append(notes, res.Notes...)
	result := map[string]any{"code": res.Code, "title": res.Title, "notes": notes}
	if j.Kind == kindRelation {
		// The relationship comes with the support searches its resolvers
		// use, each a script of its own.
		scripts := map[string]string{}
		for _, c := range res.Changes {
			if c.Path != script && strings.HasSuffix(c.Path, ".groovy") {
				scripts[c.Path] = c.After
			}
		}
		result["supportSearches"] = scripts
	}
	if intent, ok := strings.CutPrefix(j.Kind, kindSearch+"/"); ok {
		result["intent"] = intent
		result["notes"] = append(notes, intentNote(intent, name, res.Code))
	}
	code := &Code{Code: res.Code, Notes: res.Notes, UpdatedAt: time.Now().UTC()}
	change := func(sess *Session) error {
		set(sess, code)
		return nil
	}
	return result, change, nil
}

// nativeOf is a class's native schema as the session holds it: the
// generated or overridden one, else one written from the detected
// attributes.
func nativeOf(class string, st *ClassState) string {
	if st.Native != nil {
		return st.Native.Code
	}
	return generate.NativeSchema(class, st.Attributes)
}

// intentNote says which part of the search script answers the service's
// intent. The framework keeps one search block per class, the endpoints
// of every intent together ("Multiple default endpoints are not
// supported" when two scripts each list them), so a job answers with the
// whole block and says where the intent's part is, rather than a
// fragment that would clash with the others when put together.
func intentNote(intent, class, code string) string {
	gets := strings.Count(code, "singleResult()")
	filters := strings.Count(code, "supportedFilter(") - gets
	switch intent {
	case "all":
		if !strings.Contains(code, "emptyFilterSupported true") {
			return fmt.Sprintf("intent all: no documented endpoint lists every %s; the script reads them only by key", class)
		}
		return "intent all: the endpoint with emptyFilterSupported true lists every object, with its paging; the script is the class's whole search block"
	case "filter":
		if filters <= 0 {
			return fmt.Sprintf("intent filter: the documentation shows no query parameter that filters %s by an attribute; the script is the class's whole search block", class)
		}
		return fmt.Sprintf("intent filter: the %d supportedFilter blocks of the list endpoint; the script is the class's whole search block", filters)
	default:
		if gets == 0 {
			return fmt.Sprintf("intent id: no documented endpoint reads one %s by its key; the script is the class's whole search block", class)
		}
		return "intent id: the endpoint with singleResult() reads one object by its key; the script is the class's whole search block"
	}
}

// prefer keeps, among a class's documented endpoints of one method and
// operation, only the preferred ones, and says which preferences match
// nothing documented.
func prefer(m *analysis.Model, class string, preferred []PreferredEndpoint) []string {
	c := classIn(m, class)
	if c == nil {
		return nil
	}
	group := func(e analysis.DocEndpoint) string { return strings.ToUpper(e.Method) + " " + e.Operation }
	wanted := map[string]bool{}  // method and path
	groups := map[string]bool{}  // groups with a preferred endpoint
	matched := map[string]bool{} // preferences that match a documented endpoint
	for _, p := range preferred {
		wanted[strings.ToUpper(p.Method)+" "+pathShape(p.Path)] = true
	}
	for _, e := range c.DocEndpoints {
		key := strings.ToUpper(e.Method) + " " + pathShape(e.Path)
		if wanted[key] {
			groups[group(e)] = true
			matched[key] = true
		}
	}
	kept := c.DocEndpoints[:0:0]
	for _, e := range c.DocEndpoints {
		if !groups[group(e)] || wanted[strings.ToUpper(e.Method)+" "+pathShape(e.Path)] {
			kept = append(kept, e)
		}
	}
	c.DocEndpoints = kept
	var notes []string
	for _, p := range preferred {
		if key := strings.ToUpper(p.Method) + " " + pathShape(p.Path); !matched[key] {
			notes = append(notes, fmt.Sprintf("preferred endpoint %s %s is not documented for %s: left out", strings.ToUpper(p.Method), p.Path, class))
			matched[key] = true
		}
	}
	sort.Strings(notes)
	return notes
}

var placeholder = regexp.MustCompile(`\{[^}]*\}`)

// pathShape compares paths whatever their placeholders are named.
func pathShape(p string) string {
	return strings.TrimSuffix(placeholder.ReplaceAllString(p, "{}"), "/")
}

// repair maps midPoint's errors onto a script, applies the quick fixes
// that need no person's choice, and answers the repaired script with the
// findings left.
func (s *Server) repair(ctx context.Context, files jobFiles, script, code string, errs []string, set func(*Session, *Code)) (any, func(*Session) error, error) {
	abs := files.abs(script)
	if err := files.put(script, code); err != nil {
		return nil, nil, err
	}
	m, err := files.analyze(ctx)
	if err != nil {
		return nil, nil, err
	}
	log := strings.Join(errs, "\n")
	problems := append(m.RuntimeProblems(log, script), fileProblems(m.Diagnostics(), abs)...)
	repaired, fixed := applySafeFixes(m, abs, code, problems)
	if fixed > 0 {
		// What is left after the fixes, read again.
		if err := files.put(script, repaired); err != nil {
			return nil, nil, err
		}
		if m, err = files.analyze(ctx); err != nil {
			return nil, nil, err
		}
		problems = append(m.RuntimeProblems(log, script), fileProblems(m.Diagnostics(), abs)...)
	}
	var findings []Finding
	confirmed := map[string]bool{} // static findings a runtime one repeats
	for _, p := range problems {
		if p.Code == analysis.RuntimeCode && p.Cause != "" {
			confirmed[fmt.Sprintf("%s:%d", p.Cause, p.Range.Start.Line)] = true
		}
	}
	for _, p := range problems {
		if p.Code != analysis.RuntimeCode && confirmed[fmt.Sprintf("%s:%d", p.Code, p.Range.Start.Line)] {
			continue
		}
		f := Finding{Code: p.Code, Severity: p.Severity.String(), Line: p.Range.Start.Line + 1, Message: p.Message}
		for _, x := range p.Fixes {
			f.Fixes = append(f.Fixes, x.Title)
		}
		findings = append(findings, f)
	}
	notes := []string{fmt.Sprintf("%d fix(es) applied to %s without a person's choice; %d finding(s) left", fixed, script, len(findings))}
	result := map[string]any{"code": repaired, "findings": findings, "notes": notes, "repaired": fixed > 0}
	c := &Code{Code: repaired, Override: true, Notes: notes, UpdatedAt: time.Now().UTC()}
	change := func(sess *Session) error {
		set(sess, c)
		return nil
	}
	return result, change, nil
}

// Finding is a problem of a repaired script, as a job reports it.
type Finding struct {
	Code     string   `json:"code"`
	Severity string   `json:"severity"`
	Line     int      `json:"line"` // from 1
	Message  string   `json:"message"`
	Fixes    []string `json:"fixes,omitempty"`
}

func fileProblems(all []dsl.Problem, abs string) []dsl.Problem {
	var out []dsl.Problem
	for _, p := range all {
		if filepath.Clean(p.Abs) == filepath.Clean(abs) {
			out = append(out, p)
		}
	}
	return out
}

// applySafeFixes applies, to one script, the fixes that need no person's
// choice (see analysis.RepairFix): edits of that file only, not
// overlapping, last first.
func applySafeFixes(m *analysis.Model, abs, code string, problems []dsl.Problem) (string, int) {
	type edit struct {
		start, end int
		text       string
	}
	f := m.Snapshot.File(abs)
	if f == nil {
		return code, 0
	}
	lines := f.Lines()
	var edits []edit
	for _, p := range problems {
		fix, ok := analysis.RepairFix(p, m.Snapshot)
		if !ok {
			continue
		}
		var es []edit
		for _, e := range fix.Edits {
			if filepath.Clean(e.Abs) != filepath.Clean(abs) {
				es = nil
				break
			}
			es = append(es, edit{lines.Offset(e.Range.Start), lines.Offset(e.Range.End), e.NewText})
		}
		edits = append(edits, es...)
	}
	sort.Slice(edits, func(i, k int) bool { return edits[i].start > edits[k].start })
	text := string(f.Text)
	n, limit := 0, len(text)+1
	for _, e := range edits {
		if e.end > limit || e.start > e.end || e.end > len(text) {
			continue // overlaps one already applied
		}
		text = text[:e.start] + e.text + text[e.end:]
		limit = e.start
		n++
	}
	return text, n
}

// jobFiles are a job's files, laid out in memory under jobRoot: the
// session's documents, and the scripts the job adds by name relative to
// the root.
type jobFiles struct{ files map[string][]byte }

func (f jobFiles) put(name, code string) error {
	f.files[name] = []byte(code)
	return nil
}

func (f jobFiles) abs(name string) string { return filepath.Join(jobRoot, name) }

func (f jobFiles) analyze(ctx context.Context) (*analysis.Model, error) {
	return analyze(ctx, f.files, nil)
}
