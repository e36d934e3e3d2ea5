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

}  // namespace gazette
