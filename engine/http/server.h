// The HTTP server: `(http-listen port handler)` and `sx serve` (DESIGN §7).
//
// HTTP/1.1 with keep-alive on Boost.Beast. One isolate per worker thread (default: one
// per core), each loading the project itself; a request runs in its own fiber on one
// worker, driven by the AsyncDriver: in unwind mode a request waiting on IO (the store
// on the IO threads, `sleep` on a timer) lets the worker serve others; in inline mode
// the IO runs in place. Static files come from the project's `static/` folder under
// /static/. Limits: header 16 KiB (431), body 8 MiB (413), idle timeout (408), malformed
// request (400). A handler error answers 500 with the message and the SX stack, and the
// server keeps serving. SIGINT/SIGTERM stop it gracefully: no new connections, the
// requests in flight finish, then run() returns.
//
// Which handler a worker serves: the handler its own load of the project passed to
// http-listen (listen.h: in a worker isolate http-listen records the handler and
// returns, it never starts a server), else the global named by handlerName.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "effects/async_driver.h"
#include "store/store.h"
#include "sx.h"

namespace sx::http {

// What every worker isolate loads: the files in order, then an expression (if any).
struct Project {
  std::vector<std::string> files;
  std::string expr;
  // The file that defines the project's place: its folder holds static/ and .sx-data/.
  std::string entryFile() const { return files.empty() ? std::string() : files.back(); }
};

struct ServeOptions {
  Project project;
  EngineOptions engine;            // resolver mode, tier, depth: for every worker isolate
  std::string handlerName = "handler";
  std::string host = "127.0.0.1";
  uint16_t port = 8080;            // 0 picks a free port
  unsigned workers = 0;            // 0: one per core
  unsigned ioThreads = 2;          // the IO pool (store operations in unwind mode)
  std::string dataDir;             // "": .sx-data/ beside the entry file
  std::shared_ptr<Store> store;    // a store the host already opened, or null: open dataDir
  std::string staticDir;           // "": static/ beside the entry file
  std::chrono::milliseconds idleTimeout{15000};    // a connection with no complete request
  std::chrono::milliseconds shutdownGrace{10000};  // then requests still running are interrupted
  bool handleSignals = true;       // SIGINT/SIGTERM stop the server
};

// One per request, after its response was written (or the connection failed).
struct AccessEvent {
  std::string method;
  std::string path;           // the request target as received
  int status = 0;
  uint64_t micros = 0;        // from the complete request to the response written
  uint32_t ops = 0;           // performs answered by host ops and SX handlers
  uint32_t suspensions = 0;   // of which the fiber suspended (unwind mode)
  unsigned worker = 0;
  uint64_t requestId = 0;     // 0 for requests no handler saw (static files, 4xx)
  std::string error;          // the handler's error message when status is 500
  std::optional<Diagnostic> diagnostic;  // the handler's error with its SX stack, when it raised one
};

// Everything the server reports, as data. Called from worker threads, concurrently:
// the host synchronises.
struct ServerHooks {
  std::function<void(const std::string& url)> listening;
  // A handler is about to run a request (its AccessEvent carries the same id).
  std::function<void(uint64_t requestId, const std::string& method, const std::string& target)> handling;
  std::function<void(const AccessEvent&)> access;
  std::function<void(const SuspensionEvent&)> suspension;  // unset: no events are built
  std::function<void(std::string_view)> output;            // println / print / log
  std::function<void(const std::string&)> error;           // a failure the server survived
  // Sees every perform with its fiber on the worker's thread (async_driver.h); shared by
  // the workers, so it synchronises itself. Must outlive run().
  PerformObserver* observer = nullptr;
};

class Server {
 public:
  Server(ServeOptions options, ServerHooks hooks);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads the project into every worker, listens, and serves until stop() or a signal.
  // Returns "" after a graceful stop, or the reason it could not serve (the project
  // failed to load, the address is in use...).
  std::string run();
  // Any thread: begins a graceful stop (a second call stops at once). While the project
  // is still loading, the load is interrupted and run() returns without serving.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sx::http
