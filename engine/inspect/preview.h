// The preview server's side of the inspector interface (DESIGN §7, §8): the project served
// by sx::http::Server on threads of its own, with its own isolate, and what it did — each
// request with its status and time, and every perform a request made, with the fiber's
// stack at the perform and at the resume, in the same Performed/Resumed records the
// console's runs produce. Plain data only, like inspector.h; the preview panel sees only
// this interface, so tests can drive it with a fake.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "inspect/inspector.h"

namespace sx::inspect {

// What to serve.
struct PreviewConfig {
  std::string root;                 // the project folder: static/ and .sx-data/ live here
  std::vector<std::string> files;   // loaded in order by the server's isolate
  ResolverMode mode = ResolverMode::Inline;  // as setResolverMode
  uint16_t port = 0;                // 0: a free port
  Tier tier = Tier::Auto;           // where the handlers' lambdas run (engine/vm/tier.h)
  std::string dataDir;              // "": .sx-data/ in root
};

// The server is listening. `mode` is the mode requests run in (step: unwind, pausing at
// every perform); `requested` the mode asked for (the same, as every mode is served).
struct PreviewStarted {
  uint64_t session = 0;  // counts starts from 1
  std::string url;       // "http://127.0.0.1:PORT/"
  uint16_t port = 0;
  ResolverMode mode = ResolverMode::Inline;
  ResolverMode requested = ResolverMode::Inline;
};

// The server stopped: on request (error empty), or it could not start or failed.
struct PreviewStopped {
  uint64_t session = 0;
  std::string error;  // formatted for people ("cannot listen on 127.0.0.1:8080: ...")
};

// A handler started on a request: it is in the log, in progress, until its record.
struct HttpRequestStarted {
  uint64_t session = 0;
  uint64_t request = 0;
  std::string method, path;
};

// One request, after its response was written.
struct HttpRequestRecord {
  uint64_t session = 0;
  uint64_t request = 0;  // the run id its Performed/Resumed carry; 0 when no handler ran
  std::string method, path;
  int status = 0;
  double elapsedMs = 0;
  uint32_t ops = 0;          // performs answered
  uint32_t suspensions = 0;  // of which the fiber suspended (unwind)
  std::string error;         // the handler's error message (status 500)
  std::optional<Diagnostic> diagnostic;  // the error the handler raised, with its SX stack
  std::vector<uint64_t> performs;        // ids of the request's PreviewPerform records
};

// A perform a request made (performed.run is the request id), with its stack snapshot.
struct PreviewPerform {
  uint64_t session = 0;
  Performed performed;
};

// Its answer, with the stack at the resume and the check of the frames below it.
struct PreviewResume {
  uint64_t session = 0;
  Resumed resumed;
};

// Step mode: a request's fiber is paused at a perform (a PreviewPerform came first) until
// resume() answers it. Sent again with `error` when a resume value did not read.
struct PreviewPaused {
  uint64_t session = 0;
  uint64_t request = 0;  // the run id of its Performed
  uint64_t perform = 0;
  std::string error;
};

struct PreviewOutput {  // println / print / the log op, from the server's isolate
  uint64_t session = 0;
  std::string text;
};

using PreviewEvent =
    std::variant<PreviewStarted, PreviewStopped, HttpRequestStarted, HttpRequestRecord, PreviewPerform, PreviewResume, PreviewPaused,
                 PreviewOutput>;
// Like EventSink: the sink owns each event it is given.
using PreviewEventSink = std::function<void(PreviewEvent&&)>;

class PreviewServer {
 public:
  virtual ~PreviewServer() = default;

  // Events arrive on the server's threads (a fake may call it on the caller's thread).
  virtual void setEventSink(PreviewEventSink sink) = 0;
  // Starts serving `config` (stopping a running server first). Answered by PreviewStarted,
  // or PreviewStopped with the reason it could not serve (the project failed to load,
  // the port is in use).
  virtual void start(PreviewConfig config) = 0;
  // Stops the server and waits for its threads (requests still running are interrupted
  // after a short grace). Answered by PreviewStopped.
  virtual void stop() = 0;
  // Stops and starts again with the last config, the files read again.
  virtual void reload() = 0;
  // The mode requests run in from now on; a running server restarts in it. Step mode
  // serves in unwind mode and pauses each request at every perform.
  virtual void setResolverMode(ResolverMode mode) = 0;
  // Answers a paused perform (step mode): the resolver, a value (SX text, read by the
  // reader; a bad one is reported by PreviewPaused with an error), or abort (the request
  // ends with an "interrupted" error: a 500 page).
  virtual void resume(uint64_t perform, Resume how) = 0;
  virtual bool running() const = 0;
};

}  // namespace sx::inspect
