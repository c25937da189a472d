// JSON: json-encode writes SX data as JSON text; json-decode (alias json-parse) reads it
// back, building values straight from nlohmann's SAX events (no intermediate document,
// no recursion, objects in document order).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>

#include <nlohmann/json.hpp>

#include "reader/printer.h"
#include "stdlib/prims_data.h"
#include "value/dict.h"

namespace sx {

// json-encode recurses on the C++ stack once per nesting level; deeper data (or a
// structure that contains itself) is refused at this depth.
constexpr int kMaxJsonDepth = 1000;

namespace {

using namespace data;

// ---- encoding ------------------------------------------------------------------------

void escapeJsonTo(std::string_view s, std::string& out) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", unsigned(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

class JsonWriter {
 public:
  JsonWriter(Isolate& iso, int indent) : iso_(iso), indent_(indent) {}
  std::string out;

  void write(Value v, int depth) {
    if (depth > kMaxJsonDepth) fail("nesting deeper than " + std::to_string(kMaxJsonDepth) + " (or circular)");
    if (v.isNil()) out += "null";
    else if (v.isBool()) out += v.isTrue() ? "true" : "false";
    else if (isInteger(v)) out += std::to_string(intValue(v));
    else if (isNumber(v)) number(v);
    else if (isString(v)) escapeJsonTo(strView(v), out);
    else if (isKeyword(v) || isSymbol(v)) escapeJsonTo(strView(dictKey(v)), out);
    else if (v.isChar()) escapeJsonTo(displayValue(iso_, v), out);
    else if (isListLike(v) || isVector(v)) array(v, depth);
    else if (isDict(v)) object(as<Dict>(v), depth);
    else fail("cannot encode " + printValue(iso_, v) + " (not JSON data)");
  }

 private:
  [[noreturn]] void fail(const std::string& what) { throw SxError(ErrorCode::Type, "json-encode: " + what); }

  void number(Value v) {
    double d = isFloat(v) ? as<Float>(v)->value : double(as<Rational>(v)->num) / double(as<Rational>(v)->den);
    if (!std::isfinite(d)) fail("cannot encode " + formatDouble(d) + " (JSON has no infinities or NaN)");
    out += formatDouble(d);
  }

  void newline(int depth) {
    if (indent_ <= 0) return;
    out += '\n';
    out.append(size_t(indent_) * size_t(depth), ' ');
  }

  void array(Value v, int depth) {
    std::vector<Value> items = seqItems(iso_, "json-encode", 0, v);
    if (items.empty()) {
      out += "[]";
      return;
    }
    out += '[';
    for (size_t i = 0; i < items.size(); ++i) {
      if (i) out += ',';
      newline(depth + 1);
      write(items[i], depth + 1);
    }
    newline(depth);
    out += ']';
  }

  void object(const Dict* d, int depth) {
    if (d->count == 0) {
      out += "{}";
      return;
    }
    out += '{';
    bool first = true;
    dictForEach(d, [&](Value k, Value val) {
      if (!first) out += ',';
      first = false;
      newline(depth + 1);
      escapeJsonTo(strView(k), out);
      out += indent_ > 0 ? ": " : ":";
      write(val, depth + 1);
    });
    newline(depth);
    out += '}';
  }

  Isolate& iso_;
  int indent_;
};

// (json-encode v [pretty]): pretty is true (indent 2) or an indent width.
Value jsonEncode(Isolate& iso, Args a) {
  Value pretty = a.opt(1);
  int indent = isInteger(pretty) ? int(std::clamp<int64_t>(intValue(pretty), 0, 16)) : pretty.truthy() ? 2 : 0;
  JsonWriter w(iso, indent);
  w.write(a[0], 0);
  return iso.str(w.out);
}

// ---- decoding ------------------------------------------------------------------------

using Json = nlohmann::json;

class ValueBuilder : public nlohmann::json_sax<Json> {
 public:
  explicit ValueBuilder(Isolate& iso) : iso_(iso) {}

  Value result = Value::nil();
  size_t errorPosition = 0;
  std::string errorMessage;

  bool null() override { return add(Value::nil()); }
  bool boolean(bool b) override { return add(Value::boolean(b)); }
  bool number_integer(number_integer_t n) override { return add(iso_.integer(n)); }
  bool number_unsigned(number_unsigned_t n) override {
    return add(n <= uint64_t(INT64_MAX) ? iso_.integer(int64_t(n)) : iso_.flonum(double(n)));
  }
  bool number_float(number_float_t d, const string_t&) override { return add(iso_.flonum(d)); }
  bool string(string_t& s) override { return add(iso_.str(s)); }
  bool binary(binary_t&) override { return false; }  // the text parser never produces binary values

  bool start_object(std::size_t) override {
    open_.push_back({iso_.dict(), Value::nil(), {}});
    return true;
  }
  bool key(string_t& k) override {
    open_.back().key = iso_.str(k);
    return true;
  }
  bool end_object() override { return close(open_.back().dict); }

  bool start_array(std::size_t) override {
    open_.push_back({Value::nil(), Value::nil(), {}});
    return true;
  }
  bool end_array() override { return close(makeList(iso_, open_.back().items)); }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) override {
    errorPosition = position;
    errorMessage = ex.what();
    return false;
  }

 private:
  // An object or array being read: objects fill `dict` (under `key`), arrays `items`.
  struct Open {
    Value dict;
    Value key;
    std::vector<Value> items;
  };

  bool add(Value v) {
    if (open_.empty()) result = v;
    else if (isDict(open_.back().dict)) dictSet(as<Dict>(open_.back().dict), open_.back().key, v);
    else open_.back().items.push_back(v);
    return true;
  }

  bool close(Value v) {
    open_.pop_back();
    return add(v);
  }

  Isolate& iso_;
  std::vector<Open> open_;
};

// nlohmann's message without its "[json.exception...] parse error at line L, column C: " prefix.
std::string parseErrorDetail(const std::string& what) {
  size_t column = what.find("column ");
  size_t colon = what.find(": ", column == std::string::npos ? 0 : column);
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

Value jsonDecodeAs(Isolate& iso, const char* fn, Args a) {
  std::string_view text = argString(iso, fn, a, 0);
  ValueBuilder builder(iso);
  bool ok = Json::sax_parse(text.begin(), text.end(), &builder);
  if (!ok)
    throw SxError(ErrorCode::Reader, std::string(fn) + ": malformed JSON at byte " + std::to_string(builder.errorPosition) +
                                         ": " + parseErrorDetail(builder.errorMessage));
  return builder.result;
}

Value jsonDecode(Isolate& iso, Args a) { return jsonDecodeAs(iso, "json-decode", a); }
Value jsonParse(Isolate& iso, Args a) { return jsonDecodeAs(iso, "json-parse", a); }

const NativeDef kNatives[] = {
    {"json-encode", jsonEncode, 1, 2, kNativePure, 0, "(json-encode v [pretty]) -> string: v as JSON text (pretty: true or an indent width)"},
    {"json-decode", jsonDecode, 1, 1, 0, 0, "(json-decode s) -> value: JSON text as SX data (objects -> dicts, arrays -> lists)"},
    {"json-parse", jsonParse, 1, 1, 0, 0, "(json-parse s) -> value: same as json-decode"},
};

}  // namespace

void registerJsonNatives(Isolate& iso) { iso.registerNatives(kNatives, std::size(kNatives)); }

}  // namespace sx
