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
// With rarely set, the run also collects rarely while what is live is
// small (see rareGCPercent).
//
// A GOMEMLIMIT (GOGC) set by the user wins. Only the first call counts
// (the tests run several commands in one process).
func softMemoryLimit(floor int64, rarely bool) {
	_, gogc := os.LookupEnv("GOGC")
	rarely = rarely && !gogc
	if _, set := os.LookupEnv("GOMEMLIMIT"); set || !limitOnce.CompareAndSwap(false, true) {
		return
	}
	debug.SetMemoryLimit(floor)
	if rarely {
		debug.SetGCPercent(rareGCPercent)
	}
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
				if rarely && l > rareLiveHeap {
					debug.SetGCPercent(100)
					rarely = false
				}
			}
			arm()
		})
	}
	arm()
}

// rareGCPercent is the GOGC of a check while less than rareLiveHeap is
// live. A check is short and what it keeps is small next to what it
// allocates: the 1,000 scripts of a big connector leave some 8 MB live of
// 16 MB allocated, and Go's default collected six times for them (the
// first at 4 MB), some 15 % of the check's CPU. At 800 the heap may grow
// to 32 MB before a collection, which such a check never reaches: its
// peak RSS is the same as with one collection at 400 (43 MB), and it is
// 10 % faster. Past rareLiveHeap (a big API description being read) the
// default applies again, so the peak with a 10 MB description stays where
// the memory limit puts it.
const (
	rareGCPercent = 800
	rareLiveHeap  = 8 << 20
)

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

// noHeapSampling stops the heap profiler's sampling when no heap profile
// is wanted: by default it records the stack of an allocation every 512
// KB, in buckets a short run maps new pages for.
func noHeapSampling() {
	if profiles.mem == "" {
		runtime.MemProfileRate = 0
	}
}
