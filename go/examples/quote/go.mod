module github.com/ctxtrail/ctxtrail/go/examples/quote

go 1.22.0

require github.com/ctxtrail/ctxtrail/go v0.0.0

replace github.com/ctxtrail/ctxtrail/go => ../..
