package docs

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The real pages in ../shared/realworld/pages, with what a connector
// developer reads in them: the user class's endpoints (core: the ones a
// connector needs, all: every endpoint of the user), the attributes the
// examples show, and every attribute the page documents (examples,
// request fields). Written by hand from the pages.
var realPages = []struct {
	file        string
	core, all   []string
	shown, more string
}{{
	file: "gitlab-users-api.md",
	core: []string{"search GET /users", "get GET /users/{id}", "create POST /users", "update PUT /users/{id}", "delete DELETE /users/{id}"},
	all: []string{"action DELETE /users/{id}/identities/{provider}", "action GET /users/{id_or_username}/status",
		"action PUT /user/status", "action GET /users/{id_or_username}/keys"},
	shown: `id username name state avatar_url web_url email created_at is_admin bio bio_html location skype linkedin
		twitter website_url organization job_title last_sign_in_at confirmed_at theme_id last_activity_on color_scheme_id
		projects_limit current_sign_in_at note identities can_create_group can_create_project two_factor_enabled external
		private_profile current_sign_in_ip last_sign_in_ip public_email plan trial`,
	more: `admin avatar extern_uid extra_shared_runners_minutes_limit force_random_password group_id_for_saml password
		provider reset_password shared_runners_minutes_limit skip_confirmation skip_reconfirmation`,
}, {
	file: "grafana-user-api.md",
	core: []string{"search GET /api/users", "get GET /api/users/{id}", "update PUT /api/users/{id}", "current GET /api/user"},
	all: []string{"search GET /api/users/search", "action GET /api/users/lookup", "action GET /api/users/{id}/orgs",
		"action GET /api/users/{id}/teams", "action PUT /api/user/password", "action POST /api/users/{userId}/using/{organizationId}",
		"action POST /api/user/using/{organizationId}", "action GET /api/user/orgs", "action GET /api/user/teams",
		"action POST /api/user/stars/dashboard/{dashboardId}", "action DELETE /api/user/stars/dashboard/{dashboardId}",
		"action GET /api/user/auth-tokens", "action POST /api/user/revoke-auth-token"},
	shown: `id name login email isAdmin isDisabled lastSeenAt lastSeenAtAge authLabels theme orgId isGrafanaAdmin isExternal
		updatedAt createdAt avatarUrl`,
}, {
	file: "nextcloud-user-provisioning.html",
	core: []string{"create POST /ocs/v1.php/cloud/users", "search GET /ocs/v1.php/cloud/users", "get GET /ocs/v1.php/cloud/users/{userid}",
		"update PUT /ocs/v1.php/cloud/users/{userid}", "delete DELETE /ocs/v1.php/cloud/users/{userid}"},
	all: []string{"action PUT /ocs/v1.php/cloud/users/{userid}/disable", "action PUT /ocs/v1.php/cloud/users/{userid}/enable",
		"action GET /ocs/v1.php/cloud/users/{userid}/groups", "action POST /ocs/v1.php/cloud/users/{userid}/groups",
		"action DELETE /ocs/v1.php/cloud/users/{userid}/groups", "action POST /ocs/v1.php/cloud/users/{userid}/subadmins",
		"action DELETE /ocs/v1.php/cloud/users/{userid}/subadmins", "action GET /ocs/v1.php/cloud/users/{userid}/subadmins",
		"action POST /ocs/v1.php/cloud/users/{userid}/welcome"},
	shown: `enabled id quota email displayname phone address website twitter groups`,
	more:  `userid password displayName subadmin language display`,
}}

// TestRealWorldPages reads the real pages as a connector developer would:
// the user class with its get, create, update and delete endpoints on
// the right paths and at least the attributes the examples show. It logs
// precision and recall of endpoints and attributes.
func TestRealWorldPages(t *testing.T) {
	dir := filepath.Join(realWorldDir(), "pages")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("real-world pages not available (%s): skipping", dir)
	}
	for _, p := range realPages {
		t.Run(p.file, func(t *testing.T) {
			d := read(t, filepath.Join(dir, p.file))
			user := class(t, d, "User")
			if !user.Resource {
				t.Fatal("User is not a resource")
			}
			var found []string
			for _, e := range d.Endpoints {
				if e.Class == "User" {
					found = append(found, e.Operation+" "+e.Method+" "+e.Path)
				}
			}
			for _, want := range p.core {
				if !contains(found, want) {
					t.Errorf("missing %s; have:\n%s", want, strings.Join(found, "\n"))
				}
			}
			ep, er := precisionRecall(found, append(append([]string{}, p.core...), p.all...))
			var attrs []string
			for _, a := range user.Attributes {
				top, _, _ := strings.Cut(a.Name, ".")
				if !contains(attrs, top) {
					attrs = append(attrs, top)
				}
			}
			shown := strings.Fields(p.shown)
			_, shownRecall := precisionRecall(attrs, shown)
			ap, ar := precisionRecall(attrs, append(shown, strings.Fields(p.more)...))
			for _, a := range shown {
				if !contains(attrs, a) {
					t.Errorf("attribute %s of the examples is missing", a)
				}
			}
			if ep < 0.9 || ap < 0.9 {
				t.Errorf("precision: endpoints %.2f, attributes %.2f", ep, ap)
			}
			sort.Strings(attrs)
			t.Logf("endpoints: precision %.2f recall %.2f (%d found); attributes: precision %.2f recall %.2f, of the examples' %.2f (%d found)",
				ep, er, len(found), ap, ar, shownRecall, len(attrs))
		})
	}
}

// precisionRecall compares what was found with what is right.
func precisionRecall(found, truth []string) (float64, float64) {
	hit := 0
	for _, f := range found {
		if contains(truth, f) {
			hit++
		}
	}
	if len(found) == 0 || len(truth) == 0 {
		return 0, 0
	}
	return float64(hit) / float64(len(found)), float64(hit) / float64(len(truth))
}
