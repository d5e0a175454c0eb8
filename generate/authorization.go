package generate

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/analysis/dsl"
)

// AuthPlan is the decided authentication of a connector: one block per
// kind of scheme the description declares, in the order to try them.
type AuthPlan struct {
	Schemes []AuthScheme `json:"schemes"`
}

// AuthScheme is one way to authenticate, as the framework names it.
type AuthScheme struct {
	Kind string `json:"kind"` // basic, bearer, apiKey, oauth2ClientCredentials
	Name string `json:"name"` // the scheme's name in the description
	Doc  string `json:"doc"`
	// Header or Query is where an API key goes; Prefix what precedes it
	// ("token " for Authorization: token abc).
	Header, Query, Prefix string
	TokenURL              string `json:"tokenUrl,omitempty"`
	Note                  string `json:"note,omitempty"`
}

// authorizationClass stands for the connector in results and records:
// authorization belongs to no object class.
const authorizationClass = ""

// generateAuthorization writes authorization.op.groovy from the security
// schemes of the unit's descriptions.
func generateAuthorization(ctx context.Context, req Request) (*Result, error) {
	if req.Progress == nil {
		req.Progress = func(string, string, int, int) {}
	}
	u := req.Unit
	if u == nil {
		for _, x := range req.Model.Units {
			if len(ChooseAuthorization(x).Schemes) > 0 {
				u = x
				break
			}
		}
	}
	if u == nil {
		return nil, notFound{"No security scheme found in the workspace's API descriptions: document how the API authenticates (securitySchemes, securityDefinitions) first."}
	}
	req.Progress("schemes", "security schemes of the descriptions", 1, 1)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	plan := ChooseAuthorization(u)
	if len(plan.Schemes) == 0 {
		return nil, notFound{"No security scheme found in the connector's API descriptions that the framework can use (basic, bearer, API key in a header or the query, OAuth2 client credentials): document how the API authenticates first, or write authorization.op.groovy by hand."}
	}
	var notes []string
	var kinds []string
	for _, s := range plan.Schemes {
		kinds = append(kinds, s.Kind)
		notes = append(notes, fmt.Sprintf("%s: %s (%s)", s.Kind, s.Name, s.Doc))
		if s.Note != "" {
			notes = append(notes, s.Note)
		}
	}
	reg := authRegion(req.Model, u)
	title := "Generate authorization: " + strings.Join(kinds, ", ")
	if reg.exists {
		title = "Regenerate authorization: " + strings.Join(kinds, ", ")
	}
	p := planned{kind: KindAuthorization, code: plan.code(), title: title, notes: notes, inputs: struct {
		Kind string
		Plan *AuthPlan
	}{"authorization", plan}, region: reg, manifestSection: "authorization"}
	return place(req, u, &analysis.Class{Name: authorizationClass}, p)
}

// authRegion is the whole of the unit's authorization script (the one
// its manifest lists as such, else authorization.op.groovy), or a new one.
func authRegion(m *analysis.Model, u *analysis.Unit) region {
	for _, is := range []func(*dsl.Script) bool{
		func(s *dsl.Script) bool { return s.Role == dsl.RoleAuthorization },
		func(s *dsl.Script) bool { return s.Kind == dsl.KindAuthorization },
	} {
		for _, s := range u.Scripts {
			if is(s) {
				return wholeFile(m.FileOf(s), s.File.Abs)
			}
		}
	}
	return region{abs: filepath.Join(u.Dir, "authorization.op.groovy")}
}

var prefixWords = regexp.MustCompile(`(?i)(?:prepended|prefixed) with "?'?([A-Za-z]+)`)

// ChooseAuthorization reads the security schemes of the unit's
// descriptions (those its operations require by default, when it says):
// per kind the best one, deprecated and auxiliary schemes (sudo,
// one-time passwords) last.
func ChooseAuthorization(u *analysis.Unit) *AuthPlan {
	best := map[string]AuthScheme{}
	rank := map[string]int{}
	for _, d := range u.Docs {
		secured := map[string]bool{}
		for _, n := range d.Secured {
			secured[n] = true
		}
		path := d.Path
		if f := u.DocFiles[d]; f != nil {
			path = f.Path
		}
		for _, s := range d.Security {
			if len(secured) > 0 && !secured[s.Name] {
				continue
			}
			a := AuthScheme{Name: s.Name, Doc: fmt.Sprintf("%s:%d", path, s.Line)}
			r := 0
			text := strings.ToLower(s.Name + " " + s.Param + " " + s.Description)
			if strings.Contains(text, "deprecated") {
				r += 10
			}
			for _, w := range []string{"sudo", "otp", "two-factor", "in combination with"} {
				if strings.Contains(text, w) {
					r += 100
				}
			}
			switch s.Type {
			case "basic", "bearer":
				a.Kind = s.Type
			case "apiKey":
				a.Kind = "apiKey"
				switch s.In {
				case "header":
					a.Header = s.Param
					if !strings.EqualFold(s.Param, "Authorization") {
						r++
					}
				case "query":
					a.Query = s.Param
					r += 2
				default:
					continue // a cookie: the framework sends none
				}
				if m := prefixWords.FindStringSubmatch(s.Description); m != nil && a.Header != "" {
					a.Prefix = m[1] + " "
				}
			case "oauth2":
				// Swagger 2 calls client credentials "application".
				if !contains(s.Flows, "clientCredentials") && !contains(s.Flows, "application") {
					continue // the other flows need a person
				}
				a.Kind, a.TokenURL = "oauth2ClientCredentials", s.TokenURL
			default:
				continue
			}
			if r >= 100 {
				continue // not a way to authenticate on its own
			}
			if old, ok := best[a.Kind]; !ok || r < rank[a.Kind] || r == rank[a.Kind] && a.Name < old.Name {
				best[a.Kind], rank[a.Kind] = a, r
			}
		}
	}
	p := &AuthPlan{}
	for _, a := range best {
		p.Schemes = append(p.Schemes, a)
	}
	// Tokens before passwords: a connector runs as a service account.
	order := map[string]int{"oauth2ClientCredentials": 0, "bearer": 1, "apiKey": 2, "basic": 3}
	sort.Slice(p.Schemes, func(i, j int) bool { return order[p.Schemes[i].Kind] < order[p.Schemes[j].Kind] })
	return p
}

// code writes the authentication block. Basic, bearer and OAuth2 client
// credentials are built into the framework (restUsername/restPassword,
// restTokenValue, the OAuth2 settings): only their order is written. An
// API key is sent where the description says, so that the configuration
// needs only the key.
func (p *AuthPlan) code() string {
	var b strings.Builder
	b.WriteString("authentication {\n    rest {\n")
	in := "        "
	var pref []string
	for _, s := range p.Schemes {
		pref = append(pref, s.Kind)
		file := strings.SplitN(s.Doc, ":", 2)[0]
		switch s.Kind {
		case "basic":
			fmt.Fprintf(&b, "%s// %s (%s): HTTP Basic with restUsername and restPassword, built into the framework\n", in, s.Name, file)
		case "bearer":
			fmt.Fprintf(&b, "%s// %s (%s): Authorization: Bearer with restTokenValue, built into the framework\n", in, s.Name, file)
		case "oauth2ClientCredentials":
			fmt.Fprintf(&b, "%s// %s (%s): OAuth2 client credentials, built into the framework", in, s.Name, file)
			if s.TokenURL != "" {
				fmt.Fprintf(&b, "; tokens from %s", s.TokenURL)
			}
			b.WriteString("\n")
		case "apiKey":
			where := "header " + s.Header
			if s.Query != "" {
				where = "query parameter " + s.Query
			}
			fmt.Fprintf(&b, "%s// %s (%s): the API key restApiKey in the %s\n", in, s.Name, file, where)
			fmt.Fprintf(&b, "%sapiKey {\n%s    implementation {\n", in, in)
			value := "decrypt(configuration.restApiKey)"
			if s.Prefix != "" {
				value = Quote(s.Prefix) + " + " + value
			}
			if s.Query != "" {
				fmt.Fprintf(&b, "%s        request.queryParameter(%s, %s)\n", in, Quote(s.Query), value)
			} else {
				fmt.Fprintf(&b, "%s        request.header(%s, %s)\n", in, Quote(s.Header), value)
			}
			fmt.Fprintf(&b, "%s    }\n%s}\n", in, in)
		}
	}
	fmt.Fprintf(&b, "%spreference %s\n", in, strings.Join(pref, ", "))
	b.WriteString("    }\n}\n")
	return b.String()
}
