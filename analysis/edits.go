package analysis

import (
	"strings"

	"github.com/connls/connls/analysis/dsl"
	"github.com/connls/connls/workspace"
)

// Helpers that build the text edits of quick fixes and generators, in
// the style of the surrounding code.

// IndentOf returns the leading white space of the line holding pos.
func IndentOf(f *workspace.File, pos workspace.Pos) string {
	l := f.Lines()
	start := l.LineStart(pos.Line)
	end := start
	for end < len(f.Text) && (f.Text[end] == ' ' || f.Text[end] == '\t') {
		end++
	}
	return string(f.Text[start:end])
}

// unitIndent guesses one level of indentation of a file: four spaces
// unless the file indents with tabs or two spaces.
func unitIndent(f *workspace.File) string {
	for _, line := range strings.SplitN(string(f.Text), "\n", 200) {
		switch {
		case strings.HasPrefix(line, "\t"):
			return "\t"
		case strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   "):
			return "  "
		case strings.HasPrefix(line, "    "):
			return "    "
		}
	}
	return "    "
}

// insertInBlock inserts statements at the end of a block, before its
// closing brace: on their own lines when the brace is on its own line,
// after a semicolon in a one-line block. block is the whole call, body
// the inside of its braces.
func insertInBlock(f *workspace.File, block, body workspace.Range, text string) dsl.Edit {
	l := f.Lines()
	indent := IndentOf(f, block.Start)
	unit := unitIndent(f)
	inner := indent + unit
	end := l.Offset(body.End)
	lineStart := l.LineStart(body.End.Line)
	if strings.TrimSpace(string(f.Text[lineStart:end])) == "" && body.Start.Line != body.End.Line {
		// The closing brace is on its own line: insert full lines before it.
		pos := workspace.Pos{Line: body.End.Line}
		return dsl.Edit{Abs: f.Abs, Range: workspace.Range{Start: pos, End: pos}, NewText: indentLines(text, inner, unit) + "\n"}
	}
	// A one-line block: { jsonType "string" }.
	trimmed := end
	for trimmed > 0 && (f.Text[trimmed-1] == ' ' || f.Text[trimmed-1] == '\t') {
		trimmed--
	}
	pos := l.Pos(trimmed)
	sep := "; "
	if trimmed > 0 && (f.Text[trimmed-1] == '{' || f.Text[trimmed-1] == ';') {
		sep = " "
	}
	if strings.Contains(text, "\n") {
		return dsl.Edit{Abs: f.Abs, Range: workspace.Range{Start: pos, End: l.Pos(end)}, NewText: "\n" + indentLines(text, inner, unit) + "\n" + indent}
	}
	return dsl.Edit{Abs: f.Abs, Range: workspace.Range{Start: pos, End: pos}, NewText: sep + text}
}

// indentLines prefixes every non-empty line of text with indent and
// writes the text's own indentation (four spaces a level) in unit.
func indentLines(text, indent, unit string) string {
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		if line == "" {
			continue
		}
		level := 0
		for strings.HasPrefix(line, "    ") {
			line = line[4:]
			level++
		}
		lines[i] = indent + strings.Repeat(unit, level) + line
	}
	return strings.Join(lines, "\n")
}

// deleteLine removes the whole line(s) holding r when nothing else is on
// them, else just r.
func deleteLine(f *workspace.File, r workspace.Range) dsl.Edit {
	l := f.Lines()
	start, end := l.Offset(r.Start), l.Offset(r.End)
	ls := l.LineStart(r.Start.Line)
	le := l.LineStart(r.End.Line + 1)
	before := strings.TrimSpace(string(f.Text[ls:start]))
	after := strings.TrimSpace(strings.TrimSuffix(string(f.Text[end:min(le, len(f.Text))]), "\n"))
	after = strings.TrimPrefix(after, ";")
	if before == "" && strings.TrimSpace(after) == "" {
		return dsl.Edit{Abs: f.Abs, Range: workspace.Range{Start: workspace.Pos{Line: r.Start.Line}, End: workspace.Pos{Line: r.End.Line + 1}}, NewText: ""}
	}
	return dsl.Edit{Abs: f.Abs, Range: r, NewText: ""}
}

// mergeInserts joins insertions at the same place into one edit, so that
// their order is kept (LSP leaves the order of same-place edits open).
func mergeInserts(edits []dsl.Edit) []dsl.Edit {
	var out []dsl.Edit
	for _, e := range edits {
		if n := len(out); n > 0 && out[n-1].Abs == e.Abs && out[n-1].Range == e.Range && e.Range.Start == e.Range.End {
			out[n-1].NewText += e.NewText
			continue
		}
		out = append(out, e)
	}
	return out
}
