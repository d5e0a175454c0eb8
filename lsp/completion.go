package lsp

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/connls/connls/features"
)

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

var completionKinds = map[features.CompletionKind]protocol.CompletionItemKind{
	features.CompleteMember:    protocol.CompletionItemKindMethod,
	features.CompleteBlock:     protocol.CompletionItemKindMethod,
	features.CompleteAttribute: protocol.CompletionItemKindField,
	features.CompleteConstant:  protocol.CompletionItemKindConstant,
	features.CompleteValue:     protocol.CompletionItemKindValue,
	features.CompleteEnum:      protocol.CompletionItemKindEnumMember,
}
