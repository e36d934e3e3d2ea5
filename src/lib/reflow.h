// Phase 1b: what text extraction did to the print, undone before lines are
// classified. OCR engines and PDF text extractors print a gazette hard-wrapped
// at the print width, with page numbers and running heads between its pages,
// and display lines letter-spaced. Reflow joins wrapped lines back into the
// paragraphs they were typeset from, sets page furniture apart (kept in the
// output, never dropped) and closes letter-spaced lines up. It records every
// step; a text already in paragraph form passes through unchanged.
//
// Lines are joined within a page only. Where a page ends is known (its
// furniture) and handed on: a sentence that runs over a page break is joined
// by the tree builder, as in paragraph-form text, because a page break is
// also where the print's reading order can jump to another notice.
#pragma once

#include <string>
#include <vector>

#include "classify.h"
#include "model.h"
#include "source.h"

namespace gazette {

/// What reflow did to one printed line (8 bytes: an issue has a record per
/// printed line).
struct LineFate {
  enum Kind : unsigned char { Kept, Joined, PageNumber, RunningHead, ClosedUp };
  Kind kind = Kept;
  int into = 0;       ///< Joined: the printed line it was joined onto (the logical line's first)
  bool furniture() const { return kind == PageNumber || kind == RunningHead; }
  /// The furniture's kind as the output names it: page-number or running-head.
  const char* furniture_name() const { return kind == PageNumber ? "page-number" : "running-head"; }
};

/// The text as it was typeset: logical lines, each with the printed lines it
/// came from. Blank lines stay (each its own logical line, a run of them
/// one); furniture lines are taken out.
struct ReflowedText {
  std::vector<std::string> lines;
  std::vector<LineSpan> origin;   ///< printed lines of each logical line (1-based)
  std::vector<bool> page_break;   ///< a page of the print ends before the logical line
  /// The logical line's last printed line runs to the print width at the end
  /// of its page: its text goes on after the page break (or was cut there).
  std::vector<bool> runs_on;
  /// The logical line starts a paragraph by its first-line indent (only in a
  /// text that indents its paragraphs).
  std::vector<bool> para_start;
  std::vector<LineFate> fates;    ///< one per entry of the printed lines (a blank run is one)
};

/// Reflows the printed lines (consumed; `runs` says where each stands, as in
/// SourceText). Fills `report` with the measured print width, the furniture
/// and the letter-spacing readings. Throws RegexTimeout as classification does.
ReflowedText reflow_lines(std::vector<std::string> printed, const LineRuns& runs, Matchers& m, ReflowReport* report);

/// Display columns of a printed text: two for a wide or full-width character
/// (CJK, full-width forms, the ambiguous punctuation of Chinese text such as
/// — and “”), one for ASCII and other narrow characters.
int display_columns(std::string_view s);

/// The letter-spaced line closed up (关 于 加 强 → 关于加强), or "" when the
/// line is not letter-spaced: tokens of one character each, at least half
/// of them CJK (both, when there are two), one space between them (a word
/// gap of two or three here and there, kept as one space).
std::string close_up_letter_spacing(std::string_view line);

}  // namespace gazette
