// (http-listen port handler [options]): how an SX program serves HTTP.
//
// What the primitive does depends on the isolate's role, set by its host:
//   - a launcher (a program run by `sx FILE` or `sx -e`): starts a Server for the same
//     project on `port`, with the options dict's :host and :workers, blocks until the
//     server stops (SIGINT/SIGTERM), and returns nil;
//   - a worker (an isolate loading the project in order to serve it): records `handler`
//     as its handler and returns nil at once, so the load goes on and never recurses
//     into another server;
//   - anything else (sx test, an IDE console): an error, since that host does not serve.
// Top-level code of the project therefore runs once in the launcher and once in each
// worker (the workers load one after another, so a "seed the store on first run" step
// sees the rows an earlier load wrote).
#pragma once

#include <functional>

#include "http/server.h"

namespace sx::http {

// Role launcher: serving `base` (its project, engine options, data and static folders)
// with the port, host and workers given to http-listen.
void installLauncher(Isolate& iso, ServeOptions base, ServerHooks hooks);
// Role worker: http-listen calls `capture(handler)`.
void installWorkerListen(Isolate& iso, std::function<void(Value handler)> capture);

}  // namespace sx::http
