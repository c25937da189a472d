// EngineHost's internals: the command queue shared with the API side, and the engine
// thread's state. engine_host.cpp has the thread loop, commands and queries;
// run_driver.cpp runs sources and drives fibers through their performs.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "effects/run.h"
#include "inspect/engine_host.h"
#include "inspect/snapshot.h"
#include "sx.h"

namespace sx::inspect::detail {

using Clock = std::chrono::steady_clock;

struct Command {
  enum class Kind : uint8_t { Run, Load, Resume, Check, Stop, Quit, Functions, Listing, Exclude };
  Kind kind = Kind::Stop;
  uint64_t id = 0;  // Run/Load: the run id; Resume: the perform id; Check: the generation;
                   // Listing: the function
  std::string text;  // Run: the source; Check: the buffer; Exclude: the patterns, one a line
  std::string name;  // Run/Check: the source's name; Load: the path
  Resume resume;
};

// One run in progress (engine thread).
struct RunState {
  uint64_t id = 0;
  ResolverMode mode = ResolverMode::Inline;
  Clock::time_point started;
  uint64_t performs = 0;
  uint64_t recorded = 0;
  SnapshotCache snapshots;  // frames shared between the run's recorded stacks
};

class HostCore {
 public:
  explicit HostCore(HostOptions options);
  ~HostCore();

  // ---- any thread ----
  void post(Command c);
  void quit();
  void interrupt();
  void setSink(EventSink sink);
  std::vector<Definition> definitions() const;
  std::atomic<ResolverMode> mode{ResolverMode::Inline};
  std::atomic<uint64_t> lastRunId{0};

  // ---- engine thread ----
  void threadMain();
  // Called by the runtime's handler-answer hook and op wrappers (engine thread, inside a run).
  void handlerAnswered(uint64_t perform, Value v);
  Value callOp(const std::string& name, const OpFn& op, Isolate& iso, Value args);

 private:
  // engine_host.cpp
  Command take();
  void setUpIsolate();
  void wrapOps();
  void indexPrelude();
  void keepSourceDefinition(Definition d);
  void publishDefinitions();
  void handleIdle(Command& c);
  void rejectRun(const Command& c, ErrorCode code, const std::string& why);
  // Commands answered the same way idle or paused: checks and the compiled-code queries.
  bool handleQuery(const Command& c);
  void keepToplevel(Proto* p);
  void forgetEarlierRuns(const std::string& name);
  // Events are delivered in batches: the sink is called for everything emitted when a run
  // starts, when the engine thread is about to wait for a command (a run ended, a step
  // pause), and by the delivery thread kFlushEvery after the first event of a batch. A GUI thread is then
  // woken once per batch, not once per event (which cost a recorded perform more than
  // taking its two snapshots).
  void emit(Event e);
  void flush();
  void deliveryLoop();

  // run_driver.cpp
  void runText(uint64_t id, const std::string& text, const std::string& name);
  void loadPath(uint64_t id, const std::string& path);
  bool evaluate(const std::string& text, const std::string& name, RunState& rs);
  RunStatus drive(Fiber& f, RunState& rs);
  bool handleSuspension(Fiber& f, RunState& rs);
  bool answerUnrecorded(Fiber& f);
  void emitPerformed(Fiber& f, RunState& rs, uint64_t perform, RawStack& raw);
  Resume waitForResume(uint64_t perform);
  std::optional<Value> readResumeValue(const std::string& text, RunState& rs);
  void answer(Fiber& f, const Resume& how, uint64_t perform, const RawStack* raw, Resumed& ev);
  Value callHostOp(Isolate& iso, const std::string& op, Value args);
  void finishResume(Fiber& f, const RawStack& raw, Resumed& ev);

  HostOptions opts_;
  Engine engine_;

  mutable std::mutex queueMutex_;
  std::condition_variable queueReady_;
  std::deque<Command> queue_;
  std::atomic<bool> quitting_{false};

  static constexpr auto kFlushEvery = std::chrono::milliseconds(16);  // a frame of the GUI
  std::mutex batchMutex_;
  std::condition_variable batchStarted_;
  std::vector<Event> batch_;
  bool delivering_ = true;  // until the engine thread ends
  std::mutex sinkMutex_;    // taken before batchMutex_: batches reach the sink in order
  EventSink sink_;
  // The batch being handed to the sink (under sinkMutex_); emptied, it becomes the next
  // batch_, so the engine thread fills storage that has grown already.
  std::vector<Event> handing_;

  // A defined global as of the end of the last run; definitions() makes Definitions of
  // them when asked, so a run costs no more than a copy of the names.
  struct PublishedGlobal {
    std::string name;
    const char* kind;  // globalKind's
    const char* doc;   // a primitive's, or null
    std::shared_ptr<const Definition> source;  // its entry in sourceDefs_, or null
  };
  mutable std::mutex defsMutex_;
  std::vector<PublishedGlobal> published_;

  // Engine thread only. The latest definition read from source of each global; shared
  // with published_, so an entry is replaced, never changed.
  std::map<std::string, std::shared_ptr<const Definition>, std::less<>> sourceDefs_;
  // Top-level forms whose lambdas ran or were compiled, kept (rooted) so the compiled-code
  // panels can list anonymous functions too.
  std::unique_ptr<RootedValues> keptRoots_;
  std::vector<Proto*> kept_;
  uint32_t scratchFile_ = 0;
  RunState* run_ = nullptr;
  Fiber* current_ = nullptr;
  bool driverCallingOp_ = false;
  uint64_t performIds_ = 0;
  std::optional<uint64_t> pausedAt_;
};

}  // namespace sx::inspect::detail
