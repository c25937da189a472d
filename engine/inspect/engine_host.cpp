// EngineHost: the API side (any thread) posts commands; the engine thread takes them one
// at a time. Queries are answered from copies the engine thread publishes.
#include "inspect/engine_host.h"

#include <algorithm>
#include <thread>

#include "cek/analyzer.h"
#include "effects/runtime.h"
#include "inspect/code_listing.h"
#include "inspect/host_core.h"
#include "inspect/source_index.h"
#include "reader/reader.h"
#include "stdlib/native.h"
#include "value/dict.h"
#include "vm/tier.h"

namespace sx::inspect {

const char* resolverName(Resolver r) { return r == Resolver::HostOp ? "host op" : "SX handler"; }

const char* resumeChoiceName(ResumeChoice c) {
  switch (c) {
#define X(e, n, d) \
  case ResumeChoice::e: return n;
    SX_RESUME_CHOICES(X)
#undef X
  }
  return "?";
}

namespace detail {

namespace {

// Routes the engine's inline calls of a host op through HostCore::callOp.
struct OpRecorder {
  HostCore* core;
  std::string name;
  OpFn inner;
  Value operator()(Isolate& iso, Value args) const { return core->callOp(name, inner, iso, args); }
};

EngineOptions engineOptions(const HostOptions& o) {
  EngineOptions e;
  e.maxDepth = o.maxDepth;
  e.tier = o.tier;
  return e;
}

}  // namespace

HostCore::HostCore(HostOptions options) : opts_(options), engine_(engineOptions(options)) {}
HostCore::~HostCore() = default;

void HostCore::post(Command c) {
  {
    std::lock_guard<std::mutex> lock(queueMutex_);
    // A newer check of a buffer replaces one still waiting (edits during a long run).
    if (c.kind == Command::Kind::Check)
      std::erase_if(queue_, [&](const Command& q) { return q.kind == Command::Kind::Check && q.name == c.name; });
    queue_.push_back(std::move(c));
  }
  queueReady_.notify_one();
}

void HostCore::quit() {
  quitting_.store(true);
  interrupt();
  post(Command{Command::Kind::Quit});
}

void HostCore::interrupt() { engine_.interrupt(); }

void HostCore::setSink(EventSink sink) {
  std::lock_guard<std::mutex> lock(sinkMutex_);
  sink_ = std::move(sink);
}

void HostCore::emit(Event e) {
  bool now = std::holds_alternative<RunStarted>(e);  // the IDE shows the run as going at once
  bool first;
  {
    std::lock_guard<std::mutex> lock(batchMutex_);
    first = batch_.empty();
    batch_.push_back(std::move(e));
  }
  if (now)
    flush();
  else if (first)
    batchStarted_.notify_one();
}

void HostCore::flush() {
  std::lock_guard<std::mutex> sinkLock(sinkMutex_);
  {
    std::lock_guard<std::mutex> lock(batchMutex_);
    handing_.swap(batch_);
  }
  if (sink_)
    for (Event& e : handing_) sink_(std::move(e));
  handing_.clear();
}

// The delivery thread: a batch waits at most kFlushEvery (output of a long run, its
// performs) before it reaches the sink.
void HostCore::deliveryLoop() {
  std::unique_lock<std::mutex> lock(batchMutex_);
  while (delivering_) {
    batchStarted_.wait(lock, [&] { return !batch_.empty() || !delivering_; });
    if (!delivering_) break;
    batchStarted_.wait_for(lock, kFlushEvery, [&] { return !delivering_; });
    lock.unlock();
    flush();
    lock.lock();
  }
}

std::vector<Definition> HostCore::definitions() const {
  std::vector<Definition> out;
  {
    std::lock_guard<std::mutex> lock(defsMutex_);
    out.reserve(published_.size());
    for (const PublishedGlobal& g : published_) {
      Definition d;
      d.name = g.name;
      d.kind = g.kind;
      if (g.source) d.span = g.source->span;
      if (g.doc) d.doc = g.doc;
      out.push_back(std::move(d));
    }
  }
  std::sort(out.begin(), out.end(), [](const Definition& a, const Definition& b) { return a.name < b.name; });
  return out;
}

Command HostCore::take() {
  flush();  // all that happened before the engine thread waits
  std::unique_lock<std::mutex> lock(queueMutex_);
  queueReady_.wait(lock, [&] { return !queue_.empty() || quitting_.load(); });
  if (quitting_.load()) return Command{Command::Kind::Quit};
  Command c = std::move(queue_.front());
  queue_.pop_front();
  return c;
}

void HostCore::threadMain() {
  std::thread delivery([this] { deliveryLoop(); });
  struct StopDelivery {
    HostCore& core;
    std::thread& thread;
    ~StopDelivery() {
      {
        std::lock_guard<std::mutex> lock(core.batchMutex_);
        core.delivering_ = false;
      }
      core.batchStarted_.notify_all();
      thread.join();
      core.flush();
    }
  } stop{*this, delivery};
  try {
    setUpIsolate();
  } catch (const std::exception& e) {
    Diagnostic d;
    d.message = std::string("the inspector could not set up the engine: ") + e.what();
    emit(RunError{0, d});
  }
  for (;;) {
    Command c = take();
    if (c.kind == Command::Kind::Quit) return;
    try {
      handleIdle(c);
    } catch (const std::exception& e) {  // an engine invariant failed outside any fiber
      run_ = nullptr;
      current_ = nullptr;
      Diagnostic d;
      d.message = std::string("internal error in the inspector host: ") + e.what();
      emit(RunError{c.id, d});
      if (c.kind == Command::Kind::Run || c.kind == Command::Kind::Load) emit(RunFinished{c.id, false, 0, 0, 0});
    }
  }
}

void HostCore::setUpIsolate() {
  Isolate& iso = engine_.isolate();
  if (opts_.mockOps) engine_.installTestMockOps();
  runtime(iso).handlerAnswered = [this](int64_t perform, Value v) { handlerAnswered(uint64_t(perform), v); };
  engine_.setOutput([this](std::string_view text) { emit(OutputText{run_ ? run_->id : 0, std::string(text)}); });
  scratchFile_ = iso.addSource("<check>", "");
  keptRoots_ = std::make_unique<RootedValues>(iso);
  indexPrelude();
  publishDefinitions();
}

// Engine's ops answer inline performs directly; each one not wrapped yet (ops can be
// registered at any time) is wrapped so the host sees the call.
void HostCore::wrapOps() {
  for (auto& [name, fn] : opTable(engine_.isolate()).ops)
    if (!fn.target<OpRecorder>()) fn = OpRecorder{this, name, fn};
}

void HostCore::indexPrelude() {
  Isolate& iso = engine_.isolate();
  uint32_t file = runtime(iso).preludeFile;
  const SourceFile* sf = iso.source(file);
  if (!sf) return;
  ReadResult rr = readAll(iso, sf->text, file);
  RootedValues roots(iso);
  for (const Datum& d : rr.data) roots.push(d.value);
  std::vector<Definition> defs;
  for (const Datum& d : rr.data) {
    try {
      collectFromProto(iso, analyzeToplevel(iso, d.value, d.span), nullptr, &defs, nullptr);
    } catch (const std::exception&) {
      // The prelude loaded without errors; a form that cannot be analysed again simply
      // contributes no definition spans.
    }
  }
  for (Definition& d : defs) keepSourceDefinition(std::move(d));
}

void HostCore::keepSourceDefinition(Definition d) {
  auto kept = std::make_shared<const Definition>(std::move(d));
  sourceDefs_[kept->name] = kept;
}

// After every run: what is defined now, as cheaply as the engine thread can note it.
void HostCore::publishDefinitions() {
  Isolate& iso = engine_.isolate();
  std::vector<PublishedGlobal> out;
  iso.forEachGlobal([&](std::string_view name, Value v) {
    auto it = sourceDefs_.find(name);
    out.push_back(PublishedGlobal{std::string(name), globalKind(v), isNative(v) ? as<Native>(v)->def->doc : nullptr,
                                  it != sourceDefs_.end() ? it->second : nullptr});
  });
  std::lock_guard<std::mutex> lock(defsMutex_);
  published_ = std::move(out);
}

void HostCore::rejectRun(const Command& c, ErrorCode code, const std::string& why) {
  emit(RunStarted{c.id, c.name, mode.load()});
  Diagnostic d;
  d.code = code;
  d.message = why;
  emit(RunError{c.id, d});
  emit(RunFinished{c.id, false, 0, 0, 0});
}

bool HostCore::handleQuery(const Command& c) {
  Isolate& iso = engine_.isolate();
  switch (c.kind) {
    case Command::Kind::Check: emit(checkBuffer(iso, scratchFile_, c.name, c.text, c.id)); return true;
    case Command::Kind::Functions: emit(summarizeFunctions(iso, kept_)); return true;
    case Command::Kind::Listing: emit(listFunction(iso, kept_, c.id)); return true;
    case Command::Kind::Exclude: {
      std::vector<std::string> patterns;
      size_t start = 0;
      while (start < c.text.size()) {
        size_t end = c.text.find('\n', start);
        if (end == std::string::npos) end = c.text.size();
        if (end > start) patterns.push_back(c.text.substr(start, end - start));
        start = end + 1;
      }
      replaceJitExclude(iso, patterns);
      emit(summarizeFunctions(iso, kept_));
      return true;
    }
    default: return false;
  }
}

// A top-level form that made lambdas: they may be called by any later run.
void HostCore::keepToplevel(Proto* p) {
  if (p->info->children.empty()) return;
  keptRoots_->push(Value::object(p));
  kept_.push_back(p);
}

// A run of a source read before (the IDE runs a file again and again) replaces that
// source's kept forms: their functions are listed, and kept alive, once, not once a run.
void HostCore::forgetEarlierRuns(const std::string& name) {
  Isolate& iso = engine_.isolate();
  auto earlier = [&](const Proto* p) {
    const SourceFile* sf = iso.source(p->info->span.file);
    return sf && sf->name == name;
  };
  std::erase_if(kept_, earlier);
  std::erase_if(keptRoots_->values, [&](Value v) { return earlier(as<Proto>(v)); });
}

void HostCore::handleIdle(Command& c) {
  if (c.kind == Command::Kind::Check) engine_.isolate().interrupt.store(false);  // a stop meant for an earlier run
  if (handleQuery(c)) return;
  switch (c.kind) {
    case Command::Kind::Run: runText(c.id, c.text, c.name); break;
    case Command::Kind::Load: loadPath(c.id, c.name); break;
    case Command::Kind::Resume: {
      Diagnostic d;
      d.code = ErrorCode::Internal;
      d.message = "resume: perform #" + std::to_string(c.id) + " is not paused";
      emit(RunError{0, d});
      break;
    }
    case Command::Kind::Stop:  // nothing is running: the stop is spent
      engine_.isolate().interrupt.store(false);
      break;
    default:
      break;
  }
}

void HostCore::handlerAnswered(uint64_t perform, Value v) {
  emit(HandlerAnswered{run_ ? run_->id : 0, perform, printShort(engine_.isolate(), v)});
}

}  // namespace detail

// ---- EngineHost ----------------------------------------------------------------------

struct EngineHost::Impl {
  explicit Impl(HostOptions o) : core(o) {}
  detail::HostCore core;
  std::thread thread;
};

EngineHost::EngineHost(HostOptions options) : impl_(std::make_unique<Impl>(options)) {
  impl_->thread = std::thread([core = &impl_->core] { core->threadMain(); });
}

EngineHost::~EngineHost() {
  impl_->core.quit();
  impl_->thread.join();
}

void EngineHost::setEventSink(EventSink sink) { impl_->core.setSink(std::move(sink)); }

uint64_t EngineHost::runSource(std::string source, std::string name) {
  uint64_t id = ++impl_->core.lastRunId;
  impl_->core.post({detail::Command::Kind::Run, id, std::move(source), std::move(name), {}});
  return id;
}

uint64_t EngineHost::loadFile(std::string path) {
  uint64_t id = ++impl_->core.lastRunId;
  impl_->core.post({detail::Command::Kind::Load, id, {}, std::move(path), {}});
  return id;
}

void EngineHost::stop() {
  impl_->core.interrupt();
  impl_->core.post({detail::Command::Kind::Stop});
}

void EngineHost::setResolverMode(ResolverMode mode) { impl_->core.mode.store(mode); }
ResolverMode EngineHost::resolverMode() const { return impl_->core.mode.load(); }

void EngineHost::resume(uint64_t perform, Resume how) {
  impl_->core.post({detail::Command::Kind::Resume, perform, {}, {}, std::move(how)});
}

void EngineHost::checkSource(std::string name, std::string text, uint64_t generation) {
  impl_->core.post({detail::Command::Kind::Check, generation, std::move(text), std::move(name), {}});
}

void EngineHost::requestFunctions() { impl_->core.post({detail::Command::Kind::Functions}); }

void EngineHost::requestListing(uint64_t function) {
  impl_->core.post({detail::Command::Kind::Listing, function, {}, {}, {}});
}

void EngineHost::setJitExclude(std::vector<std::string> patterns) {
  std::string text;
  for (const std::string& p : patterns) {
    if (p.empty() || p.find('\n') != std::string::npos) continue;
    text += p + "\n";
  }
  impl_->core.post({detail::Command::Kind::Exclude, 0, std::move(text), {}, {}});
}

std::vector<Definition> EngineHost::definitions() const { return impl_->core.definitions(); }

}  // namespace sx::inspect
