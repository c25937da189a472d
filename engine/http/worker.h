// One worker of the server: an isolate that loaded the project, its handler, and the
// AsyncDriver that runs each request in its own fiber. Used only on its worker thread
// (it is created and loaded on the thread that starts the server, before the worker
// thread exists). No Boost here: the server hands it plain requests and executors.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http/server.h"
#include "store/store.h"

namespace sx::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;
  std::string target;  // path and query as received
  Headers headers;     // names as received
  std::string body;
};

struct HttpResponse {
  int status = 200;
  Headers headers;
  std::string body;
  // Filled when a handler ran.
  uint64_t requestId = 0;
  RunStats stats;
  std::string error;  // the handler's error message (500)
  std::optional<Diagnostic> diagnostic;  // the error the handler raised, with its SX stack
};

class HttpWorker {
 public:
  using Reply = std::function<void(HttpResponse&&)>;

  HttpWorker(unsigned index, const ServeOptions& options, std::shared_ptr<Store> store, const ServerHooks& hooks,
             std::atomic<uint64_t>& requestIds);
  ~HttpWorker();
  HttpWorker(const HttpWorker&) = delete;
  HttpWorker& operator=(const HttpWorker&) = delete;

  // Loads the project and finds the handler; "" or the error, formatted for people.
  std::string load();
  // Connects the driver to the worker's executors (before the first request).
  void start(AsyncExecutors executors);
  // Runs the handler on `request` in a new fiber; `reply` is called on this thread,
  // possibly before handle() returns.
  void handle(HttpRequest&& request, Reply reply);
  // Requests whose fiber has not finished.
  size_t inFlight() const;
  // Any thread: running handlers stop at their next safepoint with an error.
  void interrupt();
  unsigned index() const { return index_; }

 private:
  unsigned index_;
  const ServeOptions& options_;
  const ServerHooks& hooks_;
  std::atomic<uint64_t>& requestIds_;
  Engine engine_;
  RootedValues roots_;  // [0] = the handler
  std::unique_ptr<AsyncDriver> driver_;
};

}  // namespace sx::http
