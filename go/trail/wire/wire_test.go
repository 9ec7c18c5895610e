package wire

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// TestParseErrors: an unknown event kind (to be skipped, per the spec) is told from a
// malformed event with errors.Is; extra fields of a newer writer are ignored.
func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		msg  string
		want error
	}{
		{"frobnicate 1 2", ErrUnknownEvent},
		{"", ErrUnknownEvent},
		{"watch 1 f", ErrMalformed},             // too few fields
		{"watch x f file.go 3", ErrMalformed},   // id not a number
		{"watch 1 f file.go %zz", ErrMalformed}, // bad line and escape
		{"watch 1 f file.go 3", nil},
		{"watch 1 f file.go 3 extra fields", nil},
	} {
		if _, err := Parse(c.msg); !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
			t.Errorf("Parse(%q) = %v, want %v", c.msg, err, c.want)
		}
	}
	e, _ := Parse("cancel 7 own 0 canceled - f file.go 9 late%20cause extra")
	if e.Kind != EventCancel || e.ID != 7 || e.Cause != "late cause" || e.Site != (Site{Func: "f", File: "file.go", Line: 9}) {
		t.Errorf("bad cancel event %+v", e)
	}
}

// TestParseAllocs: decoding a message with nothing to unescape, or skipping one of an
// unknown kind, allocates nothing (no error made in advance, no field slice).
func TestParseAllocs(t *testing.T) {
	for _, msg := range []string{"new 2 1 cancel 0 - 0 main.f main.go 12", "frobnicate 1 2"} {
		if n := testing.AllocsPerRun(100, func() { Parse(msg) }); n != 0 {
			t.Errorf("Parse(%q): %v allocations", msg, n)
		}
	}
}

// TestKindTypes: context kinds and event kinds are different types, so comparing an event's
// kind with a context kind ("cancel" is both) does not compile.
func TestKindTypes(t *testing.T) {
	if reflect.TypeOf(Event{}.Kind) == reflect.TypeOf(KindCancel) {
		t.Fatal("Event.Kind has the type of the context kinds")
	}
	if reflect.TypeOf(Event{}.CtxKind) != reflect.TypeOf(KindCancel) {
		t.Fatal("Event.CtxKind is not a ContextKind")
	}
}

func TestEscapeRoundTrip(t *testing.T) {
	for _, s := range []string{"", "-", "a b", "100%", "x\ny\tz\x7f", "ünïcode", "--", "%2D"} {
		e := Escape(s)
		if strings.ContainsAny(e, " \n\t") || e == "" {
			t.Errorf("Escape(%q) = %q", s, e)
		}
		back, err := Unescape(e)
		if err != nil || back != s {
			t.Errorf("round trip %q -> %q -> %q, %v", s, e, back, err)
		}
	}
}
