// Internal natives behind the analyser's rewrites, the test framework, error accessors
// and the read-only perform-harness queries.
#pragma once

#include "value/isolate.h"

namespace sx {

void registerControlNatives(Isolate& iso);

}  // namespace sx
