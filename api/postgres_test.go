package api

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/connls/connls/internal/pgtest"
)

// The PostgreSQL tests share one private cluster, each with its own
// database.
var shared struct {
	once    sync.Once
	cluster *pgtest.Cluster
	skip    error // PostgreSQL is not installed
	err     error // it is, and did not start
}

func cluster(t testing.TB) *pgtest.Cluster {
	t.Helper()
	shared.once.Do(func() {
		if _, err := pgtest.Binaries(); err != nil {
			shared.skip = err
			return
		}
		shared.cluster, shared.err = pgtest.New()
	})
	if shared.skip != nil {
		t.Skipf("PostgreSQL tests skipped: %v", shared.skip)
	}
	if shared.err != nil {
		t.Fatalf("starting PostgreSQL: %v", shared.err)
	}
	return shared.cluster
}

// replicaEnv names the database of a replica the test binary runs as a
// separate process, to be killed.
const replicaEnv = "CONNLS_API_TEST_REPLICA"

func TestMain(m *testing.M) {
	if url := os.Getenv(replicaEnv); url != "" {
		runReplica(url)
		return
	}
	code := m.Run()
	if shared.cluster != nil {
		shared.cluster.Remove()
	}
	os.Exit(code)
}

// runReplica serves the API on a loopback port it prints, holding every
// connid and update job for a minute, with JSON logs on stderr, until it
// is killed.
func runReplica(url string) {
	log := zap.New(zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.Lock(os.Stderr), zap.InfoLevel))
	s, err := newServer(Options{Database: url, Workers: 4, JobTimeout: 2 * time.Minute, Log: log})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	hold := func(ctx context.Context, j *Job) {
		if j.Kind != kindConnID && j.Kind != kindUpdate {
			return
		}
		log.Info("holding job", zap.String("job", j.JobID))
		select {
		case <-ctx.Done():
		case <-time.After(time.Minute):
		}
	}
	s.testHook.Store(&hold)
	s.b.run(s.work)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("listening %s\n", ln.Addr())
	http.Serve(ln, s)
}

// finishes counts the "job finished" log entries per job.
func finishes(logs ...*observer.ObservedLogs) map[string]int {
	n := map[string]int{}
	for _, l := range logs {
		for _, e := range l.FilterMessage("job finished").All() {
			n[e.ContextMap()["job"].(string)]++
		}
	}
	return n
}

func observed(o Options) (Options, *observer.ObservedLogs) {
	core, logs := observer.New(zap.InfoLevel)
	o.Log = zap.New(core)
	return o, logs
}

// prepare makes a session with documentation, User's attributes and
// endpoints, through c.
func prepare(t testing.TB, c *client) string {
	sid := c.session()
	base := "/api/v1/session/" + sid
	var up struct{ JobID string }
	if code := c.do("POST", base+"/documentation", upload(t, sampleDoc), &up); code != http.StatusOK {
		t.Fatalf("upload: %d", code)
	}
	c.wait(base+"/documentation/status", up.JobID)
	c.wait(base+"/classes/User/attributes", c.start(base+"/classes/User/attributes"))
	c.wait(base+"/classes/User/endpoints", c.start(base+"/classes/User/endpoints"))
	return sid
}

// riverJobs reads River's record of the jobs: state, attempt and the
// clients that tried each, by our job id.
type riverJob struct {
	State       string
	Attempt     int
	AttemptedBy []string
}

func riverJobs(t testing.TB, url string) map[string]riverJob {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT args->>'job_id', state::text, attempt, coalesce(attempted_by, '{}') FROM river_job`)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]riverJob{}
	for rows.Next() {
		var id string
		var r riverJob
		if err := rows.Scan(&id, &r.State, &r.Attempt, &r.AttemptedBy); err != nil {
			t.Fatal(err)
		}
		if _, dup := out[id]; dup {
			t.Errorf("job %s queued twice", id)
		}
		out[id] = r
	}
	return out
}

// TestTwoReplicas: 200 connid and update jobs from 50 sessions, started
// and polled on two replicas of one database: every job finishes exactly
// once, both replicas work, and every result reads the same from either.
func TestTwoReplicas(t *testing.T) {
	url := cluster(t).Database(t)
	oa, logsA := observed(Options{Database: url, Workers: 4})
	ob, logsB := observed(Options{Database: url, Workers: 4})
	var a, b *client
	var wg sync.WaitGroup
	wg.Add(2) // two replicas starting together: the migrations take turns
	go func() { defer wg.Done(); _, a = startWith(t, oa) }()
	go func() { defer wg.Done(); _, b = startWith(t, ob) }()
	wg.Wait()

	const sessions = 50
	type started struct{ sid, path, job string }
	var mu sync.Mutex
	var jobs []started
	for i := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, other := a, b
			if i%2 == 1 {
				c, other = b, a
			}
			sid := prepare(t, c)
			// Two connid and two update jobs, each started on one replica.
			for k, kind := range []string{"connid", "update", "connid", "update"} {
				on := c
				if k%2 == 1 {
					on = other
				}
				path := "/api/v1/session/" + sid + "/classes/User/" + kind
				id := on.start(path)
				mu.Lock()
				jobs = append(jobs, started{sid, path, id})
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(jobs) != 4*sessions {
		t.Fatalf("%d jobs started", len(jobs))
	}
	for _, j := range jobs {
		// Polled on both replicas: the same job, the same result.
		ja, jb := a.wait(j.path, j.job), b.wait(j.path, j.job)
		if ja.Status != "finished" || ja.Result.Code == "" || ja.Result.Code != jb.Result.Code || ja.UpdatedAt != jb.UpdatedAt {
			t.Errorf("job %s: %s %q on a, %s on b", j.job, ja.Status, ja.Errors, jb.Status)
		}
	}
	done := finishes(logsA, logsB)
	perReplica := [2]int{len(finishes(logsA)), len(finishes(logsB))}
	for _, j := range jobs {
		if done[j.job] != 1 {
			t.Errorf("job %s finished %d times", j.job, done[j.job])
		}
	}
	if perReplica[0] == 0 || perReplica[1] == 0 {
		t.Errorf("the jobs were not spread: %v", perReplica)
	}
	for id, r := range riverJobs(t, url) {
		if r.State != "completed" || r.Attempt != 1 || len(r.AttemptedBy) != 1 {
			t.Errorf("river job %s: %+v", id, r)
		}
	}
	t.Logf("jobs finished per replica (including the preparation): %v", perReplica)
}

// TestKillReplica: a replica killed with -9 while it runs jobs; they
// finish on the other one after River rescues them, none lost, none
// finished twice.
func TestKillReplica(t *testing.T) {
	url := cluster(t).Database(t)
	// B: this test binary as a separate process, holding every connid and
	// update job it takes. It starts first and so leads: when it dies, A
	// takes the lead and its rescuer gives B's jobs back 2×JobTimeout
	// after they started.
	logPath := t.TempDir() + "/b.log"
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), replicaEnv+"="+url)
	cmd.Stderr = logFile
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening ")
	if err != nil || !ok {
		t.Fatalf("replica: %q %v", line, err)
	}
	b := &client{t: t, base: "http://" + addr}
	for deadline := time.Now().Add(30 * time.Second); b.do("GET", "/readyz", nil, nil) != http.StatusOK; {
		if time.Now().After(deadline) {
			t.Fatal("replica B never ready")
		}
		time.Sleep(20 * time.Millisecond)
	}

	oa, logsA := observed(Options{Database: url, Workers: 4, JobTimeout: 5 * time.Second})
	sa, a := startWith(t, oa)
	var sids []string
	for range 6 {
		sids = append(sids, prepare(t, a))
	}
	// A takes its time over connid and update jobs, so that B's idle
	// workers take their four however fast the jobs themselves are.
	slowA := func(ctx context.Context, j *Job) {
		if j.Kind == kindConnID || j.Kind == kindUpdate {
			select {
			case <-time.After(time.Second):
			case <-ctx.Done():
			}
		}
	}
	sa.testHook.Store(&slowA)

	// 24 jobs started on B: B's four workers hold four, A does the rest.
	type started struct{ path, job string }
	var jobs []started
	for _, sid := range sids {
		for _, kind := range []string{"connid", "update", "connid", "update"} {
			path := "/api/v1/session/" + sid + "/classes/User/" + kind
			jobs = append(jobs, started{path, b.start(path)})
		}
	}
	var held map[string]bool
	for deadline := time.Now().Add(30 * time.Second); ; {
		running, queued := 0, 0
		held = map[string]bool{}
		for _, j := range jobs {
			var v jobView
			a.do("GET", j.path+"?jobId="+j.job, nil, &v)
			switch v.Status {
			case "running":
				running++
				held[j.job] = true
			case "queued":
				queued++
			}
		}
		if queued == 0 && running == 4 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("B never held 4 jobs: %d running, %d queued", running, queued)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	cmd.Wait()
	killed := time.Now()

	for _, j := range jobs {
		deadline := time.Now().Add(90 * time.Second)
		for {
			var v jobView
			a.do("GET", j.path+"?jobId="+j.job, nil, &v)
			if v.Status == "finished" && v.Result.Code != "" {
				break
			}
			if v.Status == "failed" || time.Now().After(deadline) {
				t.Fatalf("job %s: %s %v", j.job, v.Status, v.Errors)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	t.Logf("the killed replica's jobs finished on the other %v after the kill", time.Since(killed).Round(time.Second))

	logB, _ := os.ReadFile(logPath)
	done := finishes(logsA)
	rj := riverJobs(t, url)
	for _, j := range jobs {
		if done[j.job] != 1 {
			t.Errorf("job %s finished %d times on A", j.job, done[j.job])
		}
		if held[j.job] {
			if !bytes.Contains(logB, []byte(`"holding job","job":"`+j.job)) {
				t.Errorf("job %s was not held by B", j.job)
			}
			if r := rj[j.job]; r.State != "completed" || r.Attempt != 2 || len(r.AttemptedBy) != 2 || r.AttemptedBy[0] == r.AttemptedBy[1] {
				t.Errorf("rescued job %s: %+v", j.job, r)
			}
		} else if r := rj[j.job]; r.State != "completed" || r.Attempt != 1 {
			t.Errorf("job %s: %+v", j.job, r)
		}
	}
	for _, line := range strings.Split(string(logB), "\n") {
		for _, j := range jobs {
			if strings.Contains(line, `"job finished"`) && strings.Contains(line, j.job) {
				t.Errorf("the killed replica finished job %s: %s", j.job, line)
			}
		}
	}
}

// TestDatabaseUnreachable: a replica started while its database is down
// is alive but not ready, refuses requests with 503, and recovers when the
// database comes back; again when it goes away later.
func TestDatabaseUnreachable(t *testing.T) {
	cluster(t) // skips when PostgreSQL is not installed
	pg, err := pgtest.New()
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Remove()
	pg.Stop()

	s, err := New(Options{Database: pg.URL("postgres"), Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	defer func() { hs.Close(); s.Close() }()
	c := &client{t: t, base: hs.URL}
	var e struct{ Detail string }
	if code := c.do("GET", "/readyz", nil, &e); code != http.StatusServiceUnavailable || !strings.Contains(e.Detail, "not ready") {
		t.Fatalf("readyz with the database down: %d %q", code, e.Detail)
	}
	if code := c.do("GET", "/healthz", nil, nil); code != http.StatusOK {
		t.Fatalf("healthz: %d", code)
	}
	if code := c.do("POST", "/api/v1/session", nil, &e); code != http.StatusServiceUnavailable || !strings.Contains(e.Detail, "database is not reachable") {
		t.Fatalf("a request with the database down: %d %q", code, e.Detail)
	}

	ready := func() {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); c.do("GET", "/readyz", nil, nil) != http.StatusOK; {
			if time.Now().After(deadline) {
				t.Fatal("never ready after the database came back")
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	if err := pg.Start(); err != nil {
		t.Fatal(err)
	}
	ready()
	prepare(t, c)

	pg.Stop()
	if code := c.do("GET", "/readyz", nil, &e); code != http.StatusServiceUnavailable || !strings.Contains(e.Detail, "not reachable") {
		t.Fatalf("readyz after the database went away: %d %q", code, e.Detail)
	}
	if err := pg.Start(); err != nil {
		t.Fatal(err)
	}
	ready()
	sid := prepare(t, c) // jobs run again
	base := "/api/v1/session/" + sid + "/classes/User/connid"
	if j := c.wait(base, c.start(base)); j.Status != "finished" {
		t.Fatalf("connid after the database came back: %+v", j)
	}
}

// TestHandBack: a replica stopping with a job still running hands it back
// to the queue, and another replica finishes it.
func TestHandBack(t *testing.T) {
	url := cluster(t).Database(t)
	sa, a := startWith(t, Options{Database: url, Workers: 2})
	sid := prepare(t, a)
	hold := make(chan struct{})
	holdJob := func(ctx context.Context, j *Job) {
		close(hold)
		<-ctx.Done()
	}
	sa.testHook.Store(&holdJob)
	path := "/api/v1/session/" + sid + "/classes/User/connid"
	id := a.start(path)
	<-hold
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	sa.Shutdown(ctx)

	_, b := startWith(t, Options{Database: url, Workers: 2})
	var v jobView
	b.do("GET", path+"?jobId="+id, nil, &v)
	if v.Status != "queued" && v.Status != "running" && v.Status != "finished" {
		t.Fatalf("handed back job: %+v", v)
	}
	if j := b.wait(path, id); j.Status != "finished" || j.Result.Code == "" {
		t.Fatalf("after the hand back: %+v", j)
	}
	// River gives a job cancelled by its client's stop back without
	// counting the attempt.
	if r := riverJobs(t, url)[id]; r.State != "completed" || len(r.AttemptedBy) != 2 || r.AttemptedBy[0] == r.AttemptedBy[1] {
		t.Fatalf("river job: %+v", r)
	}
}

// TestFinishOnce: an attempt stores its outcome once; an attempt that was
// taken over, or whose session was deleted, stores nothing.
func TestFinishOnce(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store) {
		s, err := newServer(options(t, st)) // no workers: the test plays them
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		ctx := context.Background()
		if pb, ok := s.b.(*pgBackend); ok {
			if err := pb.migrate(ctx); err != nil {
				t.Fatal(err)
			}
		}
		newJob := func() *Job {
			t.Helper()
			sess := &Session{ID: uuid.NewString(), CreatedAt: time.Now().UTC(), UpdatedAt: time.Now().UTC(), Classes: map[string]*ClassState{}}
			if _, err := s.b.createSession(ctx, sess); err != nil {
				t.Fatal(err)
			}
			j, err := s.enqueue(ctx, &Job{SessionID: sess.ID, Kind: kindDocumentation})
			if err != nil {
				t.Fatal(err)
			}
			return j
		}
		attempt := func(j *Job, n int) *Job {
			c := *j
			c.Attempt, c.Status = n, statusRunning
			t0 := now()
			c.StartedAt, c.UpdatedAt = &t0, t0
			return &c
		}
		mark := func(sess *Session) error { sess.KnownClasses = append(sess.KnownClasses, "X"); return nil }

		j := newJob()
		a1 := attempt(j, 1)
		if err := s.b.startJob(ctx, a1); err != nil {
			t.Fatal(err)
		}
		a1.Status = statusFinished
		if err := s.b.finishJob(ctx, a1, mark); err != nil {
			t.Fatal(err)
		}
		if err := s.b.finishJob(ctx, a1, mark); err != errStale {
			t.Fatalf("a second finish: %v", err)
		}
		if err := s.b.startJob(ctx, attempt(j, 2)); err != errStale {
			t.Fatalf("a start after the finish: %v", err)
		}
		sess, _ := s.b.session(ctx, j.SessionID)
		if len(sess.KnownClasses) != 1 {
			t.Fatalf("the session was changed %d times", len(sess.KnownClasses))
		}

		// Deleted under a running attempt: nothing comes back.
		j = newJob()
		a1 = attempt(j, 1)
		s.b.startJob(ctx, a1)
		if err := s.b.deleteSession(ctx, j.SessionID); err != nil {
			t.Fatal(err)
		}
		a1.Status = statusFinished
		if err := s.b.finishJob(ctx, a1, mark); err != errStale {
			t.Fatalf("finish after the session was deleted: %v", err)
		}
		if _, err := s.b.job(ctx, j.SessionID, j.JobID); err != errNotFound {
			t.Fatalf("an orphan job: %v", err)
		}

		if st != postgresStore {
			return
		}
		// Taken over (the replica of attempt 1 was presumed dead): only
		// attempt 2 may finish.
		j = newJob()
		a1, a2 := attempt(j, 1), attempt(j, 2)
		s.b.startJob(ctx, a1)
		if err := s.b.startJob(ctx, a2); err != nil {
			t.Fatal(err)
		}
		a1.Status, a2.Status = statusFinished, statusFinished
		if err := s.b.saveProgress(ctx, a1); err != errStale {
			t.Fatalf("progress of a stale attempt: %v", err)
		}
		if err := s.b.finishJob(ctx, a1, mark); err != errStale {
			t.Fatalf("finish of a stale attempt: %v", err)
		}
		if err := s.b.finishJob(ctx, a2, mark); err != nil {
			t.Fatal(err)
		}
		got, _ := s.b.job(ctx, j.SessionID, j.JobID)
		if got.Status != statusFinished || got.Attempt != 2 {
			t.Fatalf("job: %+v", got)
		}
	})
}

// TestJobTimeout: a job running past the job timeout fails with a message,
// on both stores, and is not tried again.
func TestJobTimeout(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store) {
		// Prepared with the default timeout (under the race detector the
		// documentation alone may take longer than the short one).
		o := options(t, st)
		s, c := startWith(t, o)
		sid := prepare(t, c)
		s.Close()
		o.JobTimeout = 500 * time.Millisecond
		s, c = startWith(t, o)
		slow := func(ctx context.Context, j *Job) { <-ctx.Done() }
		s.testHook.Store(&slow)
		path := "/api/v1/session/" + sid + "/classes/User/connid"
		j := c.wait(path, c.start(path))
		if j.Status != "failed" || len(j.Errors) != 1 || !strings.Contains(j.Errors[0], "longer than the job timeout (500ms)") {
			t.Fatalf("slow job: %+v", j)
		}
	})
}

// TestGracefulStop: a job running when the server is asked to stop
// finishes before it stops, on both stores.
func TestGracefulStop(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store) {
		o := options(t, st)
		s, c := startWith(t, o)
		sid := prepare(t, c)
		started := make(chan struct{})
		slow := func(ctx context.Context, j *Job) {
			close(started)
			select {
			case <-ctx.Done():
			case <-time.After(500 * time.Millisecond):
			}
		}
		s.testHook.Store(&slow)
		path := "/api/v1/session/" + sid + "/classes/User/connid"
		id := c.start(path)
		<-started
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Fatal(err)
		}
		_, c2 := startWith(t, o)
		if j := c2.wait(path, id); j.Status != "finished" || j.Result.Code == "" {
			t.Fatalf("the job running at the stop: %+v", j)
		}
	})
}
