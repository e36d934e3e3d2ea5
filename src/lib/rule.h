// A compiled rule of a rule file, with what its examples expect and the
// prefilters derived from its pattern.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <unicode/regex.h>
#include <unicode/uniset.h>

#include "text.h"

namespace gazette {

/// One example a rule carries: a line and the groups it must capture, or a
/// line it must not match.
struct RuleExample {
  std::string line;
  bool match = true;
  std::vector<std::pair<std::string, std::string>> expect;  ///< group → printed text ("rest" = after the match)
  int file_line = 0;
};

/// A compiled rule. The pattern is shared and immutable; matchers are made per
/// thread (see RuleMatcher).
struct Rule {
  std::string id;
  std::string file;
  int line = 0;     ///< where the regex stands in the file (1-based)
  int column = 0;
  std::string regex;
  std::shared_ptr<const icu::RegexPattern> pattern;
  std::map<std::string, int> groups;  ///< named groups
  int level = 0;                      ///< markers: the kind reported in the output
  int rank = 0;                       ///< markers: nesting order (default level * 10)
  std::string numeral;                ///< markers, dates: arabic, chinese, circled
  /// docnum: a rule the line above must match (the line's first non-blank
  /// predecessor); its named groups are read from that line.
  std::shared_ptr<const Rule> previous;
  std::string form;                   ///< docnum: standard (GB/T 9704, validate checks it), order, announcement, other
  bool standard = true;               ///< markers: a form GB/T 9704 uses
  std::string date_template;          ///< deadlines: {y}-{m}-{d}, {m}-last, {year}
  /// substitutions: what the `wrong` group (the whole match when the rule has
  /// none) reads as. Either one text for the whole span, or, when `replace_map`
  /// is not empty, a character-for-character reading inside the span.
  std::string replace;
  std::vector<std::pair<std::string, std::string>> replace_map;
  /// The first units of the map's keys as a match view has them: a line
  /// whose view holds none of them is not searched.
  CharFilter replace_filter = CharFilter::none();
  std::string why;                    ///< substitutions: the reason, shown in the output
  bool ocr_only = false;              ///< substitutions: `scope: ocr`, read only in text OCR made
  icu::UnicodeString needs;           ///< a literal every match contains: lines without it are skipped
  std::vector<icu::UnicodeString> needs_any;  ///< literals one of which every match contains (needs: [a, b])
  /// For a pattern anchored with $ whose matches have a bounded length: how
  /// many units from the end a match can start (0 = not known). A search
  /// then tries the view's tail only.
  int32_t tail = 0;
  /// The character every match ends with (号 for a 文号), or 0: a search
  /// stops at its last occurrence in the view.
  char16_t closing = 0;
  /// A regex that is a plain literal (签发人, \t, \*\*), or one class of
  /// single BMP characters ([、;]): a search is then a scan of the view's
  /// units, not a regex run, and finds what the regex finds.
  icu::UnicodeString scan_literal;
  std::u16string scan_set;
  /// For a pattern anchored with ^: the characters a match can start with,
  /// derived from the regex when that is certain (empty set = unknown).
  std::shared_ptr<const icu::UnicodeSet> first_chars;
  /// For a pattern anchored with $: the characters a match can end with.
  std::shared_ptr<const icu::UnicodeSet> last_chars;
  /// Filters of those sets (all bits set when there is no set): a clear bit
  /// rules a character out before the set itself is asked.
  CharFilter first_filter, last_filter;
  std::vector<RuleExample> examples;

  int group(const std::string& name) const {
    auto it = groups.find(name);
    return it == groups.end() ? -1 : it->second;
  }
  std::string where() const { return file + ":" + std::to_string(line) + ":" + std::to_string(column); }
};

}  // namespace gazette
