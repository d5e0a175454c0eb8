package analysis

import (
	"fmt"
	"strings"

	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/workspace"
)

// Which quick fixes `connls check --fix` applies on its own. The editor
// offers every fix and marks the first one preferred; a command line that
// writes files without asking may only take a fix when no person would
// have to choose: the finding has one correction, and applying it keeps
// what the author evidently meant. The reasons below are printed in
// docs/rules.md.

// FixPolicy says when --fix applies a rule's preferred fix.
type FixPolicy int

const (
	// FixNever: the fix needs a person's judgement (which identifier,
	// whether a script should be loaded, whether to remove an attribute
	// or change the schema).
	FixNever FixPolicy = iota
	// FixAlways: the rule offers one correction and it is the only
	// sensible one.
	FixAlways
	// FixIfOnly: applied when the finding offers exactly one correction,
	// left to a person when it offers several.
	FixIfOnly
	// FixIfTypo: a name against a closed list of names; applied when
	// exactly one name is offered and it is a typo away from what is
	// written (not merely a longer name that starts the same way).
	FixIfTypo
)

// autoFix is a rule's policy and the reason it is safe, or, for a rule
// whose fixes --fix leaves alone, the reason it is not.
type autoFix struct {
	policy FixPolicy
	why    string
}

const typoReason = "the name as written fails or is ignored by the framework, and exactly one known name is a typo away from it; with several candidates, or one that only starts the same way, the choice is left to a person."

var autoFixes = map[string]autoFix{
	"command-chain":               {FixAlways, "the comma is what Groovy needs to read the arguments as the author wrote them."},
	"unknown-dsl":                 {FixIfTypo, typoReason},
	"unknown-constant":            {FixIfTypo, typoReason},
	"wrong-value-type":            {FixAlways, "a fix is offered only for a boolean written as a string (\"yes\", \"false\"), whose meaning is plain; other wrong values have no fix."},
	"connid-name-string":          {FixAlways, "connId { name \"UID\" } can only mean the UID constant: no native attribute is meant to be called UID."},
	"deserialize-it":              {FixAlways, "`it` is always null there and `value` is the one variable that holds what the author meant."},
	"manifest-missing-script":     {FixIfTypo, "a listed path one typo away from exactly one script of the connector; with several candidates the choice is left to a person."},
	"manifest-relative-path":      {FixAlways, "the leading / is the only way the framework finds the script; the path is otherwise kept."},
	"connid-unknown-class":        {FixIfTypo, "a mapped class one typo away from exactly one declared class; with several candidates the choice is left to a person."},
	"connid-name":                 {FixAlways, "the fix replaces a ConnId spelling (__UID__, __NAME__) by the one connIdAttribute accepts, which means the same attribute."},
	"mapped-attribute-missing":    {FixIfTypo, "the mapped name is one typo away from exactly one attribute of the class; with several candidates the choice is left to a person."},
	"duplicate-mapping":           {FixAlways, "only an exact repetition of a mapping is removed, which changes nothing the framework builds."},
	"update-unknown-attribute":    {FixIfTypo, typoReason},
	"create-unknown-attribute":    {FixIfTypo, typoReason},
	"filter-attribute-undeclared": {FixIfTypo, typoReason},
	"path-placeholder":            {FixAlways, "the framework fills only {id}, with the UID: any other placeholder is sent as written, so {id} is the only value the path can mean."},
	"unknown-json-type":           {FixIfOnly, "the framework throws on the type as written; the fix is applied when one type fits (a typo, or int, long, bool, double, float, decimal and the like)."},
	"unknown-openapi-format":      {FixIfTypo, typoReason},
	"readable-returned":           {FixAlways, "readable false already means not returned by default, so removing the clashing returnedByDefault true keeps the attribute's behaviour."},
	"unknown-op-class":            {FixIfTypo, "an operation's class one typo away from exactly one declared class; with several candidates the choice is left to a person."},
	"sailpoint-unknown-field":     {FixIfTypo, typoReason},
	"sailpoint-unknown-status":    {FixIfTypo, typoReason},

	// Rules whose fixes only a person may apply.
	"manifest-unlisted":          {FixNever, "a script may be left out of the manifest on purpose; listing it makes the framework load it."},
	"missing-uid":                {FixNever, "which attribute identifies the objects is a fact about the API that the fix can only guess."},
	"missing-name":               {FixNever, "which attribute names the objects is a choice of the connector's author."},
	"uid-mutable":                {FixNever, "some APIs let the client choose the identifier on create; only the author knows whether this one does."},
	"one-attribute-two-mappings": {FixNever, "the fix adds a copy attribute, a design choice; mapping NAME elsewhere may be the better one."},
	"update-not-updateable":      {FixNever, "removing the attribute and declaring it updateable are both fixes; the API decides which is right."},
	"create-not-creatable":       {FixNever, "removing the attribute and declaring it creatable are both fixes; the API decides which is right."},
	"update-uid":                 {FixNever, "an API that renames its objects needs a different UID rather than a shorter list."},
	"sailpoint-class-name":       {FixNever, "a tenant may run a connector class of its own."},
}

// AutoFix returns when `connls check --fix` applies the rule's fix, and
// why that is safe (or, with FixNever, why not; "" when the rule has no
// fix).
func (r *Rule) AutoFix() (FixPolicy, string) {
	a := autoFixes[r.Code]
	return a.policy, a.why
}

// SafeFix returns the fix `connls check --fix` applies to a finding: its
// preferred (first) fix, when its rule allows it without a person's
// choice. snap holds the text the fix edits.
func SafeFix(p dsl.Problem, snap *workspace.Snapshot) (dsl.Fix, bool) {
	if len(p.Fixes) == 0 {
		return dsl.Fix{}, false
	}
	switch autoFixes[p.Code].policy {
	case FixAlways:
		return p.Fixes[0], true
	case FixIfOnly:
		if oneCorrection(p.Fixes) {
			return p.Fixes[0], true
		}
	case FixIfTypo:
		if oneCorrection(p.Fixes) && isTypoFix(snap, p.Fixes[0]) {
			return p.Fixes[0], true
		}
	}
	return dsl.Fix{}, false
}

// oneCorrection reports whether fixes offer one correction: a single fix,
// or fixes that write two spellings of one DSL name (updateable and
// updatable are the same method).
func oneCorrection(fixes []dsl.Fix) bool {
	canonical := func(f dsl.Fix) string {
		if len(f.Edits) != 1 {
			return "\x00" + f.Title
		}
		e := f.Edits[0]
		text := dsl.CanonicalName(e.NewText)
		return fmt.Sprintf("%s\x00%v\x00%s", e.Abs, e.Range, text)
	}
	for _, f := range fixes[1:] {
		if canonical(f) != canonical(fixes[0]) {
			return false
		}
	}
	return true
}

// isTypoFix reports whether a fix replaces one name by another within a
// few edits (quotes aside): updateabel for updateable, emial for email,
// not mapping for mappingTable.
func isTypoFix(snap *workspace.Snapshot, fix dsl.Fix) bool {
	if snap == nil || len(fix.Edits) != 1 {
		return false
	}
	e := fix.Edits[0]
	f := snap.File(e.Abs)
	if f == nil {
		return false
	}
	l := f.Lines()
	start, end := l.Offset(e.Range.Start), l.Offset(e.Range.End)
	if start >= end {
		return false
	}
	unquote := func(s string) string { return strings.Trim(s, `"'`) }
	old, repl := strings.ToLower(unquote(string(f.Text[start:end]))), strings.ToLower(unquote(e.NewText))
	if old == repl {
		return true // a change of case
	}
	limit := max(1, min(3, len(old)/3))
	return dsl.EditDistance(old, repl) <= limit
}
