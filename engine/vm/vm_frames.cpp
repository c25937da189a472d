// Setting up, entering and delivering to VM frames (vm_frames.h, vm.h).
#include "vm/vm_frames.h"

#include "vm/tier.h"
#include "vm/vm.h"

namespace sx {

namespace detail {

namespace {

[[noreturn]] void arityFail(Closure* c, uint32_t argc) {
  ProtoInfo* P = c->proto->info;
  std::string name = P->name.empty() ? "<lambda>" : P->name;
  throw SxError(ErrorCode::Arity, name + ": expected " + (P->hasRest ? "at least " : "") + std::to_string(P->nparams) +
                                      " argument" + (P->nparams == 1 ? "" : "s") + ", got " + std::to_string(argc));
}

}  // namespace

void setupFrame(Fiber& f, Closure* c, Code* code, size_t base, uint32_t argc) {
  Isolate& iso = f.iso;
  std::vector<Value>& vals = f.vals;
  Frame& fr = f.frames.back();
  fr.a = Value::object(c);
  fr.code = code;
  fr.i = 0;
  fr.vbase = uint32_t(base);
  fr.node = nullptr;
  if (code->isBlock) {
    if (argc != 0) arityFail(c, argc);
    fr.env = c->env;
    fr.j = 0;
    growVals(vals, base + code->maxStack);
    return;
  }
  if (argc != code->nparams && !(code->hasRest && argc > code->nparams)) arityFail(c, argc);
  Value rest = Value::empty();
  if (code->hasRest) rest = iso.listFrom(&vals[base + code->nparams], argc - code->nparams);
  if (code->needsEnv) {
    Env* e = makeEnv(iso, code->nslots, c->env);
    for (uint32_t i = 0; i < code->nparams; ++i) e->slots[i] = vals[base + i];
    if (code->hasRest) e->slots[code->nparams] = rest;
    fr.env = e;
    fr.j = 0;
    growVals(vals, base + code->maxStack);
    return;
  }
  fr.env = c->env;
  growVals(vals, base + code->nlocals + code->maxStack);
  uint32_t filled = code->nparams;
  if (code->hasRest) vals[base + filled++] = rest;
  for (uint32_t i = filled; i < code->nlocals; ++i) vals[base + i] = Value::nil();
  fr.j = code->nlocals;
}

void entrySafepointSlow(Fiber& f) {
  Frame& fr = f.frames.back();
  f.vals.resize(fr.vbase + fr.j);
  safepoint(f);
  growVals(f.vals, fr.vbase + codeOf(fr)->nlocals + codeOf(fr)->maxStack);
}

Code* compileOnCall(Isolate& iso, Proto* p) {
  ProtoInfo* info = p->info;
  if (info->isBlock) return info->code;
  if (iso.tier == Tier::Cek || info->tierState == TierState::Refused) return nullptr;
  return ensureCompiled(iso, p);
}

}  // namespace detail

Span vmFrameSpan(const Frame& fr) {
  const Code* code = detail::codeOf(fr);
  return code->spanAt(fr.i > 0 ? fr.i - 1 : 0);
}

bool vmEnter(Fiber& f, Value fn, size_t cb, uint32_t argc) {
  Code* code = detail::compiledCode(f.iso, fn);
  if (!code) return false;
  Closure* c = as<Closure>(fn);
  ++c->proto->info->calls;
  detail::pushVmFrame(f);
  detail::setupFrame(f, c, code, cb + 1, argc);
  detail::entrySafepoint(f);
  return true;
}

void vmDeliver(Fiber& f, Value v) {
  Frame& fr = f.frames.back();
  growVals(f.vals, fr.vbase + fr.j + 1);
  f.vals[fr.vbase + fr.j++] = v;
}

}  // namespace sx
