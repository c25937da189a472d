// Type predicates, `type-of`, identity and equality, symbols and keywords.
#include <atomic>
#include <iterator>
#include <string>

#include "stdlib/equality.h"
#include "stdlib/native.h"
#include "stdlib/prims_core.h"

namespace sx {

std::string_view typeOfValue(Value v) {
  if (v.isFixnum()) return "number";
  if (v.isChar()) return "char";
  if (v.isObj()) {
    if (isType(v, ObjType::Adt)) return as<Adt>(v)->ctor->typeName->view();
    return typeOfName(v.asObj()->type);
  }
  switch (v.bits()) {
    case Value::kNil: return "nil";
    case Value::kTrue:
    case Value::kFalse: return "boolean";
    case Value::kEmpty: return "list";
    case Value::kUnbound: return "unbound";
    default: return "void";
  }
}

namespace {

// ---- one-argument type tests -------------------------------------------------------

bool nilValue(Value v) { return v.isNil(); }
bool boolValue(Value v) { return v.isBool(); }
bool dictLike(Value v) { return isDict(v) || isType(v, ObjType::Adt); }  // ruling: dict? holds for ADT values
bool adtValue(Value v) { return isType(v, ObjType::Adt); }
bool macroValue(Value v) { return isType(v, ObjType::Macro); }
bool componentValue(Value v) { return isType(v, ObjType::Component); }
bool errorValue(Value v) { return isType(v, ObjType::Error); }
bool rawHtmlValue(Value v) { return isType(v, ObjType::RawHtml); }
bool continuationValue(Value v) { return isType(v, ObjType::Continuation); }

template <bool (*Test)(Value)>
Value typeTest(Isolate&, Args a) {
  return Value::boolean(Test(a[0]));
}

Value typeOf(Isolate& iso, Args a) { return iso.str(typeOfValue(a[0])); }

// nil, (), "", {} and an empty vector are empty; anything else is not.
Value emptyP(Isolate&, Args a) {
  Value v = a[0];
  if (v.isNil() || v.isEmpty()) return Value::t();
  if (isString(v)) return Value::boolean(as<String>(v)->byteLen == 0);
  if (isDict(v)) return Value::boolean(as<Dict>(v)->count == 0);
  if (isVector(v)) return Value::boolean(as<Vector>(v)->length == 0);
  if (isType(v, ObjType::StringBuffer)) return Value::boolean(as<StringBuffer>(v)->text->empty());
  return Value::f();
}

Value notFn(Isolate&, Args a) { return Value::boolean(!a[0].truthy()); }
Value eqP(Isolate&, Args a) { return Value::boolean(valuesIdentical(a[0], a[1])); }
Value equalP(Isolate&, Args a) { return Value::boolean(valuesEqual(a[0], a[1])); }

// ---- symbols and keywords -----------------------------------------------------------

// The name string of a symbol or keyword; a string (an evaluated keyword) is its own name.
Value nameOf(Isolate& iso, const char* fn, Value v) {
  if (isSymbol(v)) return Value::object(as<Symbol>(v)->name);
  if (isKeyword(v)) return Value::object(as<Keyword>(v)->name);
  if (isString(v)) return v;
  argTypeError(iso, fn, 0, "symbol, keyword or string", v);
}

Value symbolName(Isolate& iso, Args a) { return nameOf(iso, "symbol-name", a[0]); }
Value keywordName(Isolate& iso, Args a) { return nameOf(iso, "keyword-name", a[0]); }
Value symbolToString(Isolate& iso, Args a) { return nameOf(iso, "symbol->string", a[0]); }
Value keywordToString(Isolate& iso, Args a) { return nameOf(iso, "keyword->string", a[0]); }

Value makeSymbol(Isolate& iso, Args a) { return iso.intern(argName(iso, "make-symbol", a, 0)); }
Value stringToSymbol(Isolate& iso, Args a) { return iso.intern(argName(iso, "string->symbol", a, 0)); }
Value makeKeyword(Isolate& iso, Args a) { return iso.keyword(argName(iso, "make-keyword", a, 0)); }
Value stringToKeyword(Isolate& iso, Args a) { return iso.keyword(argName(iso, "string->keyword", a, 0)); }

std::atomic<uint64_t> gensymCounter{0};

// A symbol named PREFIX__N that has no global binding yet.
Value gensym(Isolate& iso, Args a) {
  std::string prefix = a.size() > 0 ? std::string(argName(iso, "gensym", a, 0)) : "g";
  for (;;) {
    std::string name = prefix + "__" + std::to_string(++gensymCounter);
    if (iso.globalValue(name).isUnbound()) return iso.intern(name);
  }
}

constexpr uint16_t P = kNativePure;

const NativeDef kNatives[] = {
    {"type-of", typeOf, 1, 1, P, 0, "(type-of x) -> string: \"number\", \"string\", \"list\", ..., or an ADT's type name"},
    {"nil?", typeTest<nilValue>, 1, 1, P, 0, "(nil? x) -> boolean: x is nil"},
    {"boolean?", typeTest<boolValue>, 1, 1, P, 0, "(boolean? x) -> boolean: x is true or false"},
    {"string?", typeTest<isString>, 1, 1, P, 0, "(string? x) -> boolean: x is a string (evaluated keywords are strings)"},
    {"symbol?", typeTest<isSymbol>, 1, 1, P, 0, "(symbol? x) -> boolean: x is a symbol"},
    {"keyword?", typeTest<isKeyword>, 1, 1, P, 0, "(keyword? x) -> boolean: x is an unevaluated keyword"},
    {"list?", typeTest<isList>, 1, 1, P, 0, "(list? x) -> boolean: x is () or a pair"},
    {"pair?", typeTest<isPair>, 1, 1, P, 0, "(pair? x) -> boolean: x is a non-empty list"},
    {"dict?", typeTest<dictLike>, 1, 1, P, 0, "(dict? x) -> boolean: x is a dict or an ADT value"},
    {"adt?", typeTest<adtValue>, 1, 1, P, 0, "(adt? x) -> boolean: x is a value of a define-type type"},
    {"vector?", typeTest<isVector>, 1, 1, P, 0, "(vector? x) -> boolean: x is a vector"},
    {"fn?", typeTest<isCallable>, 1, 1, P, 0, "(fn? x) -> boolean: x can be called"},
    {"procedure?", typeTest<isCallable>, 1, 1, P, 0, "(procedure? x) -> boolean: x can be called"},
    {"callable?", typeTest<isCallable>, 1, 1, P, 0, "(callable? x) -> boolean: x can be called"},
    {"lambda?", typeTest<isClosure>, 1, 1, P, 0, "(lambda? x) -> boolean: x is a closure made by fn/lambda"},
    {"macro?", typeTest<macroValue>, 1, 1, P, 0, "(macro? x) -> boolean: x is a macro"},
    {"component?", typeTest<componentValue>, 1, 1, P, 0, "(component? x) -> boolean: x is a defcomp component"},
    {"error?", typeTest<errorValue>, 1, 1, P, 0, "(error? x) -> boolean: x is an error value"},
    {"continuation?", typeTest<continuationValue>, 1, 1, P, 0, "(continuation? x) -> boolean: x is a continuation"},
    {"raw-html?", typeTest<rawHtmlValue>, 1, 1, P, 0, "(raw-html? x) -> boolean: x is raw HTML"},
    {"empty?", emptyP, 1, 1, P, 0, "(empty? x) -> boolean: x is nil, (), \"\", an empty dict or an empty vector"},
    {"not", notFn, 1, 1, P, 0, "(not x) -> boolean: true when x is false or nil"},
    {"eq?", eqP, 2, 2, P, 0, "(eq? a b) -> boolean: identity; numbers by value and exactness, chars by code point"},
    {"identical?", eqP, 2, 2, P, 0, "(identical? a b) -> boolean: same as eq?"},
    {"eqv?", eqP, 2, 2, P, 0, "(eqv? a b) -> boolean: eq? (which already compares numbers and chars by value)"},
    {"equal?", equalP, 2, 2, P, 0, "(equal? a b) -> boolean: deep structural equality, same as ="},
    {"symbol-name", symbolName, 1, 1, P, 0, "(symbol-name s) -> string: the name of a symbol"},
    {"keyword-name", keywordName, 1, 1, P, 0, "(keyword-name k) -> string: the name of a keyword (or the string itself)"},
    {"symbol->string", symbolToString, 1, 1, P, 0, "(symbol->string s) -> string: the name of a symbol"},
    {"keyword->string", keywordToString, 1, 1, P, 0, "(keyword->string k) -> string: the name of a keyword"},
    {"make-symbol", makeSymbol, 1, 1, P, 0, "(make-symbol name) -> symbol: the interned symbol with that name"},
    {"string->symbol", stringToSymbol, 1, 1, P, 0, "(string->symbol name) -> symbol: the interned symbol with that name"},
    {"make-keyword", makeKeyword, 1, 1, P, 0, "(make-keyword name) -> keyword: the keyword with that name"},
    {"string->keyword", stringToKeyword, 1, 1, P, 0, "(string->keyword name) -> keyword: the keyword with that name"},
    {"gensym", gensym, 0, 1, 0, 0, "(gensym [prefix]) -> symbol: a fresh unbound symbol named prefix__N (default g)"},
};

}  // namespace

void registerPredicateNatives(Isolate& iso) { iso.registerNatives(kNatives, std::size(kNatives)); }

}  // namespace sx
