package analysis

import (
	"fmt"
	"strings"
)

// RulesMarkdown renders docs/rules.md from the rule definitions, so the
// page cannot drift from what connls checks.
func RulesMarkdown() string {
	var b strings.Builder
	b.WriteString("# connls rules\n\n")
	b.WriteString("<!-- Generated from the rule definitions in analysis/ by `go test ./analysis -run TestRulesDoc -update`; do not edit. -->\n\n")
	b.WriteString("Every finding of `connls check` and of the editor has one of these codes. ")
	b.WriteString("Silence a rule on one line with a comment on that line or the line above: `// connls:ignore CODE` ")
	b.WriteString("(`# connls:ignore CODE` in YAML scripts); without a code, the comment silences every rule there.\n\n")
	b.WriteString("Rules run per connector: the folder of a `connector.manifest.*`, else a `src/main/resources` folder (whose Java connector class may load the scripts by name, as a manifest lists them), else one folder of scripts ")
	b.WriteString("(a test workspace under `src/test/resources`); scripts in sibling folders never meet. ")
	b.WriteString("An API document describes the connector it sits beside (in its folder, a `docs/` folder next to it, or its module). ")
	b.WriteString("In a script the manifest does not list (or disables), the framework never loads it: its errors are reported as warnings that say so.\n\n")
	b.WriteString("`connls check --fix` applies a rule's preferred quick fix (the one the editor marks preferred) only where no person has to choose: ")
	b.WriteString("the column *--fix* says *yes* when it always applies it, *if one* when it applies it only when the finding offers a single correction, *if a typo* when that single correction must also be a typo away from what is written (not a longer name that merely starts the same way), ")
	b.WriteString("and *no* when the rule's fixes are left to the editor; each rule's section says why.\n\n")
	b.WriteString("| code | severity | --fix | what it finds |\n|---|---|---|---|\n")
	for _, r := range Rules {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s | %s |\n", r.Code, r.Code, r.Severity, fixColumn(r), escapeCell(r.Summary))
	}
	for _, r := range Rules {
		fmt.Fprintf(&b, "\n## %s\n\n", r.Code)
		fmt.Fprintf(&b, "Default severity: **%s**.\n\n%s\n\n%s\n\n", r.Severity, r.Summary, r.Help)
		if line := autoFixLine(r); line != "" {
			b.WriteString(line + "\n\n")
		}
		lang := "groovy"
		switch {
		case strings.HasPrefix(r.Example, "-- "):
			lang = "text" // several files, as a txtar archive
		case strings.HasPrefix(strings.TrimSpace(r.Example), "{"):
			lang = "json"
		case !strings.Contains(r.Example, "objectClass") && !strings.Contains(r.Example, "relationship"):
			lang = "text"
		}
		fmt.Fprintf(&b, "Example:\n\n```%s\n%s\n```\n", lang, r.Example)
	}
	return b.String()
}

func escapeCell(s string) string { return strings.ReplaceAll(s, "|", "\\|") }

// fixColumn is the --fix column of the rule table.
func fixColumn(r *Rule) string {
	switch policy, why := r.AutoFix(); {
	case policy == FixAlways:
		return "yes"
	case policy == FixIfOnly:
		return "if one"
	case policy == FixIfTypo:
		return "if a typo"
	case why != "":
		return "no"
	}
	return ""
}

// autoFixLine says what `connls check --fix` does with the rule's fix.
func autoFixLine(r *Rule) string {
	policy, why := r.AutoFix()
	switch {
	case policy == FixAlways:
		return "`connls check --fix` applies the fix: " + why
	case policy == FixIfOnly:
		return "`connls check --fix` applies the fix when it is the only one offered: " + why
	case policy == FixIfTypo:
		return "`connls check --fix` applies the fix when it is the only one offered and a typo away from what is written: " + why
	case why != "":
		return "`connls check --fix` leaves this fix to the editor: " + why
	}
	return ""
}
