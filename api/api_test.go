package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// client talks to a test server over real HTTP on loopback.
type client struct {
	t     testing.TB
	base  string
	token string // sent as a bearer token when set
}

// store is a backend the contract tests run against.
type store string

const (
	boltStore     store = "bbolt"
	postgresStore store = "postgres"
)

// forEachStore runs a contract test against bbolt and against PostgreSQL.
func forEachStore(t *testing.T, test func(t *testing.T, st store)) {
	for _, st := range []store{boltStore, postgresStore} {
		t.Run(string(st), func(t *testing.T) {
			t.Parallel()
			test(t, st)
		})
	}
}

// options are a new server's options on a fresh store.
func options(t testing.TB, st store) Options {
	if st == postgresStore {
		return Options{Database: cluster(t).Database(t), Workers: 4}
	}
	return Options{Data: t.TempDir(), Workers: 4}
}

func startServer(t testing.TB, st store) (*Server, *client) {
	return startWith(t, options(t, st))
}

// startWith starts a server and waits until it is ready.
func startWith(t testing.TB, o Options) (*Server, *client) {
	t.Helper()
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	t.Cleanup(func() {
		hs.Close()
		s.Close()
	})
	waitReady(t, s)
	return s, &client{t: t, base: hs.URL}
}

func waitReady(t testing.TB, s *Server) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := s.b.ready(context.Background())
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// do sends a request and decodes the JSON answer; it returns the status.
func (c *client) do(method, path string, body any, out any) int {
	c.t.Helper()
	var r io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case *multipartBody:
		r, ctype = &b.buf, b.ctype
	case string:
		r, ctype = strings.NewReader(b), "application/json"
	default:
		data, _ := json.Marshal(b)
		r, ctype = bytes.NewReader(data), "application/json"
	}
	req, err := http.NewRequest(method, c.base+path, r)
	if err != nil {
		c.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			c.t.Fatalf("%s %s: %d %s: %v", method, path, resp.StatusCode, data, err)
		}
	}
	return resp.StatusCode
}

type multipartBody struct {
	buf   bytes.Buffer
	ctype string
}

func upload(t testing.TB, files ...string) *multipartBody {
	b := &multipartBody{}
	w := multipart.NewWriter(&b.buf)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		part, _ := w.CreateFormFile("documentation", filepath.Base(f))
		part.Write(data)
	}
	w.Close()
	b.ctype = w.FormDataContentType()
	return b
}

// bigUpload is a multipart upload of one file of n bytes.
func bigUpload(t testing.TB, n int) *multipartBody {
	b := &multipartBody{}
	w := multipart.NewWriter(&b.buf)
	part, _ := w.CreateFormFile("documentation", "big.md")
	part.Write(bytes.Repeat([]byte("# big\n"), n/6))
	w.Close()
	b.ctype = w.FormDataContentType()
	return b
}

type jobView struct {
	JobID     string   `json:"jobId"`
	Status    string   `json:"status"`
	CreatedAt string   `json:"createdAt"`
	StartedAt *string  `json:"startedAt"`
	UpdatedAt string   `json:"updatedAt"`
	Progress  Progress `json:"progress"`
	Result    struct {
		Code       string                     `json:"code"`
		Override   bool                       `json:"override"`
		Attributes map[string]json.RawMessage `json:"attributes"`
		Endpoints  []EndpointInfo             `json:"endpoints"`
		Classes    []string                   `json:"objectClasses"`
	} `json:"result"`
	Errors []string `json:"errors"`
}

// wait polls a job until it ends. The deadline is generous: under the
// race detector, on a busy machine, 200 jobs take a while.
func (c *client) wait(path, jobID string) jobView {
	c.t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		var j jobView
		if code := c.do("GET", path+"?jobId="+jobID, nil, &j); code != http.StatusOK {
			c.t.Fatalf("GET %s: %d", path, code)
		}
		if j.Status == "finished" || j.Status == "failed" {
			return j
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("job %s still %s", jobID, j.Status)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (c *client) start(path string) string {
	c.t.Helper()
	var out struct {
		JobID  string `json:"jobId"`
		Detail string `json:"detail"`
	}
	if code := c.do("POST", path, nil, &out); code != http.StatusOK {
		c.t.Fatalf("POST %s: %d %s", path, code, out.Detail)
	}
	return out.JobID
}

func (c *client) session() string {
	c.t.Helper()
	var out struct{ SessionID, Message string }
	if code := c.do("POST", "/api/v1/session", nil, &out); code != http.StatusCreated || out.SessionID == "" {
		c.t.Fatalf("create session: %d %+v", code, out)
	}
	return out.SessionID
}

var sampleDoc = filepath.Join("..", "testdata", "ticketdesk", "docs", "openapi.yaml")

// TestFlow: upload docs, attributes, endpoints, connid, update, override,
// regeneration that keeps the override, fresh regeneration; the seed's
// paths and the service's, the seed's messages.
func TestFlow(t *testing.T) { forEachStore(t, testFlow) }

func testFlow(t *testing.T, st store) {
	_, c := startServer(t, st)
	sid := c.session()
	base := "/api/v1/session/" + sid

	var up struct {
		JobID  string   `json:"jobId"`
		DocIDs []string `json:"docIds"`
	}
	if code := c.do("POST", base+"/documentation", upload(t, sampleDoc), &up); code != http.StatusOK || len(up.DocIDs) != 1 {
		t.Fatalf("upload: %d %+v", code, up)
	}
	doc := c.wait(base+"/documentation/status", up.JobID)
	if doc.Status != "finished" || !strings.Contains(strings.Join(doc.Result.Classes, ","), "User") {
		t.Fatalf("documentation job: %+v", doc)
	}

	// Prerequisites, with the seed's messages.
	var e struct{ Detail string }
	if code := c.do("POST", base+"/classes/User/connid", nil, &e); code != http.StatusNotFound ||
		e.Detail != fmt.Sprintf("No attributes found for User in session %s. Please run /classes/User/attributes endpoint first.", sid) {
		t.Fatalf("connid before attributes: %d %q", code, e.Detail)
	}

	attrs := c.wait(base+"/classes/User/attributes", c.start(base+"/classes/User/attributes"))
	if attrs.Status != "finished" || attrs.Result.Attributes["login"] == nil || attrs.StartedAt == nil || attrs.CreatedAt == "" {
		t.Fatalf("attributes job: %+v", attrs)
	}
	if code := c.do("POST", base+"/classes/User/update", nil, &e); code != http.StatusNotFound ||
		e.Detail != fmt.Sprintf("No endpoints found for User in session %s. Please run /classes/User/endpoints endpoint first.", sid) {
		t.Fatalf("update before endpoints: %d %q", code, e.Detail)
	}
	// The service's current layout, same handlers.
	eps := c.wait("/api/v1/digester/"+sid+"/classes/User/endpoints", c.start("/api/v1/digester/"+sid+"/classes/User/endpoints"))
	if eps.Status != "finished" || len(eps.Result.Endpoints) == 0 {
		t.Fatalf("endpoints job: %+v", eps)
	}

	connid := c.wait(base+"/classes/User/connid", c.start(base+"/classes/User/connid"))
	if connid.Status != "finished" || !strings.Contains(connid.Result.Code, `connIdAttribute("UID", "id")`) || !strings.Contains(connid.Result.Code, `connIdAttribute("NAME", "login")`) {
		t.Fatalf("connid job: %+v", connid)
	}
	update := c.wait("/api/v1/codegen/"+sid+"/classes/User/update", c.start("/api/v1/codegen/"+sid+"/classes/User/update"))
	if update.Status != "finished" || !strings.Contains(update.Result.Code, `endpoint(PATCH, "/users/{id}")`) {
		t.Fatalf("update job: %+v", update)
	}
	if update.Progress.TotalDocuments == 0 || update.Progress.ProcessedDocuments != update.Progress.TotalDocuments {
		t.Fatalf("update progress: %+v", update.Progress)
	}

	// Override, then a regeneration that keeps it, then a fresh one.
	hand := "objectClass(\"User\") {\n    connIdAttribute(\"UID\", \"id\")\n    connIdAttribute(\"NAME\", \"email\")\n}\n"
	var ov map[string]string
	if code := c.do("PUT", base+"/classes/User/connid", map[string]string{"code": hand}, &ov); code != http.StatusOK ||
		ov["message"] != "ConnID for User overridden successfully" || ov["sessionId"] != sid || ov["objectClass"] != "User" {
		t.Fatalf("override: %d %v", code, ov)
	}
	kept := c.wait(base+"/classes/User/connid", c.start(base+"/classes/User/connid"))
	if kept.Result.Code != hand || !kept.Result.Override {
		t.Fatalf("the override was replaced: %+v", kept.Result)
	}
	fresh := c.wait(base+"/classes/User/connid", c.start(base+"/classes/User/connid?usePreviousSessionData=false"))
	if !strings.Contains(fresh.Result.Code, `"NAME", "login"`) || fresh.Result.Override {
		t.Fatalf("fresh regeneration: %+v", fresh.Result)
	}

	// The session holds it all.
	var sess Session
	if code := c.do("GET", base, nil, &sess); code != http.StatusOK || sess.Classes["User"] == nil || sess.Classes["User"].Update == nil {
		t.Fatalf("session: %d %+v", code, sess)
	}
	var jobs struct{ Jobs []jobView }
	c.do("GET", base+"/jobs", nil, &jobs)
	if len(jobs.Jobs) != 7 { // documentation, attributes, endpoints, connid, update, connid twice more
		t.Fatalf("%d jobs listed", len(jobs.Jobs))
	}
	if code := c.do("DELETE", base, nil, nil); code != http.StatusOK {
		t.Fatalf("delete: %d", code)
	}
	if code := c.do("GET", base, nil, &e); code != http.StatusNotFound || e.Detail != fmt.Sprintf("Session with ID %s not found.", sid) {
		t.Fatalf("deleted session: %d %q", code, e.Detail)
	}
}

func TestBadInput(t *testing.T) { forEachStore(t, testBadInput) }

func testBadInput(t *testing.T, st store) {
	_, c := startServer(t, st)
	sid := c.session()
	base := "/api/v1/session/" + sid
	c.wait(base+"/documentation/status", func() string {
		var up struct{ JobID string }
		c.do("POST", base+"/documentation", upload(t, sampleDoc), &up)
		return up.JobID
	}())
	for _, tc := range []struct {
		method, path string
		body         any
		code         int
		detail       string
	}{
		{"GET", "/api/v1/session/not-a-uuid", nil, 422, `session_id must be a UUID, not "not-a-uuid"`},
		{"GET", "/api/v1/session/6f1c3a2e-8d4b-4c7a-9e2f-1a2b3c4d5e6f", nil, 404, "Session with ID 6f1c3a2e-8d4b-4c7a-9e2f-1a2b3c4d5e6f not found."},
		{"POST", base + "/classes/Spaceship/attributes", nil, 404, "Object class Spaceship not found in the documentation"},
		{"GET", base + "/classes/User/connid?jobId=42", nil, 422, `jobId must be a UUID, not "42"`},
		{"GET", base + "/classes/User/connid?jobId=6f1c3a2e-8d4b-4c7a-9e2f-1a2b3c4d5e6f", nil, 404, "Job 6f1c3a2e-8d4b-4c7a-9e2f-1a2b3c4d5e6f not found"},
		{"POST", base + "/classes/User/attributes?usePreviousSessionData=maybe", nil, 422, "usePreviousSessionData must be true or false"},
		{"POST", base + "/classes/User/attributes", "{not json", 422, "the request body is not JSON"},
		{"PUT", base + "/classes/User/connid", "{}", 422, `needs {"code": "..."}`},
		{"POST", base + "/documentation", `{"documentation": "x"}`, 422, "multipart/form-data"},
		{"POST", base + "/documentation", bigUpload(t, maxUploadBytes+1<<20), 413, "larger than 32 MB"},
		{"POST", "/api/v1/session/6f1c3a2e-8d4b-4c7a-9e2f-1a2b3c4d5e6f/classes/User/connid", nil, 404, "Session with ID 6f1c3a2e-8d4b-4c7a-9e2f-1a2b3c4d5e6f not found."},
	} {
		var e struct{ Detail string }
		if code := c.do(tc.method, tc.path, tc.body, &e); code != tc.code || !strings.Contains(e.Detail, tc.detail) {
			t.Errorf("%s %s: %d %q; want %d %q", tc.method, tc.path, code, e.Detail, tc.code, tc.detail)
		}
	}
}

// TestRestart: what a session holds survives a restart, and a job that
// was running when the server stopped is failed, not lost in "running".
func TestRestart(t *testing.T) {
	data := t.TempDir()
	s, c := startWith(t, Options{Data: data, Workers: 4})
	sid := c.session()
	base := "/api/v1/session/" + sid
	var up struct{ JobID string }
	c.do("POST", base+"/documentation", upload(t, sampleDoc), &up)
	c.wait(base+"/documentation/status", up.JobID)
	c.wait(base+"/classes/User/attributes", c.start(base+"/classes/User/attributes"))
	connid := c.wait(base+"/classes/User/connid", c.start(base+"/classes/User/connid"))
	// A job caught running by the stop.
	stuck := &Job{SessionID: sid, Kind: kindConnID, ObjectClass: "User", Status: "running", JobID: "0b7d9a52-3c1e-4f6a-8b2d-9e8f7a6b5c4d", CreatedAt: now(), UpdatedAt: now()}
	if err := s.b.(*boltBackend).db.Update(func(tx *bolt.Tx) error { return putJob(tx, stuck) }); err != nil {
		t.Fatal(err)
	}
	s.Close()

	_, c2 := startWith(t, Options{Data: data, Workers: 4})
	var sess Session
	if code := c2.do("GET", base, nil, &sess); code != http.StatusOK || sess.Classes["User"].ConnID.Code != connid.Result.Code {
		t.Fatalf("after restart: %d %+v", code, sess.Classes["User"])
	}
	var j jobView
	c2.do("GET", base+"/classes/User/connid?jobId="+stuck.JobID, nil, &j)
	if j.Status != "failed" || len(j.Errors) == 0 {
		t.Fatalf("interrupted job: %+v", j)
	}
	// The restarted server still works.
	if again := c2.wait(base+"/classes/User/connid", c2.start(base+"/classes/User/connid")); again.Result.Code != connid.Result.Code {
		t.Fatalf("after restart: %+v", again)
	}
}

// TestConcurrentSessions: 50 sessions at once, each through the whole
// flow with its own document; no result is lost or lands in another
// session.
func TestConcurrentSessions(t *testing.T) { forEachStore(t, testConcurrentSessions) }

func testConcurrentSessions(t *testing.T, st store) {
	_, c := startServer(t, st)
	src, err := os.ReadFile(sampleDoc)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	const n = 50
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			// Each session's User has a differently named e-mail attribute.
			email := fmt.Sprintf("email%02d", i)
			doc := filepath.Join(dir, fmt.Sprintf("api%02d.yaml", i))
			os.WriteFile(doc, bytes.ReplaceAll(src, []byte("email"), []byte(email)), 0o644)
			sid := c.session()
			base := "/api/v1/session/" + sid
			var up struct{ JobID string }
			c.do("POST", base+"/documentation", upload(t, doc), &up)
			c.wait(base+"/documentation/status", up.JobID)
			attrs := c.wait(base+"/classes/User/attributes", c.start(base+"/classes/User/attributes"))
			for name := range attrs.Result.Attributes {
				if strings.HasPrefix(name, "email") && name != email {
					errs <- fmt.Errorf("session %d has %s", i, name)
				}
			}
			if attrs.Result.Attributes[email] == nil {
				errs <- fmt.Errorf("session %d lacks %s", i, email)
			}
			got := c.wait(base+"/classes/User/connid", c.start(base+"/classes/User/connid"))
			if got.Status != "finished" || !strings.Contains(got.Result.Code, `connIdAttribute("NAME", "login")`) {
				errs <- fmt.Errorf("session %d: %s %q", i, got.Status, got.Result.Code)
			}
			var sess Session
			c.do("GET", base, nil, &sess)
			if st := sess.Classes["User"]; st == nil || st.ConnID == nil || st.ConnID.Code != got.Result.Code || st.Attributes[email].Type == "" {
				errs <- fmt.Errorf("session %d stored %+v", i, st)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestOpenAPIDescribesRoutes: every operation the description lists is
// served, and the server answers nothing it does not describe.
func TestOpenAPIDescribesRoutes(t *testing.T) { forEachStore(t, testOpenAPIDescribesRoutes) }

func testOpenAPIDescribesRoutes(t *testing.T, st store) {
	_, c := startServer(t, st)
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if code := c.do("GET", "/openapi.json", nil, &doc); code != http.StatusOK {
		t.Fatal(code)
	}
	sid := c.session()
	described := 0
	for path, ops := range doc.Paths {
		p := strings.NewReplacer("{session_id}", sid, "{object_class}", "User").Replace(path)
		for method := range ops {
			req, _ := http.NewRequest(strings.ToUpper(method), c.base+p, nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusMethodNotAllowed || (resp.StatusCode == http.StatusNotFound && strings.Contains(string(body), `"Not Found"`)) {
				t.Errorf("%s %s is described but not served: %d", method, path, resp.StatusCode)
			}
			described++
		}
	}
	if described < 30 {
		t.Fatalf("only %d operations described", described)
	}
	var e struct{ Detail string }
	if code := c.do("GET", "/api/v1/nothing", nil, &e); code != http.StatusNotFound || e.Detail != "Not Found" {
		t.Fatalf("an undescribed path: %d %q", code, e.Detail)
	}
	if code := c.do("PATCH", "/api/v1/session", nil, &e); code != http.StatusMethodNotAllowed || e.Detail != "Method Not Allowed" {
		t.Fatalf("a wrong method: %d %q", code, e.Detail)
	}
}

// TestJobsWriteNothing: a job lays its session's files out in memory;
// the data directory holds the database and nothing else.
func TestJobsWriteNothing(t *testing.T) {
	dir := t.TempDir()
	_, c := startWith(t, Options{Data: dir, Workers: 2})
	sid := c.session()
	base := "/api/v1/session/" + sid
	var up struct {
		JobID string `json:"jobId"`
	}
	if code := c.do("POST", base+"/documentation", upload(t, sampleDoc), &up); code != http.StatusOK {
		t.Fatalf("upload: %d", code)
	}
	if j := c.wait(base+"/documentation/status", up.JobID); j.Status != "finished" {
		t.Fatalf("documentation job: %+v", j)
	}
	if j := c.wait(base+"/classes/User/attributes", c.start(base+"/classes/User/attributes")); j.Status != "finished" {
		t.Fatalf("attributes job: %+v", j)
	}
	if j := c.wait(base+"/classes/User/connid", c.start(base+"/classes/User/connid")); j.Status != "finished" {
		t.Fatalf("connid job: %+v", j)
	}
	var names []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && p != dir {
			names = append(names, strings.TrimPrefix(p, dir+string(filepath.Separator)))
		}
		return nil
	})
	if len(names) != 1 || !strings.HasSuffix(names[0], ".db") {
		t.Errorf("the data directory holds %v, want only the database", names)
	}
}
