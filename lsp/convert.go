package lsp

import (
	"encoding/json"
	"fmt"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/workspace"
)

// codec marshals payloads with the protocol package's union-aware
// encoders, as protocol.NewServer's codec does; it is spelled out because
// the server builds its connection itself (see Server.ordered).
type codec struct{}

func (codec) Marshal(v any) ([]byte, error) {
	switch m := v.(type) {
	case jsonrpc2.RawMessage:
		if m == nil {
			return []byte("null"), nil
		}
		return m, nil
	case *jsonrpc2.RawMessage:
		if m == nil || *m == nil {
			return []byte("null"), nil
		}
		return *m, nil
	}
	return protocol.Marshal(v)
}

func (codec) Unmarshal(data []byte, v any) error {
	if p, ok := v.(*jsonrpc2.RawMessage); ok {
		*p = append(jsonrpc2.RawMessage(nil), data...)
		return nil
	}
	return protocol.Unmarshal(data, v)
}

func toPos(p workspace.Pos) protocol.Position {
	return protocol.Position{Line: uint32(max(p.Line, 0)), Character: uint32(max(p.Col, 0))}
}

func toRange(r workspace.Range) protocol.Range {
	return protocol.Range{Start: toPos(r.Start), End: toPos(r.End)}
}

func fromPos(p protocol.Position) workspace.Pos {
	return workspace.Pos{Line: int(p.Line), Col: int(p.Character)}
}

func fromRange(r protocol.Range) workspace.Range {
	return workspace.Range{Start: fromPos(r.Start), End: fromPos(r.End)}
}

func fileURI(abs string) uri.URI { return uri.File(abs) }

func toSeverity(s dsl.Severity) protocol.DiagnosticSeverity {
	switch s {
	case dsl.SevError:
		return protocol.DiagnosticSeverityError
	case dsl.SevWarning:
		return protocol.DiagnosticSeverityWarning
	case dsl.SevInformation:
		return protocol.DiagnosticSeverityInformation
	}
	return protocol.DiagnosticSeverityHint
}

// toDiagnostic converts a finding. The code and the fix titles ride in
// data, so code actions can find the finding again.
func toDiagnostic(p dsl.Problem) protocol.Diagnostic {
	d := protocol.Diagnostic{
		Range:    toRange(p.Range),
		Severity: toSeverity(p.Severity),
		Code:     protocol.String(p.Code),
		Source:   protocol.NewOptional("connls"),
		Message:  protocol.String(p.Message),
	}
	for _, r := range p.Related {
		d.RelatedInformation = append(d.RelatedInformation, protocol.DiagnosticRelatedInformation{
			Location: protocol.Location{URI: fileURI(r.Abs), Range: toRange(r.Range)}, Message: r.Message,
		})
	}
	return d
}

// textEdits converts edits of one file.
func textEdits(edits []dsl.Edit) []protocol.TextEdit {
	out := make([]protocol.TextEdit, 0, len(edits))
	for _, e := range edits {
		out = append(out, protocol.TextEdit{Range: toRange(e.Range), NewText: e.NewText})
	}
	return out
}

// rawJSON encodes a value as an LSPAny.
func rawJSON(v any) protocol.LSPAny {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("lsp: cannot encode %T: %v", v, err))
	}
	return protocol.LSPAny(b)
}

func ptr[T any](v T) *T { return &v }

// parseURI parses a document URI given in command arguments.
func parseURI(s string) (uri.URI, error) { return uri.Parse(s) }

// workspaceEdit turns edits into a WorkspaceEdit; with documentChanges
// each file's edit carries the version it was computed against, so the
// client refuses it if the user typed since.
func (s *Server) workspaceEdit(snap *workspace.Snapshot, edits []dsl.Edit) *protocol.WorkspaceEdit {
	byFile := map[string][]dsl.Edit{}
	var order []string
	for _, e := range edits {
		if _, ok := byFile[e.Abs]; !ok {
			order = append(order, e.Abs)
		}
		byFile[e.Abs] = append(byFile[e.Abs], e)
	}
	s.mu.Lock()
	docChanges := s.caps.documentChanges
	s.mu.Unlock()
	we := &protocol.WorkspaceEdit{}
	for _, abs := range order {
		tes := textEdits(byFile[abs])
		if !docChanges {
			if we.Changes == nil {
				we.Changes = map[uri.URI][]protocol.TextEdit{}
			}
			we.Changes[fileURI(abs)] = tes
			continue
		}
		we.DocumentChanges = append(we.DocumentChanges, textDocumentEdit(snap, abs, tes))
	}
	return we
}

func textDocumentEdit(snap *workspace.Snapshot, abs string, tes []protocol.TextEdit) *protocol.TextDocumentEdit {
	id := protocol.OptionalVersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: fileURI(abs)}}
	if f := snap.File(abs); f != nil && f.Open {
		v := f.Version
		id.Version = &v
	}
	var elems []protocol.TextDocumentEditElement
	for i := range tes {
		elems = append(elems, &tes[i])
	}
	return &protocol.TextDocumentEdit{TextDocument: id, Edits: elems}
}
