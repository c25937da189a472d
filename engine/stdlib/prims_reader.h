// Reader and printer primitives: sx-parse, read-string, inspect, sx-serialize.
#pragma once

#include "value/isolate.h"

namespace sx {

void registerReaderNatives(Isolate& iso);

}  // namespace sx
