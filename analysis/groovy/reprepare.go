package groovy

import "bytes"

// reprepare is the prepass of a new version of a text whose previous
// version old was prepared from oldSrc. Instead of lexing the whole text
// again it lexes a window around the edit: from the last cut (the start
// of a top-level statement, see cut) before the edit to the first cut
// after it. The rest is the old version's, moved by the change in
// length. The result is exactly what prepare(src) returns; where that
// cannot be shown cheaply (the window does not end in plain code, an
// edit joins statements across a cut, the text has lexical errors), it
// is prepare(src).
func reprepare(old *prepared, oldSrc, src []byte) *prepared {
	if p := resume(old, oldSrc, src); p != nil {
		return p
	}
	return prepare(src)
}

// resume is reprepare's window, or nil where it cannot be used.
func resume(old *prepared, oldSrc, src []byte) *prepared {
	if old == nil || len(old.errs) > 0 || len(old.cuts) == 0 {
		return nil
	}
	// The edit: src[a:len(src)-b] replaced oldSrc[a:len(oldSrc)-b].
	a := commonPrefix(oldSrc, src)
	b := commonSuffix(oldSrc[a:], src[a:])
	delta := len(src) - len(oldSrc)
	oldEnd := len(oldSrc) - b

	// The window starts at the last cut at or before the edit (or at the
	// start of the text) and ends at the first cut after it (or at the
	// end).
	lo := -1
	for i, c := range old.cuts {
		if c.off > a {
			break
		}
		lo = i
	}
	start := 0
	var lead *cut
	if lo >= 0 {
		start, lead = old.cuts[lo].off, &old.cuts[lo]
	}
	hi := len(old.cuts)
	for i := max(lo, 0); i < len(old.cuts); i++ {
		if old.cuts[i].off > oldEnd {
			hi = i
			break
		}
	}
	oldStop, stop := len(oldSrc), len(src)
	if hi < len(old.cuts) {
		oldStop = old.cuts[hi].off
		stop = oldStop + delta
	}

	// A slash before the window that found no closing slash after it
	// may find one in the edit.
	if len(old.noSlashy) > 0 && old.noSlashy[0] < start {
		return nil
	}
	lx := lexRange(src, start, stop)
	if lx.i != stop || len(lx.errs) > 0 || lx.openAtEOF || len(lx.stack) > 0 || len(lx.toks) == 0 {
		return nil
	}
	toks := lx.toks
	first, last := toks[0], toks[len(toks)-1]
	// The window's first statement must start where the old one did,
	// with a name: it then continues the statement before the cut no
	// more than the old one did (continues looks at the kind of its
	// first token only).
	if first.kind != tIdent || lead != nil && first.start != start {
		return nil
	}
	if hi < len(old.cuts) {
		// Nor may the window's last statement run on into the statement
		// after it.
		// And the statement after it must not have been the first of the
		// text (prepare treats the first token apart).
		next := old.cuts[hi].first
		if !old.cuts[hi].hasPrev || bytes.IndexByte(src[last.end:stop], '\n') < 0 || continues(last, next.tok()) {
			return nil
		}
	}

	p := &prepared{
		text:     make([]byte, len(src)),
		declared: make(map[string]bool, len(old.declared)),
		lead:     lead,
	}
	copy(p.text, old.text[:start])
	copy(p.text[start:], src[start:stop])
	copy(p.text[stop:], old.text[oldStop:])

	// Before the window: the old version's, as it is.
	for _, c := range old.comments {
		if c.Start < start {
			p.comments = append(p.comments, c)
		}
	}
	for _, r := range old.regions {
		if r.Start < start {
			p.regions = append(p.regions, r)
		}
	}
	for _, c := range old.chains {
		if c < start {
			p.chains = append(p.chains, c)
		}
	}
	for _, s := range old.stmts {
		if s.start < start {
			p.stmts = append(p.stmts, s)
		}
	}
	for _, d := range old.decls {
		if d.off < start {
			p.decls = append(p.decls, d)
		}
	}
	p.cuts = append(p.cuts, old.cuts[:max(lo, 0)]...)

	// The window, prepared as prepare would.
	p.comments = append(p.comments, lx.comments...)
	p.noSlashy = append(p.noSlashy, lx.noSlashy...)
	for _, c := range lx.comments {
		blank(p.text, c.Start, c.End)
	}
	from := 0
	if lead == nil || !lead.hasPrev {
		from = 1 // as prepare: the first token of the text declares nothing
	}
	p.passes(src, toks, from)
	p.lead = nil

	// After the window: the old version's, moved.
	for _, c := range old.comments {
		if c.Start >= oldStop {
			c.Start += delta
			c.End += delta
			p.comments = append(p.comments, c)
		}
	}
	for _, r := range old.regions {
		if r.Start >= oldStop {
			p.regions = append(p.regions, shiftRegion(r, delta))
		}
	}
	for _, c := range old.chains {
		if c >= oldStop {
			p.chains = append(p.chains, c+delta)
		}
	}
	for _, o := range old.noSlashy {
		if o >= oldStop {
			p.noSlashy = append(p.noSlashy, o+delta)
		}
	}
	for _, s := range old.stmts {
		if s.start >= oldStop {
			s.start += delta
			s.end += delta
			s.moved += delta
			p.stmts = append(p.stmts, s)
		}
	}
	for _, d := range old.decls {
		if d.off >= oldStop {
			d.off += delta
			p.decls = append(p.decls, d)
		}
	}
	for i, c := range old.cuts[hi:] {
		c.off += delta
		if i == 0 {
			c.prev, c.hasPrev = shapeOf(last), true // the token before it is now the window's last
		}
		p.cuts = append(p.cuts, c)
	}
	p.declaredFromDecls()
	return p
}

// commonPrefix returns the length of the common prefix of a and b.
func commonPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for i+8 <= n && bytes.Equal(a[i:i+8], b[i:i+8]) {
		i += 8
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}

// commonSuffix returns the length of the common suffix of a and b.
func commonSuffix(a, b []byte) int {
	i, j := len(a), len(b)
	for i >= 8 && j >= 8 && bytes.Equal(a[i-8:i], b[j-8:j]) {
		i -= 8
		j -= 8
	}
	for i > 0 && j > 0 && a[i-1] == b[j-1] {
		i--
		j--
	}
	return len(a) - i
}

func shiftRegion(r Region, d int) Region {
	r.Start += d
	r.End += d
	r.UsesIt = shiftInts(r.UsesIt, d)
	r.FilterEquals = shiftInts(r.FilterEquals, d)
	return r
}

func shiftInts(xs []int, d int) []int {
	if xs == nil {
		return nil
	}
	out := make([]int, len(xs))
	for i, x := range xs {
		out[i] = x + d
	}
	return out
}
