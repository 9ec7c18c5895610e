module github.com/ctxtrail/ctxtrail/go

go 1.22.0
