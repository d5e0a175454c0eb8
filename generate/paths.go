package generate

import "github.com/connls/connls/analysis"

// scriptPath writes a documented endpoint's path for a generated script:
// relative to the base address the unit's scripts use, in their style
// (see analysis.Unit.ScriptPath). Every generator that writes a
// documented path goes through it.
func scriptPath(u *analysis.Unit, e analysis.DocEndpoint) string {
	return u.ScriptPath(e)
}
