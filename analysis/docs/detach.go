package docs

import (
	"strings"
	"unsafe"
)

// detach gives the strings of a Doc that are slices of the texts it was
// read from memory of their own. The JSON reader's scalars are the text
// itself (parseJSON); without this, a class name would keep the whole
// text alive for as long as the Doc lives, and would change with it.
// Equal short strings share one copy, and so do slices of the same part
// of a text (hashing every long description would cost a tenth of the
// read); other strings are left alone.
// TestDetachCoversDoc checks that every string field of a Doc is seen.
func detach(d *Doc, texts ...[]byte) {
	dt := detacher{copies: map[string]string{}, long: map[textSlice]string{}}
	for _, t := range texts {
		if len(t) > 0 {
			p := uintptr(unsafe.Pointer(unsafe.SliceData(t)))
			dt.spans = append(dt.spans, [2]uintptr{p, p + uintptr(len(t))})
		}
	}
	if len(dt.spans) == 0 {
		return
	}
	dt.own(&d.Path, &d.Format, &d.Title, &d.BasePath)
	dt.all(d.Secured)
	for _, c := range d.Classes {
		dt.own(&c.Name, &c.Description, &c.Schema, &c.Kept, &c.Extends)
		dt.all(c.Extensions)
		// Attributes may be shared between classes: the second time,
		// their strings are no longer in the texts and cost a compare.
		for _, a := range c.Attributes {
			dt.own(&a.Name, &a.File, &a.Type, &a.Format, &a.Description, &a.Returned, &a.Uniqueness, &a.Mutability, &a.Ref)
			dt.all(a.Enum)
		}
	}
	for _, e := range d.Endpoints {
		dt.own(&e.Method, &e.Path, &e.Operation, &e.Class, &e.Summary, &e.Action, &e.Sets, &e.ResponseItems)
		dt.all(e.PathParams)
		dt.all(e.Accepts)
		dt.all(e.ResponseHeaders)
		for i := range e.Placeholders {
			p := &e.Placeholders[i]
			dt.own(&p.Name, &p.Class, &p.Attribute, &p.From)
		}
		for i := range e.Params {
			p := &e.Params[i]
			dt.own(&p.Name, &p.In, &p.Type, &p.Description)
		}
	}
	for _, c := range d.Chunks {
		dt.own(&c.Title, &c.Class)
	}
	for i := range d.Problems {
		dt.own(&d.Problems[i].Message)
	}
	for i := range d.Security {
		s := &d.Security[i]
		dt.own(&s.Name, &s.Type, &s.In, &s.Param, &s.Format, &s.TokenURL, &s.Description)
		dt.all(s.Flows)
	}
}

type detacher struct {
	spans  [][2]uintptr
	copies map[string]string    // short strings, by content
	long   map[textSlice]string // longer ones, by where they are
}

type textSlice struct {
	data uintptr
	n    int
}

// shortString is the longest string detach looks up by its content.
const shortString = 32

func (dt *detacher) own(ss ...*string) {
	for _, s := range ss {
		if *s == "" {
			continue
		}
		p := uintptr(unsafe.Pointer(unsafe.StringData(*s)))
		for _, sp := range dt.spans {
			if p >= sp[0] && p < sp[1] {
				if len(*s) <= shortString {
					c, ok := dt.copies[*s]
					if !ok {
						c = strings.Clone(*s)
						dt.copies[c] = c
					}
					*s = c
				} else {
					k := textSlice{p, len(*s)}
					c, ok := dt.long[k]
					if !ok {
						c = strings.Clone(*s)
						dt.long[k] = c
					}
					*s = c
				}
				break
			}
		}
	}
}

func (dt *detacher) all(list []string) {
	for i := range list {
		dt.own(&list[i])
	}
}
