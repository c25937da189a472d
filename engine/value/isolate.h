// The isolate: one heap, one symbol table, one set of globals, used by one thread at a
// time. Everything an SX program can reach hangs off an isolate.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "value/error.h"
#include "value/heap.h"
#include "value/objects.h"

namespace sx {

struct Fiber;
struct NativeDef;
struct EngineEvent;
struct RuntimeState;  // effects/runtime.h: op table, test reporting, counters

// String lengths are stored in 32 bits; 2 GiB keeps every byte offset positive.
constexpr size_t kMaxStringBytes = size_t(1) << 31;

enum class ResolverMode : uint8_t { Inline, Unwind, Step };
const char* resolverModeName(ResolverMode m);

// Execution tiers: cek runs everything on the CEK machine; vm compiles each lambda to
// bytecode on its first call and never makes native code (the VM alone); jit adds native
// code on the first call (engine/jit); auto, the default, compiles to bytecode on the
// first call and to native code once a function is hot: kDefaultJitThreshold calls, or
// as many loop back-edges taken in the VM (engine/vm/tier.h).
enum class Tier : uint8_t { Cek, Vm, Jit, Auto };
const char* tierName(Tier t);
// Parses "cek", "vm", "jit" or "auto"; false for anything else.
bool parseTier(std::string_view name, Tier* out);

// The auto tier's threshold: interpret a function until the time spent interpreting it
// is about what compiling it would cost, then compile (the ski-rental rule: never worse
// than twice the better choice made in hindsight). Measured here: native code for a
// small function costs about 15 µs to make, and a VM call of one about 15-20 ns, so
// about 1000 calls; compile cost and per-call time both grow with the function's
// length, so the count holds for larger functions too. Functions that run a few times
// (top-level set-up, the prelude, one-shot initialisers) stay in the VM; anything hot
// is native within a few microseconds of running.
constexpr uint32_t kDefaultJitThreshold = 1000;

struct SourceFile {
  std::string name;
  std::string text;
  std::vector<uint32_t> lineStarts;  // byte offset of each line start
};

// Spans recorded by the reader for a pair: the span of its car datum and, when the
// pair heads a list, the span of the whole list.
struct PairSpans {
  Span car;
  Span list;
};

// Values that C++ code keeps across safepoints register here (RAII).
class RootedValues;

class Isolate {
 public:
  Isolate();
  ~Isolate();
  Isolate(const Isolate&) = delete;
  Isolate& operator=(const Isolate&) = delete;

  Heap heap;

  // ---- construction of values ------------------------------------------------------
  Value intern(std::string_view name);    // symbol
  Value keyword(std::string_view name);   // keyword (interned)
  Value str(std::string_view s);          // new string
  Value asciiStr(std::string_view s);     // new string of ASCII bytes only (digits, ...)
  Value integer(int64_t n);               // fixnum or boxed int64
  Value flonum(double d);                 // boxed double
  Value rational(int64_t num, int64_t den);  // normalised; integer when den == 1; error on den == 0
  Value cons(Value a, Value d) {  // inline: the allocation the list-heavy code makes most
    auto* p = heap.make<Pair>(ObjType::Pair);
    p->car = a;
    p->cdr = d;
    return Value::object(p);
  }
  Value list(std::initializer_list<Value> items);
  Value listFrom(const Value* items, size_t n, Value tail = Value::empty());
  Value dict(uint32_t capacityHint = 0);
  Value vector(uint32_t length, Value fill = Value::nil());
  Value rawHtml(std::string_view html);
  Value errorValue(ErrorCode code, std::string_view message);

  // ---- globals --------------------------------------------------------------------
  Cell* globalCell(Value symbol) const { return as<Symbol>(symbol)->global; }
  Cell* globalCell(std::string_view name) { return globalCell(intern(name)); }
  void defineGlobal(std::string_view name, Value v);
  Value globalValue(std::string_view name);  // unbound when missing
  void registerNatives(const NativeDef* defs, size_t count);
  Value nativeValue(const NativeDef* def);
  // Every defined global name, sorted (for completion, syntax tables, go-to-definition).
  std::vector<std::string> globalNames();
  // Visits every defined global, in no particular order: f(std::string_view name, Value v).
  template <class F>
  void forEachGlobal(F&& f) const {
    for (const auto& [name, sym] : symbols_)
      if (!sym->global->value.isUnbound()) f(name, sym->global->value);
  }

  // ---- sources and spans ----------------------------------------------------------
  uint32_t addSource(std::string name, std::string text);
  const SourceFile* source(uint32_t id) const;
  std::string sourceLine(uint32_t file, uint32_t line) const;
  void setPairSpans(Pair* p, PairSpans s);
  const PairSpans* pairSpans(Value v) const;  // null when none recorded
  Span listSpan(Value list) const;            // span of a list datum, or {}

  // ---- options --------------------------------------------------------------------
  ResolverMode mode = ResolverMode::Inline;
  Tier tier = Tier::Cek;
  uint32_t jitThreshold = kDefaultJitThreshold;  // auto tier: calls or back-edges before native code
  uint32_t maxDepth = 100000;  // SX call depth before "stack depth exceeded"
  std::atomic<bool> interrupt{false};
  uint64_t performCount = 0;

  // ---- roots ----------------------------------------------------------------------
  void addRoots(RootedValues* r) { rooted_.insert(r); }
  void removeRoots(RootedValues* r) { rooted_.erase(r); }
  void registerFiber(Fiber* f) { fibers_.insert(f); }
  void unregisterFiber(Fiber* f) { fibers_.erase(f); }
  // Collect now if the heap wants to; call only at safepoints.
  void safepoint() {
    if (heap.wantsCollect()) heap.collect();
  }

  // Hooks the host or higher layers install.
  std::function<void(const EngineEvent&)> eventSink;
  // State owned by the effects layer (created on first use).
  std::shared_ptr<RuntimeState> runtime;
  // Arbitrary per-isolate extension state owned by higher layers (test runner, driver).
  std::unordered_map<std::string, std::shared_ptr<void>> extensions;

 private:
  void traceRoots(Heap& h);
  void onSweep(Obj* o);

  std::unordered_map<std::string_view, Symbol*> symbols_;
  std::unordered_map<std::string_view, Keyword*> keywords_;
  std::vector<std::unique_ptr<SourceFile>> sources_;
  std::unordered_map<const Obj*, PairSpans> spans_;
  std::unordered_set<RootedValues*> rooted_;
  std::unordered_set<Fiber*> fibers_;
  std::unordered_map<const NativeDef*, Value> natives_;
};

class RootedValues {
 public:
  explicit RootedValues(Isolate& iso) : iso_(iso) { iso_.addRoots(this); }
  ~RootedValues() { iso_.removeRoots(this); }
  RootedValues(const RootedValues&) = delete;
  RootedValues& operator=(const RootedValues&) = delete;
  std::vector<Value> values;
  void push(Value v) { values.push_back(v); }

 private:
  Isolate& iso_;
};

// The hash of string bytes, never 0 (0 marks a String whose hash is not computed yet).
uint32_t hashBytes(std::string_view s);

// A string's hash, computed on first use and cached in String::aux: most strings (a
// str result, a buffer's text) are never a dict key, and a long one costs its whole length.
uint32_t stringHashSlow(const String* s);
inline uint32_t stringHash(const String* s) {
  uint32_t h = s->aux;
  return h ? h : stringHashSlow(s);
}
size_t utf8Length(std::string_view s);

}  // namespace sx
