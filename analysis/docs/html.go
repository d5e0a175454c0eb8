package docs

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// readHTML reads tables and endpoint lines of an HTML page. The tokenizer
// (not the tree parser) is used because it lets the reader count lines.
func readHTML(path string, text []byte) *Doc {
	d := &Doc{Path: path, Format: FormatHTML}
	z := html.NewTokenizer(bytes.NewReader(text))
	line := 1
	var (
		heading, headingText strings.Builder
		inHeading, inTitle   bool
		tables               []pageTable
		cur                  *pageTable
		row                  *pageRow
		cell                 *strings.Builder
		cellHeader           bool
		headerDone           bool
		sections             []section
		textLine             strings.Builder
		textStart            = 1
	)
	flushText := func() {
		if s := textLine.String(); strings.TrimSpace(s) != "" {
			eps := textEndpoints(s, textStart)
			d.Endpoints = append(d.Endpoints, eps...)
			if len(sections) > 0 {
				sections[len(sections)-1].endpoints += len(eps)
			}
		}
		textLine.Reset()
	}
	for {
		tt := z.Next()
		raw := z.Raw()
		startLine := line
		line += bytes.Count(raw, []byte{'\n'})
		switch tt {
		case html.ErrorToken:
			flushText()
			if len(sections) > 0 {
				sections[len(sections)-1].end = line
			}
			finishPage(d, tables, sections)
			return d
		case html.StartTagToken, html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			start := tt == html.StartTagToken
			switch a {
			case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				if start {
					flushText()
					inHeading = true
					headingText.Reset()
				} else if inHeading {
					inHeading = false
					heading.Reset()
					heading.WriteString(strings.TrimSpace(headingText.String()))
					if len(sections) > 0 {
						sections[len(sections)-1].end = startLine
					}
					sections = append(sections, section{title: heading.String(), start: startLine, end: startLine})
				}
			case atom.Title:
				inTitle = start
			case atom.Table:
				if start {
					flushText()
					tables = append(tables, pageTable{line: startLine, heading: heading.String()})
					cur = &tables[len(tables)-1]
					headerDone = false
					if len(sections) > 0 {
						sections[len(sections)-1].tables++
					}
				} else {
					cur = nil
				}
			case atom.Tr:
				if cur == nil {
					break
				}
				if start {
					row = &pageRow{line: startLine}
				} else if row != nil {
					if !headerDone && cellHeader {
						cur.header = row.cells
						headerDone = true
					} else if !headerDone && len(cur.header) == 0 && len(cur.rows) == 0 && len(row.cells) > 0 && findColumn(row.cells, typeHeaders) >= 0 {
						cur.header = row.cells // a header written with <td>
						headerDone = true
					} else {
						cur.rows = append(cur.rows, *row)
					}
					row, cellHeader = nil, false
				}
			case atom.Th, atom.Td:
				if row == nil {
					break
				}
				if start {
					cell = &strings.Builder{}
					cellHeader = a == atom.Th
				} else if cell != nil {
					row.cells = append(row.cells, strings.Join(strings.Fields(cell.String()), " "))
					cell = nil
				}
			case atom.P, atom.Li, atom.Br, atom.Div, atom.Pre, atom.Dt, atom.Dd:
				flushText()
				textStart = line
			}
		case html.TextToken:
			t := string(z.Text())
			switch {
			case inTitle:
				d.Title = strings.TrimSpace(t)
			case inHeading:
				headingText.WriteString(t)
			case cell != nil:
				cell.WriteString(t)
			default:
				if textLine.Len() == 0 {
					textStart = startLine
				}
				textLine.WriteString(t)
				if strings.Contains(t, "\n") {
					flushText()
					textStart = line
				}
			}
		}
	}
}
