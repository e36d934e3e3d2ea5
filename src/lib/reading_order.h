// Phase 4b: the print's reading order repaired. Text extraction from a PDF
// can put the tail of one notice after the header of the next, or a table's
// pieces inside another notice. Fragments are moved back to the notice they
// continue, on general signals only (numbering that continues a sequence, a
// sentence left open, an 附件 label that continues a series); every move is
// recorded. A text without displacements is left exactly as it is.
#pragma once

#include <vector>

#include "classify.h"
#include "model.h"
#include "splitter.h"

namespace gazette {

std::vector<Repair> repair_reading_order(const std::vector<LineInfo>& lines, IssueLayout* layout);

}  // namespace gazette
