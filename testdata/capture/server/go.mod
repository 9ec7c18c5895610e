module ctxtrail/testdata/capture/server

go 1.26
