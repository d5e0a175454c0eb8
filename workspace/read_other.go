//go:build !unix

package workspace

import "os"

// readText reads a file unless its size is above limit, and returns its
// size.
func readText(abs string, limit int64) ([]byte, int64, error) {
	return readTextIf(abs, func(size int64) bool { return size <= limit })
}

// readTextIf is readText with the choice to read made by want, given the
// file's size (text is nil when it says no).
func readTextIf(abs string, want func(size int64) bool) ([]byte, int64, error) {
	info, err := os.Stat(abs)
	if err == nil && !want(info.Size()) {
		return nil, info.Size(), nil
	}
	text, err := os.ReadFile(abs)
	return text, int64(len(text)), err
}
