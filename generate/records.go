package generate

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/connls/connls/workspace"
)

// Record says what connls generated for a class: from which inputs, the
// hash of the code it wrote, where and when. A block whose text no longer
// has that hash was edited by the user and is a manual override.
type Record struct {
	Class      string    `json:"class"`
	Kind       string    `json:"kind"`
	File       string    `json:"file"`
	InputHash  string    `json:"inputHash"`
	OutputHash string    `json:"outputHash"`
	Time       time.Time `json:"time"`
}

// Records are the generation records of one connector, kept in
// .connls/generated.json under its directory. A Records with no directory
// lives in memory only.
type Records struct {
	dir string
	mu  sync.Mutex
	m   map[string]Record
}

// RecordsFile is where records live, relative to a connector directory.
const RecordsFile = ".connls/generated.json"

type recordsFile struct {
	Version int               `json:"version"`
	Records map[string]Record `json:"records"`
}

// NewRecords returns empty records kept in memory.
func NewRecords() *Records { return &Records{m: map[string]Record{}} }

// LoadRecords reads the records of the connector in dir.
func LoadRecords(dir string) (*Records, error) {
	r := &Records{dir: dir, m: map[string]Record{}}
	b, err := os.ReadFile(filepath.Join(dir, RecordsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return r, nil
	}
	if err != nil {
		return nil, err
	}
	var f recordsFile
	if err := json.Unmarshal(b, &f); err != nil {
		// A damaged file loses only the memory of past generations:
		// start again rather than refuse to work.
		return r, nil
	}
	for k, v := range f.Records {
		r.m[k] = v
	}
	return r, nil
}

func key(class, kind string) string { return class + "/" + kind }

// Get returns the record of a class and kind.
func (r *Records) Get(class, kind string) (Record, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	rec, ok := r.m[key(class, kind)]
	return rec, ok
}

// Put stores a record, stamping it with the time.
func (r *Records) Put(rec Record) {
	if rec.Time.IsZero() {
		rec.Time = time.Now().UTC().Truncate(time.Second)
	}
	r.mu.Lock()
	r.m[key(rec.Class, rec.Kind)] = rec
	r.mu.Unlock()
}

// Save writes the records, atomically, inside the connector directory
// (a .connls that links elsewhere is refused).
func (r *Records) Save() error {
	if r.dir == "" {
		return nil
	}
	w, err := r.file()
	if err != nil {
		return err
	}
	return workspace.WriteFile(r.dir, w)
}

// file is the records file to write.
func (r *Records) file() (workspace.Write, error) {
	r.mu.Lock()
	b, err := json.MarshalIndent(recordsFile{Version: 1, Records: r.m}, "", "  ")
	r.mu.Unlock()
	if err != nil {
		return workspace.Write{}, err
	}
	if r.dir == "" {
		return workspace.Write{}, errors.New("generation records kept in memory have no file")
	}
	return workspace.Write{Abs: filepath.Join(r.dir, RecordsFile), Data: append(b, '\n')}, nil
}
