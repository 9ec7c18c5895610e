// Copyright 2025 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// This file is $GOROOT/src/runtime/testdata/testgoroutineleakprofile/goker/main.go
// (Go 1.26) without its func main: the kernels register themselves here, and
// driver.go (ctxtrail's corpus generator) takes the place of main.
// The BSD licence that governs it is in LICENSE-GO.

package main

import "os"

// The number of times the main (profiling) goroutine should yield
// in order to allow the leaking goroutines to get stuck.
const yieldCount = 10

var cmds = map[string]func(){}

func register(name string, f func()) {
	if cmds[name] != nil {
		panic("duplicate registration: " + name)
	}
	cmds[name] = f
}

func registerInit(name string, f func()) {
	if len(os.Args) >= 2 && os.Args[1] == name {
		f()
	}
}
