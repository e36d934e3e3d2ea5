// Page layout: the words of a page with their boxes (a PDF's text layer, or
// what OCR read off a page image) become the lines of text the rest of the
// pipeline reads, each with its place on the page.
//
// The text is printed as a careful extractor prints it: words on one baseline
// make one line, left to right; a line's indent from the page's text edge is
// kept (one U+3000 per em), so that reflow can see paragraph starts; a larger
// gap between lines becomes a blank line; and a table, found by its columns
// (two or more lines whose wide gaps line up, or one line of three or more
// cells), is printed as tab-separated cells, an empty cell left empty, as the
// paragraph form prints tables. No tab is ever read from the page: a table is
// found by position alone.
#pragma once

#include <string>
#include <vector>

namespace gazette {

/// A rectangle on a page, y growing downwards (PDF points or image pixels).
struct Box {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

/// Where a line of the text came from.
struct LinePlace {
  int page = 0;              ///< 1-based page of the document (0: not from a page)
  int line_on_page = 0;      ///< 1-based line of the page's text (blank lines count)
  Box box;                   ///< the line's box on the page (zero for a blank line)
  float confidence = -1;     ///< OCR's confidence 0..100; -1 for a text layer
  bool doubtful = false;     ///< OCR's confidence is under the threshold asked for
};

/// One word as a reader gives it.
struct PageWord {
  std::string text;          ///< UTF-8
  Box box;
  bool space_after = false;  ///< the reader saw a space after it
  float confidence = -1;     ///< OCR's confidence 0..100; -1 for a text layer
  int line = -1;             ///< the reader's own line number, when it groups lines (OCR); -1 otherwise
};

struct PageLine {
  std::string text;
  LinePlace place;
};

/// Lays the words of page `page` (1-based) out as lines, as described above.
std::vector<PageLine> lay_out_page(std::vector<PageWord> words, int page);

}  // namespace gazette
