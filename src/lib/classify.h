// Phase 2: every line gets a record from the grammar, on its own, before any
// structure is built (as md4c analyses lines). Nothing here looks at neighbours.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "grammar.h"
#include "model.h"

namespace gazette {

enum class LineKind {
  Blank,
  Text,
  Docnum,           ///< a line that is nothing but a 文号 (maybe with 签发人)
  Date,             ///< a 成文日期 alone on its line
  Signer,           ///< 签发人：…
  PublicNote,       ///< （此件公开发布）
  AttachmentNote,   ///< 附件：1. …  (附件说明)
  AttachmentLabel,  ///< 附件1： (head of an 附件 block)
  Download,         ///< 附件：名称.docx, an attached file as a web page lists it
  Marker,           ///< a numbered item
  Responsibility,   ///< 责任单位：… and the other labels
  RosterRole,       ///< 组长：…
  TableRow,         ///< cells separated by tabs
  Colophon,         ///< 刊号：… and the other colophon labels
};

const char* line_kind_name(LineKind k);

/// What only some kinds of line carry. It is kept out of the line record, so
/// that the records of the many plain lines stay small (an issue holds
/// thousands of them, and every phase walks them).
struct LineDetail {
  // A marker printed at the end of this line that starts the next item.
  std::string glued_marker;
  int glued_level = 0;
  int glued_rank = 0;
  int glued_value = 0;
  std::string_view glued_rule;  ///< owned by the grammar
  bool glued_standard = true;
  std::size_t glued_cut = 0;    ///< byte offset in `text` where the glued marker starts
  DocNumber docnum;             ///< a Docnum line's 文号
  std::string iso_date;         ///< a Date line's date
  std::string signer;           ///< a Signer line's, or a 签发人 printed on the 文号 line
  std::string field;            ///< Responsibility: leaders, lead_units, units, partner_units, deadline
  std::string role;             ///< RosterRole
  std::string label;            ///< the label of a Responsibility or AttachmentLabel line
  std::optional<int> label_number;
};

/// The record of one input line.
struct LineInfo {
  int number = 0;              ///< 1-based input line (the first, when reflow joined several)
  int last = 0;                ///< the last input line the text came from
  bool page_break = false;     ///< a page of the print ends before this line (reflow saw its furniture)
  bool runs_on = false;        ///< its last printed line runs to the print width at a page end
  bool para_start = false;     ///< it starts a paragraph by its indent (in a text that indents them)
  bool wrapped = false;        ///< the text is hard-wrapped: a line that does not run on ended where it ends
  LineKind kind = LineKind::Blank;
  bool terminated = false;     ///< ends with closing punctuation (。；：！？…）」)
  std::string text;            ///< printed, trimmed
  MatchView mv;                ///< what rules see (artifacts removed)
  std::string_view rule;       ///< id of the rule that decided the kind (owned by the grammar)
  Punct punct;                 ///< punctuation of `text` (of `rest` for a marker line)
  // Marker
  int level = 0;
  int rank = 0;                ///< nesting order of the marker kind
  int value = 0;
  bool standard_marker = true;
  std::string marker;          ///< printed
  std::string rest;            ///< printed text after the marker / label

  /// The line's detail: an empty one when it has none.
  const LineDetail& detail() const {
    static const LineDetail kNone;
    return detail_ ? *detail_ : kNone;
  }
  /// The line's detail, made on first use.
  LineDetail& detail_for_write() {
    if (!detail_) detail_ = std::make_unique<LineDetail>();
    return *detail_;
  }

 private:
  std::unique_ptr<LineDetail> detail_;
};

/// Compiled matchers for one conversion (ICU matchers are not shared between
/// threads; each conversion makes its own from the grammar's patterns).
struct Matchers {
  explicit Matchers(const Grammar& g);
  const Grammar& grammar;
  /// docnum: the rules read from one line; docnum_after: those that also
  /// need the line above (Rule::previous), with that rule's matchers.
  RuleList docnum_after;
  std::vector<std::unique_ptr<RuleMatcher>> docnum_above;
  RuleList artifacts, docnum, issuer, title_start, title_end, signer, addressee, date, public_note;
  RuleList attachment_note, attachment_label, download, closing, markers, glued_markers;
  RuleList resp_line, resp_paren, resp_prose, resp_field_sep, resp_list_sep, deadlines;
  RuleList roster_line, roster_member, table_row, masthead, toc_section, toc_entry, colophon;
  RuleList page_number, substitutions;
  /// The text was read by OCR: substitutions of `scope: ocr` apply.
  bool ocr_text = false;
};

/// Classifies every line. Each line's string becomes its record's text (the
/// lines are consumed). `origin`, when given, holds the printed lines each
/// line came from (reflow); otherwise line i is printed line i+1. The
/// grammar's substitutions are read first (an extraction confusion read as
/// what it stands for), each recorded in `readings` when given. Throws
/// RegexTimeout when a rule runs too long.
std::vector<LineInfo> classify_lines(std::vector<std::string> lines, Matchers& m,
                                     const std::vector<LineSpan>* origin = nullptr,
                                     std::vector<Reading>* readings = nullptr);

/// Reads a 文号 match of `m` (a docnum rule) into a DocNumber.
DocNumber read_docnum(RuleMatcher& m, const MatchView& mv, const std::string& printed, int line);

/// Date of a `date` rule match as ISO 8601, "" when its numbers do not read,
/// or kNotOnTheCalendar when they name a day the month does not have.
std::string read_iso_date(RuleMatcher& m, const MatchView& mv);
/// What read_iso_date returns for a day its month does not have (2月31日).
inline constexpr const char* kNotOnTheCalendar = "not-on-the-calendar";

/// True when the text ends with punctuation that closes a sentence or clause
/// (。！？；：… and closing brackets and quotes).
bool ends_terminated(const std::string& text);

}  // namespace gazette
