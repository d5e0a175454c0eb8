// Package features computes what an editor shows (hover, definition,
// references, outline, completion) from one analysed model: plain
// functions of the model returning plain values, which the language
// server converts to LSP and tests read directly.
package features

import "github.com/connls/connls/workspace"

// Location is a range in a file.
type Location struct {
	Abs   string
	Range workspace.Range
}
