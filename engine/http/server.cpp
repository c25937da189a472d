// The network side of the server, on Boost.Beast/Asio: the acceptor and signals on the
// thread that calls run(), one io_context per worker thread with its connections, and
// the IO pool. Beast is included here only (each file that includes it costs 10-14 s
// and ~700 MB to compile).
#include "http/server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>

#include "http/convert.h"
#include "http/static_files.h"
#include "http/worker.h"
#include "store/store_ops.h"

namespace sx::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using ErrorCode = boost::system::error_code;

// Limits, each answered with its status (STYLE: named, with their cause).
constexpr uint32_t kMaxHeaderBytes = 16 * 1024;        // 431: request line and headers
constexpr uint64_t kMaxBodyBytes = 8 * 1024 * 1024;    // 413
// How often a worker checks its connections' deadlines (the idle timeout's precision).
constexpr auto kSweepInterval = std::chrono::milliseconds(250);
// After a failed accept (out of file descriptors...), wait before accepting again.
constexpr auto kAcceptRetry = std::chrono::milliseconds(50);

class Session;

// One worker thread: its isolate, its io_context and its connections. Members are
// destroyed bottom-up: the thread (joined), the timers, the io_context (which drops
// pending handlers and the connections they hold), then the worker's isolate.
struct WorkerSlot {
  unsigned index = 0;
  std::unique_ptr<HttpWorker> worker;
  std::unordered_set<Session*> sessions;
  bool draining = false;
  bool finished = false;
  asio::io_context ioc{1};
  asio::steady_timer sweeper{ioc};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard;
  std::thread thread;

  void finishIfDrained();
  void sweep();
};

std::string lowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return out;
}

// Headers the server sets itself; a handler's own are dropped.
bool serverOwnedHeader(std::string_view name) {
  std::string n = lowerAscii(name);
  return n == "content-length" || n == "transfer-encoding" || n == "connection";
}

const beast::error_category& parserErrors() { return bhttp::make_error_code(bhttp::error::bad_method).category(); }

// One connection: read a request, answer it (static file, handler, or an error status),
// and read the next one while the client keeps the connection alive.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, WorkerSlot& slot, const ServeOptions& opts, const ServerHooks& hooks, const std::string& staticDir)
      : socket_(std::move(socket)), slot_(slot), opts_(opts), hooks_(hooks), staticDir_(staticDir) {
    slot_.sessions.insert(this);
  }
  ~Session() {
    slot_.sessions.erase(this);
    slot_.finishIfDrained();
  }

  void start() { readRequest(); }

  // From the worker's sweeper: a read or write that outlived the idle timeout.
  void checkDeadline(Clock::time_point now) {
    if (now < deadline_) return;
    if (phase_ == Phase::Reading) {
      timedOut_ = true;
      socket_.cancel();
    } else if (phase_ == Phase::Writing) {
      close();
    }
  }

  // Shutdown: a connection waiting for its next request closes now; one with a request
  // in flight closes after answering it.
  void drain() {
    if (phase_ == Phase::Reading) socket_.cancel();
  }

 private:
  enum class Phase : uint8_t { Reading, Handling, Writing, Closed };

  void readRequest() {
    if (slot_.draining) return close();
    parser_.emplace();
    parser_->header_limit(kMaxHeaderBytes);
    parser_->body_limit(kMaxBodyBytes);
    phase_ = Phase::Reading;
    timedOut_ = false;
    head_ = false;
    method_ = "-";
    target_ = "-";
    deadline_ = Clock::now() + opts_.idleTimeout;
    bhttp::async_read_header(socket_, buffer_, *parser_,
                             [self = shared_from_this()](ErrorCode ec, size_t) { self->onHeader(ec); });
  }

  void onHeader(ErrorCode ec) {
    if (ec) return onReadError(ec);
    auto& req = parser_->get();
    method_ = std::string(req.method_string());
    target_ = std::string(req.target());
    if (parser_->is_done()) return dispatch();
    if (lowerAscii(req[bhttp::field::expect]) == "100-continue") {
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      asio::async_write(socket_, asio::buffer(kContinue), [self = shared_from_this()](ErrorCode e, size_t) {
        if (e) return self->close();
        self->readBody();
      });
      return;
    }
    readBody();
  }

  void readBody() {
    bhttp::async_read(socket_, buffer_, *parser_, [self = shared_from_this()](ErrorCode ec, size_t) {
      if (ec) return self->onReadError(ec);
      self->dispatch();
    });
  }

  // A read that failed: an error status for requests that are wrong, or just close.
  void onReadError(ErrorCode ec) {
    bool partial = buffer_.size() > 0 || (parser_ && parser_->got_some());
    if (ec == asio::error::operation_aborted && timedOut_ && partial) return answerStatus(408);
    if (ec == bhttp::error::header_limit) return answerStatus(431);
    if (ec == bhttp::error::body_limit) return answerStatus(413);
    if (ec.category() == parserErrors() && ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message &&
        ec != bhttp::error::short_read)
      return answerStatus(400);
    close();
  }

  void answerStatus(int status) {
    started_ = Clock::now();
    keepAlive_ = false;
    respond(statusPage(status, "", false));
  }

  void dispatch() {
    phase_ = Phase::Handling;
    deadline_ = Clock::time_point::max();
    started_ = Clock::now();
    auto& req = parser_->get();
    keepAlive_ = req.keep_alive();
    head_ = req.method() == bhttp::verb::head;
    std::string_view target = target_;
    std::string_view path = target.substr(0, target.find('?'));
    if (isStaticPath(path)) {
      bool html = lowerAscii(req[bhttp::field::accept]).find("text/html") != std::string::npos;
      return respond(serveStatic(staticDir_, method_, path, html));
    }
    HttpRequest hr;
    hr.method = method_;
    hr.target = target_;
    hr.headers.reserve(size_t(std::distance(req.begin(), req.end())));
    for (const auto& field : req) hr.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    hr.body = std::move(req.body());
    slot_.worker->handle(std::move(hr), [self = shared_from_this()](HttpResponse&& res) { self->respond(std::move(res)); });
  }

  void respond(HttpResponse&& r) {
    if (phase_ == Phase::Closed) return logAccess(r.status, r);
    res_ = {};
    res_.version(11);
    res_.result(unsigned(r.status));
    res_.set(bhttp::field::server, "sx");
    for (auto& [name, value] : r.headers)
      if (!serverOwnedHeader(name)) res_.insert(name, value);
    res_.keep_alive(keepAlive_ && !slot_.draining);
    if (head_) {
      res_.content_length(r.body.size());
    } else {
      res_.body() = std::move(r.body);
      res_.prepare_payload();
    }
    meta_ = std::move(r);
    phase_ = Phase::Writing;
    deadline_ = Clock::now() + opts_.idleTimeout;
    bhttp::async_write(socket_, res_, [self = shared_from_this()](ErrorCode ec, size_t) { self->onWritten(ec); });
  }

  void onWritten(ErrorCode ec) {
    logAccess(int(res_.result_int()), meta_);
    if (ec || !res_.keep_alive()) {
      ErrorCode ignored;
      socket_.shutdown(tcp::socket::shutdown_send, ignored);
      return close();
    }
    readRequest();
  }

  void logAccess(int status, const HttpResponse& r) {
    if (!hooks_.access) return;
    AccessEvent e;
    e.method = method_;
    e.path = target_;
    e.status = status;
    e.micros = uint64_t(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started_).count());
    e.ops = r.stats.ops;
    e.suspensions = r.stats.suspensions;
    e.worker = slot_.index;
    e.requestId = r.requestId;
    e.error = r.error;
    e.diagnostic = r.diagnostic;
    hooks_.access(e);
  }

  void close() {
    phase_ = Phase::Closed;
    deadline_ = Clock::time_point::max();
    ErrorCode ignored;
    socket_.close(ignored);
  }

  tcp::socket socket_;
  WorkerSlot& slot_;
  const ServeOptions& opts_;
  const ServerHooks& hooks_;
  const std::string& staticDir_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::string_body> res_;
  HttpResponse meta_;  // request id, stats and error of the response being written
  Phase phase_ = Phase::Reading;
  Clock::time_point deadline_ = Clock::time_point::max();
  Clock::time_point started_;
  bool timedOut_ = false;
  bool keepAlive_ = false;
  bool head_ = false;
  std::string method_ = "-", target_ = "-";
};

void WorkerSlot::finishIfDrained() {
  if (!draining || finished || !sessions.empty() || (worker && worker->inFlight() > 0)) return;
  finished = true;
  sweeper.cancel();
  guard.reset();  // run() returns once the last handler ran
}

void WorkerSlot::sweep() {
  sweeper.expires_after(kSweepInterval);
  sweeper.async_wait([this](ErrorCode ec) {
    if (ec || finished) return;  // a wait that fired just before cancel() still runs
    Clock::time_point now = Clock::now();
    for (Session* s : sessions) s->checkDeadline(now);
    sweep();
  });
}

// "http://127.0.0.1:8080/" (IPv6 hosts in brackets).
std::string urlFor(const tcp::endpoint& ep) {
  std::string host = ep.address().to_string();
  if (ep.address().is_v6()) host = "[" + host + "]";
  return "http://" + host + ":" + std::to_string(ep.port()) + "/";
}

std::string folderOf(const std::string& entryFile, const char* name) {
  std::filesystem::path base = entryFile.empty() ? std::filesystem::current_path() : std::filesystem::absolute(entryFile).parent_path();
  return (base / name).string();
}

}  // namespace

struct Server::Impl {
  ServeOptions opts;
  ServerHooks hooks;
  std::string staticDir;
  std::atomic<uint64_t> requestIds{0};
  std::atomic<bool> stopRequested{false};
  std::mutex loadingMutex;
  HttpWorker* loading = nullptr;  // the worker loading the project now (stop() interrupts it)
  asio::io_context main{1};
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::signal_set> signals;
  asio::steady_timer grace{main};
  asio::steady_timer acceptRetry{main};
  std::optional<asio::thread_pool> ioPool;
  std::vector<std::unique_ptr<WorkerSlot>> slots;
  size_t nextSlot = 0;
  unsigned running = 0;
  bool shuttingDown = false;

  std::string run();
  std::string loadWorkers(const std::shared_ptr<Store>& store);
  std::string listen();
  void startWorkers();
  void accept();
  void waitForSignal();
  void beginShutdown();
  void forceStop();
  void onWorkerExit();
  AsyncExecutors executorsFor(WorkerSlot& slot);
};

std::string Server::Impl::loadWorkers(const std::shared_ptr<Store>& store) {
  unsigned n = opts.workers ? opts.workers : std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < n; ++i) {  // one after another: see listen.h
    auto slot = std::make_unique<WorkerSlot>();
    slot->index = i;
    slot->worker = std::make_unique<HttpWorker>(i, opts, store, hooks, requestIds);
    {
      std::lock_guard lock(loadingMutex);
      if (stopRequested) return std::string();
      loading = slot->worker.get();
    }
    std::string error = slot->worker->load();
    {
      std::lock_guard lock(loadingMutex);
      loading = nullptr;
    }
    if (stopRequested) return std::string();
    if (!error.empty()) return error;
    slots.push_back(std::move(slot));
  }
  return std::string();
}

std::string Server::Impl::listen() {
  ErrorCode ec;
  asio::ip::address address = asio::ip::make_address(opts.host, ec);
  if (ec) {
    tcp::resolver resolver(main);
    auto results = resolver.resolve(opts.host, std::to_string(opts.port), ec);
    if (ec || results.empty()) return "cannot resolve the host " + opts.host + ": " + ec.message();
    address = results.begin()->endpoint().address();
  }
  tcp::endpoint ep(address, opts.port);
  acceptor.emplace(main);
  std::string where = opts.host + ":" + std::to_string(opts.port);
  if (acceptor->open(ep.protocol(), ec) || acceptor->set_option(tcp::acceptor::reuse_address(true), ec) ||
      acceptor->bind(ep, ec) || acceptor->listen(asio::socket_base::max_listen_connections, ec))
    return "cannot listen on " + where + ": " + ec.message();
  if (hooks.listening) hooks.listening(urlFor(acceptor->local_endpoint()));
  return std::string();
}

AsyncExecutors Server::Impl::executorsFor(WorkerSlot& slot) {
  AsyncExecutors ex;
  ex.post = [&slot](std::function<void()> task) { asio::post(slot.ioc, std::move(task)); };
  ex.io = [this](std::function<void()> task) { asio::post(*ioPool, std::move(task)); };
  ex.after = [&slot](std::chrono::milliseconds delay, std::function<void()> task) {
    auto timer = std::make_shared<asio::steady_timer>(slot.ioc, delay);
    timer->async_wait([timer, task = std::move(task)](ErrorCode ec) {
      if (!ec) task();
    });
  };
  return ex;
}

void Server::Impl::startWorkers() {
  ioPool.emplace(std::max(1u, opts.ioThreads));
  for (auto& s : slots) {
    WorkerSlot& slot = *s;
    slot.worker->start(executorsFor(slot));
    slot.guard.emplace(slot.ioc.get_executor());
    slot.sweep();
    ++running;
    slot.thread = std::thread([this, &slot] {
      for (;;) {
        try {
          slot.ioc.run();
          break;
        } catch (const std::exception& e) {  // a connection's handler failed: drop it, serve on
          if (hooks.error) hooks.error(std::string("worker ") + std::to_string(slot.index) + ": " + e.what());
        }
      }
      asio::post(main, [this] { onWorkerExit(); });
    });
  }
}

void Server::Impl::accept() {
  WorkerSlot& slot = *slots[nextSlot++ % slots.size()];
  acceptor->async_accept(slot.ioc, [this, &slot](ErrorCode ec, tcp::socket socket) {
    if (shuttingDown || ec == asio::error::operation_aborted) return;
    if (ec) {  // e.g. out of file descriptors: try again shortly
      acceptRetry.expires_after(kAcceptRetry);
      acceptRetry.async_wait([this](ErrorCode e) {
        if (!e && !shuttingDown) accept();
      });
      return;
    }
    ErrorCode ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    asio::post(slot.ioc, [this, &slot, socket = std::move(socket)]() mutable {
      if (slot.draining) return;
      std::make_shared<Session>(std::move(socket), slot, opts, hooks, staticDir)->start();
    });
    accept();
  });
}

void Server::Impl::waitForSignal() {
  signals->async_wait([this](ErrorCode ec, int) {
    if (ec) return;
    if (shuttingDown) return forceStop();
    beginShutdown();
    waitForSignal();
  });
}

void Server::Impl::beginShutdown() {
  if (shuttingDown) return forceStop();
  shuttingDown = true;
  ErrorCode ignored;
  if (acceptor) acceptor->close(ignored);
  acceptRetry.cancel();
  for (auto& s : slots) {
    WorkerSlot& slot = *s;
    asio::post(slot.ioc, [&slot] {
      slot.draining = true;
      for (Session* session : slot.sessions) session->drain();
      slot.finishIfDrained();
    });
  }
  grace.expires_after(opts.shutdownGrace);
  grace.async_wait([this](ErrorCode ec) {
    if (!ec) forceStop();
  });
}

// Requests still running are interrupted at their next safepoint and the loops stop.
void Server::Impl::forceStop() {
  for (auto& s : slots) {
    s->worker->interrupt();
    s->ioc.stop();
  }
}

void Server::Impl::onWorkerExit() {
  if (--running > 0) return;
  grace.cancel();
  if (signals) signals->cancel();
  main.stop();
}

std::string Server::Impl::run() {
  std::string entry = opts.project.entryFile();
  std::shared_ptr<Store> store = opts.store;
  if (!store) store = std::make_shared<Store>(opts.dataDir.empty() ? folderOf(entry, ".sx-data") : opts.dataDir);
  staticDir = opts.staticDir.empty() ? folderOf(entry, "static") : opts.staticDir;
  std::string error = loadWorkers(store);  // a signal during the load ends the process
  if (error.empty() && opts.handleSignals) {  // before the URL is printed
    signals.emplace(main, SIGINT, SIGTERM);
    waitForSignal();
  }
  if (error.empty() && !stopRequested) error = listen();
  if (!error.empty() || stopRequested) return error;
  startWorkers();
  accept();
  for (;;) {
    try {
      main.run();
      break;
    } catch (const std::exception& e) {
      if (hooks.error) hooks.error(std::string("acceptor: ") + e.what());
    }
  }
  for (auto& s : slots) {
    s->thread.join();
    s->finished = true;  // connections destroyed from here on leave the slot alone
  }
  // Completions still queued on this loop (an accept cancelled by the stop holds a socket
  // of a worker's io_context) run now, while the workers' io_contexts exist.
  acceptor.reset();
  main.restart();
  main.poll();
  ioPool->join();
  // Fibers of requests cut off by a forced stop go first, while their connections'
  // io_context and the isolate still exist.
  for (auto& s : slots) s->worker.reset();
  slots.clear();
  return std::string();
}

Server::Server(ServeOptions options, ServerHooks hooks) : impl_(std::make_unique<Impl>()) {
  impl_->opts = std::move(options);
  impl_->hooks = std::move(hooks);
}

Server::~Server() = default;

std::string Server::run() { return impl_->run(); }

void Server::stop() {
  {
    std::lock_guard lock(impl_->loadingMutex);
    impl_->stopRequested = true;
    if (impl_->loading) impl_->loading->interrupt();
  }
  asio::post(impl_->main, [impl = impl_.get()] { impl->beginShutdown(); });
}

}  // namespace sx::http
