package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/connls/connls/generate"
)

// The store keeps sessions, their documents and jobs in one bbolt file:
// embedded, pure Go, transactional (a session's read-modify-write is one
// transaction, so concurrent jobs never lose each other's results) and
// durable across restarts.
type store struct {
	db *bolt.DB
}

var (
	bucketSessions = []byte("sessions")
	bucketDocs     = []byte("documents")
	bucketJobs     = []byte("jobs")
)

var errNotFound = errors.New("not found")

// Session is everything the service knows about one connector.
type Session struct {
	ID        string                 `json:"sessionId"`
	CreatedAt time.Time              `json:"createdAt"`
	UpdatedAt time.Time              `json:"updatedAt"`
	Classes   map[string]*ClassState `json:"classes"` // by class name as the documents spell it
	// KnownClasses are the classes the documentation describes, from the
	// last documentation job.
	KnownClasses []string `json:"knownClasses"`
}

// ClassState is what the session holds about one object class.
type ClassState struct {
	Attributes map[string]generate.AttributeSpec `json:"attributes,omitempty"`
	Endpoints  []EndpointInfo                    `json:"endpoints,omitempty"`
	ConnID     *Code                             `json:"connid,omitempty"`
	Update     *Code                             `json:"update,omitempty"`
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
	JobID       string    `json:"jobId"`
	SessionID   string    `json:"sessionId"`
	Kind        string    `json:"kind"` // documentation, attributes, endpoints, connid, update
	ObjectClass string    `json:"objectClass,omitempty"`
	Fresh       bool      `json:"-"`
	Status      string    `json:"status"` // queued, running, finished, failed
	CreatedAt   string    `json:"createdAt"`
	StartedAt   *string   `json:"startedAt"`
	UpdatedAt   string    `json:"updatedAt"`
	Progress    *Progress `json:"progress,omitempty"`
	Result      any       `json:"result"`
	Errors      []string  `json:"errors,omitempty"`
}

// Progress is a job's multi-document progress.
type Progress struct {
	Stage              string `json:"stage"`
	Message            string `json:"message"`
	ProcessedDocuments int    `json:"processedDocuments"`
	TotalDocuments     int    `json:"totalDocuments"`
}

// jobRecord is a job as stored: Fresh must survive a restart too.
type jobRecord struct {
	Job
	Fresh bool `json:"fresh"`
}

func openStore(dir string) (*store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	db, err := bolt.Open(filepath.Join(dir, "connls-api.db"), 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w (is another connls api using this --data directory?)", dir, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketSessions, bucketDocs, bucketJobs} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	return &store{db: db}, nil
}

func (s *store) close() error { return s.db.Close() }

func put(b *bolt.Bucket, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put([]byte(key), data)
}

func get(b *bolt.Bucket, key string, v any) error {
	data := b.Get([]byte(key))
	if data == nil {
		return errNotFound
	}
	return json.Unmarshal(data, v)
}

// eachWithPrefix calls f with every key and value under a prefix, in
// key order; the values are only valid inside the transaction.
func eachWithPrefix(b *bolt.Bucket, prefix string, f func(k, v []byte) error) error {
	c := b.Cursor()
	for k, v := c.Seek([]byte(prefix)); k != nil && strings.HasPrefix(string(k), prefix); k, v = c.Next() {
		if err := f(k, v); err != nil {
			return err
		}
	}
	return nil
}

func (s *store) createSession(id string, now time.Time) (bool, error) {
	created := false
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSessions)
		if b.Get([]byte(id)) != nil {
			return nil
		}
		created = true
		return put(b, id, &Session{ID: id, CreatedAt: now, UpdatedAt: now, Classes: map[string]*ClassState{}})
	})
	return created, err
}

func (s *store) session(id string) (*Session, error) {
	var out Session
	err := s.db.View(func(tx *bolt.Tx) error { return get(tx.Bucket(bucketSessions), id, &out) })
	if err != nil {
		return nil, err
	}
	if out.Classes == nil {
		out.Classes = map[string]*ClassState{}
	}
	return &out, nil
}

// updateSession changes a session in one transaction.
func (s *store) updateSession(id string, f func(*Session) error) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSessions)
		var sess Session
		if err := get(b, id, &sess); err != nil {
			return err
		}
		if sess.Classes == nil {
			sess.Classes = map[string]*ClassState{}
		}
		if err := f(&sess); err != nil {
			return err
		}
		sess.UpdatedAt = time.Now().UTC()
		return put(b, id, &sess)
	})
}

// deleteSession removes a session with its documents and jobs.
func (s *store) deleteSession(id string) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSessions)
		if b.Get([]byte(id)) == nil {
			return errNotFound
		}
		if err := b.Delete([]byte(id)); err != nil {
			return err
		}
		// Keys are collected first: changing a bucket while a cursor walks
		// it skips entries.
		for _, name := range [][]byte{bucketDocs, bucketJobs} {
			bk := tx.Bucket(name)
			var keys [][]byte
			eachWithPrefix(bk, id+"/", func(k, _ []byte) error {
				keys = append(keys, append([]byte(nil), k...))
				return nil
			})
			for _, k := range keys {
				if err := bk.Delete(k); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func (s *store) addDocument(session string, d *Document) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketSessions).Get([]byte(session)) == nil {
			return errNotFound
		}
		return put(tx.Bucket(bucketDocs), session+"/"+d.ID, d)
	})
}

// documents lists a session's documents; with data, their contents too.
func (s *store) documents(session string, data bool) ([]*Document, error) {
	var out []*Document
	err := s.db.View(func(tx *bolt.Tx) error {
		return eachWithPrefix(tx.Bucket(bucketDocs), session+"/", func(_, v []byte) error {
			var d Document
			if err := json.Unmarshal(v, &d); err != nil {
				return err
			}
			if !data {
				d.Data = nil
			}
			out = append(out, &d)
			return nil
		})
	})
	return out, err
}

// Jobs are keyed session/job so that a session's jobs list and delete
// together; a job id alone finds its session through the index below.
func (s *store) putJob(j *Job) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		return put(tx.Bucket(bucketJobs), j.SessionID+"/"+j.JobID, &jobRecord{Job: *j, Fresh: j.Fresh})
	})
}

func (s *store) job(session, id string) (*Job, error) {
	var r jobRecord
	err := s.db.View(func(tx *bolt.Tx) error { return get(tx.Bucket(bucketJobs), session+"/"+id, &r) })
	if err != nil {
		return nil, err
	}
	r.Job.Fresh = r.Fresh
	return &r.Job, nil
}

func (s *store) jobs(session string) ([]*Job, error) {
	var out []*Job
	err := s.db.View(func(tx *bolt.Tx) error {
		return eachWithPrefix(tx.Bucket(bucketJobs), session+"/", func(_, v []byte) error {
			var r jobRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return err
			}
			r.Job.Fresh = r.Fresh
			out = append(out, &r.Job)
			return nil
		})
	})
	return out, err
}

// failInterrupted marks the jobs that were queued or running when the
// server stopped as failed: their work is lost, and saying so is better
// than a job that never ends.
func (s *store) failInterrupted(now string) (int, error) {
	n := 0
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketJobs)
		failed := map[string][]byte{}
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var r jobRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return err
			}
			if r.Status != "queued" && r.Status != "running" {
				continue
			}
			r.Status, r.UpdatedAt = "failed", now
			r.Errors = append(r.Errors, "the server stopped before the job finished; start it again")
			data, err := json.Marshal(&r)
			if err != nil {
				return err
			}
			failed[string(k)] = data
		}
		for k, data := range failed {
			if err := b.Put([]byte(k), data); err != nil {
				return err
			}
		}
		n = len(failed)
		return nil
	})
	return n, err
}
