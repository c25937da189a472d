#include "http/worker.h"

#include <fstream>
#include <sstream>

#include "effects/run.h"
#include "http/convert.h"
#include "http/listen.h"
#include "store/store_ops.h"

namespace sx::http {

namespace {

// read-file as an async op: in unwind mode the file is read on an IO thread.
void registerAsyncReadFile(Isolate& iso) {
  registerAsyncOp(iso, "read-file", [](Isolate&, Value args) {
    if (!isPair(args) || !isString(car(args))) throw SxError(ErrorCode::Type, "read-file: expected a path string");
    std::string path(strView(car(args)));
    return makeIoJob<std::string>(
        [path] {
          std::ifstream in(path, std::ios::binary);
          if (!in) throw std::runtime_error("read-file: cannot open " + path);
          std::ostringstream ss;
          ss << in.rdbuf();
          return ss.str();
        },
        [](Isolate& i, Value, std::string& text) { return i.str(text); });
  });
}

}  // namespace

HttpWorker::HttpWorker(unsigned index, const ServeOptions& options, std::shared_ptr<Store> store,
                       const ServerHooks& hooks, std::atomic<uint64_t>& requestIds)
    : index_(index),
      options_(options),
      hooks_(hooks),
      requestIds_(requestIds),
      engine_(options.engine),
      roots_(engine_.isolate()) {
  Isolate& iso = engine_.isolate();
  roots_.push(Value::nil());  // the handler, once found
  if (hooks_.output) engine_.setOutput(hooks_.output);
  installStoreOps(iso, std::move(store));
  registerSleepOp(iso);
  registerAsyncReadFile(iso);
  installWorkerListen(iso, [this](Value handler) { roots_.values[0] = handler; });
}

HttpWorker::~HttpWorker() {
  driver_.reset();  // frees the fibers of requests still in flight, while the isolate lives
}

std::string HttpWorker::load() {
  const Project& p = options_.project;
  for (const std::string& file : p.files) {
    EvalResult r = engine_.loadFile(file);
    if (!r.ok) return Engine::formatDiagnostic(r.error);
  }
  if (!p.expr.empty()) {
    EvalResult r = engine_.evalString(p.expr, "<eval>");
    if (!r.ok) return Engine::formatDiagnostic(r.error);
  }
  if (roots_.values[0].isNil()) {
    Value global = engine_.isolate().globalValue(options_.handlerName);
    if (!global.isUnbound()) roots_.values[0] = global;
  }
  Value h = roots_.values[0];
  std::string where = p.entryFile().empty() ? std::string("the program") : p.entryFile();
  if (h.isNil()) return where + " defines no `" + options_.handlerName + "` and does not call http-listen";
  if (!isCallable(h)) return "`" + options_.handlerName + "` in " + where + " is not a function";
  return std::string();
}

void HttpWorker::start(AsyncExecutors executors) {
  driver_ = std::make_unique<AsyncDriver>(engine_.isolate(), std::move(executors));
  if (hooks_.suspension) driver_->setSink(hooks_.suspension);
  if (hooks_.observer) driver_->setObserver(hooks_.observer);
}

size_t HttpWorker::inFlight() const { return driver_ ? driver_->inFlight() : 0; }

void HttpWorker::interrupt() { engine_.interrupt(); }

void HttpWorker::handle(HttpRequest&& request, Reply reply) {
  Isolate& iso = engine_.isolate();
  uint64_t id = ++requestIds_;
  if (hooks_.handling) hooks_.handling(id, request.method, request.target);
  bool html = acceptsHtml(request);
  // No safepoint between building the dict and handing it to the fiber.
  auto fiber = std::make_unique<Fiber>(iso);
  startCall(*fiber, roots_.values[0], {requestDict(iso, request)});
  driver_->drive(std::move(fiber), id, [&iso, id, html, reply = std::move(reply)](Fiber& f, RunStatus status, const RunStats& stats) {
    HttpResponse res;
    std::string error;
    if (status == RunStatus::Done && !responseFrom(iso, f.result, res, error)) {
      res = statusPage(500, error, html);
      res.error = error;
    } else if (status != RunStatus::Done) {
      res = errorPage(f.diagnostic, html);
      res.diagnostic = f.diagnostic;
    }
    res.requestId = id;
    res.stats = stats;
    reply(std::move(res));
  });
}

}  // namespace sx::http
