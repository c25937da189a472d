// Static files: GET/HEAD /static/<path> answers the file <project>/static/<path>.
// A path with a `..` segment, a backslash or a NUL is refused (403); so is a path whose
// real location (after symlinks) is outside the static folder. Missing files and
// folders are 404. Content types come from the file extension.
#pragma once

#include <string>
#include <string_view>

#include "http/worker.h"

namespace sx::http {

constexpr std::string_view kStaticPrefix = "/static/";

// True when `path` (the request path, not decoded) is served from the static folder.
bool isStaticPath(std::string_view path);

// The response for a static request. `staticDir` is the folder; `path` the request path
// (percent-encoded, without the query).
HttpResponse serveStatic(const std::string& staticDir, std::string_view method, std::string_view path, bool html);

// The Content-Type for a file name ("application/octet-stream" when unknown).
const char* contentTypeFor(std::string_view fileName);

}  // namespace sx::http
