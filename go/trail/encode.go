package trail

import (
	"context"
	"runtime/trace"
	"strconv"
	"sync/atomic"

	"github.com/ctxtrail/ctxtrail/go/internal/reg"
	"github.com/ctxtrail/ctxtrail/go/trail/wire"
)

// logHook, when set (tests), receives every message that is logged.
var logHook atomic.Pointer[func(string)]

// emit writes one event. The message grammar is in docs/trail-events.md.
func emit(ctx context.Context, msg string) {
	if h := logHook.Load(); h != nil {
		(*h)(msg)
	}
	trace.Log(ctx, wire.Category, msg)
}

func errCode(err error) string {
	switch {
	case err == nil:
		return "-"
	case err == context.Canceled:
		return "canceled"
	case err == context.DeadlineExceeded:
		return "deadline"
	}
	return wire.Escape(err.Error())
}

func u(v uint64) string { return strconv.FormatUint(v, 10) }

func site(s reg.Site) string {
	return wire.Escape(s.Func) + " " + wire.Escape(s.File) + " " + strconv.Itoa(s.Line)
}

func flags(f string) string {
	if f == "" {
		return "-"
	}
	return f
}
