// Comparing two issues: which notices were added, removed, renumbered or
// changed, and inside a changed notice which header fields, items,
// responsibility fields and paragraphs differ. Text is compared after NFKC
// and removal of all white space, so layout (wrapping, full- versus
// half-width forms, page breaks) is never a change; the printed text is kept
// for display. The library never prints: render_diff_json and
// render_diff_text turn the result into text, the CLI chooses colour and exit
// status.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "json_model.h"
#include "model.h"

namespace gazette {

/// One run of a character-level edit script, in printed text.
struct TextEdit {
  enum class Op { Equal, Delete, Insert };
  Op op = Op::Equal;
  std::string text;
};

/// Character-level edit script from `old_text` to `new_text`, computed on the
/// normalized characters (NFKC, white space ignored) with Myers' algorithm.
/// Equal runs carry the new printed text. When the two differ in more than
/// `max_edits` characters after the common prefix and suffix are taken off,
/// the middle is given as one delete and one insert (bounded work on huge
/// paragraphs). With fold_short_runs, an equal run of one or two characters
/// between two edits is folded into them ([-4-]{+5+}月3[-0-]{+1+} reads as
/// [-4月30-]{+5月31+}); without, the script is a minimal one.
std::vector<TextEdit> diff_text(const std::string& old_text, const std::string& new_text,
                                std::size_t max_edits = 2000, bool fold_short_runs = true);

/// The text as compared: NFKC with circled numbers kept, all white space removed.
std::string normalize_for_diff(const std::string& printed);

/// What changed at one place of a notice.
///
/// kind is one of:
///  - "changed":    a field or a node's text differs (edits holds the character edits)
///  - "added", "removed": a field entry or a node (with its subtree) exists on one side only
///  - "moved":      a node with the same text now sits under another parent or out of order
///                  (old_path says where it was; a moved node whose text also changed has edits)
///  - "renumbered": a node with the same text under the same parent has another number
struct Change {
  std::string path;      ///< where, in the new issue (the old one for "removed")
  std::string old_path;  ///< where it was, for moved and renumbered nodes
  std::string kind;
  std::string old_text;  ///< whole text before ("" when added)
  std::string new_text;  ///< whole text after ("" when removed)
  std::vector<TextEdit> edits;  ///< for "changed" text: the character-level edits
  /// For a deadline (…/deadline): its ISO dates (2023-04-30) before and
  /// after, "" on a side that has none or no deadline; both "" elsewhere.
  std::string old_date;
  std::string new_date;
};

enum class NoticeStatus { Added, Removed, Changed, Unchanged, Renumbered };
const char* status_name(NoticeStatus s);

struct NoticeDiff {
  NoticeStatus status = NoticeStatus::Unchanged;
  std::string docnum;      ///< the 文号 in the new issue (the old one when removed), canonical
  std::string old_docnum;  ///< "" when added
  std::string new_docnum;  ///< "" when removed
  std::string title;       ///< the new title (the old one when removed)
  std::vector<Change> changes;  ///< empty for unchanged, added and removed notices
};

struct IssueDiff {
  std::vector<Change> issue_changes;  ///< publication, number, table of contents, matter outside notices
  std::vector<NoticeDiff> notices;    ///< new issue's order; removed notices where they stood in the old one
  /// True when nothing but layout differs.
  bool same() const;
};

struct DiffOptions {
  std::size_t max_edits = 2000;  ///< see diff_text
  /// A node whose text changed is paired with an unmatched node of the other
  /// side when this share of their normalized characters is common to both.
  double min_similarity = 0.5;
};

IssueDiff diff_issues(const Issue& old_issue, const Issue& new_issue, const DiffOptions& opts = {});

inline constexpr const char* kDiffSchema = "gazette.diff/1";

/// The JSON of CONTRACT.md: {"schema", "notices": [{docnum, status, changes}]},
/// plus old_docnum/new_docnum for renumbered notices, title, issue_changes and,
/// per changed text, its edits. Unchanged notices are listed too.
Json diff_to_json(const IssueDiff& d);

/// How render_diff_text marks things. The defaults are plain text
/// ([-old-]{+new+}); the CLI gives ANSI colours on a terminal.
struct TextStyle {
  std::string del_open = "[-", del_close = "-]";
  std::string ins_open = "{+", ins_close = "+}";
  std::string head_open, head_close;  ///< around a notice's line
  bool show_unchanged = false;        ///< list unchanged notices too
  std::size_t context = 20;           ///< characters of unchanged text kept around an edit
  std::size_t max_shown = 120;        ///< added or removed text is cut after this many characters
};

/// Terminal text: a line per notice that is not unchanged, then its changes
/// with the edits marked inline, then a line of counts.
std::string render_diff_text(const IssueDiff& d, const TextStyle& style = {});

}  // namespace gazette
