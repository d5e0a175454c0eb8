package generate

import "github.com/connls/connls/analysis"

// UIDOf is the attribute the framework fills {id} with: the mapped UID,
// else the one connls would map. An Assistant (package generate/llm)
// tells the model so.
func UIDOf(c *analysis.Class) string { return identityOf(c).uid }
