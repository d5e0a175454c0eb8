package docs

func readOpenAPI(path string, text []byte) *Doc           { return &Doc{Path: path} }
func readSCIM(path string, text []byte, isJSON bool) *Doc { return &Doc{Path: path} }
func readHTML(path string, text []byte) *Doc              { return &Doc{Path: path} }
func readMarkdown(path string, text []byte) *Doc          { return &Doc{Path: path} }
