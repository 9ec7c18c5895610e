//go:build gc && (amd64 || arm64)

package reg

import "unsafe"

// getg returns the runtime's g of the calling goroutine (getg_amd64.s, getg_arm64.s).
func getg() unsafe.Pointer

const haveGetg = true

// Frame returns the frame pointer of its caller and the address Frame returns to (gc keeps
// frame pointers on amd64 and arm64): the caller's frame record holds, at fp, its caller's
// frame pointer and, one word above, the return address into its caller.
func Frame() (fp unsafe.Pointer, pc uintptr)
