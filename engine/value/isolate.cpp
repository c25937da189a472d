#include "value/isolate.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <numeric>

#include "stdlib/native.h"
#include "value/dict.h"
#include "value/trace.h"

namespace sx {

// A string is hashed (on first use) and measured once, whole (a string built from a
// buffer can be megabytes), so both go eight bytes a step.
uint32_t hashBytes(std::string_view s) {
  constexpr uint64_t kMul = 0x9E3779B97F4A7C15ull;
  const char* p = s.data();
  size_t n = s.size();
  uint64_t h = n * kMul;
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (std::rotl(h, 5) ^ w) * kMul;
  }
  if (n) {  // the last 1-7 bytes, little-endian (a memcpy of a variable size is a call)
    uint64_t w = 0;
    for (size_t k = 0; k < n; ++k) w |= uint64_t(static_cast<unsigned char>(p[k])) << (8 * k);
    h = (std::rotl(h, 5) ^ w) * kMul;
  }
  // A multiply mixes upwards only; fold the high bits into the low ones tables use.
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ull;
  uint32_t r = uint32_t(h ^ (h >> 32));
  return r ? r : 1;  // 0 means "not computed yet" in String::aux
}

uint32_t stringHashSlow(const String* s) {
  uint32_t h = hashBytes(s->view());
  const_cast<String*>(s)->aux = h;  // a cache: the string's bytes stay immutable
  return h;
}

size_t utf8Length(std::string_view s) {
  // Code points = bytes - continuation bytes (10xxxxxx): bit 7 set and bit 6 clear, moved
  // to bit 0 of each byte and counted.
  constexpr uint64_t kLow = 0x0101010101010101ull;
  // A run of ASCII (no byte with bit 7 set) has none: 32 bytes at a time are skipped
  // with one test.
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  const char* p = s.data();
  size_t n = s.size(), cont = 0;
  for (; n >= 32; p += 32, n -= 32) {
    uint64_t w[4];
    std::memcpy(w, p, 32);
    if (((w[0] | w[1] | w[2] | w[3]) & kHigh) == 0) continue;
    for (uint64_t x : w) cont += size_t(std::popcount((x >> 7) & (~x >> 6) & kLow));
  }
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    cont += size_t(std::popcount((w >> 7) & (~w >> 6) & kLow));
  }
  for (; n; ++p, --n) cont += (static_cast<unsigned char>(*p) & 0xC0) == 0x80;
  return s.size() - cont;
}

const char* resolverModeName(ResolverMode m) {
  switch (m) {
    case ResolverMode::Inline: return "inline";
    case ResolverMode::Unwind: return "unwind";
    case ResolverMode::Step: return "step";
  }
  return "?";
}

const char* tierName(Tier t) {
  switch (t) {
    case Tier::Cek: return "cek";
    case Tier::Vm: return "vm";
    case Tier::Jit: return "jit";
    case Tier::Auto: return "auto";
  }
  return "?";
}

bool parseTier(std::string_view name, Tier* out) {
  for (Tier t : {Tier::Cek, Tier::Vm, Tier::Jit, Tier::Auto})
    if (name == tierName(t)) {
      *out = t;
      return true;
    }
  return false;
}

const char* errorCodeName(ErrorCode c) {
  switch (c) {
#define X(e, n, d) \
  case ErrorCode::e: return n;
    SX_ERROR_CODES(X)
#undef X
  }
  return "?";
}

void throwError(ErrorCode c, const std::string& msg) { throw SxError(c, msg); }

Isolate::Isolate() {
  sources_.push_back(std::make_unique<SourceFile>());  // id 0: "no source"
  heap.setRootTracer([this](Heap& h) { traceRoots(h); });
  heap.setSweepHook([this](Obj* o) { onSweep(o); });
}

Isolate::~Isolate() {
  heap.setRootTracer(nullptr);
  heap.setSweepHook(nullptr);
}

void Isolate::traceRoots(Heap& h) {
  for (auto& [name, sym] : symbols_) h.markObj(sym);
  for (auto& [name, kw] : keywords_) h.markObj(kw);
  for (auto& [def, v] : natives_) h.mark(v);
  for (RootedValues* r : rooted_)
    for (Value v : r->values) h.mark(v);
  for (Fiber* f : fibers_) traceFiberRef(h, f);
}

void Isolate::onSweep(Obj* o) {
  if (o->type == ObjType::Pair && (o->flags & kFlagHasSpan)) spans_.erase(o);
}

static String* newString(Heap& heap, std::string_view s) {
  if (s.size() > kMaxStringBytes) throwError(ErrorCode::Range, "string too long (" + std::to_string(s.size()) + " bytes; the limit is 2 GiB)");
  auto* str = heap.make<String>(ObjType::String, s.size());
  str->byteLen = uint32_t(s.size());
  str->charLen = uint32_t(utf8Length(s));
  if (!s.empty()) std::memcpy(str->data, s.data(), s.size());
  str->data[s.size()] = 0;
  str->aux = 0;  // hashed on first use (stringHash)
  return str;
}

Value Isolate::str(std::string_view s) { return Value::object(newString(heap, s)); }

Value Isolate::asciiStr(std::string_view s) {
  // newString's work without counting the code points: there are as many as bytes.
  if (s.size() > kMaxStringBytes) return str(s);
  auto* out = heap.make<String>(ObjType::String, s.size());
  out->byteLen = uint32_t(s.size());
  out->charLen = uint32_t(s.size());
  if (!s.empty()) std::memcpy(out->data, s.data(), s.size());
  out->data[s.size()] = 0;
  out->aux = 0;
  return Value::object(out);
}

Value Isolate::intern(std::string_view name) {
  auto it = symbols_.find(name);
  if (it != symbols_.end()) return Value::object(it->second);
  String* n = newString(heap, name);
  auto* sym = heap.make<Symbol>(ObjType::Symbol);
  sym->name = n;
  auto* cell = heap.make<Cell>(ObjType::Cell);
  cell->value = Value::unbound();
  cell->name = Value::object(sym);
  cell->primitive = Value::nil();
  sym->global = cell;
  symbols_.emplace(n->view(), sym);
  return Value::object(sym);
}

Value Isolate::keyword(std::string_view name) {
  auto it = keywords_.find(name);
  if (it != keywords_.end()) return Value::object(it->second);
  String* n = newString(heap, name);
  auto* kw = heap.make<Keyword>(ObjType::Keyword);
  kw->name = n;
  keywords_.emplace(n->view(), kw);
  return Value::object(kw);
}

Value Isolate::integer(int64_t n) {
  if (Value::fitsFixnum(n)) return Value::fixnum(n);
  auto* b = heap.make<Int64>(ObjType::Int64);
  b->value = n;
  return Value::object(b);
}

Value Isolate::flonum(double d) {
  auto* f = heap.make<Float>(ObjType::Float);
  f->value = d;
  return Value::object(f);
}

Value Isolate::rational(int64_t num, int64_t den) {
  if (den == 0) throwError(ErrorCode::Range, "division by zero");
  if (den < 0) {
    if (num == INT64_MIN || den == INT64_MIN) return flonum(double(num) / double(den));
    num = -num;
    den = -den;
  }
  int64_t g = std::gcd(num < 0 ? -num : num, den);
  if (g > 1) {
    num /= g;
    den /= g;
  }
  if (den == 1) return integer(num);
  auto* r = heap.make<Rational>(ObjType::Rational);
  r->num = num;
  r->den = den;
  return Value::object(r);
}

Value Isolate::list(std::initializer_list<Value> items) { return listFrom(items.begin(), items.size()); }

Value Isolate::listFrom(const Value* items, size_t n, Value tail) {
  Value out = tail;
  for (size_t i = n; i-- > 0;) out = cons(items[i], out);
  return out;
}

Value Isolate::dict(uint32_t capacityHint) {
  if (capacityHint <= kInlineDictEntries) {
    auto* d = heap.make<Dict>(ObjType::Dict, sizeof(DictEntry) * capacityHint);
    if (capacityHint) {
      d->entries = reinterpret_cast<DictEntry*>(d + 1);
      d->capacity = capacityHint;
    }
    return Value::object(d);
  }
  auto* d = heap.make<Dict>(ObjType::Dict);
  d->entries = static_cast<DictEntry*>(std::malloc(sizeof(DictEntry) * capacityHint));
  if (!d->entries) throw std::bad_alloc();
  d->capacity = capacityHint;
  return Value::object(d);
}

Value Isolate::vector(uint32_t length, Value fill) {
  auto* v = heap.make<Vector>(ObjType::Vector);
  if (length) {
    v->items = static_cast<Value*>(std::malloc(sizeof(Value) * length));
    if (!v->items) throw std::bad_alloc();
    for (uint32_t i = 0; i < length; ++i) v->items[i] = fill;
  }
  v->length = length;
  v->capacity = length;
  return Value::object(v);
}

Value Isolate::rawHtml(std::string_view html) {
  auto* r = heap.make<RawHtml>(ObjType::RawHtml);
  r->html = as<String>(str(html));
  return Value::object(r);
}

Value Isolate::errorValue(ErrorCode code, std::string_view message) {
  auto* e = heap.make<ErrorObj>(ObjType::Error);
  e->message = str(message);
  e->stack = Value::empty();
  e->code = uint32_t(code);
  return Value::object(e);
}

void Isolate::defineGlobal(std::string_view name, Value v) { globalCell(name)->value = v; }

Value Isolate::globalValue(std::string_view name) {
  auto it = symbols_.find(name);
  if (it == symbols_.end()) return Value::unbound();
  return it->second->global->value;
}

Value Isolate::nativeValue(const NativeDef* def) {
  auto it = natives_.find(def);
  if (it != natives_.end()) return it->second;
  auto* n = heap.make<Native>(ObjType::Native);
  n->def = def;
  Value v = Value::object(n);
  natives_.emplace(def, v);
  return v;
}

void Isolate::registerNatives(const NativeDef* defs, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    Value v = nativeValue(&defs[i]);
    Cell* c = globalCell(defs[i].name);
    c->value = v;
    c->primitive = v;
  }
}

std::vector<std::string> Isolate::globalNames() {
  std::vector<std::string> out;
  forEachGlobal([&](std::string_view name, Value) { out.emplace_back(name); });
  std::sort(out.begin(), out.end());
  return out;
}

uint32_t Isolate::addSource(std::string name, std::string text) {
  auto sf = std::make_unique<SourceFile>();
  sf->name = std::move(name);
  sf->text = std::move(text);
  sf->lineStarts.push_back(0);
  for (uint32_t i = 0; i < sf->text.size(); ++i)
    if (sf->text[i] == '\n') sf->lineStarts.push_back(i + 1);
  sources_.push_back(std::move(sf));
  return uint32_t(sources_.size() - 1);
}

const SourceFile* Isolate::source(uint32_t id) const {
  return id > 0 && id < sources_.size() ? sources_[id].get() : nullptr;
}

std::string Isolate::sourceLine(uint32_t file, uint32_t line) const {
  const SourceFile* sf = source(file);
  if (!sf || line == 0 || line > sf->lineStarts.size()) return {};
  uint32_t start = sf->lineStarts[line - 1];
  uint32_t end = line < sf->lineStarts.size() ? sf->lineStarts[line] - 1 : uint32_t(sf->text.size());
  if (end > start && sf->text[end - 1] == '\r') --end;
  return sf->text.substr(start, end - start);
}

void Isolate::setPairSpans(Pair* p, PairSpans s) {
  p->flags |= kFlagHasSpan;
  spans_[p] = s;
}

const PairSpans* Isolate::pairSpans(Value v) const {
  if (!isPair(v) || !(v.asObj()->flags & kFlagHasSpan)) return nullptr;
  auto it = spans_.find(v.asObj());
  return it == spans_.end() ? nullptr : &it->second;
}

Span Isolate::listSpan(Value list) const {
  const PairSpans* s = pairSpans(list);
  return s ? s->list : Span{};
}

}  // namespace sx
