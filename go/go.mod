module github.com/ctxtrail/ctxtrail/go

go 1.22.0

require golang.org/x/tools v0.30.0 // indirect
