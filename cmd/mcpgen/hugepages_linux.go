package main

import (
	"bytes"
	"os"
	"runtime"
	"syscall"
)

// hugeHeapBytes is how much of the heap is offered huge pages: more than
// a run on the largest schema allocates with the collector off (about
// 50 MB).
const hugeHeapBytes = 64 << 20

// thpEnabled is the kernel's transparent huge page setting; it reads like
// "always [madvise] never", the mode in brackets.
const thpEnabled = "/sys/kernel/mm/transparent_hugepage/enabled"

// preferHugePages backs the heap a run allocates into with huge pages,
// when the kernel gives them only to memory that asks for them (its
// "madvise" mode, the default of many distributions). With the collector
// off, everything a run allocates is memory it touches for the first
// time, and the kernel faults it in a 4 KiB page at a time: 2025-11-25
// took 9 200 faults, a fifth of the run's CPU time on a virtual machine
// (BENCHMARKS.md). So a block that large is allocated, advised, and
// freed again by one collection, and the allocator then carves the run's
// spans out of those pages, faulted in 2 MiB at a time.
//
// It changes where memory comes from, never what a run computes; on
// another mode, or when the advice is refused, it does nothing.
func preferHugePages() {
	if onAdviceOnly() && adviseHugePages(hugeHeapBytes) {
		runtime.GC()
	}
}

// onAdviceOnly reports whether the kernel gives huge pages only to memory
// that asks for them.
func onAdviceOnly() bool {
	mode, err := os.ReadFile(thpEnabled)
	return err == nil && bytes.Contains(mode, []byte("[madvise]"))
}

// adviseHugePages allocates a block of n bytes, asks for huge pages for
// it and drops it, for the next collection to free; it reports whether
// the kernel took the advice.
func adviseHugePages(n int) bool {
	return syscall.Madvise(make([]byte, n), syscall.MADV_HUGEPAGE) == nil
}
