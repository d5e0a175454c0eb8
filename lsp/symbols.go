package lsp

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/connls/connls/features"
)

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

var symbolKinds = map[features.SymbolKind]protocol.SymbolKind{
	features.SymbolClass:        protocol.SymbolKindClass,
	features.SymbolAttribute:    protocol.SymbolKindField,
	features.SymbolMapping:      protocol.SymbolKindKey,
	features.SymbolOperation:    protocol.SymbolKindMethod,
	features.SymbolEndpoint:     protocol.SymbolKindFunction,
	features.SymbolRelationship: protocol.SymbolKindInterface,
}
