// The JSON shapes of docs/event-stream.md, written by hand: fixed key order, no HTML escaping,
// one event a line.
package main

import (
	"bufio"
	"slices"
	"strconv"
	"unicode/utf8"

	"golang.org/x/exp/trace"
)

// appendString appends s as a JSON string: quotes, backslashes and control characters are
// escaped, invalid UTF-8 becomes U+FFFD (as encoding/json does), nothing else is touched.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20 || c == 0x7f:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

func quote(s string) string { return string(appendString(nil, s)) }

func sortedKeys(m map[string]uint64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func writeCounts(w *bufio.Writer, m map[string]uint64) {
	b := []byte{'{'}
	for i, k := range sortedKeys(m) {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		b = strconv.AppendUint(b, m[k], 10)
	}
	w.Write(append(b, '}'))
}

func appendKey(b []byte, key string) []byte {
	b = append(b, ',', '"')
	b = append(b, key...)
	return append(b, '"', ':')
}

func appendInt(b []byte, key string, v int64) []byte {
	return strconv.AppendInt(appendKey(b, key), v, 10)
}

func appendUint(b []byte, key string, v uint64) []byte {
	return strconv.AppendUint(appendKey(b, key), v, 10)
}

func appendStr(b []byte, key, v string) []byte {
	return appendString(appendKey(b, key), v)
}

// appendStack appends `"key":[[func,file,line],...]`, leaf first; nothing for a stack without
// frames (docs/event-stream.md: the field is left out when there is no stack).
func appendStack(b []byte, key string, st trace.Stack) []byte {
	n := 0
	for f := range st.Frames() {
		if n == 0 {
			b = append(appendKey(b, key), '[')
		} else {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = appendString(b, f.Func)
		b = append(b, ',')
		b = appendString(b, f.File)
		b = append(b, ',')
		b = strconv.AppendUint(b, f.Line, 10)
		b = append(b, ']')
		n++
	}
	if n > 0 {
		b = append(b, ']')
	}
	return b
}

// resourceID answers the numeric ID of a resource; 0 for ResourceNone.
func resourceID(r trace.ResourceID) int64 {
	switch r.Kind {
	case trace.ResourceGoroutine:
		return int64(r.Goroutine())
	case trace.ResourceProc:
		return int64(r.Proc())
	case trace.ResourceThread:
		return int64(r.Thread())
	}
	return 0
}

// appendEvent appends one `events --json` line for ev, newline included.
func appendEvent(b []byte, ev *trace.Event) []byte {
	b = append(b, `{"time":`...)
	b = strconv.AppendInt(b, int64(ev.Time()), 10)
	b = appendStr(b, "kind", ev.Kind().String())
	b = appendInt(b, "g", int64(ev.Goroutine()))
	b = appendInt(b, "p", int64(ev.Proc()))
	b = appendInt(b, "m", int64(ev.Thread()))
	b = appendStack(b, "stack", ev.Stack())
	switch ev.Kind() {
	case trace.EventStateTransition:
		st := ev.StateTransition()
		b = appendStr(b, "resource", st.Resource.Kind.String())
		b = appendInt(b, "id", resourceID(st.Resource))
		switch st.Resource.Kind {
		case trace.ResourceGoroutine:
			from, to := st.Goroutine()
			b = appendStr(b, "from", from.String())
			b = appendStr(b, "to", to.String())
		case trace.ResourceProc:
			from, to := st.Proc()
			b = appendStr(b, "from", from.String())
			b = appendStr(b, "to", to.String())
		}
		if st.Reason != "" {
			b = appendStr(b, "reason", st.Reason)
		}
		b = appendStack(b, "transition_stack", st.Stack)
	case trace.EventRangeBegin, trace.EventRangeActive, trace.EventRangeEnd:
		r := ev.Range()
		b = appendStr(b, "name", r.Name)
		b = appendStr(b, "scope", r.Scope.Kind.String())
		b = appendInt(b, "scope_id", resourceID(r.Scope))
	case trace.EventTaskBegin, trace.EventTaskEnd:
		t := ev.Task()
		b = appendUint(b, "task", uint64(t.ID))
		if ev.Kind() == trace.EventTaskBegin {
			b = appendUint(b, "parent", uint64(t.Parent))
		}
		b = appendStr(b, "type", t.Type)
	case trace.EventRegionBegin, trace.EventRegionEnd:
		r := ev.Region()
		b = appendUint(b, "task", uint64(r.Task))
		b = appendStr(b, "type", r.Type)
	case trace.EventLog:
		l := ev.Log()
		b = appendUint(b, "task", uint64(l.Task))
		b = appendStr(b, "category", l.Category)
		b = appendStr(b, "message", l.Message)
	case trace.EventLabel:
		l := ev.Label()
		b = appendStr(b, "label", l.Label)
		b = appendStr(b, "resource", l.Resource.Kind.String())
		b = appendInt(b, "id", resourceID(l.Resource))
	case trace.EventMetric:
		m := ev.Metric()
		b = appendStr(b, "name", m.Name)
		b = appendUint(b, "value", m.Value.Uint64())
	case trace.EventSync:
		b = appendInt(b, "n", int64(ev.Sync().N))
	case trace.EventExperimental:
		b = appendStr(b, "name", ev.Experimental().Name)
	}
	return append(b, '}', '\n')
}
