// Command tracetext turns Go's text test traces into binary execution traces.
//
// Go keeps its parser's test cases (src/internal/trace/testdata/tests/*.test) as txtar archives
// with two files: `expect` (SUCCESS, or FAILURE "<regexp>") and `trace`, a line-oriented text
// form of the wire format:
//
//	Trace Go1.22                                  header: format version
//	EventBatch gen=1 m=18446744073709551615 time=28113086279559 size=5
//	Frequency freq=15625000                       an event: name, then name=value arguments
//	Stack id=5 nframes=2                          a stack: nframes frame lines follow
//		pc=1241251 func=3 file=6 line=124
//	String id=5                                   data: one `data="<Go-quoted bytes>"` line follows
//		data="hello world"
//
// Every argument is written as an unsigned LEB128 varint after the event's type byte (minimal
// encoding, as Go's own text-to-binary writer does: the size= values in the text are the real
// payload sizes). Data is written as a varint length and the raw bytes.
//
//	tracetext convert [--fix-sizes] IN OUT   IN is a .test archive or a bare text trace;
//	                                  --fix-sizes recomputes every EventBatch's size=
//	tracetext tests SRCDIR DSTDIR     every SRCDIR/*.test -> DSTDIR/<name>.trace + <name>.expect
//	tracetext fuzz SRCDIR DSTDIR      every Go fuzz-corpus file (`go test fuzz v1` + one
//	                                  []byte("...") value) -> DSTDIR/fuzz-<name>.trace
//	tracetext downgrade 25|23|22 IN OUT   a Go 1.26 trace rewritten in an older format
//	tracetext reid [--g-shift N | --g-top ID | --g-seam GEN=ID] [--m-shift N] IN OUT
//	                                  goroutine and thread IDs shifted (reid.go)
package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "tracetext:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fixSizes := len(args) == 4 && args[0] == "convert" && args[1] == "--fix-sizes"
	if fixSizes {
		args = append(args[:1], args[2:]...)
	}
	if len(args) == 3 && args[0] == "convert" {
		text, expect, err := readInput(args[1])
		if err != nil {
			return err
		}
		bin, err := encodeSizes(text, fixSizes)
		if err != nil {
			return fmt.Errorf("%s: %w", args[1], err)
		}
		if err := os.WriteFile(args[2], bin, 0o644); err != nil {
			return err
		}
		if expect != "" {
			return os.WriteFile(strings.TrimSuffix(args[2], ".trace")+".expect", []byte(expect), 0o644)
		}
		return nil
	}
	if len(args) == 3 && args[0] == "tests" {
		return convertTests(args[1], args[2])
	}
	if len(args) == 4 && args[0] == "downgrade" {
		return downgradeFile(args[1], args[2], args[3])
	}
	if len(args) >= 3 && args[0] == "reid" {
		return reidFile(args[1:])
	}
	if len(args) == 3 && args[0] == "fuzz" {
		return convertFuzz(args[1], args[2])
	}
	return fmt.Errorf("usage: tracetext convert [--fix-sizes] IN OUT | tracetext tests SRCDIR DSTDIR | tracetext fuzz SRCDIR DSTDIR | tracetext downgrade 25|23|22 IN OUT | tracetext reid [--g-shift N | --g-top ID | --g-seam GEN=ID] [--m-shift N] IN OUT")
}

func convertTests(src, dst string) error {
	files, err := filepath.Glob(filepath.Join(src, "*.test"))
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no .test files in %s", src)
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		text, expect, err := readInput(f)
		if err != nil {
			return err
		}
		if expect == "" {
			return fmt.Errorf("%s: no expect section", f)
		}
		bin, err := encode(text)
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".test")
		if err := os.WriteFile(filepath.Join(dst, name+".trace"), bin, 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, name+".expect"), []byte(expect), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// readInput answers the text trace in path and, for a txtar archive, its expectation.
func readInput(path string) (text, expect string, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", "", err
	}
	files := splitTxtar(string(b))
	if files == nil {
		return string(b), "", nil
	}
	t, ok := files["trace"]
	if !ok {
		return "", "", fmt.Errorf("%s: txtar archive without a trace file", path)
	}
	return t, strings.TrimSpace(files["expect"]) + "\n", nil
}

// splitTxtar answers the files of a txtar archive (a file starts at a line `-- NAME --`), or
// nil when s has no such line.
func splitTxtar(s string) map[string]string {
	var files map[string]string
	var name string
	var body strings.Builder
	flush := func() {
		if files != nil && name != "" {
			files[name] = body.String()
		}
		body.Reset()
	}
	for line := range strings.Lines(s) {
		l := strings.TrimRight(line, "\r\n")
		if strings.HasPrefix(l, "-- ") && strings.HasSuffix(l, " --") && len(l) >= 6 {
			flush()
			if files == nil {
				files = map[string]string{}
			}
			name = strings.TrimSpace(l[3 : len(l)-3])
			continue
		}
		body.WriteString(line)
	}
	flush()
	return files
}

// encode converts a whole text trace to the binary format.
func encode(text string) ([]byte, error) { return encodeSizes(text, false) }

// encodeSizes converts a whole text trace to the binary format; with fixSizes the size= of
// every EventBatch is ignored and the real payload length written instead (for text traces
// edited by hand or by a mutator).
func encodeSizes(text string, fixSizes bool) ([]byte, error) {
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	lineNo := 0
	next := func() (string, bool) {
		for sc.Scan() {
			lineNo++
			l := sc.Text()
			if i := strings.IndexByte(l, '#'); i >= 0 && !strings.Contains(l, "data=") {
				l = l[:i]
			}
			if strings.TrimSpace(l) != "" {
				return l, true
			}
		}
		return "", false
	}
	errorf := func(format string, a ...any) error {
		return fmt.Errorf("line %d: %s", lineNo, fmt.Sprintf(format, a...))
	}

	header, ok := next()
	if !ok {
		return nil, fmt.Errorf("empty trace")
	}
	var minor int
	if _, err := fmt.Sscanf(strings.TrimSpace(header), "Trace Go1.%d", &minor); err != nil {
		return nil, errorf("bad header %q", header)
	}
	var file bytes.Buffer
	file.WriteString(fmt.Sprintf("go 1.%d trace", minor))
	for file.Len() < 16 {
		file.WriteByte(0)
	}
	// With fixSizes, an EventBatch's payload collects in `batch` and goes out, behind its
	// header, when the next batch-level record starts or the text ends.
	out := &file
	var batch bytes.Buffer
	var batchHdr []uint64
	flush := func() {
		if batchHdr == nil {
			return
		}
		file.WriteByte(specs["EventBatch"].typ)
		batchHdr[3] = uint64(batch.Len())
		for _, v := range batchHdr {
			file.Write(binary.AppendUvarint(nil, v))
		}
		file.Write(batch.Bytes())
		batch.Reset()
		batchHdr, out = nil, &file
	}

	for {
		line, ok := next()
		if !ok {
			break
		}
		fields := strings.Fields(line)
		spec, known := specs[fields[0]]
		if !known {
			return nil, errorf("unknown event %q", fields[0])
		}
		if minor < spec.minVersion {
			return nil, errorf("event %s needs format 1.%d or later, trace is 1.%d", fields[0], spec.minVersion, minor)
		}
		args, err := parseArgs(fields[1:], spec.args)
		if err != nil {
			return nil, errorf("%s: %v", fields[0], err)
		}
		if fixSizes {
			switch fields[0] {
			case "EventBatch":
				flush()
				batchHdr, out = args, &batch
				continue
			case "ExperimentalBatch", "EndOfGeneration":
				flush()
			}
		}
		out.WriteByte(spec.typ)
		for _, v := range args {
			out.Write(binary.AppendUvarint(nil, v))
		}
		switch {
		case spec.isStack:
			nframes := args[len(args)-1]
			for i := uint64(0); i < nframes; i++ {
				fl, ok := next()
				if !ok {
					return nil, errorf("stack: want %d frames, got %d", nframes, i)
				}
				frame, err := parseArgs(strings.Fields(fl), []string{"pc", "func", "file", "line"})
				if err != nil {
					return nil, errorf("stack frame: %v", err)
				}
				for _, v := range frame {
					out.Write(binary.AppendUvarint(nil, v))
				}
			}
		case spec.hasData:
			dl, ok := next()
			if !ok {
				return nil, errorf("%s: missing data line", fields[0])
			}
			q, found := strings.CutPrefix(strings.TrimSpace(dl), "data=")
			if !found {
				return nil, errorf("%s: want data=\"...\", got %q", fields[0], dl)
			}
			data, err := strconv.Unquote(q)
			if err != nil {
				return nil, errorf("%s: bad data string: %v", fields[0], err)
			}
			out.Write(binary.AppendUvarint(nil, uint64(len(data))))
			out.WriteString(data)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	flush()
	return file.Bytes(), nil
}

// parseArgs reads `name=value` tokens that must be exactly `names`, in order.
func parseArgs(tokens, names []string) ([]uint64, error) {
	if len(tokens) != len(names) {
		return nil, fmt.Errorf("want %d arguments %v, got %d", len(names), names, len(tokens))
	}
	vals := make([]uint64, len(names))
	for i, tok := range tokens {
		k, v, ok := strings.Cut(tok, "=")
		if !ok || k != names[i] {
			return nil, fmt.Errorf("argument %d: want %s=N, got %q", i, names[i], tok)
		}
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			// Frame arguments and sentinels may be written signed.
			s, serr := strconv.ParseInt(v, 10, 64)
			if serr != nil {
				return nil, fmt.Errorf("argument %s: %v", k, err)
			}
			n = uint64(s)
		}
		vals[i] = n
	}
	return vals, nil
}

// convertFuzz unpacks a Go fuzz corpus whose entries hold one []byte value each.
func convertFuzz(src, dst string) error {
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return err
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		if len(lines) != 2 || lines[0] != "go test fuzz v1" {
			return fmt.Errorf("%s: not a one-value go fuzz corpus file", e.Name())
		}
		lit, ok := strings.CutPrefix(lines[1], "[]byte(")
		lit, ok2 := strings.CutSuffix(lit, ")")
		if !ok || !ok2 {
			return fmt.Errorf("%s: value is not a []byte", e.Name())
		}
		data, err := strconv.Unquote(lit)
		if err != nil {
			return fmt.Errorf("%s: %w", e.Name(), err)
		}
		if err := os.WriteFile(filepath.Join(dst, "fuzz-"+e.Name()+".trace"), []byte(data), 0o644); err != nil {
			return err
		}
	}
	return nil
}
