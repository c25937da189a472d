#include "compiler/disasm.h"

#include <cstdio>
#include <cstring>
#include <map>
#include <sstream>

#include "cek/node.h"
#include "compiler/verifier.h"
#include "reader/printer.h"
#include "reader/reader.h"

namespace sx {

namespace {

std::string clip(std::string s, size_t n = 40) {
  if (s.size() > n) s = s.substr(0, n - 3) + "...";
  return s;
}

}  // namespace

std::string constantText(Isolate& iso, Value v) {
  if (isType(v, ObjType::Cell)) return std::string(symName(as<Cell>(v)->name));
  if (isType(v, ObjType::Proto)) {
    const std::string& n = as<Proto>(v)->info->name;
    return std::string(as<Proto>(v)->info->isBlock ? "<block " : "<fn ") + (n.empty() ? "anonymous" : n) + ">";
  }
  return clip(printValue(iso, v));
}

std::vector<Instruction> disassemble(Isolate& iso, const Code& code) {
  std::vector<Instruction> out;
  const uint8_t* b = code.bytes.data();
  for (uint32_t pc = 0; pc < code.bytes.size();) {
    Instruction in;
    in.offset = pc;
    in.op = Op(b[pc]);
    const OpInfo& info = opInfo(in.op);
    const uint8_t* p = b + pc + 1;
    switch (info.format) {
      case OpFormat::None: break;
      case OpFormat::U8: in.operands = {readU8(p)}; break;
      case OpFormat::U16: in.operands = {readU16(p)}; break;
      case OpFormat::I32: in.operands = {readI32(p)}; break;
      case OpFormat::U16U8: in.operands = {readU16(p), readU8(p + 2)}; break;
      case OpFormat::U8U16: in.operands = {readU8(p), readU16(p + 1)}; break;
    }
    uint32_t next = pc + uint32_t(instrLength(in.op));
    std::string t;
    switch (in.op) {
      case Op::CONST:
      case Op::GLOBAL_GET:
      case Op::GLOBAL_SET:
      case Op::GLOBAL_DEFINE:
      case Op::CLOSURE:
      case Op::BLOCK:
        t = in.operands[0] < int64_t(code.consts.size()) ? constantText(iso, code.consts[in.operands[0]]) : "?";
        break;
      case Op::CALL_PRIM:
        t = constantText(iso, code.consts[in.operands[0]]) + "/" + std::to_string(in.operands[1]);
        break;
      case Op::ENV_GET:
      case Op::ENV_SET:
        t = "hops " + std::to_string(in.operands[0]) + " slot " + std::to_string(in.operands[1]);
        break;
      case Op::LOCAL_GET:
      case Op::LOCAL_SET:
      case Op::GUARD:
      case Op::SHIFT:
        t = "slot " + std::to_string(in.operands[0]);
        break;
      case Op::CALL:
      case Op::TAIL_CALL:
        t = std::to_string(in.operands[0]) + " arg" + (in.operands[0] == 1 ? "" : "s");
        break;
      default:
        if (info.flags & kOpBranch) {
          in.target = int64_t(next) + in.operands[0];
          t = "-> " + std::to_string(in.target);
        } else if (info.flags & kOpCellCheck) {
          t = constantText(iso, code.consts[in.operands[0]]);
        }
    }
    in.text = t;
    in.span = code.spanAt(pc);
    out.push_back(std::move(in));
    pc = next;
  }
  return out;
}

std::string formatListing(Isolate& iso, const Code& code, const std::string& name) {
  std::ostringstream os;
  os << "function " << (name.empty() ? "<anonymous>" : name) << (code.isBlock ? " (block)" : "") << "\n";
  os << "  params " << code.nparams << (code.hasRest ? " + rest" : "") << ", "
     << (code.needsEnv ? "env slots " + std::to_string(code.nslots) : "stack locals " + std::to_string(code.nlocals))
     << ", max stack " << code.maxStack << ", " << code.bytes.size() << " bytes\n";
  for (size_t i = 0; i < code.consts.size(); ++i) os << "  k" << i << " = " << constantText(iso, code.consts[i]) << "\n";
  uint32_t lastLine = 0;
  for (const Instruction& in : disassemble(iso, code)) {
    char head[64];
    std::snprintf(head, sizeof head, "  %04u  %-14s", in.offset, opInfo(in.op).name);
    std::string line = head;
    line += in.text;
    if (in.span.valid() && in.span.line != lastLine) {
      while (line.size() < 50) line += ' ';
      line += "; line " + std::to_string(in.span.line);
      lastLine = in.span.line;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    os << line << "\n";
  }
  return os.str();
}

// ---- assembler -------------------------------------------------------------------------

namespace {

struct Asm {
  Isolate& iso;
  Code* code = new Code;
  std::map<std::string, uint32_t> labels;
  std::vector<std::pair<uint32_t, std::string>> fixups;  // (operand offset, label)
  std::vector<Value> keep;

  void byte(uint32_t v) { code->bytes.push_back(uint8_t(v)); }
  void u16(uint32_t v) {
    byte(v & 0xFF);
    byte(v >> 8);
  }
  void i32(int32_t v) {
    for (int s = 0; s < 32; s += 8) byte((uint32_t(v) >> s) & 0xFF);
  }
};

bool parseInt(const std::string& s, int64_t* out) {
  if (s.empty()) return false;
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (*end) return false;
  *out = v;
  return true;
}

}  // namespace

AssembleResult assemble(Isolate& iso, const std::string& text) {
  Asm a{iso};
  AssembleResult r;
  std::istringstream in(text);
  std::string raw;
  int lineNo = 0;
  auto fail = [&](const std::string& msg) {
    delete a.code;
    r.code = nullptr;
    r.error = "line " + std::to_string(lineNo) + ": " + msg;
    return r;
  };
  while (std::getline(in, raw)) {
    ++lineNo;
    std::string line = raw.substr(0, raw.find(';'));
    std::istringstream ls(line);
    std::string word;
    if (!(ls >> word)) continue;
    if (word.back() == ':') {
      a.labels[word.substr(0, word.size() - 1)] = uint32_t(a.code->bytes.size());
      continue;
    }
    if (word[0] == '.') {
      std::string rest;
      std::getline(ls, rest);
      size_t s = rest.find_first_not_of(' ');
      rest = s == std::string::npos ? "" : rest.substr(s);
      int64_t n = 0;
      if (word == ".params" && parseInt(rest, &n)) a.code->nparams = uint32_t(n);
      else if (word == ".locals" && parseInt(rest, &n)) a.code->nlocals = uint32_t(n);
      else if (word == ".env" && parseInt(rest, &n)) {
        a.code->needsEnv = true;
        a.code->nslots = uint32_t(n);
      } else if (word == ".rest") a.code->hasRest = true;
      else if (word == ".block") {
        a.code->isBlock = true;
        a.code->needsEnv = true;
      } else if (word == ".global") a.code->consts.push_back(Value::object(iso.globalCell(rest)));
      else if (word == ".const") {
        ReadResult rr = readString(iso, rest, "<asm>");
        if (rr.error || rr.data.size() != 1) return fail("bad constant: " + rest);
        a.code->consts.push_back(rr.data[0].value);
      } else return fail("unknown directive " + word);
      continue;
    }
    int opIndex = -1;
    for (int i = 0; i < kOpCount; ++i)
      if (word == kOpInfo[i].name) opIndex = i;
    if (opIndex < 0) return fail("unknown opcode " + word);
    Op op = Op(opIndex);
    a.byte(uint32_t(op));
    std::vector<std::string> args;
    while (ls >> word) args.push_back(word);
    OpFormat f = opInfo(op).format;
    size_t want = f == OpFormat::None ? 0 : (f == OpFormat::U16U8 || f == OpFormat::U8U16) ? 2 : 1;
    if (args.size() != want) return fail(std::string(opInfo(op).name) + " takes " + std::to_string(want) + " operand(s)");
    int64_t v0 = 0, v1 = 0;
    if (f == OpFormat::I32 && !parseInt(args[0], &v0)) {
      a.fixups.push_back({uint32_t(a.code->bytes.size()), args[0]});
      a.i32(0);
      continue;
    }
    if (want >= 1 && !parseInt(args[0], &v0)) return fail("bad operand " + args[0]);
    if (want == 2 && !parseInt(args[1], &v1)) return fail("bad operand " + args[1]);
    switch (f) {
      case OpFormat::None: break;
      case OpFormat::U8: a.byte(uint32_t(v0)); break;
      case OpFormat::U16: a.u16(uint32_t(v0)); break;
      case OpFormat::I32: a.i32(int32_t(v0)); break;
      case OpFormat::U16U8: a.u16(uint32_t(v0)); a.byte(uint32_t(v1)); break;
      case OpFormat::U8U16: a.byte(uint32_t(v0)); a.u16(uint32_t(v1)); break;
    }
  }
  for (auto& [at, label] : a.fixups) {
    auto it = a.labels.find(label);
    if (it == a.labels.end()) return fail("undefined label " + label);
    int32_t off = int32_t(int64_t(it->second) - int64_t(at + 4));
    std::memcpy(&a.code->bytes[at], &off, 4);
  }
  std::string why;
  if (!verifyCode(*a.code, &why)) return fail("verifier: " + why);
  r.code = a.code;
  return r;
}

}  // namespace sx
