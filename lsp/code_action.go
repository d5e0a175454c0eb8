package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/features"
	"github.com/connls/connls/generate"
	"github.com/connls/connls/workspace"
)

// kindGenerate is the kind of the generation source actions.
const (
	kindGenerate  protocol.CodeActionKind = "source.generate.connls"
	kindSailPoint protocol.CodeActionKind = "source.sailpoint.connls"
)

// fixData identifies a quick fix for codeAction/resolve.
type fixData struct {
	URI     string          `json:"uri"`
	Code    string          `json:"code"`
	Range   workspace.Range `json:"range"`
	Fix     int             `json:"fix"`
	Version int32           `json:"version"`
}

// CodeAction offers the quick fixes of the findings in the range and the
// generation actions of the class at the cursor.
func (s *Server) CodeAction(ctx context.Context, params *protocol.CodeActionParams) ([]protocol.CommandOrCodeAction, error) {
	abs := fileOf(params.TextDocument.URI)
	snap, m := s.currentModel(ctx)
	if m == nil || abs == "" || snap.File(abs) == nil {
		return []protocol.CommandOrCodeAction{}, nil
	}
	f := snap.File(abs)
	want := func(k protocol.CodeActionKind) bool {
		if len(params.Context.Only) == 0 {
			return true
		}
		for _, o := range params.Context.Only {
			if k == o || strings.HasPrefix(string(k), string(o)+".") {
				return true
			}
		}
		return false
	}
	var out []protocol.CommandOrCodeAction
	rng := fromRange(params.Range)
	s.mu.Lock()
	resolve := s.caps.resolveEdits
	s.mu.Unlock()
	if want(protocol.CodeActionKindQuickFix) {
		{
			for _, p := range s.problemsOf(m, abs) {
				if !overlaps(p.Range, rng) {
					continue
				}
				for i, fix := range p.Fixes {
					a := &protocol.CodeAction{Title: fix.Title, Kind: ptr(protocol.CodeActionKindQuickFix),
						Diagnostics: []protocol.Diagnostic{toDiagnostic(p)}}
					if i == 0 {
						a.IsPreferred = ptr(true)
					}
					if resolve {
						a.Data = rawJSON(fixData{URI: string(params.TextDocument.URI), Code: p.Code, Range: p.Range, Fix: i, Version: f.Version})
					} else {
						a.Edit = s.workspaceEdit(snap, fix.Edits)
					}
					out = append(out, a)
				}
			}
		}
	}
	if want(kindGenerate) {
		out = append(out, s.generateActions(ctx, m, abs, rng.Start)...)
		out = append(out, scaffoldActions(m, abs)...)
	}
	if f.Kind == workspace.KindSailPoint && want(kindSailPoint) {
		t := "Register in SailPoint (dry run)"
		out = append(out, &protocol.CodeAction{Title: t, Kind: ptr(kindSailPoint),
			Command: protocol.Command{Title: t, Command: cmdSailPointDryRun, Arguments: []protocol.LSPAny{rawJSON(map[string]string{"uri": string(params.TextDocument.URI)})}}})
	}
	if out == nil {
		out = []protocol.CommandOrCodeAction{}
	}
	return out, nil
}

// problemsOf returns the findings of a file in model m: the ones computed
// once per analysis when m is the current model.
func (s *Server) problemsOf(m *analysis.Model, abs string) []dsl.Problem {
	s.mu.Lock()
	f := s.findings
	s.mu.Unlock()
	if f != nil && f.model == m {
		return f.problems[abs]
	}
	u := m.UnitOf(abs)
	if u == nil {
		return nil
	}
	var out []dsl.Problem
	for _, p := range m.UnitDiagnostics(u) {
		if p.Abs == abs {
			out = append(out, p)
		}
	}
	return out
}

func overlaps(a, b workspace.Range) bool {
	return !a.End.Before(b.Start) && !b.End.Before(a.Start)
}

var generateLabels = map[generate.Kind]string{
	generate.KindConnID: "connid mapping", generate.KindUpdate: "update operation",
	generate.KindNative: "native schema", generate.KindSearch: "search", generate.KindCreate: "create operation", generate.KindDelete: "delete operation",
}

// generateActions offers generation for the class at the cursor. Titles
// come from the generator's plan, so they name the choice (and the
// runner-up of a close call); the change itself is built only when the
// user picks an action, not on every cursor move.
func (s *Server) generateActions(ctx context.Context, m *analysis.Model, abs string, pos workspace.Pos) []protocol.CommandOrCodeAction {
	class := features.ClassAt(m, abs, pos)
	if class == "" {
		return nil
	}
	u := m.UnitOf(abs)
	var out []protocol.CommandOrCodeAction
	for _, kind := range []generate.Kind{generate.KindConnID, generate.KindUpdate, generate.KindNative, generate.KindSearch, generate.KindCreate, generate.KindDelete} {
		label := generateLabels[kind]
		add := func(t string, args generateArgs) {
			out = append(out, &protocol.CodeAction{Title: t, Kind: ptr(kindGenerate),
				Command: protocol.Command{Title: t, Command: cmdGenerate, Arguments: []protocol.LSPAny{rawJSON(args)}}})
		}
		args := generateArgs{URI: string(fileURI(abs)), Class: class, Kind: string(kind)}
		// The dry run that names the choice never asks the assistant.
		res, err := generate.Generate(ctx, generate.Request{Model: m, Unit: u, Class: class, Kind: kind, Fresh: true, PlanOnly: true})
		if err != nil {
			// Prerequisites missing; only an assistant may read what the
			// documentation says in prose.
			if s.opts.Assist != nil && errors.Is(err, generate.ErrNotFound) && kind == generate.KindUpdate && u != nil && u.Class(class) != nil {
				ai := args
				ai.AI, ai.Fresh = true, true
				add(fmt.Sprintf("Generate %s for %s with AI (%s)", label, class, s.opts.AssistName), ai)
			}
			continue
		}
		if kind != generate.KindConnID && kind != generate.KindUpdate && res.Status != "created" {
			continue // the other scripts are offered where they are missing
		}
		title := res.Title
		add(title, args)
		if res.Status == "updated" {
			fresh := args
			fresh.Fresh = true
			add(fmt.Sprintf("Regenerate %s for %s from scratch (replaces manual edits)", label, class), fresh)
		}
		if s.opts.Assist != nil && (kind == generate.KindConnID || kind == generate.KindUpdate) {
			ai := args
			ai.AI, ai.Fresh = true, true
			add(fmt.Sprintf("Generate %s for %s with AI (%s)", label, class, s.opts.AssistName), ai)
		}
	}
	// The relationships the documentation shows for the class, where no
	// script relates the two classes yet: one search of the unit, no
	// generation, per request.
	if u != nil {
		for _, r := range generate.FindRelations(u) {
			if r.Declared || r.Subject != class && r.Object != class {
				continue
			}
			t := fmt.Sprintf("Generate relationship %s: %s.%s and %s.%s", r.Name, r.Subject, r.SubjectAttr, r.Object, r.ObjectAttr)
			args := generateArgs{URI: string(fileURI(abs)), Class: r.Name, Kind: string(generate.KindRelations)}
			out = append(out, &protocol.CodeAction{Title: t, Kind: ptr(kindGenerate),
				Command: protocol.Command{Title: t, Command: cmdGenerate, Arguments: []protocol.LSPAny{rawJSON(args)}}})
		}
	}
	return out
}

// CodeActionResolve computes the edit of a quick fix lazily.
func (s *Server) CodeActionResolve(ctx context.Context, action *protocol.CodeAction) (*protocol.CodeAction, error) {
	var d fixData
	if err := json.Unmarshal(action.Data, &d); err != nil || d.URI == "" {
		return action, nil
	}
	u, err := parseURI(d.URI)
	if err != nil {
		return action, nil
	}
	abs := fileOf(u)
	snap, m := s.currentModel(ctx)
	if m == nil || snap.File(abs) == nil {
		return nil, protocol.ErrContentModified
	}
	if f := snap.File(abs); f.Open && f.Version != d.Version {
		return nil, protocol.ErrContentModified
	}
	for _, p := range s.problemsOf(m, abs) {
		if p.Code == d.Code && p.Range == d.Range && d.Fix < len(p.Fixes) {
			action.Edit = s.workspaceEdit(snap, p.Fixes[d.Fix].Edits)
			return action, nil
		}
	}
	return nil, protocol.ErrContentModified
}
