// The real preview server (PreviewHost) without any widgets, so it also runs in the
// sanitizer build: a request's performs with their stacks and its record; step mode
// answered by resume (resolver, a value, a bad value); stopping while a request is paused.
// The client is a plain socket on its own thread.
#include <QtTest/QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <functional>
#include <mutex>
#include <thread>

#include "inspect/preview_host.h"

using namespace sx;
using namespace sx::inspect;

namespace {

const char* kApp =
    "(define (kv op &rest args) (perform {:op op :args args}))\n"
    "(define (handler request)\n"
    "  (kv \"kv-put\" \"greeting\" \"hello\")\n"
    "  (str \"got \" (kv \"kv-get\" \"greeting\")))\n";

// Preview events, collected from the server's threads.
class Events {
 public:
  PreviewEventSink sink() {
    return [this](PreviewEvent&& e) {
      std::lock_guard lock(m_);
      events_.push_back(std::move(e));
      cv_.notify_all();
    };
  }
  template <class T>
  std::vector<T> all() const {
    std::lock_guard lock(m_);
    std::vector<T> out;
    for (const PreviewEvent& e : events_)
      if (const T* t = std::get_if<T>(&e)) out.push_back(*t);
    return out;
  }
  // Waits until there are `n` events of type T; false after the timeout.
  template <class T>
  bool waitFor(size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    std::unique_lock lock(m_);
    return cv_.wait_for(lock, timeout, [&] {
      size_t k = 0;
      for (const PreviewEvent& e : events_) k += std::holds_alternative<T>(e);
      return k >= n;
    });
  }

 private:
  mutable std::mutex m_;
  std::condition_variable cv_;
  std::vector<PreviewEvent> events_;
};

// GET `path` from 127.0.0.1:port; the whole response ("" when the connection failed).
std::string httpGet(uint16_t port, const std::string& path) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return {};
  timeval tv{30, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string out;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    std::string req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (::send(fd, req.data(), req.size(), 0) == ssize_t(req.size())) {
      char buf[4096];
      for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, size_t(n));
    }
  }
  ::close(fd);
  return out;
}

struct Project {
  QTemporaryDir dir;
  PreviewConfig config(ResolverMode mode) {
    std::string app = dir.filePath("app.sx").toStdString();
    std::ofstream(app) << kApp;
    PreviewConfig c;
    c.root = dir.path().toStdString();
    c.files = {app};
    c.mode = mode;
    return c;
  }
};

}  // namespace

class TestPreviewHost : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void answersARequestWithItsPerforms() {
    Project p;
    Events ev;
    PreviewHost host;
    host.setEventSink(ev.sink());
    host.start(p.config(ResolverMode::Unwind));
    QVERIFY(ev.waitFor<PreviewStarted>(1));
    PreviewStarted started = ev.all<PreviewStarted>()[0];
    QVERIFY(started.port != 0);
    QCOMPARE(started.mode, ResolverMode::Unwind);
    QVERIFY(host.running());
    std::string res = httpGet(started.port, "/");
    QVERIFY2(res.find("200 OK") != std::string::npos && res.find("got hello") != std::string::npos, res.c_str());
    QVERIFY(ev.waitFor<HttpRequestRecord>(1));
    HttpRequestRecord rec = ev.all<HttpRequestRecord>()[0];
    QCOMPARE(rec.path, std::string("/"));
    QCOMPARE(rec.status, 200);
    QCOMPARE(rec.suspensions, 2u);
    QCOMPARE(ev.all<HttpRequestStarted>().at(0).request, rec.request);
    auto performs = ev.all<PreviewPerform>();
    auto resumes = ev.all<PreviewResume>();
    QCOMPARE(performs.size(), size_t(2));
    QCOMPARE(resumes.size(), size_t(2));
    QCOMPARE(rec.performs, (std::vector<uint64_t>{performs[0].performed.perform, performs[1].performed.perform}));
    QCOMPARE(performs[0].performed.op, std::string("kv-put"));
    QCOMPARE(performs[0].performed.run, rec.request);
    QVERIFY(!performs[0].performed.stack.frames.empty());
    QCOMPARE(performs[0].performed.stack.frames.back()->kind, std::string("perform"));
    QCOMPARE(resumes[1].resumed.perform, performs[1].performed.perform);
    QCOMPARE(*resumes[1].resumed.value, std::string("\"hello\""));
    QVERIFY2(resumes[1].resumed.check.agrees, resumes[1].resumed.check.describe().c_str());
    host.stop();
    QVERIFY(!host.running());
    QVERIFY(ev.waitFor<PreviewStopped>(1));
    QCOMPARE(ev.all<PreviewStopped>()[0].error, std::string());
  }

  void stepModeWaitsForEachAnswer() {
    Project p;
    Events ev;
    PreviewHost host;
    host.setEventSink(ev.sink());
    host.start(p.config(ResolverMode::Step));
    QVERIFY(ev.waitFor<PreviewStarted>(1));
    PreviewStarted started = ev.all<PreviewStarted>()[0];
    QCOMPARE(started.mode, ResolverMode::Step);
    std::string res;
    std::thread client([&] { res = httpGet(started.port, "/"); });
    QVERIFY(ev.waitFor<PreviewPaused>(1));
    PreviewPaused first = ev.all<PreviewPaused>()[0];
    QCOMPARE(ev.all<PreviewPerform>().back().performed.op, std::string("kv-put"));
    QVERIFY(!ev.waitFor<PreviewResume>(1, std::chrono::milliseconds(100)));  // it waits
    host.resume(first.perform, Resume{ResumeChoice::Resolver, {}});
    QVERIFY(ev.waitFor<PreviewPaused>(2));
    PreviewPaused second = ev.all<PreviewPaused>()[1];
    QVERIFY(second.perform != first.perform);
    host.resume(second.perform, Resume{ResumeChoice::Value, "(unclosed"});
    QVERIFY(ev.waitFor<PreviewPaused>(3));  // the bad value: paused again, with why
    QVERIFY(ev.all<PreviewPaused>()[2].error.find("resume value") == 0);
    host.resume(second.perform, Resume{ResumeChoice::Value, "\"stepped\""});
    client.join();
    QVERIFY2(res.find("got stepped") != std::string::npos, res.c_str());
    QVERIFY(ev.waitFor<HttpRequestRecord>(1));
    auto resumes = ev.all<PreviewResume>();
    QCOMPARE(resumes.size(), size_t(2));
    QCOMPARE(resumes[0].resumed.how, ResumeChoice::Resolver);
    QCOMPARE(resumes[1].resumed.how, ResumeChoice::Value);
    QVERIFY(resumes[0].resumed.suspendedMs >= 100.0);  // the time it waited for its answer
  }

  void stopWhileARequestIsPaused() {
    Project p;
    Events ev;
    PreviewHost host;
    host.setEventSink(ev.sink());
    host.start(p.config(ResolverMode::Step));
    QVERIFY(ev.waitFor<PreviewStarted>(1));
    uint16_t port = ev.all<PreviewStarted>()[0].port;
    std::string res = "unset";
    std::thread client([&] { res = httpGet(port, "/"); });
    QVERIFY(ev.waitFor<PreviewPaused>(1));
    auto t0 = std::chrono::steady_clock::now();
    host.stop();
    QVERIFY(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
    QVERIFY(!host.running());
    client.join();  // the connection was closed, not answered
    QVERIFY2(res.find("got ") == std::string::npos, res.c_str());
    host.resume(ev.all<PreviewPaused>()[0].perform, Resume{});  // too late: nothing happens
    QVERIFY(ev.waitFor<PreviewStopped>(1));
  }
};

QTEST_GUILESS_MAIN(TestPreviewHost)
#include "test_preview_host.moc"
