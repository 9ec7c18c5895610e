package trail

import (
	"strconv"
	"time"

	"github.com/ctxtrail/ctxtrail/go/trail/wire"
)

// Encode writes the link as carrier key/value pairs (wire.Header*: HTTP headers, gRPC
// metadata in lower case); fields not known are not written.
func (l Link) Encode(set func(key, value string)) {
	num := func(key string, v uint64) {
		if v != 0 {
			set(key, strconv.FormatUint(v, 10))
		}
	}
	num(wire.HeaderRequest, l.Request)
	num(wire.HeaderProcess, l.Process)
	num(wire.HeaderContext, l.Context)
	if !l.Deadline.IsZero() {
		set(wire.HeaderDeadline, wall(l.Deadline))
		set(wire.HeaderTimeout, i64(int64(l.Timeout)))
	}
	if !l.Sent.IsZero() {
		set(wire.HeaderSent, wall(l.Sent))
	}
}

// DecodeLink reads a link written by Encode; get returns "" for a key not present. A value
// that is not a number is taken as absent (a caller's bad header must not fail the request).
func DecodeLink(get func(key string) string) Link {
	// An absent key is not parsed: strconv's error for "" allocates, and most requests of a
	// server may come from callers that send none.
	num := func(key string) uint64 {
		s := get(key)
		if s == "" {
			return 0
		}
		v, _ := strconv.ParseUint(s, 10, 64)
		return v
	}
	signed := func(key string) (int64, bool) {
		s := get(key)
		if s == "" {
			return 0, false
		}
		v, err := strconv.ParseInt(s, 10, 64)
		return v, err == nil
	}
	at := func(key string) time.Time {
		if v, ok := signed(key); ok && v != 0 {
			return time.Unix(0, v)
		}
		return time.Time{}
	}
	l := Link{Request: num(wire.HeaderRequest), Process: num(wire.HeaderProcess), Context: num(wire.HeaderContext),
		Deadline: at(wire.HeaderDeadline), Sent: at(wire.HeaderSent)}
	if v, ok := signed(wire.HeaderTimeout); ok && !l.Deadline.IsZero() {
		l.Timeout = time.Duration(v)
		if l.Timeout == 0 {
			l.Timeout = -1 // due exactly when sent: past on arrival, not "no timeout"
		}
	}
	return l
}
