package trail

import (
	"context"
	"runtime"
	"testing"
)

// rootVia is small enough to be inlined into its caller, with Background inlined into it:
// the site is rootVia's line all the same.
func rootVia() context.Context { return Background() }

const rootViaLine = 11

// here is the line it is called at.
func here() int {
	_, _, line, _ := runtime.Caller(1)
	return line
}

// TestCallSites: the site of each event is the program's call, whether trail's function was
// inlined into it (Background) or not, and for a cancel func called directly or deferred.
func TestCallSites(t *testing.T) {
	_ = tracing(t)
	get, stop := captureLog()
	defer stop()
	root, rootLine := Background(), here()
	via := rootVia()
	ctx, cancel, ctxLine := withCancelHere(root)
	cancelLine := here()
	cancel()
	var timeout context.Context
	var deferLine, deferredAt int
	func() {
		var c2 context.CancelFunc
		timeout, c2, deferLine = withTimeoutHere(root)
		defer c2()
	}()
	deferredAt = here() - 1 // a deferred call runs at its function's end
	want := map[string]int{"root": rootLine, "via": rootViaLine, "ctx": ctxLine, "cancel": cancelLine + 1,
		"timeout": deferLine, "deferred cancel": deferredAt}
	type event struct {
		kind string
		id   uint64
	}
	names := map[event]string{{"new", ID(root)}: "root", {"new", ID(via)}: "via", {"new", ID(ctx)}: "ctx",
		{"cancel", ID(ctx)}: "cancel", {"new", ID(timeout)}: "timeout", {"cancel", ID(timeout)}: "deferred cancel"}
	got := map[string]int{}
	for _, e := range parseAll(t, get()) {
		if name, ok := names[event{string(e.Kind), e.ID}]; ok {
			got[name] = e.Site.Line
		}
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: site line %d, want %d (all: %v)", k, got[k], w, got)
		}
	}
}

func withCancelHere(p context.Context) (context.Context, context.CancelFunc, int) {
	c, f := WithCancel(p)
	return c, f, here() - 1
}

// withTimeoutHere returns the line of its WithTimeout call.
func withTimeoutHere(p context.Context) (context.Context, context.CancelFunc, int) {
	c, f := WithTimeout(p, 1<<40)
	return c, f, here() - 1
}
