#include "inspect/preview_host.h"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "http/server.h"
#include "inspect/snapshot.h"

namespace sx::inspect {

namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kMaxPrintedRequest = 400;
constexpr size_t kMaxPrintedAnswer = 200;

// Records every perform of one server session with its fiber's stack (worker threads,
// concurrently: one lock around the bookkeeping; snapshots are taken outside it, on the
// fiber's own thread).
class Recorder final : public PerformObserver {
 public:
  Recorder(uint64_t session, uint32_t maxPerRequest, bool step, std::atomic<uint64_t>& performIds, std::function<void(PreviewEvent)> emit)
      : session_(session), maxPerRequest_(maxPerRequest), step_(step), performIds_(performIds), emit_(std::move(emit)) {}

  // Step mode: every recorded perform waits for resume().
  bool holdAt(uint64_t token, HeldResume resume) override {
    if (!step_) return false;
    uint64_t request = 0;
    {
      std::lock_guard lock(mutex_);
      if (closed_) return false;
      auto it = pending_.find(token);
      if (it == pending_.end()) return false;
      request = it->second.request;
      held_[token] = std::move(resume);
    }
    emit_(PreviewPaused{session_, request, token, {}});
    return true;
  }

  void heldRejected(uint64_t token, const std::string& why) override {
    uint64_t request = 0;
    {
      std::lock_guard lock(mutex_);
      auto it = pending_.find(token);
      if (it != pending_.end()) request = it->second.request;
    }
    emit_(PreviewPaused{session_, request, token, why});
  }

  // Any thread: answers a held perform (false when it is not held).
  bool resume(uint64_t perform, const Resume& how) {
    std::lock_guard lock(mutex_);
    auto it = held_.find(perform);
    if (closed_ || it == held_.end()) return false;
    HeldAnswer answer = how.choice == ResumeChoice::Value ? HeldAnswer::Value
                        : how.choice == ResumeChoice::Abort ? HeldAnswer::Abort
                                                           : HeldAnswer::Resolver;
    choices_[perform] = how.choice;
    it->second(answer, how.valueText);  // posts to the worker: never runs the engine here
    return true;
  }

  // The server is stopping: held performs can no longer be answered.
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    held_.clear();
  }

  uint64_t atPerform(Fiber& f, uint64_t runId, const std::string& op, const std::string& request, ResolverMode mode,
                     bool sxHandler) override {
    Performed p;
    {
      std::lock_guard lock(mutex_);
      std::vector<uint64_t>& mine = byRequest_[runId];
      if (mine.size() >= maxPerRequest_) return 0;
      p.perform = ++performIds_;
      mine.push_back(p.perform);
    }
    // The fiber is walked on its own thread, outside the lock.
    detail::SnapshotCache& cache = snapshotCache();
    detail::RawStack raw = cache.capture(f);
    p.run = runId;
    p.op = op;
    p.request = request.size() > kMaxPrintedRequest ? request.substr(0, kMaxPrintedRequest) + "…" : request;
    p.mode = mode;
    p.resolver = sxHandler ? Resolver::SxHandler : Resolver::HostOp;
    p.stack = detail::snapshotFiber(f, &cache);
    raw.site = p.stack.frames.back();
    uint64_t id = p.perform;
    {
      std::lock_guard lock(mutex_);
      pending_.emplace(id, Pending{runId, std::move(raw)});
    }
    emit_(PreviewPerform{session_, std::move(p)});
    return id;
  }

  void atResume(Fiber& f, uint64_t runId, uint64_t token, const Answer& answer) override {
    if (token == 0) return;  // past the per-request limit
    detail::RawStack raw;
    std::optional<ResumeChoice> choice;  // the user's, for a held perform
    {
      std::lock_guard lock(mutex_);
      auto it = pending_.find(token);
      if (it == pending_.end()) return;
      raw = std::move(it->second.raw);
      pending_.erase(it);
      held_.erase(token);
      if (auto c = choices_.find(token); c != choices_.end()) {
        choice = c->second;
        choices_.erase(c);
      }
    }
    Resumed r;
    r.run = runId;
    r.perform = token;
    r.how = choice && *choice != ResumeChoice::Resolver ? *choice : answer.failed ? ResumeChoice::Failed : ResumeChoice::Resolver;
    if (answer.value) r.value = detail::printShort(f.iso, *answer.value, kMaxPrintedAnswer);
    else if (answer.failed) r.value = answer.error;
    r.suspendedMs = double(answer.micros) / 1000.0;
    detail::SnapshotCache& cache = snapshotCache();
    r.stack = detail::snapshotResumed(f, raw, &cache);
    r.check = detail::compareStacks(raw, f);
    cache.release(std::move(raw));
    emit_(PreviewResume{session_, std::move(r)});
  }

  // The perform ids a finished request made (and forgets them).
  std::vector<uint64_t> takeRequest(uint64_t runId) {
    std::lock_guard lock(mutex_);
    auto it = byRequest_.find(runId);
    if (it == byRequest_.end()) return {};
    std::vector<uint64_t> ids = std::move(it->second);
    byRequest_.erase(it);
    return ids;
  }

 private:
  struct Pending {
    uint64_t request = 0;
    detail::RawStack raw;  // at the perform, compared at the resume
  };

  // The calling worker's own cache: frames are shared between the stacks it records.
  detail::SnapshotCache& snapshotCache() {
    std::lock_guard lock(mutex_);
    return caches_[std::this_thread::get_id()];
  }

  uint64_t session_;
  uint32_t maxPerRequest_;
  bool step_;
  std::atomic<uint64_t>& performIds_;
  std::function<void(PreviewEvent)> emit_;
  std::mutex mutex_;
  std::unordered_map<uint64_t, std::vector<uint64_t>> byRequest_;
  std::map<uint64_t, Pending> pending_;
  std::map<uint64_t, HeldResume> held_;
  std::map<uint64_t, ResumeChoice> choices_;  // how held performs were answered
  std::unordered_map<std::thread::id, detail::SnapshotCache> caches_;  // by worker thread
  bool closed_ = false;
};

}  // namespace

struct PreviewHost::Impl {
  PreviewOptions opts;

  std::mutex sinkMutex;
  PreviewEventSink sink;

  // Commands come from one thread at a time (the GUI's); this lock keeps them whole.
  mutable std::mutex controlMutex;
  std::optional<PreviewConfig> last;
  ResolverMode mode = ResolverMode::Inline;
  uint64_t session = 0;
  std::atomic<uint64_t> performIds{0};
  std::unique_ptr<Recorder> recorder;
  std::unique_ptr<http::Server> server;
  std::thread thread;
  std::atomic<bool> serving{false};

  void emit(PreviewEvent e) {
    std::lock_guard lock(sinkMutex);
    if (sink) sink(std::move(e));
  }
  void startLocked(PreviewConfig config);
  void stopLocked();
};

namespace {

// "" when the project can be served, else why not (checked before a thread starts).
std::string checkConfig(const PreviewConfig& c) {
  if (c.files.empty()) return "the project has no .sx files to serve";
  for (const std::string& f : c.files) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(f, ec)) return "cannot read " + f + ": no such file";
  }
  return std::string();
}

}  // namespace

void PreviewHost::Impl::startLocked(PreviewConfig config) {
  stopLocked();
  uint64_t id = ++session;
  last = config;
  mode = config.mode;
  if (std::string why = checkConfig(config); !why.empty()) {
    emit(PreviewStopped{id, why});
    return;
  }
  bool step = mode == ResolverMode::Step;
  ResolverMode served = step ? ResolverMode::Unwind : mode;  // the engine's mode
  ResolverMode requested = mode;

  http::ServeOptions so;
  so.project.files = config.files;
  so.engine.mode = served;
  so.engine.tier = config.tier;
  so.port = config.port;
  so.workers = 1;
  so.ioThreads = 1;
  so.handleSignals = false;  // the IDE's signals are its own
  so.shutdownGrace = opts.shutdownGrace;
  std::filesystem::path root = config.root.empty() ? std::filesystem::path(config.files.back()).parent_path() : std::filesystem::path(config.root);
  so.staticDir = (root / "static").string();
  so.dataDir = config.dataDir.empty() ? (root / ".sx-data").string() : config.dataDir;

  recorder = std::make_unique<Recorder>(id, opts.maxRecordedPerforms, step, performIds, [this](PreviewEvent e) { emit(std::move(e)); });
  Recorder* rec = recorder.get();
  http::ServerHooks hooks;
  hooks.listening = [this, id, requested](const std::string& url) {
    uint16_t port = 0;
    size_t colon = url.rfind(':');
    if (colon != std::string::npos) port = uint16_t(std::strtoul(url.c_str() + colon + 1, nullptr, 10));
    emit(PreviewStarted{id, url, port, requested, requested});
  };
  hooks.handling = [this, id](uint64_t request, const std::string& method, const std::string& target) {
    emit(HttpRequestStarted{id, request, method, target});
  };
  hooks.access = [this, id, rec](const http::AccessEvent& a) {
    HttpRequestRecord r;
    r.session = id;
    r.request = a.requestId;
    r.method = a.method;
    r.path = a.path;
    r.status = a.status;
    r.elapsedMs = double(a.micros) / 1000.0;
    r.ops = a.ops;
    r.suspensions = a.suspensions;
    r.error = a.error;
    r.diagnostic = a.diagnostic;
    if (a.requestId) r.performs = rec->takeRequest(a.requestId);
    emit(std::move(r));
  };
  hooks.output = [this, id](std::string_view text) { emit(PreviewOutput{id, std::string(text)}); };
  hooks.error = [this, id](const std::string& what) { emit(PreviewOutput{id, "server: " + what + "\n"}); };
  hooks.observer = rec;

  server = std::make_unique<http::Server>(std::move(so), std::move(hooks));
  serving = true;
  thread = std::thread([this, id, srv = server.get()] {
    std::string error;
    try {
      error = srv->run();
    } catch (const std::exception& e) {  // e.g. the store cannot be opened
      error = e.what();
      if (error.empty()) error = "the server failed";
    }
    serving = false;
    emit(PreviewStopped{id, error});
  });
}

void PreviewHost::Impl::stopLocked() {
  if (!server) return;
  recorder->close();  // before the workers go: their executors die with them
  server->stop();
  thread.join();
  server.reset();
  recorder.reset();
}

PreviewHost::PreviewHost(PreviewOptions options) : impl_(std::make_unique<Impl>()) { impl_->opts = options; }

PreviewHost::~PreviewHost() {
  setEventSink(nullptr);
  std::lock_guard lock(impl_->controlMutex);
  impl_->stopLocked();
}

void PreviewHost::setEventSink(PreviewEventSink sink) {
  std::lock_guard lock(impl_->sinkMutex);
  impl_->sink = std::move(sink);
}

void PreviewHost::start(PreviewConfig config) {
  std::lock_guard lock(impl_->controlMutex);
  impl_->startLocked(std::move(config));
}

void PreviewHost::stop() {
  std::lock_guard lock(impl_->controlMutex);
  impl_->stopLocked();
}

void PreviewHost::reload() {
  std::lock_guard lock(impl_->controlMutex);
  if (impl_->last) impl_->startLocked(*impl_->last);
}

void PreviewHost::setResolverMode(ResolverMode mode) {
  std::lock_guard lock(impl_->controlMutex);
  if (impl_->mode == mode) return;
  impl_->mode = mode;
  if (impl_->last) impl_->last->mode = mode;
  if (impl_->server && impl_->serving) impl_->startLocked(*impl_->last);
}

void PreviewHost::resume(uint64_t perform, Resume how) {
  std::lock_guard lock(impl_->controlMutex);
  if (impl_->recorder) impl_->recorder->resume(perform, how);
}

bool PreviewHost::running() const { return impl_->serving; }

}  // namespace sx::inspect
