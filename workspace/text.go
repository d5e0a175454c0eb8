package workspace

import (
	"bytes"
	"fmt"
	"sort"
	"sync"
	"unicode/utf8"
)

// Pos is a zero-based line and column. Columns count UTF-16 code units,
// as the Language Server Protocol does, so positions computed here can be
// sent to any client unchanged.
type Pos struct {
	Line int `json:"line"`
	Col  int `json:"character"`
}

// Range is a half-open span of text between two positions.
type Range struct {
	Start Pos `json:"start"`
	End   Pos `json:"end"`
}

func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line+1, p.Col+1) }

// Before reports whether p comes strictly before q.
func (p Pos) Before(q Pos) bool {
	return p.Line < q.Line || (p.Line == q.Line && p.Col < q.Col)
}

// Contains reports whether p lies within r (the end is included, so a
// cursor placed right after a word still counts as being on it).
func (r Range) Contains(p Pos) bool {
	return !p.Before(r.Start) && !r.End.Before(p)
}

// Lines indexes the line starts of a text so that byte offsets and
// UTF-16 positions convert in O(log n).
type Lines struct {
	text   []byte
	starts []int
	// marks count UTF-16 units from the start of the text at rune
	// boundaries every markEvery bytes, built on the first column asked
	// far into a long line: a 5 MB script on one line has a million
	// positions on it, and counting each from the line start is
	// quadratic.
	marksOnce sync.Once
	markAt    []int32
	markUnits []int32
}

// markEvery is the spacing of the marks, and the longest distance
// counted rune by rune.
const markEvery = 128

// NewLines indexes text. Lines end at "\n"; a preceding "\r" belongs to
// the line it ends, as in LSP.
func NewLines(text []byte) *Lines {
	starts := make([]int, 1, len(text)/32+1)
	// bytes.IndexByte scans many bytes at a time: an open document's
	// index is built again after every edit.
	for i := 0; ; {
		j := bytes.IndexByte(text[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		starts = append(starts, i)
	}
	return &Lines{text: text, starts: starts}
}

// Count returns the number of lines.
func (l *Lines) Count() int { return len(l.starts) }

// LineStart returns the byte offset at which line n starts.
func (l *Lines) LineStart(n int) int {
	if n < 0 {
		return 0
	}
	if n >= len(l.starts) {
		return len(l.text)
	}
	return l.starts[n]
}

// Pos converts a byte offset into a position.
func (l *Lines) Pos(offset int) Pos {
	if offset < 0 {
		offset = 0
	}
	if offset > len(l.text) {
		offset = len(l.text)
	}
	line := sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > offset }) - 1
	return Pos{Line: line, Col: l.col(line, offset)}
}

// col returns the UTF-16 column of offset on line.
func (l *Lines) col(line, offset int) int {
	start := l.starts[line]
	if offset-start <= markEvery {
		return utf16Len(l.text[start:offset])
	}
	l.marksOnce.Do(l.mark)
	return l.unitsTo(offset) - l.unitsTo(start)
}

// mark places the marks.
func (l *Lines) mark() {
	units := 0
	next := 0
	for i := 0; i < len(l.text); {
		if i >= next {
			l.markAt = append(l.markAt, int32(i))
			l.markUnits = append(l.markUnits, int32(units))
			next = i + markEvery
		}
		c := l.text[i]
		if c < utf8.RuneSelf {
			units++
			i++
			continue
		}
		r, size := utf8.DecodeRune(l.text[i:])
		units++
		if r >= 0x10000 {
			units++
		}
		i += size
	}
}

// unitsTo counts the UTF-16 units of the text before offset, which is a
// rune boundary (a line start, or a position the readers found).
func (l *Lines) unitsTo(offset int) int {
	k := sort.Search(len(l.markAt), func(i int) bool { return int(l.markAt[i]) > offset }) - 1
	if k < 0 {
		return utf16Len(l.text[:offset])
	}
	return int(l.markUnits[k]) + utf16Len(l.text[l.markAt[k]:offset])
}

// Cursor converts offsets that mostly come in increasing order, as a
// reader walking a file produces them, faster than Lines.Pos: it starts
// looking from the line of the previous answer. A Cursor is not safe for
// concurrent use; Lines is.
type Cursor struct {
	l    *Lines
	line int
	// at and col are the last offset converted on line and its column:
	// the next one further on counts from there.
	at, col int
}

// Cursor returns a new cursor over l.
func (l *Lines) Cursor() *Cursor { return &Cursor{l: l} }

// Pos converts a byte offset into a position.
func (c *Cursor) Pos(offset int) Pos {
	l := c.l
	if offset < 0 {
		offset = 0
	}
	if offset > len(l.text) {
		offset = len(l.text)
	}
	line := c.line
	if line >= len(l.starts) || l.starts[line] > offset || line+8 < len(l.starts) && l.starts[line+8] <= offset {
		return c.search(offset)
	}
	for line+1 < len(l.starts) && l.starts[line+1] <= offset {
		line++
	}
	col := 0
	if line == c.line && c.at <= offset && c.at >= l.starts[line] {
		col = c.col + utf16Len(l.text[c.at:offset])
	} else {
		col = l.col(line, offset)
	}
	c.line, c.at, c.col = line, offset, col
	return Pos{Line: line, Col: col}
}

func (c *Cursor) search(offset int) Pos {
	p := c.l.Pos(offset)
	c.line, c.at, c.col = p.Line, offset, p.Col
	return p
}

// Range converts a pair of byte offsets into a range.
func (c *Cursor) Range(start, end int) Range {
	return Range{Start: c.Pos(start), End: c.Pos(end)}
}

// Range converts a pair of byte offsets into a range.
func (l *Lines) Range(start, end int) Range {
	return Range{Start: l.Pos(start), End: l.Pos(end)}
}

// Offset converts a position into a byte offset. Positions past the end
// of a line clamp to the line's end and lines past the end of the text
// clamp to its end, as the protocol asks of servers.
func (l *Lines) Offset(p Pos) int {
	if p.Line < 0 {
		return 0
	}
	if p.Line >= len(l.starts) {
		return len(l.text)
	}
	i := l.starts[p.Line]
	end := len(l.text)
	if p.Line+1 < len(l.starts) {
		end = l.starts[p.Line+1] - 1 // the '\n'
		if end > i && l.text[end-1] == '\r' {
			end--
		}
	}
	for col := 0; i < end && col < p.Col; {
		r, size := utf8.DecodeRune(l.text[i:end])
		if r >= 0x10000 {
			col += 2
		} else {
			col++
		}
		i += size
	}
	return i
}

// utf16Len counts the UTF-16 code units of UTF-8 text. Invalid bytes
// count as one unit each, which is what editors show for them.
func utf16Len(b []byte) int {
	n := 0
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
		i += size
	}
	return n
}

// Change is one edit of a document: the text that replaces a range, or
// the whole document when Range is nil.
type Change struct {
	Range *Range
	Text  string
}

// ApplyChanges applies edits in order, as textDocument/didChange
// requires: each edit's range refers to the text left by the one before.
func ApplyChanges(text []byte, changes []Change) ([]byte, error) {
	return applyChanges(text, nil, changes)
}

// applyChanges is ApplyChanges with the line index of text, when the
// caller has it: an open document's file keeps one, and indexing the
// text again for every keystroke costs a pass over it.
func applyChanges(text []byte, lines *Lines, changes []Change) ([]byte, error) {
	for _, c := range changes {
		if c.Range == nil {
			text, lines = []byte(c.Text), nil
			continue
		}
		if c.Range.End.Before(c.Range.Start) {
			return nil, fmt.Errorf("invalid range %v-%v: end before start", c.Range.Start, c.Range.End)
		}
		if lines == nil {
			lines = NewLines(text)
		}
		start, end := lines.Offset(c.Range.Start), lines.Offset(c.Range.End)
		lines = nil // text changes below
		out := make([]byte, 0, len(text)-(end-start)+len(c.Text))
		out = append(out, text[:start]...)
		out = append(out, c.Text...)
		out = append(out, text[end:]...)
		text = out
	}
	return text, nil
}
