// The data primitive tables: strings and string buffers (prims_strings.cpp), format and
// format-date (prims_format.cpp), JSON (prims_json.cpp), lists (prims_lists.cpp), dicts
// (prims_dicts.cpp), vectors (prims_vectors.cpp) and the HTML text helpers escape-html,
// strip-tags and pluralize (prims_html.cpp); plus the helpers those files share.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "stdlib/native.h"

namespace sx {

void registerStringNatives(Isolate& iso);
void registerFormatNatives(Isolate& iso);
void registerJsonNatives(Isolate& iso);
void registerListNatives(Isolate& iso);
void registerDictNatives(Isolate& iso);
void registerVectorNatives(Isolate& iso);
void registerHtmlTextNatives(Isolate& iso);

// Appends `s` with & < > " ' replaced by entities (shared with render-to-html).
void escapeHtmlTo(std::string_view s, std::string& out);

namespace data {

// Lists as the primitives see them: nil counts as the empty list.
inline bool isListLike(Value v) { return v.isNil() || isList(v); }

// The elements of a proper list (or nil); anything else, including an improper list,
// throws a type error naming `fn` and argument `index` (0-based).
std::vector<Value> listItems(Isolate& iso, const char* fn, uint32_t index, Value list);
// The elements of a list, nil or vector.
std::vector<Value> seqItems(Isolate& iso, const char* fn, uint32_t index, Value coll);
// Number of elements of a proper list (or nil), with the same errors as listItems.
size_t listLength(Isolate& iso, const char* fn, uint32_t index, Value list);
inline Value makeList(Isolate& iso, const std::vector<Value>& items) {
  return iso.listFrom(items.data(), items.size());
}

// The one-character string for code point `cp`.
Value charString(Isolate& iso, uint32_t cp);
// The dict key for k (string, keyword or symbol), or a type error naming fn/index.
Value argKey(Isolate& iso, const char* fn, uint32_t index, Value k);
// A non-negative integer argument (a count or an index).
size_t argCount(Isolate& iso, const char* fn, Args a, uint32_t index);

}  // namespace data
}  // namespace sx
