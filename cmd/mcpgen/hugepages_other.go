//go:build !linux

package main

// preferHugePages does nothing: huge pages are offered only on Linux (see
// hugepages_linux.go).
func preferHugePages() {}
