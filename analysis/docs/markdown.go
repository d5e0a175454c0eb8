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

// readMarkdown reads GitHub-flavoured Markdown: tables of fields under
// headings, and "METHOD /path" anywhere in the text.
func readMarkdown(path string, src []byte) *Doc {
	d := &Doc{Path: path, Format: FormatMarkdown}
	lineOf := func(offset int) int { return 1 + bytes.Count(src[:min(offset, len(src))], []byte{'\n'}) }
	doc := markdown.Parser().Parse(text.NewReader(src))
	var (
		tables   []pageTable
		sections []section
		heading  string
	)
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
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
			if len(sections) > 0 {
				sections[len(sections)-1].end = line - 1
			}
			if d.Title == "" && n.Level == 1 {
				d.Title = heading
			}
			sections = append(sections, section{title: heading, start: line, end: line})
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
			tables = append(tables, t)
			if len(sections) > 0 {
				sections[len(sections)-1].tables++
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for i, l := range bytes.Split(src, []byte{'\n'}) {
		eps := textEndpoints(string(l), i+1)
		d.Endpoints = append(d.Endpoints, eps...)
		for s := range sections {
			if sections[s].start <= i+1 && (s+1 == len(sections) || sections[s+1].start > i+1) {
				sections[s].endpoints += len(eps)
			}
		}
	}
	if len(sections) > 0 {
		sections[len(sections)-1].end = lineOf(len(src))
	}
	finishPage(d, tables, sections)
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
