// Special forms: each one either maps onto a node kind or rewrites into simpler forms.
#include <algorithm>
#include <climits>
#include <string_view>

#include "cek/analyzer_impl.h"
#include "reader/printer.h"

namespace sx::detail {

namespace {

Value nth(Value list, size_t i) {
  while (i-- > 0 && isPair(list)) list = cdr(list);
  return isPair(list) ? car(list) : Value::voidValue();
}
Value nthCell(Value list, size_t i) {
  while (i-- > 0 && isPair(list)) list = cdr(list);
  return list;
}
bool isElse(Analyzer& a, Value v) {
  return a.isSym(v, "else") || (isKeyword(v) && as<Keyword>(v)->name->view() == "else");
}

}  // namespace

const std::unordered_map<std::string, Analyzer::FormFn>& Analyzer::forms() {
  static const std::unordered_map<std::string, FormFn> table = {
      {"quote", &Analyzer::fQuote},        {"quasiquote", &Analyzer::fQuasi},
      {"if", &Analyzer::fIf},              {"when", &Analyzer::fWhen},
      {"unless", &Analyzer::fUnless},      {"cond", &Analyzer::fCond},
      {"case", &Analyzer::fCase},          {"and", &Analyzer::fAnd},
      {"or", &Analyzer::fOr},              {"do", &Analyzer::fDo},
      {"begin", &Analyzer::fBegin},        {"let", &Analyzer::fLet},
      {"let*", &Analyzer::fLetStar},       {"letrec", &Analyzer::fLetrec},
      {"letrec*", &Analyzer::fLetrec},     {"define", &Analyzer::fDefine},
      {"defstyle", &Analyzer::fDefine},    {"set!", &Analyzer::fSet},
      {"fn", &Analyzer::fFn},              {"lambda", &Analyzer::fFn},
      {"defmacro", &Analyzer::fDefmacro},  {"defcomp", &Analyzer::fDefcomp},
      {"define-type", &Analyzer::fDefineType}, {"match", &Analyzer::fMatch},
      {"guard", &Analyzer::fGuard},        {"reset", &Analyzer::fReset},
      {"shift", &Analyzer::fShift},        {"provide", &Analyzer::fProvide},
      {"scope", &Analyzer::fScope},        {"->", &Analyzer::fThreadFirst},
      {"->>", &Analyzer::fThreadLast},
  };
  return table;
}

Node* Analyzer::fQuote(Value x, Span sp) {
  if (listLength(x) != 2) syntaxError("quote: expected exactly one datum", sp);
  return constNode(car(cdr(x)), sp);
}

Node* Analyzer::fIf(Value x, Span sp) {
  size_t n = listLength(x);
  if (n < 3 || n > 4) syntaxError("if: expected (if test then [else])", sp);
  Node* test = analyze(nth(x, 1), spanAt(nthCell(x, 1), sp));
  Node* then = analyze(nth(x, 2), spanAt(nthCell(x, 2), sp));
  Node* els = n == 4 ? analyze(nth(x, 3), spanAt(nthCell(x, 3), sp)) : nullptr;
  return ifNode(test, then, els, sp);
}

Node* Analyzer::fWhen(Value x, Span sp) {
  if (listLength(x) < 2) syntaxError("when: expected (when test body...)", sp);
  Node* test = analyze(nth(x, 1), spanAt(nthCell(x, 1), sp));
  return ifNode(test, analyzeSeq(cdr(cdr(x)), sp), nullptr, sp);
}

Node* Analyzer::fUnless(Value x, Span sp) {
  if (listLength(x) < 2) syntaxError("unless: expected (unless test body...)", sp);
  Node* test = analyze(nth(x, 1), spanAt(nthCell(x, 1), sp));
  return ifNode(test, constNode(Value::nil(), sp), analyzeSeq(cdr(cdr(x)), sp), sp);
}

Node* Analyzer::fAnd(Value x, Span sp) {
  std::vector<Node*> kids;
  for (Value c = cdr(x); isPair(c); c = cdr(c)) kids.push_back(analyze(car(c), spanAt(c, sp)));
  if (kids.empty()) return constNode(Value::t(), sp);
  if (kids.size() == 1) return kids[0];
  Node* n = scope_->info->newNode(NodeKind::And, sp);
  n->nkids = uint16_t(kids.size());
  n->kids = scope_->info->newKids(std::move(kids));
  return n;
}

Node* Analyzer::fOr(Value x, Span sp) {
  std::vector<Node*> kids;
  for (Value c = cdr(x); isPair(c); c = cdr(c)) kids.push_back(analyze(car(c), spanAt(c, sp)));
  if (kids.empty()) return constNode(Value::f(), sp);
  if (kids.size() == 1) return kids[0];
  Node* n = scope_->info->newNode(NodeKind::Or, sp);
  n->nkids = uint16_t(kids.size());
  n->kids = scope_->info->newKids(std::move(kids));
  return n;
}

// cond: clause form when every clause is a list, otherwise flat test/expr pairs.
Node* Analyzer::fCond(Value x, Span sp) {
  Value clauses = cdr(x);
  bool clauseForm = true;
  for (Value c = clauses; isPair(c); c = cdr(c))
    if (!isPair(car(c))) clauseForm = false;
  if (clauseForm) return condClauses(clauses, sp, nullptr);
  if (listLength(clauses) % 2 != 0) syntaxError("cond: flat form needs test/expression pairs", sp);
  std::vector<std::pair<Value, Value>> pairs;  // (test cell, expr cell)
  for (Value c = clauses; isPair(c); c = cdr(cdr(c))) pairs.push_back({c, cdr(c)});
  Node* out = nullptr;
  for (size_t i = pairs.size(); i-- > 0;) {
    Value test = car(pairs[i].first);
    Node* expr = analyze(car(pairs[i].second), spanAt(pairs[i].second, sp));
    if (isElse(*this, test)) {
      out = expr;
      continue;
    }
    out = ifNode(analyze(test, spanAt(pairs[i].first, sp)), expr, out, sp);
  }
  return out ? out : constNode(Value::nil(), sp);
}

// Clause-form cond: (test body...), (test => f), (else body...), (test).
Node* Analyzer::condClauses(Value clauses, Span sp, Node* fallthrough) {
  std::vector<Value> cells;
  for (Value c = clauses; isPair(c); c = cdr(c)) cells.push_back(c);
  Node* out = fallthrough;
  for (size_t i = cells.size(); i-- > 0;) {
    Value clause = car(cells[i]);
    Span csp = listSpanOr(clause, spanAt(cells[i], sp));
    if (!isPair(clause)) syntaxError("cond: clause must be a list", csp);
    Value test = car(clause);
    Value body = cdr(clause);
    if (isElse(*this, test)) {
      out = analyzeSeq(body, csp);
      continue;
    }
    Node* t = analyze(test, spanAt(clause, csp));
    if (isPair(body) && isSym(car(body), "=>")) {
      if (listLength(body) != 2) syntaxError("cond: expected (test => function)", csp);
      Node* n = scope_->info->newNode(NodeKind::CondArrow, csp);
      n->a = t;
      n->b = analyze(car(cdr(body)), spanAt(cdr(body), csp));
      n->c = out;
      out = n;
      continue;
    }
    if (body.isEmpty()) {
      std::vector<Node*> kids = {t, out ? out : constNode(Value::nil(), csp)};
      Node* n = scope_->info->newNode(NodeKind::Or, csp);
      n->nkids = 2;
      n->kids = scope_->info->newKids(std::move(kids));
      out = n;
      continue;
    }
    out = ifNode(t, analyzeSeq(body, csp), out, csp);
  }
  return out ? out : constNode(Value::nil(), sp);
}

// case: flat (case x v r ... :else d) or clause form (case x ((v...) r...) (else r...)).
Node* Analyzer::fCase(Value x, Span sp) {
  if (listLength(x) < 2) syntaxError("case: expected (case expr clauses...)", sp);
  Node* subject = analyze(nth(x, 1), spanAt(nthCell(x, 1), sp));
  uint32_t tmp = newSlot(sym("case-value"));
  Value clauses = cdr(cdr(x));
  bool clauseForm = !clauses.isEmpty();
  for (Value c = clauses; isPair(c); c = cdr(c))
    if (!isPair(car(c))) clauseForm = false;
  auto eqTest = [&](Value datum, Span s) {
    return callNode(primConst("=", s), {localRef(tmp, s), constNode(isKeyword(datum) ? Value::object(as<Keyword>(datum)->name) : datum, s)}, s);
  };
  Node* out = nullptr;
  if (clauseForm) {
    std::vector<Value> cells;
    for (Value c = clauses; isPair(c); c = cdr(c)) cells.push_back(c);
    for (size_t i = cells.size(); i-- > 0;) {
      Value clause = car(cells[i]);
      Span csp = listSpanOr(clause, sp);
      Node* body = analyzeSeq(cdr(clause), csp);
      if (isElse(*this, car(clause))) {
        out = body;
        continue;
      }
      std::vector<Node*> tests;
      Value keys = car(clause);
      if (isPair(keys))
        for (Value k = keys; isPair(k); k = cdr(k)) tests.push_back(eqTest(car(k), csp));
      else
        tests.push_back(eqTest(keys, csp));
      Node* test = tests[0];
      if (tests.size() > 1) {
        test = scope_->info->newNode(NodeKind::Or, csp);
        test->nkids = uint16_t(tests.size());
        test->kids = scope_->info->newKids(std::move(tests));
      }
      out = ifNode(test, body, out, csp);
    }
  } else {
    if (listLength(clauses) % 2 != 0) syntaxError("case: flat form needs value/result pairs", sp);
    std::vector<Value> cells;
    for (Value c = clauses; isPair(c); c = cdr(cdr(c))) cells.push_back(c);
    for (size_t i = cells.size(); i-- > 0;) {
      Value key = car(cells[i]);
      Node* body = analyze(car(cdr(cells[i])), spanAt(cdr(cells[i]), sp));
      if (isElse(*this, key)) {
        out = body;
        continue;
      }
      out = ifNode(eqTest(key, spanAt(cells[i], sp)), body, out, sp);
    }
  }
  return seqNode({setLocal(tmp, subject, sp), out ? out : constNode(Value::nil(), sp)}, sp);
}

Node* Analyzer::fBegin(Value x, Span sp) {
  // A begin at a body's top level may hold defines; they belong to the enclosing body.
  return analyzeSeq(cdr(x), sp);
}

// do: R7RS loop when the first argument is a binding list and the second a test clause,
// otherwise plain sequencing.
Node* Analyzer::fDo(Value x, Span sp) {
  Value a1 = nth(x, 1), a2 = nth(x, 2);
  bool loop = isList(a1) && isPair(a2) && listLength(x) >= 3;
  if (loop) {
    for (Value c = a1; isPair(c); c = cdr(c)) {
      Value b = car(c);
      size_t n = listLength(b);
      if (!isPair(b) || !isSymbol(car(b)) || (n != 2 && n != 3)) loop = false;
    }
  }
  if (!loop) return analyzeSeq(cdr(x), sp);
  // (do ((v init step)...) (test res...) body...) =>
  // (let %do-loop ((v init)...) (if test (begin res...) (begin body... (%do-loop step...))))
  Value loopName = sym("%do-loop");
  std::vector<Value> binds, steps;
  for (Value c = a1; isPair(c); c = cdr(c)) {
    Value b = car(c);
    binds.push_back(iso_.list({car(b), car(cdr(b))}));
    steps.push_back(listLength(b) == 3 ? nth(b, 2) : car(b));
  }
  Value recur = iso_.cons(loopName, iso_.listFrom(steps.data(), steps.size()));
  Value body = iso_.cons(sym("begin"), iso_.listFrom(nullptr, 0, Value::empty()));
  std::vector<Value> bodyForms = listToVector(cdr(cdr(cdr(x))));
  bodyForms.push_back(recur);
  body = iso_.cons(sym("begin"), iso_.listFrom(bodyForms.data(), bodyForms.size()));
  Value result = iso_.cons(sym("begin"), cdr(a2));
  Value ifForm = iso_.list({sym("if"), car(a2), result, body});
  root(ifForm);
  return namedLet(loopName, iso_.listFrom(binds.data(), binds.size()), iso_.list({ifForm}), sp);
}

// Bindings: ((a 1) (b 2)) or the flat (a 1 b 2).
static std::vector<std::pair<Value, Value>> parseBindings(Analyzer& an, Value bindings, Span sp, const char* form) {
  std::vector<std::pair<Value, Value>> out;
  if (!isList(bindings) && !bindings.isNil()) an.syntaxError(std::string(form) + ": bindings must be a list", sp);
  if (isPair(bindings) && isSymbol(car(bindings))) {
    for (Value c = bindings; isPair(c); c = cdr(cdr(c))) {
      if (!isPair(cdr(c))) an.syntaxError(std::string(form) + ": flat bindings need name/value pairs", sp);
      out.push_back({car(c), car(cdr(c))});
    }
    return out;
  }
  for (Value c = bindings; isPair(c); c = cdr(c)) {
    Value b = car(c);
    if (isSymbol(b)) {
      out.push_back({b, Value::nil()});
      continue;
    }
    if (!isPair(b) || !isSymbol(car(b)) || listLength(b) > 2)
      an.syntaxError(std::string(form) + ": each binding must be (name value)", sp);
    out.push_back({car(b), isPair(cdr(b)) ? car(cdr(b)) : Value::nil()});
  }
  return out;
}

Node* Analyzer::fLet(Value x, Span sp) {
  if (listLength(x) < 2) syntaxError("let: expected (let bindings body...)", sp);
  if (isSymbol(nth(x, 1))) {
    if (listLength(x) < 3) syntaxError("let: expected (let name bindings body...)", sp);
    return namedLet(nth(x, 1), nth(x, 2), cdr(cdr(cdr(x))), sp);
  }
  auto binds = parseBindings(*this, nth(x, 1), sp, "let");
  std::vector<Node*> inits;
  for (auto& b : binds) inits.push_back(analyze(b.second, sp));
  size_t mark = scope_->binds.size();
  ++scope_->blockDepth;
  std::vector<Node*> kids;
  for (size_t i = 0; i < binds.size(); ++i) {
    uint32_t slot = newSlot(binds[i].first);
    kids.push_back(setLocal(slot, inits[i], sp));
    bind(binds[i].first, slot);
  }
  kids.push_back(analyzeBody(cdr(cdr(x)), sp));
  --scope_->blockDepth;
  scope_->binds.resize(mark);
  return seqNode(std::move(kids), sp);
}

Node* Analyzer::fLetStar(Value x, Span sp) {
  if (listLength(x) < 2) syntaxError("let*: expected (let* bindings body...)", sp);
  auto binds = parseBindings(*this, nth(x, 1), sp, "let*");
  size_t mark = scope_->binds.size();
  ++scope_->blockDepth;
  std::vector<Node*> kids;
  for (auto& b : binds) {
    Node* init = analyze(b.second, sp);
    uint32_t slot = newSlot(b.first);
    kids.push_back(setLocal(slot, init, sp));
    bind(b.first, slot);
  }
  kids.push_back(analyzeBody(cdr(cdr(x)), sp));
  --scope_->blockDepth;
  scope_->binds.resize(mark);
  return seqNode(std::move(kids), sp);
}

Node* Analyzer::fLetrec(Value x, Span sp) {
  if (listLength(x) < 2) syntaxError("letrec: expected (letrec bindings body...)", sp);
  auto binds = parseBindings(*this, nth(x, 1), sp, "letrec");
  size_t mark = scope_->binds.size();
  ++scope_->blockDepth;
  std::vector<uint32_t> slots;
  for (auto& b : binds) {
    slots.push_back(newSlot(b.first));
    bind(b.first, slots.back());
  }
  std::vector<Node*> kids;
  for (size_t i = 0; i < binds.size(); ++i) {
    std::string name = std::string(symName(binds[i].first));
    Value init = binds[i].second;
    Node* v;
    if (isPair(init) && (isSym(car(init), "fn") || isSym(car(init), "lambda")) && listLength(init) >= 2)
      v = analyzeLambda(nth(init, 1), cdr(cdr(init)), listSpanOr(init, sp), name);
    else
      v = analyze(init, sp);
    kids.push_back(setLocal(slots[i], v, sp));
  }
  kids.push_back(analyzeBody(cdr(cdr(x)), sp));
  --scope_->blockDepth;
  scope_->binds.resize(mark);
  return seqNode(std::move(kids), sp);
}

// (let name ((v init)...) body...): a local recursive lambda called with the inits.
Node* Analyzer::namedLet(Value name, Value bindings, Value body, Span sp) {
  auto binds = parseBindings(*this, bindings, sp, "let");
  std::vector<Node*> inits;
  for (auto& b : binds) inits.push_back(analyze(b.second, sp));
  size_t mark = scope_->binds.size();
  ++scope_->blockDepth;
  uint32_t slot = newSlot(name);
  bind(name, slot);
  std::vector<Value> params;
  for (auto& b : binds) params.push_back(b.first);
  Node* lam = analyzeLambda(iso_.listFrom(params.data(), params.size()), body, sp, std::string(symName(name)));
  Node* set = setLocal(slot, lam, sp);
  Node* call = callNode(localRef(slot, sp), std::move(inits), sp);
  --scope_->blockDepth;
  scope_->binds.resize(mark);
  return seqNode({set, call}, sp);
}

// (define name value), (define name :effects [...] value), (define (name params...) body...)
Node* Analyzer::fDefine(Value x, Span sp) {
  if (listLength(x) < 2) syntaxError("define: expected (define name value)", sp);
  Value target = nth(x, 1);
  if (isPair(target)) {
    Value name = car(target);
    if (!isSymbol(name)) syntaxError("define: function name must be a symbol", sp);
    if (!definesGlobal()) {
      bool bound = false;
      for (auto& b : scope_->binds) bound = bound || b.sym == name;
      if (!bound) bind(name, newSlot(name));
    }
    Node* lam = analyzeLambda(cdr(target), cdr(cdr(x)), sp, std::string(symName(name)));
    return defineName(name, lam, sp);
  }
  if (!isSymbol(target)) syntaxError("define: name must be a symbol, got " + printValue(iso_, target), sp);
  Value rest = cdr(cdr(x));
  // Skip :effects [...] (and any other keyword annotation with its value).
  while (isPair(rest) && isKeyword(car(rest)) && isPair(cdr(rest))) rest = cdr(cdr(rest));
  if (!definesGlobal()) {
    bool bound = false;
    for (auto& b : scope_->binds) bound = bound || b.sym == target;
    if (!bound) bind(target, newSlot(target));
  }
  Node* value;
  if (rest.isEmpty()) {
    value = constNode(Value::nil(), sp);
  } else {
    Value init = car(rest);
    Span isp = spanAt(rest, sp);
    if (isPair(init) && (isSym(car(init), "fn") || isSym(car(init), "lambda")) && listLength(init) >= 2 && !isLexical(car(init)))
      value = analyzeLambda(nth(init, 1), cdr(cdr(init)), listSpanOr(init, isp), std::string(symName(target)));
    else
      value = analyze(init, isp);
  }
  return defineName(target, value, sp);
}

Node* Analyzer::fSet(Value x, Span sp) {
  if (listLength(x) != 3 || !isSymbol(nth(x, 1))) syntaxError("set!: expected (set! name value)", sp);
  Value name = nth(x, 1);
  Node* value = analyze(nth(x, 2), spanAt(nthCell(x, 2), sp));
  uint32_t d, s;
  if (lookup(name, &d, &s)) {
    Node* n = scope_->info->newNode(NodeKind::SetLocal, sp);
    n->depth = d;
    n->i0 = s;
    n->a = value;
    n->k = name;
    return n;
  }
  Node* n = scope_->info->newNode(NodeKind::SetGlobal, sp);
  n->cell = iso_.globalCell(name);
  n->k = name;
  n->a = value;
  scope_->info->constants.push_back(name);
  return n;
}

Node* Analyzer::fFn(Value x, Span sp) {
  if (listLength(x) < 2) syntaxError("fn: expected (fn (params...) body...)", sp);
  Value params = nth(x, 1);
  if (isSymbol(params) && !isSym(params, "nil")) {
    // (fn name (params...) body...) names the lambda.
    if (listLength(x) < 3) syntaxError("fn: expected (fn (params...) body...)", sp);
    return analyzeLambda(nth(x, 2), cdr(cdr(cdr(x))), sp, std::string(symName(params)));
  }
  return analyzeLambda(params, cdr(cdr(x)), sp, "");
}

// (defmacro name (params...) body...)
Node* Analyzer::fDefmacro(Value x, Span sp) {
  if (listLength(x) < 3 || !isSymbol(nth(x, 1))) syntaxError("defmacro: expected (defmacro name (params...) body...)", sp);
  Value name = nth(x, 1);
  Node* lam = analyzeLambda(nth(x, 2), cdr(cdr(cdr(x))), sp, std::string(symName(name)));
  Node* mk = callNode(primConst("%make-macro", sp), {lam}, sp);
  bool saved = scope_->toplevel;
  int savedDepth = scope_->blockDepth;
  // Macros are always global: they must be visible to the analysis of later forms.
  scope_->toplevel = true;
  scope_->blockDepth = 0;
  Node* def = defineName(name, mk, sp);
  scope_->toplevel = saved;
  scope_->blockDepth = savedDepth;
  return def;
}

// (defcomp ~name (&key a b &rest children) body...) =>
// (define ~name (%make-component "~name" '(params) '(body...)))
Node* Analyzer::fDefcomp(Value x, Span sp) {
  if (listLength(x) < 3 || !isSymbol(nth(x, 1))) syntaxError("defcomp: expected (defcomp ~name (params...) body...)", sp);
  Value name = nth(x, 1);
  Node* mk = callNode(primConst("%make-component", sp),
                      {constNode(iso_.str(symName(name)), sp), constNode(nth(x, 2), sp), constNode(cdr(cdr(cdr(x))), sp)}, sp);
  return defineName(name, mk, sp);
}

Node* Analyzer::fReset(Value x, Span sp) {
  Node* n = scope_->info->newNode(NodeKind::Reset, sp);
  n->a = analyzeSeq(cdr(x), sp);
  return n;
}

// (shift k body...)
Node* Analyzer::fShift(Value x, Span sp) {
  if (listLength(x) < 2 || !isSymbol(nth(x, 1))) syntaxError("shift: expected (shift k body...)", sp);
  size_t mark = scope_->binds.size();
  ++scope_->blockDepth;
  uint32_t slot = newSlot(nth(x, 1));
  bind(nth(x, 1), slot);
  Node* n = scope_->info->newNode(NodeKind::Shift, sp);
  n->i0 = slot;
  n->a = analyzeBody(cdr(cdr(x)), sp);
  --scope_->blockDepth;
  scope_->binds.resize(mark);
  return n;
}

// (guard (var clause...) body...)
Node* Analyzer::fGuard(Value x, Span sp) {
  Value spec = nth(x, 1);
  if (!isPair(spec) || !isSymbol(car(spec))) syntaxError("guard: expected (guard (var clause...) body...)", sp);
  Node* n = scope_->info->newNode(NodeKind::Guard, sp);
  n->a = analyzeSeq(cdr(cdr(x)), sp);
  size_t mark = scope_->binds.size();
  ++scope_->blockDepth;
  uint32_t slot = newSlot(car(spec));
  bind(car(spec), slot);
  Node* reraise = scope_->info->newNode(NodeKind::Reraise, sp);
  reraise->i0 = slot;
  n->i0 = slot;
  n->b = condClauses(cdr(spec), sp, reraise);
  --scope_->blockDepth;
  scope_->binds.resize(mark);
  return n;
}

// (provide name value body...)
Node* Analyzer::fProvide(Value x, Span sp) {
  if (listLength(x) < 3) syntaxError("provide: expected (provide name value body...)", sp);
  Node* n = scope_->info->newNode(NodeKind::Provide, sp);
  n->a = analyze(nth(x, 1), spanAt(nthCell(x, 1), sp));
  n->b = analyze(nth(x, 2), spanAt(nthCell(x, 2), sp));
  n->c = analyzeSeq(cdr(cdr(cdr(x))), sp);
  return n;
}

// (scope name body...)
Node* Analyzer::fScope(Value x, Span sp) {
  if (listLength(x) < 2) syntaxError("scope: expected (scope name body...)", sp);
  Node* n = scope_->info->newNode(NodeKind::Scope, sp);
  n->a = analyze(nth(x, 1), spanAt(nthCell(x, 1), sp));
  n->c = analyzeSeq(cdr(cdr(x)), sp);
  return n;
}

static Value threadForm(Analyzer& an, Value x, bool last) {
  Isolate& iso = an.iso_;
  Value acc = nth(x, 1);
  for (Value c = cdr(cdr(x)); isPair(c); c = cdr(c)) {
    Value step = car(c);
    if (isPair(step)) {
      if (last) {
        std::vector<Value> items = listToVector(step);
        items.push_back(acc);
        acc = iso.listFrom(items.data(), items.size());
      } else {
        acc = iso.cons(car(step), iso.cons(acc, cdr(step)));
      }
    } else {
      acc = iso.list({step, acc});
    }
    an.root(acc);
  }
  return acc;
}

Node* Analyzer::fThreadFirst(Value x, Span sp) {
  if (listLength(x) < 2) syntaxError("->: expected (-> value forms...)", sp);
  return analyze(threadForm(*this, x, false), sp);
}

Node* Analyzer::fThreadLast(Value x, Span sp) {
  if (listLength(x) < 2) syntaxError("->>: expected (->> value forms...)", sp);
  return analyze(threadForm(*this, x, true), sp);
}

}  // namespace sx::detail

namespace sx {

// The keys of the analyser's form table, sorted (declared in analyzer.h).
const std::vector<const char*>& specialFormNames() {
  static const std::vector<const char*> names = [] {
    std::vector<const char*> out;
    for (const auto& entry : detail::Analyzer::forms()) out.push_back(entry.first.c_str());
    std::sort(out.begin(), out.end(), [](const char* a, const char* b) { return std::string_view(a) < b; });
    return out;
  }();
  return names;
}

}  // namespace sx
