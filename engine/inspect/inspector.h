// The inspector interface (DESIGN §8): the only thing the IDE's panels see of the engine.
//
// Everything here is plain data copied out of the engine on its own thread — strings and
// numbers, never a Value or a pointer into the heap — so a panel can keep, compare and
// display it on the GUI thread while the engine keeps running. Commands are asynchronous:
// their results arrive as events. Tests drive the panels with a fake implementation.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "inspect/listings.h"
#include "inspect/source_pos.h"
#include "value/error.h"
#include "value/isolate.h"

namespace sx::inspect {

// ---- snapshots ----------------------------------------------------------------------

struct LocalVar {
  std::string name;
  std::string value;  // printed (readable form, shortened)
};

// A higher-order primitive's loop, from its frame on the fiber (effects/ho.cpp).
struct HoState {
  std::string primitive;  // "map", "filter", "reduce", ...
  std::string function;   // the callback's name
  uint32_t index = 0;     // the item being processed (0-based)
  uint32_t total = 0;     // items in all (index + what is left)
  bool severalLists = false;  // (map f xs ys ...): index counts results
  std::string accumulated;    // what the loop has built so far, printed
  std::string accumulatedLabel;  // what `accumulated` is: "results so far", "accumulator", ...
};

// One frame of a fiber, outermost first in FiberSnapshot::frames.
// Static texts (kind, tier, about) are views of the engine's tables: no copy per frame.
struct FrameSnapshot {
  std::string_view kind;  // the engine's frame kind ("Args", "Ho", "Handlers", ...), or "perform"
  std::string function;   // the function the frame's code belongs to ("" = top level or none)
  std::string_view tier;  // "cek", "vm"; "" for frames without code (loops, handlers)
  std::optional<uint32_t> offset;  // bytecode offset, for tiers that have one
  SourcePos span;
  std::string_view about;  // what a frame of this kind waits for
  std::string note;        // what is particular to this frame (a handler table, a block), or empty
  std::vector<LocalVar> locals;     // the frame's environment: slot name -> value
  std::vector<std::string> values;  // the value stack slice this frame owns, printed
  std::shared_ptr<const HoState> ho;  // Ho frames only
};

// Frames are immutable once taken and shared: between the snapshots at a perform and at
// its resume, between consecutive performs, and with every copy a panel keeps.
using FrameRef = std::shared_ptr<const FrameSnapshot>;

struct FiberSnapshot {
  // Outermost first, with the perform site ("perform") above the frames below the
  // perform: the last at a perform; at a resume, under the frames the resume pushed.
  // A deep stack keeps its outermost and innermost frames, with one "elided" frame
  // between them that counts the rest.
  std::vector<FrameRef> frames;
  uint32_t engineFrames = 0;          // frames on the fiber (without the perform site), elided ones too
  uint32_t stackValues = 0;           // values on the fiber's value stack
};

// Whether the frames below a perform were left exactly as they were: compared field by
// field on the engine's own frames (kind, code, environment, operands, loop state) and
// value stack, between the snapshot at the perform and the one at the resume. Kept as
// counts and names; the words are made when shown (describe()).
struct StackCheck {
  bool made = false;  // the stacks were compared (a resume always compares them)
  bool agrees = false;
  uint32_t framesCompared = 0;
  uint32_t valuesCompared = 0;
  // Frames the resume pushed above the compared ones (a HandlerRun to call an SX
  // handler), and the kinds of the first of them: names from the engine's table.
  uint32_t framesPushed = 0;
  std::array<const char*, 3> pushedKinds{};
  std::string difference;  // what differs, when they disagree

  // What was compared and found: "3 frames and 7 stack values below the perform
  // unchanged; 1 frame pushed by the resume (HandlerRun)", or the difference.
  std::string describe() const;
};

// ---- events --------------------------------------------------------------------------

struct RunStarted {
  uint64_t run = 0;
  std::string label;  // the source's name
  ResolverMode mode = ResolverMode::Inline;
};

struct OutputText {  // println / print / the log op
  uint64_t run = 0;
  std::string text;
};

struct ValuePrinted {  // the value of the run's last form
  uint64_t run = 0;
  std::string text;
};

struct RunError {
  uint64_t run = 0;
  Diagnostic diagnostic;
};

struct RunFinished {
  uint64_t run = 0;
  bool ok = false;
  double elapsedMs = 0;
  uint64_t performs = 0;          // performs the host saw in this run
  uint64_t performsRecorded = 0;  // of those, recorded with snapshots (a per-run limit)
};

enum class Resolver : uint8_t { HostOp, SxHandler };
const char* resolverName(Resolver r);

struct Performed {
  uint64_t run = 0, perform = 0;  // perform ids count from 1 in each EngineHost
  std::string op;
  std::string request;  // the request dict, printed
  ResolverMode mode = ResolverMode::Inline;
  Resolver resolver = Resolver::HostOp;
  FiberSnapshot stack;  // at the perform
};

struct Paused {  // step mode: waiting for resume()
  uint64_t run = 0, perform = 0;
};

// How a suspended perform was answered.
#define SX_RESUME_CHOICES(X)                                              \
  X(Resolver, "resolver", "the op or SX handler answered")                \
  X(Value, "edited value", "the user's value (SX text read by the reader)") \
  X(Abort, "abort", "the run was ended at the perform")                   \
  X(Failed, "op failed", "the op raised an error at the perform")

enum class ResumeChoice : uint8_t {
#define X(e, n, d) e,
  SX_RESUME_CHOICES(X)
#undef X
};
const char* resumeChoiceName(ResumeChoice c);

struct Resumed {
  uint64_t run = 0, perform = 0;
  ResumeChoice how = ResumeChoice::Resolver;
  // The answer, printed; empty when an SX handler runs on the fiber to produce it (it
  // then arrives in HandlerAnswered) or when the run was aborted.
  std::optional<std::string> value;
  double suspendedMs = 0;
  FiberSnapshot stack;  // at the resume
  StackCheck check;
};

// An SX handler started at a resume returned its answer to the perform.
struct HandlerAnswered {
  uint64_t run = 0, perform = 0;
  std::string value;
};

struct Definition {
  std::string name;
  std::string kind;  // "function", "macro", "component", "constructor", "value", "primitive"
  SourcePos span;    // where it is defined (unknown for primitives)
  std::string doc;   // a primitive's one-line doc
};

// The result of checkSource: read and analysed, never run.
struct SourceChecked {
  std::string name;
  uint64_t generation = 0;
  std::vector<Diagnostic> diagnostics;  // reader and analysis errors, in order
  std::vector<SourcePos> performSites;  // calls of perform in the analysed code
  std::vector<Definition> definitions;  // globals the buffer defines
};

// The functions the engine has called or compiled and the tier policy in force: sent
// after every run and on requestFunctions().
struct FunctionsUpdated {
  std::vector<FunctionSummary> functions;
  std::string tier;                       // the isolate's tier ("cek", "vm", "jit")
  std::vector<std::string> jitExclude;    // the jit-exclude! patterns, in order
};

// The answer to requestListing(): the function's bytecode and native code as they are
// now. `error` is set (and `listing` null) when the id names no known function. The
// listing is kept apart so that every event is small to move.
struct ListingReady {
  uint64_t function = 0;
  std::string error;
  std::shared_ptr<const FunctionListing> listing;
};

using Event = std::variant<RunStarted, OutputText, ValuePrinted, RunError, RunFinished, Performed, Paused,
                           Resumed, HandlerAnswered, SourceChecked, FunctionsUpdated, ListingReady>;
// The sink owns each event it is given (moved in): it keeps or hands on the event without
// copying it.
using EventSink = std::function<void(Event&&)>;

// ---- the interface -------------------------------------------------------------------

struct Resume {
  ResumeChoice choice = ResumeChoice::Resolver;  // Resolver, Value or Abort
  std::string valueText;                          // for Value
};

class Inspector {
 public:
  virtual ~Inspector() = default;

  // Events arrive in order, in batches, on a thread of the engine's (a fake may call it on
  // the caller's thread): the sink takes each event over and hands it to its own thread.
  virtual void setEventSink(EventSink sink) = 0;

  // Commands. Runs are queued and run one after another in the one isolate; each
  // returns the id its events carry.
  virtual uint64_t runSource(std::string source, std::string name) = 0;
  virtual uint64_t loadFile(std::string path) = 0;
  // Stops the current run (an "interrupted" error at the next safepoint, or an abort
  // when it is paused).
  virtual void stop() = 0;
  // Applies from the next run on.
  virtual void setResolverMode(ResolverMode mode) = 0;
  virtual ResolverMode resolverMode() const = 0;
  // Answers a paused perform (step mode). A bad value text is reported as a RunError and
  // the perform stays paused.
  virtual void resume(uint64_t perform, Resume how) = 0;
  // Reads and analyses `text` without running it; answered by SourceChecked.
  virtual void checkSource(std::string name, std::string text, uint64_t generation) = 0;

  // Compiled code (the bytecode, native-code and JIT panels): answered by FunctionsUpdated
  // and ListingReady. Listings are made between runs, or while a run is paused.
  virtual void requestFunctions() = 0;
  virtual void requestListing(uint64_t function) = 0;
  // Replaces the jit-exclude! patterns ("name" or "prefix*"): functions that match go
  // back to the CEK, functions that no longer match are compiled again on their next
  // call. Answered by FunctionsUpdated.
  virtual void setJitExclude(std::vector<std::string> patterns) = 0;

  // Queries, answered from the engine's last published copy (any thread).
  virtual std::vector<Definition> definitions() const = 0;
};

}  // namespace sx::inspect
