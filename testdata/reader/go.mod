module ctxtrail/testdata/reader

go 1.22
