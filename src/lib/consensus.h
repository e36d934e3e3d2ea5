// OCR corrections by the issue itself: a name the issue prints many times
// (its publication, an issuer, an agency code of its 文号) or a name its rule
// files know (reflow.known_names) that OCR read with one character wrong is
// read as the form the issue agrees on. Each correction is a Reading (what,
// where, why), as the grammar's substitutions are.
#pragma once

#include <string>
#include <vector>

#include "model.h"

namespace gazette {

/// A name to hold the text to, and how often the issue prints it as such.
struct AgreedName {
  std::string text;
  int count = 0;       ///< occurrences in the issue's lines
  bool known = false;  ///< listed in a rule file (reflow.known_names)
};

/// An issue name needs this many printings to be agreed on; a misreading
/// is corrected only when it is printed at most a third as often.
constexpr int kAgreedPrintings = 3;

/// Counts each name's printings in `lines`. An issue name shorter than four
/// characters is dropped (国办发 is one character from the 国家发 of
/// 国家发展改革委), a known name shorter than three.
std::vector<AgreedName> agreed_names(const std::vector<std::string>& lines, const std::vector<std::string>& issue_names,
                                     const std::vector<std::string>& known_names);

/// Corrects, in place, every stretch of a line that differs from an agreed
/// name in exactly one character (same length, Han for Han; in a name of
/// fewer than six characters not its first or last, which may be another
/// word's: 察素齐至 is not 察素齐镇 misread); appends one Reading a corrected
/// line, with rule `ocr.consensus`.
void correct_by_consensus(std::vector<std::string>* lines, const std::vector<AgreedName>& names,
                          std::vector<Reading>* readings);

}  // namespace gazette
