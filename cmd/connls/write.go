package main

import "github.com/connls/connls/workspace"

// fileWrite is one file of a change written by --fix.
type fileWrite struct {
	Abs  string
	Data []byte
	// Check is called with the file's current content before anything is
	// written; an error stops the change.
	Check func(current []byte, exists bool) error
}

// writeFiles writes the files as one change through workspace.WriteFiles,
// the writer every part of connls uses: each file atomically (a synced
// temporary file renamed over it, its mode kept), all or none of them,
// and none whose real location is outside the workspace roots.
func writeFiles(roots []string, writes []fileWrite) error {
	ws := make([]workspace.Write, len(writes))
	for i, w := range writes {
		ws[i] = workspace.Write{Abs: w.Abs, Data: w.Data, Check: w.Check}
	}
	return workspace.WriteFiles(roots, ws)
}
