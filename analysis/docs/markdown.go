package docs

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

var markdown = goldmark.New(goldmark.WithExtensions(extension.Table))

// readMarkdown reads GitHub-flavoured Markdown: headings, paragraphs,
// list items, code blocks and tables, in order, for the page builder.
func readMarkdown(path string, src []byte) *Doc {
	d := &Doc{Path: path, Format: FormatMarkdown}
	lineOf := func(offset int) int { return 1 + bytes.Count(src[:min(offset, len(src))], []byte{'\n'}) }
	b := newPageBuilder(d)
	heading := ""
	// lines emits the source lines of a block, one item each.
	lines := func(n ast.Node, kind itemKind) {
		ls := n.Lines()
		for i := 0; i < ls.Len(); i++ {
			seg := ls.At(i)
			b.add(pageItem{kind: kind, line: lineOf(seg.Start), text: string(seg.Value(src))})
		}
	}
	_ = ast.Walk(markdown.Parser().Parse(text.NewReader(src)), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			heading = strings.TrimSpace(plainText(n, src))
			line := 1
			if n.Lines().Len() > 0 {
				line = lineOf(n.Lines().At(0).Start)
			}
			b.add(pageItem{kind: itemHeading, level: n.Level, line: line, text: heading})
			return ast.WalkSkipChildren, nil
		case *ast.ListItem:
			// The item's own text; its nested lists come as items of
			// their own.
			var parts []string
			line := 0
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if _, ok := c.(*ast.List); ok {
					continue
				}
				ls := c.Lines()
				for i := 0; i < ls.Len(); i++ {
					seg := ls.At(i)
					if line == 0 {
						line = lineOf(seg.Start)
					}
					parts = append(parts, strings.TrimSpace(string(seg.Value(src))))
				}
			}
			if line > 0 {
				b.add(pageItem{kind: itemBullet, line: line, text: strings.Join(parts, " ")})
			}
			return ast.WalkContinue, nil
		case *ast.Paragraph, *ast.TextBlock:
			if _, inItem := n.Parent().(*ast.ListItem); inItem {
				return ast.WalkSkipChildren, nil
			}
			lines(n, itemText)
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			ls := n.Lines()
			if ls.Len() == 0 {
				return ast.WalkSkipChildren, nil
			}
			var code strings.Builder
			for i := 0; i < ls.Len(); i++ {
				seg := ls.At(i)
				code.Write(seg.Value(src))
			}
			b.add(pageItem{kind: itemCode, line: lineOf(ls.At(0).Start), text: code.String()})
			return ast.WalkSkipChildren, nil
		case *extast.Table:
			t := pageTable{heading: heading}
			for row := n.FirstChild(); row != nil; row = row.NextSibling() {
				var cells []string
				line := 0
				for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
					cells = append(cells, strings.TrimSpace(plainText(cell, src)))
					if line == 0 {
						if off := firstOffset(cell); off >= 0 {
							line = lineOf(off)
						}
					}
				}
				if _, ok := row.(*extast.TableHeader); ok {
					t.header, t.line = cells, line
					continue
				}
				t.rows = append(t.rows, pageRow{line: line, cells: cells})
			}
			if t.line == 0 && len(t.rows) > 0 {
				t.line = t.rows[0].line - 2
			}
			b.add(pageItem{kind: itemTable, line: t.line, table: &t})
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	b.finish()
	return d
}

// plainText collects the text of a node's inline children.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// firstOffset returns the source offset of a node's first text, or -1.
func firstOffset(n ast.Node) int {
	off := -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			off = t.Segment.Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	return off
}
