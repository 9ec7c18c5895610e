//go:build gc && (amd64 || arm64)

package reg

import "unsafe"

// getg returns the runtime's g of the calling goroutine (getg_amd64.s, getg_arm64.s).
func getg() unsafe.Pointer

const haveGetg = true
