#include "http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "http/convert.h"

namespace sx::http {

namespace {

namespace fs = std::filesystem;

// X(".ext", "content type")
#define SX_CONTENT_TYPES(X)                                                                           \
  X(".html", "text/html; charset=utf-8") X(".htm", "text/html; charset=utf-8")                        \
  X(".css", "text/css; charset=utf-8") X(".js", "text/javascript; charset=utf-8")                     \
  X(".mjs", "text/javascript; charset=utf-8") X(".json", "application/json")                          \
  X(".txt", "text/plain; charset=utf-8") X(".sx", "text/plain; charset=utf-8")                        \
  X(".svg", "image/svg+xml") X(".png", "image/png") X(".jpg", "image/jpeg") X(".jpeg", "image/jpeg") \
  X(".gif", "image/gif") X(".webp", "image/webp") X(".ico", "image/x-icon") X(".woff2", "font/woff2") \
  X(".woff", "font/woff") X(".wasm", "application/wasm") X(".xml", "application/xml")

// The largest file served (bigger ones are 403: this server is not a file server).
constexpr uintmax_t kMaxStaticFileBytes = 64u << 20;

bool refusedSegment(std::string_view rel) {
  if (rel.find('\\') != std::string_view::npos || rel.find('\0') != std::string_view::npos) return true;
  size_t start = 0;
  while (start <= rel.size()) {
    size_t slash = rel.find('/', start);
    std::string_view seg = rel.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (seg == "..") return true;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return false;
}

// True when `inner` is `outer` or below it (both canonical).
bool within(const fs::path& outer, const fs::path& inner) {
  auto o = outer.begin(), i = inner.begin();
  for (; o != outer.end(); ++o, ++i)
    if (i == inner.end() || *o != *i) return false;
  return true;
}

}  // namespace

bool isStaticPath(std::string_view path) { return path.rfind(kStaticPrefix, 0) == 0; }

const char* contentTypeFor(std::string_view fileName) {
  size_t dot = fileName.rfind('.');
  std::string ext = dot == std::string_view::npos ? std::string() : std::string(fileName.substr(dot));
  for (char& c : ext)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
#define X(e, type) \
  if (ext == e) return type;
  SX_CONTENT_TYPES(X)
#undef X
  return "application/octet-stream";
}

HttpResponse serveStatic(const std::string& staticDir, std::string_view method, std::string_view path, bool html) {
  if (method != "GET" && method != "HEAD") {
    HttpResponse r = statusPage(405, "static files answer GET and HEAD", html);
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }
  std::string rel = percentDecode(path.substr(kStaticPrefix.size()), false);
  if (refusedSegment(rel)) return statusPage(403, "", html);
  std::error_code ec;
  fs::path root = fs::canonical(staticDir, ec);
  if (ec) return statusPage(404, "", html);
  fs::path file = fs::canonical(root / fs::path(rel).relative_path(), ec);
  if (ec) return statusPage(404, "", html);
  if (!within(root, file)) return statusPage(403, "", html);
  if (!fs::is_regular_file(file, ec)) return statusPage(404, "", html);
  if (fs::file_size(file, ec) > kMaxStaticFileBytes || ec) return statusPage(403, "", html);
  std::ifstream in(file, std::ios::binary);
  if (!in) return statusPage(403, "", html);
  std::ostringstream ss;
  ss << in.rdbuf();
  HttpResponse r;
  r.status = 200;
  r.headers.emplace_back("Content-Type", contentTypeFor(file.filename().string()));
  r.body = ss.str();
  return r;
}

}  // namespace sx::http
