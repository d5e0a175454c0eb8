package analysis

import (
	"sync"

	"github.com/connls/connls/analysis/docs"
	"github.com/connls/connls/workspace"
)

// ReadLargeDocsAside makes the analyzer read documents of size bytes or
// more off the analysis, for a server that must keep answering: reading
// a 20 MB OpenAPI document takes seconds and hundreds of MB, and every
// request waits for the analysis. An analysis that meets a version it has
// not read uses the last reading of that file (none the first time) and
// reads the new version in the background, one at a time per file and
// only the newest waiting version; started is called as a reading
// begins, and the function it returns once it is done, when the next
// analysis finds it ready.
func (a *Analyzer) ReadLargeDocsAside(size int, started func(path string, size int) (done func())) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.aside = &asideReader{size: size, started: started, last: map[string]*docs.Doc{}, next: map[string]*workspace.File{}, busy: map[string]bool{}}
}

type asideReader struct {
	size    int
	started func(path string, size int) (done func())
	mu      sync.Mutex
	last    map[string]*docs.Doc       // the latest reading of a file
	busy    map[string]bool            // a reading of the file is running
	next    map[string]*workspace.File // the newest version waiting for it
}

// doc starts reading f aside and returns the last reading of its path.
func (r *asideReader) doc(a *Analyzer, f *workspace.File) *docs.Doc {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.busy[f.Abs] {
		r.next[f.Abs] = f
	} else {
		r.busy[f.Abs] = true
		go r.read(a, f)
	}
	return r.last[f.Abs]
}

func (r *asideReader) read(a *Analyzer, f *workspace.File) {
	abs := f.Abs
	done := func() {}
	if r.started != nil {
		done = r.started(f.Path, len(f.Text))
	}
	for f != nil {
		d := docs.Read(f.Path, f.Text)
		a.mu.Lock()
		a.docs[docKey{f.Abs, f.Hash}] = &docReading{doc: d} // large documents are read alone
		a.mu.Unlock()
		r.mu.Lock()
		r.last[abs] = d
		f = r.next[abs]
		delete(r.next, abs)
		if f == nil {
			delete(r.busy, abs)
		}
		r.mu.Unlock()
	}
	done()
}

// forget drops the last readings of files no longer in snap.
func (r *asideReader) forget(snap *workspace.Snapshot) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for abs := range r.last {
		if snap.File(abs) == nil {
			delete(r.last, abs)
		}
	}
}
