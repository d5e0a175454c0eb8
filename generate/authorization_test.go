package generate

import (
	"errors"
	"strings"
	"testing"
)

func securedAPI(schemes, security string) string {
	return `openapi: 3.0.3
info: {title: secured, version: "1"}
paths:
  /users:
    get:
      responses:
        "200": {description: all, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/User"}}}}}
components:
  schemas:
    User:
      type: object
      properties:
        id: {type: string, readOnly: true}
        name: {type: string}
  securitySchemes:
` + schemes + security
}

func TestAuthorizationSchemes(t *testing.T) {
	for _, tc := range []struct {
		name, schemes, security string
		want                    []string
		not                     []string
	}{
		{"bearer", "    jwt: {type: http, scheme: bearer, bearerFormat: JWT}\n", "", []string{"// jwt (api.yaml): Authorization: Bearer with restTokenValue", "preference bearer\n"}, []string{"apiKey {"}},
		{"basic", "    pw: {type: http, scheme: basic}\n", "", []string{"HTTP Basic with restUsername and restPassword", "preference basic\n"}, nil},
		{"api key header", "    key: {type: apiKey, in: header, name: X-API-Key}\n", "", []string{`request.header("X-API-Key", decrypt(configuration.restApiKey))`, "preference apiKey\n"}, nil},
		{"api key query", "    key: {type: apiKey, in: query, name: api_key}\n", "", []string{`request.queryParameter("api_key", decrypt(configuration.restApiKey))`}, nil},
		{"token prefix", "    tok: {type: apiKey, in: header, name: Authorization, description: 'Tokens must be prefixed with \"token\" and a space.'}\n", "", []string{`request.header("Authorization", "token " + decrypt(configuration.restApiKey))`}, nil},
		{"oauth2 client credentials", "    oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://id.example.com/token', scopes: {}}, authorizationCode: {authorizationUrl: 'https://id.example.com/auth', tokenUrl: 'https://id.example.com/token', scopes: {}}}}\n", "",
			[]string{"OAuth2 client credentials, built into the framework; tokens from https://id.example.com/token", "preference oauth2ClientCredentials\n"}, nil},
		{"only what operations require, tokens first", "    pw: {type: http, scheme: basic}\n    jwt: {type: http, scheme: bearer}\n    old: {type: apiKey, in: query, name: token}\n", "security: [{jwt: []}, {pw: []}]\n",
			[]string{"preference bearer, basic\n"}, []string{"apiKey"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := workspaceOf(t, map[string]string{"api.yaml": securedAPI(tc.schemes, tc.security)})
			res := gen(t, load(t, dir), "", KindAuthorization, false)
			for _, w := range tc.want {
				if !strings.Contains(res.Code, w) {
					t.Errorf("lacks %q in\n%s", w, res.Code)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(res.Code, w) {
					t.Errorf("has %q in\n%s", w, res.Code)
				}
			}
			if res.Changes[0].Path != "authorization.op.groovy" {
				t.Errorf("written to %s", res.Changes[0].Path)
			}
			noErrors(t, writeAndCheck(t, dir, res))
		})
	}
}

// TestAuthorizationNothingDocumented: no scheme, nothing to generate
// from (never an empty preference).
func TestAuthorizationNothingDocumented(t *testing.T) {
	for _, schemes := range []string{"    {}\n", "    web: {type: apiKey, in: cookie, name: session}\n"} {
		dir := workspaceOf(t, map[string]string{"api.yaml": securedAPI(schemes, "")})
		m := load(t, dir)
		_, err := Generate(t.Context(), Request{Model: m, Unit: m.Units[0], Kind: KindAuthorization})
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("%q: err = %v", schemes, err)
		}
	}
}

// The authorization script is the one the manifest lists as such, whatever
// its name: generating again edits it instead of adding an
// authorization.op.groovy the framework would not load.
func TestAuthorizationListedScript(t *testing.T) {
	dir := workspaceOf(t, map[string]string{
		"api.yaml": securedAPI("    jwt: {type: http, scheme: bearer}\n", ""),
		"connector.manifest.json": `{"connector": {"authorization": [{"script": "/auth/Login.groovy"}],
  "schema": [{"script": "/User.native.schema.groovy"}]}}`,
		"auth/Login.groovy":         "authentication {\n}\n",
		"User.native.schema.groovy": "objectClass(\"User\") {\n    attribute(\"id\") { jsonType \"string\" }\n}\n",
	})
	res := gen(t, load(t, dir), "", KindAuthorization, false)
	if len(res.Changes) != 1 || res.Changes[0].Path != "auth/Login.groovy" {
		var paths []string
		for _, c := range res.Changes {
			paths = append(paths, c.Path)
		}
		t.Fatalf("changes %v, want auth/Login.groovy alone", paths)
	}
}
