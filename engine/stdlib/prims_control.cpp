// Natives the analyser's rewrites call (%qq-*, %adt-*, %match-*, %make-*), the test
// framework's reporting and assertions, error accessors, and the read-only half of the
// perform harness.
#include "stdlib/prims_control.h"

#include "cek/node.h"
#include "effects/runtime.h"
#include "reader/printer.h"
#include "stdlib/equality.h"
#include "stdlib/native.h"
#include "value/dict.h"

#include <unordered_set>

namespace sx {

namespace {

Value copyListOnto(Isolate& iso, Value list, Value tail, const char* fn) {
  std::vector<Value> items;
  if (isVector(list)) {
    auto* v = as<Vector>(list);
    items.assign(v->items, v->items + v->length);
  } else {
    for (; isPair(list); list = cdr(list)) items.push_back(car(list));
    if (!list.isEmpty() && !list.isNil()) throw SxError(ErrorCode::Type, std::string(fn) + ": can only splice a list");
  }
  return iso.listFrom(items.data(), items.size(), tail);
}

Value qqCons(Isolate& iso, Args a) { return iso.cons(a[0], a[1]); }
Value qqAppend(Isolate& iso, Args a) { return copyListOnto(iso, a[0], a[1], "splice-unquote"); }

Value makeMacro(Isolate& iso, Args a) {
  if (!isType(a[0], ObjType::Lambda)) argTypeError(iso, "%make-macro", 1, "lambda", a[0]);
  auto* src = as<Closure>(a[0]);
  auto* m = iso.heap.make<Closure>(ObjType::Macro);
  m->proto = src->proto;
  m->env = src->env;
  return Value::object(m);
}

Value makeComponent(Isolate& iso, Args a) {
  Proto* p = newProto(iso);
  p->info->name = std::string(argString(iso, "%make-component", a, 0));
  p->info->componentParams = a[1];
  p->info->componentBody = a[2];
  auto* c = iso.heap.make<Closure>(ObjType::Component);
  c->proto = p;
  c->env = nullptr;
  return Value::object(c);
}

// (%component-info c) -> {:name "~card" :keys ("title" ...) :rest "children"-or-nil :body (forms)}
Value componentInfo(Isolate& iso, Args a) {
  if (!isType(a[0], ObjType::Component)) argTypeError(iso, "%component-info", 1, "component", a[0]);
  ProtoInfo* info = as<Closure>(a[0])->proto->info;
  std::vector<Value> keys;
  Value rest = Value::nil();
  for (Value c = info->componentParams; isPair(c); c = cdr(c)) {
    Value p = car(c);
    if (isPair(p)) p = car(p);
    if (!isSymbol(p)) continue;
    std::string_view n = symName(p);
    if (n == "&key") continue;
    if (n == "&rest" || n == "&children") {
      if (isPair(cdr(c)) && isSymbol(car(cdr(c)))) rest = iso.str(symName(car(cdr(c))));
      break;
    }
    keys.push_back(iso.str(n));
  }
  Value d = iso.dict(4);
  dictSet(as<Dict>(d), iso.str("name"), iso.str(info->name));
  dictSet(as<Dict>(d), iso.str("keys"), iso.listFrom(keys.data(), keys.size()));
  dictSet(as<Dict>(d), iso.str("rest"), rest);
  dictSet(as<Dict>(d), iso.str("body"), info->componentBody);
  return d;
}

Value makeAdtCtor(Isolate& iso, Args a) {
  auto* c = iso.heap.make<AdtCtor>(ObjType::AdtCtor);
  c->typeName = as<String>(a[0]);
  c->ctorName = as<String>(a[1]);
  c->fieldNames = a[2];
  uint32_t n = 0;
  for (Value l = a[2]; isPair(l); l = cdr(l)) ++n;
  c->aux = n;
  return Value::object(c);
}

Value adtTypeIs(Isolate&, Args a) {
  return Value::boolean(isType(a[0], ObjType::Adt) && as<Adt>(a[0])->ctor->typeName->view() == strView(a[1]));
}

Value adtIs(Isolate&, Args a) {
  if (!isType(a[0], ObjType::Adt)) return Value::f();
  auto* v = as<Adt>(a[0]);
  int64_t n = a[2].asFixnum();
  return Value::boolean(v->ctor->ctorName->view() == strView(a[1]) && (n < 0 || int64_t(v->aux) == n));
}

// (%adt-field v "Ctor" i "Ctor-field")
Value adtField(Isolate& iso, Args a) {
  const char* fn = "accessor";
  std::string name(strView(a[3]));
  if (!isType(a[0], ObjType::Adt) || as<Adt>(a[0])->ctor->ctorName->view() != strView(a[1]))
    throw SxError(ErrorCode::Type, name + ": expected a " + std::string(strView(a[1])) + " value, got " + printValue(iso, a[0]));
  (void)fn;
  return as<Adt>(a[0])->fields[a[2].asFixnum()];
}

Value adtFieldAt(Isolate&, Args a) { return as<Adt>(a[0])->fields[a[1].asFixnum()]; }

Value matchFail(Isolate& iso, Args a) {
  std::string shown = printValue(iso, a[0]);
  if (shown.size() > 80) shown = shown.substr(0, 77) + "...";
  throw SxError(ErrorCode::Match, "match: no clause matched " + shown);
}

Value matchListP(Isolate&, Args a) {
  int64_t n = a[1].asFixnum();
  Value l = a[0];
  int64_t len = 0;
  for (; isPair(l); l = cdr(l)) ++len;
  return Value::boolean((l.isEmpty() || (l.isNil() && len == 0)) && len == n);
}

Value matchNth(Isolate&, Args a) {
  Value l = a[0];
  for (int64_t i = a[1].asFixnum(); i > 0; --i) l = cdr(l);
  return car(l);
}

// ---- test framework -------------------------------------------------------------------

TestEvent baseEvent(Isolate& iso, Value name) {
  TestEvent e;
  e.suites = runtime(iso).suites;
  e.name = displayValue(iso, name);
  return e;
}

Value reportPass(Isolate& iso, Args a) {
  RuntimeState& rt = runtime(iso);
  TestEvent e = baseEvent(iso, a[0]);
  e.passed = true;
  if (a.n > 1) e.value = printValue(iso, a[1]);
  if (rt.testSink) rt.testSink(e);
  return Value::nil();
}

// (report-fail name message [error-object])
Value reportFail(Isolate& iso, Args a) {
  RuntimeState& rt = runtime(iso);
  TestEvent e = baseEvent(iso, a[0]);
  e.passed = false;
  e.message = a.n > 1 ? displayValue(iso, a[1]) : std::string("failed");
  if (a.n > 2 && isType(a[2], ObjType::Error)) {
    // The innermost stack entry outside the prelude is where the test failed.
    const SourceFile* prelude = iso.source(rt.preludeFile);
    for (Value c = as<ErrorObj>(a[2])->stack; isPair(c); c = cdr(c)) {
      Value d = car(c);
      Value file = dictGet(as<Dict>(d), "file");
      if (!isString(file) || strView(file).empty() || (prelude && strView(file) == prelude->name)) continue;
      e.file = std::string(strView(file));
      e.line = uint32_t(dictGet(as<Dict>(d), "line").asFixnum());
      e.col = uint32_t(dictGet(as<Dict>(d), "col").asFixnum());
      break;
    }
  }
  if (rt.testSink) rt.testSink(e);
  return Value::nil();
}

Value pushSuite(Isolate& iso, Args a) {
  runtime(iso).suites.push_back(displayValue(iso, a[0]));
  return Value::nil();
}

Value popSuite(Isolate& iso, Args) {
  auto& s = runtime(iso).suites;
  if (!s.empty()) s.pop_back();
  return Value::nil();
}

std::string clip(std::string s) {
  if (s.size() > 200) s = s.substr(0, 197) + "...";
  return s;
}

Value assertTruthy(Isolate& iso, Args a) {
  if (a[0].truthy()) return Value::t();
  throw SxError(ErrorCode::User, a.n > 1 ? displayValue(iso, a[1]) : "assertion failed");
}

Value assertEqual(Isolate& iso, Args a) {
  if (valuesEqual(a[0], a[1])) return Value::t();
  std::string msg = "expected " + clip(printValue(iso, a[0])) + ", got " + clip(printValue(iso, a[1]));
  if (a.n > 2) msg = displayValue(iso, a[2]) + ": " + msg;
  throw SxError(ErrorCode::User, msg);
}

Value assertFalse(Isolate& iso, Args a) {
  if (!a[0].truthy()) return Value::t();
  throw SxError(ErrorCode::User, a.n > 1 ? displayValue(iso, a[1]) : "expected a falsy value, got " + clip(printValue(iso, a[0])));
}

Value assertNil(Isolate& iso, Args a) {
  if (a[0].isNil()) return Value::t();
  throw SxError(ErrorCode::User, a.n > 1 ? displayValue(iso, a[1]) : "expected nil, got " + clip(printValue(iso, a[0])));
}

Value performCount(Isolate& iso, Args) { return iso.integer(int64_t(iso.performCount)); }

Value println(Isolate& iso, Args a) {
  std::string line;
  for (uint32_t i = 0; i < a.n; ++i) {
    if (i) line += ' ';
    line += displayValue(iso, a[i]);
  }
  line += '\n';
  RuntimeState& rt = runtime(iso);
  if (rt.output) rt.output(line);
  return Value::nil();
}

Value print(Isolate& iso, Args a) {
  std::string text;
  for (uint32_t i = 0; i < a.n; ++i) text += displayValue(iso, a[i]);
  RuntimeState& rt = runtime(iso);
  if (rt.output) rt.output(text);
  return Value::nil();
}

// ---- errors ---------------------------------------------------------------------------

Value errorMessage(Isolate& iso, Args a) {
  if (isType(a[0], ObjType::Error)) return as<ErrorObj>(a[0])->message;
  return iso.str(displayValue(iso, a[0]));
}

Value errorObjectP(Isolate&, Args a) { return Value::boolean(isType(a[0], ObjType::Error)); }
Value errorIrritants(Isolate&, Args) { return Value::empty(); }
Value errorStack(Isolate&, Args a) { return isType(a[0], ObjType::Error) ? as<ErrorObj>(a[0])->stack : Value::empty(); }

// ---- perform harness (read-only half; cek-step-loop and cek-resume are host natives) ----

Fiber* harness(Isolate& iso, Args a, const char* fn) {
  if (!isType(a[0], ObjType::FiberRef)) argTypeError(iso, fn, 1, "cek state", a[0]);
  return as<FiberRef>(a[0])->fiber;
}

Value cekSuspended(Isolate& iso, Args a) { return Value::boolean(harness(iso, a, "cek-suspended?")->state == FiberState::Suspended); }
Value cekTerminal(Isolate& iso, Args a) { return Value::boolean(harness(iso, a, "cek-terminal?")->state == FiberState::Done); }
Value cekIoRequest(Isolate& iso, Args a) {
  Fiber* f = harness(iso, a, "cek-io-request");
  return f->state == FiberState::Suspended ? f->pending.request : Value::nil();
}
Value cekValue(Isolate& iso, Args a) {
  Fiber* f = harness(iso, a, "cek-value");
  return f->state == FiberState::Done ? f->result : Value::nil();
}

// ---- HTML tag tables used by the prelude's renderer -------------------------------------

bool inList(std::string_view name, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names)
    if (n == name) return true;
  return false;
}

bool voidTag(std::string_view n) {
  return inList(n, {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"});
}

bool htmlTag(std::string_view n) {
  static const std::unordered_set<std::string_view> tags = {
      "a", "abbr", "address", "area", "article", "aside", "audio", "b", "base", "bdi", "bdo", "blockquote", "body", "br",
      "button", "canvas", "caption", "cite", "code", "col", "colgroup", "data", "datalist", "dd", "del", "details", "dfn",
      "dialog", "div", "dl", "dt", "em", "embed", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
      "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html", "i", "iframe", "img", "input", "ins", "kbd", "label",
      "legend", "li", "link", "main", "map", "mark", "menu", "meta", "meter", "nav", "noscript", "object", "ol",
      "optgroup", "option", "output", "p", "param", "picture", "pre", "progress", "q", "rp", "rt", "ruby", "s", "samp",
      "script", "search", "section", "select", "slot", "small", "source", "span", "strong", "style", "sub", "summary",
      "sup", "table", "tbody", "td", "template", "textarea", "tfoot", "th", "thead", "time", "title", "tr", "track", "u",
      "ul", "var", "video", "wbr", "svg", "path", "circle", "rect", "line", "polyline", "polygon", "g", "text"};
  return tags.count(n) > 0;
}

Value htmlTagP(Isolate& iso, Args a) { return Value::boolean(htmlTag(argName(iso, "%html-tag?", a, 0))); }
Value voidTagP(Isolate& iso, Args a) { return Value::boolean(voidTag(argName(iso, "%void-tag?", a, 0))); }
Value rawHtml(Isolate& iso, Args a) {
  if (isType(a[0], ObjType::RawHtml)) return a[0];
  return iso.rawHtml(displayValue(iso, a[0]));
}

const NativeDef kNatives[] = {
    {"%html-tag?", htmlTagP, 1, 1, kNativePure, 0, "(%html-tag? name) -> is name a known HTML element"},
    {"%void-tag?", voidTagP, 1, 1, kNativePure, 0, "(%void-tag? name) -> is name a void HTML element"},
    {"raw-html", rawHtml, 1, 1, kNativePure, 0, "(raw-html s) -> s as HTML that rendering does not escape"},
    {"%qq-cons", qqCons, 2, 2, kNativePure, 0, "(%qq-cons x rest) -> (x . rest), for quasiquote"},
    {"%qq-append", qqAppend, 2, 2, kNativePure, 0, "(%qq-append xs rest) -> xs spliced before rest"},
    {"%make-macro", makeMacro, 1, 1, 0, 0, "(%make-macro lambda) -> a macro with the lambda's code"},
    {"%make-component", makeComponent, 3, 3, 0, 0, "(%make-component name params body) -> a component"},
    {"%component-info", componentInfo, 1, 1, kNativePure, 0, "(%component-info c) -> {:name :keys :rest :body}"},
    {"%make-adt-ctor", makeAdtCtor, 3, 3, 0, 0, "(%make-adt-ctor type ctor fields) -> a constructor"},
    {"%adt-type-is?", adtTypeIs, 2, 2, kNativePure, 0, "(%adt-type-is? v type) -> is v of that ADT type"},
    {"%adt-is?", adtIs, 3, 3, kNativePure, 0, "(%adt-is? v ctor n) -> was v made by ctor (with n fields, -1 any)"},
    {"%adt-field", adtField, 4, 4, kNativePure, 0, "(%adt-field v ctor i accessor) -> field i, checked"},
    {"%adt-field-at", adtFieldAt, 2, 2, kNativePure, 0, "(%adt-field-at v i) -> field i (after %adt-is?)"},
    {"%match-fail", matchFail, 1, 1, 0, 0, "(%match-fail v) raises: no match clause matched"},
    {"%match-list?", matchListP, 2, 2, kNativePure, 0, "(%match-list? v n) -> is v a list of length n"},
    {"%match-nth", matchNth, 2, 2, kNativePure, 0, "(%match-nth v i) -> item i (after %match-list?)"},
    {"report-pass", reportPass, 1, 2, 0, 0, "(report-pass name [value]) records a passing test"},
    {"report-fail", reportFail, 1, 3, 0, 0, "(report-fail name message [error]) records a failing test"},
    {"push-suite", pushSuite, 1, 1, 0, 0, "(push-suite name) enters a test suite"},
    {"pop-suite", popSuite, 0, 0, 0, 0, "(pop-suite) leaves the current test suite"},
    {"assert", assertTruthy, 1, 2, 0, 0, "(assert x [msg]) raises unless x is truthy"},
    {"assert-true", assertTruthy, 1, 2, 0, 0, "(assert-true x [msg]) raises unless x is truthy"},
    {"assert=", assertEqual, 2, 3, 0, 0, "(assert= expected actual [msg]) raises unless (= expected actual)"},
    {"assert-equal", assertEqual, 2, 3, 0, 0, "alias of assert="},
    {"assert-false", assertFalse, 1, 2, 0, 0, "(assert-false x [msg]) raises unless x is falsy"},
    {"assert-nil", assertNil, 1, 2, 0, 0, "(assert-nil x [msg]) raises unless x is nil"},
    {"perform-count", performCount, 0, 0, 0, 0, "(perform-count) -> performs executed since the isolate started"},
    {"println", println, 0, -1, 0, 0, "(println x ...) writes the display forms and a newline to the host"},
    {"print", print, 0, -1, 0, 0, "(print x ...) writes the display forms to the host"},
    {"error-message", errorMessage, 1, 1, kNativePure, 0, "(error-message e) -> the message of an error value"},
    {"error-object-message", errorMessage, 1, 1, kNativePure, 0, "alias of error-message"},
    {"error-object?", errorObjectP, 1, 1, kNativePure, 0, "(error-object? v) -> is v an error value"},
    {"error-object-irritants", errorIrritants, 1, 1, kNativePure, 0, "(error-object-irritants e) -> ()"},
    {"error-stack", errorStack, 1, 1, kNativePure, 0, "(error-stack e) -> list of {:name :file :line :col}"},
    {"cek-suspended?", cekSuspended, 1, 1, 0, 0, "(cek-suspended? s) -> is the state waiting on a perform"},
    {"cek-terminal?", cekTerminal, 1, 1, 0, 0, "(cek-terminal? s) -> has the state finished"},
    {"cek-io-request", cekIoRequest, 1, 1, 0, 0, "(cek-io-request s) -> the pending request dict"},
    {"cek-value", cekValue, 1, 1, 0, 0, "(cek-value s) -> the final value of a finished state"},
};

}  // namespace

void registerControlNatives(Isolate& iso) { iso.registerNatives(kNatives, std::size(kNatives)); }

}  // namespace sx
