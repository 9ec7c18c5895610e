module github.com/ctxtrail/ctxtrail/bench/panicparse

go 1.26.0

require github.com/maruel/panicparse/v2 v2.5.0
