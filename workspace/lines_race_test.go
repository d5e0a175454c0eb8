package workspace

import (
	"sync"
	"testing"
)

// TestLinesConcurrent reads the line index of a fresh file from many
// goroutines at once, as analysis workers and request handlers do. Under
// -race an unsynchronised lazy fill is reported; without it, every reader
// must still get the one index that was built.
func TestLinesConcurrent(t *testing.T) {
	ws, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	snap := ws.Open("/w/User.native.schema.groovy", 1, []byte("objectClass(\"User\") {\n    attribute(\"id\")\n}\n"))
	f := snap.File("/w/User.native.schema.groovy")
	const readers = 8
	got := make([]*Lines, readers)
	var wg sync.WaitGroup
	for i := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = f.Lines()
		}()
	}
	wg.Wait()
	for i, l := range got {
		if l != got[0] {
			t.Fatalf("reader %d got another line index", i)
		}
	}
	if n := got[0].Count(); n != 4 {
		t.Fatalf("Count = %d, want 4", n)
	}
}
