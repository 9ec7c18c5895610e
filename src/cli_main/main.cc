/// Entry point of the `ctxtrail` binary: hands argv to the CLI and exits with its code.
#include <iostream>

#include "ctxtrail/cli/app.h"

int main(int argc, char** argv) { return ctxtrail::cli::run(argc, argv, std::cout, std::cerr); }
