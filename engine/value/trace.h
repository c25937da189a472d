// Per-type tracing and finalisation, used by the collector.
#pragma once

#include "value/heap.h"

namespace sx {

void traceObject(Heap& h, Obj* o);
void finalizeObject(Obj* o);

// Implemented by the layers that own these payloads.
void traceProto(Heap& h, Proto* p);          // cek/node.cpp
void finalizeProto(Proto* p);                // cek/node.cpp
void traceContinuation(Heap& h, ContinuationData* d);  // effects/fiber.cpp
void finalizeContinuation(ContinuationData* d);        // effects/fiber.cpp
void traceFiberRef(Heap& h, Fiber* f);       // effects/fiber.cpp
void finalizeFiberRef(Fiber* f);             // effects/fiber.cpp

}  // namespace sx
