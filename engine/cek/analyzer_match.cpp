// quasiquote, match and define-type: the forms that rewrite into calls of internal
// primitives (%qq-*, %adt-*, %match-*; see stdlib/prims_control.cpp).
#include <climits>

#include "cek/analyzer_impl.h"
#include "value/dict.h"

namespace sx::detail {

namespace {

bool containsUnquote(Analyzer& a, Value x, int depth) {
  for (int guard = 0; isPair(x) && guard < 1000000; ++guard) {
    Value h = car(x);
    if (a.isSym(h, "unquote") || a.isSym(h, "splice-unquote")) return true;
    if (isPair(h) && containsUnquote(a, h, depth)) return true;
    x = cdr(x);
  }
  return false;
}

}  // namespace

Node* Analyzer::fQuasi(Value x, Span sp) {
  if (listLength(x) != 2) syntaxError("quasiquote: expected exactly one template", sp);
  return qq(car(cdr(x)), 1, sp);
}

Node* Analyzer::qq(Value x, int depth, Span sp) {
  if (isDict(x)) {
    bool any = false;
    dictForEach(as<Dict>(x), [&](Value, Value v) { any = any || (isPair(v) && containsUnquote(*this, iso_.list({v}), depth)); });
    if (!any) return constNode(x, sp);
    std::vector<Node*> args;
    dictForEach(as<Dict>(x), [&](Value k, Value v) {
      args.push_back(constNode(k, sp));
      args.push_back(qq(v, depth, sp));
    });
    return callNode(primConst("dict", sp), std::move(args), sp);
  }
  if (!isPair(x) || !containsUnquote(*this, x, depth)) return constNode(x, sp);
  Value head = car(x);
  if (isSym(head, "unquote") && listLength(x) == 2) {
    if (depth == 1) return analyze(car(cdr(x)), spanAt(cdr(x), sp));
    return callNode(primConst("list", sp), {constNode(head, sp), qq(car(cdr(x)), depth - 1, sp)}, sp);
  }
  if (isSym(head, "quasiquote") && listLength(x) == 2)
    return callNode(primConst("list", sp), {constNode(head, sp), qq(car(cdr(x)), depth + 1, sp)}, sp);
  // Build the list from the end: (cons item rest) or (%qq-append spliced rest).
  std::vector<Value> cells;
  Value c = x;
  for (; isPair(c); c = cdr(c)) cells.push_back(c);
  Node* out = constNode(c, sp);  // () or an improper tail
  for (size_t i = cells.size(); i-- > 0;) {
    Value item = car(cells[i]);
    Span isp = spanAt(cells[i], sp);
    if (isPair(item) && isSym(car(item), "splice-unquote") && listLength(item) == 2) {
      Node* spliced = depth == 1 ? analyze(car(cdr(item)), isp)
                                 : callNode(primConst("list", isp), {constNode(car(item), isp), qq(car(cdr(item)), depth - 1, isp)}, isp);
      if (depth == 1)
        out = callNode(primConst("%qq-append", isp), {spliced, out}, isp);
      else
        out = callNode(primConst("%qq-cons", isp), {spliced, out}, isp);
    } else {
      out = callNode(primConst("%qq-cons", isp), {qq(item, depth, isp), out}, isp);
    }
  }
  return out;
}

// Adds to `tests` the checks (and binding assignments) for `pat` against `subject`.
// Returns nothing useful; bindings are added to the current scope.
Node* Analyzer::matchPattern(Value pat, Node* subject, std::vector<Node*>& tests, Span sp) {
  auto eq = [&](Value v) { tests.push_back(callNode(primConst("=", sp), {subject, constNode(v, sp)}, sp)); };
  auto assignTrue = [&](uint32_t slot, Node* value) {
    tests.push_back(seqNode({setLocal(slot, value, sp), constNode(Value::t(), sp)}, sp));
  };
  if (isSymbol(pat)) {
    std::string_view n = symName(pat);
    if (n == "_" || n == "else") return nullptr;
    if (n == "true") return eq(Value::t()), nullptr;
    if (n == "false") return eq(Value::f()), nullptr;
    if (n == "nil") return eq(Value::nil()), nullptr;
    uint32_t slot = newSlot(pat);
    bind(pat, slot);
    assignTrue(slot, subject);
    return nullptr;
  }
  if (isKeyword(pat)) return eq(Value::object(as<Keyword>(pat)->name)), nullptr;
  if (!isPair(pat)) return eq(pat), nullptr;
  Value head = car(pat);
  if (isSym(head, "quote") && listLength(pat) == 2) return eq(car(cdr(pat))), nullptr;
  std::vector<Value> subs = listToVector(cdr(pat));
  bool isListPat = isSym(head, "list");
  if (isListPat) {
    tests.push_back(callNode(primConst("%match-list?", sp), {subject, constNode(Value::fixnum(int64_t(subs.size())), sp)}, sp));
  } else {
    if (!isSymbol(head)) syntaxError("match: a pattern list must start with a constructor name", sp);
    tests.push_back(callNode(primConst("%adt-is?", sp),
                             {subject, constNode(Value::object(as<Symbol>(head)->name), sp), constNode(Value::fixnum(int64_t(subs.size())), sp)}, sp));
  }
  for (size_t i = 0; i < subs.size(); ++i) {
    Node* field = callNode(primConst(isListPat ? "%match-nth" : "%adt-field-at", sp), {subject, constNode(Value::fixnum(int64_t(i)), sp)}, sp);
    if (isSymbol(subs[i]) && (symName(subs[i]) == "_")) continue;
    uint32_t tmp = newSlot(sym("match-part"));
    assignTrue(tmp, field);
    matchPattern(subs[i], localRef(tmp, sp), tests, sp);
  }
  return nullptr;
}

// (match expr (pattern body...) ...)
Node* Analyzer::fMatch(Value x, Span sp) {
  if (listLength(x) < 2) syntaxError("match: expected (match expr clauses...)", sp);
  Node* subject = analyze(car(cdr(x)), spanAt(cdr(x), sp));
  uint32_t tmp = newSlot(sym("match-value"));
  std::vector<Value> clauses = listToVector(cdr(cdr(x)));
  Node* out = callNode(primConst("%match-fail", sp), {localRef(tmp, sp)}, sp);
  for (size_t i = clauses.size(); i-- > 0;) {
    Value clause = clauses[i];
    Span csp = listSpanOr(clause, sp);
    if (!isPair(clause)) syntaxError("match: each clause must be (pattern body...)", csp);
    size_t mark = scope_->binds.size();
    ++scope_->blockDepth;
    std::vector<Node*> tests;
    matchPattern(car(clause), localRef(tmp, csp), tests, csp);
    Node* body = analyzeBody(cdr(clause), csp);
    --scope_->blockDepth;
    scope_->binds.resize(mark);
    if (tests.empty()) {
      out = body;
      continue;
    }
    Node* test = tests[0];
    if (tests.size() > 1) {
      test = scope_->info->newNode(NodeKind::And, csp);
      test->nkids = uint16_t(tests.size());
      test->kids = scope_->info->newKids(std::move(tests));
    }
    out = ifNode(test, body, out, csp);
  }
  return seqNode({setLocal(tmp, subject, sp), out}, sp);
}

// (define-type Name (Ctor field...) Ctor2 ...) => defines of constructors, predicates and
// accessors.
Node* Analyzer::fDefineType(Value x, Span sp) {
  if (listLength(x) < 2 || !isSymbol(car(cdr(x)))) syntaxError("define-type: expected (define-type Name (Ctor field...) ...)", sp);
  Value typeName = car(cdr(x));
  Value typeStr = Value::object(as<Symbol>(typeName)->name);
  std::vector<Value> forms;
  Value v = sym("v");
  auto q = [&](Value d) { return iso_.list({sym("quote"), d}); };
  auto define = [&](std::string name, Value value) { forms.push_back(iso_.list({sym("define"), iso_.intern(name), value})); };
  define(std::string(symName(typeName)) + "?",
         iso_.list({sym("fn"), iso_.list({v}), iso_.list({sym("%adt-type-is?"), v, typeStr})}));
  for (Value c = cdr(cdr(x)); isPair(c); c = cdr(c)) {
    Value spec = car(c);
    Value ctor = isPair(spec) ? car(spec) : spec;
    Value fields = isPair(spec) ? cdr(spec) : Value::empty();
    if (!isSymbol(ctor)) syntaxError("define-type: constructor name must be a symbol", sp);
    std::string cname(symName(ctor));
    Value cstr = Value::object(as<Symbol>(ctor)->name);
    std::vector<Value> fieldStrs;
    for (Value f = fields; isPair(f); f = cdr(f)) {
      Value fs = car(f);
      if (isPair(fs)) fs = car(fs);  // (field :as type)
      if (!isSymbol(fs)) syntaxError("define-type: field name must be a symbol", sp);
      fieldStrs.push_back(Value::object(as<Symbol>(fs)->name));
    }
    define(cname, iso_.list({sym("%make-adt-ctor"), typeStr, cstr, q(iso_.listFrom(fieldStrs.data(), fieldStrs.size()))}));
    define(cname + "?", iso_.list({sym("fn"), iso_.list({v}), iso_.list({sym("%adt-is?"), v, cstr, Value::fixnum(-1)})}));
    for (size_t i = 0; i < fieldStrs.size(); ++i) {
      std::string acc = cname + "-" + std::string(as<String>(fieldStrs[i])->view());
      define(acc, iso_.list({sym("fn"), iso_.list({v}),
                             iso_.list({sym("%adt-field"), v, cstr, Value::fixnum(int64_t(i)), iso_.str(acc)})}));
    }
  }
  forms.push_back(Value::nil());
  Value begin = root(iso_.cons(sym("begin"), iso_.listFrom(forms.data(), forms.size())));
  if (!definesGlobal())
    for (Value f : forms)
      if (isPair(f)) {
        Value name = car(cdr(f));
        bool bound = false;
        for (auto& b : scope_->binds) bound = bound || b.sym == name;
        if (!bound) bind(name, newSlot(name));
      }
  return analyze(begin, sp);
}

}  // namespace sx::detail
