module ctxtrail/testdata/programs

go 1.26
