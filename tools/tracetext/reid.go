package main

// Rewriting the goroutine and thread IDs of a real trace, so that the corpus holds the IDs of
// long-lived processes that no test run reaches: goroutine IDs near 2^32, 2^40 or at 2^63-1
// (a service that has started a goroutine per request for days), crossing 2^20 inside a
// generation or at a generation seam, and thread IDs near 4,194,304 (pid_max on big hosts).
//
// Goroutine IDs are shifted by one offset (so their order and uniqueness are kept); 0, which
// CPU samples use for "no goroutine", stays 0. Thread IDs are shifted likewise, except
// NoThread (2^64-1). Wider varints can push a batch past the format's 64 KiB limit, so a batch
// is split where it would: an event batch into batches of the same M whose header time is the
// time of the event before the split (the events' time deltas stay as they are), a stack,
// string or CPU-sample batch into batches of the same kind.

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"maps"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

const (
	evStack       = 3
	evString      = 5
	evCPUSample   = 7
	maxBatchBytes = 60000 // under the format's 64 KiB, with room for one more event
	noThread      = math.MaxUint64
)

// gArgs names, per wire event type, the argument positions that hold a goroutine ID.
var gArgs = map[byte][]int{
	14: {1}, // GoCreate new_g
	15: {1}, // GoCreateSyscall new_g
	16: {1}, // GoStart g
	21: {1}, // GoUnblock g
	25: {1}, // GoStatus g
	34: {1}, // GCMarkAssistActive g
	45: {1}, // GoSwitch g
	46: {1}, // GoSwitchDestroy g
	47: {1}, // GoCreateBlocked new_g
	48: {1}, // GoStatusStack g
}

// mArgs names the argument positions that hold a thread ID.
var mArgs = map[byte][]int{
	12: {3}, // ProcSteal m
	25: {2}, // GoStatus m
	48: {2}, // GoStatusStack m
}

type reidOptions struct {
	gShift int64  // added to every goroutine ID but 0
	gTop   uint64 // or: the largest goroutine ID becomes this
	gSeam  string // or: "GEN=ID": the first goroutine created in generation GEN becomes ID
	mShift uint64 // added to every thread ID but NoThread
}

func reidFile(args []string) error {
	var o reidOptions
	var files []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		flag, val, hasVal := strings.Cut(a, "=")
		if !strings.HasPrefix(a, "--") {
			files = append(files, a)
			continue
		}
		if !hasVal {
			if i+1 >= len(args) {
				return fmt.Errorf("reid: %s needs a value", a)
			}
			i++
			val = args[i]
		}
		var err error
		switch flag {
		case "--g-shift":
			o.gShift, err = strconv.ParseInt(val, 0, 64)
		case "--g-top":
			o.gTop, err = strconv.ParseUint(val, 0, 64)
		case "--g-seam":
			o.gSeam = val
		case "--m-shift":
			o.mShift, err = strconv.ParseUint(val, 0, 64)
		default:
			return fmt.Errorf("reid: unknown flag %s", flag)
		}
		if err != nil {
			return fmt.Errorf("reid: %s: %w", flag, err)
		}
	}
	if len(files) != 2 {
		return fmt.Errorf("usage: tracetext reid [--g-shift N | --g-top ID | --g-seam GEN=ID] [--m-shift N] IN OUT")
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		return err
	}
	res, err := reid(b, o)
	if err != nil {
		return fmt.Errorf("%s: %w", files[0], err)
	}
	return os.WriteFile(files[1], res, 0o644)
}

// batchVisitor is called for every batch of a trace: its kind byte (EventBatch or
// ExperimentalBatch), the experiment byte, the header (gen, m, time, size) and the payload.
type batchVisitor func(typ, exp byte, hdr []uint64, payload []byte) error

func eachBatch(b []byte, visit batchVisitor, eog func()) error {
	if len(b) < 16 || !bytes.HasPrefix(b, []byte("go 1.")) {
		return fmt.Errorf("not a Go execution trace")
	}
	c := &cursor{b: b, off: 16}
	for c.off < len(b) {
		typ := b[c.off]
		c.off++
		var exp byte
		switch typ {
		case evEndOfGeneration:
			eog()
			continue
		case evExperimentalBatch:
			if c.off >= len(b) {
				return fmt.Errorf("byte %d: cut experimental batch", c.off)
			}
			exp = b[c.off]
			c.off++
		case evEventBatch:
		default:
			return fmt.Errorf("byte %d: expected a batch, got %d", c.off-1, typ)
		}
		hdr, err := c.uvarints(4)
		if err != nil {
			return err
		}
		if hdr[3] > uint64(len(b)-c.off) {
			return fmt.Errorf("byte %d: batch runs past the end", c.off)
		}
		end := c.off + int(hdr[3])
		if err := visit(typ, exp, hdr, b[c.off:end]); err != nil {
			return fmt.Errorf("batch at byte %d: %w", c.off, err)
		}
		c.off = end
	}
	return nil
}

// walkEvents calls f with each event of a regular event batch: its type, its arguments (f may
// change them) and, for String, its data.
func walkEvents(p []byte, f func(typ byte, args []uint64, data []byte) error) error {
	c := &cursor{b: p}
	for c.off < len(p) {
		t := p[c.off]
		c.off++
		n, ok := argCounts[t]
		if !ok {
			return fmt.Errorf("unknown event type %d", t)
		}
		args, err := c.uvarints(n)
		if err != nil {
			return err
		}
		var data []byte
		switch t {
		case evStack:
			nframes := args[1]
			if nframes > uint64(len(p)) {
				return fmt.Errorf("stack with %d frames", nframes)
			}
			frames, err := c.uvarints(int(nframes) * 4)
			if err != nil {
				return err
			}
			args = append(args, frames...)
		case evString:
			l, err := c.uvarint()
			if err != nil {
				return err
			}
			if l > uint64(len(p)-c.off) {
				return fmt.Errorf("string runs past its batch")
			}
			data = p[c.off : c.off+int(l)]
			c.off += int(l)
		}
		if err := f(t, args, data); err != nil {
			return err
		}
	}
	return nil
}

// seamShift finds the shift that makes the first goroutine created in generation gen the ID id.
func seamShift(b []byte, spec string) (int64, error) {
	genText, idText, ok := strings.Cut(spec, "=")
	gen, err1 := strconv.ParseUint(genText, 10, 64)
	id, err2 := strconv.ParseUint(idText, 0, 64)
	if !ok || err1 != nil || err2 != nil {
		return 0, fmt.Errorf("--g-seam wants GEN=ID, not %q", spec)
	}
	first, firstTime := uint64(0), uint64(math.MaxUint64)
	gens := map[uint64]bool{}
	err := eachBatch(b, func(typ, _ byte, hdr []uint64, p []byte) error {
		gens[hdr[0]] = true
		if typ != evEventBatch || hdr[0] != gen || len(p) == 0 || isSpecialBatch(p[0]) {
			return nil
		}
		t := hdr[2]
		return walkEvents(p, func(et byte, args []uint64, _ []byte) error {
			t += args[0]
			if (et == 14 || et == 15 || et == 47) && t < firstTime {
				first, firstTime = args[1], t
			}
			return nil
		})
	}, func() {})
	if err != nil {
		return 0, err
	}
	if first == 0 {
		return 0, fmt.Errorf("no goroutine is created in generation %d (the trace has generations %v)", gen, slices.Sorted(maps.Keys(gens)))
	}
	return int64(id - first), nil
}

func isSpecialBatch(first byte) bool {
	return first == evStacks || first == evStrings || first == evCPUSamples || first == evSync
}

func reid(b []byte, o reidOptions) ([]byte, error) {
	shift := o.gShift
	switch {
	case o.gSeam != "":
		s, err := seamShift(b, o.gSeam)
		if err != nil {
			return nil, err
		}
		shift = s
	case o.gTop != 0:
		top := uint64(0)
		err := eachBatch(b, func(typ, _ byte, _ []uint64, p []byte) error {
			if typ != evEventBatch || len(p) == 0 || isSpecialBatch(p[0]) {
				return nil
			}
			return walkEvents(p, func(et byte, args []uint64, _ []byte) error {
				for _, i := range gArgs[et] {
					top = max(top, args[i])
				}
				return nil
			})
		}, func() {})
		if err != nil {
			return nil, err
		}
		shift = int64(o.gTop - top)
	}
	g := func(v uint64) uint64 {
		if v == 0 {
			return 0
		}
		return uint64(int64(v) + shift)
	}
	m := func(v uint64) uint64 {
		if v == noThread {
			return v
		}
		return v + o.mShift
	}

	var out bytes.Buffer
	out.Write(b[:16])
	writeBatch := func(typ, exp byte, hdr []uint64, payload []byte) {
		out.WriteByte(typ)
		if typ == evExperimentalBatch {
			out.WriteByte(exp)
		}
		for _, v := range hdr[:3] {
			out.Write(binary.AppendUvarint(nil, v))
		}
		out.Write(binary.AppendUvarint(nil, uint64(len(payload))))
		out.Write(payload)
	}
	err := eachBatch(b, func(typ, exp byte, hdr []uint64, p []byte) error {
		hdr = append([]uint64(nil), hdr...)
		hdr[1] = m(hdr[1])
		if typ == evExperimentalBatch || len(p) == 0 || p[0] == evSync {
			writeBatch(typ, exp, hdr, p)
			return nil
		}
		// A stack, string or CPU-sample batch starts with its kind byte, which every piece
		// repeats; an event batch's pieces restart their time base.
		var head []byte
		body := p
		if isSpecialBatch(p[0]) {
			head, body = p[:1], p[1:]
		}
		piece := append([]byte(nil), head...)
		pieceHdr := append([]uint64(nil), hdr...)
		t := hdr[2]
		err := walkEvents(body, func(et byte, args []uint64, data []byte) error {
			for _, i := range gArgs[et] {
				args[i] = g(args[i])
			}
			for _, i := range mArgs[et] {
				args[i] = m(args[i])
			}
			if et == evCPUSample {
				args[1] = m(args[1])
				args[3] = g(args[3])
			}
			ev := []byte{et}
			for _, v := range args {
				ev = binary.AppendUvarint(ev, v)
			}
			if et == evString {
				ev = binary.AppendUvarint(ev, uint64(len(data)))
				ev = append(ev, data...)
			}
			if len(piece)+len(ev) > maxBatchBytes && len(piece) > len(head) {
				writeBatch(typ, exp, pieceHdr, piece)
				piece = append(piece[:0], head...)
				pieceHdr[2] = t
			}
			if head == nil {
				t += args[0]
			}
			piece = append(piece, ev...)
			return nil
		})
		if err != nil {
			return err
		}
		writeBatch(typ, exp, pieceHdr, piece)
		return nil
	}, func() { out.WriteByte(evEndOfGeneration) })
	if err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
