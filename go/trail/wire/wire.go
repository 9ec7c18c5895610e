// Package wire is the ctxtrail event format that package trail writes into execution traces
// (docs/trail-events.md): the runtime/trace log category, the string escaping, the event
// and context kinds, and a reference decoder, Parse. It is apart from trail, whose API is
// the context package's, so that a drop-in import brings no decoding API with it.
package wire

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/ctxtrail/ctxtrail/go/internal/reg"
)

// Category is the runtime/trace log category of every event trail writes.
const Category = "ctxtrail"

// ContextKind is a context's kind as written in "new" events (Event.CtxKind). A type of
// its own: "cancel" is also an event kind (EventCancel), and e.Kind == KindCancel must not
// compile.
type ContextKind string

// Context kinds, as written in "new" events.
const (
	KindBackground    ContextKind = "background"
	KindTODO          ContextKind = "todo"
	KindCancel        ContextKind = "cancel"
	KindCancelCause   ContextKind = "cancelcause"
	KindTimeout       ContextKind = "timeout"
	KindTimeoutCause  ContextKind = "timeoutcause"
	KindDeadline      ContextKind = "deadline"
	KindDeadlineCause ContextKind = "deadlinecause"
	KindWithoutCancel ContextKind = "withoutcancel"
)

// Escape percent-encodes a string field: '%', space and the control bytes 0x00-0x1f and
// 0x7f become %XX (upper-case hex); the empty string becomes "-" and the string "-" becomes
// "%2D". Every other byte (UTF-8 included) is kept.
func Escape(s string) string {
	if s != "" && s != "-" && clean(s) {
		return s // the common case, without allocating
	}
	return string(AppendEscape(nil, s))
}

// AppendEscape appends Escape(s) to dst, for writers that build a message in a buffer.
func AppendEscape(dst []byte, s string) []byte {
	switch {
	case s == "":
		return append(dst, '-')
	case s == "-":
		return append(dst, "%2D"...)
	case clean(s):
		return append(dst, s...)
	}
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if needsEscape(c) {
			dst = append(dst, '%', hex[c>>4], hex[c&15])
		} else {
			dst = append(dst, c)
		}
	}
	return dst
}

func needsEscape(c byte) bool { return c <= ' ' || c == '%' || c == 0x7f }

// clean reports whether no byte of s needs escaping.
func clean(s string) bool {
	for i := 0; i < len(s); i++ {
		if needsEscape(s[i]) {
			return false
		}
	}
	return true
}

// Unescape reverses Escape.
func Unescape(s string) (string, error) {
	if s == "-" {
		return "", nil
	}
	if !strings.Contains(s, "%") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) {
			return "", errors.New("wire: truncated escape")
		}
		v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
		if err != nil {
			return "", errors.New("wire: bad escape")
		}
		b.WriteByte(byte(v))
		i += 2
	}
	return b.String(), nil
}

// EventKind is the first field of a ctxtrail message.
type EventKind string

// Event kinds (docs/trail-events.md).
const (
	EventNew      EventKind = "new"
	EventCancel   EventKind = "cancel"
	EventWatch    EventKind = "watch"
	EventErrSeen  EventKind = "errseen"
	EventLate     EventKind = "late"
	EventAfter    EventKind = "after"
	EventAfterRun EventKind = "afterrun"

	// Across processes (encoding version 2).
	EventProc         EventKind = "proc"
	EventSend         EventKind = "send"
	EventAbort        EventKind = "abort"
	EventRemote       EventKind = "remote"
	EventRemoteCancel EventKind = "remotecancel"
)

// Version is the encoding version trail writes (the proc event carries it).
const Version = 2

// Transports of send and remote events.
const (
	TransportHTTP = "http"
	TransportGRPC = "grpc"
	TransportK8s  = "k8s"
)

// How a server learnt of its caller's cancel (remotecancel events).
const (
	HowClose      = "close"      // HTTP/1.x: the client closed the connection
	HowReset      = "reset"      // HTTP/2, gRPC: the client reset the stream
	HowAnnotation = "annotation" // Kubernetes: a cancel annotation appeared
)

// Site is where a context was made, cancelled or watched: function, file and line.
type Site = reg.Site

// Event is one decoded ctxtrail log message (see docs/trail-events.md).
type Event struct {
	Kind     EventKind
	ID       uint64
	Parent   uint64      // new
	CtxKind  ContextKind // new
	Deadline int64       // new: ns since the Unix epoch, 0 for none
	Flags    string      // new, cancel: "" for none
	Ambient  uint64      // new
	Reason   string      // cancel: own, parent, deadline
	From     uint64      // cancel
	Err      string      // cancel, errseen, late: canceled, deadline or the error text
	Cause    string      // cancel
	AfterID  uint64      // after, afterrun
	Site     Site

	// Across processes. ID is the server's context for remote and remotecancel, the
	// request's context (ctxid) for send and abort, and the procid for proc.
	Request   uint64 // send, abort, remote, remotecancel: reqid
	Transport string // send, remote
	Process   uint64 // remote: the caller's procid; send: dest
	RemoteCtx uint64 // remote: the caller's context
	Timeout   int64  // send, remote: ns left until Deadline at Sent
	Sent      int64  // send, remote, remotecancel: wall ns, 0 unknown
	Target    string // send, remote
	How       string // remotecancel
	Version   int    // proc
	Name      string // proc
	Pid       int    // proc
	Host      string // proc
	Wall      int64  // proc
	Mono      int64  // proc
}

// Errors of Parse, for errors.Is: the spec says to ignore events of an unknown kind (a
// newer writer's), and a malformed event is a bug.
var (
	ErrUnknownEvent = errors.New("wire: unknown event kind")
	ErrMalformed    = errors.New("wire: malformed event")
)

// fieldCount is the number of fields of each event kind; 0 for an unknown kind.
func fieldCount(k EventKind) int {
	switch k {
	case EventNew, EventCancel:
		return 10
	case EventWatch:
		return 5
	case EventErrSeen, EventLate, EventAfter:
		return 6
	case EventAfterRun:
		return 3
	case EventProc:
		return 8
	case EventSend:
		return 9
	case EventAbort:
		return 5
	case EventRemoteCancel:
		return 6
	case EventRemote:
		return 11
	}
	return 0
}

// Parse decodes one message written under the ctxtrail category. Its errors wrap
// ErrUnknownEvent (returned as is: no allocation for a message to skip) or ErrMalformed.
func Parse(msg string) (Event, error) {
	var e Event
	kind, _, _ := strings.Cut(msg, " ")
	e.Kind = EventKind(kind)
	n := fieldCount(e.Kind)
	if n == 0 {
		return e, ErrUnknownEvent
	}
	var fields [11]string
	f := fields[:0]
	for rest := msg; len(f) < n; {
		field, tail, more := strings.Cut(rest, " ")
		f = append(f, field)
		if !more {
			break
		}
		rest = tail
	}
	if len(f) < n {
		return e, fmt.Errorf("%w %q", ErrMalformed, msg)
	}
	bad := false
	num := func(s string) uint64 {
		v, err := strconv.ParseUint(s, 10, 64)
		bad = bad || err != nil
		return v
	}
	str := func(s string) string {
		v, err := Unescape(s)
		bad = bad || err != nil
		return v
	}
	fl := func(s string) string {
		if s == "-" {
			return ""
		}
		return s
	}
	siteAt := func(i int) Site {
		return Site{Func: str(f[i]), File: str(f[i+1]), Line: int(num(f[i+2]))}
	}
	signed := func(s string) int64 {
		v, err := strconv.ParseInt(s, 10, 64)
		bad = bad || err != nil
		return v
	}
	// The deadline a request carries: deadline, timeout and sent, from field i on.
	deadlineAt := func(i int) {
		e.Deadline, e.Timeout, e.Sent = signed(f[i]), signed(f[i+1]), signed(f[i+2])
	}
	e.ID = num(f[1])
	switch e.Kind {
	case EventProc:
		e.Version = int(num(f[2]))
		e.Name = str(f[3])
		e.Pid = int(num(f[4]))
		e.Host = str(f[5])
		e.Wall = signed(f[6])
		e.Mono = signed(f[7])
	case EventSend:
		e.Request, e.ID = e.ID, num(f[2])
		e.Transport = f[3]
		e.Process = num(f[4])
		deadlineAt(5)
		e.Target = str(f[8])
	case EventAbort:
		e.Request, e.ID = e.ID, num(f[2])
		e.Err = str(f[3])
		e.Cause = str(f[4])
	case EventRemote:
		e.Request = num(f[2])
		e.Transport = f[3]
		e.Process = num(f[4])
		e.RemoteCtx = num(f[5])
		deadlineAt(6)
		e.Flags = fl(f[9])
		e.Target = str(f[10])
	case EventRemoteCancel:
		e.Request = num(f[2])
		e.How = f[3]
		e.Sent = signed(f[4])
		e.Cause = str(f[5])
	case EventNew:
		e.Parent = num(f[2])
		e.CtxKind = ContextKind(f[3])
		d, err := strconv.ParseInt(f[4], 10, 64)
		bad = bad || err != nil
		e.Deadline = d
		e.Flags = fl(f[5])
		e.Ambient = num(f[6])
		e.Site = siteAt(7)
	case EventCancel:
		e.Reason = f[2]
		e.From = num(f[3])
		e.Err = str(f[4])
		e.Flags = fl(f[5])
		e.Site = siteAt(6)
		e.Cause = str(f[9])
	case EventWatch:
		e.Site = siteAt(2)
	case EventErrSeen, EventLate:
		e.Err = str(f[2])
		e.Site = siteAt(3)
	case EventAfter:
		e.AfterID = num(f[2])
		e.Site = siteAt(3)
	case EventAfterRun:
		e.AfterID = num(f[2])
	}
	if bad {
		return e, fmt.Errorf("%w %q", ErrMalformed, msg)
	}
	return e, nil
}

// Carrier keys of a request's link (docs/trail-events.md, "Carriers"): HTTP header names in
// canonical form; gRPC metadata uses them in lower case. Values are decimal.
const (
	HeaderRequest  = "Ctxtrail-Request"
	HeaderProcess  = "Ctxtrail-Process"
	HeaderContext  = "Ctxtrail-Context"
	HeaderDeadline = "Ctxtrail-Deadline" // ns since the Unix epoch
	HeaderTimeout  = "Ctxtrail-Timeout"  // ns left until the deadline when sent
	HeaderSent     = "Ctxtrail-Sent"     // ns since the Unix epoch
)

// Headers are all the carrier keys, for a hop that must replace the ones it was given.
var Headers = [...]string{HeaderRequest, HeaderProcess, HeaderContext, HeaderDeadline, HeaderTimeout, HeaderSent}
