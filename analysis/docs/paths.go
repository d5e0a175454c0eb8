package docs

import (
	"regexp"
	"strings"
	"unicode"
)

// How a path names its resource. Real APIs put version and namespace
// segments anywhere (/api/v2/users, /access-profiles/v1/{id}), end item
// paths with actions (/users/{id}/lifecycle/activate, /campaigns/delete)
// and nest resources below others (/orgs/{org}/teams). The shape of a
// path sets those apart, so that only the resource segment can name a
// class and actions stay with the resource they act on.

// pathShape is what a path addresses.
type pathShape struct {
	resource string // the collection segment: "users"
	group    string // the path up to the resource, parameters as {}: "orgs/{}/teams"
	parent   string // the group of the resource this one is nested in: "orgs"
	item     bool   // parameters follow the resource: /users/{id}
	// action is the verb segment of an action path (/users/{id}/lock,
	// /access-profiles/bulk-delete), with the path before it as the
	// resource's own.
	action string
}

// nested reports whether the resource lives below another resource's
// item (/groups/{id}/members).
func (sh pathShape) nested() bool { return sh.parent != "" }

func isParam(s string) bool { return strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") }

// classifyPath reads the shape of a path. Placeholders are written {name}.
func classifyPath(p string) pathShape { return classifyPathIn(p, nil) }

// classifyPathIn reads the shape of a path of a document whose
// collections are known: a segment that some path follows with a
// placeholder (/accounts/search-attribute-config/{name}) names a
// collection, even when its first word is a verb; below the same segment
// only (/sp-config/export/{id} does not make /outliers/export one).
func classifyPathIn(p string, collections map[[2]string]bool) pathShape {
	var segs []string
	verbAt := func(i int) bool { return isVerb(segs[i]) && !collections[collectionKey(segs, i)] }
	for _, s := range strings.Split(strings.Trim(p, "/"), "/") {
		if s != "" && (isParam(s) || !isNamespace(s)) {
			segs = append(segs, s)
		}
	}
	var sh pathShape
	if n := len(segs); n > 1 && !isParam(segs[n-1]) && verbAt(n-1) {
		sh.action = segs[n-1]
		segs = segs[:n-1]
		// /users/{id}/lifecycle/activate acts on the user: a singular
		// noun between the item and the verb only groups actions, where
		// a plural one (/orgs/{org}/teams/search) is a collection.
		if n := len(segs); n > 1 && !isParam(segs[n-1]) && isParam(segs[n-2]) && singular(segs[n-1]) == segs[n-1] {
			segs = segs[:n-1]
		}
	}
	// /orgs/{org}/block/{username}: a verb after an item, followed only
	// by placeholders, acts on that item too.
	if sh.action == "" {
		j := len(segs) - 1
		for j >= 0 && isParam(segs[j]) {
			j--
		}
		if j > 0 && j < len(segs)-1 && isParam(segs[j-1]) && verbAt(j) {
			sh.action = segs[j]
			segs = segs[:j]
		}
	}
	n := len(segs)
	end := n
	for end > 0 && isParam(segs[end-1]) {
		end--
	}
	if end == 0 {
		return sh
	}
	sh.item = end < n
	sh.resource = segs[end-1]
	sh.group = groupKey(segs[:end])
	for j := end - 2; j >= 0; j-- {
		if isParam(segs[j]) {
			k := j
			for k > 0 && isParam(segs[k-1]) {
				k--
			}
			sh.parent = groupKey(segs[:k])
			break
		}
	}
	if sh.parent == "" && end > 1 && currentWords[strings.ToLower(segs[0])] {
		sh.parent = groupKey(segs[:1]) // /user/repos: the current user's
	}
	return sh
}

// collectionSegments returns the segments that paths follow with a
// placeholder, where no placeholder precedes them: /users/{id} makes
// users a collection, /orgs/{org}/block/{username} does not make block
// one. They are keyed by the segment before them (see collectionKey).
func collectionSegments(paths []string) map[[2]string]bool {
	out := map[[2]string]bool{}
	for _, p := range paths {
		var segs []string
		for _, s := range strings.Split(strings.Trim(p, "/"), "/") {
			if s != "" && (isParam(s) || !isNamespace(s)) {
				segs = append(segs, s)
			}
		}
		for i := 0; i+1 < len(segs); i++ {
			if !isParam(segs[i]) && isParam(segs[i+1]) && (i == 0 || !isParam(segs[i-1])) {
				out[collectionKey(segs, i)] = true
			}
		}
	}
	return out
}

// collectionKey names segment i of a path with the one before it, in
// lower case: {"sp-config", "export"}, {"", "users"} for a first segment.
func collectionKey(segs []string, i int) [2]string {
	prev := ""
	if i > 0 {
		prev = segs[i-1]
		if isParam(prev) {
			prev = "{}"
		}
	}
	return [2]string{strings.ToLower(prev), strings.ToLower(segs[i])}
}

// currentWords are first path segments that stand for the caller's own
// object: /user/repos, /me/groups.
var currentWords = map[string]bool{"user": true, "me": true, "self": true, "my": true, "myself": true, "current": true}

func groupKey(segs []string) string {
	var b strings.Builder
	for i, s := range segs {
		if i > 0 {
			b.WriteByte('/')
		}
		if isParam(s) {
			b.WriteString("{}")
		} else {
			b.WriteString(strings.ToLower(s))
		}
	}
	return b.String()
}

var versionRe = regexp.MustCompile(`^(?:v\d+(?:[._-]?\d+)*(?:(?:alpha|beta|preview|rc)\d*)?(?:\.php)?|\d+(?:\.\d+)+|\d{4}-\d{2}(?:-\d{2})?)$`)

// namespaceWords are path segments that group an API without naming a
// resource.
var namespaceWords = map[string]bool{
	"api": true, "apis": true, "rest": true, "beta": true, "alpha": true, "latest": true, "preview": true,
	"admin": true, "public": true, "internal": true, "experimental": true, "stable": true, "ocs": true,
}

// isNamespace reports whether a path segment is a version (v1, v2024,
// v1beta1, 2.0) or a namespace (api, admin, beta).
func isNamespace(seg string) bool {
	l := strings.ToLower(seg)
	return namespaceWords[l] || versionRe.MatchString(l)
}

// verbs are words that make a path segment an action: the first or last
// word of "reset-password", "bulk-delete", "mirror-sync".
var verbs = map[string]bool{}

func init() {
	for _, v := range strings.Fields(`activate deactivate reactivate enable disable lock unlock suspend unsuspend
		block unblock ban unban archive unarchive restore approve reject cancel close complete reopen
		forward reassign assign unassign revoke grant invite resend verify confirm expire reset
		rename move copy clone merge transfer import export sync synchronize reload refresh retry
		run execute trigger start stop restart pause resume publish unpublish test validate
		send notify generate upload download delete remove add search query count check
		follow unfollow star unstar mute unmute subscribe unsubscribe join leave accept decline
		login logout impersonate provision deprovision aggregate discover apply promote demote
		mark unmark pin unpin hide unhide link unlink attach detach upgrade downgrade sign
		launch classify set evaluate submit invoke process calculate recalculate simulate dismiss
		acknowledge escalate claim ignore unignore reassign lookup find filter`) {
		verbs[v] = true
	}
}

// isVerb reports whether a segment names an action.
func isVerb(seg string) bool {
	words := splitWords(seg)
	if len(words) == 0 {
		return false
	}
	return verbs[words[0]] || verbs[words[len(words)-1]]
}

// splitWords splits a name into lower-case words at punctuation and
// case changes: "reset-password", "resetPassword" → reset, password.
func splitWords(s string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && i > 0 && (unicode.IsLower(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1])):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return words
}

var colonParamRe = regexp.MustCompile(`/:([A-Za-z_][\w-]*)`)

// bracePlaceholders writes :id placeholders as {id}.
func bracePlaceholders(p string) string {
	if !strings.Contains(p, ":") {
		return p
	}
	return colonParamRe.ReplaceAllString(p, "/{$1}")
}

func pathParams(p string) []string {
	var out []string
	for _, m := range paramRe.FindAllStringSubmatch(p, -1) {
		out = append(out, m[1])
	}
	return out
}

var paramRe = regexp.MustCompile(`\{([^}/]+)\}`)
