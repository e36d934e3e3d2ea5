// gazette review: one self-contained HTML page that shows a conversion beside
// its source. The page carries the same JSON trees the JSON writer writes (so
// it can never disagree with the files), the printed lines as grammar explain
// reads them, and validate's findings; its script renders them with
// textContent only, so no text of the issue is ever read as markup.
#pragma once

#include <string>
#include <vector>

#include "convert.h"
#include "diagnostics.h"
#include "model.h"

namespace gazette {

/// The review page of `issue`, whose printed lines are `lines` (from
/// explain_issue) and whose findings are `findings` (validate_issues).
/// `name` is what the page calls the issue (its file name).
std::string render_review_page(const std::string& name, const Issue& issue, const std::vector<LineExplanation>& lines,
                               const std::vector<Finding>& findings);

/// JSON text made safe to stand inside <script type="application/json">:
/// every < > & becomes its \u escape (they stand only inside JSON strings,
/// which read the same), so the text cannot close the element.
std::string json_for_script(const std::string& text);

}  // namespace gazette
