package api

import (
	"net/http"
	"strings"
	"testing"
)

// TestSessionIDSpellings: urn:uuid:, braces and upper case name the same
// session and job, never a new one.
func TestSessionIDSpellings(t *testing.T) { forEachStore(t, testSessionIDSpellings) }

func testSessionIDSpellings(t *testing.T, st store) {
	_, c := startServer(t, st)
	sid := c.session()
	for _, spelling := range []string{"urn:uuid:" + sid, "{" + sid + "}", strings.ToUpper(sid)} {
		var e struct{ Detail string }
		if code := c.do("POST", "/api/v1/session/"+spelling, nil, &e); code != http.StatusConflict || !strings.Contains(e.Detail, sid) {
			t.Errorf("POST %s: %d %q, want 409 for the existing session", spelling, code, e.Detail)
		}
		var sess Session
		if code := c.do("GET", "/api/v1/session/"+spelling, nil, &sess); code != http.StatusOK || sess.ID != sid {
			t.Errorf("GET %s: %d %q", spelling, code, sess.ID)
		}
	}
	var created struct{ SessionID string }
	upper := "6F1C3A2E-8D4B-4C7A-9E2F-1A2B3C4D5E6F"
	if code := c.do("POST", "/api/v1/session/urn:uuid:"+upper, nil, &created); code != http.StatusCreated || created.SessionID != strings.ToLower(upper) {
		t.Errorf("a new session is created under its canonical id: %d %q", code, created.SessionID)
	}
	base := "/api/v1/session/" + sid
	var up struct{ JobID string }
	c.do("POST", base+"/documentation", upload(t, sampleDoc), &up)
	if j := c.wait(base+"/documentation/status", strings.ToUpper(up.JobID)); j.JobID != up.JobID {
		t.Errorf("a job found by its upper-case id: %+v", j)
	}
}

// TestTrailingGarbage: a JSON body with text after the value is refused.
func TestTrailingGarbage(t *testing.T) { forEachStore(t, testTrailingGarbage) }

func testTrailingGarbage(t *testing.T, st store) {
	_, c := startServer(t, st)
	sid := c.session()
	base := "/api/v1/session/" + sid
	var up struct{ JobID string }
	c.do("POST", base+"/documentation", upload(t, sampleDoc), &up)
	c.wait(base+"/documentation/status", up.JobID)
	c.wait(base+"/classes/User/attributes", c.start(base+"/classes/User/attributes"))
	for _, tc := range []struct{ method, path, body string }{
		{"POST", base + "/classes/User/attributes", "{}garbage"},
		{"POST", base + "/classes/User/attributes", "{}{}"},
		{"PUT", base + "/classes/User/connid", `{"code": "x"} trailing`},
	} {
		var e struct{ Detail string }
		if code := c.do(tc.method, tc.path, tc.body, &e); code != http.StatusUnprocessableEntity || !strings.Contains(e.Detail, "not JSON") {
			t.Errorf("%s %s %q: %d %q", tc.method, tc.path, tc.body, code, e.Detail)
		}
	}
	var ok map[string]string
	if code := c.do("PUT", base+"/classes/User/connid", "{\"code\": \"x\"}\n", &ok); code != http.StatusOK {
		t.Errorf("a body with a trailing newline is fine: %d %v", code, ok)
	}
}
