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
	b.WriteString("| code | severity | what it finds |\n|---|---|---|\n")
	for _, r := range Rules {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s |\n", r.Code, r.Code, r.Severity, escapeCell(r.Summary))
	}
	for _, r := range Rules {
		fmt.Fprintf(&b, "\n## %s\n\n", r.Code)
		fmt.Fprintf(&b, "Default severity: **%s**.\n\n%s\n\n%s\n\n", r.Severity, r.Summary, r.Help)
		lang := "groovy"
		switch {
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
