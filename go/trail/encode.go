package trail

import (
	"context"
	"errors"
	"runtime/trace"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/ctxtrail/ctxtrail/go/internal/reg"
)

// Category is the runtime/trace log category of every event trail writes.
const Category = "ctxtrail"

// logHook, when set (tests), receives every message that is logged.
var logHook atomic.Pointer[func(string)]

// emit writes one event. The message grammar is in docs/trail-events.md.
func emit(ctx context.Context, msg string) {
	if h := logHook.Load(); h != nil {
		(*h)(msg)
	}
	trace.Log(ctx, Category, msg)
}

// Escape percent-encodes a string field: '%', space and the control bytes 0x00-0x1f and
// 0x7f become %XX (upper-case hex); the empty string becomes "-" and the string "-" becomes
// "%2D". Every other byte (UTF-8 included) is kept.
func Escape(s string) string {
	if s == "" {
		return "-"
	}
	if s == "-" {
		return "%2D"
	}
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c == '%' || c == 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c == '%' || c == 0x7f {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
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
			return "", errors.New("trail: truncated escape")
		}
		v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
		if err != nil {
			return "", errors.New("trail: bad escape")
		}
		b.WriteByte(byte(v))
		i += 2
	}
	return b.String(), nil
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
	return Escape(err.Error())
}

func u(v uint64) string { return strconv.FormatUint(v, 10) }

func site(s reg.Site) string {
	return Escape(s.Func) + " " + Escape(s.File) + " " + strconv.Itoa(s.Line)
}

func flags(f string) string {
	if f == "" {
		return "-"
	}
	return f
}

// Event is one decoded ctxtrail log message (see docs/trail-events.md).
type Event struct {
	Kind     string // new, cancel, watch, errseen, late, after, afterrun
	ID       uint64
	Parent   uint64 // new
	CtxKind  string // new
	Deadline int64  // new: ns since the Unix epoch, 0 for none
	Flags    string // new, cancel: "" for none
	Ambient  uint64 // new
	Reason   string // cancel: own, parent, deadline
	From     uint64 // cancel
	Err      string // cancel, errseen, late: canceled, deadline or the error text
	Cause    string // cancel
	AfterID  uint64 // after, afterrun
	Site     reg.Site
}

// Parse decodes one message written under the ctxtrail category.
func Parse(msg string) (Event, error) {
	f := strings.Split(msg, " ")
	var e Event
	bad := errors.New("trail: malformed event " + strconv.Quote(msg))
	need := map[string]int{"new": 10, "cancel": 10, "watch": 5, "errseen": 6, "late": 6, "after": 6, "afterrun": 3}
	n, ok := need[f[0]]
	if !ok {
		return e, errors.New("trail: unknown event " + strconv.Quote(f[0]))
	}
	if len(f) < n {
		return e, bad
	}
	e.Kind = f[0]
	var err error
	num := func(s string) uint64 {
		v, perr := strconv.ParseUint(s, 10, 64)
		if perr != nil && err == nil {
			err = perr
		}
		return v
	}
	str := func(s string) string {
		v, uerr := Unescape(s)
		if uerr != nil && err == nil {
			err = uerr
		}
		return v
	}
	fl := func(s string) string {
		if s == "-" {
			return ""
		}
		return s
	}
	siteAt := func(i int) reg.Site {
		return reg.Site{Func: str(f[i]), File: str(f[i+1]), Line: int(num(f[i+2]))}
	}
	e.ID = num(f[1])
	switch e.Kind {
	case "new":
		e.Parent = num(f[2])
		e.CtxKind = f[3]
		d, perr := strconv.ParseInt(f[4], 10, 64)
		if perr != nil {
			return e, bad
		}
		e.Deadline = d
		e.Flags = fl(f[5])
		e.Ambient = num(f[6])
		e.Site = siteAt(7)
	case "cancel":
		e.Reason = f[2]
		e.From = num(f[3])
		e.Err = str(f[4])
		e.Flags = fl(f[5])
		e.Site = siteAt(6)
		e.Cause = str(f[9])
	case "watch":
		e.Site = siteAt(2)
	case "errseen", "late":
		e.Err = str(f[2])
		e.Site = siteAt(3)
	case "after":
		e.AfterID = num(f[2])
		e.Site = siteAt(3)
	case "afterrun":
		e.AfterID = num(f[2])
	}
	if err != nil {
		return e, bad
	}
	return e, nil
}
