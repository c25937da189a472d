// The analysed form of SX code that the CEK machine interprets (and that the bytecode
// compiler will compile): macros expanded, derived forms desugared, every variable
// resolved to a frame slot (depth, index) or a global cell.
//
// Each lambda body is a Proto: a heap object owning its nodes. Nested lambdas are
// child protos. Frames: every lambda call gets one Env with `nslots` slots holding its
// parameters and every let/define-introduced local in its body (lets reuse the
// enclosing lambda's frame, as the original compiler does). A local reference is
// (depth, index): `depth` Env hops up the parent chain, then the slot.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "value/error.h"
#include "value/objects.h"

namespace sx {

// X(Name, "one-line meaning")
#define SX_NODE_KINDS(X)                                                  \
  X(Const, "push the constant k")                                         \
  X(Local, "the slot i0 of the env depth hops up")                        \
  X(Global, "the value of the global cell")                               \
  X(If, "a ? b : c (c may be null -> nil)")                               \
  X(Seq, "evaluate kids in order; the last is the value")                 \
  X(Call, "kids[0] applied to kids[1..]")                                 \
  X(Lambda, "a closure of proto over the current env")                    \
  X(SetLocal, "slot (depth, i0) := a; value is the new value")            \
  X(SetGlobal, "cell := a (error when undefined); value is the new value")\
  X(DefineGlobal, "cell := a; value is the new value")                    \
  X(And, "kids left to right; first falsy value or the last")             \
  X(Or, "kids left to right; first truthy value or the last")             \
  X(Guard, "a = body; on a raise, slot i0 := condition, then b")          \
  X(Reraise, "raise the value of slot (0, i0) again")                     \
  X(Reset, "a under a prompt")                                            \
  X(Shift, "capture to the nearest prompt into slot i0, then a")          \
  X(Provide, "a = name, b = value, c = body under a provide frame")       \
  X(Scope, "a = name, c = body under a scope frame")                      \
  X(CondArrow, "a = test; if truthy call b with it, else c")

enum class NodeKind : uint8_t {
#define X(n, d) n,
  SX_NODE_KINDS(X)
#undef X
};
const char* nodeKindName(NodeKind k);

struct ProtoInfo;
struct Code;

// Where a function stands in the tier policy.
enum class TierState : uint8_t { Interpreted, Compiled, Refused };

struct Node {
  NodeKind kind;
  uint8_t flags = 0;
  uint16_t nkids = 0;
  uint32_t i0 = 0;     // slot index
  uint32_t depth = 0;  // env hops for Local / SetLocal
  Value k;             // Const: the value; Local/Global: the name symbol
  Node* a = nullptr;
  Node* b = nullptr;
  Node* c = nullptr;
  Node** kids = nullptr;
  Cell* cell = nullptr;      // Global / SetGlobal / DefineGlobal
  Proto* proto = nullptr;    // Lambda: the child proto
  ProtoInfo* owner = nullptr;
  Span span;
};

enum : uint8_t {
  kNodeSimplePrimCall = 1 << 0,  // Call: callee is a global and every operand is simple
};

// Is the node evaluable without a continuation frame (constant, variable)?
inline bool isSimpleNode(const Node* n) {
  return n->kind == NodeKind::Const || n->kind == NodeKind::Local || n->kind == NodeKind::Global;
}

struct ProtoInfo {
  Proto* self = nullptr;
  std::string name;           // "" for anonymous lambdas and top-level code
  uint32_t nparams = 0;       // required + optional positional parameters
  bool hasRest = false;       // the last slot after the params takes the rest list
  uint32_t nslots = 0;        // frame size
  std::vector<Value> slotNames;  // symbols, index = slot (for the inspector and errors)
  Node* body = nullptr;
  Span span;                  // the defining form
  bool toplevel = false;
  std::deque<Node> nodes;     // arena: stable addresses
  std::deque<std::vector<Node*>> kidLists;
  std::vector<Value> constants;  // every Value held by a node (traced by the collector)
  std::vector<Proto*> children;
  uint64_t calls = 0;          // calls in any tier (the CEK, the VM, native code)
  uint64_t loops = 0;          // back-edges taken in the VM: backward jumps, self tail calls
  // Components (defcomp) are protos without a body node: their parameter list and
  // markup body are kept as data and rendered by the prelude's render-to-html.
  Value componentParams;
  Value componentBody;
  // Tiering (engine/vm/tier.h): the bytecode once compiled, or why it was refused.
  TierState tierState = TierState::Interpreted;
  Code* code = nullptr;       // owned
  uint8_t refusal = 0;        // a RefusalReason when Refused
  std::string refusalDetail;
  bool isBlock = false;       // a compiler-made block: runs in its creator's env
  ~ProtoInfo();

  Node* newNode(NodeKind k, Span s) {
    nodes.push_back(Node{});
    Node* n = &nodes.back();
    n->kind = k;
    n->owner = this;
    n->span = s;
    return n;
  }
  Node** newKids(std::vector<Node*> v) {
    kidLists.push_back(std::move(v));
    return kidLists.back().data();
  }
};

struct Proto : Obj {
  ProtoInfo* info;
};

Proto* newProto(class Isolate& iso);

}  // namespace sx
