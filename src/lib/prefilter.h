// Reading ICU regex syntax: the named groups of a pattern, and the
// prefilters derived from it. A prefilter is only ever a shortcut: a search
// with it finds what an ICU search of the whole view finds (matcher.h can
// turn them off to compare).
#pragma once

#include <string>
#include <vector>

#include "rule.h"

namespace gazette {

/// The names of the named groups of `regex` ((?<name>…)), in order.
std::vector<std::string> named_groups(const std::string& regex);

/// Fills the prefilters of a rule from its regex: the characters a match
/// anchored with ^ can start with and one anchored with $ can end with, a
/// literal every match holds (`needs`, unless the file named one), how far
/// from the end a bounded match anchored with $ can start (`tail`), the
/// character every match ends with (`closing`), and whether the regex is a
/// plain literal or one class of single characters (searched by a scan).
void derive_prefilters(Rule* r);

/// The most UTF-16 units a match of `regex` can span, read from its syntax
/// (a code point counts two units when it may lie outside the BMP); -1 when
/// a match can be any length or the syntax is not one this reading knows
/// (flags, back references, \X, \Q…\E).
long max_match_units(const std::string& regex);

}  // namespace gazette
