#include "value/dict.h"

#include <cstdlib>
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

// Linear probe for `key`; returns the index slot position.
int32_t findSlot(const Dict* d, std::string_view key, uint32_t hash, bool* found) {
  uint32_t mask = d->indexMask;
  uint32_t pos = hash & mask;
  for (;;) {
    int32_t e = d->index[pos];
    if (e < 0) {
      *found = false;
      return int32_t(pos);
    }
    const DictEntry& ent = d->entries[e];
    if (!ent.key.isUnbound()) {
      const String* s = keyString(ent.key);
      if (s->aux == hash && s->view() == key) {
        *found = true;
        return int32_t(pos);
      }
    }
    pos = (pos + 1) & mask;
  }
}

void rebuild(Dict* d, uint32_t newCapacity) {
  // Compact tombstones, then rebuild the index sized for newCapacity.
  uint32_t w = 0;
  for (uint32_t i = 0; i < d->used; ++i)
    if (!d->entries[i].key.isUnbound()) d->entries[w++] = d->entries[i];
  d->used = w;
  if (newCapacity > d->capacity) {
    d->entries = static_cast<DictEntry*>(checkedRealloc(d->entries, sizeof(DictEntry) * newCapacity));
    d->capacity = newCapacity;
  }
  uint32_t slots = 8;
  while (slots < d->capacity * 2) slots <<= 1;
  std::free(d->index);
  d->index = static_cast<int32_t*>(std::malloc(sizeof(int32_t) * slots));
  if (!d->index) throw std::bad_alloc();
  for (uint32_t i = 0; i < slots; ++i) d->index[i] = -1;
  d->indexMask = slots - 1;
  for (uint32_t i = 0; i < d->used; ++i) {
    bool found;
    const String* s = keyString(d->entries[i].key);
    int32_t pos = findSlot(d, s->view(), s->aux, &found);
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

Value dictGet(const Dict* d, std::string_view key) {
  if (d->count == 0) return Value::unbound();
  bool found;
  int32_t pos = findSlot(d, key, hashBytes(key), &found);
  return found ? d->entries[d->index[pos]].value : Value::unbound();
}

Value dictGet(const Dict* d, Value key) {
  if (d->count == 0) return Value::unbound();
  const String* s = keyString(key);
  bool found;
  int32_t pos = findSlot(d, s->view(), s->aux, &found);
  return found ? d->entries[d->index[pos]].value : Value::unbound();
}

bool dictHas(const Dict* d, Value key) { return !dictGet(d, key).isUnbound(); }

void dictSet(Dict* d, Value key, Value value) {
  if (!d->index) rebuild(d, d->capacity < 4 ? 4 : d->capacity);
  const String* s = keyString(key);
  bool found;
  int32_t pos = findSlot(d, s->view(), s->aux, &found);
  if (found) {
    d->entries[d->index[pos]].value = value;
    return;
  }
  if (d->used == d->capacity) {
    uint32_t cap = d->count * 2 + 4;
    rebuild(d, cap);
    pos = findSlot(d, s->view(), s->aux, &found);
  }
  d->entries[d->used] = DictEntry{key, value};
  d->index[pos] = int32_t(d->used);
  ++d->used;
  ++d->count;
}

bool dictDelete(Dict* d, Value key) {
  if (d->count == 0) return false;
  const String* s = keyString(key);
  bool found;
  int32_t pos = findSlot(d, s->view(), s->aux, &found);
  if (!found) return false;
  d->entries[d->index[pos]].key = Value::unbound();
  --d->count;
  // The index still points at the tombstone, so probe chains stay intact; a rebuild
  // drops both.
  if (d->used > 8 && d->count < d->used / 2) rebuild(d, d->capacity);
  return true;
}

Value dictCopy(Isolate& iso, const Dict* d) {
  Value out = iso.dict(d->count);
  Dict* nd = as<Dict>(out);
  dictForEach(d, [&](Value k, Value v) { dictSet(nd, k, v); });
  return out;
}

}  // namespace sx
