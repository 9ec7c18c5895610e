// Package pprofwire checks, for the module's tests, that a file is a pprof profile as
// runtime/pprof writes it, without depending on github.com/google/pprof: it walks the
// protobuf wire format of profile.proto and returns the profile's string table.
package pprofwire

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
)

// stringTableField is profile.proto's `repeated string string_table = 6`.
const stringTableField = 6

// Strings decodes a profile (gzip-compressed, as runtime/pprof writes it, or not) and returns
// its string table, whose first entry is always "". It fails unless every byte belongs to
// a well-formed field.
func Strings(data []byte) ([]string, error) {
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		if data, err = io.ReadAll(zr); err != nil {
			return nil, err
		}
	}
	var strs []string
	for off := 0; off < len(data); {
		key, n := uvarint(data[off:])
		if n == 0 {
			return nil, fmt.Errorf("offset %d: truncated field key", off)
		}
		off += n
		field, wire := key>>3, key&7
		switch wire {
		case 0: // varint
			if _, n = uvarint(data[off:]); n == 0 {
				return nil, fmt.Errorf("offset %d: truncated varint of field %d", off, field)
			}
			off += n
		case 2: // length-delimited: a string, a message or a packed array
			size, n := uvarint(data[off:])
			if n == 0 || size > uint64(len(data)-off-n) {
				return nil, fmt.Errorf("offset %d: field %d runs past the end", off, field)
			}
			off += n
			if field == stringTableField {
				strs = append(strs, string(data[off:off+int(size)]))
			}
			off += int(size)
		default: // profile.proto has no fixed-width or group fields
			return nil, fmt.Errorf("offset %d: field %d has wire type %d", off, field, wire)
		}
	}
	if len(strs) == 0 || strs[0] != "" {
		return nil, errors.New("no string table starting with \"\"")
	}
	return strs, nil
}

// uvarint decodes a protobuf varint; n is 0 when it is cut or longer than 10 bytes.
func uvarint(b []byte) (v uint64, n int) {
	for i := 0; i < len(b) && i < 10; i++ {
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i] < 0x80 {
			return v, i + 1
		}
	}
	return 0, 0
}
