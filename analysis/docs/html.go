package docs

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// readHTML reads an HTML page into items for the page builder: headings,
// lines of paragraphs, list items, preformatted blocks and tables. The
// tokenizer (not the tree parser) is used because it lets the reader
// count lines.
func readHTML(path string, text []byte) *Doc {
	d := &Doc{Path: path, Format: FormatHTML}
	b := newPageBuilder(d)
	z := html.NewTokenizer(bytes.NewReader(text))
	line := 1
	var (
		headingText        strings.Builder
		heading            string
		headingLevel       int
		inHeading, inTitle bool
		inPre, skip        bool
		pre                strings.Builder
		preLine            int
		cur                *pageTable
		row                *pageRow
		cell               *strings.Builder
		cellHeader         bool
		headerDone         bool
		textLine           strings.Builder
		textStart          = 1
		bullet             bool
	)
	flushText := func() {
		if s := strings.Join(strings.Fields(textLine.String()), " "); s != "" {
			kind := itemText
			if bullet {
				kind = itemBullet
			}
			b.add(pageItem{kind: kind, line: textStart, text: s})
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
			b.finish()
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
					headingLevel = int(name[1] - '0')
					headingText.Reset()
				} else if inHeading {
					inHeading = false
					heading = strings.Join(strings.Fields(headingText.String()), " ")
					b.add(pageItem{kind: itemHeading, level: headingLevel, line: startLine, text: heading})
				}
			case atom.Title:
				inTitle = start
			case atom.Script, atom.Style:
				skip = start
			case atom.Pre:
				if start {
					flushText()
					inPre, preLine = true, line
					pre.Reset()
				} else if inPre {
					inPre = false
					b.add(pageItem{kind: itemCode, line: preLine, text: pre.String()})
					textStart = line
				}
			case atom.Table:
				if start {
					flushText()
					cur = &pageTable{line: startLine, heading: heading}
					headerDone = false
				} else if cur != nil {
					b.add(pageItem{kind: itemTable, line: cur.line, table: cur})
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
			case atom.Li:
				flushText()
				bullet = start
				textStart = line
			case atom.P, atom.Br, atom.Div, atom.Dt, atom.Dd, atom.Ul, atom.Ol:
				flushText()
				textStart = line
				if a == atom.Ul || a == atom.Ol {
					bullet = false
				}
			}
		case html.TextToken:
			t := string(z.Text())
			switch {
			case skip:
			case inTitle:
				d.Title = strings.TrimSpace(t)
			case inHeading:
				headingText.WriteString(t)
			case inPre:
				pre.WriteString(t)
			case cell != nil:
				cell.WriteString(t)
			default:
				if textLine.Len() == 0 {
					textStart = startLine
				}
				textLine.WriteString(t)
			}
		}
	}
}
