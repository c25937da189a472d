#include "value/trace.h"

#include <cstdlib>

#include "value/dict.h"

namespace sx {

void traceObject(Heap& h, Obj* o) {
  switch (o->type) {
    case ObjType::Symbol: {
      auto* s = static_cast<Symbol*>(o);
      h.markObj(s->name);
      h.markObj(s->global);
      break;
    }
    case ObjType::Keyword:
      h.markObj(static_cast<Keyword*>(o)->name);
      break;
    case ObjType::Pair: {
      // Walk down the cdr chain iteratively so long lists do not grow the grey stack.
      auto* p = static_cast<Pair*>(o);
      for (;;) {
        h.mark(p->car);
        Value next = p->cdr;
        if (!isPair(next) || next.asObj()->marked) {
          h.mark(next);
          break;
        }
        h.markVisited(next.asObj());
        p = as<Pair>(next);
      }
      break;
    }
    case ObjType::Dict: {
      auto* d = static_cast<Dict*>(o);
      for (uint32_t i = 0; i < d->used; ++i) {
        h.mark(d->entries[i].key);
        h.mark(d->entries[i].value);
      }
      break;
    }
    case ObjType::Vector: {
      auto* v = static_cast<Vector*>(o);
      for (uint32_t i = 0; i < v->length; ++i) h.mark(v->items[i]);
      break;
    }
    case ObjType::RawHtml:
      h.markObj(static_cast<RawHtml*>(o)->html);
      break;
    case ObjType::Spread:
      h.mark(static_cast<Spread*>(o)->attrs);
      break;
    case ObjType::Env: {
      auto* e = static_cast<Env*>(o);
      h.markObj(e->parent);
      for (uint32_t i = 0; i < e->aux; ++i) h.mark(e->slots[i]);
      break;
    }
    case ObjType::Cell: {
      auto* c = static_cast<Cell*>(o);
      h.mark(c->value);
      h.mark(c->name);
      h.mark(c->primitive);
      break;
    }
    case ObjType::Lambda:
    case ObjType::Macro:
    case ObjType::Component: {
      auto* c = static_cast<Closure*>(o);
      h.markObj(reinterpret_cast<Obj*>(c->proto));
      h.markObj(c->env);
      break;
    }
    case ObjType::AdtCtor: {
      auto* c = static_cast<AdtCtor*>(o);
      h.markObj(c->typeName);
      h.markObj(c->ctorName);
      h.mark(c->fieldNames);
      break;
    }
    case ObjType::Adt: {
      auto* a = static_cast<Adt*>(o);
      h.markObj(a->ctor);
      for (uint32_t i = 0; i < a->aux; ++i) h.mark(a->fields[i]);
      break;
    }
    case ObjType::Error: {
      auto* e = static_cast<ErrorObj*>(o);
      h.mark(e->message);
      h.mark(e->stack);
      break;
    }
    case ObjType::Proto:
      traceProto(h, reinterpret_cast<Proto*>(o));
      break;
    case ObjType::Continuation:
      traceContinuation(h, static_cast<Continuation*>(o)->data);
      break;
    case ObjType::FiberRef:
      traceFiberRef(h, static_cast<FiberRef*>(o)->fiber);
      break;
    default:
      break;
  }
}

void finalizeObject(Obj* o) {
  switch (o->type) {
    case ObjType::Dict: {
      auto* d = static_cast<Dict*>(o);
      if (!dictEntriesInline(d)) std::free(d->entries);
      std::free(d->index);
      break;
    }
    case ObjType::Vector:
      std::free(static_cast<Vector*>(o)->items);
      break;
    case ObjType::StringBuffer:
      delete static_cast<StringBuffer*>(o)->text;
      break;
    case ObjType::Proto:
      finalizeProto(reinterpret_cast<Proto*>(o));
      break;
    case ObjType::Continuation:
      finalizeContinuation(static_cast<Continuation*>(o)->data);
      break;
    case ObjType::FiberRef:
      finalizeFiberRef(static_cast<FiberRef*>(o)->fiber);
      break;
    default:
      break;
  }
}

const char* typeOfName(ObjType t) {
  switch (t) {
#define X(e, n) \
  case ObjType::e: return n;
    SX_OBJ_TYPES(X)
#undef X
    case ObjType::Free: return "free";
  }
  return "unknown";
}

}  // namespace sx
