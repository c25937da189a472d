#include "value/dict.h"

#include <cstdlib>
#include <cstring>
#include <new>

#include "value/isolate.h"

namespace sx {

namespace {

inline const String* keyString(Value k) { return as<String>(k); }

void* checkedRealloc(void* p, size_t bytes) {
  void* r = std::realloc(p, bytes);
  if (!r) throw std::bad_alloc();
  return r;
}

// Dicts of up to this many entries keep no index: a scan of their entries (the hash
// compared first) is as quick as a probe, and saves the index's allocation, which for
// the small dicts most programs make (a perform's request, a record) is half the cost of
// making one.
constexpr uint32_t kScannedEntries = 8;

// A lookup's key: its String when there is one (a key of the dict is often the very same
// object, so identity is tried first), its bytes and hash.
struct Key {
  const String* str;  // null for a lookup by bytes
  std::string_view view;
  uint32_t hash;
};

inline Key keyOf(Value k) {
  const String* s = keyString(k);
  return Key{s, s->view(), stringHash(s)};
}

bool sameKey(const DictEntry& e, const Key& key) {
  if (e.key.isUnbound()) return false;  // a tombstone
  const String* s = keyString(e.key);
  if (s == key.str) return true;
  // An entry's key is hashed when set. Keys are mostly short (:op, :args, field names):
  // compared here a byte at a time rather than through a call of memcmp.
  if (s->aux != key.hash || s->byteLen != key.view.size()) return false;
  const char* a = s->data;
  const char* b = key.view.data();
  size_t n = key.view.size();
  if (n > 16) return std::memcmp(a, b, n) == 0;
  for (size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

// Linear probe of the index for `key`; returns the index slot position.
int32_t findSlot(const Dict* d, const Key& key, bool* found) {
  uint32_t mask = d->indexMask;
  uint32_t pos = key.hash & mask;
  for (;;) {
    int32_t e = d->index[pos];
    if (e < 0) {
      *found = false;
      return int32_t(pos);
    }
    if (sameKey(d->entries[e], key)) {
      *found = true;
      return int32_t(pos);
    }
    pos = (pos + 1) & mask;
  }
}

// The entry holding `key`, or -1.
int32_t findEntry(const Dict* d, const Key& key) {
  if (!d->index) {
    for (uint32_t i = 0; i < d->used; ++i)
      if (sameKey(d->entries[i], key)) return int32_t(i);
    return -1;
  }
  bool found;
  int32_t pos = findSlot(d, key, &found);
  return found ? d->index[pos] : -1;
}

// Compacts tombstones, grows the entries to newCapacity, and indexes the entries if
// there can be more than kScannedEntries of them.
void rebuild(Dict* d, uint32_t newCapacity) {
  uint32_t w = 0;
  for (uint32_t i = 0; i < d->used; ++i)
    if (!d->entries[i].key.isUnbound()) d->entries[w++] = d->entries[i];
  d->used = w;
  if (newCapacity > d->capacity) {
    if (dictEntriesInline(d)) {  // outgrew its room in the heap: move to malloc'd entries
      auto* grown = static_cast<DictEntry*>(checkedRealloc(nullptr, sizeof(DictEntry) * newCapacity));
      std::memcpy(static_cast<void*>(grown), d->entries, sizeof(DictEntry) * d->used);
      d->entries = grown;
    } else {
      d->entries = static_cast<DictEntry*>(checkedRealloc(d->entries, sizeof(DictEntry) * newCapacity));
    }
    d->capacity = newCapacity;
  }
  std::free(d->index);
  d->index = nullptr;
  d->indexMask = 0;
  if (d->capacity <= kScannedEntries) return;
  uint32_t slots = 8;
  while (slots < d->capacity * 2) slots <<= 1;
  d->index = static_cast<int32_t*>(std::malloc(sizeof(int32_t) * slots));
  if (!d->index) throw std::bad_alloc();
  for (uint32_t i = 0; i < slots; ++i) d->index[i] = -1;
  d->indexMask = slots - 1;
  for (uint32_t i = 0; i < d->used; ++i) {
    bool found;
    int32_t pos = findSlot(d, keyOf(d->entries[i].key), &found);
    d->index[pos] = int32_t(i);
  }
}

}  // namespace

Value dictKey(Value k) {
  if (isString(k)) return k;
  if (isKeyword(k)) return Value::object(as<Keyword>(k)->name);
  if (isSymbol(k)) return Value::object(as<Symbol>(k)->name);
  return Value::nil();
}

Value dictGet(const Dict* d, std::string_view key) { return dictGet(d, key, hashBytes(key)); }

Value dictGet(const Dict* d, std::string_view key, uint32_t hash) {
  if (d->count == 0) return Value::unbound();
  int32_t e = findEntry(d, Key{nullptr, key, hash});
  return e >= 0 ? d->entries[e].value : Value::unbound();
}

Value dictGet(const Dict* d, Value key) {
  if (d->count == 0) return Value::unbound();
  int32_t e = findEntry(d, keyOf(key));
  return e >= 0 ? d->entries[e].value : Value::unbound();
}

bool dictHas(const Dict* d, Value key) { return !dictGet(d, key).isUnbound(); }

void dictSet(Dict* d, Value key, Value value) {
  const Key k = keyOf(key);  // hashes the key, as sameKey expects of every entry's key
  ++d->aux;  // the version
  int32_t e = findEntry(d, k);
  if (e >= 0) {
    d->entries[e].value = value;
    return;
  }
  if (d->used == d->capacity)
    rebuild(d, d->count * 2 + 4);
  else if (!d->index && d->used == kScannedEntries)
    rebuild(d, d->capacity);  // made with room for more than are scanned: index them now
  if (d->index) {
    bool found;
    d->index[findSlot(d, k, &found)] = int32_t(d->used);
  }
  d->entries[d->used] = DictEntry{key, value};
  ++d->used;
  ++d->count;
}

bool dictDelete(Dict* d, Value key) {
  if (d->count == 0) return false;
  int32_t e = findEntry(d, keyOf(key));
  if (e < 0) return false;
  d->entries[e].key = Value::unbound();
  --d->count;
  ++d->aux;  // the version
  // An index still points at the tombstone, so probe chains stay intact; a rebuild
  // drops both (a scanned dict's tombstones go when it next grows).
  if (d->used > kScannedEntries && d->count < d->used / 2) rebuild(d, d->capacity);
  return true;
}

Value dictCopy(Isolate& iso, const Dict* d) {
  Value out = iso.dict(d->count);
  Dict* nd = as<Dict>(out);
  dictForEach(d, [&](Value k, Value v) { dictSet(nd, k, v); });
  return out;
}

}  // namespace sx
