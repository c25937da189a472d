#include "compiler/compiler.h"

#include <cstring>
#include <unordered_map>

#include "compiler/verifier.h"
#include "stdlib/native.h"
#include "value/isolate.h"

namespace sx {

const char* refusalReasonName(RefusalReason r) {
  switch (r) {
#define X(e, d) \
  case RefusalReason::e: return #e;
    SX_REFUSAL_REASONS(X)
#undef X
  }
  return "?";
}

const char* refusalReasonText(RefusalReason r) {
  switch (r) {
#define X(e, d) \
  case RefusalReason::e: return d;
    SX_REFUSAL_REASONS(X)
#undef X
  }
  return "?";
}

namespace {

// Primitives with an inline opcode, by name and argument count.
struct InlinePrim {
  const char* name;
  uint32_t argc;
  Op op;
};
constexpr InlinePrim kInlinePrims[] = {
    {"+", 2, Op::ADD},     {"-", 2, Op::SUB},     {"*", 2, Op::MUL},      {"<", 2, Op::LT},
    {">", 2, Op::GT},      {"<=", 2, Op::LE},     {">=", 2, Op::GE},      {"=", 2, Op::NUM_EQ},
    {"not", 1, Op::NOT},   {"inc", 1, Op::INC},   {"dec", 1, Op::DEC},    {"first", 1, Op::FIRST},
    {"rest", 1, Op::REST}, {"cons", 2, Op::CONS}, {"nil?", 1, Op::NILP},  {"empty?", 1, Op::EMPTYP},
    {"list?", 1, Op::LISTP}, {"pair?", 1, Op::PAIRP},
};

struct Refuse {
  RefusalReason reason;
  std::string detail;
};

// Does `n`, in the frame `level` lambdas deep inside a function's frame (0: the function's
// own), read or set a local of that function or of one around it?
bool reachesOut(const Node* n, uint32_t level) {
  if (!n) return false;
  if ((n->kind == NodeKind::Local || n->kind == NodeKind::SetLocal) && n->depth >= level) return true;
  if (n->kind == NodeKind::Lambda) {
    const Node* body = n->proto->info->body;
    return !body || reachesOut(body, level + 1);  // no body (a component): assume it does
  }
  if (reachesOut(n->a, level) || reachesOut(n->b, level) || reachesOut(n->c, level)) return true;
  for (uint32_t i = 0; i < n->nkids; ++i)
    if (reachesOut(n->kids[i], level)) return true;
  return false;
}

// Locals live in a heap Env when something made in the frame may outlive it or run in
// it: a lambda that refers to a local around it (one that refers only to its own
// locals and globals never looks at the env it closes over, so the frame keeps its
// locals on the stack), or a block of a control form.
bool needsOwnEnv(const Node* n) {
  if (!n) return false;
  switch (n->kind) {
    case NodeKind::Lambda: return reachesOut(n, 0);
    case NodeKind::Guard:
    case NodeKind::Reset:
    case NodeKind::Shift:
    case NodeKind::Provide:
    case NodeKind::Scope: return true;
    default: break;
  }
  if (needsOwnEnv(n->a) || needsOwnEnv(n->b) || needsOwnEnv(n->c)) return true;
  for (uint32_t i = 0; i < n->nkids; ++i)
    if (needsOwnEnv(n->kids[i])) return true;
  return false;
}

class Compiler {
 public:
  Compiler(Isolate& iso, Proto* proto, Code* code, bool envFrame) : iso_(iso), proto_(proto), code_(code), envFrame_(envFrame) {}

  void function(const Node* body) { tail(body); }

 private:
  // ---- emission ------------------------------------------------------------------
  uint32_t here() const { return uint32_t(code_->bytes.size()); }
  void op(Op o, const Node* n = nullptr) {
    if (n && n->span.valid() && (code_->spans.empty() || code_->spans.back().second.line != n->span.line ||
                                 code_->spans.back().second.col != n->span.col))
      code_->spans.push_back({here(), n->span});
    code_->bytes.push_back(uint8_t(o));
  }
  void u8(uint32_t v) { code_->bytes.push_back(uint8_t(v)); }
  void u16(uint32_t v) {
    u8(v & 0xFF);
    u8((v >> 8) & 0xFF);
  }
  void i32(int32_t v) {
    for (int s = 0; s < 32; s += 8) u8((uint32_t(v) >> s) & 0xFF);
  }
  uint32_t jump(Op o, const Node* n = nullptr) {
    op(o, n);
    uint32_t at = here();
    i32(0);
    return at;
  }
  void patch(uint32_t at) {
    int64_t off = int64_t(here()) - int64_t(at + 4);
    if (off > INT32_MAX) throw Refuse{RefusalReason::CodeTooLarge, ""};
    int32_t o = int32_t(off);
    std::memcpy(&code_->bytes[at], &o, 4);  // little-endian host
  }
  uint32_t constant(Value v) {
    auto it = constIndex_.find(v.bits());
    if (it != constIndex_.end()) return it->second;
    if (code_->consts.size() >= kMaxConstants) throw Refuse{RefusalReason::TooManyConstants, ""};
    uint32_t i = uint32_t(code_->consts.size());
    code_->consts.push_back(v);
    constIndex_.emplace(v.bits(), i);
    return i;
  }
  uint32_t cellConst(Cell* c) { return constant(Value::object(c)); }

  // ---- variables -------------------------------------------------------------------
  void localAccess(bool set, uint32_t depth, uint32_t slot, const Node* n) {
    if (slot > kMaxLocals) throw Refuse{RefusalReason::TooManyLocals, ""};
    if (!envFrame_ && depth == 0) {
      op(set ? Op::LOCAL_SET : Op::LOCAL_GET, n);
      u16(slot);
      return;
    }
    uint32_t hops = envFrame_ ? depth : depth - 1;
    if (hops > kMaxEnvHops) throw Refuse{RefusalReason::EnvTooDeep, ""};
    op(set ? Op::ENV_SET : Op::ENV_GET, n);
    u8(hops);
    u16(slot);
  }

  // ---- expressions -------------------------------------------------------------------
  void constValue(Value v, const Node* n) {
    if (v.isNil()) return op(Op::NIL, n);
    if (v.isTrue()) return op(Op::TRUE, n);
    if (v.isFalse()) return op(Op::FALSE, n);
    op(Op::CONST, n);
    u16(constant(v));
  }

  void tail(const Node* n) { expr(n, true); }
  void value(const Node* n) { expr(n, false); }

  void effect(const Node* n) {
    if (n->kind == NodeKind::Const || n->kind == NodeKind::Local) return;  // no effect
    value(n);
    op(Op::POP);
  }

  // Compiles n to push its value, or (isTail) to return it: calls in tail position
  // become TAIL_CALL, branches return from each arm.
  void expr(const Node* n, bool isTail) {
    switch (n->kind) {
      case NodeKind::If: {
        value(n->a);
        uint32_t toElse = jump(Op::JUMP_IF_FALSE, n);
        expr(n->b, isTail);
        uint32_t toEnd = isTail ? 0 : jump(Op::JUMP);
        patch(toElse);
        if (n->c) {
          expr(n->c, isTail);
        } else {
          op(Op::NIL);
          if (isTail) op(Op::RETURN);
        }
        if (!isTail) patch(toEnd);
        return;
      }
      case NodeKind::Seq:
        for (uint32_t i = 0; i + 1 < n->nkids; ++i) effect(n->kids[i]);
        return expr(n->kids[n->nkids - 1], isTail);
      case NodeKind::Call:
        if (!call(n, isTail) && isTail) op(Op::RETURN);
        return;
      case NodeKind::CondArrow:
        return condArrow(n, isTail);
      case NodeKind::And:
      case NodeKind::Or: {
        // The deciding operand is the value; the last one is in tail position.
        std::vector<uint32_t> exits;
        for (uint32_t i = 0; i + 1 < n->nkids; ++i) {
          value(n->kids[i]);
          exits.push_back(jump(n->kind == NodeKind::And ? Op::AND_JUMP : Op::OR_JUMP, n));
        }
        expr(n->kids[n->nkids - 1], isTail);
        for (uint32_t at : exits) patch(at);
        if (isTail && !exits.empty()) op(Op::RETURN);
        return;
      }
      default:
        leaf(n);
        if (isTail && n->kind != NodeKind::Reraise) op(Op::RETURN);  // RAISE ends the block
    }
  }

  // Everything that is not a branch: pushes its value.
  void leaf(const Node* n) {
    switch (n->kind) {
      case NodeKind::Const: return constValue(n->k, n);
      case NodeKind::Local: return localAccess(false, n->depth, n->i0, n);
      case NodeKind::Global:
        op(Op::GLOBAL_GET, n);
        u16(cellConst(n->cell));
        return;
      case NodeKind::Lambda:
        op(Op::CLOSURE, n);
        u16(constant(Value::object(n->proto)));
        return;
      case NodeKind::SetLocal:
        value(n->a);
        return localAccess(true, n->depth, n->i0, n);
      case NodeKind::SetGlobal:
      case NodeKind::DefineGlobal:
        value(n->a);
        op(n->kind == NodeKind::SetGlobal ? Op::GLOBAL_SET : Op::GLOBAL_DEFINE, n);
        u16(cellConst(n->cell));
        return;
      case NodeKind::Guard:
        blockValue(n->a, n);
        blockValue(n->b, n);
        op(Op::GUARD, n);
        u16(n->i0);
        return;
      case NodeKind::Reraise:
        localAccess(false, 0, n->i0, n);
        op(Op::RAISE, n);
        return;
      case NodeKind::Reset:
        blockValue(n->a, n);
        op(Op::RESET, n);
        return;
      case NodeKind::Shift:
        blockValue(n->a, n);
        op(Op::SHIFT, n);
        u16(n->i0);
        return;
      case NodeKind::Provide:
        value(n->a);
        value(n->b);
        blockValue(n->c, n);
        op(Op::PROVIDE, n);
        return;
      case NodeKind::Scope:
        value(n->a);
        blockValue(n->c, n);
        op(Op::SCOPE, n);
        return;
      case NodeKind::If:
      case NodeKind::Seq:
      case NodeKind::Call:
      case NodeKind::CondArrow:
      case NodeKind::And:
      case NodeKind::Or:
        return expr(n, false);
    }
  }

  // test => f: (f test) when test is truthy, else the rest of the cond.
  void condArrow(const Node* n, bool isTail) {
    value(n->a);
    op(Op::DUP, n);
    uint32_t toElse = jump(Op::JUMP_IF_FALSE, n);
    value(n->b);
    op(Op::SWAP);
    op(isTail ? Op::TAIL_CALL : Op::CALL, n);
    u8(1);
    uint32_t toEnd = isTail ? 0 : jump(Op::JUMP);
    patch(toElse);
    op(Op::POP);
    if (isTail) {
      if (n->c)
        tail(n->c);
      else {
        op(Op::NIL);
        op(Op::RETURN);
      }
      return;
    }
    if (n->c)
      value(n->c);
    else
      op(Op::NIL);
    patch(toEnd);
  }

  // A call; returns true when it ended with a tail call (no RETURN needed).
  bool call(const Node* n, bool isTail) {
    uint32_t argc = n->nkids - 1u;
    if (argc > kMaxArgs) throw Refuse{RefusalReason::TooManyArguments, std::to_string(argc) + " arguments"};
    const Node* callee = n->kids[0];
    if (callee->kind == NodeKind::Global && callee->cell->primitive.isObj()) {
      const NativeDef* def = as<Native>(callee->cell->primitive)->def;
      if (def->fn) {
        for (const InlinePrim& ip : kInlinePrims) {
          if (ip.argc == argc && std::strcmp(ip.name, def->name) == 0 && symName(callee->k) == def->name) {
            for (uint32_t i = 1; i <= argc; ++i) value(n->kids[i]);
            op(ip.op, n);
            u16(cellConst(callee->cell));
            return false;
          }
        }
        for (uint32_t i = 1; i <= argc; ++i) value(n->kids[i]);
        op(Op::CALL_PRIM, n);
        u16(cellConst(callee->cell));
        u8(argc);
        return false;
      }
    }
    for (uint32_t i = 0; i <= argc; ++i) value(n->kids[i]);
    op(isTail ? Op::TAIL_CALL : Op::CALL, n);
    u8(argc);
    return isTail;
  }

  // Compiles `body` into a block proto and pushes it.
  void blockValue(const Node* body, const Node* at) {
    Proto* bp = newProto(iso_);
    ProtoInfo* bi = bp->info;
    bi->isBlock = true;
    bi->name = proto_->info->name;
    bi->span = body->span;
    proto_->info->children.push_back(bp);
    auto* bc = new Code;
    bi->code = bc;
    bc->isBlock = true;
    bc->needsEnv = true;
    Compiler child(iso_, bp, bc, true);
    child.function(body);
    std::string why;
    if (!verifyCode(*bc, &why)) throw Refuse{RefusalReason::VerifyFailed, "block: " + why};
    bi->tierState = TierState::Compiled;
    op(Op::BLOCK, at);
    u16(constant(Value::object(bp)));
  }

  Isolate& iso_;
  Proto* proto_;
  Code* code_;
  bool envFrame_;  // locals of depth 0 live in the frame's Env
  std::unordered_map<uint64_t, uint32_t> constIndex_;
};

}  // namespace

CompileResult compileProto(Isolate& iso, Proto* proto) {
  ProtoInfo* info = proto->info;
  CompileResult r;
  auto* code = new Code;
  code->nparams = info->nparams;
  code->hasRest = info->hasRest;
  code->nslots = info->nslots;
  code->needsEnv = needsOwnEnv(info->body);
  code->nlocals = code->needsEnv ? 0 : info->nslots;
  try {
    if (info->nslots > kMaxLocals) throw Refuse{RefusalReason::TooManyLocals, std::to_string(info->nslots) + " slots"};
    Compiler c(iso, proto, code, code->needsEnv);
    c.function(info->body);
    std::string why;
    if (!verifyCode(*code, &why)) throw Refuse{RefusalReason::VerifyFailed, why};
  } catch (const Refuse& e) {
    delete code;
    r.refusal = e.reason;
    r.detail = e.detail;
    return r;
  }
  r.code = code;
  return r;
}

}  // namespace sx
