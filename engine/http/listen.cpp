#include "http/listen.h"

#include "reader/printer.h"
#include "stdlib/native.h"
#include "value/dict.h"

namespace sx::http {

namespace {

// What http-listen does in this isolate (see listen.h).
struct ListenRole {
  std::function<void(Isolate&, uint16_t port, Value handler, Value options)> listen;
};

constexpr const char* kRoleKey = "sx.http-listen";

ListenRole* roleOf(Isolate& iso) {
  auto it = iso.extensions.find(kRoleKey);
  return it == iso.extensions.end() ? nullptr : static_cast<ListenRole*>(it->second.get());
}

Value httpListen(Isolate& iso, Args a) {
  int64_t port = argInt(iso, "http-listen", a, 0);
  if (port < 0 || port > 65535) throw SxError(ErrorCode::Range, "http-listen: the port must be from 0 to 65535, got " + std::to_string(port));
  if (!isCallable(a[1])) argTypeError(iso, "http-listen", 2, "handler function", a[1]);
  Value options = a.opt(2);
  if (!options.isNil() && !isDict(options)) argTypeError(iso, "http-listen", 3, "options dict {:host :workers}", options);
  ListenRole* role = roleOf(iso);
  if (!role)
    throw SxError(ErrorCode::Io, "http-listen: this host does not serve HTTP (run the program with `sx FILE` or `sx serve FILE`)");
  role->listen(iso, uint16_t(port), a[1], options);
  return Value::nil();
}

const NativeDef kListenNatives[] = {
    {"http-listen", httpListen, 2, 3, 0, 0,
     "(http-listen port handler [{:host h :workers n}]) -> nil: serves HTTP with handler until SIGINT/SIGTERM"},
};

void setRole(Isolate& iso, ListenRole role) {
  iso.extensions[kRoleKey] = std::make_shared<ListenRole>(std::move(role));
  iso.registerNatives(kListenNatives, sizeof kListenNatives / sizeof kListenNatives[0]);
}

// Applies http-listen's options dict to `opts`.
void applyOptions(Isolate& iso, Value options, ServeOptions& opts) {
  if (!isDict(options)) return;
  Value host = dictGet(as<Dict>(options), "host");
  if (!host.isUnbound() && !host.isNil()) {
    if (!isString(host)) throw SxError(ErrorCode::Type, "http-listen: :host must be a string, got " + printValue(iso, host));
    opts.host = std::string(strView(host));
  }
  Value workers = dictGet(as<Dict>(options), "workers");
  if (!workers.isUnbound() && !workers.isNil()) {
    if (!isInteger(workers) || intValue(workers) < 1 || intValue(workers) > 256)
      throw SxError(ErrorCode::Type, "http-listen: :workers must be an integer from 1 to 256, got " + printValue(iso, workers));
    opts.workers = unsigned(intValue(workers));
  }
}

}  // namespace

void installLauncher(Isolate& iso, ServeOptions base, ServerHooks hooks) {
  setRole(iso, ListenRole{[base = std::move(base), hooks = std::move(hooks)](Isolate& i, uint16_t port, Value, Value options) {
    ServeOptions opts = base;
    opts.port = port;
    applyOptions(i, options, opts);
    Server server(std::move(opts), hooks);
    std::string error = server.run();
    if (!error.empty()) throw SxError(ErrorCode::Io, "http-listen: " + error);
  }});
}

void installWorkerListen(Isolate& iso, std::function<void(Value handler)> capture) {
  setRole(iso, ListenRole{[capture = std::move(capture)](Isolate&, uint16_t, Value handler, Value) { capture(handler); }});
}

}  // namespace sx::http
