module ctxtrail.test/profilegen

go 1.26
