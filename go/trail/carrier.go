package trail

import (
	"strconv"
	"time"

	"github.com/ctxtrail/ctxtrail/go/trail/wire"
)

// Encode writes the link as carrier key/value pairs (wire.Header*: HTTP headers, gRPC
// metadata in lower case); fields not known are not written. The values are substrings of
// one string (one allocation for all of them, on every request of a client).
func (l Link) Encode(set func(key, value string)) {
	var keys [len(wire.Headers)]string
	var ends [len(wire.Headers)]int
	var buf [len(wire.Headers) * 20]byte // 20 digits hold any uint64 or signed int64
	b, n := buf[:0], 0
	put := func(key string, text []byte) {
		b, keys[n], ends[n] = text, key, len(text)
		n++
	}
	if l.Request != 0 {
		put(wire.HeaderRequest, strconv.AppendUint(b, l.Request, 10))
	}
	if l.Process != 0 {
		put(wire.HeaderProcess, strconv.AppendUint(b, l.Process, 10))
	}
	if l.Context != 0 {
		put(wire.HeaderContext, strconv.AppendUint(b, l.Context, 10))
	}
	if !l.Deadline.IsZero() {
		put(wire.HeaderDeadline, strconv.AppendInt(b, l.Deadline.UnixNano(), 10))
		put(wire.HeaderTimeout, strconv.AppendInt(b, int64(l.Timeout), 10))
	}
	if !l.Sent.IsZero() {
		put(wire.HeaderSent, strconv.AppendInt(b, l.Sent.UnixNano(), 10))
	}
	all, start := string(b), 0
	for i := 0; i < n; i++ {
		set(keys[i], all[start:ends[i]])
		start = ends[i]
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
	// The timeout alone bounds the server (a caller without trail, such as curl, need not
	// know the deadline on the Unix clock); the deadline alone is applied as absolute.
	if v, ok := signed(wire.HeaderTimeout); ok {
		l.Timeout = time.Duration(v)
		if l.Timeout == 0 {
			l.Timeout = -1 // due exactly when sent: past on arrival, not "no timeout"
		}
	}
	return l
}
