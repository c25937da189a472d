// Insertion-ordered, string-keyed dicts (compact entries array; an open-addressing index
// once there can be more than a few entries).
#pragma once

#include <string_view>

#include "value/objects.h"

namespace sx {

class Isolate;

// A dict made with room for at most this many entries keeps them right after itself in
// the GC heap (Isolate::dict): no malloc, and freed with the dict. Bigger ones, and
// entries grown past the room, are malloc'd.
constexpr uint32_t kInlineDictEntries = 8;
inline bool dictEntriesInline(const Dict* d) { return d->entries == reinterpret_cast<const DictEntry*>(d + 1); }

// Changes with every dictSet and dictDelete: an observer that kept a printed copy (the
// inspector's snapshots) can tell the dict is unchanged without printing it again.
inline uint32_t dictVersion(const Dict* d) { return d->aux; }

// Keys are String values. Use dictKey() to normalise a keyword or symbol to its name.
Value dictGet(const Dict* d, std::string_view key);  // unbound when missing
// With the key's hashBytes computed once by the caller (a constant key on a hot path).
Value dictGet(const Dict* d, std::string_view key, uint32_t hash);
Value dictGet(const Dict* d, Value key);
void dictSet(Dict* d, Value key, Value value);
bool dictDelete(Dict* d, Value key);
bool dictHas(const Dict* d, Value key);
Value dictCopy(Isolate& iso, const Dict* d);

// The String value used as a key for k (a string, keyword or symbol); nil if k cannot be
// a key.
Value dictKey(Value k);

// Visit live entries in insertion order. F: void(Value key, Value value).
template <class F>
void dictForEach(const Dict* d, F&& f) {
  for (uint32_t i = 0; i < d->used; ++i) {
    const DictEntry& e = d->entries[i];
    if (!e.key.isUnbound()) f(e.key, e.value);
  }
}

}  // namespace sx
