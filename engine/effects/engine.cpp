// The host-facing Engine (sx.h): an isolate with the standard library and prelude,
// evaluation of source text, and diagnostics as data.
#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include <algorithm>
#include <unordered_set>

#include "cek/analyzer.h"
#include "compiler/compiler.h"
#include "compiler/disasm.h"
#include "vm/tier.h"
#include "effects/run.h"
#include "effects/runtime.h"
#include "reader/printer.h"
#include "reader/reader.h"
#include "stdlib/native.h"
#include "sx.h"

namespace sx {

extern const char kPreludeSource[];
extern const std::size_t kPreludeSize;

struct Engine::Impl {
  Isolate iso;
};

namespace {

Diagnostic syntaxDiagnostic(Isolate& iso, ErrorCode code, const std::string& msg, Span sp) {
  Diagnostic d;
  d.code = code;
  d.message = msg;
  if (const SourceFile* sf = iso.source(sp.file)) {
    d.file = sf->name;
    d.line = sp.line;
    d.col = sp.col;
    d.sourceLine = iso.sourceLine(sp.file, sp.line);
  }
  return d;
}

void registerDefaultOps(Isolate& iso) {
  registerOp(iso, "now", [](Isolate& i, Value) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    return i.integer(int64_t(ms));
  });
  registerOp(iso, "sleep", [](Isolate&, Value args) {
    int64_t ms = isPair(args) && isInteger(car(args)) ? intValue(car(args)) : 0;
    if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    return Value::nil();
  });
  registerOp(iso, "log", [](Isolate& i, Value args) {
    std::string line;
    for (Value c = args; isPair(c); c = cdr(c)) line += (line.empty() ? "" : " ") + displayValue(i, car(c));
    RuntimeState& rt = runtime(i);
    if (rt.output) rt.output(line + "\n");
    return Value::nil();
  });
  registerOp(iso, "read-file", [](Isolate& i, Value args) {
    if (!isPair(args) || !isString(car(args))) throw SxError(ErrorCode::Type, "read-file: expected a path string");
    std::ifstream in(std::string(strView(car(args))), std::ios::binary);
    if (!in) throw SxError(ErrorCode::Io, "read-file: cannot open " + std::string(strView(car(args))));
    std::stringstream ss;
    ss << in.rdbuf();
    return i.str(ss.str());
  });
}

}  // namespace

Engine::Engine(EngineOptions opts) : impl_(std::make_unique<Impl>()) {
  Isolate& iso = impl_->iso;
  iso.mode = opts.mode;
  iso.tier = opts.tier;
  iso.jitThreshold = opts.jitThreshold == 0 ? 1 : opts.jitThreshold;
  iso.maxDepth = opts.maxDepth;
  registerCoreNatives(iso);
  registerDefaultOps(iso);
  if (opts.loadPrelude) {
    std::string prelude(kPreludeSource, kPreludeSize);
    ResolverMode saved = iso.mode;
    iso.mode = ResolverMode::Inline;
    EvalResult r = evalString(prelude, "<prelude>");
    iso.mode = saved;
    if (!r.ok) throw std::runtime_error("the SX prelude failed to load: " + formatDiagnostic(r.error));
    for (uint32_t id = 1; iso.source(id); ++id)
      if (iso.source(id)->name == "<prelude>") runtime(iso).preludeFile = id;
  }
  iso.heap.setStress(opts.gcStress);
}

Engine::~Engine() = default;

Isolate& Engine::isolate() { return impl_->iso; }
void Engine::setMode(ResolverMode m) { impl_->iso.mode = m; }
ResolverMode Engine::mode() const { return impl_->iso.mode; }
void Engine::setTier(Tier t) { impl_->iso.tier = t; }
Tier Engine::tier() const { return impl_->iso.tier; }
void Engine::interrupt() { impl_->iso.interrupt.store(true); }
std::string Engine::print(Value v) { return printValue(impl_->iso, v); }
std::string Engine::display(Value v) { return displayValue(impl_->iso, v); }
void Engine::setTestSink(TestSink sink) { runtime(impl_->iso).testSink = std::move(sink); }
void Engine::setOutput(std::function<void(std::string_view)> out) { runtime(impl_->iso).output = std::move(out); }

EvalResult Engine::evalString(std::string_view source, const std::string& fileName) {
  Isolate& iso = impl_->iso;
  iso.interrupt.store(false);  // an interrupt meant for an earlier run must not stop this one
  EvalResult result;
  uint32_t file = iso.addSource(fileName, std::string(source));
  ReadResult rr = readAll(iso, iso.source(file)->text, file);
  if (rr.error) {
    result.error = syntaxDiagnostic(iso, ErrorCode::Reader, rr.error->message, rr.error->span);
    return result;
  }
  RootedValues roots(iso);
  for (const Datum& d : rr.data) roots.push(d.value);
  Value last = Value::nil();
  for (const Datum& d : rr.data) {
    Proto* p;
    try {
      p = analyzeToplevel(iso, d.value, d.span);
    } catch (const SxError& e) {
      result.error = syntaxDiagnostic(iso, e.code, e.what(), e.span.valid() ? e.span : d.span);
      return result;
    }
    roots.push(Value::object(p));
    Fiber f(iso);
    startToplevel(f, p);
    if (driveToCompletion(f) == RunStatus::Error) {
      result.error = f.diagnostic;
      return result;
    }
    last = f.result;
    roots.push(last);
  }
  result.ok = true;
  result.value = last;
  result.printed = printValue(iso, last);
  return result;
}

EvalResult Engine::loadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    EvalResult r;
    r.error.code = ErrorCode::Io;
    r.error.message = "cannot open " + path;
    r.error.file = path;
    return r;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return evalString(ss.str(), path);
}

void Engine::installTestMockOps() {
  Isolate& iso = impl_->iso;
  auto store = std::make_shared<std::map<std::string, std::string>>();
  auto key = [](Isolate& i, Value args, const char* op) {
    if (!isPair(args)) throw SxError(ErrorCode::Type, std::string(op) + ": expected a key");
    Value k = car(args);
    return isString(k) ? std::string(strView(k)) : displayValue(i, k);
  };
  registerOp(iso, "echo", [](Isolate&, Value args) { return isPair(args) ? car(args) : Value::nil(); });
  registerOp(iso, "kv-put", [store, key](Isolate& i, Value args) {
    Value v = isPair(args) && isPair(cdr(args)) ? car(cdr(args)) : Value::nil();
    (*store)[key(i, args, "kv-put")] = printValue(i, v);
    return v;
  });
  registerOp(iso, "kv-get", [store, key](Isolate& i, Value args) {
    auto it = store->find(key(i, args, "kv-get"));
    if (it == store->end()) return Value::nil();
    ReadResult r = readString(i, it->second, "<kv>");
    return r.data.empty() ? Value::nil() : r.data[0].value;
  });
  registerOp(iso, "kv-has?", [store, key](Isolate& i, Value args) { return Value::boolean(store->count(key(i, args, "kv-has?")) > 0); });
  registerOp(iso, "kv-delete", [store, key](Isolate& i, Value args) { return Value::boolean(store->erase(key(i, args, "kv-delete")) > 0); });
  registerOp(iso, "kv-keys", [store](Isolate& i, Value args) {
    std::string prefix = isPair(args) && isString(car(args)) ? std::string(strView(car(args))) : std::string();
    std::vector<Value> keys;
    for (auto it = store->lower_bound(prefix); it != store->end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
      keys.push_back(i.str(it->first));
    return i.listFrom(keys.data(), keys.size());
  });
}

std::vector<std::string> Engine::functionsDefinedIn(const std::string& file) {
  Isolate& iso = impl_->iso;
  std::vector<std::pair<uint32_t, std::string>> found;
  for (const std::string& name : iso.globalNames()) {
    Value v = iso.globalValue(name);
    if (!isType(v, ObjType::Lambda)) continue;
    const ProtoInfo* info = as<Closure>(v)->proto->info;
    const SourceFile* sf = iso.source(info->span.file);
    if (sf && sf->name == file && info->name == name) found.push_back({info->span.line, name});
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& f : found) out.push_back(f.second);
  return out;
}

std::string Engine::bytecodeListing(const std::string& name, std::string* error) {
  Isolate& iso = impl_->iso;
  Value v = iso.globalValue(name);
  if (!isType(v, ObjType::Lambda)) {
    *error = v.isUnbound() ? "no function named " + name : name + " is not a lambda";
    return {};
  }
  Proto* p = as<Closure>(v)->proto;
  Code* c = compileNow(iso, p);
  if (!c) {
    *error = name + " cannot be compiled: " + refusalReasonText(RefusalReason(p->info->refusal));
    return {};
  }
  // Blocks (guard, reset, shift, provide, scope bodies) and nested lambdas follow their
  // function, depth first.
  std::string out;
  std::vector<Proto*> todo = {p};
  std::unordered_set<Proto*> seen;
  while (!todo.empty()) {
    Proto* q = todo.back();
    todo.pop_back();
    if (!seen.insert(q).second) continue;
    Code* qc = q->info->isBlock ? q->info->code : compileNow(iso, q);
    if (!qc) continue;
    if (!out.empty()) out += "\n";
    out += formatListing(iso, *qc, q->info->name);
    for (size_t i = qc->consts.size(); i-- > 0;)
      if (isType(qc->consts[i], ObjType::Proto)) todo.push_back(as<Proto>(qc->consts[i]));
  }
  return out;
}

std::string Engine::formatDiagnostic(const Diagnostic& d) {
  std::string out;
  if (!d.file.empty()) out += d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.col) + ": ";
  out += std::string("error: ") + d.message;
  if (!d.sourceLine.empty()) {
    out += "\n  " + d.sourceLine + "\n  ";
    // The caret column counts code points; pad with spaces (tabs kept for alignment).
    uint32_t col = 1;
    for (size_t i = 0; i < d.sourceLine.size() && col < d.col; ++i) {
      unsigned char c = static_cast<unsigned char>(d.sourceLine[i]);
      if ((c & 0xC0) == 0x80) continue;
      out += c == '\t' ? '\t' : ' ';
      ++col;
    }
    out += "^";
  }
  for (size_t i = 1; i < d.stack.size(); ++i) {
    const StackFrameInfo& s = d.stack[i];
    out += "\n  at " + (s.function.empty() ? std::string("<top level>") : s.function);
    if (!s.file.empty()) out += " (" + s.file + ":" + std::to_string(s.line) + ":" + std::to_string(s.col) + ")";
  }
  return out;
}

}  // namespace sx
