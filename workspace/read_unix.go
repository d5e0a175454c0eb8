//go:build unix

package workspace

import (
	"os"
	"syscall"
)

// readTextIf reads a file, unless want refuses its size, and returns its
// size. It makes four system calls (open, fstat, read, close) where
// os.Stat and os.ReadFile make eleven (a stat, an open that also tries
// the file in the network poller, switching it to non-blocking and back,
// an fstat, two reads and a close): for the thousand small
// scripts of a big connector the calls cost more than reading them, on
// the one core a scan runs on. want is given the file's size once it is
// open; the text is nil when it says no.
func readTextIf(abs string, want func(size int64) bool) ([]byte, int64, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(abs, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, 0, &os.PathError{Op: "open", Path: abs, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, 0, &os.PathError{Op: "stat", Path: abs, Err: err}
	}
	size := st.Size
	if !want(size) {
		return nil, size, nil
	}
	// As os.ReadFile: one byte more than the size, to see the end in
	// one read, and growing if the file grew meanwhile.
	buf := make([]byte, 0, int(size)+1)
	for {
		n, err := syscall.Read(fd, buf[len(buf):cap(buf)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return buf, size, &os.PathError{Op: "read", Path: abs, Err: err}
		}
		if n <= 0 {
			return buf, size, nil
		}
		buf = buf[:len(buf)+n]
		if st.Mode&syscall.S_IFMT == syscall.S_IFREG && size > 0 && int64(len(buf)) >= size && len(buf) < cap(buf) {
			// All of its size, and short of the buffer: the file has
			// ended, no read of 0 bytes to see it. A short read before
			// the size is not the end (FUSE, network files), nor is one
			// of a file that says size 0 (procfs, sysfs).
			return buf, size, nil
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
	}
}
