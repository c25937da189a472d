#include "host.h"

#include <atomic>
#include <csignal>
#include <iostream>

namespace sx::cli {

namespace {

// Signal-handler state: lock-free atomics only.
std::atomic<Engine*> gRunning{nullptr};
std::atomic<bool> gInterruptRequested{false};
std::atomic<bool> gIdleInterrupt{false};
struct sigaction gPrevious;

static_assert(std::atomic<Engine*>::is_always_lock_free);
static_assert(std::atomic<bool>::is_always_lock_free);

void onSigint(int) {
  Engine* engine = gRunning.load();
  if (!engine) {
    gIdleInterrupt.store(true);
    return;
  }
  if (gInterruptRequested.exchange(true)) {  // the engine did not stop: give up on it
    std::signal(SIGINT, SIG_DFL);
    std::raise(SIGINT);
    return;
  }
  engine->interrupt();
}

}  // namespace

SigintRouter::SigintRouter() {
  struct sigaction action {};
  action.sa_handler = onSigint;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a read at the prompt returns on Ctrl-C
  sigaction(SIGINT, &action, &gPrevious);
}

SigintRouter::~SigintRouter() { sigaction(SIGINT, &gPrevious, nullptr); }

EvalResult SigintRouter::run(Engine& engine, const std::function<EvalResult()>& evaluate) {
  struct Running {  // cleared however evaluate() ends
    explicit Running(Engine& e) {
      // A Ctrl-C that landed after the previous run's last safepoint must not stop this one.
      e.isolate().interrupt.store(false);
      gInterruptRequested.store(false);
      gRunning.store(&e);
    }
    ~Running() { gRunning.store(nullptr); }
  } running(engine);
  return evaluate();
}

bool SigintRouter::takeIdleInterrupt() { return gIdleInterrupt.exchange(false); }

void SigintRouter::clearIdleInterrupt() { gIdleInterrupt.store(false); }

void connectOutput(Engine& engine) {
  engine.setOutput([](std::string_view text) { std::cout << text; });
}

void printDiagnostic(std::ostream& out, const Diagnostic& d) {
  std::cout << std::flush;
  std::string text = Engine::formatDiagnostic(d);
  if (text.empty() || text.back() != '\n') text += '\n';
  out << text << std::flush;
}

}  // namespace sx::cli
