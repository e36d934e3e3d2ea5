// The pipeline: decoded text in, the structured model of the issue out.
#pragma once

#include "diagnostics.h"
#include "grammar.h"
#include "model.h"
#include "source.h"

namespace gazette {

/// Converts one decoded issue. Returns false and fills `err` only when a rule
/// runs past the regex time limit (the error names the rule and the line);
/// any text, however malformed, otherwise converts, with what could not be
/// placed kept in `unassigned`.
bool convert_issue(const SourceText& src, const Grammar& grammar, Issue* out, Error* err);
/// The same, consuming `src`: its lines become the line records' texts
/// instead of being copied (batch and convert have no further use for them).
bool convert_issue(SourceText&& src, const Grammar& grammar, Issue* out, Error* err);

/// False, with an Error of kind Input, when what was read is not a gazette
/// issue: no notice (no line is a 文号 on its own) and no masthead (no
/// publication, year or number). An issue with a masthead and no notice is
/// a gazette (an issue of appointments only), and converts.
bool check_is_gazette(const Issue& issue, Error* err);

/// Why a printed line was read as it was: for `gazette grammar explain`.
struct LineExplanation {
  int line = 0;            ///< printed line, 1-based
  std::string printed;     ///< the line as printed
  std::string kind;        ///< the kind of the line record that holds it (blank for furniture)
  std::string rule;        ///< the rule that decided the kind ("" when none did)
  std::string reflow;      ///< what reflow did: "", "joined to line N", "page furniture (page-number)", "closed up"
  std::string place;       ///< where it ended up: front matter, a notice's part, back matter, unassigned
};

/// Converts as convert_issue does, and explains every printed line.
bool explain_issue(SourceText&& src, const Grammar& grammar, Issue* out, std::vector<LineExplanation>* lines,
                   Error* err);

}  // namespace gazette
