// validate: checks the numbering and the cross-references of converted issues
// (文号 form, 文号 series, 成文日期, headings, 附件, table of contents, titles).
// It reads only the model and returns findings; it never prints or exits.
#pragma once

#include <string>
#include <vector>

#include "diagnostics.h"
#include "model.h"

namespace gazette {

/// One check: its stable code, the severity every finding of it carries, and
/// what it means (docs/validate.md gives the same table).
struct CheckInfo {
  const char* code;
  Severity severity;
  const char* meaning;
};

/// Every check validate runs, in the order docs/validate.md lists them.
const std::vector<CheckInfo>& validate_checks();

/// Validates the given issues. Per-issue checks run on each; the 文号 series
/// checks (duplicates, order, missing numbers) run across all of them, so
/// validating a run of back issues checks the series across the run.
/// Findings carry `Issue::source_file` as their file and are sorted by
/// (file, line, code, message).
std::vector<Finding> validate_issues(const std::vector<const Issue*>& issues);

/// The key two issue texts are compared on: NFKC, no white space, dashes,
/// quotes and brackets folded to one form each, 《》〈〉 dropped. Exposed for tests.
std::string fold_title(const std::string& printed);

}  // namespace gazette
