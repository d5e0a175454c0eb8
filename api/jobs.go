package api

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/generate"
	"github.com/connls/connls/workspace"
)

// Job kinds.
const (
	kindDocumentation = "documentation"
	kindAttributes    = "attributes"
	kindEndpoints     = "endpoints"
	kindConnID        = "connid"
	kindUpdate        = "update"
)

func now() string { return time.Now().UTC().Format(time.RFC3339Nano) }

// run executes one job and stores its outcome. The engine is the one the
// language server uses: a workspace made of the session's documents and
// scripts, the analyzer, the generators.
func (s *Server) run(ctx context.Context, j *Job) {
	started := now()
	j.Status, j.StartedAt, j.UpdatedAt = "running", &started, started
	j.Progress = &Progress{Stage: "running", Message: "started"}
	s.saveJob(j)
	result, err := s.execute(ctx, j)
	j.UpdatedAt = now()
	if err != nil {
		j.Status = "failed"
		j.Errors = append(j.Errors, err.Error())
		j.Progress.Stage, j.Progress.Message = "failed", err.Error()
	} else {
		j.Status, j.Result = "finished", result
		j.Progress.Stage = "finished"
	}
	s.saveJob(j)
}

func (s *Server) saveJob(j *Job) {
	if err := s.store.putJob(j); err != nil {
		s.log.Error("saving a job", zap.String("job", j.JobID), zap.Error(err))
	}
}

func (s *Server) execute(ctx context.Context, j *Job) (any, error) {
	sess, err := s.store.session(j.SessionID)
	if err != nil {
		return nil, fmt.Errorf("session %s: %w", j.SessionID, err)
	}
	docs, err := s.store.documents(j.SessionID, true)
	if err != nil {
		return nil, err
	}
	progress := func(stage, msg string, done, total int) {
		j.Progress = &Progress{Stage: stage, Message: msg, ProcessedDocuments: done, TotalDocuments: total}
		j.UpdatedAt = now()
		s.saveJob(j)
	}
	dir, err := os.MkdirTemp(s.workDir, "job-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := writeDocs(dir, docs); err != nil {
		return nil, err
	}
	switch j.Kind {
	case kindDocumentation:
		m, err := analyze(ctx, dir, progress)
		if err != nil {
			return nil, err
		}
		var classes []string
		var problems []string
		for _, u := range m.Units {
			for _, c := range u.Classes {
				if len(c.Docs) > 0 {
					classes = append(classes, c.Name)
				}
			}
		}
		for _, p := range m.Diagnostics() {
			problems = append(problems, fmt.Sprintf("%s:%d: %s", p.Path, p.Range.Start.Line+1, p.Message))
		}
		sort.Strings(classes)
		err = s.store.updateSession(j.SessionID, func(sess *Session) error {
			sess.KnownClasses = classes
			return nil
		})
		return map[string]any{"documents": len(docs), "objectClasses": classes, "problems": problems}, err
	case kindAttributes, kindEndpoints:
		m, err := analyze(ctx, dir, progress)
		if err != nil {
			return nil, err
		}
		c := classIn(m, j.ObjectClass)
		if c == nil {
			return nil, fmt.Errorf("object class %s is not described in the documentation of session %s", j.ObjectClass, j.SessionID)
		}
		if j.Kind == kindAttributes {
			attrs := map[string]generate.AttributeSpec{}
			for _, a := range c.Attributes {
				attrs[a.Name] = generate.AttributeSpec{Type: a.Type, Format: a.Format, Description: a.Description,
					Required: a.Required, Creatable: a.Creatable, Updateable: a.Updateable, Readable: a.Readable, MultiValued: a.MultiValued}
			}
			err = s.store.updateSession(j.SessionID, func(sess *Session) error {
				state(sess, c.Name).Attributes = attrs
				return nil
			})
			return map[string]any{"objectClass": c.Name, "attributes": attrs}, err
		}
		var eps []EndpointInfo
		for _, e := range c.DocEndpoints {
			eps = append(eps, EndpointInfo{Method: e.Method, Path: e.Path, Operation: e.Operation, PathParams: e.PathParams,
				Summary: e.Summary, Source: fmt.Sprintf("%s:%d", e.Source.File, e.Source.Line)})
		}
		err = s.store.updateSession(j.SessionID, func(sess *Session) error {
			state(sess, c.Name).Endpoints = eps
			return nil
		})
		return map[string]any{"objectClass": c.Name, "endpoints": eps}, err
	case kindConnID, kindUpdate:
		return s.generate(ctx, j, sess, dir, progress)
	}
	return nil, fmt.Errorf("unknown job kind %q", j.Kind)
}

// generate runs a connid or update generation. A stored override wins
// unless the job asks for a fresh generation.
func (s *Server) generate(ctx context.Context, j *Job, sess *Session, dir string, progress analysis.Progress) (any, error) {
	name, st := lookup(sess, j.ObjectClass)
	if st == nil || len(st.Attributes) == 0 {
		return nil, fmt.Errorf("no attributes for %s", j.ObjectClass) // checked on POST; deleted meanwhile
	}
	prev := st.ConnID
	kind := generate.KindConnID
	if j.Kind == kindUpdate {
		prev, kind = st.Update, generate.KindUpdate
	}
	if prev != nil && prev.Override && !j.Fresh {
		progress("finished", "kept the manual override; regenerate with usePreviousSessionData=false to replace it", 1, 1)
		return map[string]any{"code": prev.Code, "override": true}, nil
	}
	if err := os.WriteFile(filepath.Join(dir, scriptName(name, "native.schema")), []byte(generate.NativeSchema(name, st.Attributes)), 0o644); err != nil {
		return nil, err
	}
	if kind == generate.KindUpdate && st.ConnID != nil {
		// The update targets objects by their UID: the session's mapping.
		if err := os.WriteFile(filepath.Join(dir, scriptName(name, "connid.schema")), []byte(st.ConnID.Code), 0o644); err != nil {
			return nil, err
		}
	}
	m, err := analyze(ctx, dir, nil)
	if err != nil {
		return nil, err
	}
	res, err := generate.Generate(ctx, generate.Request{Model: m, Class: name, Kind: kind, Fresh: true, Records: generate.NewRecords(), Progress: progress})
	if err != nil {
		return nil, err
	}
	code := &Code{Code: res.Code, Notes: res.Notes, UpdatedAt: time.Now().UTC()}
	err = s.store.updateSession(j.SessionID, func(sess *Session) error {
		st := state(sess, name)
		if kind == generate.KindUpdate {
			st.Update = code
		} else {
			st.ConnID = code
		}
		return nil
	})
	return map[string]any{"code": res.Code, "title": res.Title, "notes": res.Notes}, err
}

func analyze(ctx context.Context, dir string, progress analysis.Progress) (*analysis.Model, error) {
	ws, err := workspace.New(dir)
	if err != nil {
		return nil, err
	}
	return analysis.NewAnalyzer().Analyze(ctx, ws.Snapshot(), progress)
}

// classIn finds a class by name, exactly or ignoring case and plural.
func classIn(m *analysis.Model, name string) *analysis.Class {
	for _, u := range m.Units {
		if c := u.Class(name); c != nil {
			return c
		}
	}
	for _, u := range m.Units {
		if c := u.ClassFold(name); c != nil {
			return c
		}
	}
	return nil
}

// lookup finds a class's state by name, ignoring case.
func lookup(sess *Session, name string) (string, *ClassState) {
	if st, ok := sess.Classes[name]; ok {
		return name, st
	}
	key := analysis.NormalizeClassName(name)
	for n, st := range sess.Classes {
		if analysis.NormalizeClassName(n) == key {
			return n, st
		}
	}
	return name, nil
}

func state(sess *Session, name string) *ClassState {
	n, st := lookup(sess, name)
	if st == nil {
		st = &ClassState{}
		sess.Classes[n] = st
	}
	return st
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// writeDocs puts the documents in dir/docs under names that cannot leave
// it: the uploaded file name is only a hint.
func writeDocs(dir string, docs []*Document) error {
	if err := os.MkdirAll(filepath.Join(dir, "docs"), 0o755); err != nil {
		return err
	}
	for _, d := range docs {
		name := unsafeName.ReplaceAllString(filepath.Base(d.Name), "_")
		name = strings.TrimLeft(name, ".")
		if name == "" {
			name = "document"
		}
		if err := os.WriteFile(filepath.Join(dir, "docs", d.ID[:8]+"-"+name), d.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func scriptName(class, suffix string) string {
	return unsafeName.ReplaceAllString(class, "_") + "." + suffix + ".groovy"
}

var errBusy = errors.New("busy")
