package docs

import (
	"slices"
	"strings"
	"unicode"
)

// Class names. A resource's schemas carry role words (UserModel,
// UserCollectionModel, CreateUserRequest, IdentityDto) or no word
// boundaries at all (accessprofile); the class is named after the
// resource itself: User, AccessProfile.

// The words schema names add to a resource's name to say what part they
// play: a representation (UserModel, GroupDto), a request body
// (CreateUserRequest, EditUserOption, UserCreateModel). Request words
// count only beside a verb: AccessRequest and PullRequest are resources.
var (
	responseSuffixes = []string{"CollectionModel", "Representation", "Resource", "Response", "Details", "Entity", "Model", "Dto", "DTO"}
	requestSuffixes  = []string{"Request", "Options", "Option", "Payload", "Params", "Input", "Body"}
	roleVerbs        = []string{"Create", "Update", "Replace", "Patch", "Edit", "New", "Add", "Write"}
	rolePrefixes     = append([]string{"Base", "Get"}, roleVerbs...)
)

// stripRole removes role words from a CamelCase schema name: UserModel,
// CreateUserRequest, UserCreateModel and GroupDto give User, User, User
// and Group. Words are cut only at a case boundary and never down to
// less than two letters.
func stripRole(name string) string {
	name = trimCopySuffix(name)
	verb := false
	for _, p := range rolePrefixes {
		if rest, ok := strings.CutPrefix(name, p); ok && len(rest) >= 2 && unicode.IsUpper(firstRune(rest)) {
			name, verb = rest, slices.Contains(roleVerbs, p)
			break
		}
	}
	name = cutSuffix(name, responseSuffixes)
	// UserCreateRequest, UserCreateModel: a verb before the role word.
	for _, v := range roleVerbs {
		if withVerb := cutSuffix(name, requestSuffixes); strings.HasSuffix(withVerb, v) && len(withVerb) > len(v)+1 {
			return strings.TrimSuffix(withVerb, v)
		}
		if strings.HasSuffix(name, v) && len(name) > len(v)+1 {
			return strings.TrimSuffix(name, v)
		}
	}
	if verb {
		name = cutSuffix(name, requestSuffixes)
	}
	return name
}

// cutSuffix removes the first of the suffixes a name ends with, unless
// less than two letters would be left.
func cutSuffix(name string, suffixes []string) string {
	for _, s := range suffixes {
		if rest, ok := strings.CutSuffix(name, s); ok && len(rest) >= 2 {
			return rest
		}
	}
	return name
}

// trimCopySuffix drops the "-2" generators add to a second schema of the
// same name (accessprofile-2).
func trimCopySuffix(name string) string {
	i := strings.LastIndexAny(name, "-_")
	if i <= 0 || i == len(name)-1 {
		return name
	}
	for _, r := range name[i+1:] {
		if r < '0' || r > '9' {
			return name
		}
	}
	return name[:i]
}

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}

// pascal writes a name in PascalCase: access-profiles → AccessProfiles,
// account → Account; letters inside a word keep their case.
func pascal(s string) string {
	var b strings.Builder
	upper := true
	for _, c := range s {
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) {
			upper = true
			continue
		}
		if upper {
			b.WriteRune(unicode.ToUpper(c))
			upper = false
		} else {
			b.WriteRune(c)
		}
	}
	return b.String()
}

func hasUpper(s string) bool {
	for _, c := range s {
		if unicode.IsUpper(c) {
			return true
		}
	}
	return false
}

// normalize reduces a name to lower-case letters and digits, singular.
func normalize(name string) string {
	var b strings.Builder
	for _, c := range name {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			b.WriteRune(unicode.ToLower(c))
		}
	}
	return singular(b.String())
}

func singular(s string) string {
	ls := strings.ToLower(s)
	switch {
	case strings.HasSuffix(ls, "ies") && len(s) > 4:
		return s[:len(s)-3] + "y"
	case strings.HasSuffix(ls, "sses"), strings.HasSuffix(ls, "xes"), strings.HasSuffix(ls, "ches"), strings.HasSuffix(ls, "shes"):
		return s[:len(s)-2]
	case strings.HasSuffix(ls, "ss"), strings.HasSuffix(ls, "us"):
		return s
	case strings.HasSuffix(ls, "s") && len(s) > 3:
		return s[:len(s)-1]
	}
	return s
}

// segmentClass names the class a path segment stands for: users → User,
// access-profiles → AccessProfile.
func segmentClass(seg string) string {
	return pascal(singular(seg))
}
