// The analyser: datums to Proto/Node trees. Expands macros (running them on a nested
// fiber), desugars derived forms (cond, case, when, let*, named let, do loops, ->,
// quasiquote, match, define-type, defcomp) into the small node set of node.h, and
// resolves every symbol to a frame slot or a global cell.
//
// Malformed special forms throw SxError(Syntax) with the span of the offending form.
#pragma once

#include <vector>

#include "cek/node.h"
#include "value/isolate.h"

namespace sx {

// Analyses one top-level form into a zero-parameter toplevel proto.
Proto* analyzeToplevel(Isolate& iso, Value datum, Span span);

// Analyses `expr` as the body of a lambda whose parameters are `params` (symbols), with
// the global environment outside. Used by render-to-html to evaluate embedded code with
// component parameters bound.
Proto* analyzeWithParams(Isolate& iso, Value expr, const std::vector<Value>& params, Span span);

// The names the analyser treats as special forms (for the syntax definition and the IDE).
const std::vector<const char*>& specialFormNames();

constexpr int kMaxAnalyzeDepth = 3000;  // nested forms before "expression nested too deeply"

}  // namespace sx
