package tr

import (
	"os"
	"runtime/trace"
)

func Start() func() {
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	trace.Start(f)
	return func() { trace.Stop(); f.Close() }
}
