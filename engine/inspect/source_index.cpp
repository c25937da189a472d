#include "inspect/source_index.h"

#include "cek/analyzer.h"
#include "inspect/snapshot.h"
#include "reader/reader.h"
#include "stdlib/native.h"

namespace sx::inspect::detail {

namespace {

bool isPerformCallee(const Node* callee) {
  if (callee->kind == NodeKind::Global) return isSymbol(callee->k) && symName(callee->k) == "perform";
  if (callee->kind == NodeKind::Const && isNative(callee->k)) return std::string_view(as<Native>(callee->k)->def->name) == "perform";
  return false;
}

// What a DefineGlobal node defines, from the value node it analysed to.
std::string definedKind(const Node& def) {
  const Node* v = def.a;
  if (v && v->kind == NodeKind::Lambda) return "function";
  if (v && v->kind == NodeKind::Call && v->nkids > 0 && v->kids[0]->kind == NodeKind::Const && isNative(v->kids[0]->k)) {
    std::string_view maker = as<Native>(v->kids[0]->k)->def->name;
    if (maker == "%make-macro") return "macro";
    if (maker == "%make-component") return "component";
  }
  return globalKind(def.cell->value);
}

SourcePos posIn(Isolate& iso, const Span& sp, const std::string* file) {
  SourcePos p = sourcePos(iso, sp);
  if (file) p.file = *file;
  return p;
}

std::string lineOf(const std::string& text, uint32_t line) {
  size_t start = 0;
  for (uint32_t l = 1; l < line; ++l) {
    start = text.find('\n', start);
    if (start == std::string::npos) return {};
    ++start;
  }
  size_t end = text.find('\n', start);
  std::string s = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (!s.empty() && s.back() == '\r') s.pop_back();
  return s;
}

Diagnostic diagnosticAt(ErrorCode code, const std::string& message, const std::string& name, const Span& sp,
                        const std::string& text) {
  Diagnostic d;
  d.code = code;
  d.message = message;
  d.file = name;
  d.line = sp.line;
  d.col = sp.col;
  d.sourceLine = lineOf(text, sp.line);
  StackFrameInfo top;
  top.file = name;
  top.line = sp.line;
  top.col = sp.col;
  top.tier = "cek";
  d.stack.push_back(top);
  return d;
}

}  // namespace

const char* globalKind(Value v) {
  if (isType(v, ObjType::Lambda)) return "function";
  if (isType(v, ObjType::Macro)) return "macro";
  if (isType(v, ObjType::Component)) return "component";
  if (isType(v, ObjType::AdtCtor)) return "constructor";
  if (isNative(v)) return "primitive";
  return "value";
}

void collectFromProto(Isolate& iso, Proto* p, const std::string* file, std::vector<Definition>* defs,
                      std::vector<SourcePos>* performSites) {
  std::vector<Proto*> work{p};
  while (!work.empty()) {
    ProtoInfo* info = work.back()->info;
    work.pop_back();
    for (const Node& n : info->nodes) {
      if (defs && n.kind == NodeKind::DefineGlobal && n.cell && isSymbol(n.cell->name)) {
        Definition d;
        d.name = std::string(symName(n.cell->name));
        d.kind = definedKind(n);
        d.span = posIn(iso, n.span, file);
        defs->push_back(std::move(d));
      }
      if (performSites && n.kind == NodeKind::Call && n.nkids > 0 && isPerformCallee(n.kids[0]))
        performSites->push_back(posIn(iso, n.span, file));
    }
    for (Proto* child : info->children) work.push_back(child);
  }
}

SourceChecked checkBuffer(Isolate& iso, uint32_t scratchFile, const std::string& name, const std::string& text,
                          uint64_t generation) {
  SourceChecked out;
  out.name = name;
  out.generation = generation;
  ReadResult rr = readAll(iso, text, scratchFile);
  RootedValues roots(iso);
  for (const Datum& d : rr.data) roots.push(d.value);
  for (const Datum& d : rr.data) {
    try {
      Proto* p = analyzeToplevel(iso, d.value, d.span);
      collectFromProto(iso, p, &name, &out.definitions, &out.performSites);
    } catch (const SxError& e) {
      out.diagnostics.push_back(diagnosticAt(e.code, e.what(), name, e.span.valid() ? e.span : d.span, text));
    } catch (const std::exception& e) {
      out.diagnostics.push_back(diagnosticAt(ErrorCode::Internal, e.what(), name, d.span, text));
    }
  }
  if (rr.error) out.diagnostics.push_back(diagnosticAt(ErrorCode::Reader, rr.error->message, name, rr.error->span, text));
  return out;
}

}  // namespace sx::inspect::detail
