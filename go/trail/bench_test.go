package trail

import (
	"context"
	"errors"
	"io"
	"runtime/trace"
	"testing"
	"time"
)

// Each benchmark has a /plain (context package) and a /trail variant; with
// CTXTRAIL_BENCH_TRACE=1 (see bench.sh) both run while runtime tracing writes to io.Discard.

var sink context.Context

func benchPair(b *testing.B, plain, traced func(context.Context)) {
	parent, cancel := context.WithCancel(context.Background())
	defer cancel()
	run := func(f func(context.Context)) func(*testing.B) {
		return func(b *testing.B) {
			if benchTracing {
				if err := trace.Start(io.Discard); err != nil {
					b.Fatal(err)
				}
				defer trace.Stop()
			}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				f(parent)
			}
		}
	}
	b.Run("plain", run(plain))
	b.Run("trail", run(traced))
}

var benchTracing = false

var errB = errors.New("b")

func BenchmarkWithCancel(b *testing.B) {
	benchPair(b,
		func(p context.Context) { c, f := context.WithCancel(p); sink = c; f() },
		func(p context.Context) { c, f := WithCancel(p); sink = c; f() })
}

func BenchmarkWithCancelCause(b *testing.B) {
	benchPair(b,
		func(p context.Context) { c, f := context.WithCancelCause(p); sink = c; f(errB) },
		func(p context.Context) { c, f := WithCancelCause(p); sink = c; f(errB) })
}

func BenchmarkWithTimeout(b *testing.B) {
	benchPair(b,
		func(p context.Context) { c, f := context.WithTimeout(p, time.Hour); sink = c; f() },
		func(p context.Context) { c, f := WithTimeout(p, time.Hour); sink = c; f() })
}

func BenchmarkWithTimeoutCause(b *testing.B) {
	benchPair(b,
		func(p context.Context) { c, f := context.WithTimeoutCause(p, time.Hour, errB); sink = c; f() },
		func(p context.Context) { c, f := WithTimeoutCause(p, time.Hour, errB); sink = c; f() })
}

func BenchmarkWithDeadline(b *testing.B) {
	d := time.Now().Add(time.Hour)
	benchPair(b,
		func(p context.Context) { c, f := context.WithDeadline(p, d); sink = c; f() },
		func(p context.Context) { c, f := WithDeadline(p, d); sink = c; f() })
}

func BenchmarkWithDeadlineCause(b *testing.B) {
	d := time.Now().Add(time.Hour)
	benchPair(b,
		func(p context.Context) { c, f := context.WithDeadlineCause(p, d, errB); sink = c; f() },
		func(p context.Context) { c, f := WithDeadlineCause(p, d, errB); sink = c; f() })
}

func BenchmarkWithoutCancel(b *testing.B) {
	benchPair(b,
		func(p context.Context) { sink = context.WithoutCancel(p) },
		func(p context.Context) { sink = WithoutCancel(p) })
}

func BenchmarkAfterFunc(b *testing.B) {
	benchPair(b,
		func(p context.Context) { stop := context.AfterFunc(p, func() {}); stop() },
		func(p context.Context) { stop := AfterFunc(p, func() {}); stop() })
}

func BenchmarkBackground(b *testing.B) {
	benchPair(b,
		func(context.Context) { sink = context.Background() },
		func(context.Context) { sink = Background() })
}

func BenchmarkDone(b *testing.B) {
	benchPair(b,
		func(p context.Context) { c, f := context.WithCancel(p); _ = c.Done(); _ = c.Done(); f() },
		func(p context.Context) { c, f := WithCancel(p); _ = c.Done(); _ = c.Done(); f() })
}

// BenchmarkDoneRepeated: the cost of one more Done call on a context the goroutine
// already watches (a select loop).
func BenchmarkDoneRepeated(b *testing.B) {
	pc, pcancel := context.WithCancel(context.Background())
	defer pcancel()
	run := func(mk func() (context.Context, func())) func(*testing.B) {
		return func(b *testing.B) {
			if benchTracing {
				if err := trace.Start(io.Discard); err != nil {
					b.Fatal(err)
				}
				defer trace.Stop()
			}
			ctx, cancel := mk()
			defer cancel()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				select {
				case <-ctx.Done():
				default:
				}
			}
		}
	}
	b.Run("plain", run(func() (context.Context, func()) { return context.WithCancel(pc) }))
	b.Run("trail", run(func() (context.Context, func()) { return WithCancel(pc) }))
}

// BenchmarkWithCancelRoot: WithCancel of a root (Background), which only its own cancel func
// can end: traced, it needs no observer. The traced root is made once, after tracing starts.
func BenchmarkWithCancelRoot(b *testing.B) {
	run := func(root func() context.Context, with func(context.Context) (context.Context, context.CancelFunc)) func(*testing.B) {
		return func(b *testing.B) {
			if benchTracing {
				if err := trace.Start(io.Discard); err != nil {
					b.Fatal(err)
				}
				defer trace.Stop()
			}
			parent := root()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				c, f := with(parent)
				sink = c
				f()
			}
		}
	}
	b.Run("plain", run(context.Background, context.WithCancel))
	b.Run("trail", run(Background, WithCancel))
}
