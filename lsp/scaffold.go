package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/generate"
	"github.com/connls/connls/workspace"
)

// cmdScaffold starts a connector from the API description of a folder
// that holds no connector yet, as `connls init` does.
const cmdScaffold = "connls.scaffold"

// scaffoldArgs are the arguments of connls.scaffold: a document of the
// folder, and the classes to generate (empty: the core resources).
type scaffoldArgs struct {
	URI     string   `json:"uri"`
	Classes []string `json:"classes,omitempty"`
}

// scaffoldActions offers to scaffold the connector from the document abs
// when its folder holds no connector yet and the document describes
// resources to start from.
func scaffoldActions(m *analysis.Model, abs string) []protocol.CommandOrCodeAction {
	f := m.Snapshot.File(abs)
	u := m.UnitOf(abs)
	if f == nil || !f.Kind.IsDoc() || u == nil || len(u.Scripts) > 0 || len(u.Manifests) > 0 || len(u.Java) > 0 {
		return nil
	}
	classes := generate.CoreClasses(u)
	if len(classes) == 0 {
		return nil
	}
	t := fmt.Sprintf("Scaffold the connector from %s (%s)", filepath.Base(abs), strings.Join(classes, ", "))
	return []protocol.CommandOrCodeAction{&protocol.CodeAction{Title: t, Kind: ptr(kindGenerate),
		Command: protocol.Command{Title: t, Command: cmdScaffold, Arguments: []protocol.LSPAny{rawJSON(scaffoldArgs{URI: string(fileURI(abs))})}}}}
}

// scaffold runs connls.scaffold: the connector is built in memory from
// the folder's documents (generate.NewConnector, as `connls init` does),
// then created by one workspace edit, or written as one change where the
// client cannot create files. It reports progress and can be cancelled;
// nothing is created when it is.
func (s *Server) scaffold(ctx context.Context, params *protocol.ExecuteCommandParams) (protocol.LSPAny, error) {
	var args scaffoldArgs
	if len(params.Arguments) != 1 || json.Unmarshal(params.Arguments[0], &args) != nil || args.URI == "" {
		return nil, fmt.Errorf("%w: connls.scaffold takes one argument {uri, classes}", jsonrpc2.ErrInvalidParams)
	}
	u, err := parseURI(args.URI)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", jsonrpc2.ErrInvalidParams, err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	snap, m := s.currentModel(ctx)
	if m == nil {
		return nil, fmt.Errorf("%w: no workspace is open", jsonrpc2.ErrInvalidParams)
	}
	unit := m.UnitOf(fileOf(u))
	if unit == nil {
		return nil, fmt.Errorf("%w: %s is not in the workspace", jsonrpc2.ErrInvalidParams, args.URI)
	}
	if len(unit.Scripts) > 0 || len(unit.Manifests) > 0 {
		return nil, fmt.Errorf("%w: %s holds a connector already: generate its scripts one by one", jsonrpc2.ErrInvalidParams, unit.Dir)
	}
	p := s.startProgress(ctx, "connls: scaffolding the connector", params.WorkDoneToken, cancel)
	defer p.end("stopped") // a no-op after the end each path reports
	files := map[string][]byte{}
	for _, f := range snap.Files() {
		if workspace.Within(unit.Dir, f.Abs) {
			rel, _ := filepath.Rel(unit.Dir, f.Abs)
			files[filepath.ToSlash(rel)] = f.Text
		}
	}
	sc, err := generate.NewConnector(ctx, generate.ScaffoldRequest{Root: unit.Dir, Files: files, Classes: args.Classes,
		Progress: func(stage, msg string, done, total int) { p.report(msg, done, total) }})
	switch {
	case ctx.Err() != nil:
		p.end("cancelled; nothing was created")
		return nil, protocol.ErrRequestCancelled
	case errors.Is(err, generate.ErrNotFound):
		p.end(err.Error())
		s.showMessage(protocol.MessageTypeWarning, "connls: "+err.Error())
		return rawJSON(generationOutcome{Status: "failed", Notes: []string{err.Error()}}), nil
	case err != nil:
		p.end("failed")
		return nil, err
	}
	var paths []string
	for rel := range sc.Files {
		paths = append(paths, rel)
	}
	sort.Strings(paths)
	out := generationOutcome{Status: "created", Title: fmt.Sprintf("Scaffold the connector: %s", strings.Join(sc.Classes, ", ")), Notes: sc.Notes}
	for _, rel := range paths {
		out.Created = append(out.Created, string(fileURI(filepath.Join(unit.Dir, filepath.FromSlash(rel)))))
	}
	res := &generate.Result{Title: out.Title}
	for _, rel := range paths {
		abs := filepath.Join(unit.Dir, filepath.FromSlash(rel))
		text := string(sc.Files[rel])
		res.Changes = append(res.Changes, generate.FileChange{Abs: abs, Path: rel, New: true, After: text,
			Edits: []dsl.Edit{{Abs: abs, NewText: text}}})
	}
	applied, reason := s.createFiles(ctx, snap, res)
	out.Applied = applied
	summary := fmt.Sprintf("%d files for %s; check: %d errors, %d warnings", len(paths), strings.Join(sc.Classes, ", "), sc.Errors, sc.Warnings)
	if !applied {
		p.end("not created: " + reason)
		s.showMessage(protocol.MessageTypeWarning, "connls did not scaffold the connector: "+reason)
		return rawJSON(out), nil
	}
	// Success is said by the progress's end, and by clients from the
	// answer: one message, as for generation.
	p.end(summary)
	out.Notes = append(out.Notes, summary)
	return rawJSON(out), nil
}

// createFiles creates a scaffold's files: through the client like any
// generation, or on disk, as one change, for a client that cannot apply
// edits.
func (s *Server) createFiles(ctx context.Context, snap *workspace.Snapshot, res *generate.Result) (bool, string) {
	s.mu.Lock()
	applyEdit := s.caps.applyEdit
	roots := s.ws.Roots()
	s.mu.Unlock()
	if applyEdit {
		return s.applyResult(ctx, snap, res)
	}
	if err := s.writeFiles(res, roots); err != nil {
		return false, err.Error()
	}
	return true, ""
}
