#include "cek/analyzer.h"

#include <climits>

#include "cek/analyzer_impl.h"
#include "cek/cek.h"
#include "effects/run.h"
#include "reader/printer.h"
#include "value/dict.h"

namespace sx {

namespace detail {

Value makeList(Isolate& iso, std::initializer_list<Value> items) { return iso.list(items); }

size_t listLength(Value list) {
  size_t n = 0;
  while (isPair(list)) {
    ++n;
    list = cdr(list);
  }
  return list.isEmpty() || list.isNil() ? n : SIZE_MAX;
}

std::vector<Value> listToVector(Value list) {
  std::vector<Value> out;
  while (isPair(list)) {
    out.push_back(car(list));
    list = cdr(list);
  }
  return out;
}

Analyzer::Analyzer(Isolate& iso) : iso_(iso), roots_(iso) {}

void Analyzer::syntaxError(const std::string& msg, Span sp) { throw SxError(ErrorCode::Syntax, msg, sp); }

bool Analyzer::isSym(Value v, const char* name) const { return isSymbol(v) && symName(v) == name; }

Span Analyzer::spanAt(Value cell, Span fallback) const {
  const PairSpans* s = iso_.pairSpans(cell);
  return s && s->car.valid() ? s->car : fallback;
}

Span Analyzer::listSpanOr(Value list, Span fallback) const {
  Span s = iso_.listSpan(list);
  return s.valid() ? s : fallback;
}

static Proto* startProto(Isolate& iso, RootedValues& roots) {
  Proto* p = newProto(iso);
  roots.push(Value::object(p));
  return p;
}

Proto* Analyzer::toplevel(Value datum, Span span) {
  root(datum);
  Proto* p = startProto(iso_, roots_);
  FnScope fs;
  fs.info = p->info;
  fs.toplevel = true;
  p->info->toplevel = true;
  p->info->span = span;
  scope_ = &fs;
  p->info->body = analyze(datum, span);
  scope_ = nullptr;
  return p;
}

Proto* Analyzer::withParams(Value expr, const std::vector<Value>& params, Span span) {
  root(expr);
  Proto* p = startProto(iso_, roots_);
  FnScope fs;
  fs.info = p->info;
  scope_ = &fs;
  for (Value s : params) bind(s, newSlot(s));
  p->info->nparams = uint32_t(params.size());
  p->info->span = span;
  p->info->body = analyze(expr, span);
  scope_ = nullptr;
  return p;
}

uint32_t Analyzer::newSlot(Value sym) {
  ProtoInfo* info = scope_->info;
  info->slotNames.push_back(sym);
  return info->nslots++;
}

bool Analyzer::lookup(Value sym, uint32_t* depth, uint32_t* slot) const {
  uint32_t d = 0;
  for (const FnScope* s = scope_; s; s = s->parent, ++d) {
    for (size_t i = s->binds.size(); i-- > 0;) {
      if (s->binds[i].sym == sym) {
        *depth = d;
        *slot = s->binds[i].slot;
        return true;
      }
    }
  }
  return false;
}

bool Analyzer::isLexical(Value sym) const {
  uint32_t d, s;
  return lookup(sym, &d, &s);
}

Node* Analyzer::constNode(Value v, Span sp) {
  Node* n = scope_->info->newNode(NodeKind::Const, sp);
  n->k = v;
  if (v.isObj()) scope_->info->constants.push_back(v);
  return n;
}

Node* Analyzer::primConst(const char* name, Span sp) {
  Value p = iso_.globalCell(name)->primitive;
  if (p.isNil()) throw SxError(ErrorCode::Internal, std::string("missing internal primitive ") + name, sp);
  return constNode(p, sp);
}

Node* Analyzer::callNode(Node* callee, std::vector<Node*> args, Span sp) {
  Node* n = scope_->info->newNode(NodeKind::Call, sp);
  args.insert(args.begin(), callee);
  n->nkids = uint16_t(args.size());
  bool simple = true;
  for (Node* k : args) simple = simple && isSimpleNode(k);
  if (simple && (callee->kind == NodeKind::Global || callee->kind == NodeKind::Const)) n->flags |= kNodeSimplePrimCall;
  n->kids = scope_->info->newKids(std::move(args));
  return n;
}

Node* Analyzer::localRef(uint32_t slot, Span sp) {
  Node* n = scope_->info->newNode(NodeKind::Local, sp);
  n->i0 = slot;
  n->k = scope_->info->slotNames[slot];
  return n;
}

Node* Analyzer::setLocal(uint32_t slot, Node* value, Span sp) {
  Node* n = scope_->info->newNode(NodeKind::SetLocal, sp);
  n->i0 = slot;
  n->a = value;
  n->k = scope_->info->slotNames[slot];
  return n;
}

Node* Analyzer::seqNode(std::vector<Node*> kids, Span sp) {
  if (kids.empty()) return constNode(Value::nil(), sp);
  if (kids.size() == 1) return kids[0];
  Node* n = scope_->info->newNode(NodeKind::Seq, sp);
  n->nkids = uint16_t(kids.size());
  if (kids.size() > 0xFFFF) syntaxError("too many forms in one body", sp);
  n->kids = scope_->info->newKids(std::move(kids));
  return n;
}

Node* Analyzer::ifNode(Node* test, Node* then, Node* els, Span sp) {
  Node* n = scope_->info->newNode(NodeKind::If, sp);
  n->a = test;
  n->b = then;
  n->c = els;
  return n;
}

Node* Analyzer::analyze(Value x, Span sp) {
  if (++depth_ > kMaxAnalyzeDepth) {
    --depth_;
    syntaxError("expression nested too deeply", sp);
  }
  struct DepthGuard {
    int& d;
    ~DepthGuard() { --d; }
  } guard{depth_};

  if (isSymbol(x)) {
    uint32_t d, s;
    if (lookup(x, &d, &s)) {
      Node* n = scope_->info->newNode(NodeKind::Local, sp);
      n->depth = d;
      n->i0 = s;
      n->k = x;
      return n;
    }
    std::string_view name = symName(x);
    if (name == "true") return constNode(Value::t(), sp);
    if (name == "false") return constNode(Value::f(), sp);
    if (name == "nil") return constNode(Value::nil(), sp);
    Node* n = scope_->info->newNode(NodeKind::Global, sp);
    n->cell = iso_.globalCell(x);
    n->k = x;
    scope_->info->constants.push_back(x);
    return n;
  }
  if (isKeyword(x)) return constNode(Value::object(as<Keyword>(x)->name), sp);  // :k evaluates to "k"
  if (isPair(x)) return analyzeList(x, listSpanOr(x, sp));
  if (isDict(x)) return analyzeDictLiteral(x, sp);
  return constNode(x, sp);  // self-evaluating: numbers, strings, chars, nil, (), ...
}

Node* Analyzer::analyzeList(Value x, Span sp) {
  if (listLength(x) == SIZE_MAX) syntaxError("cannot evaluate an improper list", sp);
  Value head = car(x);
  if (isSymbol(head) && !isLexical(head)) {
    auto& table = forms();
    auto it = table.find(std::string(symName(head)));
    if (it != table.end()) return (this->*(it->second))(x, sp);
    Value g = iso_.globalCell(head)->value;
    if (isType(g, ObjType::Macro)) {
      Value expansion = expandMacro(g, x, sp);
      return analyze(expansion, sp);
    }
  }
  return analyzeCall(x, sp);
}

// {k v ...} in code builds a fresh dict each time: (dict k v ...) with the values evaluated.
Node* Analyzer::analyzeDictLiteral(Value x, Span sp) {
  std::vector<Node*> args;
  dictForEach(as<Dict>(x), [&](Value k, Value v) {
    args.push_back(constNode(k, sp));
    args.push_back(analyze(v, sp));
  });
  return callNode(primConst("dict", sp), std::move(args), sp);
}

Value Analyzer::expandMacro(Value macro, Value form, Span sp) {
  std::vector<Value> args = listToVector(cdr(form));
  // The expander is the macro's code called as an ordinary lambda on the unevaluated forms.
  Value expander = root(makeClosureValue(iso_, as<Closure>(macro)->proto, as<Closure>(macro)->env));
  Value out;
  try {
    out = callSync(iso_, expander, args);
  } catch (SxError& e) {
    if (!e.span.valid()) e.span = sp;
    throw;
  }
  root(out);
  return out;
}

Node* Analyzer::analyzeCall(Value x, Span sp) {
  Value head = car(x);
  Node* callee = analyze(head, spanAt(x, sp));
  // A component call in code keeps its keyword arguments as keywords.
  bool component = isSymbol(head) && symName(head).size() > 1 && symName(head)[0] == '~';
  std::vector<Node*> args;
  for (Value c = cdr(x); isPair(c); c = cdr(c)) {
    Value a = car(c);
    if (component && isKeyword(a))
      args.push_back(constNode(a, spanAt(c, sp)));
    else
      args.push_back(analyze(a, spanAt(c, sp)));
  }
  if (args.size() > 0xFFFE) syntaxError("too many arguments in one call", sp);
  return callNode(callee, std::move(args), sp);
}

// Pre-declare the names a body defines so that its forms can refer to each other.
static void predeclare(Analyzer& a, Value forms) {
  for (Value c = forms; isPair(c); c = cdr(c)) {
    Value f = car(c);
    if (!isPair(f) || !a.isSym(car(f), "define") || !isPair(cdr(f))) continue;
    Value target = car(cdr(f));
    if (isPair(target)) target = car(target);
    if (!isSymbol(target)) continue;
    bool already = false;
    for (size_t i = a.scope_->binds.size(); i-- > 0;)
      if (a.scope_->binds[i].sym == target) already = true;
    if (!already) a.bind(target, a.newSlot(target));
  }
}

Node* Analyzer::analyzeBody(Value forms, Span sp) {
  if (!definesGlobal()) predeclare(*this, forms);
  return analyzeSeq(forms, sp);
}

Node* Analyzer::analyzeSeq(Value forms, Span sp) {
  std::vector<Node*> kids;
  for (Value c = forms; isPair(c); c = cdr(c)) kids.push_back(analyze(car(c), spanAt(c, sp)));
  return seqNode(std::move(kids), sp);
}

Node* Analyzer::defineName(Value name, Node* value, Span sp) {
  if (definesGlobal()) {
    Node* n = scope_->info->newNode(NodeKind::DefineGlobal, sp);
    n->cell = iso_.globalCell(name);
    n->k = name;
    n->a = value;
    scope_->info->constants.push_back(name);
    return n;
  }
  for (size_t i = scope_->binds.size(); i-- > 0;)
    if (scope_->binds[i].sym == name) return setLocal(scope_->binds[i].slot, value, sp);
  uint32_t slot = newSlot(name);
  bind(name, slot);
  return setLocal(slot, value, sp);
}

Node* Analyzer::analyzeLambda(Value params, Value body, Span sp, const std::string& name) {
  Proto* p = startProto(iso_, roots_);
  ProtoInfo* info = p->info;
  info->name = name;
  info->span = sp;
  scope_->info->children.push_back(p);
  FnScope fs;
  fs.parent = scope_;
  fs.info = info;
  scope_ = &fs;
  struct Restore {
    FnScope*& s;
    FnScope* prev;
    ~Restore() { s = prev; }
  } restore{scope_, fs.parent};

  bool rest = false;
  Value restName;
  if (!isList(params) && !params.isNil()) syntaxError("fn: parameters must be a list", sp);
  for (Value c = params; isPair(c); c = cdr(c)) {
    Value prm = car(c);
    if (isPair(prm)) prm = car(prm);  // (name :as type)
    if (isSym(prm, "&rest") || isSym(prm, "&body")) {
      if (!isPair(cdr(c)) || !isSymbol(car(cdr(c)))) syntaxError("fn: &rest needs a parameter name", sp);
      rest = true;
      restName = car(cdr(c));
      break;
    }
    if (isSym(prm, "&key") || isSym(prm, "&optional")) continue;
    if (!isSymbol(prm)) syntaxError("fn: parameter must be a symbol, got " + printValue(iso_, prm), sp);
    bind(prm, newSlot(prm));
    ++info->nparams;
  }
  if (rest) {
    bind(restName, newSlot(restName));
    info->hasRest = true;
  }
  info->body = analyzeBody(body, sp);
  Node* n = restore.prev->info->newNode(NodeKind::Lambda, sp);
  n->proto = p;
  return n;
}

}  // namespace detail

Proto* analyzeToplevel(Isolate& iso, Value datum, Span span) {
  detail::Analyzer a(iso);
  return a.toplevel(datum, span);
}

Proto* analyzeWithParams(Isolate& iso, Value expr, const std::vector<Value>& params, Span span) {
  detail::Analyzer a(iso);
  return a.withParams(expr, params, span);
}

}  // namespace sx
