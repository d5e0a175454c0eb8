package lsp

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/connls/connls/features"
)

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
