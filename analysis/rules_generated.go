package analysis

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/workspace"
)

// Rules about what connls generated and marked for review.

func init() {
	register(&Rule{Code: "inferred-endpoint", Severity: dsl.SevInformation, check: checkInferred,
		Summary: "Code that connls generated without evidence (a `// connls:inferred` comment above it): a guess to check against the API.",
		Help:    "Check the endpoint against the API, then remove the connls:inferred comment.",
		Example: "objectClass(\"User\") {\n    update {\n        // connls:inferred no update is documented; PATCH on the item path of the search is a guess\n        endpoint(PATCH, \"users/{id}\") {\n            request { contentType APPLICATION_JSON }\n        }\n    }\n}"})
}

// checkInferred reports the line below each connls:inferred comment (and
// the comment lines that continue it) with what the comment says.
func checkInferred(uc *unitCheck) {
	for _, s := range uc.unit.Scripts {
		if !s.Inferred {
			continue // most scripts: no need to look at the text again
		}
		f := uc.model.FileOf(s)
		if f == nil || !bytes.Contains(f.Text, []byte(dsl.InferredMark)) {
			continue
		}
		lines := strings.Split(string(f.Text), "\n")
		starts := make([]int, len(lines))
		for i, off := 0, 0; i < len(lines); i++ {
			starts[i] = off
			off += len(lines[i]) + 1
		}
		for i := 0; i < len(lines); i++ {
			text := strings.TrimSpace(lines[i])
			mark := strings.Index(text, dsl.InferredMark)
			if !strings.HasPrefix(text, "//") || mark < 0 {
				continue
			}
			why := strings.TrimSpace(text[mark+len(dsl.InferredMark):])
			j := i + 1
			for ; j < len(lines); j++ {
				next := strings.TrimSpace(lines[j])
				if !strings.HasPrefix(next, "//") {
					break
				}
				if !strings.Contains(next, dsl.InferredMark) {
					why += " " + strings.TrimSpace(strings.TrimPrefix(next, "//"))
				}
			}
			if j >= len(lines) {
				break
			}
			code := lines[j]
			start := starts[j] + len(code) - len(strings.TrimLeft(code, " \t"))
			end := starts[j] + len(strings.TrimRight(code, " \t\r"))
			r := workspace.Range{Start: f.Lines().Pos(start), End: f.Lines().Pos(end)}
			msg := "inferred by connls, not documented: check it against the API, then remove the connls:inferred comment"
			if why != "" {
				msg = fmt.Sprintf("inferred by connls: %s; then remove the connls:inferred comment", strings.TrimRight(why, "."))
			}
			uc.report(problemAt("inferred-endpoint", s, r, msg))
			i = j
		}
	}
}
