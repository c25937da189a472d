// `sx repl`: read-eval-print with libedit line editing and history when stdin is a
// terminal, plain form-by-form evaluation of stdin otherwise. An entry is complete
// when the real reader says so: lines are accumulated while it reports the input as
// incomplete (ReadError::incomplete).
#include <unistd.h>

#include <clocale>
#include <cstdlib>
#include <iostream>
#include <string>

#include <editline/readline.h>

#include "host.h"
#include "reader/reader.h"

namespace sx::cli {

namespace {

constexpr const char* kPrompt = "sx> ";
constexpr const char* kContinuationPrompt = "..> ";
constexpr int kHistoryLength = 1000;

// libedit decodes multibyte input by LC_CTYPE; SX source is UTF-8, so fall back to
// C.UTF-8 when the environment names a single-byte locale (or none).
void useUtf8Input() {
  const char* name = std::setlocale(LC_CTYPE, "");
  if (!name || MB_CUR_MAX == 1) std::setlocale(LC_CTYPE, "C.UTF-8");
}

enum class EntryState { Empty, Incomplete, Complete };

// Classifies the text typed so far. The reader runs on a throwaway isolate so that
// checking never allocates in (or interns into) the engine's heap. A complete entry
// may still hold a reader error; evaluating it reports that error.
EntryState classify(std::string_view text) {
  Isolate scratch;
  ReadResult r = readAll(scratch, text, 0);
  if (r.error) return r.error->incomplete ? EntryState::Incomplete : EntryState::Complete;
  return r.data.empty() ? EntryState::Empty : EntryState::Complete;
}

// The history file, ~/.sx_history, read at start and written back at exit.
class History {
 public:
  History() {
    if (const char* home = std::getenv("HOME")) path_ = std::string(home) + "/.sx_history";
    using_history();
    stifle_history(kHistoryLength);
    if (!path_.empty()) read_history(path_.c_str());
  }
  ~History() {
    if (!path_.empty()) write_history(path_.c_str());
  }
  History(const History&) = delete;
  History& operator=(const History&) = delete;

  void add(std::string entry) {
    while (!entry.empty() && entry.back() == '\n') entry.pop_back();
    add_history(entry.c_str());
  }

 private:
  std::string path_;
};

class Repl {
 public:
  explicit Repl(const EngineOptions& opts) : engine_(opts) { connectOutput(engine_); }

  void preload(const std::vector<std::string>& files);
  int interactive();
  int piped();

 private:
  // Entries are named "<repl-N>" / "<stdin-N>" so every diagnostic points at one entry.
  void evaluate(const std::string& entry, const char* source);
  // Reads one line at the prompt; false at end of input. `interrupted` is set when
  // Ctrl-C ended the read instead.
  bool readLine(const char* prompt, std::string& line, bool& interrupted);

  Engine engine_;
  SigintRouter sigint_;
  bool anyError_ = false;
  int entries_ = 0;
};

void Repl::evaluate(const std::string& entry, const char* source) {
  std::string fileName = "<" + std::string(source) + "-" + std::to_string(++entries_) + ">";
  EvalResult r = sigint_.run(engine_, [&] { return engine_.evalString(entry, fileName); });
  if (r.ok) {
    std::cout << r.printed << '\n' << std::flush;
  } else {
    anyError_ = true;
    printDiagnostic(std::cerr, r.error);
  }
}

void Repl::preload(const std::vector<std::string>& files) {
  for (const std::string& file : files) {
    EvalResult r = sigint_.run(engine_, [&] { return engine_.loadFile(file); });
    if (!r.ok) {
      anyError_ = true;
      printDiagnostic(std::cerr, r.error);
    }
  }
}

bool Repl::readLine(const char* prompt, std::string& line, bool& interrupted) {
  sigint_.clearIdleInterrupt();
  char* raw = readline(prompt);
  interrupted = !raw && sigint_.takeIdleInterrupt();
  if (!raw) return false;
  line = raw;
  std::free(raw);
  return true;
}

int Repl::interactive() {
  useUtf8Input();
  rl_readline_name = "sx";
  rl_catch_signals = 0;  // SIGINT goes to the SigintRouter, which interrupts the run
  History history;
  std::string entry, line;
  for (;;) {
    bool interrupted = false;
    if (!readLine(entry.empty() ? kPrompt : kContinuationPrompt, line, interrupted)) {
      std::cout << '\n' << std::flush;
      if (!interrupted) return kExitOk;  // Ctrl-D
      entry.clear();                     // Ctrl-C at the prompt drops the entry
      continue;
    }
    entry += line;
    entry += '\n';
    EntryState state = classify(entry);
    if (state == EntryState::Incomplete) continue;
    if (state == EntryState::Complete) {
      history.add(entry);
      evaluate(entry, "repl");
    }
    entry.clear();
  }
}

int Repl::piped() {
  std::string entry, line;
  while (std::getline(std::cin, line)) {
    entry += line;
    entry += '\n';
    EntryState state = classify(entry);
    if (state == EntryState::Incomplete) continue;
    if (state == EntryState::Complete) evaluate(entry, "stdin");
    entry.clear();
  }
  // Input ended inside a form: evaluating it lets the reader report what is unclosed.
  if (classify(entry) != EntryState::Empty) evaluate(entry, "stdin");
  return anyError_ ? kExitFailure : kExitOk;
}

}  // namespace

int runRepl(const EngineOptions& opts, const std::vector<std::string>& preload) {
  Repl repl(opts);
  repl.preload(preload);
  return isatty(STDIN_FILENO) ? repl.interactive() : repl.piped();
}

}  // namespace sx::cli
