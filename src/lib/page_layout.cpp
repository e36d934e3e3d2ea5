#include "page_layout.h"

#include <algorithm>
#include <cmath>

#include "reflow.h"
#include "text.h"

namespace gazette {
namespace {

/// A gap at least this many ems wide between two words on a line separates
/// cells of a table (a word gap is a fraction of an em, a letter-spaced title's
/// widest gap one and a half).
constexpr float kCellGapEm = 1.75f;
/// Cells of different rows closer than this (in ems) stand in one column.
constexpr float kColumnToleranceEm = 1.0f;
/// Blank lines printed for a wide gap between two lines, at most.
constexpr int kMaxBlankLines = 2;
/// An indent of more ems than this is a centred or right-set line; it is
/// printed with this many.
constexpr int kMaxIndentEms = 30;
/// Spaces printed for one gap between words, at most.
constexpr int kMaxGapSpaces = 8;

const char kIdeographicSpace[] = "\xE3\x80\x80";

/// round(v) clamped to [lo, hi], for any float a page may hold (a huge or
/// NaN coordinate rounds to a bound, never to an overflow).
int round_in(float v, int lo, int hi) {
  if (!(v >= static_cast<float>(lo))) return lo;  // also NaN
  if (v >= static_cast<float>(hi)) return hi;
  return static_cast<int>(std::lround(v));
}

float median(std::vector<float> v) {
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

/// A run of words on one line that no wide gap separates.
struct Cell {
  std::string text;
  float x0 = 0, x1 = 0;
  std::size_t first = 0, last = 0;  ///< its words in the line, inclusive
};

struct Line {
  std::vector<PageWord> words;
  Box box;
  std::vector<Cell> cells;
};

Box unite(const Box& a, const Box& b) {
  return Box{std::min(a.x0, b.x0), std::min(a.y0, b.y0), std::max(a.x1, b.x1), std::max(a.y1, b.y1)};
}

bool is_ocr(const Line& l) { return !l.words.empty() && l.words.front().confidence >= 0; }

/// Whether a word is made of wide (Han, full-width) characters only, and how
/// many it has.
std::size_t wide_chars(const std::string& text) {
  std::size_t chars = 0;
  for (unsigned char c : text) chars += (c & 0xC0) != 0x80;
  return chars > 0 && display_columns(text) == static_cast<int>(2 * chars) ? chars : 0;
}

/// The page's em, the advance of a Han character. A text layer's word boxes
/// are advances: the em is a wide word's width over its characters. OCR's
/// boxes are the ink, narrower than the advance by the side bearings, and a
/// Han character's ink is nine tenths of an em high. The median line height
/// when there are no wide words.
float page_em(const std::vector<Line>& lines) {
  std::vector<float> widths, heights, ink;
  for (const Line& l : lines) {
    heights.push_back(l.box.y1 - l.box.y0);
    for (const PageWord& w : l.words) {
      std::size_t chars = wide_chars(w.text);
      if (chars == 0 || w.box.x1 <= w.box.x0) continue;
      if (is_ocr(l)) ink.push_back((w.box.y1 - w.box.y0) / 0.9f);
      else widths.push_back((w.box.x1 - w.box.x0) / static_cast<float>(chars));
    }
  }
  float em = !widths.empty() ? median(widths) : median(ink);
  if (em <= 0) em = median(heights);
  return em > 0 ? em : 1;
}

/// Words grouped into lines: by the reader's own line numbers when it gave
/// them, else by their vertical extent (a word whose middle lies within a
/// line's height joins it). Lines top to bottom, words left to right.
std::vector<Line> group_lines(std::vector<PageWord> words) {
  std::vector<Line> lines;
  const bool numbered = !words.empty() && std::all_of(words.begin(), words.end(), [](const PageWord& w) {
    return w.line >= 0;
  });
  if (numbered) {
    std::stable_sort(words.begin(), words.end(), [](const PageWord& a, const PageWord& b) { return a.line < b.line; });
    for (PageWord& w : words) {
      if (lines.empty() || lines.back().words.back().line != w.line) lines.emplace_back();
      lines.back().words.push_back(std::move(w));
    }
  } else {
    std::stable_sort(words.begin(), words.end(), [](const PageWord& a, const PageWord& b) {
      return a.box.y0 + a.box.y1 < b.box.y0 + b.box.y1;
    });
    for (PageWord& w : words) {
      const float mid = (w.box.y0 + w.box.y1) / 2;
      if (lines.empty() || mid > lines.back().box.y1) {
        lines.emplace_back();
        lines.back().box = w.box;
      }
      lines.back().box = unite(lines.back().box, w.box);
      lines.back().words.push_back(std::move(w));
    }
  }
  for (Line& l : lines) {
    std::stable_sort(l.words.begin(), l.words.end(),
                     [](const PageWord& a, const PageWord& b) { return a.box.x0 < b.box.x0; });
    l.box = l.words.front().box;
    for (const PageWord& w : l.words) l.box = unite(l.box, w.box);
  }
  std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) { return a.box.y0 < b.box.y0; });
  return lines;
}

bool ascii_edge(char32_t c) { return c != 0 && c < 0x80; }

/// The spaces to print between two words `gap` apart on a line. In a text
/// layer a gap over a third of an em is a space (a letter-spaced title keeps
/// its spacing: one space a half-em), and so is one the reader saw. OCR's
/// boxes hold the ink alone: two Han characters set close stand up to half
/// an em apart, so a space between wide characters needs three quarters of
/// an em, between ASCII words a quarter.
int spaces_between(const PageWord& a, const PageWord& b, float gap, float em) {
  const bool ascii = ascii_edge(last_char(a.text)) && ascii_edge(first_char(b.text));
  if (a.confidence >= 0) {
    if (gap > 0.75f * em) return std::max(1, round_in(gap / (0.5f * em), 0, kMaxGapSpaces) - 1);
    return ascii && gap > 0.25f * em ? 1 : 0;
  }
  if (gap > 0.3f * em) return std::max(1, round_in(gap / (0.5f * em), 0, kMaxGapSpaces));
  return a.space_after || ascii ? 1 : 0;
}

/// Words first..last of a line joined with the spaces between them.
Cell join_words(const Line& l, std::size_t first, std::size_t last, float em) {
  Cell c{l.words[first].text, l.words[first].box.x0, l.words[first].box.x1, first, last};
  for (std::size_t k = first + 1; k <= last; ++k) {
    const PageWord &prev = l.words[k - 1], &w = l.words[k];
    c.text.append(static_cast<std::size_t>(spaces_between(prev, w, w.box.x0 - prev.box.x1, em)), ' ');
    c.text += w.text;
    c.x1 = std::max(c.x1, w.box.x1);
  }
  return c;
}

/// Splits a line into cells at the wide gaps.
void make_cells(Line* l, float em) {
  l->cells.clear();
  std::size_t first = 0;
  for (std::size_t k = 1; k <= l->words.size(); ++k) {
    if (k < l->words.size() && l->words[k].box.x0 - l->words[k - 1].box.x1 < kCellGapEm * em) continue;
    l->cells.push_back(join_words(*l, first, k - 1, em));
    first = k;
  }
}

/// Column starts of a table: the cells' left edges (or centres, for a table
/// whose cells are centred) clustered; the clustering with fewer columns wins.
std::vector<float> table_columns(const std::vector<Line>& lines, std::size_t from, std::size_t to, float em,
                                 bool* centred) {
  auto cluster = [&](bool by_centre) {
    std::vector<float> xs;
    for (std::size_t i = from; i < to; ++i)
      for (const Cell& c : lines[i].cells) xs.push_back(by_centre ? (c.x0 + c.x1) / 2 : c.x0);
    std::sort(xs.begin(), xs.end());
    std::vector<float> starts;
    for (float x : xs)
      if (starts.empty() || x - starts.back() > kColumnToleranceEm * em) starts.push_back(x);
    return starts;
  };
  std::vector<float> left = cluster(false), mid = cluster(true);
  *centred = mid.size() < left.size();
  return *centred ? mid : left;
}

/// The column a cell stands in: the last column that starts at or before it.
std::size_t column_of(const Cell& c, const std::vector<float>& cols, bool centred, float em) {
  const float x = centred ? (c.x0 + c.x1) / 2 : c.x0;
  std::size_t k = 0;
  for (std::size_t j = 0; j < cols.size(); ++j)
    if (cols[j] <= x + kColumnToleranceEm * em / 2) k = j;
  return k;
}

/// A cell that runs over the start of a later column (a gap narrowed by a
/// speck OCR read as a mark, or a table set tight) is cut there: between the
/// two of its words the column start falls between (or within an em of the
/// later one's start, the width of a speck before it). Each piece goes to its
/// column. Cells of a centred table are left whole.
std::vector<std::pair<Cell, std::size_t>> cut_at_columns(const Line& l, const Cell& c, const std::vector<float>& cols,
                                                         bool centred, float em) {
  std::vector<std::pair<Cell, std::size_t>> out;
  std::size_t first = c.first, column = column_of(c, cols, centred, em);
  const float tol = kColumnToleranceEm * em / 2;
  for (std::size_t k = c.first + 1; k <= c.last && !centred; ++k) {
    const float gap_from = l.words[k - 1].box.x1, next = l.words[k].box.x0;
    for (std::size_t j = column + 1; j < cols.size(); ++j) {
      if (cols[j] < gap_from - tol || cols[j] > next + em) continue;
      out.emplace_back(join_words(l, first, k - 1, em), column);
      first = k;
      column = j;
      break;
    }
  }
  out.emplace_back(first == c.first ? c : join_words(l, first, c.last, em), column);
  return out;
}

std::string print_row(const Line& l, const std::vector<float>& cols, bool centred, float em) {
  std::vector<std::string> cells(cols.size());
  for (const Cell& whole : l.cells) {
    for (const auto& [c, column] : cut_at_columns(l, whole, cols, centred, em)) {
      std::string& slot = cells[column];
      if (!slot.empty()) slot += ' ';
      slot += c.text;
    }
  }
  std::string out;
  for (std::size_t j = 0; j < cells.size(); ++j) {
    if (j) out += '\t';
    out += cells[j];
  }
  return out;
}

}  // namespace

std::vector<PageLine> lay_out_page(std::vector<PageWord> words, int page) {
  words.erase(std::remove_if(words.begin(), words.end(), [](const PageWord& w) {
                return w.text.find_first_not_of(" \t\r\n\f") == std::string::npos;
              }),
              words.end());
  // A box is a page's: finite and within a million units (NaN reads 0), so
  // that every comparison below is an order and every sum finite.
  for (PageWord& w : words)
    for (float* v : {&w.box.x0, &w.box.y0, &w.box.x1, &w.box.y1})
      *v = std::isnan(*v) ? 0.0f : std::clamp(*v, -1e6f, 1e6f);
  std::vector<PageLine> out;
  if (words.empty()) return out;
  std::vector<Line> lines = group_lines(std::move(words));
  const float em = page_em(lines);
  float left = lines.front().box.x0;
  for (const Line& l : lines) left = std::min(left, l.box.x0);
  for (Line& l : lines) make_cells(&l, em);

  // Tables: runs of lines of two or more cells; a run of one line must have three.
  std::vector<std::string> texts(lines.size());
  std::vector<bool> in_table(lines.size(), false);
  for (std::size_t i = 0; i < lines.size();) {
    std::size_t j = i;
    while (j < lines.size() && lines[j].cells.size() >= 2) ++j;
    if (j - i >= 2 || (j - i == 1 && lines[i].cells.size() >= 3)) {
      bool centred = false;
      std::vector<float> cols = table_columns(lines, i, j, em, &centred);
      for (std::size_t k = i; k < j; ++k) {
        texts[k] = print_row(lines[k], cols, centred, em);
        in_table[k] = true;
      }
    }
    i = j == i ? i + 1 : j;
  }

  std::vector<float> steps;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    float d = lines[i].box.y1 - lines[i - 1].box.y1;
    if (d > 0) steps.push_back(d);
  }
  // The line pitch: the steps of lines set one under the other. Where most
  // lines are a paragraph each, most steps hold a blank line, so the pitch is
  // read low in their distribution, never below an em.
  float pitch = 0;
  if (!steps.empty()) {
    std::sort(steps.begin(), steps.end());
    pitch = std::max(em, steps[steps.size() / 5]);
  }
  int on_page = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const Line& l = lines[i];
    if (i > 0 && pitch > 0) {
      const float d = l.box.y1 - lines[i - 1].box.y1;
      if (d > 1.6f * pitch) {
        int blanks = std::max(1, round_in(d / pitch, 0, kMaxBlankLines + 1) - 1);
        for (int b = 0; b < blanks; ++b) out.push_back(PageLine{std::string(), LinePlace{page, ++on_page, Box{}, -1}});
      }
    }
    std::string text;
    if (in_table[i]) {
      text = std::move(texts[i]);
    } else {
      int indent = round_in((l.box.x0 - left) / em, 0, kMaxIndentEms);
      for (int k = 0; k < indent; ++k) text += kIdeographicSpace;
      for (std::size_t c = 0; c < l.cells.size(); ++c) {
        if (c) {
          int ems = round_in((l.cells[c].x0 - l.cells[c - 1].x1) / em, 1, kMaxIndentEms);
          for (int k = 0; k < ems; ++k) text += kIdeographicSpace;
        }
        text += l.cells[c].text;
      }
    }
    // OCR's confidence in the line: its words', weighted by their length
    // (Tesseract gives a lone mark such as 、 a confidence of 0 now and then).
    float conf = -1, weight = 0, sum = 0;
    for (const PageWord& w : l.words) {
      if (w.confidence < 0) continue;
      const float chars = static_cast<float>(utf8_length(w.text));
      sum += w.confidence * chars;
      weight += chars;
    }
    if (weight > 0) conf = sum / weight;
    out.push_back(PageLine{std::move(text), LinePlace{page, ++on_page, l.box, conf}});
  }
  return out;
}

}  // namespace gazette
