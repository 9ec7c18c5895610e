module example.com/analyze

go 1.26
