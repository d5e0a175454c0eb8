package api

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	"go.uber.org/zap"
)

// boltBackend keeps everything in one bbolt file: embedded, pure Go,
// transactional (a session's read-modify-write is one transaction, so
// concurrent jobs never lose each other's results) and durable across
// restarts. Jobs run on in-process workers fed by a bounded channel; a job
// that was queued or running when the process stopped is failed at the
// next start, since no other process could have taken it over.
type boltBackend struct {
	db      *bolt.DB
	log     *zap.Logger
	workers int
	timeout time.Duration // of one job

	queue   chan *Job
	stop    chan struct{} // closed when the workers must stop taking jobs
	wg      sync.WaitGroup
	jobCtx  context.Context // cancelled when running jobs must give up
	cancel  context.CancelFunc
	mu      sync.RWMutex // guards closed and running against enqueue and delete
	closed  bool
	running map[string]map[string]context.CancelFunc // session → job → cancel
}

var (
	bucketSessions = []byte("sessions")
	bucketDocs     = []byte("documents")
	bucketJobs     = []byte("jobs")
)

// queueLength bounds the jobs waiting for a bbolt worker.
const queueLength = 512

// jobRecord is a job as stored: the fields the service does not show
// are kept too.
type jobRecord struct {
	Job
	Fresh   bool          `json:"fresh"`
	Attempt int           `json:"attempt,omitempty"`
	Input   *CodegenInput `json:"input,omitempty"`
}

func (r *jobRecord) job() *Job {
	r.Job.Fresh, r.Job.Attempt, r.Job.Input = r.Fresh, r.Attempt, r.Input
	return &r.Job
}

type sessionRecord struct {
	Session
	Owner string `json:"owner,omitempty"`
}

func openBolt(dir string, workers int, timeout time.Duration, log *zap.Logger) (*boltBackend, error) {
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
	b := &boltBackend{db: db, log: log, workers: workers, timeout: timeout, queue: make(chan *Job, queueLength),
		stop: make(chan struct{}), running: map[string]map[string]context.CancelFunc{}}
	b.jobCtx, b.cancel = context.WithCancel(context.Background())
	if n, err := b.failInterrupted(now()); err != nil {
		db.Close()
		return nil, err
	} else if n > 0 {
		log.Warn("jobs interrupted by the last stop marked failed", zap.Int("jobs", n))
	}
	return b, nil
}

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

func getSession(tx *bolt.Tx, id string) (*Session, error) {
	var r sessionRecord
	if err := get(tx.Bucket(bucketSessions), id, &r); err != nil {
		return nil, err
	}
	r.Session.Owner = r.Owner
	if r.Classes == nil {
		r.Classes = map[string]*ClassState{}
	}
	return &r.Session, nil
}

func putSession(tx *bolt.Tx, s *Session) error {
	return put(tx.Bucket(bucketSessions), s.ID, &sessionRecord{Session: *s, Owner: s.Owner})
}

func (b *boltBackend) createSession(_ context.Context, sess *Session) (bool, error) {
	created := false
	err := b.db.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketSessions).Get([]byte(sess.ID)) != nil {
			return nil
		}
		created = true
		return putSession(tx, sess)
	})
	return created, err
}

func (b *boltBackend) session(_ context.Context, id string) (*Session, error) {
	var out *Session
	err := b.db.View(func(tx *bolt.Tx) (err error) {
		out, err = getSession(tx, id)
		return err
	})
	return out, err
}

func (b *boltBackend) updateSession(_ context.Context, id string, f func(*Session) error) error {
	return b.db.Update(func(tx *bolt.Tx) error { return changeSession(tx, id, f) })
}

func changeSession(tx *bolt.Tx, id string, f func(*Session) error) error {
	sess, err := getSession(tx, id)
	if err != nil {
		return err
	}
	if err := f(sess); err != nil {
		return err
	}
	sess.UpdatedAt = time.Now().UTC()
	return putSession(tx, sess)
}

func (b *boltBackend) deleteSession(_ context.Context, id string) error {
	err := b.db.Update(func(tx *bolt.Tx) error {
		bs := tx.Bucket(bucketSessions)
		if bs.Get([]byte(id)) == nil {
			return errNotFound
		}
		if err := bs.Delete([]byte(id)); err != nil {
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
	if err != nil {
		return err
	}
	// Its running jobs stop; their records are gone, and finishJob will
	// not bring them back.
	b.mu.Lock()
	for _, cancel := range b.running[id] {
		cancel()
	}
	b.mu.Unlock()
	return nil
}

func (b *boltBackend) addDocuments(_ context.Context, session string, docs []*Document) error {
	return b.db.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketSessions).Get([]byte(session)) == nil {
			return errNotFound
		}
		for _, d := range docs {
			if err := put(tx.Bucket(bucketDocs), session+"/"+d.ID, d); err != nil {
				return err
			}
		}
		return nil
	})
}

func (b *boltBackend) documents(_ context.Context, session string, data bool) ([]*Document, error) {
	var out []*Document
	err := b.db.View(func(tx *bolt.Tx) error {
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
	sort.SliceStable(out, func(i, j int) bool { return out[i].CreatedAt.Before(out[j].CreatedAt) })
	return out, err
}

// Jobs are keyed session/job so that a session's jobs list and delete
// together.
func putJob(tx *bolt.Tx, j *Job) error {
	return put(tx.Bucket(bucketJobs), j.SessionID+"/"+j.JobID, &jobRecord{Job: *j, Fresh: j.Fresh, Attempt: j.Attempt, Input: j.Input})
}

func getJob(tx *bolt.Tx, session, id string) (*Job, error) {
	var r jobRecord
	if err := get(tx.Bucket(bucketJobs), session+"/"+id, &r); err != nil {
		return nil, err
	}
	return r.job(), nil
}

func (b *boltBackend) job(_ context.Context, session, id string) (*Job, error) {
	var out *Job
	err := b.db.View(func(tx *bolt.Tx) (err error) {
		out, err = getJob(tx, session, id)
		return err
	})
	return out, err
}

func (b *boltBackend) jobs(_ context.Context, session string) ([]*Job, error) {
	var out []*Job
	err := b.db.View(func(tx *bolt.Tx) error {
		return eachWithPrefix(tx.Bucket(bucketJobs), session+"/", func(_, v []byte) error {
			var r jobRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return err
			}
			out = append(out, r.job())
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].CreatedAt < out[j].CreatedAt })
	return out, err
}

func (b *boltBackend) enqueue(_ context.Context, j *Job) error {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed {
		return errStopping
	}
	if len(b.queue) == cap(b.queue) {
		return errBusy
	}
	err := b.db.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketSessions).Get([]byte(j.SessionID)) == nil {
			return errNotFound
		}
		return putJob(tx, j)
	})
	if err != nil {
		return err
	}
	select {
	case b.queue <- j:
		return nil
	default: // filled up meanwhile
		b.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketJobs).Delete([]byte(j.SessionID + "/" + j.JobID)) })
		return errBusy
	}
}

// ownJob reads a job for an update by attempt j.Attempt: errStale when it
// is gone or has ended.
func ownJob(tx *bolt.Tx, j *Job, statuses ...string) error {
	cur, err := getJob(tx, j.SessionID, j.JobID)
	if err == errNotFound {
		return errStale
	}
	if err != nil {
		return err
	}
	if cur.Attempt != j.Attempt && cur.Status != statusQueued {
		return errStale
	}
	for _, s := range statuses {
		if cur.Status == s {
			return nil
		}
	}
	return errStale
}

func (b *boltBackend) startJob(_ context.Context, j *Job) error {
	return b.db.Update(func(tx *bolt.Tx) error {
		if err := ownJob(tx, j, statusQueued); err != nil {
			return err
		}
		return putJob(tx, j)
	})
}

func (b *boltBackend) saveProgress(_ context.Context, j *Job) error {
	return b.db.Update(func(tx *bolt.Tx) error {
		if err := ownJob(tx, j, statusRunning); err != nil {
			return err
		}
		return putJob(tx, j)
	})
}

func (b *boltBackend) finishJob(_ context.Context, j *Job, change func(*Session) error) error {
	return b.db.Update(func(tx *bolt.Tx) error {
		if err := ownJob(tx, j, statusRunning); err != nil {
			return err
		}
		if change != nil {
			if err := changeSession(tx, j.SessionID, change); err == errNotFound {
				return errStale
			} else if err != nil {
				return err
			}
		}
		return putJob(tx, j)
	})
}

func (b *boltBackend) run(work func(context.Context, *Job) error) {
	for i := 0; i < b.workers; i++ {
		b.wg.Add(1)
		go b.worker(work)
	}
}

func (b *boltBackend) worker(work func(context.Context, *Job) error) {
	defer b.wg.Done()
	for {
		select {
		case <-b.stop:
			return // what is still queued is failed at the next start
		case j := <-b.queue:
			ctx, cancel := b.track(j)
			j.Attempt = 1
			if err := work(ctx, j); err != nil {
				b.log.Warn("job interrupted", zap.String("job", j.JobID), zap.String("session", j.SessionID), zap.Error(err))
			}
			b.untrack(j)
			cancel()
		}
	}
}

// track registers a running job so that deleting its session cancels it.
func (b *boltBackend) track(j *Job) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(b.jobCtx, b.timeout)
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.running[j.SessionID] == nil {
		b.running[j.SessionID] = map[string]context.CancelFunc{}
	}
	b.running[j.SessionID][j.JobID] = cancel
	return ctx, cancel
}

func (b *boltBackend) untrack(j *Job) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.running[j.SessionID], j.JobID)
	if len(b.running[j.SessionID]) == 0 {
		delete(b.running, j.SessionID)
	}
}

func (b *boltBackend) ready(context.Context) error {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed {
		return errStopping
	}
	return nil
}

func (b *boltBackend) close(ctx context.Context) error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	close(b.stop)
	b.mu.Unlock()
	done := make(chan struct{})
	go func() { b.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		b.cancel() // running jobs give up; they are failed at the next start
		<-done
	}
	b.cancel()
	return b.db.Close()
}

// failInterrupted marks the jobs that were queued or running when the
// server stopped as failed: their work is lost, and saying so is better
// than a job that never ends.
func (b *boltBackend) failInterrupted(now string) (int, error) {
	n := 0
	err := b.db.Update(func(tx *bolt.Tx) error {
		bk := tx.Bucket(bucketJobs)
		failed := map[string][]byte{}
		c := bk.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var r jobRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return err
			}
			if r.Status != statusQueued && r.Status != statusRunning {
				continue
			}
			r.Status, r.UpdatedAt = statusFailed, now
			r.Errors = append(r.Errors, "the server stopped before the job finished; start it again")
			data, err := json.Marshal(&r)
			if err != nil {
				return err
			}
			failed[string(k)] = data
		}
		for k, data := range failed {
			if err := bk.Put([]byte(k), data); err != nil {
				return err
			}
		}
		n = len(failed)
		return nil
	})
	return n, err
}
