package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// codegenJob is a finished codegen job's result.
type codegenJob struct {
	Status string `json:"status"`
	Result struct {
		Code     string    `json:"code"`
		Notes    []string  `json:"notes"`
		Intent   string    `json:"intent"`
		Override bool      `json:"override"`
		Repaired bool      `json:"repaired"`
		Findings []Finding `json:"findings"`
		// SupportSearches are the scripts a relation's resolvers use.
		SupportSearches map[string]string `json:"supportSearches"`
	} `json:"result"`
	Errors []string `json:"errors"`
}

// run starts a codegen job with an optional input and waits for it.
func (c *client) run(path string, input any) codegenJob {
	c.t.Helper()
	var started struct {
		JobID  string `json:"jobId"`
		Detail string `json:"detail"`
	}
	if code := c.do("POST", path, input, &started); code != http.StatusOK {
		c.t.Fatalf("POST %s: %d %s", path, code, started.Detail)
	}
	c.wait(strings.SplitN(path, "?", 2)[0], started.JobID)
	var j codegenJob
	c.do("GET", strings.SplitN(path, "?", 2)[0]+"?jobId="+started.JobID, nil, &j)
	return j
}

// TestCodegen: the service's codegen steps beyond connid and update, end
// to end: prerequisites, native schema, the three search intents,
// create, delete, preferred endpoints, overrides, the authorization, and
// the repair of a script from midPoint's errors.
func TestCodegen(t *testing.T) { forEachStore(t, testCodegen) }

func testCodegen(t *testing.T, st store) {
	_, c := startServer(t, st)
	sid := c.session()
	doc := c.wait("/api/v1/session/"+sid+"/documentation/status", c.startUpload(sid, sampleDoc))
	if doc.Status != "finished" {
		t.Fatalf("documentation: %+v", doc)
	}
	gen := "/api/v1/codegen/" + sid
	class := gen + "/classes/User"

	var e struct{ Detail string }
	if code := c.do("POST", class+"/native-schema", nil, &e); code != http.StatusNotFound ||
		e.Detail != fmt.Sprintf("No attributes found for User in session %s. Please run /classes/User/attributes endpoint first.", sid) {
		t.Fatalf("native schema before attributes: %d %q", code, e.Detail)
	}
	c.wait("/api/v1/digester/"+sid+"/classes/User/attributes", c.start("/api/v1/digester/"+sid+"/classes/User/attributes"))
	if code := c.do("POST", class+"/search/all", nil, &e); code != http.StatusNotFound || !strings.Contains(e.Detail, "/classes/User/endpoints") {
		t.Fatalf("search before endpoints: %d %q", code, e.Detail)
	}

	native := c.run(class+"/native-schema", nil)
	if native.Status != "finished" || !strings.Contains(native.Result.Code, `objectClass("User")`) || !strings.Contains(native.Result.Code, `attribute("login")`) {
		t.Fatalf("native schema: %+v", native)
	}
	c.wait("/api/v1/digester/"+sid+"/classes/User/endpoints", c.start("/api/v1/digester/"+sid+"/classes/User/endpoints"))

	// Each intent answers with the class's one search block and says
	// where its part is.
	for _, intent := range []string{"all", "filter", "id"} {
		j := c.run(class+"/search/"+intent, nil)
		if j.Status != "finished" || j.Result.Intent != intent || !strings.Contains(j.Result.Code, `endpoint("/users")`) ||
			!strings.Contains(j.Result.Code, "singleResult()") || !strings.Contains(strings.Join(j.Result.Notes, "\n"), "intent "+intent+":") {
			t.Fatalf("search/%s: %+v", intent, j)
		}
	}
	if code := c.do("POST", class+"/search/everything", nil, &e); code != http.StatusUnprocessableEntity || !strings.Contains(e.Detail, "all, filter, id") {
		t.Fatalf("an unknown intent: %d %q", code, e.Detail)
	}
	// A job is found only under the intent that started it.
	var started struct{ JobID string }
	c.do("POST", class+"/search/id", nil, &started)
	c.wait(class+"/search/id", started.JobID)
	if code := c.do("GET", class+"/search/all?jobId="+started.JobID, nil, &e); code != http.StatusNotFound {
		t.Fatalf("a search/id job under search/all: %d", code)
	}

	create := c.run(class+"/create", nil)
	if create.Status != "finished" || !strings.Contains(create.Result.Code, `"/users"`) || !strings.Contains(create.Result.Code, "create") {
		t.Fatalf("create: %+v", create)
	}
	del := c.run(class+"/delete", nil)
	if del.Status != "finished" || !strings.Contains(del.Result.Code, `"/users/{id}"`) {
		t.Fatalf("delete: %+v", del)
	}

	// Preferred endpoints focus the choice; one not documented is named.
	pref := c.run(class+"/search/all?skipCache=true", map[string]any{"preferredEndpoints": []map[string]string{
		{"method": "GET", "path": "/users/{userId}"}, {"method": "GET", "path": "/people"},
	}})
	if pref.Status != "finished" || !strings.Contains(strings.Join(pref.Result.Notes, "\n"), "preferred endpoint GET /people is not documented for User") {
		t.Fatalf("preferred endpoints: %+v", pref)
	}
	if code := c.do("POST", class+"/create", `{"preferredEndpoints": [{"path": "users"}]}`, &e); code != http.StatusUnprocessableEntity {
		t.Fatalf("a preferred endpoint without a method: %d %q", code, e.Detail)
	}

	// An override is kept, as for connid.
	hand := "objectClass(\"User\") {\n    delete {\n        endpoint(\"/users/{id}\") {\n        }\n    }\n}\n"
	var ov map[string]string
	if code := c.do("PUT", class+"/delete", map[string]string{"code": hand}, &ov); code != http.StatusOK || ov["message"] != "Delete for User overridden successfully" {
		t.Fatalf("override: %d %v", code, ov)
	}
	if kept := c.run(class+"/delete", nil); kept.Result.Code != hand || !kept.Result.Override {
		t.Fatalf("the override was replaced: %+v", kept.Result)
	}

	// A repair: the script midPoint failed on, and its error.
	broken := "objectClass(\"User\") {\n    attribute(\"login\") {\n        jsonType \"string\"\n    }\n    attribute(\"nickname\") {\n        jsonTyp \"string\"\n    }\n}\n"
	errs := []string{"groovy.lang.MissingMethodException: No signature of method: com.evolveum.polygon.scimrest.groovy.RestAttributeBuilder.jsonTyp() is applicable for argument types: (String) values: [string]",
		"\tat User_native_schema.run(User.native.schema.groovy:6)"}
	rep := c.run(class+"/native-schema", map[string]any{"currentScript": broken, "midpointErrors": errs})
	if rep.Status != "finished" {
		t.Fatalf("repair: %+v", rep)
	}
	if !rep.Result.Repaired || !strings.Contains(rep.Result.Code, "jsonType \"string\"\n    }\n}") || strings.Contains(rep.Result.Code, "jsonTyp ") {
		t.Fatalf("repair did not fix the name midPoint reported: %+v", rep.Result)
	}
	var sess Session
	c.do("GET", "/api/v1/session/"+sid, nil, &sess)
	if n := sess.Classes["User"].Native; n == nil || n.Code != rep.Result.Code || !n.Override {
		t.Fatalf("the repaired script is not the session's native schema: %+v", n)
	}
	// connid and update take the same input.
	mapping := "objectClass(\"User\") {\n    connIdAttribute(\"UUID\", \"id\")\n    connIdAttribute(\"NAME\", \"login\")\n}\n"
	cr := c.run("/api/v1/session/"+sid+"/classes/User/connid", map[string]any{"currentScript": mapping,
		"midpointErrors": []string{"java.lang.IllegalArgumentException: No such built-in ConnID attribute: UUID"}})
	if cr.Status != "finished" || cr.Result.Code != mapping || len(cr.Result.Findings) == 0 {
		t.Fatalf("connid repair: %+v", cr)
	}
	if f := cr.Result.Findings[0]; f.Code != "midpoint-error" || f.Line != 2 || !strings.Contains(f.Message, "connid-name rule finds it too") {
		t.Fatalf("connid repair finding: %+v", cr.Result.Findings)
	}
	for _, f := range cr.Result.Findings[1:] {
		if f.Code == "connid-name" {
			t.Fatalf("the static finding midPoint confirmed is reported twice: %+v", cr.Result.Findings)
		}
	}
	if code := c.do("POST", class+"/update", map[string]any{"midpointErrors": []string{"Unknown attribute: x"}}, &e); code != http.StatusUnprocessableEntity ||
		!strings.Contains(e.Detail, "send it as currentScript") {
		t.Fatalf("errors about a script the session does not have: %d %q", code, e.Detail)
	}
	if code := c.do("POST", gen+"/classes/Group/create", nil, &e); code != http.StatusNotFound {
		t.Fatalf("create of a class without attributes: %d", code)
	}

	// midPoint's errors need a script: the session's is used.
	ok := c.run(class+"/search/filter", map[string]any{"midpointErrors": []string{"java.lang.IllegalStateException: Multiple default endpoints are not supported"}})
	if ok.Status != "finished" || ok.Result.Code == "" {
		t.Fatalf("errors about the session's search: %+v", ok)
	}

	// The connector's own code: the authorization from the security
	// schemes, relations stored by hand and repaired.
	if code := c.do("POST", gen+"/authorization", nil, &e); code != http.StatusOK {
		t.Fatalf("authorization: %d %q", code, e.Detail)
	}
	c.wait("/api/v1/session/"+sid+"/documentation/status", c.startUpload(sid, filepath.Join("testdata", "widgets.yaml")))
	auth := c.run(gen+"/authorization", nil)
	if auth.Status != "finished" || !strings.Contains(auth.Result.Code, "X-Api-Key") {
		t.Fatalf("authorization: %+v", auth)
	}
	if j := c.run(gen+"/relations/user_to_group", nil); j.Status != "failed" || !strings.Contains(strings.Join(j.Errors, " "), "No relationship found") {
		t.Fatalf("a relation the documentation does not show: %+v", j)
	}
	rel := "objectClass(\"User\") {\n    reference(\"groups\") {\n        subject(\"User\")\n    }\n}\n"
	if code := c.do("PUT", gen+"/relations/user_to_group", map[string]string{"code": rel}, &ov); code != http.StatusOK || ov["relationName"] != "user_to_group" {
		t.Fatalf("relation override: %d %v", code, ov)
	}
	kept := c.run(gen+"/relations/user_to_group", nil)
	if kept.Status != "finished" || kept.Result.Code != rel {
		t.Fatalf("relation: %+v", kept)
	}
	c.do("GET", "/api/v1/session/"+sid, nil, &sess)
	if sess.Relations["user_to_group"] == nil || sess.Authorization == nil || !strings.Contains(sess.Authorization.Code, "X-Api-Key") {
		t.Fatalf("the session's connector code: %+v %+v", sess.Relations, sess.Authorization)
	}
	if code := c.do("POST", gen+"/relations/user_to_group", `{"midpointErrors": "not a list"}`, &e); code != http.StatusUnprocessableEntity {
		t.Fatalf("a malformed input: %d %q", code, e.Detail)
	}
	raw, _ := json.Marshal(sess)
	if strings.Contains(string(raw), `"input"`) {
		t.Fatalf("a job's input leaked into the session: %s", raw)
	}
}

// startUpload uploads a document to a session and returns the job.
func (c *client) startUpload(sid, file string) string {
	c.t.Helper()
	var up struct {
		JobID string `json:"jobId"`
	}
	if code := c.do("POST", "/api/v1/session/"+sid+"/documentation", upload(c.t, file), &up); code != http.StatusOK {
		c.t.Fatalf("upload %s: %d", file, code)
	}
	return up.JobID
}

// TestCodegenRelations: a relation the documentation shows (GET
// /teams/{id}/members) is generated with its support search, from the
// session's schemas and mappings.
func TestCodegenRelations(t *testing.T) { forEachStore(t, testCodegenRelations) }

func testCodegenRelations(t *testing.T, st store) {
	_, c := startServer(t, st)
	sid := c.session()
	if doc := c.wait("/api/v1/session/"+sid+"/documentation/status", c.startUpload(sid, filepath.Join("testdata", "teams.yaml"))); doc.Status != "finished" {
		t.Fatalf("documentation: %+v", doc)
	}
	for _, class := range []string{"User", "Team"} {
		base := "/api/v1/session/" + sid + "/classes/" + class
		if j := c.wait(base+"/attributes", c.start(base+"/attributes")); j.Status != "finished" {
			t.Fatalf("attributes of %s: %+v", class, j)
		}
		if j := c.wait(base+"/connid", c.start(base+"/connid")); j.Status != "finished" {
			t.Fatalf("connid of %s: %+v", class, j)
		}
	}
	j := c.run("/api/v1/codegen/"+sid+"/relations/UserTeamMembership", nil)
	if j.Status != "finished" || !strings.Contains(j.Result.Code, `relationship("UserTeamMembership")`) || len(j.Result.SupportSearches) != 1 {
		t.Fatalf("relation: %+v", j)
	}
	for name, code := range j.Result.SupportSearches {
		if !strings.HasSuffix(name, ".support.search.groovy") || !strings.Contains(code, `endpoint("/teams/{id}/members")`) {
			t.Errorf("support search %s:\n%s", name, code)
		}
	}
}
