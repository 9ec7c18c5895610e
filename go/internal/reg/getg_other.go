//go:build !gc || !(amd64 || arm64)

package reg

import "unsafe"

func getg() unsafe.Pointer { return nil }

const haveGetg = false
