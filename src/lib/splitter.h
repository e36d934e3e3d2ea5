// Phase 4: the issue is cut into front matter, notices and back matter. A notice
// is anchored on a line that is nothing but a 文号; its header (issuer, title)
// is read backwards from there, its 签发人, 主送机关, body, signature and date
// forwards; what follows the date is its enclosure zone.
#pragma once

#include <string>
#include <vector>

#include "classify.h"

namespace gazette {

/// Where the parts of one notice stand, as indices into the line records.
/// Zones hold the indices of their non-blank lines, in reading order; the
/// layout phase may move runs of them between notices.
struct NoticeLayout {
  int start = 0;                  ///< first line of the notice (issuer or title)
  int end = 0;                    ///< one past its last line
  int docnum_line = -1;
  int issuer_line = -1;           ///< a separate issuer line above the title
  std::vector<int> title_lines;
  std::string issuer;             ///< as printed (issuer line, or the title's prefix)
  std::string title;              ///< joined title lines
  int signer_line = -1;
  std::vector<int> addressee_lines;
  std::vector<int> body;          ///< 正文 and 附件说明
  std::vector<int> signature_lines;
  int date_line = -1;
  std::vector<int> note_lines;    ///< （此件公开发布）
  std::vector<int> enclosure;     ///< everything printed after the date
  std::vector<int> stray;         ///< header-zone lines that fit nowhere (→ unassigned)
};

struct IssueLayout {
  std::vector<int> front;         ///< masthead, table of contents, editorial board
  std::vector<NoticeLayout> notices;
  std::vector<int> back;          ///< colophon
};

IssueLayout split_issue(const std::vector<LineInfo>& lines, Matchers& m);

/// True when a line is short and free of sentence punctuation (a title, an
/// organ name, a heading), as the header and enclosure-title readers need.
bool is_title_like(const LineInfo& li, std::size_t max_chars = 60);

}  // namespace gazette
