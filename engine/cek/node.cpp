#include "cek/node.h"

#include "compiler/code.h"

#include "value/isolate.h"
#include "value/trace.h"

namespace sx {

const char* nodeKindName(NodeKind k) {
  switch (k) {
#define X(n, d) \
  case NodeKind::n: return #n;
    SX_NODE_KINDS(X)
#undef X
  }
  return "?";
}

Proto* newProto(Isolate& iso) {
  auto* p = iso.heap.make<Proto>(ObjType::Proto);
  p->info = new ProtoInfo;
  p->info->self = p;
  return p;
}

ProtoInfo::~ProtoInfo() { delete code; }

void traceProto(Heap& h, Proto* p) {
  ProtoInfo* info = p->info;
  if (!info) return;
  if (info->code)
    for (Value v : info->code->consts) h.mark(v);
  for (Value v : info->constants) h.mark(v);
  for (Value v : info->slotNames) h.mark(v);
  for (Proto* c : info->children) h.markObj(c);
  h.mark(info->componentParams);
  h.mark(info->componentBody);
}

void finalizeProto(Proto* p) {
  delete p->info;
  p->info = nullptr;
}

}  // namespace sx
