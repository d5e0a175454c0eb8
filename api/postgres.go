package api

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
	"go.uber.org/zap"
	"go.uber.org/zap/exp/zapslog"
)

// pgBackend keeps sessions, documents and jobs in PostgreSQL and runs the
// jobs on River: every replica works jobs, a job is enqueued in the same
// transaction as its record, and a job whose replica died is rescued by
// River and tried again on another one. Each attempt owns the job record
// (its attempt number); only the owner stores progress or an outcome, and
// the outcome, the session change and River's completion of the job commit
// together, so a job is finished exactly once.
type pgBackend struct {
	pool     *pgxpool.Pool
	river    *river.Client[pgx.Tx]
	goose    *goose.Provider
	log      *zap.Logger
	work     func(context.Context, *Job) error
	upToDate atomic.Bool // migrated and River started

	ctx    context.Context // ends the connect loop
	cancel context.CancelFunc
	loop   sync.WaitGroup
}

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationLock is the advisory lock key under which replicas migrate,
// one at a time ("connls" in ASCII).
const migrationLock = 0x636f6e6e6c73

// pgOptions tune the queue.
type pgOptions struct {
	workers    int
	jobTimeout time.Duration // a job running longer is cancelled and tried again
}

func openPostgres(url string, o pgOptions, log *zap.Logger) (*pgBackend, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("--database: %v", redactURL(err))
	}
	cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	if cfg.MaxConns < int32(o.workers)+4 {
		cfg.MaxConns = int32(o.workers) + 4
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg) // connects lazily
	if err != nil {
		return nil, err
	}
	b := &pgBackend{pool: pool, log: log}
	b.ctx, b.cancel = context.WithCancel(context.Background())

	sub, _ := fs.Sub(migrationFiles, "migrations")
	b.goose, err = goose.NewProvider(goose.DialectPostgres, stdlib.OpenDBFromPool(pool), sub,
		goose.WithTableName("connls_schema_version"), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		pool.Close()
		return nil, err
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &jobWorker{b: b})
	b.river, err = river.NewClient(riverpgxv5.New(pool), &river.Config{
		Queues:  map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: o.workers}},
		Workers: workers,
		// New jobs are announced by NOTIFY; the cooldown bounds how often a
		// replica fetches (and so its throughput), the poll interval how
		// long a missed announcement delays a job.
		FetchCooldown:        10 * time.Millisecond,
		FetchPollInterval:    250 * time.Millisecond,
		JobTimeout:           o.jobTimeout,
		RescueStuckJobsAfter: 2 * o.jobTimeout,
		MaxAttempts:          maxAttempts,
		ErrorHandler:         &lastAttemptHandler{b: b},
		Logger:               slogFor(log.Named("river")),
	})
	if err != nil {
		pool.Close()
		return nil, err
	}
	return b, nil
}

// maxAttempts bounds the tries of one job: a job is tried again when its
// replica died or stopped, or the database failed under it.
const maxAttempts = 10

// redactURL keeps a password in a malformed URL out of an error message.
func redactURL(err error) error {
	var pe *pgconn.ParseConfigError
	if errors.As(err, &pe) {
		return errors.New("not a PostgreSQL URL (postgres://user:password@host:port/database?sslmode=...)")
	}
	return err
}

func slogFor(log *zap.Logger) *slog.Logger {
	return slog.New(zapslog.NewHandler(log.Core()))
}

// run starts the connect loop: until the database answers and the schema
// is current, the replica is not ready; then River starts working jobs.
func (b *pgBackend) run(work func(context.Context, *Job) error) {
	b.work = work
	b.loop.Add(1)
	go func() {
		defer b.loop.Done()
		wait := 250 * time.Millisecond
		for {
			err := b.migrate(b.ctx)
			if err == nil {
				// Not b.ctx: cancelling River's start context cancels the
				// running jobs, and a stop must let them finish first.
				err = b.river.Start(context.WithoutCancel(b.ctx))
			}
			if err == nil {
				b.upToDate.Store(true)
				b.log.Info("database ready; working jobs")
				return
			}
			if b.ctx.Err() != nil {
				return
			}
			b.log.Warn("database not ready; trying again", zap.Duration("in", wait), zap.Error(err))
			select {
			case <-b.ctx.Done():
				return
			case <-time.After(wait):
			}
			wait = min(2*wait, 5*time.Second)
		}
	}()
}

// migrate brings River's tables and ours up to date under an advisory
// lock, so replicas that start together migrate one after the other.
func (b *pgBackend) migrate(ctx context.Context) error {
	conn, err := b.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
		return err
	}
	defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLock)
	m, err := rivermigrate.New(riverpgxv5.New(b.pool), nil)
	if err != nil {
		return err
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrating the job queue: %w", err)
	}
	res, err := b.goose.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrating: %w", err)
	}
	for _, r := range res {
		b.log.Info("migrated", zap.String("migration", r.Source.Path), zap.Duration("took", r.Duration))
	}
	return nil
}

func (b *pgBackend) ready(ctx context.Context) error {
	if !b.upToDate.Load() {
		return errors.New("the database is not reachable or not migrated yet")
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := b.pool.Ping(ctx); err != nil {
		return fmt.Errorf("the database is not reachable: %w", err)
	}
	pending, err := b.goose.HasPending(ctx)
	if err != nil {
		return fmt.Errorf("the schema version cannot be read: %w", err)
	}
	if pending {
		return errors.New("the database schema is not current")
	}
	return nil
}

func (b *pgBackend) close(ctx context.Context) error {
	b.cancel()
	b.loop.Wait()
	if b.upToDate.Load() {
		// Stop fetching and let running jobs finish; when ctx ends first,
		// cancel them: they hand themselves back and River gives them to
		// another replica.
		if err := b.river.Stop(ctx); err != nil {
			hard, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			b.river.StopAndCancel(hard)
			cancel()
		}
	}
	b.goose.Close() // closes the database/sql view of the pool
	b.pool.Close()
	return nil
}

// The River job: our job's id; all else is in connls_jobs.
type jobArgs struct {
	JobID     string `json:"job_id"`
	SessionID string `json:"session_id"`
}

func (jobArgs) Kind() string { return "connls_api_job" }

func (jobArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

type jobWorker struct {
	river.WorkerDefaults[jobArgs]
	b *pgBackend
}

type riverJobKey struct{}

func (w *jobWorker) Work(ctx context.Context, rj *river.Job[jobArgs]) error {
	j, err := w.b.jobByID(ctx, rj.Args.JobID)
	if errors.Is(err, errNotFound) {
		return nil // its session was deleted
	}
	if err != nil {
		return err
	}
	if j.ended() {
		return nil
	}
	j.Attempt = rj.Attempt
	return w.b.work(context.WithValue(ctx, riverJobKey{}, rj), j)
}

// lastAttemptHandler fails a job whose last attempt errored, so that it
// does not stay queued for ever.
type lastAttemptHandler struct{ b *pgBackend }

func (h *lastAttemptHandler) HandleError(ctx context.Context, rj *rivertype.JobRow, err error) *river.ErrorHandlerResult {
	if rj.Attempt >= rj.MaxAttempts {
		h.fail(ctx, rj, fmt.Sprintf("gave up after %d attempts: %v", rj.Attempt, err))
	}
	return nil
}

func (h *lastAttemptHandler) HandlePanic(ctx context.Context, rj *rivertype.JobRow, v any, trace string) *river.ErrorHandlerResult {
	if rj.Attempt >= rj.MaxAttempts {
		h.fail(ctx, rj, fmt.Sprintf("internal error: %v", v))
	}
	return nil
}

func (h *lastAttemptHandler) fail(ctx context.Context, rj *rivertype.JobRow, msg string) {
	var args jobArgs
	if json.Unmarshal(rj.EncodedArgs, &args) != nil {
		return
	}
	_, err := h.b.pool.Exec(context.WithoutCancel(ctx), `UPDATE connls_jobs SET status = 'failed', errors = errors || $2::text, updated_at = $3
		WHERE id = $1 AND status NOT IN ('finished', 'failed')`, args.JobID, msg, time.Now().UTC())
	if err != nil {
		h.b.log.Error("failing a job", zap.String("job", args.JobID), zap.Error(err))
	}
}

// Errors of the database that mean "that session does not exist".
func isForeignKeyViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23503"
}

const sessionColumns = "id::text, owner, created_at, updated_at, known_classes, classes, connector"

// connectorState is what a session holds for the connector as a whole,
// kept in one column.
type connectorState struct {
	Relations     map[string]*Code `json:"relations,omitempty"`
	Authorization *Code            `json:"authorization,omitempty"`
}

func scanSession(row pgx.Row) (*Session, error) {
	var s Session
	var known, classes, connector []byte
	err := row.Scan(&s.ID, &s.Owner, &s.CreatedAt, &s.UpdatedAt, &known, &classes, &connector)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(known, &s.KnownClasses); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(classes, &s.Classes); err != nil {
		return nil, err
	}
	var cs connectorState
	if err := json.Unmarshal(connector, &cs); err != nil {
		return nil, err
	}
	s.Relations, s.Authorization = cs.Relations, cs.Authorization
	if s.Classes == nil {
		s.Classes = map[string]*ClassState{}
	}
	s.CreatedAt, s.UpdatedAt = s.CreatedAt.UTC(), s.UpdatedAt.UTC()
	return &s, nil
}

func (b *pgBackend) createSession(ctx context.Context, s *Session) (bool, error) {
	tag, err := b.pool.Exec(ctx, `INSERT INTO connls_sessions (id, owner, created_at, updated_at) VALUES ($1, $2, $3, $3)
		ON CONFLICT (id) DO NOTHING`, s.ID, s.Owner, s.CreatedAt)
	return tag.RowsAffected() == 1, err
}

func (b *pgBackend) session(ctx context.Context, id string) (*Session, error) {
	return scanSession(b.pool.QueryRow(ctx, "SELECT "+sessionColumns+" FROM connls_sessions WHERE id = $1", id))
}

func (b *pgBackend) updateSession(ctx context.Context, id string, f func(*Session) error) error {
	return pgx.BeginFunc(ctx, b.pool, func(tx pgx.Tx) error { return changeSessionTx(ctx, tx, id, f) })
}

// changeSessionTx reads a session for update (not blocking the inserts of
// its documents and jobs), changes and writes it.
func changeSessionTx(ctx context.Context, tx pgx.Tx, id string, f func(*Session) error) error {
	s, err := scanSession(tx.QueryRow(ctx, "SELECT "+sessionColumns+" FROM connls_sessions WHERE id = $1 FOR NO KEY UPDATE", id))
	if err != nil {
		return err
	}
	if err := f(s); err != nil {
		return err
	}
	known, err := json.Marshal(s.KnownClasses)
	if err != nil {
		return err
	}
	classes, err := json.Marshal(s.Classes)
	if err != nil {
		return err
	}
	connector, err := json.Marshal(connectorState{Relations: s.Relations, Authorization: s.Authorization})
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, "UPDATE connls_sessions SET known_classes = $2, classes = $3, connector = $4, updated_at = $5 WHERE id = $1",
		id, known, classes, connector, time.Now().UTC())
	return err
}

func (b *pgBackend) deleteSession(ctx context.Context, id string) error {
	return pgx.BeginFunc(ctx, b.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT river_job_id FROM connls_jobs
			WHERE session_id = $1 AND status IN ('queued', 'running') AND river_job_id IS NOT NULL`, id)
		if err != nil {
			return err
		}
		pending, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, "DELETE FROM connls_sessions WHERE id = $1", id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return errNotFound
		}
		// Cancelled with the deletion: a queued job never starts, a running
		// one (on any replica) has its context cancelled.
		for _, rid := range pending {
			if _, err := b.river.JobCancelTx(ctx, tx, rid); err != nil && !errors.Is(err, rivertype.ErrNotFound) {
				return err
			}
		}
		return nil
	})
}

func (b *pgBackend) addDocuments(ctx context.Context, session string, docs []*Document) error {
	err := pgx.BeginFunc(ctx, b.pool, func(tx pgx.Tx) error {
		for _, d := range docs {
			_, err := tx.Exec(ctx, `INSERT INTO connls_documents (session_id, id, name, size, created_at, data) VALUES ($1, $2, $3, $4, $5, $6)`,
				session, d.ID, d.Name, d.Size, d.CreatedAt, d.Data)
			if err != nil {
				return err
			}
		}
		return nil
	})
	if isForeignKeyViolation(err) {
		return errNotFound
	}
	return err
}

func (b *pgBackend) documents(ctx context.Context, session string, data bool) ([]*Document, error) {
	rows, err := b.pool.Query(ctx, `SELECT id::text, name, size, created_at, CASE WHEN $2 THEN data END
		FROM connls_documents WHERE session_id = $1 ORDER BY created_at, id`, session, data)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (*Document, error) {
		var d Document
		err := row.Scan(&d.ID, &d.Name, &d.Size, &d.CreatedAt, &d.Data)
		d.CreatedAt = d.CreatedAt.UTC()
		return &d, err
	})
}

const jobColumns = `id::text, session_id::text, kind, object_class, fresh, status, created_at, started_at, updated_at,
	progress, result, errors, attempt, input`

func scanJob(row pgx.Row) (*Job, error) {
	var j Job
	var created, updated time.Time
	var started *time.Time
	var progress, result, input []byte
	err := row.Scan(&j.JobID, &j.SessionID, &j.Kind, &j.ObjectClass, &j.Fresh, &j.Status, &created, &started, &updated,
		&progress, &result, &j.Errors, &j.Attempt, &input)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	j.CreatedAt, j.UpdatedAt = stamp(created), stamp(updated)
	if started != nil {
		s := stamp(*started)
		j.StartedAt = &s
	}
	if progress != nil {
		if err := json.Unmarshal(progress, &j.Progress); err != nil {
			return nil, err
		}
	}
	if result != nil {
		if err := json.Unmarshal(result, &j.Result); err != nil {
			return nil, err
		}
	}
	if input != nil {
		if err := json.Unmarshal(input, &j.Input); err != nil {
			return nil, err
		}
	}
	if len(j.Errors) == 0 {
		j.Errors = nil
	}
	return &j, nil
}

func (b *pgBackend) job(ctx context.Context, session, id string) (*Job, error) {
	return scanJob(b.pool.QueryRow(ctx, "SELECT "+jobColumns+" FROM connls_jobs WHERE session_id = $1 AND id = $2", session, id))
}

func (b *pgBackend) jobByID(ctx context.Context, id string) (*Job, error) {
	return scanJob(b.pool.QueryRow(ctx, "SELECT "+jobColumns+" FROM connls_jobs WHERE id = $1", id))
}

func (b *pgBackend) jobs(ctx context.Context, session string) ([]*Job, error) {
	rows, err := b.pool.Query(ctx, "SELECT "+jobColumns+" FROM connls_jobs WHERE session_id = $1 ORDER BY created_at, id", session)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (*Job, error) { return scanJob(row) })
}

func (b *pgBackend) enqueue(ctx context.Context, j *Job) error {
	progress, err := json.Marshal(j.Progress)
	if err != nil {
		return err
	}
	var input []byte // NULL without one
	if j.Input != nil {
		if input, err = json.Marshal(j.Input); err != nil {
			return err
		}
	}
	err = pgx.BeginFunc(ctx, b.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO connls_jobs (id, session_id, kind, object_class, fresh, status, created_at, updated_at, progress, input)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			j.JobID, j.SessionID, j.Kind, j.ObjectClass, j.Fresh, j.Status, parseStamp(j.CreatedAt), parseStamp(j.UpdatedAt), progress, input)
		if err != nil {
			return err
		}
		res, err := b.river.InsertTx(ctx, tx, jobArgs{JobID: j.JobID, SessionID: j.SessionID}, nil)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "UPDATE connls_jobs SET river_job_id = $2 WHERE id = $1", j.JobID, res.Job.ID)
		return err
	})
	if isForeignKeyViolation(err) {
		return errNotFound
	}
	return err
}

// startJob takes the job over for j.Attempt: River gives a job to a new
// attempt only when the previous one ended or its replica is presumed
// dead, so a running job may be taken over.
func (b *pgBackend) startJob(ctx context.Context, j *Job) error {
	progress, err := json.Marshal(j.Progress)
	if err != nil {
		return err
	}
	tag, err := b.pool.Exec(ctx, `UPDATE connls_jobs SET status = $2, attempt = $3, started_at = $4, updated_at = $5, progress = $6
		WHERE id = $1 AND status IN ('queued', 'running')`,
		j.JobID, j.Status, j.Attempt, parseStamp(*j.StartedAt), parseStamp(j.UpdatedAt), progress)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return errStale
	}
	return nil
}

func (b *pgBackend) saveProgress(ctx context.Context, j *Job) error {
	progress, err := json.Marshal(j.Progress)
	if err != nil {
		return err
	}
	tag, err := b.pool.Exec(ctx, `UPDATE connls_jobs SET status = $3, progress = $4, updated_at = $5
		WHERE id = $1 AND attempt = $2 AND status = 'running'`,
		j.JobID, j.Attempt, j.Status, progress, parseStamp(j.UpdatedAt))
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return errStale
	}
	return nil
}

func (b *pgBackend) finishJob(ctx context.Context, j *Job, change func(*Session) error) error {
	progress, err := json.Marshal(j.Progress)
	if err != nil {
		return err
	}
	result, err := json.Marshal(j.Result)
	if err != nil {
		return err
	}
	errs := j.Errors
	if errs == nil {
		errs = []string{}
	}
	err = pgx.BeginFunc(ctx, b.pool, func(tx pgx.Tx) error {
		// The session first, then the job: the order deleteSession locks
		// them in.
		var err error
		if change != nil {
			err = changeSessionTx(ctx, tx, j.SessionID, change)
		} else {
			var one int
			err = tx.QueryRow(ctx, "SELECT 1 FROM connls_sessions WHERE id = $1 FOR NO KEY UPDATE", j.SessionID).Scan(&one)
		}
		if errors.Is(err, errNotFound) || errors.Is(err, pgx.ErrNoRows) {
			return errStale
		} else if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE connls_jobs SET status = $3, progress = $4, result = $5, errors = $6, updated_at = $7
			WHERE id = $1 AND attempt = $2 AND status = 'running'`,
			j.JobID, j.Attempt, j.Status, progress, result, errs, parseStamp(j.UpdatedAt))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return errStale
		}
		if rj, ok := ctx.Value(riverJobKey{}).(*river.Job[jobArgs]); ok {
			if _, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, rj); errors.Is(err, rivertype.ErrNotFound) {
				return errStale // rescued meanwhile: another attempt owns it
			} else if err != nil {
				return err
			}
		}
		return nil
	})
	return err
}

// Job times are kept as RFC 3339 strings in the service's shape, with
// microseconds, which PostgreSQL stores exactly.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseStamp(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}
