// The harness the VM and JIT unit tests share: a real engine, the values a test keeps
// alive, compiled closures made from bytecode text (compiler/disasm.h's assembler) and
// data read from SX text.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cek/cek.h"
#include "cek/node.h"
#include "compiler/disasm.h"
#include "reader/reader.h"
#include "sx.h"
#include "vm/tier.h"

namespace sx::test {

// (sum-to n): i and acc are locals 1 and 2; a backward jump closes the loop.
inline const char* const kSumTo = R"(
  .params 1
  .locals 3
  .global >
  .global +
  .global inc
  .const 0
  .const 1
  CONST 3
  LOCAL_SET 2
  POP
  CONST 4
  LOCAL_SET 1
  POP
loop:
  LOCAL_GET 1
  LOCAL_GET 0
  GT 0
  JUMP_IF_TRUE done
  LOCAL_GET 2
  LOCAL_GET 1
  ADD 1
  LOCAL_SET 2
  POP
  LOCAL_GET 1
  INC 2
  LOCAL_SET 1
  POP
  JUMP loop
done:
  LOCAL_GET 2
  RETURN)";

struct BytecodeBench {
  explicit BytecodeBench(EngineOptions options = {}, std::string sourceName = "<test>")
      : e(options), sourceName(std::move(sourceName)) {}

  Engine e;
  Isolate& iso = e.isolate();
  RootedValues keep{iso};
  std::string sourceName;  // what ev() calls the source it evaluates

  // Assembles `text` into a compiled closure named `name` over `env`; throws on error.
  Value fn(const std::string& name, const std::string& text, Env* env = nullptr) {
    AssembleResult r = assemble(iso, text);
    if (!r.code) throw std::runtime_error("assemble " + name + ": " + r.error);
    return wrap(name, r.code, env);
  }
  // A closure named `name` of code that is already compiled.
  Value wrap(const std::string& name, Code* code, Env* env = nullptr) {
    Proto* p = newProto(iso);
    keep.push(Value::object(p));
    ProtoInfo* info = p->info;
    info->name = name;
    info->code = code;
    info->tierState = TierState::Compiled;
    info->nparams = code->nparams;
    info->hasRest = code->hasRest;
    info->nslots = code->needsEnv ? code->nslots : code->nlocals;
    Value c = makeClosureValue(iso, p, env);
    keep.push(c);
    return c;
  }
  Value datum(const std::string& src) {
    ReadResult r = readString(iso, src, "<datum>");
    if (r.error || r.data.size() != 1) throw std::runtime_error("bad datum " + src);
    keep.push(r.data[0].value);
    return r.data[0].value;
  }
  std::vector<Value> data(const std::vector<std::string>& srcs) {
    std::vector<Value> out;
    for (const std::string& s : srcs) out.push_back(datum(s));
    return out;
  }
  // The printed value of SX source, or "error: message".
  std::string ev(const std::string& src) {
    EvalResult r = e.evalString(src, sourceName);
    return r.ok ? r.printed : "error: " + r.error.message;
  }
};

}  // namespace sx::test
