package api

import (
	"context"
	"errors"
	"fmt"
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

// now is a job timestamp: RFC 3339 in UTC, to the microsecond (what
// PostgreSQL keeps).
func now() string { return time.Now().UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano) }

// work runs one attempt of a job and stores its outcome. The engine is the
// one the language server uses: a workspace made of the session's
// documents and scripts, the analyzer, the generators. It returns an error
// only when the job should be tried again (the replica is stopping, the
// database failed); a job that fails on its input is stored as failed.
func (s *Server) work(ctx context.Context, j *Job) error {
	log := s.log.With(zap.String("job", j.JobID), zap.String("session", j.SessionID), zap.String("kind", j.Kind), zap.Int("attempt", j.Attempt))
	t := now()
	if j.StartedAt == nil {
		j.StartedAt = &t
	}
	j.Status, j.UpdatedAt = statusRunning, t
	j.Progress = &Progress{Stage: "running", Message: "started"}
	if err := s.b.startJob(ctx, j); errors.Is(err, errStale) {
		log.Info("job skipped: it has ended or its session was deleted")
		return nil
	} else if err != nil {
		return err
	}
	log.Debug("job started")
	began := time.Now()
	result, change, err := s.execute(ctx, j, log)
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		// Too slow: trying again would be as slow. The outcome is stored
		// with a context of its own (the job's has ended).
		store, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		ctx, result, change = store, nil, nil
		err = fmt.Errorf("the job took longer than the job timeout (%v)", s.jobTimeout)
	}
	if ctx.Err() != nil {
		// Stopping, or the session was deleted: hand the job back (a queue
		// gives it to another attempt; bbolt fails it at the next start).
		j.Status, j.UpdatedAt = statusQueued, now()
		j.Progress = &Progress{Stage: "queued", Message: "interrupted; waiting for a worker"}
		s.b.saveProgress(context.WithoutCancel(ctx), j)
		return fmt.Errorf("interrupted: %w", context.Cause(ctx))
	}
	j.UpdatedAt = now()
	if err != nil {
		j.Status, change = statusFailed, nil
		j.Errors = append(j.Errors, err.Error())
		j.Progress.Stage, j.Progress.Message = "failed", err.Error()
	} else {
		j.Status, j.Result = statusFinished, result
		j.Progress.Stage = "finished"
	}
	switch err := s.b.finishJob(ctx, j, change); {
	case errors.Is(err, errStale):
		log.Warn("job outcome dropped: another attempt owns the job, or its session was deleted")
		return nil
	case err != nil:
		return fmt.Errorf("storing the outcome: %w", err)
	}
	log.Info("job "+j.Status, zap.Duration("took", time.Since(began)))
	return nil
}

// execute computes a job's result and the change it makes to its session;
// a panic is an error of the job, not of the process.
func (s *Server) execute(ctx context.Context, j *Job, log *zap.Logger) (result any, change func(*Session) error, err error) {
	defer func() {
		if r := recover(); r != nil {
			log.Error("job panicked", zap.Any("panic", r))
			result, change, err = nil, nil, fmt.Errorf("internal error: %v", r)
		}
	}()
	if hook := s.testHook.Load(); hook != nil {
		(*hook)(ctx, j)
	}
	progress := func(stage, msg string, done, total int) {
		j.Progress = &Progress{Stage: stage, Message: msg, ProcessedDocuments: done, TotalDocuments: total}
		j.UpdatedAt = now()
		if err := s.b.saveProgress(ctx, j); err != nil && ctx.Err() == nil {
			log.Warn("saving progress", zap.Error(err))
		}
	}
	return s.compute(ctx, j, progress)
}

func (s *Server) compute(ctx context.Context, j *Job, progress analysis.Progress) (any, func(*Session) error, error) {
	sess, err := s.b.session(ctx, j.SessionID)
	if err != nil {
		return nil, nil, fmt.Errorf("session %s: %w", j.SessionID, err)
	}
	docs, err := s.b.documents(ctx, j.SessionID, true)
	if err != nil {
		return nil, nil, err
	}
	files := docFiles(docs)
	switch j.Kind {
	case kindDocumentation:
		m, err := analyze(ctx, files, progress)
		if err != nil {
			return nil, nil, err
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
		change := func(sess *Session) error {
			sess.KnownClasses = classes
			return nil
		}
		return map[string]any{"documents": len(docs), "objectClasses": classes, "problems": problems}, change, nil
	case kindAttributes, kindEndpoints:
		m, err := analyze(ctx, files, progress)
		if err != nil {
			return nil, nil, err
		}
		c := classIn(m, j.ObjectClass)
		if c == nil {
			return nil, nil, fmt.Errorf("object class %s is not described in the documentation of session %s", j.ObjectClass, j.SessionID)
		}
		if j.Kind == kindAttributes {
			attrs := map[string]generate.AttributeSpec{}
			for _, a := range c.Attributes {
				attrs[a.Name] = generate.AttributeSpec{Type: a.Type, Format: a.Format, Description: a.Description,
					Required: a.Required, Creatable: a.Creatable, Updateable: a.Updateable, Readable: a.Readable, MultiValued: a.MultiValued}
			}
			change := func(sess *Session) error {
				state(sess, c.Name).Attributes = attrs
				return nil
			}
			return map[string]any{"objectClass": c.Name, "attributes": attrs}, change, nil
		}
		var eps []EndpointInfo
		for _, e := range c.DocEndpoints {
			eps = append(eps, EndpointInfo{Method: e.Method, Path: e.Path, Operation: e.Operation, PathParams: e.PathParams,
				Summary: e.Summary, Source: fmt.Sprintf("%s:%d", e.Source.File, e.Source.Line)})
		}
		change := func(sess *Session) error {
			state(sess, c.Name).Endpoints = eps
			return nil
		}
		return map[string]any{"objectClass": c.Name, "endpoints": eps}, change, nil
	case kindConnID, kindUpdate:
		if j.Input != nil && (j.Input.CurrentScript != nil || len(j.Input.MidpointErrors) > 0) {
			return s.codegen(ctx, j, sess, files, progress)
		}
		return s.generate(ctx, j, sess, files, progress)
	case kindNative, kindCreate, kindDelete, kindRelation, kindAuthorization:
		return s.codegen(ctx, j, sess, files, progress)
	}
	if strings.HasPrefix(j.Kind, kindSearch+"/") {
		return s.codegen(ctx, j, sess, files, progress)
	}
	return nil, nil, fmt.Errorf("unknown job kind %q", j.Kind)
}

// generate runs a connid or update generation. A stored override wins
// unless the job asks for a fresh generation.
func (s *Server) generate(ctx context.Context, j *Job, sess *Session, files map[string][]byte, progress analysis.Progress) (any, func(*Session) error, error) {
	name, st := lookup(sess, j.ObjectClass)
	if st == nil || len(st.Attributes) == 0 {
		return nil, nil, fmt.Errorf("no attributes for %s", j.ObjectClass) // checked on POST; deleted meanwhile
	}
	prev := st.ConnID
	kind := generate.KindConnID
	if j.Kind == kindUpdate {
		prev, kind = st.Update, generate.KindUpdate
	}
	if prev != nil && prev.Override && !j.Fresh {
		progress("finished", "kept the manual override; regenerate with usePreviousSessionData=false to replace it", 1, 1)
		return map[string]any{"code": prev.Code, "override": true}, nil, nil
	}
	files[scriptName(name, "native.schema")] = []byte(generate.NativeSchema(name, st.Attributes))
	if kind == generate.KindUpdate && st.ConnID != nil {
		// The update targets objects by their UID: the session's mapping.
		files[scriptName(name, "connid.schema")] = []byte(st.ConnID.Code)
	}
	m, err := analyze(ctx, files, nil)
	if err != nil {
		return nil, nil, err
	}
	res, err := generate.Generate(ctx, generate.Request{Model: m, Class: name, Kind: kind, Fresh: true, Progress: progress})
	if err != nil {
		return nil, nil, err
	}
	code := &Code{Code: res.Code, Notes: res.Notes, UpdatedAt: time.Now().UTC()}
	change := func(sess *Session) error {
		st := state(sess, name)
		if kind == generate.KindUpdate {
			st.Update = code
		} else {
			st.ConnID = code
		}
		return nil
	}
	return map[string]any{"code": res.Code, "title": res.Title, "notes": res.Notes}, change, nil
}

// jobRoot is where a job's files seem to be: they are only in memory.
const jobRoot = "/connls-job"

// analyze analyses a job's files, laid out in memory: nothing is written
// to disk and read back.
func analyze(ctx context.Context, files map[string][]byte, progress analysis.Progress) (*analysis.Model, error) {
	ws, err := workspace.InMemory(jobRoot, files)
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

// docFiles lays the documents out under docs/, under names that cannot
// leave it: the uploaded file name is only a hint.
func docFiles(docs []*Document) map[string][]byte {
	files := map[string][]byte{}
	for _, d := range docs {
		name := unsafeName.ReplaceAllString(filepath.Base(d.Name), "_")
		name = strings.TrimLeft(name, ".")
		if name == "" {
			name = "document"
		}
		files["docs/"+d.ID[:8]+"-"+name] = d.Data
	}
	return files
}

func scriptName(class, suffix string) string {
	return unsafeName.ReplaceAllString(class, "_") + "." + suffix + ".groovy"
}
