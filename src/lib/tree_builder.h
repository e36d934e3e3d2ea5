// Phase 5: one zone of a notice (its body, or what follows its date) becomes a
// tree of nodes. Items nest by marker rank with a stack of open items (as
// cmark keeps open blocks); paragraphs sit under the item they follow;
// responsibility blocks attach to the node they close.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "classify.h"
#include "model.h"

namespace gazette {

struct BuildContext {
  const std::vector<LineInfo>& lines;       ///< line records
  Matchers& m;
  std::optional<int> year;                  ///< for deadlines printed without a year
};

/// Builds the nodes of a zone given as line indices in reading order. An
/// 附件说明 in it goes to `attachments`. A break in the indices (a page break
/// or a repaired fragment) lets a cut sentence join across it.
void build_body(const BuildContext& ctx, const std::vector<int>& zone, std::vector<Node>* body,
                std::vector<Attachment>* attachments);

/// Builds what a notice prints after its date: the document it issues and
/// each 附件N block, each with its title and body.
std::vector<Enclosure> build_enclosures(const BuildContext& ctx, const std::vector<int>& zone);

/// True when line `next` continues the text of `prev` (a sentence cut by a
/// line or page break). `page_break` says whether a page break separates them.
bool continues(const LineInfo& prev_line, const std::string& prev_text, const LineInfo& next, bool page_break);
/// The same, with the punctuation of `prev_text` already known.
bool continues(const LineInfo& prev_line, const std::string& prev_text, const Punct& prev_punct, const LineInfo& next,
               bool page_break);

/// Whether the print separates line indices a and b (a < b) by a page break:
/// two or more blank lines between them, or lines that are not neighbours in
/// the input (a repaired fragment).
bool page_break_between(const std::vector<LineInfo>& lines, int a, int b);

}  // namespace gazette
