package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// softMemoryLimit keeps the heap of a run within floor bytes while what
// is live is well below it, and within half again what is live above
// that. Go's default lets the heap grow to twice what was live at the
// last collection: reading a 10 MB API description holds some 45 MB at
// its peak, so the heap reached 90 MB of garbage-rich memory for a
// moment. The limit makes the collector run more often only in that
// zone, and adapts after every collection, so that a workspace that
// really needs more memory is not collected continuously (a fixed limit
// below what is live would make the collector take half the CPU).
//
// A GOMEMLIMIT set by the user wins. Only the first call counts (the
// tests run several commands in one process).
func softMemoryLimit(floor int64) {
	if _, set := os.LookupEnv("GOMEMLIMIT"); set || !limitOnce.CompareAndSwap(false, true) {
		return
	}
	debug.SetMemoryLimit(floor)
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var arm func()
	arm = func() {
		// A finalizer of an object nobody holds runs once after each
		// collection: the moment the live heap is known.
		runtime.SetFinalizer(&gcTick{}, func(*gcTick) {
			metrics.Read(live)
			if live[0].Value.Kind() == metrics.KindUint64 {
				l := int64(live[0].Value.Uint64())
				debug.SetMemoryLimit(max(floor, l+l/2))
			}
			arm()
		})
	}
	arm()
}

// memoryFloor is the heap check and serve let grow freely: above it, the
// collector keeps the heap within half again what is live. With 72 MiB, a
// check of 1,000 scripts with a 10 MB description peaks at 89 MB of RSS
// instead of 98 with 96 MiB, for 15 % more CPU on that workspace, and the
// server's cold start at 97 instead of 108 MB (BENCHMARKS.md, fourth
// round); about 45 MB is live at that peak, so a lower floor only makes
// the collector run again after every few megabytes allocated. Smaller
// workspaces never reach it.
const memoryFloor = 72 << 20

var limitOnce atomic.Bool

// gcTick is big enough not to be a tiny allocation, whose finalizer could
// wait for its neighbours.
type gcTick struct{ _ [2]*int }
