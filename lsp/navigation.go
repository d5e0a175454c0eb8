package lsp

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/connls/connls/features"
)

// The editor features are computed by package features from the model of
// the current snapshot; these handlers only convert.

// Hover describes the attribute, class or DSL name under the cursor.
func (s *Server) Hover(ctx context.Context, params *protocol.HoverParams) (*protocol.Hover, error) {
	abs := fileOf(params.TextDocument.URI)
	_, m := s.currentModel(ctx)
	if m == nil || abs == "" {
		return nil, nil
	}
	h, ok := features.HoverAt(m, abs, fromPos(params.Position))
	if !ok {
		return nil, nil
	}
	r := toRange(h.Range)
	return &protocol.Hover{Contents: &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: h.Markdown}, Range: &r}, nil
}

// Definition goes from a use of an attribute or class to where the
// scripts declare it, or the documents describe it.
func (s *Server) Definition(ctx context.Context, params *protocol.DefinitionParams) (protocol.DefinitionResult, error) {
	abs := fileOf(params.TextDocument.URI)
	_, m := s.currentModel(ctx)
	out := protocol.LocationSlice{}
	if m == nil || abs == "" {
		return out, nil
	}
	for _, l := range features.Definition(m, abs, fromPos(params.Position)) {
		out = append(out, toLocation(l))
	}
	return out, nil
}

// References lists every use of the attribute or class under the cursor
// in the connector's scripts.
func (s *Server) References(ctx context.Context, params *protocol.ReferenceParams) ([]protocol.Location, error) {
	abs := fileOf(params.TextDocument.URI)
	_, m := s.currentModel(ctx)
	out := []protocol.Location{}
	if m == nil || abs == "" {
		return out, nil
	}
	for _, l := range features.References(m, abs, fromPos(params.Position), params.Context.IncludeDeclaration) {
		out = append(out, toLocation(l))
	}
	return out, nil
}

func toLocation(l features.Location) protocol.Location {
	return protocol.Location{URI: fileURI(l.Abs), Range: toRange(l.Range)}
}

var symbolKinds = map[features.SymbolKind]protocol.SymbolKind{
	features.SymbolClass:        protocol.SymbolKindClass,
	features.SymbolAttribute:    protocol.SymbolKindField,
	features.SymbolMapping:      protocol.SymbolKindKey,
	features.SymbolOperation:    protocol.SymbolKindMethod,
	features.SymbolEndpoint:     protocol.SymbolKindFunction,
	features.SymbolRelationship: protocol.SymbolKindInterface,
}

// DocumentSymbol outlines a script: classes, their attributes and
// operations with endpoints; flat for clients without hierarchy.
func (s *Server) DocumentSymbol(ctx context.Context, params *protocol.DocumentSymbolParams) (protocol.DocumentSymbolResult, error) {
	abs := fileOf(params.TextDocument.URI)
	_, m := s.currentModel(ctx)
	if m == nil || abs == "" {
		return protocol.DocumentSymbolSlice{}, nil
	}
	outline := features.Outline(m, abs)
	s.mu.Lock()
	hier := s.caps.hierarchicalSymbol
	s.mu.Unlock()
	if hier {
		var convert func([]features.Symbol) []protocol.DocumentSymbol
		convert = func(list []features.Symbol) []protocol.DocumentSymbol {
			var out []protocol.DocumentSymbol
			for _, sym := range list {
				d := protocol.DocumentSymbol{Name: sym.Name, Kind: symbolKinds[sym.Kind], Range: toRange(sym.Range),
					SelectionRange: toRange(sym.Selection), Children: convert(sym.Children)}
				if sym.Detail != "" {
					d.Detail = &sym.Detail
				}
				out = append(out, d)
			}
			return out
		}
		syms := protocol.DocumentSymbolSlice(convert(outline))
		if syms == nil {
			syms = protocol.DocumentSymbolSlice{}
		}
		return syms, nil
	}
	flat := protocol.SymbolInformationSlice{}
	var walk func([]features.Symbol, string)
	walk = func(list []features.Symbol, container string) {
		for _, sym := range list {
			si := protocol.SymbolInformation{BaseSymbolInformation: protocol.BaseSymbolInformation{Name: sym.Name, Kind: symbolKinds[sym.Kind]},
				Location: protocol.Location{URI: fileURI(abs), Range: toRange(sym.Range)}}
			if container != "" {
				si.ContainerName = &container
			}
			flat = append(flat, si)
			walk(sym.Children, sym.Name)
		}
	}
	walk(outline, "")
	return flat, nil
}

var completionKinds = map[features.CompletionKind]protocol.CompletionItemKind{
	features.CompleteMember:    protocol.CompletionItemKindMethod,
	features.CompleteBlock:     protocol.CompletionItemKindMethod,
	features.CompleteAttribute: protocol.CompletionItemKindField,
	features.CompleteConstant:  protocol.CompletionItemKindConstant,
	features.CompleteValue:     protocol.CompletionItemKindValue,
	features.CompleteEnum:      protocol.CompletionItemKindEnumMember,
}

// Completion offers what fits where the cursor is (see
// features.Complete); snippets go to clients that take them.
func (s *Server) Completion(ctx context.Context, params *protocol.CompletionParams) (protocol.CompletionResult, error) {
	abs := fileOf(params.TextDocument.URI)
	snap, m := s.currentModel(ctx)
	list := &protocol.CompletionList{Items: []protocol.CompletionItem{}}
	if m == nil || abs == "" || snap.File(abs) == nil {
		return list, nil
	}
	s.mu.Lock()
	snippets := s.caps.snippets
	s.mu.Unlock()
	for _, c := range features.Complete(m, abs, fromPos(params.Position)) {
		it := protocol.CompletionItem{Label: c.Label, Kind: completionKinds[c.Kind]}
		if c.Detail != "" {
			it.Detail = protocol.NewOptional(c.Detail)
		}
		if c.Doc != "" {
			it.Documentation = protocol.String(c.Doc)
		}
		if snippets && c.Snippet != "" && c.Snippet != c.Label {
			it.InsertText = protocol.NewOptional(c.Snippet)
			it.InsertTextFormat = protocol.InsertTextFormatSnippet
		}
		list.Items = append(list.Items, it)
	}
	return list, nil
}
