package main

// Rewriting a Go 1.26 trace in an older format (1.25, 1.23 or 1.22), so that the corpus has
// real, many-generation traces for the formats no toolchain here can write. What changes
// between the formats (docs: go-trace-format.md §5):
//   - 1.26 -> 1.25: the lone EndOfGeneration byte (52) after each generation goes away.
//   - 1.25 -> 1.23: the sync batch (Sync, Frequency f, ClockSnapshot ...) becomes a frequency
//     batch holding just Frequency f.
//   - 1.23 -> 1.22: GoStatusStack becomes GoStatus (its stack argument is dropped); coroutine
//     events (GoSwitch, GoSwitchDestroy, GoCreateBlocked), experimental batches and events do
//     not exist in 1.22, so traces holding them cannot be downgraded that far.
// Batch headers are written back with minimal varints and the new payload size.

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"strconv"
)

const (
	evEventBatch        = 1
	evStacks            = 2
	evStrings           = 4
	evCPUSamples        = 6
	evFrequency         = 8
	evGoStatus          = 25
	evGoStatusStack     = 48
	evExperimentalBatch = 49
	evSync              = 50
	evClockSnapshot     = 51
	evEndOfGeneration   = 52
)

// argCounts maps a wire event type to its number of uvarint arguments.
var argCounts = func() map[byte]int {
	m := map[byte]int{}
	for _, s := range specs {
		m[s.typ] = len(s.args)
	}
	return m
}()

func downgradeFile(minorArg, in, out string) error {
	minor, err := strconv.Atoi(minorArg)
	if err != nil || (minor != 22 && minor != 23 && minor != 25) {
		return fmt.Errorf("downgrade: target must be 22, 23 or 25, not %q", minorArg)
	}
	b, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	res, err := downgrade(b, minor)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	return os.WriteFile(out, res, 0o644)
}

type cursor struct {
	b   []byte
	off int
}

func (c *cursor) uvarint() (uint64, error) {
	v, n := binary.Uvarint(c.b[c.off:])
	if n <= 0 {
		return 0, fmt.Errorf("byte %d: bad uvarint", c.off)
	}
	c.off += n
	return v, nil
}

func (c *cursor) uvarints(n int) ([]uint64, error) {
	vals := make([]uint64, n)
	for i := range vals {
		v, err := c.uvarint()
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	return vals, nil
}

func downgrade(b []byte, minor int) ([]byte, error) {
	if len(b) < 16 || !bytes.HasPrefix(b, []byte("go 1.26 trace\x00\x00\x00")) {
		return nil, fmt.Errorf("not a go 1.26 trace")
	}
	var out bytes.Buffer
	out.WriteString(fmt.Sprintf("go 1.%d trace", minor))
	for out.Len() < 16 {
		out.WriteByte(0)
	}
	c := &cursor{b: b, off: 16}
	for c.off < len(b) {
		typ := b[c.off]
		c.off++
		switch typ {
		case evEndOfGeneration:
			continue
		case evExperimentalBatch:
			if minor < 23 {
				return nil, fmt.Errorf("byte %d: experimental batch has no 1.22 form", c.off-1)
			}
			exp := b[c.off]
			c.off++
			hdr, err := c.uvarints(4) // gen, m, time, size
			if err != nil {
				return nil, err
			}
			end := c.off + int(hdr[3])
			if hdr[3] > uint64(len(b)-c.off) {
				return nil, fmt.Errorf("byte %d: batch runs past the end", c.off)
			}
			out.WriteByte(evExperimentalBatch)
			out.WriteByte(exp)
			for _, v := range hdr {
				out.Write(binary.AppendUvarint(nil, v))
			}
			out.Write(b[c.off:end])
			c.off = end
		case evEventBatch:
			hdr, err := c.uvarints(4) // gen, m, time, size
			if err != nil {
				return nil, err
			}
			if hdr[3] > uint64(len(b)-c.off) {
				return nil, fmt.Errorf("byte %d: batch runs past the end", c.off)
			}
			end := c.off + int(hdr[3])
			payload, err := downgradePayload(b[c.off:end], minor)
			if err != nil {
				return nil, fmt.Errorf("batch at byte %d: %w", c.off, err)
			}
			c.off = end
			out.WriteByte(evEventBatch)
			hdr[3] = uint64(len(payload))
			for _, v := range hdr {
				out.Write(binary.AppendUvarint(nil, v))
			}
			out.Write(payload)
		default:
			return nil, fmt.Errorf("byte %d: expected a batch, got %d", c.off-1, typ)
		}
	}
	return out.Bytes(), nil
}

func downgradePayload(p []byte, minor int) ([]byte, error) {
	if len(p) == 0 {
		return p, nil
	}
	switch p[0] {
	case evStacks, evStrings, evCPUSamples:
		return p, nil
	case evSync:
		if minor >= 25 {
			return p, nil
		}
		// Sync, then Frequency freq and ClockSnapshot dt mono sec nsec in some order.
		c := &cursor{b: p, off: 1}
		for c.off < len(p) {
			t := p[c.off]
			c.off++
			switch t {
			case evFrequency:
				f, err := c.uvarint()
				if err != nil {
					return nil, err
				}
				return binary.AppendUvarint([]byte{evFrequency}, f), nil
			case evClockSnapshot:
				if _, err := c.uvarints(4); err != nil {
					return nil, err
				}
			default:
				return nil, fmt.Errorf("unexpected event %d in a sync batch", t)
			}
		}
		return nil, fmt.Errorf("sync batch without a frequency")
	}
	if minor >= 23 {
		return p, nil
	}
	// 1.22: go through the events one by one.
	var out []byte
	c := &cursor{b: p}
	for c.off < len(p) {
		t := p[c.off]
		c.off++
		if t > 44 && t != evGoStatusStack {
			return nil, fmt.Errorf("event type %d has no 1.22 form", t)
		}
		n, ok := argCounts[t]
		if !ok {
			return nil, fmt.Errorf("unknown event type %d", t)
		}
		args, err := c.uvarints(n)
		if err != nil {
			return nil, err
		}
		if t == evGoStatusStack {
			t, args = evGoStatus, args[:4]
		}
		out = append(out, t)
		for _, v := range args {
			out = binary.AppendUvarint(out, v)
		}
	}
	return out, nil
}
