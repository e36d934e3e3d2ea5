#include "reflow.h"

#include <algorithm>
#include <map>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace gazette {
namespace {

/// Longest printed line (bytes) considered as a page number or a running head.
constexpr std::size_t kMaxFurnitureBytes = 90;
/// A page number's line alone is short: 第 12 页, — 128 —.
constexpr std::size_t kShortLineBytes = 24;
/// A run of page numbers shorter than this is not taken as page furniture.
constexpr std::size_t kMinPageRun = 3;
/// A text repeated next to at least this many page boundaries is a running head.
constexpr int kMinHeadRepeats = 3;
/// Lines narrower than this (columns) say nothing about the print width.
constexpr int kMinMeasuredColumns = 20;
/// The narrowest print width (columns) taken for a hard wrap: no gazette is
/// set in columns of fewer than 12 characters.
constexpr int kMinPrintColumns = 24;
/// A line of more bytes runs past any print width (60 CJK characters, 120
/// columns, take 180 bytes).
constexpr std::size_t kParagraphBytes = 240;
/// How far short of the print width a line may end and still run on.
constexpr int kSlackColumns = 2;

bool is_blank(std::string_view s) { return trim_view(s).empty(); }

/// The text without the white space at its end (its indent kept).
std::string_view trim_end(std::string_view s) {
  std::string_view t = trim_view(s);
  if (t.empty()) return t;
  return s.substr(0, static_cast<std::size_t>(t.data() - s.data()) + t.size());
}

char32_t decode_at(std::string_view s, std::size_t* i) {
  int32_t k = static_cast<int32_t>(*i), len = static_cast<int32_t>(s.size());
  UChar32 c;
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), k, len, c);
  *i = static_cast<std::size_t>(k);
  return c < 0 ? 0xFFFD : static_cast<char32_t>(c);
}

int columns_of(char32_t c) {
  if (c < 0x80) return 1;
  if (c < 0x2000) return 1;                       // Latin, Greek, Cyrillic, Mongolian…
  if (c >= 0xFF61 && c <= 0xFFDC) return 1;       // half-width forms
  return 2;                                       // punctuation of Chinese text, CJK, full-width forms
}

/// Closing marks that may not start a printed line (避头尾): the typesetter
/// keeps them on the line before.
bool is_closing_mark(char32_t c) {
  switch (c) {
    case U'，': case U'。': case U'、': case U'；': case U'：': case U'！': case U'？': case U'）': case U'》':
    case U'」': case U'』': case U'”': case U'’': case U'〕': case U'】': case U'］': case U'…': case U'·':
    case U',': case U'.': case U';': case U':': case U'!': case U'?': case U')': case U']': case U'%':
      return true;
    default:
      return false;
  }
}

/// Opening marks that may not end a printed line: the typesetter moves them
/// down with the character they open.
bool is_opening_mark(char32_t c) {
  switch (c) {
    case U'（': case U'《': case U'“': case U'‘': case U'〔': case U'【': case U'［': case U'「': case U'『':
    case U'(': case U'[': case U'〈':
      return true;
    default:
      return false;
  }
}

bool is_word_char(char32_t c) { return c < 0x80 && (std::isalnum(static_cast<int>(c)) != 0); }

/// Steps over the marks `is_mark` accepts from byte `*i` on, adding their
/// columns to `*cols`.
template <class Pred>
void skip_marks(std::string_view s, std::size_t* i, int* cols, Pred is_mark) {
  while (*i < s.size()) {
    std::size_t k = *i;
    char32_t d = decode_at(s, &k);
    if (!is_mark(d)) break;
    *cols += columns_of(d);
    *i = k;
  }
}

/// Columns of the first unit a line can be broken before: a run of ASCII
/// letters and digits, or one character, with the opening marks before it
/// and the closing marks after it (which the print never separates from it).
int lead_unit_columns(std::string_view s) {
  std::size_t i = 0;
  int cols = 0;
  skip_marks(s, &i, &cols, is_opening_mark);
  if (i >= s.size()) return cols;
  std::size_t j = i;
  char32_t c = decode_at(s, &j);
  if (is_word_char(c)) {
    while (i < s.size() && (is_word_char(static_cast<unsigned char>(s[i])) || s[i] == '.' || s[i] == '-')) { ++i; ++cols; }
  } else {
    i = j;
    cols += columns_of(c);
  }
  skip_marks(s, &i, &cols, is_closing_mark);
  return cols;
}

/// Whether a text holds a full-width digit (０–９, U+FF10–U+FF19).
bool has_full_width_digit(std::string_view s) {
  for (std::size_t p = s.find("\xEF\xBC"); p != std::string_view::npos && p + 2 < s.size();
       p = s.find("\xEF\xBC", p + 2)) {
    unsigned char c = static_cast<unsigned char>(s[p + 2]);
    if (c >= 0x90 && c <= 0x99) return true;
  }
  return false;
}

/// Whether one of the first or the last kPageNumberReach bytes of a text is
/// a digit (ASCII, or full-width: ０–９).
constexpr std::size_t kPageNumberReach = 12;
bool digit_near_an_end(std::string_view t) {
  auto has_digit = [](std::string_view s) {
    return s.find_first_of("0123456789") != std::string_view::npos || has_full_width_digit(s);
  };
  if (t.size() <= 2 * kPageNumberReach) return has_digit(t);
  return has_digit(t.substr(0, kPageNumberReach)) || has_digit(t.substr(t.size() - kPageNumberReach));
}

/// A digit, or a dash (Unicode dash punctuation, ─, a tilde) as page
/// numbers are printed between.
bool number_or_dash(UChar32 c) {
  return (c >= '0' && c <= '9') || u_charType(c) == U_DASH_PUNCTUATION || c == 0x2500 || c == '~';
}

/// ASCII punctuation marks of a text that Chinese print sets full-width.
int ascii_marks(std::string_view s) {
  int n = 0;
  for (char c : s)
    if (c == '(' || c == ')' || c == '[' || c == ']' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?') ++n;
  return n;
}

/// Opening minus closing parentheses of a text.
int paren_balance(std::string_view s) {
  int n = 0;
  for (std::size_t i = 0; i < s.size();) {
    char32_t c = decode_at(s, &i);
    if (c == U'（' || c == U'(') ++n;
    else if (c == U'）' || c == U')') --n;
  }
  return n;
}

bool starts_indented(std::string_view s) {
  if (s.rfind("\xE3\x80\x80", 0) == 0) return true;  // U+3000
  return s.size() >= 2 && s[0] == ' ' && s[1] == ' ';
}

/// Removes the form feeds of a line in place.
void strip_form_feeds(std::string* s) { s->erase(std::remove(s->begin(), s->end(), '\f'), s->end()); }

/// A line's kind as a block start: a line of one of these kinds starts
/// something of its own and never continues the line before.
bool starts_block(LineKind k) {
  switch (k) {
    case LineKind::Docnum: case LineKind::Date: case LineKind::Signer: case LineKind::PublicNote:
    case LineKind::AttachmentNote: case LineKind::AttachmentLabel: case LineKind::Download: case LineKind::Marker:
    case LineKind::Responsibility: case LineKind::RosterRole: case LineKind::TableRow: case LineKind::Colophon:
      return true;
    default:
      return false;
  }
}

class Reflow {
 public:
  Reflow(std::vector<std::string> printed, const LineRuns& runs, Matchers& m, ReflowReport* report)
      : lines_(std::move(printed)), runs_(runs), m_(m), report_(report), n_(lines_.size()) {
    fates_.resize(n_);
    spaced_cols_.assign(n_, 0);
    page_break_before_.assign(n_, false);
    furniture_.assign(n_, false);
  }

  ReflowedText run() {
    strip_page_breaks();
    find_page_numbers();
    find_running_heads();
    close_up();
    measure();
    return assemble();
  }

 private:
  /// Form feeds (pdftotext ends each page with one) mark page boundaries.
  void strip_page_breaks() {
    for (std::size_t i = 0; i < n_; ++i) {
      if (lines_[i].find('\f') == std::string::npos) continue;
      strip_form_feeds(&lines_[i]);
      page_break_before_[i] = true;
    }
  }

  /// Page numbers: lines the page_number rules match, kept when they form a
  /// run of at least kMinPageRun whose numbers rise by one to three from each
  /// to the next (a bare number alone is more likely a table cell or a year).
  void find_page_numbers() {
    if (m_.page_number.empty()) return;
    struct Candidate { std::size_t line; int page; };
    std::vector<Candidate> cand;
    for (std::size_t i = 0; i < n_; ++i) {
      // A page number's line is short (with a running head beside it, a few words).
      if (lines_[i].size() > 2 * kMaxFurnitureBytes) continue;
      std::string_view t = trim_view(lines_[i]);
      if (t.empty() || t.size() > kMaxFurnitureBytes || lines_[i].find('\t') != std::string::npos) continue;
      // A page number stands at one end of its line (a running head may
      // share the line): a digit among its first or last few characters.
      if (!digit_near_an_end(t)) continue;
      // A longer line (a running head beside the number) starts or ends with
      // the number or its dashes.
      const UChar32 first = folded_first_char(t), last = folded_last_char(t);
      if (t.size() > kShortLineBytes && !number_or_dash(first) && !number_or_dash(last)) continue;
      if (!m_.page_number.could_match_ends(first, last)) continue;
      MatchView mv = make_match_view(t);
      remove_artifacts(m_.artifacts, &mv);
      if (RuleMatcher* r = m_.page_number.first_at_start(mv)) {
        if (auto p = parse_numeral(group_view(*r, mv, "page"), "arabic")) cand.push_back({i, *p});
      }
    }
    if (cand.size() < kMinPageRun) return;
    // Longest rising run (each candidate looks back at a bounded number of
    // earlier ones, so that a hostile input stays linear).
    constexpr std::size_t kLookBack = 64;
    std::vector<int> len(cand.size(), 1), prev(cand.size(), -1);
    for (std::size_t k = 0; k < cand.size(); ++k) {
      for (std::size_t b = k > kLookBack ? k - kLookBack : 0; b < k; ++b) {
        int step = cand[k].page - cand[b].page;
        if (step < 1 || step > 3 || cand[k].line - cand[b].line < 2) continue;
        if (len[b] + 1 > len[k]) { len[k] = len[b] + 1; prev[k] = static_cast<int>(b); }
      }
    }
    std::size_t best = 0;
    for (std::size_t k = 1; k < cand.size(); ++k)
      if (len[k] > len[best]) best = k;
    if (static_cast<std::size_t>(len[best]) < kMinPageRun) return;
    for (int k = static_cast<int>(best); k >= 0; k = prev[static_cast<std::size_t>(k)]) {
      const Candidate& c = cand[static_cast<std::size_t>(k)];
      furniture_[c.line] = true;
      fates_[c.line] = {LineFate::PageNumber, 0};
      page_numbers_.push_back(c.line);
      pages_[c.line] = c.page;
    }
    std::sort(page_numbers_.begin(), page_numbers_.end());
  }

  /// The non-blank lines within `reach` of a page boundary at line `at`,
  /// looking forward (dir 1) or back (dir -1), furniture skipped.
  std::vector<std::size_t> near(std::size_t at, int dir, int reach) const {
    std::vector<std::size_t> out;
    long i = static_cast<long>(at);
    for (int seen = 0; seen < reach;) {
      i += dir;
      if (i < 0 || i >= static_cast<long>(n_)) break;
      std::size_t u = static_cast<std::size_t>(i);
      if (is_blank(lines_[u]) || (furniture_[u] && pages_.count(u))) continue;
      out.push_back(u);
      ++seen;
    }
    return out;
  }

  /// Running heads: short texts that stand next to at least kMinHeadRepeats
  /// page boundaries (a page number, or a form feed). Only their occurrences
  /// next to a boundary are furniture; the same words elsewhere (the
  /// masthead) stay text.
  void find_running_heads() {
    std::vector<std::pair<std::size_t, int>> boundaries;  // line, direction to look
    for (std::size_t p : page_numbers_) {
      boundaries.push_back({p, 1});
      boundaries.push_back({p, -1});
    }
    for (std::size_t i = 0; i < n_; ++i)
      if (page_break_before_[i] && i > 0) boundaries.push_back({i - 1, 1});
    if (boundaries.size() < static_cast<std::size_t>(kMinHeadRepeats)) return;
    std::map<std::string, int> count;
    std::vector<std::pair<std::size_t, std::string>> seen;
    for (auto [at, dir] : boundaries) {
      for (std::size_t u : near(at, dir, 1)) {
        if (furniture_[u] || lines_[u].size() > kMaxFurnitureBytes || lines_[u].find('\t') != std::string::npos) continue;
        std::string key = remove_spaces(lines_[u]);
        if (key.empty()) continue;
        seen.push_back({u, key});
      }
    }
    // A line counts once however many boundaries it is near.
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    for (auto& [u, key] : seen) ++count[key];
    // A running head stands at one page in four at least (two heads that
    // alternate stand at every other page); a signature or a heading that
    // happens to end a page a few times does not.
    const std::size_t pages = std::max(page_numbers_.size(), boundaries.size() - 2 * page_numbers_.size());
    const int needed = std::max(kMinHeadRepeats, static_cast<int>(pages / 4));
    for (auto& [u, key] : seen) {
      if (count[key] < needed) continue;
      furniture_[u] = true;
      fates_[u] = {LineFate::RunningHead, 0};
      page_break_before_[u] = true;
    }
  }

  void close_up() {
    for (std::size_t i = 0; i < n_; ++i) {
      if (furniture_[i]) continue;
      std::string closed = close_up_letter_spacing(lines_[i]);
      if (closed.empty()) continue;
      Reading r;
      r.line = runs_.first(i);
      r.rule = "reflow.letter-spacing";
      r.printed = trim(lines_[i]);
      r.read = closed;
      r.why = "a letter-spaced display line, closed up";
      report_->readings.push_back(std::move(r));
      fates_[i] = {LineFate::ClosedUp, 0};
      spaced_cols_[i] = display_columns(trim_end(lines_[i]));
      lines_[i] = std::move(closed);
    }
  }

  /// Measures the print width: in hard-wrapped text most lines run to the
  /// same width, and almost none is wider.
  void measure() {
    cols_.assign(n_, 0);
    // Text in paragraph form is told at once: many of its lines are longer
    // than any print width (a CJK character takes 3 bytes and 2 columns).
    std::size_t non_blank = 0, long_lines = 0;
    for (std::size_t i = 0; i < n_; ++i) {
      if (lines_[i].empty()) continue;
      ++non_blank;
      if (lines_[i].size() > kParagraphBytes && lines_[i].find('\t') == std::string::npos) ++long_lines;
    }
    if (long_lines * 20 > non_blank) return;
    std::map<int, int> hist;
    int measured = 0;
    for (std::size_t i = 0; i < n_; ++i) {
      if (furniture_[i] || fates_[i].kind == LineFate::ClosedUp || lines_[i].find('\t') != std::string::npos) continue;
      // A paragraph's first-line indent takes its place on the line.
      int c = display_columns(trim_end(lines_[i]));
      cols_[i] = c;
      if (c < kMinMeasuredColumns) continue;
      ++hist[c];
      ++measured;
    }
    if (measured < 8) return;
    int mode = 0, best = 0;
    for (auto [c, k] : hist)
      if (k >= best) { best = k; mode = c; }
    int near_mode = 0, wider = 0;
    for (auto [c, k] : hist) {
      if (c >= mode - 4 && c <= mode + 3) near_mode += k;
      if (c > mode + 6) wider += k;
    }
    if (mode < kMinPrintColumns || near_mode * 10 < measured * 3 || wider * 50 > measured + 50) return;
    // And a full line goes on on the next printed line: in paragraph form,
    // paragraphs of much the same length are followed by a blank line or
    // by the next paragraph, not by the rest of themselves.
    int followed = 0;
    for (std::size_t i = 0; i + 1 < n_; ++i)
      if (cols_[i] >= mode - 4 && cols_[i] <= mode + 3 && !is_blank(lines_[i + 1]) && !furniture_[i + 1]) ++followed;
    if (followed * 2 < near_mode) return;
    width_ = mode;
    report_->print_width = (mode + 1) / 2;
  }

  /// True when the line at `p` runs to the print width, given the line `q`
  /// that follows it: the first unit of `q` would not have fitted.
  /// An ASCII punctuation mark may be how OCR or a PDF's text layer reads a
  /// full-width mark of the print (〔〕 as [], ，as ,): each counts as the
  /// two columns it may have taken.
  /// A typesetter may also leave a line a character short rather than break
  /// where the rules of Chinese line breaking (避头尾) would not let it: one
  /// character of slack, where blank lines or indents mark paragraph ends
  /// anyway (without them, a paragraph's last line a character short of the
  /// width would run on into the next paragraph).
  bool full(std::size_t p, std::size_t q) const {
    const int slack = (blank_separated_ || indented_) ? kSlackColumns : 0;
    return cols_[p] + ascii_marks(lines_[p]) + lead_unit_columns(trim_view(lines_[q])) + slack > width_;
  }

  ReflowedText assemble() {
    ReflowedText out;
    if (width_ == 0 && page_numbers_.empty() &&
        std::find(page_break_before_.begin(), page_break_before_.end(), true) == page_break_before_.end()) {
      // Paragraph form: nothing to join, no page furniture.
      out.origin.resize(n_);
      for (std::size_t i = 0; i < n_; ++i) out.origin[i] = runs_.span(i);
      out.page_break.assign(n_, false);
      out.runs_on.assign(n_, false);
      out.para_start.assign(n_, false);
      out.lines = std::move(lines_);
      out.fates = std::move(fates_);
      return out;
    }
    out.lines.reserve(n_);
    out.origin.reserve(n_);
    if (width_ > 0) prepare_joins();
    // A page ends before a line when furniture or a form feed stands between
    // it and the text before.
    bool break_pending = false;
    for (std::size_t i = 0; i < n_;) {
      if (furniture_[i]) {
        break_pending = true;
        ++i;
        continue;
      }
      break_pending = break_pending || page_break_before_[i];
      out.page_break.push_back(break_pending);
      if (is_blank(lines_[i])) {
        out.lines.emplace_back();
        out.origin.push_back(runs_.span(i));
        out.runs_on.push_back(false);
        out.para_start.push_back(false);
        ++i;
        continue;
      }
      break_pending = false;
      std::string text;
      std::size_t first = i, last = i;
      bool runs_on = false;
      int open = width_ > 0 ? paren_balance(lines_[i]) : 0;
      while (width_ > 0) {
        std::size_t j = last + 1;
        int blanks = 0;
        bool page_break = false;
        for (; j < n_ && (furniture_[j] || is_blank(lines_[j])); ++j) {
          if (furniture_[j] || page_break_before_[j]) page_break = true;
          else blanks += runs_.count(j);
        }
        if (j >= n_) break;
        if (page_break || page_break_before_[j] || blanks >= 2) {  // within a page only
          runs_on = cols_[last] > 0 && cols_[j] > 0 && full(last, j) && !block_start_[j] &&
                    !(indented_ && starts_indented(lines_[j]));
          break;
        }
        if (!joins(last, j, blanks, open > 0)) break;
        open += paren_balance(lines_[j]);
        if (text.empty()) text = trim(lines_[first]);
        std::string next = trim(lines_[j]);
        if (!text.empty() && !next.empty() && is_word_char(last_char(text)) && is_word_char(first_char(next))) text += ' ';
        text += next;
        fates_[j] = {LineFate::Joined, runs_.first(first)};
        ++report_->joined_lines;
        last = j;
      }
      // A line joined to nothing is handed on as it is (classify trims it).
      const bool para_start = indented_ && starts_indented(lines_[first]);
      out.lines.push_back(last == first ? std::move(lines_[i]) : std::move(text));
      out.origin.push_back({runs_.first(first), runs_.last(last)});
      out.runs_on.push_back(runs_on);
      out.para_start.push_back(para_start);
      i = last + 1;
    }
    for (std::size_t i = 0; i < n_; ++i) {
      if (!furniture_[i]) continue;
      PageFurniture f;
      f.line = runs_.first(i);
      f.kind = fates_[i].furniture_name();
      f.text = trim(lines_[i]);
      if (auto it = pages_.find(i); it != pages_.end()) f.page = it->second;
      report_->furniture.push_back(std::move(f));
    }
    out.fates = std::move(fates_);
    return out;
  }

  /// What joining needs beyond widths: each printed line's kind (a line that
  /// starts a block of its own never continues the one before), and how the
  /// text marks its paragraphs (first-line indent, blank lines between).
  void prepare_joins() {
    std::vector<std::string> copy(lines_.begin(), lines_.end());
    for (std::size_t i = 0; i < n_; ++i)
      if (furniture_[i]) copy[i].clear();
    std::vector<LineInfo> L = classify_lines(std::move(copy), m_);
    block_start_.assign(n_, false);
    for (std::size_t i = 0; i < n_; ++i) {
      const LineInfo& li = L[i];
      if (li.kind == LineKind::Blank) continue;
      block_start_[i] = starts_block(li.kind) || m_.toc_entry.first(li.mv) != nullptr;
    }
    // Paragraph ends: lines that do not run to the print width.
    int ends = 0, ends_then_blank = 0, starts = 0, starts_indented_n = 0;
    for (std::size_t i = 0; i + 1 < n_; ++i) {
      if (furniture_[i] || is_blank(lines_[i]) || cols_[i] == 0) continue;
      if (cols_[i] + 2 > width_) continue;
      ++ends;
      if (is_blank(lines_[i + 1])) ++ends_then_blank;
      std::size_t j = i + 1;
      while (j < n_ && (furniture_[j] || is_blank(lines_[j]))) ++j;
      if (j < n_) {
        ++starts;
        if (starts_indented(lines_[j])) ++starts_indented_n;
      }
    }
    blank_separated_ = ends > 0 && ends_then_blank * 2 >= ends;
    indented_ = starts > 0 && starts_indented_n * 2 >= starts;
  }

  /// A letter-spaced display line (a title set in display type) that ran to
  /// the print width goes on on the next line: letter-spaced too, or the
  /// one or two characters left of it.
  bool display_runs_on(std::size_t p, std::size_t q, int blanks) const {
    if (blanks > 0 || block_start_[q]) return false;
    const bool tail = fates_[q].kind == LineFate::ClosedUp || utf8_length(trim_view(lines_[q])) <= 2;
    const int next = fates_[q].kind == LineFate::ClosedUp ? 3 : lead_unit_columns(trim_view(lines_[q])) + 1;
    return tail && spaced_cols_[p] + next + kSlackColumns > width_;
  }

  /// Whether printed line q continues line p on the same page, `blanks`
  /// blank lines between them.
  /// `in_parens`: the text so far leaves a parenthesis open, so that q is
  /// inside it whatever it looks like ((牵头单位：…；/ 责任单位：…)).
  bool joins(std::size_t p, std::size_t q, int blanks, bool in_parens) const {
    if (fates_[p].kind == LineFate::ClosedUp) return display_runs_on(p, q, blanks);
    if (cols_[p] == 0 || cols_[q] == 0) return false;  // tables, display lines
    if (!full(p, q)) return false;
    if (block_start_[q] && !in_parens) return false;
    if (indented_ && starts_indented(lines_[q])) return false;
    // Where blank lines separate paragraphs, a blank line ends one (a page
    // break, which is where a full line may be followed by one, is furniture
    // or a run of blank lines); where they do not, it is debris.
    return blanks == 0 || !blank_separated_;
  }

  std::vector<std::string> lines_;
  const LineRuns& runs_;
  Matchers& m_;
  ReflowReport* report_;
  std::size_t n_;
  std::vector<LineFate> fates_;
  std::vector<bool> page_break_before_, furniture_, block_start_;
  std::vector<std::size_t> page_numbers_;
  std::map<std::size_t, int> pages_;
  std::vector<int> cols_;
  std::vector<int> spaced_cols_;  ///< a closed-up line's columns as printed
  int width_ = 0;
  bool blank_separated_ = false, indented_ = false;
};

}  // namespace

int display_columns(std::string_view s) {
  int cols = 0;
  for (std::size_t i = 0; i < s.size();) {
    unsigned char b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) { ++cols; ++i; continue; }
    if (b >= 0xE3 && b <= 0xEE && i + 2 < s.size()) { cols += 2; i += 3; continue; }  // U+3000–U+EFFF
    cols += columns_of(decode_at(s, &i));
  }
  return cols;
}

std::string close_up_letter_spacing(std::string_view line) {
  std::string_view t = trim_view(line);
  // Most lines are told by their second character: a space or not.
  std::size_t second = 0;
  if (t.empty()) return "";
  decode_at(t, &second);
  if (second >= t.size() || (t[second] != ' ' && t.compare(second, 3, "\xE3\x80\x80") != 0)) return "";
  std::string out;
  int tokens = 0, cjk = 0, wide_gaps = 0;
  for (std::size_t i = 0; i < t.size();) {
    std::size_t at = i;
    char32_t c = decode_at(t, &i);
    if (c == U' ' || c == U'\u3000') return "";  // a token must be one character
    out.append(t.substr(at, i - at));
    ++tokens;
    if (is_cjk(c)) ++cjk;
    if (i >= t.size()) break;
    // One space (ASCII or U+3000) follows each character; a word gap of the
    // print (two or three) may stand between words.
    int gap = 0;
    for (std::size_t k = i; k < t.size() && gap <= 3;) {
      std::size_t next = k;
      char32_t sp = decode_at(t, &next);
      if (sp != U' ' && sp != U'\u3000') break;
      ++gap;
      k = next;
      i = next;
    }
    if (gap == 0 || gap > 3) return "";
    if (gap > 1) {  // a word gap stays one space
      ++wide_gaps;
      out += ' ';
    }
  }
  // Two characters are letter-spaced when both are CJK (通 知, the end of a
  // letter-spaced title that wrapped); more when at least half are.
  if (tokens < 2 || (tokens == 2 && cjk < 2) || cjk * 2 < tokens || wide_gaps * 4 > tokens) return "";
  return out;
}

ReflowedText reflow_lines(std::vector<std::string> printed, const LineRuns& runs, Matchers& m, ReflowReport* report) {
  return Reflow(std::move(printed), runs, m, report).run();
}

}  // namespace gazette
