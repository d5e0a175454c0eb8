package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/features"
	"github.com/connls/connls/generate"
	"github.com/connls/connls/sailpoint"
	"github.com/connls/connls/workspace"
)

// generateArgs are the arguments of the connls.generate command.
// Without a class, the class at position in uri is meant (the editors'
// "generate for the class under the cursor" commands).
type generateArgs struct {
	URI      string             `json:"uri,omitempty"`
	Class    string             `json:"class,omitempty"`
	Position *protocol.Position `json:"position,omitempty"`
	Kind     string             `json:"kind"`
	Fresh    bool               `json:"fresh,omitempty"`
	AI       bool               `json:"ai,omitempty"`
}

// ExecuteCommand runs connls.generate and connls.checkWorkspace.
func (s *Server) ExecuteCommand(ctx context.Context, params *protocol.ExecuteCommandParams) (protocol.LSPAny, error) {
	switch params.Command {
	case cmdGenerate:
		if len(params.Arguments) != 1 {
			return nil, fmt.Errorf("%w: connls.generate takes one argument {class, kind, fresh}", jsonrpc2.ErrInvalidParams)
		}
		var args generateArgs
		if err := json.Unmarshal(params.Arguments[0], &args); err != nil || (args.Class == "" && args.URI == "") {
			return nil, fmt.Errorf("%w: connls.generate needs {class, kind} or {uri, position, kind}", jsonrpc2.ErrInvalidParams)
		}
		if args.Class == "" {
			u, err := parseURI(args.URI)
			_, m := s.currentModel(ctx)
			if err == nil && m != nil {
				var p workspace.Pos
				if args.Position != nil {
					p = fromPos(*args.Position)
				}
				args.Class = features.ClassAt(m, fileOf(u), p)
			}
			if args.Class == "" {
				s.showMessage(protocol.MessageTypeWarning, "connls: no object class here")
				return rawJSON(generationOutcome{Status: "failed", Notes: []string{"no object class at the cursor"}}), nil
			}
		}
		kind, err := generate.ParseKind(args.Kind)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", jsonrpc2.ErrInvalidParams, err)
		}
		out, err := s.runGeneration(ctx, params.WorkDoneToken, args, kind)
		if err != nil {
			return nil, err
		}
		return rawJSON(out), nil
	case cmdSailPointDryRun:
		return s.sailPointDryRun(ctx, params)
	case cmdScaffold:
		return s.scaffold(ctx, params)
	case cmdCheck:
		s.currentModel(ctx)
		s.mu.Lock()
		f := s.findings
		s.mu.Unlock()
		counts := map[string]int{}
		if f != nil {
			counts = f.counts
		}
		return rawJSON(counts), nil
	}
	return nil, fmt.Errorf("%w: unknown command %q", jsonrpc2.ErrInvalidParams, params.Command)
}

// generationOutcome is what connls.generate answers.
type generationOutcome struct {
	Status  string   `json:"status"`
	Title   string   `json:"title"`
	Applied bool     `json:"applied"`
	Notes   []string `json:"notes,omitempty"`
	Code    string   `json:"code,omitempty"`
	// Created and Changed are the URIs of the files the edit creates and
	// changes, for clients that show them (Neovim opens a new file).
	Created []string `json:"created,omitempty"`
	Changed []string `json:"changed,omitempty"`
	// Confirm is set when the change touches code written by hand, which
	// the user confirmed or refused; Diff shows it.
	Confirm bool   `json:"confirm,omitempty"`
	Diff    string `json:"diff,omitempty"`
}

// runGeneration is a job: it reports progress per documentation chunk,
// stops when cancelled (by $/cancelRequest or workDoneProgress/cancel),
// and applies its result through workspace/applyEdit with the versions it
// was computed against. Nothing is applied when it is cancelled.
func (s *Server) runGeneration(ctx context.Context, clientToken protocol.ProgressToken, args generateArgs, kind generate.Kind) (*generationOutcome, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	p := s.startProgress(ctx, fmt.Sprintf("connls: generating %s of %s", kind, args.Class), clientToken, cancel)
	defer p.end("stopped") // a no-op after the end each path reports
	// With a backend configured, the assistant is consulted when the
	// deterministic choice is unsure; "with AI" asks it in any case.
	assist := s.opts.Assist
	if args.AI && assist == nil {
		p.end("no AI backend configured")
		return nil, fmt.Errorf("%w: no AI backend is configured (connls serve --llm)", jsonrpc2.ErrInvalidParams)
	}
	// The user may type while the job runs; a result computed on an older
	// buffer is recomputed once before it is offered.
	for attempt := 0; ; attempt++ {
		snap, m := s.currentModel(ctx)
		if ctx.Err() != nil {
			p.end("cancelled")
			return nil, protocol.ErrRequestCancelled
		}
		if m == nil {
			p.end("no workspace")
			return nil, fmt.Errorf("%w: no workspace is open", jsonrpc2.ErrInvalidParams)
		}
		var unit *analysis.Unit
		if u, err := parseURI(args.URI); err == nil && args.URI != "" {
			unit = m.UnitOf(fileOf(u))
		}
		res, err := generate.Generate(ctx, generate.Request{Model: m, Unit: unit, Class: args.Class, Kind: kind, Fresh: args.Fresh,
			Assist: assist, AskAssist: args.AI, Progress: func(stage, msg string, done, total int) { p.report(msg, done, total) }})
		switch {
		case ctx.Err() != nil:
			p.end("cancelled; nothing was changed")
			return nil, protocol.ErrRequestCancelled
		case errors.Is(err, generate.ErrNotFound):
			p.end(err.Error())
			s.showMessage(protocol.MessageTypeWarning, err.Error())
			return &generationOutcome{Status: "failed", Notes: []string{err.Error()}}, nil
		case err != nil:
			p.end("failed")
			return nil, err
		}
		out := &generationOutcome{Status: res.Status, Title: res.Title, Notes: res.Notes, Code: res.Code, Confirm: res.Confirm}
		if res.Confirm {
			out.Diff = res.Diff()
		}
		for _, c := range res.Changes {
			if c.New {
				out.Created = append(out.Created, string(fileURI(c.Abs)))
			} else {
				out.Changed = append(out.Changed, string(fileURI(c.Abs)))
			}
		}
		if len(res.Changes) == 0 {
			p.end(strings.Join(res.Notes, "; "))
			s.showMessage(protocol.MessageTypeInfo, fmt.Sprintf("%s of %s: %s", kind, args.Class, strings.Join(res.Notes, "; ")))
			return out, nil
		}
		if s.stale(snap, res) && attempt < 2 {
			continue
		}
		applied, reason := s.applyResult(ctx, snap, res)
		out.Applied = applied
		if !applied {
			p.end("not applied: " + reason)
			s.showMessage(protocol.MessageTypeWarning, fmt.Sprintf("connls did not change %s: %s", args.Class, reason))
			return out, nil
		}
		p.end(res.Title)
		return out, nil
	}
}

// stale reports whether a buffer the result edits changed after the
// snapshot the result was computed on.
func (s *Server) stale(snap *workspace.Snapshot, res *generate.Result) bool {
	s.mu.Lock()
	ws := s.ws
	s.mu.Unlock()
	for _, c := range res.Changes {
		old := snap.File(c.Abs)
		cur := ws.Snapshot().File(c.Abs)
		if old != nil && cur != nil && old.Hash != cur.Hash {
			return true
		}
	}
	return false
}

// applyResult sends a generation's changes to the client. New files are
// created with CreateFile where the client supports it, else written
// directly, as one change (they overwrite nothing).
func (s *Server) applyResult(ctx context.Context, snap *workspace.Snapshot, res *generate.Result) (bool, string) {
	s.mu.Lock()
	caps := s.caps
	roots := s.ws.Roots()
	s.mu.Unlock()
	if !caps.applyEdit {
		return false, "the client cannot apply edits (workspace.applyEdit)"
	}
	// A change to code written by hand is applied only when the user
	// says so: with a change annotation that needs confirmation where the
	// client supports them, else after a question that shows the diff.
	annotate := res.Confirm && caps.changeAnnotations && caps.documentChanges
	if res.Confirm && !annotate {
		item, err := s.client.ShowMessageRequest(context.WithoutCancel(ctx), &protocol.ShowMessageRequestParams{
			Type:    protocol.MessageTypeWarning,
			Message: "connls: " + strings.Join(res.Notes, "; ") + "\n\n" + res.Diff(),
			Actions: []protocol.MessageActionItem{{Title: applyAction}, {Title: keepAction}},
		})
		if err != nil {
			return false, err.Error()
		}
		if item == nil || item.Title != applyAction {
			return false, "you kept your code"
		}
	}
	we := &protocol.WorkspaceEdit{}
	// New files the client cannot create are written here, all of them
	// as one change, once every path is known to be inside.
	onDisk := &generate.Result{}
	for _, c := range res.Changes {
		inside := false
		for _, r := range roots {
			inside = inside || workspace.Within(r, c.Abs)
		}
		if !inside {
			return false, c.Path + " is outside the workspace"
		}
		switch {
		case c.New && caps.createFiles && caps.documentChanges:
			we.DocumentChanges = append(we.DocumentChanges,
				&protocol.CreateFile{Kind: "create", URI: fileURI(c.Abs), Options: &protocol.CreateFileOptions{IgnoreIfExists: ptr(false), Overwrite: ptr(false)}},
				textDocumentEdit(snap, c.Abs, []protocol.TextEdit{{NewText: c.After}}))
		case c.New:
			onDisk.Changes = append(onDisk.Changes, c)
		case annotate:
			te := textDocumentEdit(snap, c.Abs, nil)
			for _, e := range textEdits(c.Edits) {
				te.Edits = append(te.Edits, &protocol.AnnotatedTextEdit{TextEdit: e, AnnotationID: handWrittenAnnotation})
			}
			we.DocumentChanges = append(we.DocumentChanges, te)
			desc := strings.Join(res.Notes, "\n")
			we.ChangeAnnotations = map[protocol.ChangeAnnotationIdentifier]protocol.ChangeAnnotation{
				handWrittenAnnotation: {Label: "connls: change code written by hand", NeedsConfirmation: ptr(true), Description: &desc},
			}
		case caps.documentChanges:
			we.DocumentChanges = append(we.DocumentChanges, textDocumentEdit(snap, c.Abs, textEdits(c.Edits)))
		default:
			if we.Changes == nil {
				we.Changes = map[uri.URI][]protocol.TextEdit{}
			}
			we.Changes[fileURI(c.Abs)] = textEdits(c.Edits)
		}
	}
	if len(onDisk.Changes) > 0 {
		if err := s.writeFiles(onDisk, roots); err != nil {
			return false, err.Error()
		}
	}
	if len(we.DocumentChanges) == 0 && len(we.Changes) == 0 {
		return true, ""
	}
	label := res.Title
	r, err := s.client.ApplyEdit(context.WithoutCancel(ctx), &protocol.ApplyWorkspaceEditParams{Label: &label, Edit: *we})
	if err != nil {
		return false, err.Error()
	}
	if !r.Applied {
		reason := "the client refused the edit"
		if r.FailureReason != nil {
			reason += ": " + *r.FailureReason
		}
		return false, reason
	}
	return true, ""
}

// writeFiles writes a result's files as one change and tells the
// workspace, which learns of them before any watcher does.
func (s *Server) writeFiles(res *generate.Result, roots []string) error {
	if err := generate.WriteFiles(res, roots); err != nil {
		return err
	}
	var written []string
	for _, c := range res.Changes {
		written = append(written, c.Abs)
	}
	s.diskChanged(written)
	return nil
}

func (s *Server) showMessage(t protocol.MessageType, msg string) {
	if err := s.client.ShowMessage(context.Background(), &protocol.ShowMessageParams{Type: t, Message: msg}); err != nil {
		s.log.Debug("showMessage failed", zap.Error(err))
	}
}

// sailPointDryRun shows the requests `connls sailpoint register` would
// send for the workspace's sailpoint.connector.json, as the buffer reads
// now. The tenant comes from SAIL_TENANT in the server's environment; the
// credentials are never needed for a dry run.
func (s *Server) sailPointDryRun(ctx context.Context, params *protocol.ExecuteCommandParams) (protocol.LSPAny, error) {
	var args struct {
		URI string `json:"uri"`
	}
	if len(params.Arguments) == 1 {
		json.Unmarshal(params.Arguments[0], &args)
	}
	snap, _ := s.currentModel(ctx)
	var f *workspace.File
	if u, err := parseURI(args.URI); err == nil && args.URI != "" && snap != nil {
		f = snap.File(fileOf(u))
	}
	if f == nil && snap != nil {
		for _, x := range snap.Files() {
			if x.Kind == workspace.KindSailPoint {
				f = x
				break
			}
		}
	}
	if f == nil {
		return nil, fmt.Errorf("%w: no %s in the workspace", jsonrpc2.ErrInvalidParams, analysis.SailPointFileName)
	}
	conn := analysis.ReadSailPoint(f)
	note := ""
	if err := conn.Err(); err != nil {
		note = fmt.Sprintf("\n\n(--apply refuses to send it as it is: %v)", err)
	}
	tenant := os.Getenv("SAIL_TENANT")
	base := "https://{tenant}.api.identitynow.com"
	if tenant != "" {
		if b, err := sailpoint.BaseURL(tenant); err == nil {
			base = b
		}
	}
	req := sailpoint.DryRun(base, conn.Connector)
	s.showMessage(protocol.MessageTypeInfo, "connls: Register in SailPoint (dry run); connls sailpoint register --apply sends:\n\n"+req+note)
	return rawJSON(map[string]string{"request": req}), nil
}

// The answers of the question asked before changing hand-written code,
// and the annotation of such a change.
const (
	applyAction           = "Apply"
	keepAction            = "Keep mine"
	handWrittenAnnotation = protocol.ChangeAnnotationIdentifier("connls.handWritten")
)
