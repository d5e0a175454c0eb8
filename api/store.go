package api

import (
	"context"
	"errors"
	"time"

	"github.com/connls/connls/generate"
)

// A backend keeps sessions, their documents and jobs, and runs the jobs.
// There are two: bbolt with in-process workers (one process, nothing to set
// up) and PostgreSQL with a River queue (any number of replicas). Both keep
// one contract, checked by the same tests.
type backend interface {
	createSession(ctx context.Context, sess *Session) (created bool, err error)
	session(ctx context.Context, id string) (*Session, error)
	// updateSession changes a session in one transaction.
	updateSession(ctx context.Context, id string, f func(*Session) error) error
	// deleteSession removes a session with its documents and jobs, and
	// cancels its jobs that have not ended.
	deleteSession(ctx context.Context, id string) error
	addDocuments(ctx context.Context, session string, docs []*Document) error
	// documents lists a session's documents; with data, their contents too.
	documents(ctx context.Context, session string, data bool) ([]*Document, error)
	job(ctx context.Context, session, id string) (*Job, error)
	// jobs lists a session's jobs, oldest first.
	jobs(ctx context.Context, session string) ([]*Job, error)

	// enqueue stores a queued job and schedules it, atomically.
	enqueue(ctx context.Context, j *Job) error
	// startJob marks a job running under j.Attempt; errStale if it has
	// ended or its session is gone.
	startJob(ctx context.Context, j *Job) error
	// saveProgress stores the job's progress, if j.Attempt still owns it.
	saveProgress(ctx context.Context, j *Job) error
	// finishJob stores the outcome of j.Attempt and applies change to the
	// session in one transaction, and only once: errStale when another
	// attempt owns the job, it has ended or its session is gone.
	finishJob(ctx context.Context, j *Job, change func(*Session) error) error

	// run starts the workers: they call work for each job, which returns an
	// error when the job should be handed back for another try.
	run(work func(context.Context, *Job) error)
	// ready reports whether requests can be served: the database is
	// reachable and its schema current.
	ready(ctx context.Context) error
	// close stops taking jobs, lets running ones finish until ctx ends,
	// then cancels them (handing them back where a queue can) and closes
	// the database.
	close(ctx context.Context) error
}

var (
	errNotFound = errors.New("not found")
	// errStale: the job was finished, failed, deleted or taken over by
	// another attempt; the caller's work is not stored.
	errStale = errors.New("the job has ended or another attempt owns it")
	errBusy  = errors.New("busy")
)

// Session is everything the service knows about one connector.
type Session struct {
	ID        string                 `json:"sessionId"`
	CreatedAt time.Time              `json:"createdAt"`
	UpdatedAt time.Time              `json:"updatedAt"`
	Classes   map[string]*ClassState `json:"classes"` // by class name as the documents spell it
	// KnownClasses are the classes the documentation describes, from the
	// last documentation job.
	KnownClasses []string `json:"knownClasses"`
	// Owner is the principal that created the session ("" without
	// authentication); others cannot see it.
	Owner string `json:"-"`
	// Relations (by the service's relation name) and Authorization
	// belong to the connector, not to one class.
	Relations     map[string]*Code `json:"relations,omitempty"`
	Authorization *Code            `json:"authorization,omitempty"`
}

// ClassState is what the session holds about one object class.
type ClassState struct {
	Attributes map[string]generate.AttributeSpec `json:"attributes,omitempty"`
	Endpoints  []EndpointInfo                    `json:"endpoints,omitempty"`
	ConnID     *Code                             `json:"connid,omitempty"`
	Update     *Code                             `json:"update,omitempty"`
	Native     *Code                             `json:"nativeSchema,omitempty"`
	// Search is the class's one search block: every intent's job answers
	// with it (see intentNote).
	Search *Code `json:"search,omitempty"`
	Create *Code `json:"create,omitempty"`
	Delete *Code `json:"delete,omitempty"`
}

// EndpointInfo is a detected endpoint.
type EndpointInfo struct {
	Method     string   `json:"method"`
	Path       string   `json:"path"`
	Operation  string   `json:"operation"`
	PathParams []string `json:"pathParams,omitempty"`
	Summary    string   `json:"summary,omitempty"`
	Source     string   `json:"source"`
}

// Code is generated or overriding code of one kind.
type Code struct {
	Code      string    `json:"code"`
	Override  bool      `json:"override"`
	Notes     []string  `json:"notes,omitempty"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// Document is an uploaded documentation file.
type Document struct {
	ID        string    `json:"docId"`
	Name      string    `json:"name"`
	Size      int       `json:"size"`
	CreatedAt time.Time `json:"createdAt"`
	Data      []byte    `json:"data,omitempty"`
}

// Job is one asynchronous step, as the service reports it.
type Job struct {
	JobID       string `json:"jobId"`
	SessionID   string `json:"sessionId"`
	Kind        string `json:"kind"` // documentation, attributes, endpoints, connid, update, native-schema, search/{intent}, create, delete, relation, authorization
	ObjectClass string `json:"objectClass,omitempty"`
	Fresh       bool   `json:"-"`
	// Input is a codegen job's optional input (kept, not shown).
	Input     *CodegenInput `json:"-"`
	Status    string        `json:"status"` // queued, running, finished, failed
	CreatedAt string        `json:"createdAt"`
	StartedAt *string       `json:"startedAt"`
	UpdatedAt string        `json:"updatedAt"`
	Progress  *Progress     `json:"progress,omitempty"`
	Result    any           `json:"result"`
	Errors    []string      `json:"errors,omitempty"`
	// Attempt counts the tries: a job whose replica died is tried again.
	Attempt int `json:"-"`
}

// Job statuses.
const (
	statusQueued   = "queued"
	statusRunning  = "running"
	statusFinished = "finished"
	statusFailed   = "failed"
)

func (j *Job) ended() bool { return j.Status == statusFinished || j.Status == statusFailed }

// Progress is a job's multi-document progress.
type Progress struct {
	Stage              string `json:"stage"`
	Message            string `json:"message"`
	ProcessedDocuments int    `json:"processedDocuments"`
	TotalDocuments     int    `json:"totalDocuments"`
}
