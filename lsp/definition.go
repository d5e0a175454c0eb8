package lsp

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/connls/connls/features"
)

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
