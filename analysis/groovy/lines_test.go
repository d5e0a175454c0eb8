package groovy

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestDumpLines(t *testing.T) {
	path := os.Getenv("GROOVY_LINES")
	if path == "" {
		t.Skip()
	}
	src, _ := os.ReadFile(path)
	for _, l := range strings.Split(string(src), "\n") {
		f := Parse([]byte(l + "\n"))
		if f.TreeErrors > 0 || len(f.Errors) > 0 {
			fmt.Printf("%d %v :: %s\n", f.TreeErrors, f.Errors, l)
		}
	}
}
