#include "ctxtrail/analysis/analysis.h"
auto reader = trace::Reader::open(path);
