// The bytecode verifier: walks every path through a code object and checks that the
// stack depth agrees at every join, that no instruction pops below the frame, that
// jumps land on instruction boundaries inside the code, that operands index existing
// constants and locals (and name the right kind of constant), and that no path falls off
// the end. Computes Code::maxStack. Run after every compile.
#pragma once

#include <string>

#include "compiler/code.h"

namespace sx {

[[nodiscard]] bool verifyCode(Code& code, std::string* why);

}  // namespace sx
