// Per-isolate state of the effects layer.
#pragma once

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "effects/run.h"
#include "sx.h"

namespace sx {

struct RuntimeState {
  OpTable ops;
  uint32_t windCounter = 0;
  uint32_t preludeFile = 0;           // source id of the built-in prelude
  TestSink testSink;                  // report-pass / report-fail go here
  std::vector<std::string> suites;    // push-suite / pop-suite
  std::function<void(std::string_view)> output;  // println / print go here
  std::function<void(int64_t tag, Value answer)> handlerAnswered;  // see resumeWithHandler
};

RuntimeState& runtime(Isolate& iso);

}  // namespace sx
