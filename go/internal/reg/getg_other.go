//go:build !gc || !(amd64 || arm64)

package reg

import "unsafe"

func getg() unsafe.Pointer { return nil }

const haveGetg = false

// Frame is nil, 0 where frame pointers cannot be read: callers walk with runtime.Callers
// instead.
func Frame() (fp unsafe.Pointer, pc uintptr) { return nil, 0 }
