// Reader, printer and native argument helpers: round trips for every datum kind, spans,
// every reader error with its position, the incomplete flag, printer depth and cycle
// safety, and the error messages natives produce.
//
// Qt's `slots` keyword macro would clash with Env::slots in value/objects.h.
#ifndef QT_NO_KEYWORDS
#define QT_NO_KEYWORDS
#endif
#include <QtTest>

#include <cmath>
#include <memory>
#include <string>

#include "cek/node.h"
#include "reader/printer.h"
#include "reader/reader.h"
#include "stdlib/equality.h"
#include "stdlib/native.h"
#include "stdlib/prims_reader.h"
#include "value/dict.h"

using namespace sx;

namespace {

bool same(Value a, Value b) { return valuesEqual(a, b); }

QString q(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

namespace QTest {
template <>
char* toString(const std::string& s) {
  return qstrdup(s.c_str());
}
template <>
char* toString(const std::string_view& s) {
  return qstrdup(std::string(s).c_str());
}
template <>
char* toString(const Value& v) {
  return qstrdup(QByteArray::number(qulonglong(v.bits()), 16).prepend("Value 0x").constData());
}
}  // namespace QTest

class TestReader : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<Isolate> iso;

  static void fail(const std::string& message) { QTest::qFail(message.c_str(), __FILE__, __LINE__); }
  ReadResult rd(std::string_view src) { return readString(*iso, src, "test.sx"); }

  // The single datum `src` reads as; fails the test (and returns nil) otherwise.
  Value one(std::string_view src) {
    ReadResult r = rd(src);
    if (r.error) fail("read error: " + r.error->message);
    else if (r.data.size() != 1) fail("expected one datum in " + std::string(src));
    return r.data.size() == 1 ? r.data[0].value : Value::nil();
  }
  std::string pr(Value v) { return printValue(*iso, v); }
  std::string disp(Value v) { return displayValue(*iso, v); }
  Value sym(const char* s) { return iso->intern(s); }

  // read -> print -> read gives an equal datum; returns the printed form.
  std::string roundTrip(std::string_view src) {
    Value v = one(src);
    std::string text = pr(v);
    Value back = one(text);
    if (!same(v, back)) fail("round trip changed " + std::string(src) + " -> " + text);
    return text;
  }

  ReadError err(std::string_view src) {
    ReadResult r = rd(src);
    if (!r.error) {
      fail("expected a read error for " + std::string(src));
      return {};
    }
    return *r.error;
  }

  Value callNative(const char* name, std::initializer_list<Value> args) {
    Value f = iso->globalValue(name);
    const NativeDef* def = as<Native>(f)->def;
    return def->fn(*iso, Args{args.begin(), uint32_t(args.size())});
  }

 private Q_SLOTS:
  void init() { iso = std::make_unique<Isolate>(); }
  void cleanup() { iso.reset(); }

  void integers() {
    QCOMPARE(one("42"), Value::fixnum(42));
    QCOMPARE(one("-7"), Value::fixnum(-7));
    QCOMPARE(one("+5"), Value::fixnum(5));
    QCOMPARE(one("0x1F"), Value::fixnum(31));
    QCOMPARE(one("-0x10"), Value::fixnum(-16));
    Value big = one("4611686018427387904");  // 2^62: past the fixnum range
    QVERIFY(isType(big, ObjType::Int64));
    QCOMPARE(intValue(big), int64_t(1) << 62);
    QCOMPARE(intValue(one("9223372036854775807")), INT64_MAX);
    QCOMPARE(intValue(one("-9223372036854775808")), INT64_MIN);
    QCOMPARE(intValue(one("-0x8000000000000000")), INT64_MIN);
    Value huge = one("99999999999999999999");  // beyond int64: a float
    QVERIFY(isFloat(huge));
    QCOMPARE(as<Float>(huge)->value, 1e20);
    for (const char* s : {"0", "42", "-7", "4611686018427387904", "-4611686018427387905", "9223372036854775807",
                          "-9223372036854775808", "99999999999999999999"})
      roundTrip(s);
    QCOMPARE(roundTrip("-4611686018427387905"), std::string("-4611686018427387905"));
  }

  void floats() {
    QVERIFY(isFloat(one("0.1")));
    QCOMPARE(as<Float>(one("0.1"))->value, 0.1);
    QCOMPARE(as<Float>(one("1e100"))->value, 1e100);
    QCOMPARE(as<Float>(one("-0.5"))->value, -0.5);
    QCOMPARE(as<Float>(one("2.5E-3"))->value, 0.0025);
    QCOMPARE(as<Float>(one("1e+5"))->value, 1e5);
    QCOMPARE(as<Float>(one(".5"))->value, 0.5);
    QVERIFY(std::isinf(as<Float>(one("1e400"))->value));
    QCOMPARE(roundTrip("0.1"), std::string("0.1"));
    QCOMPARE(roundTrip("1e100"), std::string("1e+100"));
    QCOMPARE(roundTrip("-0.5"), std::string("-0.5"));
    QCOMPARE(roundTrip("0.30000000000000004"), std::string("0.30000000000000004"));
    QCOMPARE(roundTrip("1.5e-7"), std::string("1.5e-07"));
    QCOMPARE(roundTrip("3.0"), std::string("3"));  // integral floats print as integers
    QCOMPARE(formatDouble(3.0), std::string("3"));
    QCOMPARE(formatDouble(100000.0), std::string("100000"));
    QCOMPARE(formatDouble(-0.0), std::string("-0"));
    QCOMPARE(formatDouble(1e21), std::string("1e+21"));
    QCOMPARE(formatDouble(INFINITY), std::string("inf"));
    QCOMPARE(formatDouble(-INFINITY), std::string("-inf"));
    QCOMPARE(formatDouble(NAN), std::string("nan"));
    QCOMPARE(disp(iso->flonum(2.0)), std::string("2"));
  }

  void rationals() {
    Value r = one("1/3");
    QVERIFY(isRational(r));
    QCOMPARE(as<Rational>(r)->num, int64_t(1));
    QCOMPARE(as<Rational>(r)->den, int64_t(3));
    QCOMPARE(pr(one("-2/4")), std::string("-1/2"));
    QCOMPARE(pr(one("+6/4")), std::string("3/2"));
    QCOMPARE(one("6/3"), Value::fixnum(2));
    QCOMPARE(roundTrip("1/3"), std::string("1/3"));
    QCOMPARE(roundTrip("-22/7"), std::string("-22/7"));
  }

  void strings() {
    // Source text: "q\" b\\ n\n t\t r\r z\0 e\u00e9 s\u{1F600} p\uD83D\uDE00"
    const char* src = "\"q\\\" b\\\\ n\\n t\\t r\\r z\\0 e\\u00e9 s\\u{1F600} p\\uD83D\\uDE00\"";
    Value s = one(src);
    static constexpr char kExpected[] = "q\" b\\ n\n t\t r\r z\0 e\xC3\xA9 s\xF0\x9F\x98\x80 p\xF0\x9F\x98\x80";
    QCOMPARE(strView(s), std::string_view(kExpected, sizeof kExpected - 1));
    QCOMPARE(as<String>(s)->charLen, 26u);
    QCOMPARE(pr(s), std::string("\"q\\\" b\\\\ n\\n t\\t r\\r z\\0 e\xC3\xA9 s\xF0\x9F\x98\x80 p\xF0\x9F\x98\x80\""));
    QCOMPARE(disp(s), std::string(strView(s)));
    roundTrip(src);
    roundTrip("\"λ → ✓ 日本\"");
    roundTrip("\"\"");
    QCOMPARE(pr(iso->str(std::string_view("\x01\x7F", 2))), std::string("\"\\u0001\\u007F\""));
    roundTrip("\"\\u0001\\u001b\"");
    QCOMPARE(strView(one("\"multi\nline\"")), std::string_view("multi\nline"));
  }

  void symbols() {
    for (const char* s : {"->", "<>", "~card", "&rest", "a/b", "*x*", "vector->list", "char<=?", "...", "café",
                          "em—dash", "λ", "-", "+", "/", "nil?", "dict-set!", "~cssx/tw", "flow/start", "-a", "+x",
                          "a.b", "|x|", "a#b", "x:y"}) {
      Value v = one(s);
      QVERIFY2(isSymbol(v), s);
      QCOMPARE(symName(v), std::string_view(s));
      QCOMPARE(roundTrip(s), std::string(s));
    }
    QCOMPARE(one("true"), Value::t());
    QCOMPARE(one("false"), Value::f());
    QCOMPARE(one("nil"), Value::nil());
    QCOMPARE(roundTrip("nil"), std::string("nil"));
    QCOMPARE(roundTrip("true"), std::string("true"));
    QCOMPARE(roundTrip("false"), std::string("false"));
  }

  void keywords() {
    for (const char* s : {":a", ":-", ":foo-bar", ":a/b", ":else", ":<-"}) {
      Value v = one(s);
      QVERIFY(isKeyword(v));
      QCOMPARE(as<Keyword>(v)->name->view(), std::string_view(s + 1));
      QCOMPARE(roundTrip(s), std::string(s));
    }
    QCOMPARE(one(":a"), one(":a"));  // interned
  }

  void chars() {
    QCOMPARE(one("#\\a"), Value::character('a'));
    QCOMPARE(one("#\\space"), Value::character(' '));
    QCOMPARE(one("#\\newline"), Value::character('\n'));
    QCOMPARE(one("#\\tab"), Value::character('\t'));
    QCOMPARE(one("#\\nul"), Value::character(0));
    QCOMPARE(one("#\\return"), Value::character('\r'));
    QCOMPARE(one("#\\x41"), Value::character('A'));
    QCOMPARE(one("#\\x"), Value::character('x'));
    QCOMPARE(one("#\\λ"), Value::character(0x3BB));
    QCOMPARE(one("#\\("), Value::character('('));
    QCOMPARE(one("#\\ "), Value::character(' '));
    for (const char* s : {"#\\a", "#\\space", "#\\newline", "#\\tab", "#\\nul", "#\\return", "#\\λ", "#\\(", "#\\x",
                          "#\\Z", "#\\1", "#\\escape"})
      QCOMPARE(roundTrip(s), std::string(s));
    QCOMPARE(pr(Value::character(1)), std::string("#\\x01"));
    roundTrip("#\\x01");
    QCOMPARE(disp(Value::character(0x3BB)), std::string("λ"));
    QCOMPARE(pr(one("(#\\a #\\) b)")), std::string("(#\\a #\\) b)"));
  }

  void lists() {
    Value l = one("(1 (2 [3 4]) () [])");
    QCOMPARE(pr(l), std::string("(1 (2 (3 4)) () ())"));
    roundTrip("(1 (2 [3 4]) () [])");
    roundTrip("(define (f x) (if (< x 1) \"small\" (* x 2.5)))");
    QCOMPARE(one("()"), Value::empty());
    Value d = one("{:a 1 :b x \"c d\" (+ 1 2)}");
    // A dict literal reads as a dict of datums (keys as strings, values unevaluated).
    QVERIFY(isDict(d));
    QCOMPARE(pr(d), std::string("{:a 1 :b x \"c d\" (+ 1 2)}"));
    QCOMPARE(dictGet(as<Dict>(d), "b"), sym("x"));
    roundTrip("{:a 1 :b {:c [1 2]}}");
    QCOMPARE(pr(one("{}")), std::string("{}"));
  }

  void quoteSugar() {
    QCOMPARE(pr(one("'x")), std::string("(quote x)"));
    QCOMPARE(pr(one("`(a ,b ,@c)")), std::string("(quasiquote (a (unquote b) (splice-unquote c)))"));
    QCOMPARE(pr(one("#'f")), std::string("(quote f)"));
    QCOMPARE(pr(one("''a")), std::string("(quote (quote a))"));
    QCOMPARE(pr(one("'()")), std::string("(quote ())"));
    roundTrip("'(a 'b `(c ,d ,@e))");
  }

  void rawStringsAndComments() {
    Value raw = one("#|a \"b\" \\n λ|");
    QCOMPARE(strView(raw), std::string_view("a \"b\" \\n λ"));
    QCOMPARE(pr(raw), std::string("\"a \\\"b\\\" \\\\n λ\""));
    roundTrip("#|raw \\ text|");
    QCOMPARE(pr(one("(a #;b c)")), std::string("(a c)"));
    QCOMPARE(pr(one("(a #;(b (c)) d)")), std::string("(a d)"));
    QCOMPARE(pr(one("#;(x y) 1")), std::string("1"));
    QCOMPARE(pr(one("#; #; a b c")), std::string("c"));
    QCOMPARE(pr(one("'#;a b")), std::string("(quote b)"));
    QCOMPARE(pr(one("(a ; comment )\n b)")), std::string("(a b)"));
    QCOMPARE(pr(one("#!/usr/bin/env sx\n(x)")), std::string("(x)"));
    QCOMPARE(rd("; only a comment\n#;skipped").data.size(), size_t(0));
    QCOMPARE(rd("1 2 3").data.size(), size_t(3));
  }

  void spans() {
    ReadResult r = rd("(a\n  (b c)\n  \"x\")  (λλ x)");
    QVERIFY(!r.error);
    QCOMPARE(r.data.size(), size_t(2));
    Span top = r.data[0].span;
    QCOMPARE(top.line, 1u);
    QCOMPARE(top.col, 1u);
    QCOMPARE(top.len, 17u);
    QVERIFY(top.valid());
    Value l = r.data[0].value;
    QCOMPARE(iso->listSpan(l).len, 17u);
    const PairSpans* a = iso->pairSpans(l);
    QVERIFY(a);
    QCOMPARE(a->car.line, 1u);
    QCOMPARE(a->car.col, 2u);
    QCOMPARE(a->car.len, 1u);
    Value inner = cdr(l);
    Span bc = iso->pairSpans(inner)->car;  // (b c)
    QCOMPARE(bc.line, 2u);
    QCOMPARE(bc.col, 3u);
    QCOMPARE(bc.len, 5u);
    QVERIFY(!iso->pairSpans(inner)->list.valid());  // not the first pair of a list
    Value bcList = car(inner);
    QCOMPARE(iso->listSpan(bcList).col, 3u);
    Span c = iso->pairSpans(cdr(bcList))->car;
    QCOMPARE(c.line, 2u);
    QCOMPARE(c.col, 6u);
    Span x = iso->pairSpans(cdr(cdr(l)))->car;
    QCOMPARE(x.line, 3u);
    QCOMPARE(x.col, 3u);
    QCOMPARE(x.len, 3u);
    // Columns count code points; lengths count bytes.
    Span second = r.data[1].span;
    QCOMPARE(second.line, 3u);
    QCOMPARE(second.col, 9u);
    QCOMPARE(second.len, 8u);
    Span lam = iso->pairSpans(r.data[1].value)->car;
    QCOMPARE(lam.col, 10u);
    QCOMPARE(lam.len, 4u);
    QCOMPARE(iso->pairSpans(cdr(r.data[1].value))->car.col, 13u);
  }

  void prefixAndDictSpans() {
    ReadResult r = rd(" '(a) {:k v}");
    QVERIFY(!r.error);
    Value quoted = r.data[0].value;
    QCOMPARE(r.data[0].span.col, 2u);
    QCOMPARE(r.data[0].span.len, 4u);
    QCOMPARE(iso->pairSpans(quoted)->car.len, 1u);  // the ' itself
    QCOMPARE(iso->pairSpans(quoted)->list.len, 4u);
    QCOMPARE(iso->pairSpans(cdr(quoted))->car.col, 3u);
    Value d = r.data[1].value;
    QCOMPARE(r.data[1].span.col, 7u);
    QCOMPARE(r.data[1].span.len, 6u);
    QVERIFY(isDict(d));
  }

  void errors_data() {
    QTest::addColumn<QString>("src");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("col");
    QTest::addColumn<bool>("incomplete");
    QTest::newRow("unclosed") << "(a (b c)\n (d" << "never closed" << 2 << 2 << true;
    QTest::newRow("unclosed-outer") << "(define (f x)\n  (+ x 1)" << "unbalanced parenthesis: ( opened here" << 1 << 1
                                    << true;
    QTest::newRow("unclosed-bracket") << "[1 2" << "unbalanced bracket: [" << 1 << 1 << true;
    QTest::newRow("stray") << "(a)\n  )" << "unexpected )" << 2 << 3 << false;
    QTest::newRow("stray-brace") << "}" << "unexpected }" << 1 << 1 << false;
    QTest::newRow("mismatch") << "(a]" << "mismatched ]: expected ) to close ( opened at 1:1" << 1 << 3 << false;
    QTest::newRow("bad-escape") << "(x \"a\\qb\")" << "bad escape \\q in string" << 1 << 6 << false;
    QTest::newRow("bad-unicode") << "\"\\u12\"" << "bad unicode escape" << 1 << 2 << false;
    QTest::newRow("lone-surrogate") << "\"\\uD800\"" << "not a valid code point" << 1 << 2 << false;
    QTest::newRow("big-unicode") << "\"\\u{110000}\"" << "not a valid code point" << 1 << 2 << false;
    QTest::newRow("malformed-dots") << "(+ 1.2.3)" << "malformed number: 1.2.3" << 1 << 4 << false;
    QTest::newRow("malformed-suffix") << "\n 12abc" << "malformed number: 12abc" << 2 << 2 << false;
    QTest::newRow("malformed-exp") << "1e" << "malformed number: 1e" << 1 << 1 << false;
    QTest::newRow("malformed-hex") << "0xZZ" << "malformed number: 0xZZ" << 1 << 1 << false;
    QTest::newRow("hex-range") << "0x10000000000000000" << "out of range" << 1 << 1 << false;
    QTest::newRow("rational-zero") << "(f 1/0)" << "division by zero in rational literal 1/0" << 1 << 4 << false;
    QTest::newRow("rational-bad") << "1/x" << "malformed number: 1/x" << 1 << 1 << false;
    QTest::newRow("unterminated") << "(x \"abc\n def" << "unterminated string" << 1 << 4 << true;
    QTest::newRow("unterminated-raw") << "#|abc" << "unterminated raw string" << 1 << 1 << true;
    QTest::newRow("hash-unknown") << "  #q" << "unknown reader syntax #q" << 1 << 3 << false;
    QTest::newRow("hash-end") << "#" << "end of input after #" << 1 << 1 << true;
    QTest::newRow("char-name") << "#\\bogus" << "unknown character name #\\bogus" << 1 << 1 << false;
    QTest::newRow("char-end") << "#\\" << "end of input" << 1 << 1 << true;
    QTest::newRow("quote-end") << "(a '" << "expected a datum after quote" << 1 << 4 << true;
    QTest::newRow("quote-close") << "(a ')" << "expected a datum after quote prefix at 1:4, found )" << 1 << 5 << false;
    QTest::newRow("comment-end") << "#;" << "expected a datum after #;" << 1 << 1 << true;
    QTest::newRow("keyword-empty") << "(a : b)" << "a keyword needs a name" << 1 << 4 << false;
    QTest::newRow("dict-odd") << "{:a 1 :b}" << "even number" << 1 << 1 << false;
  }

  void errors() {
    QFETCH(QString, src);
    QFETCH(QString, message);
    QFETCH(int, line);
    QFETCH(int, col);
    QFETCH(bool, incomplete);
    ReadError e = err(src.toStdString());
    QVERIFY2(q(e.message).contains(message), qPrintable(q(e.message)));
    QCOMPARE(int(e.span.line), line);
    QCOMPARE(int(e.span.col), col);
    QCOMPARE(e.incomplete, incomplete);
    QVERIFY(e.span.valid());
  }

  void invalidUtf8() {
    ReadError e = err("(\"a\xff\")");
    QCOMPARE(e.message, std::string("invalid UTF-8 in string"));
    QCOMPARE(e.span.col, 2u);
    QCOMPARE(err(" a\x80").message, std::string("invalid UTF-8 in symbol"));
    QCOMPARE(err("#|\xC3|").message, std::string("invalid UTF-8 in raw string"));
    QCOMPARE(err("#\\\xC3").message, std::string("invalid UTF-8 in character literal"));
    QCOMPARE(rd("; comment \xff\n1").data.size(), size_t(1));  // comments are not checked
  }

  void dataBeforeError() {
    ReadResult r = rd("1 (2) )");
    QVERIFY(r.error);
    QCOMPARE(r.data.size(), size_t(2));
    QCOMPARE(r.data[0].value, Value::fixnum(1));
  }

  void deepNestingReads() {
    std::string src(100000, '(');
    src += std::string(100000, ')');
    ReadResult r = readAll(*iso, src, 0);
    QVERIFY(!r.error);
    Value v = r.data[0].value;
    int depth = 0;
    while (isPair(v)) v = car(v), ++depth;
    QCOMPARE(depth, 99999);  // the innermost () is the empty list
    QVERIFY(iso->pairSpans(r.data[0].value) == nullptr);  // no source: no spans kept
  }

  void printerDepthSafety() {
    Value v = Value::empty();
    for (int i = 0; i < 100000; ++i) v = iso->cons(v, Value::empty());
    std::string s = pr(v);
    QVERIFY(s.find("...") != std::string::npos);
    QVERIFY(s.compare(0, size_t(kMaxPrintDepth), std::string(size_t(kMaxPrintDepth), '(')) == 0);
    QCOMPARE(s.size(), size_t(kMaxPrintDepth) * 2 + 3);
    Value flat = Value::empty();
    for (int i = 0; i < 100000; ++i) flat = iso->cons(Value::fixnum(i), flat);
    std::string f = pr(flat);
    QVERIFY(f.starts_with("(99999 99998 "));
    QVERIFY(f.ends_with(" 1 0)"));
  }

  void printerCycles() {
    Value l = iso->list({Value::fixnum(1), Value::fixnum(2), Value::fixnum(3)});
    as<Pair>(cdr(cdr(l)))->cdr = l;  // (1 2 3 1 2 3 ...)
    QCOMPARE(pr(l), std::string("(1 2 3 ...)"));
    Value m = iso->list({Value::fixnum(1), Value::fixnum(2)});
    as<Pair>(m)->car = m;
    QCOMPARE(pr(m), std::string("(... 2)"));
    Value d = iso->dict();
    dictSet(as<Dict>(d), iso->str("self"), d);
    dictSet(as<Dict>(d), iso->str("n"), Value::fixnum(1));
    QCOMPARE(pr(d), std::string("{:self ... :n 1}"));
    // Shared structure that is not a cycle prints in full.
    Value shared = iso->list({Value::fixnum(7)});
    QCOMPARE(pr(iso->list({shared, shared})), std::string("((7) (7))"));
    Value tail = iso->list({Value::fixnum(2)});
    QCOMPARE(pr(iso->list({tail, Value::fixnum(1), tail})), std::string("((2) 1 (2))"));
  }

  void printerForms() {
    Value d = iso->dict();
    dictSet(as<Dict>(d), iso->str("k"), Value::fixnum(1));
    dictSet(as<Dict>(d), iso->str("a b"), iso->str("x"));
    dictSet(as<Dict>(d), iso->str("gone"), Value::nil());
    dictDelete(as<Dict>(d), iso->str("gone"));
    QCOMPARE(pr(d), std::string("{:k 1 \"a b\" \"x\"}"));
    QCOMPARE(disp(d), std::string("{:k 1 \"a b\" x}"));
    QCOMPARE(pr(iso->dict()), std::string("{}"));
    Value vec = iso->vector(3, Value::fixnum(0));
    as<Vector>(vec)->items[1] = iso->str("s");
    QCOMPARE(pr(vec), std::string("[0 \"s\" 0]"));
    QCOMPARE(pr(iso->vector(0)), std::string("[]"));
    QCOMPARE(pr(Value::empty()), std::string("()"));
    QCOMPARE(pr(Value::nil()), std::string("nil"));
    QCOMPARE(disp(Value::nil()), std::string(""));
    QCOMPARE(disp(iso->list({Value::nil(), iso->str("a"), Value::character('b')})), std::string("(nil a b)"));
    QCOMPARE(pr(iso->cons(Value::fixnum(1), Value::fixnum(2))), std::string("(1 . 2)"));
    QCOMPARE(pr(iso->cons(Value::fixnum(1), Value::nil())), std::string("(1)"));
    QCOMPARE(pr(iso->keyword("k")), std::string(":k"));
    QCOMPARE(disp(iso->keyword("k")), std::string(":k"));
    QCOMPARE(pr(iso->rawHtml("<b>x</b>")), std::string("<raw-html \"<b>x</b>\">"));
    QCOMPARE(disp(iso->rawHtml("<b>x</b>")), std::string("<b>x</b>"));
    QCOMPARE(pr(iso->errorValue(ErrorCode::User, "boom \"x\"")), std::string("<error \"boom \\\"x\\\"\">"));
    QCOMPARE(disp(iso->errorValue(ErrorCode::User, "boom")), std::string("boom"));
    auto* sb = iso->heap.make<StringBuffer>(ObjType::StringBuffer);
    sb->text = new std::string("ab\n");
    QCOMPARE(pr(Value::object(sb)), std::string("<string-buffer \"ab\\n\">"));
    QCOMPARE(disp(Value::object(sb)), std::string("ab\n"));
    auto* lam = iso->heap.make<Closure>(ObjType::Lambda);
    QCOMPARE(pr(Value::object(lam)), std::string("<lambda>"));
    ProtoInfo info;
    info.name = "square";
    auto* proto = iso->heap.make<Proto>(ObjType::Proto);
    proto->info = &info;
    lam->proto = proto;
    QCOMPARE(pr(Value::object(lam)), std::string("<lambda square>"));
    auto* comp = iso->heap.make<Closure>(ObjType::Component);
    comp->proto = proto;
    info.name = "~card";
    QCOMPARE(pr(Value::object(comp)), std::string("<component ~card>"));
    proto->info = nullptr;  // `info` lives on this stack frame, not in the heap
    auto* mac = iso->heap.make<Closure>(ObjType::Macro);
    QCOMPARE(pr(Value::object(mac)), std::string("<macro>"));
    auto* k = iso->heap.make<Continuation>(ObjType::Continuation);
    QCOMPARE(pr(Value::object(k)), std::string("<continuation>"));
    auto* spread = iso->heap.make<Spread>(ObjType::Spread);
    spread->attrs = d;
    QCOMPARE(pr(Value::object(spread)), std::string("<spread {:k 1 \"a b\" \"x\"}>"));
  }

  void printerAdt() {
    auto makeCtor = [&](const char* name, uint32_t fields) {
      auto* c = iso->heap.make<AdtCtor>(ObjType::AdtCtor);
      c->typeName = as<String>(iso->str("Maybe"));
      c->ctorName = as<String>(iso->str(name));
      c->fieldNames = Value::empty();
      c->aux = fields;
      return c;
    };
    AdtCtor* just = makeCtor("Just", 1);
    auto* v = static_cast<Adt*>(iso->heap.allocate(ObjType::Adt, sizeof(Adt)));
    v->ctor = just;
    v->aux = 1;
    v->fields[0] = Value::fixnum(42);
    QCOMPARE(pr(Value::object(v)), std::string("(Just 42)"));
    auto* nothing = static_cast<Adt*>(iso->heap.allocate(ObjType::Adt, sizeof(Adt)));
    nothing->ctor = makeCtor("Nothing", 0);
    QCOMPARE(pr(Value::object(nothing)), std::string("(Nothing)"));
    QCOMPARE(pr(Value::object(just)), std::string("<constructor Just>"));
    v->fields[0] = Value::object(v);  // an ADT value holding itself
    QCOMPARE(pr(Value::object(v)), std::string("(Just ...)"));
  }

  void nativeHelpers() {
    Value argv[] = {Value::fixnum(1), iso->str("a"), Value::nil(), iso->list({Value::fixnum(1)})};
    Args a{argv, 4};
    QCOMPARE(argInt(*iso, "f", a, 0), int64_t(1));
    QCOMPARE(argNumber(*iso, "f", a, 0), 1.0);
    QCOMPARE(argString(*iso, "f", a, 1), std::string_view("a"));
    QCOMPARE(argList(*iso, "f", a, 2), Value::empty());
    QVERIFY(isPair(argList(*iso, "f", a, 3)));
    auto message = [&](auto fn) -> std::pair<ErrorCode, std::string> {
      try {
        fn();
      } catch (const SxError& e) {
        return {e.code, e.what()};
      }
      return {ErrorCode::Internal, "no error"};
    };
    auto e = message([&] { argNumber(*iso, "+", a, 1); });
    QCOMPARE(e.first, ErrorCode::Type);
    QCOMPARE(e.second, std::string("+: expected number for argument 2, got string \"a\""));
    QCOMPARE(message([&] { argString(*iso, "upper", a, 2); }).second,
             std::string("upper: expected string for argument 3, got nil"));
    QCOMPARE(message([&] { argDict(*iso, "keys", a, 3); }).second,
             std::string("keys: expected dict for argument 4, got list (1)"));
    QCOMPARE(message([&] { argVector(*iso, "vector-ref", a, 0); }).second,
             std::string("vector-ref: expected vector for argument 1, got number 1"));
    std::string longText(200, 'x');
    Value longArg[] = {iso->str(longText)};
    std::string m = message([&] { argInt(*iso, "nth", Args{longArg, 1}, 0); }).second;
    QVERIFY(m.size() < 130);
    QVERIFY(m.ends_with("..."));
    auto arity = message([] { arityError("cons", 3, 2, 2); });
    QCOMPARE(arity.first, ErrorCode::Arity);
    QCOMPARE(arity.second, std::string("cons: expected 2 arguments, got 3"));
    QCOMPARE(message([] { arityError("list-of", 0, 1, -1); }).second,
             std::string("list-of: expected at least 1 argument, got 0"));
    QCOMPARE(message([] { arityError("get", 4, 2, 3); }).second,
             std::string("get: expected between 2 and 3 arguments, got 4"));
    QCOMPARE(argName(*iso, "f", Args{argv + 1, 1}, 0), std::string_view("a"));
    Value kw[] = {iso->keyword("kw"), iso->intern("sy")};
    QCOMPARE(argName(*iso, "f", Args{kw, 2}, 0), std::string_view("kw"));
    QCOMPARE(argName(*iso, "f", Args{kw, 2}, 1), std::string_view("sy"));
  }

  void readerNatives() {
    registerReaderNatives(*iso);
    Value parsed = callNative("sx-parse", {iso->str("(a 1) nil true \"s\"")});
    QCOMPARE(pr(parsed), std::string("((a 1) nil true \"s\")"));
    QCOMPARE(callNative("sx-parse", {iso->str("")}), Value::empty());
    QCOMPARE(pr(callNative("read-string", {iso->str("{:a 1} 2")})), std::string("{:a 1}"));
    QCOMPARE(callNative("read-string", {iso->str("  ")}), Value::nil());
    QCOMPARE(strView(callNative("inspect", {iso->str("a\"b")})), std::string_view("\"a\\\"b\""));
    QCOMPARE(strView(callNative("sx-serialize", {iso->list({iso->keyword("k"), Value::fixnum(1)})})),
             std::string_view("(:k 1)"));
    try {
      callNative("sx-parse", {iso->str("(a\n \"b")});
      QFAIL("sx-parse accepted an unterminated string");
    } catch (const SxError& e) {
      QCOMPARE(e.code, ErrorCode::Reader);
      QCOMPARE(std::string(e.what()), std::string("sx-parse: 2:2: unterminated string"));
    }
    try {
      callNative("sx-parse", {Value::fixnum(1)});
      QFAIL("sx-parse accepted a number");
    } catch (const SxError& e) {
      QCOMPARE(e.code, ErrorCode::Type);
    }
  }
};

QTEST_APPLESS_MAIN(TestReader)
#include "test_reader.moc"
