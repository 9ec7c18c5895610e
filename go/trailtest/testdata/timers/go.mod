module example.com/timers

go 1.22.0

require (
	github.com/ctxtrail/ctxtrail/go v0.0.0
	go.uber.org/goleak v1.3.0
)

replace github.com/ctxtrail/ctxtrail/go => ../../..
