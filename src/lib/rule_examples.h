// Running the examples rule files carry: each a line and what a rule must
// read from it, or a line it must not match.
#pragma once

#include <string>
#include <vector>

#include "grammar.h"

namespace gazette {

/// A result of running an example: "" when it passed, else what went wrong.
struct ExampleFailure {
  std::string where;    ///< file:line of the example
  std::string rule_id;
  std::string message;
};

/// Runs every example of every rule. Returns the failures (empty = all passed)
/// and the number of examples run.
std::vector<ExampleFailure> check_examples(const Grammar& g, int* examples_run);

}  // namespace gazette
