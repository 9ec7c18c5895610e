package trail

import (
	"context"
	"runtime/trace"
	"strconv"
	"sync"
	"sync/atomic"
	"unsafe"

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

// msg builds one event in a pooled buffer: fields are appended with strconv and
// wire.AppendEscape, and the buffer goes back to the pool once written, so a message costs
// no allocation.
type msg struct{ b []byte }

var msgs = sync.Pool{New: func() any { return &msg{b: make([]byte, 0, 256)} }}

func newMsg(event wire.EventKind) *msg {
	m := msgs.Get().(*msg)
	m.b = append(m.b[:0], event...)
	return m
}

// word appends a field that needs no escaping (a kind, a reason, flags).
func (m *msg) word(w string) *msg {
	m.b = append(append(m.b, ' '), w...)
	return m
}

func (m *msg) id(v uint64) *msg {
	m.b = strconv.AppendUint(append(m.b, ' '), v, 10)
	return m
}

func (m *msg) num(v int64) *msg {
	m.b = strconv.AppendInt(append(m.b, ' '), v, 10)
	return m
}

func (m *msg) str(s string) *msg {
	m.b = wire.AppendEscape(append(m.b, ' '), s)
	return m
}

func (m *msg) flags(f string) *msg {
	if f == "" {
		f = "-"
	}
	return m.word(f)
}

func (m *msg) err(err error) *msg { return m.word(errCode(err)) }

func (m *msg) site(s *callerSite) *msg { return m.word(s.enc) }

// emit writes the message and returns the buffer to the pool. trace.Log copies the
// message into the trace buffer, so the string may alias the buffer.
func (m *msg) emit(ctx context.Context) {
	if h := logHook.Load(); h != nil {
		(*h)(string(m.b))
	}
	trace.Log(ctx, wire.Category, unsafe.String(unsafe.SliceData(m.b), len(m.b)))
	if cap(m.b) <= 4<<10 {
		msgs.Put(m)
	}
}

// String forms of fields, for events built by concatenation and written with emit.

func u(v uint64) string { return strconv.FormatUint(v, 10) }

func site(s *callerSite) string { return s.enc }

// errCode is an err field: "canceled", "deadline", or an escaped error text.
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

func flags(f string) string {
	if f == "" {
		return "-"
	}
	return f
}
