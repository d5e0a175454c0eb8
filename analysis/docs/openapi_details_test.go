package docs

import (
	"reflect"
	"testing"
)

func TestOpenAPIDetails(t *testing.T) {
	d := Read("api.yaml", []byte(`openapi: 3.0.0
info: { title: t, version: "1" }
security:
  - token: []
paths:
  /users:
    get:
      parameters:
        - { name: page, in: query, schema: { type: integer }, description: "page number" }
        - { name: limit, in: query, schema: { type: integer } }
        - { name: X-Tenant, in: header, required: true, schema: { type: string } }
      responses:
        "200":
          description: ok
          headers:
            Link: { schema: { type: string } }
          content:
            application/json:
              schema:
                type: object
                properties:
                  total: { type: integer }
                  _embedded:
                    type: object
                    properties:
                      elements: { type: array, items: { $ref: "#/components/schemas/User" } }
  /groups:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { type: array, items: { $ref: "#/components/schemas/Group" } }
components:
  securitySchemes:
    token: { type: http, scheme: bearer, bearerFormat: JWT }
    key: { type: apiKey, in: header, name: X-API-Key }
    basic: { type: http, scheme: basic }
    cc:
      type: oauth2
      flows:
        clientCredentials: { tokenUrl: "https://auth.example.com/token", scopes: {} }
  schemas:
    User: { type: object, properties: { id: { type: string } } }
    Group: { type: object, properties: { id: { type: string } } }
`))
	if len(d.Problems) > 0 {
		t.Fatal(d.Problems)
	}
	byPath := map[string]*Endpoint{}
	for _, e := range d.Endpoints {
		byPath[e.Path] = e
	}
	users := byPath["/users"]
	if users.ResponseItems != "_embedded.elements" || users.ResponseArray || !reflect.DeepEqual(users.ResponseHeaders, []string{"Link"}) {
		t.Errorf("users response: %q %v %v", users.ResponseItems, users.ResponseArray, users.ResponseHeaders)
	}
	want := []Param{{Name: "page", In: "query", Type: "integer", Description: "page number"}, {Name: "limit", In: "query", Type: "integer"}, {Name: "X-Tenant", In: "header", Type: "string", Required: true}}
	if !reflect.DeepEqual(users.Params, want) {
		t.Errorf("params: %+v", users.Params)
	}
	if g := byPath["/groups"]; !g.ResponseArray || g.ResponseItems != "" {
		t.Errorf("groups: %+v", g)
	}
	var kinds []string
	for _, s := range d.Security {
		kinds = append(kinds, s.Name+":"+s.Type+":"+s.In+":"+s.Param+":"+s.Format+":"+s.TokenURL)
	}
	if !reflect.DeepEqual(kinds, []string{"token:bearer:::JWT:", "key:apiKey:header:X-API-Key::", "basic:basic::::", "cc:oauth2::::https://auth.example.com/token"}) {
		t.Errorf("schemes: %q", kinds)
	}
	if !reflect.DeepEqual(d.Secured, []string{"token"}) {
		t.Errorf("secured: %v", d.Secured)
	}

	sw := Read("sw.json", []byte(`{"swagger": "2.0", "info": {"title": "t", "version": "1"},
 "securityDefinitions": {"AuthorizationHeaderToken": {"type": "apiKey", "name": "Authorization", "in": "header"}, "BasicAuth": {"type": "basic"}},
 "security": [{"BasicAuth": []}, {"AuthorizationHeaderToken": []}],
 "paths": {"/orgs": {"get": {"parameters": [{"name": "page", "in": "query", "type": "integer"}],
   "responses": {"200": {"description": "ok", "schema": {"type": "array", "items": {"$ref": "#/definitions/Org"}}}}}}},
 "definitions": {"Org": {"type": "object", "properties": {"id": {"type": "integer"}}}}}`))
	if len(sw.Endpoints) != 1 || !sw.Endpoints[0].ResponseArray || len(sw.Endpoints[0].Params) != 1 || sw.Endpoints[0].Params[0].Type != "integer" {
		t.Errorf("swagger endpoint: %+v", sw.Endpoints)
	}
	if len(sw.Security) != 2 || sw.Security[0].Type != "apiKey" || sw.Security[1].Type != "basic" || !reflect.DeepEqual(sw.Secured, []string{"BasicAuth", "AuthorizationHeaderToken"}) {
		t.Errorf("swagger security: %+v %v", sw.Security, sw.Secured)
	}
}
