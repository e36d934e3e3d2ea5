// Phase 4: the issue is cut into front matter, notices and back matter. A notice
// is anchored on a line that is nothing but a 文号; its header (issuer, title)
// is read backwards from there, its 签发人, 主送机关, body, signature and date
// forwards; what follows the date is its enclosure zone. The front matter
// (masthead, contents) is read here too.
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
  std::vector<int> issuer_lines;  ///< issuer lines above the title (one organ or several a line)
  std::vector<int> title_lines;
  std::string issuer;             ///< as printed (issuer lines, or the title's prefix)
  std::vector<std::string> issuers;  ///< the issuing organs, in printed order (joint documents: all)
  std::string title;              ///< joined title lines
  int signer_line = -1;
  std::vector<int> addressee_lines;
  std::vector<int> body;          ///< 正文 and 附件说明
  std::vector<int> signature_lines;
  int date_line = -1;
  std::vector<int> note_lines;    ///< （此件公开发布）
  std::vector<int> enclosure;     ///< everything printed after the date
  std::vector<int> downloads;     ///< attached files a web page lists (附件：名称.docx)
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

/// The organs of an issuer text: its parts between spaces and 、 when each is
/// an issuer on its own (国务院办公厅 中央军委办公厅), else the whole text.
std::vector<std::string> split_issuers(const std::string& text, Matchers& m);

/// A paragraph node holding one line record as printed: what front and
/// back matter and stray lines become.
Node line_node(const LineInfo& li);

/// Reads the issue's front matter (the lines `front` indexes): every line
/// kept as a paragraph, the masthead's publication, year and numbers, and
/// the table of contents (an entry cut by a page break goes on at the next
/// page's top).
void read_front_matter(const std::vector<LineInfo>& L, const std::vector<int>& front, Matchers& m, Issue* issue);

}  // namespace gazette
