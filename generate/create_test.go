package generate

import (
	"errors"
	"strings"
	"testing"
)

const crudAPI = `openapi: 3.0.3
info: {title: crud, version: "1"}
paths:
  /accounts:
    get:
      responses:
        "200": {description: all, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Account"}}}}}
    post:
      requestBody: {content: {application/json: {schema: {$ref: "#/components/schemas/NewAccount"}}}}
      responses:
        "201": {description: created, content: {application/json: {schema: {$ref: "#/components/schemas/Account"}}}}
  /accounts/{accountId}:
    get:
      parameters: [{name: accountId, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: one, content: {application/json: {schema: {$ref: "#/components/schemas/Account"}}}}
    delete:
      parameters: [{name: accountId, in: path, required: true, schema: {type: string}}]
      responses:
        "204": {description: gone}
  /spaces/{space}/notes:
    post:
      parameters: [{name: space, in: path, required: true, schema: {type: string}}]
      requestBody: {content: {application/json: {schema: {$ref: "#/components/schemas/Note"}}}}
      responses:
        "201": {description: created, content: {application/json: {schema: {$ref: "#/components/schemas/Note"}}}}
  /notes/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: one, content: {application/json: {schema: {$ref: "#/components/schemas/Note"}}}}
components:
  schemas:
    Account:
      type: object
      properties:
        id: {type: string, readOnly: true}
        login: {type: string}
        mail: {type: string}
        created: {type: string, format: date-time, readOnly: true}
    NewAccount:
      type: object
      properties:
        login: {type: string}
        mail: {type: string}
    Note:
      type: object
      properties:
        id: {type: string, readOnly: true}
        title: {type: string}
`

func TestCreateAndDelete(t *testing.T) {
	dir := workspaceOf(t, map[string]string{"api.yaml": crudAPI})
	for _, k := range []Kind{KindNative, KindConnID} {
		for _, class := range []string{"Account", "Note"} {
			res := gen(t, load(t, dir), class, k, false)
			m := load(t, dir)
			if err := WriteFiles(res, m.Snapshot.Roots); err != nil {
				t.Fatal(err)
			}
		}
	}
	create := gen(t, load(t, dir), "Account", KindCreate, false)
	want := "endpoint(POST, \"/accounts\") {\n            request {\n                contentType APPLICATION_JSON\n            }\n            supportedAttributes \"login\", \"mail\"\n"
	if !strings.Contains(create.Code, want) {
		t.Errorf("create:\n%s\nwant\n%s", create.Code, want)
	}
	noErrors(t, writeAndCheck(t, dir, create))

	del := gen(t, load(t, dir), "Account", KindDelete, false)
	if !strings.Contains(del.Code, `endpoint(DELETE, "/accounts/{id}")`) {
		t.Errorf("delete: the UID's placeholder is {id}:\n%s", del.Code)
	}
	noErrors(t, writeAndCheck(t, dir, del))

	// A create under a parent has no value for the parent's placeholder.
	_, err := Generate(t.Context(), Request{Model: load(t, dir), Class: "Note", Kind: KindCreate})
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "needs {space}") {
		t.Errorf("create of Note: %v", err)
	}
	// No documented delete: nothing to generate from.
	_, err = Generate(t.Context(), Request{Model: load(t, dir), Class: "Note", Kind: KindDelete})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("delete of Note: %v", err)
	}
}
