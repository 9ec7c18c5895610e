#include "ctxtrail/model/model.h"
