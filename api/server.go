// Package api serves the generation API of the midPilot connector
// generator (sessions, documentation, attribute and endpoint detection,
// connid and update generation with overrides) from the connls engine:
// offline, deterministic, in milliseconds.
package api

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"go.uber.org/zap"

	"github.com/connls/connls/analysis"
)

// Limits on what a request may carry.
const (
	maxUploadBytes = 32 << 20
	maxJSONBytes   = 4 << 20
)

//go:embed openapi.json
var openAPI []byte

// Options configure a Server.
type Options struct {
	// Data is the directory of the bbolt database; unused with Database.
	// Jobs lay their files out in memory: nothing else is written.
	Data string
	// Database is a PostgreSQL URL: sessions and jobs are kept there and
	// the jobs run on a River queue shared by every replica.
	Database string
	Workers  int // jobs this process runs at once; 0 means 4
	// JobTimeout cancels a job running longer (PostgreSQL: it is tried
	// again); a job whose replica died is taken over after twice as long.
	// 0 means a minute.
	JobTimeout time.Duration
	// Auth checks each request's credential; nil serves everyone (keep it
	// on loopback).
	Auth Authenticator
	Log  *zap.Logger
}

// Server is the HTTP service.
type Server struct {
	b          backend
	log        *zap.Logger
	auth       Authenticator
	jobTimeout time.Duration
	mux        *http.ServeMux
	closed     sync.Once
	closeErr   error

	// testHook runs at the start of each job (tests only: to hold a job
	// while a replica is killed or stopped).
	testHook atomic.Pointer[func(context.Context, *Job)]
}

// New opens the store (bbolt in o.Data, marking jobs a previous run left
// unfinished as failed, or PostgreSQL at o.Database, connecting and
// migrating in the background until it answers) and starts the workers.
func New(o Options) (*Server, error) {
	s, err := newServer(o)
	if err != nil {
		return nil, err
	}
	s.b.run(s.work)
	return s, nil
}

// newServer is New without starting the workers.
func newServer(o Options) (*Server, error) {
	if o.Log == nil {
		o.Log = zap.NewNop()
	}
	if o.Workers <= 0 {
		o.Workers = 4
	}
	if o.JobTimeout <= 0 {
		o.JobTimeout = time.Minute
	}
	s := &Server{log: o.Log, auth: o.Auth, jobTimeout: o.JobTimeout}
	var err error
	switch {
	case o.Database != "":
		s.b, err = openPostgres(o.Database, pgOptions{workers: o.Workers, jobTimeout: o.JobTimeout}, o.Log)
	case o.Data != "":
		s.b, err = openBolt(o.Data, o.Workers, o.JobTimeout, o.Log)
	default:
		err = errors.New("no store: give a data directory or a database URL")
	}
	if err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

// Close stops the server as Shutdown does, giving running jobs 30 seconds.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return s.Shutdown(ctx)
}

// Shutdown stops taking jobs and lets the running ones finish until ctx
// ends; then they are cancelled (with PostgreSQL, handed back to the queue
// for another replica), and the store is closed.
func (s *Server) Shutdown(ctx context.Context) error {
	s.closed.Do(func() {
		s.closeErr = s.b.close(ctx)
	})
	return s.closeErr
}

// ServeHTTP implements http.Handler. Requests no route takes are answered
// in the service's JSON shape too: 404 {"detail": "Not Found"}, or 405
// with the methods the path allows. Every request but the health checks
// and the description needs a credential when an Authenticator is set.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h, pattern := s.mux.Handler(r)
	if pattern != "" {
		if s.auth != nil && !public(r.URL.Path) {
			who, err := s.auth.Authenticate(r)
			if err != nil {
				s.refuseCredential(w, r, err)
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), principalKey{}, who))
		}
		s.mux.ServeHTTP(w, r) // the mux sets the path values
		return
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	if allow := rec.Header().Get("Allow"); allow != "" {
		w.Header().Set("Allow", allow)
	}
	if rec.Code == http.StatusMethodNotAllowed {
		detail(w, http.StatusMethodNotAllowed, "Method Not Allowed")
		return
	}
	detail(w, http.StatusNotFound, "Not Found")
}

// public paths answer without a credential: the health checks a load
// balancer calls and the API's description.
func public(path string) bool {
	switch path {
	case "/health", "/healthz", "/readyz", "/openapi.json":
		return true
	}
	return false
}

func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, true) })
	m.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	m.HandleFunc("GET /readyz", s.readyz)
	m.HandleFunc("GET /openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openAPI)
	})
	m.HandleFunc("POST /api/v1/session", s.createSession)
	m.HandleFunc("POST /api/v1/session/{session_id}", s.createSession)
	m.HandleFunc("GET /api/v1/session/{session_id}", s.withSession(s.getSession))
	m.HandleFunc("DELETE /api/v1/session/{session_id}", s.withSession(s.deleteSession))
	m.HandleFunc("GET /api/v1/session/{session_id}/jobs", s.withSession(s.listJobs))
	m.HandleFunc("POST /api/v1/session/{session_id}/documentation", s.withSession(s.uploadDocumentation))
	m.HandleFunc("GET /api/v1/session/{session_id}/documentation", s.withSession(s.listDocumentation))
	m.HandleFunc("GET /api/v1/session/{session_id}/documentation/status", s.withSession(s.jobStatus(kindDocumentation)))
	// The seed's paths, and the service's current layout, served by the
	// same handlers.
	for _, kind := range []string{kindAttributes, kindEndpoints, kindConnID, kindUpdate} {
		paths := []string{"/api/v1/session/{session_id}/classes/{object_class}/" + kind}
		if kind == kindAttributes || kind == kindEndpoints {
			paths = append(paths, "/api/v1/digester/{session_id}/classes/{object_class}/"+kind)
		} else {
			paths = append(paths, "/api/v1/codegen/{session_id}/classes/{object_class}/"+kind)
		}
		for _, p := range paths {
			m.HandleFunc("POST "+p, s.withSession(s.startClassJob(kind)))
			m.HandleFunc("GET "+p, s.withSession(s.jobStatus(kind)))
			if kind == kindConnID || kind == kindUpdate {
				m.HandleFunc("PUT "+p, s.withSession(s.override(kind)))
			}
		}
	}
	// The service's other codegen steps.
	classBase := "/api/v1/codegen/{session_id}/classes/{object_class}/"
	for _, kind := range []string{kindNative, kindSearch, kindCreate, kindDelete} {
		p := classBase + kind
		if kind == kindSearch {
			p += "/{intent}"
		}
		m.HandleFunc("POST "+p, s.withSession(s.startCodegen(kind)))
		m.HandleFunc("GET "+p, s.withSession(s.jobStatus(kind)))
		m.HandleFunc("PUT "+p, s.withSession(s.override(kind)))
	}
	for kind, p := range map[string]string{
		kindRelation:      "/api/v1/codegen/{session_id}/relations/{relation_name}",
		kindAuthorization: "/api/v1/codegen/{session_id}/authorization",
	} {
		m.HandleFunc("POST "+p, s.withSession(s.startConnectorJob(kind)))
		m.HandleFunc("GET "+p, s.withSession(s.jobStatus(kind)))
		m.HandleFunc("PUT "+p, s.withSession(s.overrideConnector(kind)))
	}
	s.mux = m
}

// detail answers an error in the service's shape.
func detail(w http.ResponseWriter, code int, format string, args ...any) {
	writeJSON(w, code, map[string]string{"detail": fmt.Sprintf(format, args...)})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// canonicalID reads an id in any spelling of a UUID (urn:uuid:…, {…},
// upper case) as its one canonical form, so that two spellings are one
// session or job, never two.
func canonicalID(id string) (string, error) {
	u, err := uuid.Parse(id)
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

// decodeJSON reads one JSON value and nothing after it: {}garbage is
// not JSON.
func decodeJSON(body io.Reader, v any) error {
	dec := json.NewDecoder(body)
	if err := dec.Decode(v); err != nil {
		return err
	}
	if err := dec.Decode(&json.RawMessage{}); err != io.EOF {
		return errors.New("text after the JSON value")
	}
	return nil
}

// withSession checks the session id and that the session exists.
func (s *Server) withSession(h func(http.ResponseWriter, *http.Request, *Session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := canonicalID(r.PathValue("session_id"))
		if err != nil {
			detail(w, http.StatusUnprocessableEntity, "session_id must be a UUID, not %q", r.PathValue("session_id"))
			return
		}
		sess, err := s.b.session(r.Context(), id)
		if err == nil && sess.Owner != principal(r) {
			err = errNotFound // another principal's session is not there for this one
		}
		if errors.Is(err, errNotFound) {
			detail(w, http.StatusNotFound, "Session with ID %s not found.", id)
			return
		}
		if err != nil {
			s.internal(w, err)
			return
		}
		h(w, r, sess)
	}
}

func (s *Server) internal(w http.ResponseWriter, err error) {
	if unavailable(err) {
		s.log.Warn("request failed: the database is not reachable", zap.Error(err))
		w.Header().Set("Retry-After", "5")
		detail(w, http.StatusServiceUnavailable, "the database is not reachable; try again shortly")
		return
	}
	s.log.Error("request failed", zap.Error(err))
	detail(w, http.StatusInternalServerError, "internal error: %v", err)
}

// unavailable tells a failure to reach the database from other errors.
func unavailable(err error) bool {
	var netErr net.Error
	var connErr *pgconn.ConnectError
	return errors.As(err, &netErr) || errors.As(err, &connErr) || errors.Is(err, errStopping)
}

// readyz answers 200 when requests can be served: the database answers
// and its schema is current.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if err := s.b.ready(r.Context()); err != nil {
		w.Header().Set("Retry-After", "5")
		detail(w, http.StatusServiceUnavailable, "not ready: %v", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

func (s *Server) createSession(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("session_id")
	if id == "" {
		id = uuid.NewString()
	} else if c, err := canonicalID(id); err != nil {
		detail(w, http.StatusUnprocessableEntity, "session_id must be a UUID, not %q", id)
		return
	} else {
		id = c
	}
	t := time.Now().UTC().Truncate(time.Microsecond)
	created, err := s.b.createSession(r.Context(), &Session{ID: id, CreatedAt: t, UpdatedAt: t, Classes: map[string]*ClassState{}, Owner: principal(r)})
	if err != nil {
		s.internal(w, err)
		return
	}
	if !created {
		detail(w, http.StatusConflict, "Session with ID %s already exists.", id)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"sessionId": id, "message": "Session created successfully"})
}

func (s *Server) getSession(w http.ResponseWriter, r *http.Request, sess *Session) {
	writeJSON(w, http.StatusOK, sess)
}

func (s *Server) deleteSession(w http.ResponseWriter, r *http.Request, sess *Session) {
	if err := s.b.deleteSession(r.Context(), sess.ID); err != nil {
		s.internal(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"message": fmt.Sprintf("Session %s deleted successfully", sess.ID)})
}

func (s *Server) listJobs(w http.ResponseWriter, r *http.Request, sess *Session) {
	jobs, err := s.b.jobs(r.Context(), sess.ID)
	if err != nil {
		s.internal(w, err)
		return
	}
	if jobs == nil {
		jobs = []*Job{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"sessionId": sess.ID, "jobs": jobs})
}

// uploadDocumentation stores the files of a multipart upload (fields
// "documentation", or "files") and starts a job that reads them.
func (s *Server) uploadDocumentation(w http.ResponseWriter, r *http.Request, sess *Session) {
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadBytes)
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		detail(w, http.StatusUnprocessableEntity, "send the documentation as multipart/form-data, in a field named documentation")
		return
	}
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			detail(w, http.StatusRequestEntityTooLarge, "the upload is larger than %d MB", maxUploadBytes>>20)
			return
		}
		detail(w, http.StatusUnprocessableEntity, "malformed multipart upload: %v", err)
		return
	}
	defer r.MultipartForm.RemoveAll()
	files := append(r.MultipartForm.File["documentation"], r.MultipartForm.File["files"]...)
	if len(files) == 0 {
		detail(w, http.StatusUnprocessableEntity, "no file in the upload: send it in a field named documentation")
		return
	}
	var ids []string
	var docs []*Document
	for _, fh := range files {
		f, err := fh.Open()
		if err != nil {
			s.internal(w, err)
			return
		}
		data, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			s.internal(w, err)
			return
		}
		d := &Document{ID: uuid.NewString(), Name: fh.Filename, Size: len(data), CreatedAt: time.Now().UTC().Truncate(time.Microsecond), Data: data}
		docs = append(docs, d)
		ids = append(ids, d.ID)
	}
	if err := s.b.addDocuments(r.Context(), sess.ID, docs); err != nil {
		s.refuse(w, sess.ID, err)
		return
	}
	j, err := s.enqueue(r.Context(), &Job{SessionID: sess.ID, Kind: kindDocumentation})
	if err != nil {
		s.refuse(w, sess.ID, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"jobId": j.JobID, "docIds": ids, "message": fmt.Sprintf("%d document(s) uploaded; processing", len(ids))})
}

func (s *Server) listDocumentation(w http.ResponseWriter, r *http.Request, sess *Session) {
	docs, err := s.b.documents(r.Context(), sess.ID, false)
	if err != nil {
		s.internal(w, err)
		return
	}
	if docs == nil {
		docs = []*Document{}
	}
	writeJSON(w, http.StatusOK, docs)
}

// startClassJob starts attribute or endpoint detection, or a generation,
// after checking its prerequisites.
func (s *Server) startClassJob(kind string) func(http.ResponseWriter, *http.Request, *Session) {
	return func(w http.ResponseWriter, r *http.Request, sess *Session) {
		class := r.PathValue("object_class")
		if !validClass(class) {
			detail(w, http.StatusUnprocessableEntity, "object_class %q is not a class name", class)
			return
		}
		fresh, err := freshParam(r)
		if err != nil {
			detail(w, http.StatusUnprocessableEntity, "%v", err)
			return
		}
		// The service's optional input: connid and update repair a
		// current script from midPoint's errors; the rest is ignored.
		in, err := readInput(w, r)
		if err != nil {
			detail(w, http.StatusUnprocessableEntity, "%v", err)
			return
		}
		if in != nil && in.CurrentScript == nil && len(in.MidpointErrors) == 0 || kind != kindConnID && kind != kindUpdate {
			in = nil
		}
		name, st := lookup(sess, class)
		switch kind {
		case kindAttributes, kindEndpoints:
			if len(sess.KnownClasses) == 0 {
				detail(w, http.StatusNotFound, "No documentation processed in session %s. Please upload documentation first.", sess.ID)
				return
			}
			if !known(sess.KnownClasses, class) {
				detail(w, http.StatusNotFound, "Object class %s not found in the documentation of session %s. Known classes: %s.", class, sess.ID, strings.Join(sess.KnownClasses, ", "))
				return
			}
		case kindConnID, kindUpdate:
			if st == nil || len(st.Attributes) == 0 {
				detail(w, http.StatusNotFound, "No attributes found for %s in session %s. Please run /classes/%s/attributes endpoint first.", class, sess.ID, class)
				return
			}
			if kind == kindUpdate && len(st.Endpoints) == 0 {
				detail(w, http.StatusNotFound, "No endpoints found for %s in session %s. Please run /classes/%s/endpoints endpoint first.", class, sess.ID, class)
				return
			}
			class = name
			if in != nil && in.CurrentScript == nil {
				if c, _ := codeOf(st, kind); c == nil {
					detail(w, http.StatusUnprocessableEntity, "midpointErrors need the script they are about: send it as currentScript, or generate the %s code of %s first", strings.ToLower(label(kind)), class)
					return
				}
			}
		}
		j, err := s.enqueue(r.Context(), &Job{SessionID: sess.ID, Kind: kind, ObjectClass: class, Fresh: fresh, Input: in})
		if err != nil {
			s.refuse(w, sess.ID, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"jobId": j.JobID})
	}
}

// jobStatus answers GET ...?jobId= for a job of the kind.
func (s *Server) jobStatus(kind string) func(http.ResponseWriter, *http.Request, *Session) {
	return func(w http.ResponseWriter, r *http.Request, sess *Session) {
		id, err := canonicalID(r.URL.Query().Get("jobId"))
		if err != nil {
			detail(w, http.StatusUnprocessableEntity, "jobId must be a UUID, not %q", r.URL.Query().Get("jobId"))
			return
		}
		want := kind
		if kind == kindSearch {
			want += "/" + r.PathValue("intent")
		}
		j, err := s.b.job(r.Context(), sess.ID, id)
		if errors.Is(err, errNotFound) || (err == nil && j.Kind != want) {
			detail(w, http.StatusNotFound, "Job %s not found in session %s.", id, sess.ID)
			return
		}
		if err != nil {
			s.internal(w, err)
			return
		}
		if class := r.PathValue("object_class"); class != "" && !strings.EqualFold(class, j.ObjectClass) {
			detail(w, http.StatusNotFound, "Job %s is not a job of %s.", id, class)
			return
		}
		if rel := r.PathValue("relation_name"); rel != "" && rel != j.ObjectClass {
			detail(w, http.StatusNotFound, "Job %s is not a job of relation %s.", id, rel)
			return
		}
		writeJSON(w, http.StatusOK, j)
	}
}

// override stores code written by hand; later generations keep it until
// one is asked to start afresh.
func (s *Server) override(kind string) func(http.ResponseWriter, *http.Request, *Session) {
	return func(w http.ResponseWriter, r *http.Request, sess *Session) {
		class := r.PathValue("object_class")
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
		name, st := lookup(sess, class)
		if st == nil || len(st.Attributes) == 0 {
			detail(w, http.StatusNotFound, "No attributes found for %s in session %s. Please run /classes/%s/attributes endpoint first.", class, sess.ID, class)
			return
		}
		err := s.b.updateSession(r.Context(), sess.ID, func(sess *Session) error {
			c := &Code{Code: *body.Code, Override: true, UpdatedAt: time.Now().UTC()}
			st := state(sess, name)
			_, set := codeOf(st, kind)
			set(st, c)
			return nil
		})
		if err != nil {
			s.internal(w, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{
			"message":     fmt.Sprintf("%s for %s overridden successfully", label(kind), class),
			"sessionId":   sess.ID,
			"objectClass": class,
		})
	}
}

// enqueue stores a new job and hands it to the workers.
func (s *Server) enqueue(ctx context.Context, j *Job) (*Job, error) {
	t := now()
	j.JobID, j.Status, j.CreatedAt, j.UpdatedAt = uuid.NewString(), statusQueued, t, t
	j.Progress = &Progress{Stage: "queued", Message: "waiting for a worker"}
	if err := s.b.enqueue(ctx, j); err != nil {
		return nil, err
	}
	s.log.Debug("job queued", zap.String("job", j.JobID), zap.String("session", j.SessionID), zap.String("kind", j.Kind))
	return j, nil
}

var errStopping = errors.New("the server is stopping")

// refuse answers a failed enqueue: busy, stopping, or the session was
// deleted meanwhile.
func (s *Server) refuse(w http.ResponseWriter, session string, err error) {
	switch {
	case errors.Is(err, errBusy):
		w.Header().Set("Retry-After", "5")
		detail(w, http.StatusServiceUnavailable, "the server is busy with %d queued jobs; try again shortly", queueLength)
	case errors.Is(err, errNotFound):
		detail(w, http.StatusNotFound, "Session with ID %s not found.", session)
	default:
		s.internal(w, err)
	}
}

// freshParam reads usePreviousSessionData (the seed's, default true) and
// skipCache (the service's, default false).
func freshParam(r *http.Request) (bool, error) {
	q := r.URL.Query()
	fresh := false
	if v := q.Get("usePreviousSessionData"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return false, fmt.Errorf("usePreviousSessionData must be true or false, not %q", v)
		}
		fresh = !b
	}
	if v := q.Get("skipCache"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return false, fmt.Errorf("skipCache must be true or false, not %q", v)
		}
		fresh = fresh || b
	}
	return fresh, nil
}

func validClass(name string) bool {
	if name == "" || len(name) > 200 {
		return false
	}
	for _, r := range name {
		if r < ' ' || r == '/' || r == '\\' {
			return false
		}
	}
	return true
}

func known(classes []string, name string) bool {
	key := analysis.NormalizeClassName(name)
	for _, c := range classes {
		if analysis.NormalizeClassName(c) == key {
			return true
		}
	}
	return false
}
