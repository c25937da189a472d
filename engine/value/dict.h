// Insertion-ordered, string-keyed dicts (compact entries array + open-addressing index).
#pragma once

#include <string_view>

#include "value/objects.h"

namespace sx {

class Isolate;

// Keys are String values. Use dictKey() to normalise a keyword or symbol to its name.
Value dictGet(const Dict* d, std::string_view key);  // unbound when missing
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
