#include "store/store_ops.h"

#include <filesystem>

#include "effects/async_driver.h"
#include "reader/printer.h"
#include "reader/reader.h"
#include "stdlib/equality.h"

namespace sx {

namespace {

// Printed values in error messages are cut to this many bytes.
constexpr size_t kMaxShownValue = 80;

std::string shown(Isolate& iso, Value v) {
  std::string s = printValue(iso, v);
  if (s.size() > kMaxShownValue) s = s.substr(0, kMaxShownValue) + "...";
  return s;
}

// The op's arguments as a vector, checking their count.
std::vector<Value> argsOf(Isolate& iso, const char* op, Value args, size_t min, size_t max) {
  std::vector<Value> out;
  for (Value c = args; isPair(c); c = cdr(c)) out.push_back(car(c));
  if (out.size() < min || out.size() > max) {
    std::string want = min == max ? std::to_string(min) : std::to_string(min) + " or " + std::to_string(max);
    throw SxError(ErrorCode::Arity, std::string(op) + ": expected " + want + " argument" + (max == 1 ? "" : "s") +
                                        ", got " + shown(iso, args));
  }
  return out;
}

// A key: a string (a keyword evaluates to one; a symbol names one).
std::string keyText(Isolate& iso, const char* op, Value k) {
  if (isString(k)) return std::string(strView(k));
  if (isSymbol(k)) return std::string(symName(k));
  if (isKeyword(k)) return std::string(as<Keyword>(k)->name->view());
  throw SxError(ErrorCode::Type, std::string(op) + ": expected a string key, got " + shown(iso, k));
}

// The SX text a value is stored as; only values that read back equal can be stored.
std::string valueText(Isolate& iso, const char* op, Value v) {
  std::string text = printValue(iso, v);
  ReadResult r = readAll(iso, text, 0);
  if (r.error || r.data.size() != 1 || !valuesEqual(r.data[0].value, v))
    throw SxError(ErrorCode::Type, std::string(op) + ": only data that reads back equal can be stored " +
                                       "(nil, booleans, numbers, strings, symbols, keywords, chars, lists, dicts), got " +
                                       shown(iso, v));
  return text;
}

// A stored text back to a value.
Value readValue(Isolate& iso, const std::string& key, const std::string& text) {
  ReadResult r = readAll(iso, text, 0);
  if (r.error || r.data.size() != 1)
    throw SxError(ErrorCode::Io, "kv-get: the stored value of " + key + " is not readable SX text");
  return r.data[0].value;
}

Value stringList(Isolate& iso, const std::vector<std::string>& items) {
  Value out = Value::empty();
  for (size_t i = items.size(); i-- > 0;) out = iso.cons(iso.str(items[i]), out);
  return out;
}

StoreWrite batchWrite(Isolate& iso, Value item) {
  const char* op = "kv-batch";
  if (!isPair(item)) throw SxError(ErrorCode::Type, std::string(op) + ": each write is a list (\"put\" key value) or (\"delete\" key), got " + shown(iso, item));
  std::vector<Value> parts = argsOf(iso, op, item, 2, 3);
  std::string kind = keyText(iso, op, parts[0]);
  if (kind == "put" && parts.size() == 3)
    return StoreWrite{StoreWrite::Kind::Put, keyText(iso, op, parts[1]), valueText(iso, op, parts[2])};
  if (kind == "delete" && parts.size() == 2) return StoreWrite{StoreWrite::Kind::Delete, keyText(iso, op, parts[1]), {}};
  throw SxError(ErrorCode::Type, std::string(op) + ": each write is a list (\"put\" key value) or (\"delete\" key), got " + shown(iso, item));
}

using Shared = std::shared_ptr<Store>;

std::unique_ptr<IoJob> kvGet(const Shared& store, Isolate& iso, Value args) {
  std::string key = keyText(iso, "kv-get", argsOf(iso, "kv-get", args, 1, 1)[0]);
  return makeIoJob<std::optional<std::string>>(
      [store, key] { return store->get(key); },
      [key](Isolate& i, Value, std::optional<std::string>& text) { return text ? readValue(i, key, *text) : Value::nil(); });
}

std::unique_ptr<IoJob> kvPut(const Shared& store, Isolate& iso, Value args) {
  std::vector<Value> a = argsOf(iso, "kv-put", args, 2, 2);
  std::string key = keyText(iso, "kv-put", a[0]);
  std::string text = valueText(iso, "kv-put", a[1]);
  return makeIoJob<bool>([store, key, text] { return store->put(key, text), true; },
                         [](Isolate&, Value args, bool&) { return car(cdr(args)); });
}

std::unique_ptr<IoJob> kvDelete(const Shared& store, Isolate& iso, Value args) {
  std::string key = keyText(iso, "kv-delete", argsOf(iso, "kv-delete", args, 1, 1)[0]);
  return makeIoJob<bool>([store, key] { return store->remove(key); },
                         [](Isolate&, Value, bool& existed) { return Value::boolean(existed); });
}

std::unique_ptr<IoJob> kvHas(const Shared& store, Isolate& iso, Value args) {
  std::string key = keyText(iso, "kv-has?", argsOf(iso, "kv-has?", args, 1, 1)[0]);
  return makeIoJob<bool>([store, key] { return store->has(key); },
                         [](Isolate&, Value, bool& found) { return Value::boolean(found); });
}

std::unique_ptr<IoJob> kvKeys(const Shared& store, Isolate& iso, Value args) {
  std::vector<Value> a = argsOf(iso, "kv-keys", args, 0, 1);
  std::string prefix = a.empty() || a[0].isNil() ? std::string() : keyText(iso, "kv-keys", a[0]);
  return makeIoJob<std::vector<std::string>>([store, prefix] { return store->keys(prefix); },
                                             [](Isolate& i, Value, std::vector<std::string>& keys) { return stringList(i, keys); });
}

std::unique_ptr<IoJob> kvBatch(const Shared& store, Isolate& iso, Value args) {
  Value list = argsOf(iso, "kv-batch", args, 1, 1)[0];
  if (!isList(list)) throw SxError(ErrorCode::Type, "kv-batch: expected a list of writes, got " + shown(iso, list));
  std::vector<StoreWrite> writes;
  for (Value c = list; isPair(c); c = cdr(c)) writes.push_back(batchWrite(iso, car(c)));
  auto shared = std::make_shared<std::vector<StoreWrite>>(std::move(writes));
  return makeIoJob<int64_t>([store, shared] { return store->batch(*shared), int64_t(shared->size()); },
                            [](Isolate& i, Value, int64_t& n) { return i.integer(n); });
}

// The ops, declared once.
using Prepare = std::unique_ptr<IoJob> (*)(const Shared&, Isolate&, Value);
struct StoreOpDef {
  const char* name;
  Prepare prepare;
};
constexpr StoreOpDef kStoreOps[] = {
    {"kv-get", kvGet}, {"kv-put", kvPut}, {"kv-delete", kvDelete},
    {"kv-has?", kvHas}, {"kv-keys", kvKeys}, {"kv-batch", kvBatch},
};

}  // namespace

void installStoreOps(Isolate& iso, std::shared_ptr<Store> store) {
  for (const StoreOpDef& def : kStoreOps)
    registerAsyncOp(iso, def.name, [store, prepare = def.prepare](Isolate& i, Value args) { return prepare(store, i, args); });
}

std::string defaultDataDir(const std::string& entryFile) {
  std::filesystem::path dir = std::filesystem::absolute(entryFile).parent_path();
  return (dir / ".sx-data").string();
}

}  // namespace sx
