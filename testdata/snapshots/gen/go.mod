module ctxtrail.test/snapshotgen

go 1.26
