// The printer: an explicit stack of open containers (lists, vectors, dicts, ADT values,
// spreads), so printing never recurses on the C++ stack. The containers currently open
// — every pair on the spine of an open list, and each open dict, vector, ADT and spread
// — are kept in a set; meeting one again means the structure contains itself, and
// "..." is printed there. Shared substructure that is not a cycle prints in full.
//
// Forms that do not read back: vectors print as [1 2 3], which reads as a list;
// functions and other opaque objects print as <kind ...>; inf, -inf and nan read back as
// symbols; integral floats print as integers (the Rulings); {k v} reads as (dict k v);
// symbols and keywords made at run time with names that are not tokens print bare.
// In display form strings, chars and text-like objects are written raw at any depth,
// dict keys keep their readable form, and only a top-level nil prints as "".
#include "reader/printer.h"

#include <charconv>
#include <cmath>
#include <unordered_set>

#include "cek/node.h"
#include "reader/lexer.h"
#include "stdlib/native.h"

namespace sx {

std::string formatDouble(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d < 0 ? "-inf" : "inf";
  char buf[64];
  // Integral values below 1e21 print as integers ("3", "100000"); the rest in the
  // shortest form that reads back to the same double ("0.1", "1e+100").
  bool integral = d == std::trunc(d) && std::fabs(d) < 1e21;
  auto r = integral ? std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed)
                    : std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, r.ptr);
}

void escapeStringTo(std::string_view s, std::string& out) {
  static const char kHex[] = "0123456789ABCDEF";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '\0': out += "\\0"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 15]);
        } else {
          out.push_back(ch);
        }
    }
  }
}

namespace {

void appendInt(std::string& out, int64_t n) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, r.ptr);
}

void appendQuoted(std::string& out, std::string_view s) {
  out.push_back('"');
  escapeStringTo(s, out);
  out.push_back('"');
}

void appendChar(std::string& out, uint32_t cp, bool readable) {
  if (!readable) {
    lex::appendUtf8(out, cp);
    return;
  }
  out += "#\\";
  if (const char* name = lex::charNameOf(cp)) {
    out += name;
  } else if (cp < 0x20 || cp == 0x7F) {
    static const char kHex[] = "0123456789ABCDEF";
    out.push_back('x');
    out.push_back(kHex[cp >> 4]);
    out.push_back(kHex[cp & 15]);
  } else {
    lex::appendUtf8(out, cp);
  }
}

// A dict key (a String): as a keyword when it reads back as one, else as a string.
void appendKey(std::string& out, Value key) {
  std::string_view name = strView(key);
  if (lex::isKeywordName(name)) {
    out.push_back(':');
    out += name;
  } else {
    appendQuoted(out, name);
  }
}

void appendClosure(std::string& out, const char* kind, const Closure* c) {
  std::string_view name = c->proto && c->proto->info ? std::string_view(c->proto->info->name) : std::string_view();
  out.push_back('<');
  out += kind;
  if (!name.empty()) {
    out.push_back(' ');
    if (c->type == ObjType::Component && name[0] != '~') out.push_back('~');
    out += name;
  }
  out.push_back('>');
}

class Printer {
 public:
  Printer(std::string& out, bool readable) : out_(out), readable_(readable) {}

  void print(Value v) {
    emit(v);
    while (!stack_.empty()) step();
  }

 private:
  enum class Kind : uint8_t { List, Vector, Dict, Adt, Spread };
  struct Frame {
    Kind kind;
    Obj* obj;
    Value cursor;    // List: the next pair (or the tail)
    uint32_t index;  // elements / entries / fields visited
    uint32_t count;  // List: spine pairs in open_; Dict: entries printed
  };

  // Writes an atom, or opens a container (pushes its frame) to be written by step().
  void emit(Value v) {
    if (v.isFixnum()) return appendInt(out_, v.asFixnum());
    if (v.isChar()) return appendChar(out_, v.asChar(), readable_);
    if (!v.isObj()) return emitImmediate(v);
    Obj* o = v.asObj();
    switch (o->type) {
      case ObjType::String:
        if (readable_) return appendQuoted(out_, strView(v));
        out_ += strView(v);
        return;
      case ObjType::Symbol: out_ += symName(v); return;
      case ObjType::Keyword:
        out_.push_back(':');
        out_ += as<Keyword>(v)->name->view();
        return;
      case ObjType::Float: out_ += formatDouble(as<Float>(v)->value); return;
      case ObjType::Int64: return appendInt(out_, as<Int64>(v)->value);
      case ObjType::Rational:
        appendInt(out_, as<Rational>(v)->num);
        out_.push_back('/');
        return appendInt(out_, as<Rational>(v)->den);
      case ObjType::Pair: open(Kind::List, o, "(", v); return;
      case ObjType::Vector: open(Kind::Vector, o, "["); return;
      case ObjType::Dict: open(Kind::Dict, o, "{"); return;
      case ObjType::Adt:
        if (!open(Kind::Adt, o, "(")) return;
        out_ += static_cast<Adt*>(o)->ctor->ctorName->view();
        return;
      case ObjType::Spread: open(Kind::Spread, o, "<spread "); return;
      default: return emitOpaque(o);
    }
  }

  void emitImmediate(Value v) {
    if (v.isNil()) out_ += "nil";
    else if (v.isTrue()) out_ += "true";
    else if (v.isFalse()) out_ += "false";
    else if (v.isEmpty()) out_ += "()";
    else if (v.isUnbound()) out_ += "<unbound>";
    else if (v.isVoid()) out_ += "<void>";
    else out_ += "<unknown>";
  }

  // Objects with no readable syntax print as <kind ...>; some display as their text.
  void emitOpaque(Obj* o) {
    switch (o->type) {
      case ObjType::Lambda: return appendClosure(out_, "lambda", static_cast<Closure*>(o));
      case ObjType::Macro: return appendClosure(out_, "macro", static_cast<Closure*>(o));
      case ObjType::Component: return appendClosure(out_, "component", static_cast<Closure*>(o));
      case ObjType::Native:
        out_ += "<native ";
        out_ += static_cast<Native*>(o)->def->name;
        out_.push_back('>');
        return;
      case ObjType::AdtCtor:
        out_ += "<constructor ";
        out_ += static_cast<AdtCtor*>(o)->ctorName->view();
        out_.push_back('>');
        return;
      case ObjType::RawHtml: return textual("raw-html", static_cast<RawHtml*>(o)->html->view());
      case ObjType::StringBuffer: return textual("string-buffer", *static_cast<StringBuffer*>(o)->text);
      case ObjType::Error: return textual("error", strView(static_cast<ErrorObj*>(o)->message));
      default:
        out_.push_back('<');
        out_ += typeOfName(o->type);
        out_.push_back('>');
    }
  }

  // <kind "text"> when readable, the text itself when displayed.
  void textual(const char* kind, std::string_view text) {
    if (!readable_) {
      out_ += text;
      return;
    }
    out_.push_back('<');
    out_ += kind;
    out_.push_back(' ');
    appendQuoted(out_, text);
    out_.push_back('>');
  }

  bool open(Kind kind, Obj* o, const char* opener, Value cursor = Value::empty()) {
    if (stack_.size() >= size_t(kMaxPrintDepth) || open_.count(o)) {
      out_ += "...";
      return false;
    }
    open_.insert(o);
    out_ += opener;
    stack_.push_back(Frame{kind, o, cursor, 0, kind == Kind::List ? 1u : 0u});
    return true;
  }

  void close(const char* closer) {
    Frame& f = stack_.back();
    if (f.kind == Kind::List) {
      Value p = Value::object(f.obj);
      for (uint32_t i = 0; i < f.count; ++i, p = cdr(p)) open_.erase(p.asObj());
    } else {
      open_.erase(f.obj);
    }
    out_ += closer;
    stack_.pop_back();
  }

  // Writes the next piece of the innermost open container. Frame references die at
  // emit(), which may push.
  void step() {
    Frame& f = stack_.back();
    switch (f.kind) {
      case Kind::List: return stepList(f);
      case Kind::Vector: {
        auto* vec = static_cast<Vector*>(f.obj);
        if (f.index >= vec->length) return close("]");
        if (f.index > 0) out_.push_back(' ');
        return emit(vec->items[f.index++]);
      }
      case Kind::Dict: return stepDict(f);
      case Kind::Adt: {
        auto* adt = static_cast<Adt*>(f.obj);
        if (f.index >= adt->aux) return close(")");
        out_.push_back(' ');
        return emit(adt->fields[f.index++]);
      }
      case Kind::Spread:
        if (f.index++ > 0) return close(">");
        return emit(static_cast<Spread*>(f.obj)->attrs);
    }
  }

  void stepList(Frame& f) {
    Value c = f.cursor;
    if (isPair(c)) {
      if (f.index > 0) {
        if (open_.count(c.asObj())) {  // the spine loops back on itself
          out_ += " ...";
          return close(")");
        }
        open_.insert(c.asObj());
        ++f.count;
        out_.push_back(' ');
      }
      ++f.index;
      f.cursor = cdr(c);
      return emit(car(c));
    }
    if (c.isEmpty() || c.isNil()) return close(")");
    out_ += " . ";  // an improper tail
    f.cursor = Value::empty();
    emit(c);
  }

  void stepDict(Frame& f) {
    auto* d = static_cast<Dict*>(f.obj);
    while (f.index < d->used && d->entries[f.index].key.isUnbound()) ++f.index;
    if (f.index >= d->used) return close("}");
    if (f.count++ > 0) out_.push_back(' ');
    const DictEntry& e = d->entries[f.index++];
    appendKey(out_, e.key);
    out_.push_back(' ');
    emit(e.value);
  }

  std::string& out_;
  bool readable_;
  std::vector<Frame> stack_;
  std::unordered_set<const Obj*> open_;
};

}  // namespace

void printTo(Isolate& iso, Value v, std::string& out, bool readable) {
  if (!readable && v.isNil()) return;  // (str nil) is ""
  Printer(out, readable).print(v);
}

std::string printValue(Isolate& iso, Value v) {
  std::string out;
  printTo(iso, v, out, true);
  return out;
}

std::string displayValue(Isolate& iso, Value v) {
  std::string out;
  printTo(iso, v, out, false);
  return out;
}

}  // namespace sx
