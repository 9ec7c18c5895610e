package reg

import (
	"runtime"
	"sync"
	"unsafe"
)

// Goid returns the current goroutine's id. Where the runtime's g can be read (gc on amd64
// and arm64: getg in assembly) and the offset of its goid field was found at init, it is
// one load (a few ns); otherwise it is parsed from runtime.Stack's header line, about a
// microsecond.
func Goid() int64 {
	if goidOffset != 0 {
		return *(*int64)(unsafe.Add(getg(), goidOffset))
	}
	return stackGoid()
}

// goidOffset is the offset of the goid field in the runtime's g struct, 0 when unknown.
// The layout of g changes between Go releases, so it is not hard-coded: findGoidOffset
// looks for it at init.
var goidOffset = findGoidOffset()

// gScanBytes bounds the search: goid sits at 152–160 bytes in Go 1.22–1.27, and a g is
// more than 400 bytes long in all of them, so reading this far stays inside the struct.
const gScanBytes = 256

// findGoidOffset returns the one offset in g at which several goroutines (with distinct
// ids) each hold their own id, as parsed from runtime.Stack; 0 when there is not exactly
// one, or when getg is not available.
func findGoidOffset() uintptr {
	if !haveGetg {
		return 0
	}
	const probes = 4
	var candidates [gScanBytes / 8]int
	var wg sync.WaitGroup
	var mu sync.Mutex
	for p := 0; p < probes; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := stackGoid()
			g := getg()
			mu.Lock()
			defer mu.Unlock()
			for i := range candidates {
				if *(*int64)(unsafe.Add(g, i*8)) == id {
					candidates[i]++
				}
			}
		}()
		wg.Wait() // one at a time: each probe goroutine has its own id and its own g
	}
	found := uintptr(0)
	for i, n := range candidates {
		if n == probes {
			if found != 0 {
				return 0
			}
			found = uintptr(i * 8)
		}
	}
	return found
}

var buf64 sync.Pool

// stackGoid parses the goroutine id from runtime.Stack's header ("goroutine 123 [running]:").
func stackGoid() int64 {
	bp, _ := buf64.Get().(*[64]byte)
	if bp == nil {
		bp = new([64]byte)
	}
	n := runtime.Stack(bp[:], false)
	b := bp[:n]
	var id int64
	if len(b) > 10 && string(b[:10]) == "goroutine " {
		for _, c := range b[10:] {
			if c < '0' || c > '9' {
				break
			}
			id = id*10 + int64(c-'0')
		}
	}
	buf64.Put(bp)
	return id
}
