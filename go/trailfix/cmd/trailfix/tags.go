package main

import (
	"os"
	"strings"
)

// honourTags passes a -tags flag of the standalone command on to the go command that loads
// the packages, through GOFLAGS: x/tools' checker registers -tags only as a deprecated no-op
// (vet gets the tags from "go vet -tags" itself), so files behind build tags would be
// skipped silently.
func honourTags(args []string) {
	for i, a := range args {
		if a == "--" || !strings.HasPrefix(a, "-") {
			return // flags end here
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name != "tags" {
			continue
		}
		if !hasValue && i+1 < len(args) {
			value = args[i+1]
		}
		if value != "" {
			os.Setenv("GOFLAGS", strings.TrimSpace(os.Getenv("GOFLAGS")+" -tags="+value))
		}
		return
	}
}
