// The JIT at run time: executable memory, compiling a Code to native code, and entering
// native code from the VM.
#include <new>

#include "jit/jit_detail.h"

namespace sx {

namespace {

struct ReasonInfo {
  JitReasonKind kind;
  const char* name;
  const char* text;
};

const ReasonInfo kReasons[] = {
#define X(e, kind, name, text) {JitReasonKind::kind, name, text},
    SX_JIT_REASONS(X)
#undef X
};

void refuse(JitCode& jit, JitReason r, std::string detail) {
  jit.refusal = r;
  jit.refusalDetail = std::move(detail);
  jit.fn = nullptr;
  jit.bytes = nullptr;
  jit.size = 0;
  jit.entries.clear();
  jit.ranges.clear();
}

void compileInto(JitCode& jit, const Code& code) {
  if (code.bytes.size() > kMaxJitBytecode) return refuse(jit, JitReason::CodeTooLarge, std::to_string(code.bytes.size()) + " bytes");
  asmjit::JitRuntime& rt = detail::jitRuntime();
  asmjit::CodeHolder holder;
  holder.init(rt.environment());
  detail::JitLayout layout;
  asmjit::Error err = detail::emitFunction(holder, code, jit, nullptr, layout);
  if (err != asmjit::kErrorOk) return refuse(jit, JitReason::AsmError, asmjit::DebugUtils::errorAsString(err));
  JitCode::Fn fn = nullptr;
  err = rt.add(&fn, &holder);
  if (err != asmjit::kErrorOk) return refuse(jit, JitReason::NoMemory, asmjit::DebugUtils::errorAsString(err));
  jit.fn = fn;
  jit.bytes = reinterpret_cast<const uint8_t*>(fn);
  jit.size = uint32_t(holder.textSection()->buffer().size());
  jit.entries = std::move(layout.entries);
  jit.ranges = std::move(layout.ranges);
}

}  // namespace

JitReasonKind jitReasonKind(JitReason r) { return kReasons[int(r)].kind; }
const char* jitReasonName(JitReason r) { return kReasons[int(r)].name; }
const char* jitReasonText(JitReason r) { return kReasons[int(r)].text; }

namespace detail {

// Never destroyed: Code objects (and their native code) may outlive any static owner.
asmjit::JitRuntime& jitRuntime() {
  static asmjit::JitRuntime* rt = new asmjit::JitRuntime();
  return *rt;
}

}  // namespace detail

JitCode::~JitCode() {
  if (fn) detail::jitRuntime().release(fn);
}

void jitCompile(const Code& code, const std::string& name) {
  if (code.jit) return;
  try {
    auto jit = std::make_shared<JitCode>();
    compileInto(*jit, code);
    code.jit = std::move(jit);
  } catch (const std::bad_alloc&) {
    // No memory for the JIT's own tables: the function runs in the VM.
    auto jit = std::make_shared<JitCode>();
    refuse(*jit, JitReason::NoMemory, "out of memory while compiling " + name);
    code.jit = std::move(jit);
  }
}

void jitRun(Fiber& f, Frame& fr, Value* base, const void* target) {
  detail::JitCtx ctx{&f};
  fr.code->jit->fn(&ctx, &fr, base, target);
}

}  // namespace sx
