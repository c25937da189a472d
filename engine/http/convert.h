// Requests and responses between HTTP and SX values, on the worker's thread.
//
// The request dict (string keys): "method", "path" (percent-decoded, without the
// query), "query" (a dict of the decoded parameters; a repeated name keeps its last
// value), "headers" (a dict with lower-case names; repeated headers joined by ", "),
// "body" (a string), and "form" (a dict of the decoded fields) when the body is
// application/x-www-form-urlencoded. Bytes that are not UTF-8 become U+FFFD.
//
// The handler answers a string or raw HTML (200, text/html), or a dict {:status
// :headers :body} (status 200 and body "" when missing; a body that is not a string is
// displayed as `str` would).
#pragma once

#include <string>
#include <string_view>

#include "http/worker.h"

namespace sx::http {

Value requestDict(Isolate& iso, const HttpRequest& req);

// The handler's answer as a response; false (with `error` set) when it is not one.
bool responseFrom(Isolate& iso, Value answer, HttpResponse& out, std::string& error);

// A page for a status: HTML for browsers (Accept includes text/html), else plain text.
HttpResponse statusPage(int status, const std::string& detail, bool html);
// The 500 page of a handler error: the message and the SX stack.
HttpResponse errorPage(const Diagnostic& d, bool html);
bool acceptsHtml(const HttpRequest& req);

// The reason phrase of a status code ("Not Found"); "Unknown" for codes not listed.
const char* reasonPhrase(int status);

// Percent-decoding (`+` is a space in queries and forms).
std::string percentDecode(std::string_view s, bool plusIsSpace);
// Valid UTF-8: every malformed byte becomes U+FFFD.
std::string sanitizeUtf8(std::string_view s);

}  // namespace sx::http
