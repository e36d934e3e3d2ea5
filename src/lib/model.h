// The structured model of one gazette issue. Every phase after `build` reads
// only this model: the writers, validate and diff know nothing of parsing.
// Every node keeps its printed text and the 1-based input line it starts on.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "page_layout.h"

namespace gazette {

/// 1-based inclusive range of input lines.
struct LineSpan {
  int first = 0;
  int last = 0;
  bool operator==(const LineSpan& o) const { return first == o.first && last == o.last; }
};

/// A document number (文号): its parts, how it was printed, and its canonical
/// (GB/T 9704-2012) form, which is the notice's key (docnum.h).
struct DocNumber {
  std::string text;           ///< the canonical form, the key: 土左政字〔2023〕73号 however it was printed
  std::string agency;         ///< 机关代字, e.g. 土左政字
  std::optional<int> year;    ///< absent for order numbers (国令第707号)
  std::optional<int> seq;     ///< 发文顺序号
  std::string open_bracket;   ///< the bracket printed around the year: 〔 [ ( （ 【 …
  std::string close_bracket;
  std::string rule;           ///< id of the grammar rule that matched
  bool has_di = false;        ///< the number was printed with 第 (国令第707号)
  bool leading_zero = false;  ///< the number was printed with a leading zero (〔2023〕07号)
  int line = 0;
  std::string printed;        ///< as printed, trimmed: 土左政字[2023]73号, 土左政字 （2023） 073 号
  std::string canonical;      ///< the same as `text`; set_docnum_forms sets both
  std::string form;           ///< the rule's form: standard (GB/T 9704, checked), order, announcement, other
};

/// 完成时限: the text and the last day it allows (ISO 8601), or no date.
struct Deadline {
  std::string text;
  std::optional<std::string> date;
};

/// A responsibility block (责任领导 / 牵头单位 / 责任单位 / 配合单位 / 完成时限),
/// attached to the node it belongs to.
struct Responsibility {
  std::vector<std::string> leaders;
  std::vector<std::string> lead_units;
  std::vector<std::string> units;
  std::vector<std::string> partner_units;
  std::optional<Deadline> deadline;
  int line = 0;
  bool empty() const {
    return leaders.empty() && lead_units.empty() && units.empty() && partner_units.empty() &&
           !deadline;
  }
};

struct RosterMember {
  std::string role;   ///< 组长, 副组长, 成员, …
  std::string name;   ///< without the padding spaces of the print (陶 克 → 陶克)
  std::string title;  ///< 职务
  int line = 0;
};

enum class NodeType { Paragraph, Item, Roster, Table };

/// The name a node type has in the output (the `type` key).
inline const char* node_type_name(NodeType t) {
  switch (t) {
    case NodeType::Paragraph: return "paragraph";
    case NodeType::Item: return "item";
    case NodeType::Roster: return "roster";
    case NodeType::Table: return "table";
  }
  return "paragraph";
}

/// A node of a document body. Items carry a marker; paragraphs and other
/// nodes do not. `children` holds an item's sub-items and paragraphs.
struct Node {
  std::string id;       ///< stable within its notice: container and marker path, body/四/（一） (node_id.h)
  NodeType type = NodeType::Paragraph;
  std::string marker;   ///< numbering as printed: 一、 （一） 1. （1） ①
  int level = 0;        ///< rank of the marker kind (1 for 一、 … 5 for ①), 0 when unnumbered
  int number = 0;       ///< the marker's value
  std::string rule;     ///< grammar rule id of the marker
  bool standard_marker = true;  ///< false for forms GB/T 9704 does not use (一. （一）、 1、)
  std::string title;    ///< run-in heading of an item (the text up to its first 。), or ""
  std::string text;     ///< the rest of the node's own text, as printed (a roster: its printed lines)
  int line = 0;
  std::vector<LineSpan> spans;  ///< every input line the node's text came from
  LinePlace place;      ///< where `line` stands on its page (page 0: the input has no pages)
  std::optional<Responsibility> responsibility;
  std::vector<RosterMember> members;             ///< Roster
  std::vector<std::string> header;               ///< Table
  std::vector<std::vector<std::string>> rows;    ///< Table: every row as wide as the header
  std::vector<int> row_lines;                    ///< Table: input line of each row
  std::vector<Node> children;
};

/// One entry of a 附件说明.
struct Attachment {
  std::string label = "附件";  ///< the label as printed
  std::string marker;          ///< the number as printed (1.), "" for a single attachment
  std::optional<int> number;
  std::string title;
  std::string file;            ///< the attached file's name, when the text lists a file (附件：名称.docx)
  int line = 0;
};

/// A document printed after the notice's date: the document a 印发 notice
/// issues, or an 附件N block.
struct Enclosure {
  std::optional<std::string> label;  ///< 附件1, 附件, or none for the issued document
  std::optional<int> number;         ///< N of 附件N
  std::string title;
  int line = 0;
  std::vector<Attachment> attachments;  ///< the enclosure's own 附件说明
  std::vector<Node> body;
};

/// A recorded reading-order repair: lines moved from where the print put
/// them into the notice they continue.
struct Repair {
  LineSpan lines;
  std::string from_docnum;   ///< notice the lines were printed in ("" for none)
  std::string to_docnum;     ///< notice they were moved to
  std::string signal;        ///< why: numbering, sentence, attachment, table
  std::string detail;
};

struct Notice {
  DocNumber docnum;
  std::string issuer;                     ///< the (first) issuing organ
  std::vector<std::string> issuers;       ///< every issuing organ, in printed order (joint documents)
  std::string title;
  std::optional<std::string> signer;      ///< 签发人
  std::vector<std::string> addressees;    ///< 主送机关, split
  std::string addressee_text;             ///< 主送机关 as printed
  std::optional<std::string> date;        ///< 成文日期, ISO 8601
  std::string date_text;                  ///< 成文日期 as printed
  int date_line = 0;
  std::vector<std::string> signature;     ///< the signing organs printed above the date
  std::vector<std::string> notes;         ///< （此件公开发布） and the like
  std::vector<Attachment> attachments;    ///< the notice's own 附件说明
  std::vector<Node> body;
  std::vector<Enclosure> enclosures;
  std::vector<DocNumber> references;      ///< 文号 cited in the notice
  int title_line = 0;
  std::vector<LineSpan> spans;            ///< source lines, in input order
  int first_page = 0, last_page = 0;      ///< pages of the document its lines stand on (0: no pages)
};

struct TocEntry {
  std::optional<int> page;
  std::string section;
  std::string title;
  int line = 0;
};

/// A printed line that is page furniture, not text: a page number or a
/// running head. Kept in the output with its line, never silently dropped.
struct PageFurniture {
  int line = 0;
  std::string kind;           ///< page-number or running-head
  std::string text;           ///< as printed
  std::optional<int> page;    ///< a page number's value
};

/// A reading the reflow stage made of what extraction printed: an extraction
/// confusion read as what it stands for, or a letter-spaced line closed up.
struct Reading {
  int line = 0;               ///< first printed line of the text read
  std::string rule;           ///< the substitution rule, or reflow.letter-spacing
  std::string printed;        ///< the text as printed
  std::string read;           ///< the text as read
  std::string why;
};

/// What the reflow stage did: hard-wrapped lines joined back into
/// paragraphs, page furniture set apart, readings made.
struct ReflowReport {
  int print_width = 0;        ///< measured print width in characters (0: not hard-wrapped)
  int joined_lines = 0;       ///< printed lines joined onto the line before them
  std::vector<PageFurniture> furniture;
  std::vector<Reading> readings;
};

struct Issue {
  std::string source_file;      ///< as given on the command line
  std::string encoding;         ///< the encoding the input was decoded from
  /// The rule files read (their `grammar:` names, base first): every file
  /// that applies to all issues, and the overlays scoped to this publication.
  std::vector<std::string> rule_files;
  std::string publication;
  std::optional<int> year;
  std::optional<int> number;
  std::optional<int> cumulative_number;
  std::vector<TocEntry> toc;
  std::vector<Notice> notices;
  std::vector<Node> front_matter;
  std::vector<Node> back_matter;
  std::vector<Node> unassigned;  ///< lines the tool could not place: kept, never dropped
  std::vector<Repair> repairs;
  ReflowReport reflow;
  int pages = 0;                 ///< pages of the document read (a PDF, a scan); 0 for a text
  float low_confidence = 0;      ///< OCR lines under this confidence are listed in `doubtful`
  /// Lines OCR read with a confidence under `low_confidence`, with their places.
  struct Doubtful {
    int line = 0;
    LinePlace place;
    std::string text;
  };
  std::vector<Doubtful> doubtful;
  /// The text as read off the pages of a PDF or scan, the lines that `line`
  /// numbers cite; written beside the issue file as source.txt. Empty for a
  /// text input (the input is that text).
  std::string read_text;
};

}  // namespace gazette
