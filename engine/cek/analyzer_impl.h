// Internal to the analyser (analyzer.cpp, analyzer_forms.cpp).
#pragma once

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "cek/analyzer.h"
#include "value/isolate.h"

namespace sx::detail {

struct Binding {
  Value sym;
  uint32_t slot;
};

struct FnScope {
  FnScope* parent = nullptr;
  ProtoInfo* info = nullptr;
  std::vector<Binding> binds;  // innermost last
  int blockDepth = 0;          // > 0 inside let/letrec/guard bodies
  bool toplevel = false;
};

class Analyzer {
 public:
  explicit Analyzer(Isolate& iso);

  Proto* toplevel(Value datum, Span span);
  Proto* withParams(Value expr, const std::vector<Value>& params, Span span);

  // ---- core (analyzer.cpp) ----
  Node* analyze(Value x, Span sp);
  Node* analyzeList(Value x, Span sp);
  Node* analyzeBody(Value forms, Span sp);  // a body: pre-declares its defines
  Node* analyzeSeq(Value forms, Span sp);   // plain sequence, no pre-scan
  Node* analyzeCall(Value x, Span sp);
  Node* analyzeDictLiteral(Value x, Span sp);
  Node* analyzeLambda(Value params, Value body, Span sp, const std::string& name);
  Node* constNode(Value v, Span sp);
  Node* primConst(const char* name, Span sp);  // a primitive's native value as a constant
  Node* callNode(Node* callee, std::vector<Node*> args, Span sp);
  Node* localRef(uint32_t slot, Span sp);      // depth 0
  Node* setLocal(uint32_t slot, Node* value, Span sp);
  Node* seqNode(std::vector<Node*> kids, Span sp);
  Node* ifNode(Node* test, Node* then, Node* els, Span sp);
  uint32_t newSlot(Value sym);                 // in the current function frame
  void bind(Value sym, uint32_t slot) { scope_->binds.push_back({sym, slot}); }
  bool lookup(Value sym, uint32_t* depth, uint32_t* slot) const;
  bool isLexical(Value sym) const;
  bool definesGlobal() const { return scope_->toplevel && scope_->blockDepth == 0; }
  Node* defineName(Value sym, Node* value, Span sp);  // global or local define
  Value expandMacro(Value macro, Value form, Span sp);

  // ---- special forms (analyzer_forms.cpp) ----
  using FormFn = Node* (Analyzer::*)(Value x, Span sp);
  static const std::unordered_map<std::string, FormFn>& forms();
  Node* fQuote(Value x, Span sp);
  Node* fQuasi(Value x, Span sp);
  Node* fIf(Value x, Span sp);
  Node* fWhen(Value x, Span sp);
  Node* fUnless(Value x, Span sp);
  Node* fCond(Value x, Span sp);
  Node* fCase(Value x, Span sp);
  Node* fAnd(Value x, Span sp);
  Node* fOr(Value x, Span sp);
  Node* fDo(Value x, Span sp);
  Node* fBegin(Value x, Span sp);
  Node* fLet(Value x, Span sp);
  Node* fLetStar(Value x, Span sp);
  Node* fLetrec(Value x, Span sp);
  Node* fDefine(Value x, Span sp);
  Node* fSet(Value x, Span sp);
  Node* fFn(Value x, Span sp);
  Node* fDefmacro(Value x, Span sp);
  Node* fDefcomp(Value x, Span sp);
  Node* fDefineType(Value x, Span sp);
  Node* fMatch(Value x, Span sp);
  Node* fGuard(Value x, Span sp);
  Node* fReset(Value x, Span sp);
  Node* fShift(Value x, Span sp);
  Node* fProvide(Value x, Span sp);
  Node* fScope(Value x, Span sp);
  Node* fThreadFirst(Value x, Span sp);
  Node* fThreadLast(Value x, Span sp);

  // helpers shared by forms
  Node* condClauses(Value clauses, Span sp, Node* fallthrough);
  Node* qq(Value x, int depth, Span sp);
  Node* matchPattern(Value pat, Node* subject, std::vector<Node*>& tests, Span sp);
  Node* namedLet(Value name, Value bindings, Value body, Span sp);
  [[noreturn]] void syntaxError(const std::string& msg, Span sp);
  Span spanAt(Value cell, Span fallback) const;  // span of car(cell)
  Span listSpanOr(Value list, Span fallback) const;
  Value sym(const char* name) { return iso_.intern(name); }
  bool isSym(Value v, const char* name) const;
  Value root(Value v) {
    roots_.push(v);
    return v;
  }

  Isolate& iso_;
  RootedValues roots_;
  FnScope* scope_ = nullptr;
  int depth_ = 0;
};

// Builds the list (a b c ...).
Value makeList(Isolate& iso, std::initializer_list<Value> items);
size_t listLength(Value list);  // proper-list length; SIZE_MAX when improper
std::vector<Value> listToVector(Value list);

}  // namespace sx::detail
