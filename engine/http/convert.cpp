#include "http/convert.h"

#include "reader/printer.h"
#include "stdlib/utf8.h"
#include "value/dict.h"

namespace sx::http {

namespace {

// X(code, "reason")
#define SX_HTTP_STATUSES(X)                                                                  \
  X(100, "Continue") X(200, "OK") X(201, "Created") X(202, "Accepted") X(204, "No Content") \
  X(301, "Moved Permanently") X(302, "Found") X(303, "See Other") X(304, "Not Modified")   \
  X(307, "Temporary Redirect") X(308, "Permanent Redirect") X(400, "Bad Request")          \
  X(401, "Unauthorized") X(403, "Forbidden") X(404, "Not Found")                           \
  X(405, "Method Not Allowed") X(408, "Request Timeout") X(409, "Conflict")                \
  X(410, "Gone") X(413, "Content Too Large") X(415, "Unsupported Media Type")              \
  X(422, "Unprocessable Content") X(429, "Too Many Requests")                              \
  X(431, "Request Header Fields Too Large") X(500, "Internal Server Error")                \
  X(501, "Not Implemented") X(502, "Bad Gateway") X(503, "Service Unavailable")

constexpr const char* kHtmlType = "text/html; charset=utf-8";
constexpr const char* kTextType = "text/plain; charset=utf-8";

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool isAscii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return out;
}

Value sxString(Isolate& iso, std::string_view s) { return iso.str(isAscii(s) ? std::string(s) : sanitizeUtf8(s)); }

// "a=1&b=two+words" as a dict of decoded strings; a repeated name keeps its last value.
Value paramsDict(Isolate& iso, std::string_view text) {
  Value d = iso.dict();
  while (!text.empty()) {
    size_t amp = text.find('&');
    std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string_view name = pair.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    dictSet(as<Dict>(d), sxString(iso, percentDecode(name, true)), sxString(iso, percentDecode(value, true)));
  }
  return d;
}

Value headersDict(Isolate& iso, const Headers& headers, std::string* contentType) {
  Value d = iso.dict(uint32_t(headers.size()));
  for (const auto& [name, value] : headers) {
    Value key = sxString(iso, lower(name));
    Value old = dictGet(as<Dict>(d), key);
    std::string joined = old.isUnbound() ? value : std::string(strView(old)) + ", " + value;
    if (strView(key) == "content-type") *contentType = lower(value);
    dictSet(as<Dict>(d), key, sxString(iso, joined));
  }
  return d;
}

void set(Isolate& iso, Value d, const char* key, Value v) { dictSet(as<Dict>(d), iso.str(key), v); }

std::string escapeHtml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// The text of a body value: strings and raw HTML as they are, nil as "", others as str.
std::string bodyText(Isolate& iso, Value body) {
  if (body.isNil() || body.isUnbound()) return std::string();
  if (isString(body)) return std::string(strView(body));
  if (isType(body, ObjType::RawHtml)) return std::string(as<RawHtml>(body)->html->view());
  return displayValue(iso, body);
}

bool validHeader(std::string_view name, std::string_view value) {
  if (name.empty()) return false;
  for (char c : name)
    if (c <= ' ' || c == ':' || static_cast<unsigned char>(c) >= 0x7F) return false;
  return value.find_first_of("\r\n") == std::string_view::npos;
}

bool dictResponse(Isolate& iso, Dict* d, HttpResponse& out, std::string& error) {
  Value status = dictGet(d, "status");
  if (!status.isUnbound() && !status.isNil()) {
    if (!isInteger(status) || intValue(status) < 100 || intValue(status) > 599) {
      error = "the response :status must be an integer from 100 to 599, got " + printValue(iso, status);
      return false;
    }
    out.status = int(intValue(status));
  }
  bool hasType = false;
  Value headers = dictGet(d, "headers");
  if (!headers.isUnbound() && !headers.isNil()) {
    if (!isDict(headers)) {
      error = "the response :headers must be a dict, got " + printValue(iso, headers);
      return false;
    }
    bool ok = true;
    dictForEach(as<Dict>(headers), [&](Value k, Value v) {
      std::string name(strView(k)), value = displayValue(iso, v);
      if (!ok) return;
      if (!validHeader(name, value)) {
        ok = false;
        error = "invalid response header " + printValue(iso, k) + " (names are tokens; values have no line breaks)";
        return;
      }
      hasType = hasType || lower(name) == "content-type";
      out.headers.emplace_back(std::move(name), std::move(value));
    });
    if (!ok) return false;
  }
  if (!hasType) out.headers.emplace_back("Content-Type", kHtmlType);
  out.body = bodyText(iso, dictGet(d, "body"));
  return true;
}

}  // namespace

const char* reasonPhrase(int status) {
  switch (status) {
#define X(code, reason) \
  case code: return reason;
    SX_HTTP_STATUSES(X)
#undef X
  }
  return "Unknown";
}

std::string percentDecode(std::string_view s, bool plusIsSpace) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '+' && plusIsSpace) {
      out += ' ';
    } else if (c == '%' && i + 2 < s.size() && hexDigit(s[i + 1]) >= 0 && hexDigit(s[i + 2]) >= 0) {
      out += char(hexDigit(s[i + 1]) * 16 + hexDigit(s[i + 2]));
      i += 2;
    } else {
      out += c;  // a stray % stays as it is
    }
  }
  return out;
}

std::string sanitizeUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) utf8::append(out, utf8::decode(s, i));
  return out;
}

bool acceptsHtml(const HttpRequest& req) {
  for (const auto& [name, value] : req.headers)
    if (lower(name) == "accept" && value.find("text/html") != std::string::npos) return true;
  return false;
}

Value requestDict(Isolate& iso, const HttpRequest& req) {
  std::string_view target = req.target;
  size_t q = target.find('?');
  std::string_view path = target.substr(0, q);
  std::string_view query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
  std::string contentType;
  Value d = iso.dict(6);
  set(iso, d, "method", sxString(iso, req.method));
  set(iso, d, "path", sxString(iso, percentDecode(path, false)));
  set(iso, d, "query", paramsDict(iso, query));
  set(iso, d, "headers", headersDict(iso, req.headers, &contentType));
  set(iso, d, "body", sxString(iso, req.body));
  if (contentType.rfind("application/x-www-form-urlencoded", 0) == 0) set(iso, d, "form", paramsDict(iso, req.body));
  return d;
}

bool responseFrom(Isolate& iso, Value answer, HttpResponse& out, std::string& error) {
  if (isString(answer) || isType(answer, ObjType::RawHtml)) {
    out.status = 200;
    out.headers.emplace_back("Content-Type", kHtmlType);
    out.body = bodyText(iso, answer);
    return true;
  }
  if (isDict(answer)) return dictResponse(iso, as<Dict>(answer), out, error);
  error = "the handler must return a string or a response dict {:status :headers :body}, got " +
          (answer.isNil() ? std::string("nil") : printValue(iso, answer).substr(0, 200));
  return false;
}

HttpResponse statusPage(int status, const std::string& detail, bool html) {
  HttpResponse r;
  r.status = status;
  std::string title = std::to_string(status) + " " + reasonPhrase(status);
  if (html) {
    r.headers.emplace_back("Content-Type", kHtmlType);
    r.body = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>" + escapeHtml(title) +
             "</title></head>\n<body><h1>" + escapeHtml(title) + "</h1>\n";
    if (!detail.empty()) r.body += "<pre>" + escapeHtml(detail) + "</pre>\n";
    r.body += "</body></html>\n";
  } else {
    r.headers.emplace_back("Content-Type", kTextType);
    r.body = title + "\n" + (detail.empty() ? std::string() : "\n" + detail + "\n");
  }
  return r;
}

HttpResponse errorPage(const Diagnostic& d, bool html) {
  HttpResponse r = statusPage(500, Engine::formatDiagnostic(d), html);
  r.error = d.message;
  return r;
}

}  // namespace sx::http
