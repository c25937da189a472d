// `sx test PATH…`: each file runs in a fresh engine with the test mock ops; results
// arrive as TestEvents. Prints failures (and passes with -v), then "N passed, M failed";
// --results writes one TSV line per result, deterministic so resolver modes can be diffed.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "host.h"

namespace sx::cli {

namespace {

namespace fs = std::filesystem;

constexpr const char* kLoadErrorName = "<load>";  // test name of an uncaught load error

struct TestRecord {
  std::string fileName;  // basename of the test file
  TestEvent event;
};

// Explicit files in the order given; directories contribute their *.sx files
// (recursively), sorted by path.
std::vector<std::string> collectTestFiles(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    if (!fs::is_directory(path)) {
      files.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    for (const auto& entry : fs::recursive_directory_iterator(path))
      if (entry.is_regular_file() && entry.path().extension() == ".sx")
        found.push_back(entry.path().string());
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

std::string joinSuitePath(const std::vector<std::string>& suites) {
  std::string out;
  for (const std::string& s : suites) {
    if (!out.empty()) out += " > ";
    out += s;
  }
  return out;
}

std::string qualifiedName(const TestEvent& e) {
  std::string suites = joinSuitePath(e.suites);
  return suites.empty() ? e.name : suites + " > " + e.name;
}

std::string location(const TestEvent& e) {
  if (e.file.empty()) return "";
  if (e.line == 0) return "  (" + e.file + ")";
  return "  (" + e.file + ":" + std::to_string(e.line) + ":" + std::to_string(e.col) + ")";
}

void printEvent(const TestEvent& e, bool verbose) {
  if (e.passed) {
    if (verbose) std::cout << "PASS " << qualifiedName(e) << '\n';
  } else {
    std::cout << "FAIL " << qualifiedName(e) << ": " << e.message << location(e) << '\n';
  }
  std::cout << std::flush;
}

std::string escapeField(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
  return out;
}

void writeTsv(std::ostream& out, const std::vector<TestRecord>& records) {
  for (const TestRecord& r : records) {
    const TestEvent& e = r.event;
    out << escapeField(r.fileName) << '\t' << escapeField(joinSuitePath(e.suites)) << '\t'
        << escapeField(e.name) << '\t' << (e.passed ? "pass" : "fail") << '\t'
        << escapeField(e.message) << '\t' << escapeField(e.value) << '\n';
  }
}

// Runs one file in a fresh engine, appending its results to `records`.
void runTestFile(const EngineOptions& opts, const std::string& file, bool verbose,
                 std::vector<TestRecord>& records) {
  std::string fileName = fs::path(file).filename().string();
  Engine engine(opts);
  connectOutput(engine);
  engine.installTestMockOps();
  engine.setTestSink([&](const TestEvent& e) {
    records.push_back({fileName, e});
    printEvent(e, verbose);
  });
  EvalResult r = engine.loadFile(file);
  if (r.ok) return;
  TestEvent failure;
  failure.name = kLoadErrorName;
  failure.message = r.error.message;
  failure.file = r.error.file;
  failure.line = r.error.line;
  failure.col = r.error.col;
  records.push_back({fileName, failure});
  std::cout << "FAIL " << file << ": uncaught error while loading\n";
  printDiagnostic(std::cout, r.error);
}

}  // namespace

int runTests(const EngineOptions& opts, const TestOptions& test) {
  std::ofstream results;
  if (!test.resultsFile.empty()) {
    results.open(test.resultsFile, std::ios::binary | std::ios::trunc);
    if (!results) {
      std::cerr << "sx test: cannot write " << test.resultsFile << '\n';
      return kExitUsage;
    }
  }
  std::vector<TestRecord> records;
  for (const std::string& file : collectTestFiles(test.paths))
    runTestFile(opts, file, test.verbose, records);

  auto failed = std::count_if(records.begin(), records.end(),
                              [](const TestRecord& r) { return !r.event.passed; });
  auto passed = static_cast<long>(records.size()) - failed;
  std::cout << passed << " passed, " << failed << " failed\n" << std::flush;
  if (results.is_open()) writeTsv(results, records);
  return failed == 0 ? kExitOk : kExitFailure;
}

}  // namespace sx::cli
