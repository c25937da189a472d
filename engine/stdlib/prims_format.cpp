// `format` (Common Lisp style directives) and `format-date` (strftime style, in UTC).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>

#include "reader/printer.h"
#include "stdlib/numeric.h"
#include "stdlib/prims_data.h"

namespace sx {

namespace {

// ---- format --------------------------------------------------------------------------
//
// (format [dest] fmt arg ...) -> string. A leading nil/false/true destination is ignored.
// Directives, each optionally preceded by a decimal parameter n:
//   ~a display form          ~s readable form        (n: minimum width, padded on the right)
//   ~d integer in decimal    ~x hex  ~o octal  ~b binary  (n: minimum width, padded on the left)
//   ~f float ("3.0", "0.1"; n: digits after the point)
//   ~% newline  ~& newline unless at the start of a line  ~t tab  ~~ tilde  (n: repeat count)

struct Formatter {
  Isolate& iso;
  Args args;
  uint32_t next;  // index of the next argument to consume
  std::string out;

  [[noreturn]] void fail(ErrorCode code, const std::string& what) { throw SxError(code, "format: " + what); }

  Value take(char directive) {
    if (next >= args.n)
      fail(ErrorCode::Arity, std::string("not enough arguments for directive ~") + directive);
    return args[next++];
  }

  [[noreturn]] void wrongType(char directive, const char* expected, Value v) {
    argTypeError(iso, (std::string("format ~") + directive).c_str(), next - 1, expected, v);
  }

  void padLeft(const std::string& s, int width) {
    if (int(s.size()) < width) out.append(size_t(width) - s.size(), ' ');
    out += s;
  }

  void padRight(const std::string& s, int width) {
    out += s;
    size_t chars = utf8Length(s);
    if (int(chars) < width) out.append(size_t(width) - chars, ' ');
  }

  void integerIn(char directive, int radix, int width) {
    Value v = take(directive);
    if (radix == 10 && isNumber(v) && !isInteger(v)) return padLeft(displayValue(iso, v), width);
    if (!isInteger(v)) wrongType(directive, radix == 10 ? "number" : "integer", v);
    int64_t n = intValue(v);
    uint64_t mag = n < 0 ? uint64_t(0) - uint64_t(n) : uint64_t(n);
    std::string digits;
    do {
      digits.insert(digits.begin(), "0123456789abcdef"[mag % unsigned(radix)]);
      mag /= unsigned(radix);
    } while (mag);
    padLeft((n < 0 ? "-" : "") + digits, width);
  }

  void fixed(int precision) {
    Value v = take('f');
    if (!isNumber(v)) wrongType('f', "number", v);
    double d = toDouble(v);
    if (precision >= 0 && std::isfinite(d)) {
      char buf[400];
      std::snprintf(buf, sizeof buf, "%.*f", precision > 60 ? 60 : precision, d);
      out += buf;
      return;
    }
    std::string s = formatDouble(d);
    if (s.find_first_not_of("-0123456789") == std::string::npos) s += ".0";
    out += s;
  }

  void directive(char c, int param) {
    int count = param < 0 ? 1 : param;
    switch (c) {
      case 'a': return padRight(displayValue(iso, take(c)), param);
      case 's': return padRight(printValue(iso, take(c)), param);
      case 'd': return integerIn(c, 10, param);
      case 'x': return integerIn(c, 16, param);
      case 'o': return integerIn(c, 8, param);
      case 'b': return integerIn(c, 2, param);
      case 'f': return fixed(param);
      case '%': out.append(size_t(count), '\n'); return;
      case 't': out.append(size_t(count), '\t'); return;
      case '~': out.append(size_t(count), '~'); return;
      case '&':
        if (!out.empty() && out.back() != '\n') out += '\n';
        if (count > 1) out.append(size_t(count - 1), '\n');
        return;
      default: fail(ErrorCode::Type, std::string("unknown directive ~") + c);
    }
  }

  void run(std::string_view fmt) {
    for (size_t i = 0; i < fmt.size(); ++i) {
      if (fmt[i] != '~') {
        out += fmt[i];
        continue;
      }
      int param = -1;
      while (++i < fmt.size() && fmt[i] >= '0' && fmt[i] <= '9')
        param = std::min((param < 0 ? 0 : param) * 10 + (fmt[i] - '0'), 9999);
      if (i >= fmt.size()) fail(ErrorCode::Type, "format string ends inside a directive");
      char c = fmt[i];
      directive(c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c, param);
    }
  }
};

Value format(Isolate& iso, Args a) {
  uint32_t fmtIndex = a.n >= 2 && (a[0].isNil() || a[0].isBool()) && isString(a[1]) ? 1 : 0;
  std::string_view fmt = argString(iso, "format", a, fmtIndex);
  Formatter f{iso, a, fmtIndex + 1, {}};
  f.run(fmt);
  return iso.str(f.out);
}

// ---- format-date ---------------------------------------------------------------------

struct Civil {
  int64_t year;
  unsigned month, day, hour, minute, second;
  int64_t days;  // since 1970-01-01
};

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = unsigned(y - era * 400);
  unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + int64_t(doe) - 719468;
}

Civil civilFromSeconds(int64_t secs) {
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  int64_t rem = secs - days * 86400;
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = unsigned(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned month = mp < 10 ? mp + 3 : mp - 9;
  int64_t year = int64_t(yoe) + era * 400 + (month <= 2);
  return {year, month, doy - (153 * mp + 2) / 5 + 1, unsigned(rem / 3600), unsigned(rem % 3600 / 60),
          unsigned(rem % 60), days};
}

// Reads `count` digits at s[i]; false when they are not all digits.
bool readDigits(std::string_view s, size_t& i, size_t count, int64_t& out) {
  if (i + count > s.size()) return false;
  out = 0;
  for (size_t k = 0; k < count; ++k, ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

bool expect(std::string_view s, size_t& i, char c) { return i < s.size() && s[i] == c && (++i, true); }

// "YYYY-MM-DD", optionally followed by "THH:MM[:SS[.fff]]" and "Z" or "+HH:MM"/"-HH:MM".
bool parseIsoDate(std::string_view s, int64_t& secs) {
  size_t i = 0;
  int64_t y, mo, d, h = 0, mi = 0, se = 0;
  if (!readDigits(s, i, 4, y) || !expect(s, i, '-') || !readDigits(s, i, 2, mo) || !expect(s, i, '-') ||
      !readDigits(s, i, 2, d) || mo < 1 || mo > 12 || d < 1 || d > 31)
    return false;
  if (expect(s, i, 'T') || expect(s, i, ' ')) {
    if (!readDigits(s, i, 2, h) || !expect(s, i, ':') || !readDigits(s, i, 2, mi)) return false;
    if (expect(s, i, ':') && !readDigits(s, i, 2, se)) return false;
    if (expect(s, i, '.'))
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  }
  int64_t offset = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    int sign = s[i++] == '-' ? -1 : 1;
    int64_t oh, om = 0;
    if (!readDigits(s, i, 2, oh)) return false;
    if (expect(s, i, ':') || (i < s.size() && s[i] >= '0' && s[i] <= '9'))
      if (!readDigits(s, i, 2, om)) return false;
    offset = sign * (oh * 3600 + om * 60);
  } else {
    expect(s, i, 'Z');
  }
  if (i != s.size()) return false;
  secs = daysFromCivil(y, unsigned(mo), unsigned(d)) * 86400 + h * 3600 + mi * 60 + se - offset;
  return true;
}

constexpr const char* kMonthNames[] = {"January", "February", "March",     "April",   "May",      "June",
                                       "July",    "August",   "September", "October", "November", "December"};
constexpr const char* kDayNames[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

std::string twoDigits(int64_t n) { return (n < 10 ? "0" : "") + std::to_string(n); }

// Appends the expansion of strftime directive `c` for time `t`; false when unknown.
bool dateDirective(std::string& out, char c, const Civil& t) {
  unsigned weekday = unsigned(((t.days % 7) + 11) % 7);  // 1970-01-01 was a Thursday
  unsigned hour12 = t.hour % 12 == 0 ? 12 : t.hour % 12;
  switch (c) {
    case 'Y': out += std::to_string(t.year); break;
    case 'y': out += twoDigits(((t.year % 100) + 100) % 100); break;
    case 'm': out += twoDigits(t.month); break;
    case 'd': out += twoDigits(t.day); break;
    case 'e': out += (t.day < 10 ? " " : "") + std::to_string(t.day); break;
    case 'H': out += twoDigits(t.hour); break;
    case 'I': out += twoDigits(hour12); break;
    case 'M': out += twoDigits(t.minute); break;
    case 'S': out += twoDigits(t.second); break;
    case 'p': out += t.hour < 12 ? "AM" : "PM"; break;
    case 'B': out += kMonthNames[t.month - 1]; break;
    case 'b': out += std::string(kMonthNames[t.month - 1], 3); break;
    case 'A': out += kDayNames[weekday]; break;
    case 'a': out += std::string(kDayNames[weekday], 3); break;
    case 'j': {
      int64_t doy = t.days - daysFromCivil(t.year, 1, 1) + 1;
      out += (doy < 100 ? "0" : "") + twoDigits(doy);
      break;
    }
    case 'F': out += std::to_string(t.year) + "-" + twoDigits(t.month) + "-" + twoDigits(t.day); break;
    case 'T': out += twoDigits(t.hour) + ":" + twoDigits(t.minute) + ":" + twoDigits(t.second); break;
    case 's': out += std::to_string(t.days * 86400 + t.hour * 3600 + t.minute * 60 + t.second); break;
    case 'Z': out += "UTC"; break;
    case 'z': out += "+0000"; break;
    case '%': out += '%'; break;
    default: return false;
  }
  return true;
}

// Seconds are limited to about ±31 million years so the date arithmetic cannot overflow.
constexpr double kMaxDateSeconds = 1e15;

int64_t dateSeconds(Isolate& iso, Args a) {
  if (isString(a[0])) {
    int64_t secs;
    if (!parseIsoDate(strView(a[0]), secs)) argTypeError(iso, "format-date", 0, "unix seconds or ISO date", a[0]);
    return secs;
  }
  double d = std::floor(argNumber(iso, "format-date", a, 0));
  if (!(std::fabs(d) <= kMaxDateSeconds)) throw SxError(ErrorCode::Range, "format-date: time out of range");
  return int64_t(d);
}

// (format-date time fmt): time is unix seconds (or an ISO-8601 date string); fmt uses
// strftime directives %Y %y %m %d %e %H %I %M %S %p %B %b %A %a %j %F %T %s %Z %z %%.
Value formatDate(Isolate& iso, Args a) {
  Civil t = civilFromSeconds(dateSeconds(iso, a));
  std::string_view fmt = argString(iso, "format-date", a, 1);
  std::string out;
  for (size_t i = 0; i < fmt.size(); ++i) {
    if (fmt[i] != '%') {
      out += fmt[i];
      continue;
    }
    if (i + 1 >= fmt.size()) throw SxError(ErrorCode::Type, "format-date: format string ends with %");
    if (!dateDirective(out, fmt[++i], t))
      throw SxError(ErrorCode::Type, std::string("format-date: unknown directive %") + fmt[i]);
  }
  return iso.str(out);
}

const NativeDef kNatives[] = {
    {"format", format, 1, -1, kNativePure, 0, "(format [nil] fmt arg ...) -> string: fmt with ~a ~s ~d ~x ~o ~b ~f ~% ~& ~t ~~ filled in"},
    {"format-date", formatDate, 2, 2, kNativePure, 0, "(format-date secs fmt) -> string: a UTC time formatted with %Y %m %d %H %M %S ..."},
};

}  // namespace

void registerFormatNatives(Isolate& iso) { iso.registerNatives(kNatives, std::size(kNatives)); }

}  // namespace sx
