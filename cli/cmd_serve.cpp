// `sx serve FILE`: serve the `handler` FILE defines over HTTP (engine/http), and what
// programs run by `sx FILE` or `sx -e` get to serve themselves: the durable store and
// http-listen (engine/http/listen.h). Prints the URL, then one access-log line per
// request (and, with --log-io, one line per resolved perform).
#include <cstdio>
#include <iostream>
#include <mutex>

#include "host.h"
#include "http/listen.h"
#include "http/server.h"
#include "store/store_ops.h"

namespace sx::cli {

namespace {

// The server's hooks are called from worker threads: one lock keeps lines whole.
std::mutex gOutputMutex;

void writeLine(std::FILE* out, const std::string& line) {
  std::lock_guard lock(gOutputMutex);
  std::fwrite(line.data(), 1, line.size(), out);
  std::fflush(out);
}

std::string formatMicros(uint64_t us) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f ms", double(us) / 1000.0);
  return buf;
}

http::ServerHooks printingHooks(bool accessLog, bool logIo) {
  http::ServerHooks hooks;
  hooks.listening = [](const std::string& url) { writeLine(stdout, "Serving " + url + "\n"); };
  hooks.output = [](std::string_view text) { writeLine(stdout, std::string(text)); };
  hooks.error = [](const std::string& what) { writeLine(stderr, "sx serve: " + what + "\n"); };
  hooks.access = [accessLog](const http::AccessEvent& e) {
    if (accessLog)
      writeLine(stdout, e.method + " " + e.path + " " + std::to_string(e.status) + " " + formatMicros(e.micros) +
                            " ops=" + std::to_string(e.ops) + " suspended=" + std::to_string(e.suspensions) + "\n");
    if (!e.error.empty())
      writeLine(stderr, "sx serve: handler error in " + e.method + " " + e.path + ": " + e.error + "\n");
  };
  if (logIo)
    hooks.suspension = [](const SuspensionEvent& e) {
      writeLine(stdout, "  io #" + std::to_string(e.runId) + " " + e.op + " " + resolverModeName(e.mode) + " " +
                            formatMicros(e.micros) + (e.failed ? " failed " : " ") + e.request + "\n");
    };
  return hooks;
}

}  // namespace

int runServe(const EngineOptions& opts, const ServeCommand& cmd) {
  http::ServeOptions so;
  so.project.files = {cmd.file};
  so.engine = opts;
  so.host = cmd.host;
  so.port = cmd.port;
  so.workers = cmd.workers;
  so.dataDir = cmd.dataDir;
  so.idleTimeout = std::chrono::milliseconds(int64_t(cmd.idleTimeoutSeconds * 1000));
  http::Server server(so, printingHooks(!cmd.quiet, cmd.logIo));
  std::string error = server.run();
  if (!error.empty()) {
    std::cout << std::flush;
    std::cerr << "sx serve: " << error << '\n';
    return kExitFailure;
  }
  return kExitOk;
}

void installServingHost(Engine& engine, const EngineOptions& opts, const std::vector<std::string>& files,
                        const std::string& expr) {
  http::ServeOptions so;
  so.project.files = files;
  so.project.expr = expr;
  so.engine = opts;
  std::string entry = so.project.entryFile();
  so.store = std::make_shared<Store>(entry.empty() ? ".sx-data" : defaultDataDir(entry));
  installStoreOps(engine.isolate(), so.store);
  http::installLauncher(engine.isolate(), std::move(so), printingHooks(true, false));
}

}  // namespace sx::cli
