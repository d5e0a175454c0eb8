package lsp

import (
	"context"
	"fmt"
)

// largeDocument is the size from which the server reads a document
// aside (see analysis.Analyzer.ReadLargeDocsAside): a 20 MB OpenAPI
// document takes seconds to read, on every version the editor sends, and
// requests wait for the analysis. Below it, a reading is quick enough to
// wait for; the 10 MB document of the benchmarks is.
var largeDocument = 16 << 20

// readLargeDocsAside reads large documents in the background, with a
// progress notification, and analyses again once one is read.
func (s *Server) readLargeDocsAside() {
	s.analyzer.ReadLargeDocsAside(largeDocument, func(path string, size int) func() {
		p := s.startProgress(context.Background(), fmt.Sprintf("connls: reading %s (%d MB)", path, size>>20), nil, nil)
		return func() {
			p.end("read")
			s.analyze.schedule()
		}
	})
}
