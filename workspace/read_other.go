//go:build !unix

package workspace

import "os"

// readText reads a file unless its size is above limit, and returns its
// size.
func readText(abs string, limit int64) ([]byte, int64, error) {
	info, err := os.Stat(abs)
	if err == nil && info.Size() > limit {
		return nil, info.Size(), nil
	}
	text, err := os.ReadFile(abs)
	return text, int64(len(text)), err
}
