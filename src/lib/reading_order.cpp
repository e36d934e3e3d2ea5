#include "reading_order.h"

#include <algorithm>
#include <string>

#include "tree_builder.h"

namespace gazette {
namespace {

/// How many fragments one notice may give away; a bound, not a tuning knob.
constexpr int kMaxMovesPerNotice = 16;
/// How many page breaks a fragment cut into another notice's sentence may
/// run over before that sentence goes on.
constexpr std::size_t kMaxFragmentPages = 2;

bool has_clause_punct(const std::string& s) {
  for (const char* p : {"，", "。", "；", "、", ",", ";"})
    if (s.find(p) != std::string::npos) return true;
  return false;
}

/// A line of prose cut before its sentence ended.
bool is_cut_prose(const LineInfo& li) {
  return (li.kind == LineKind::Text || li.kind == LineKind::Marker) && !li.terminated && has_clause_punct(li.text);
}

/// Prose cut in the middle of a clause (…扎 / …最大限度减少), not after a comma:
/// text re-wrapped at its punctuation never ends a line this way, a column
/// or page cut of the print does.
bool is_hard_cut(const LineInfo& li) {
  // A numbered heading with a comma (（二）根据…，完善…系统) is not a cut sentence.
  if (li.kind != LineKind::Text || !is_cut_prose(li)) return false;
  char32_t c = last_char(li.text);
  return !(c == U'，' || c == U'、' || c == U',' || c == U'；' || c == U';' || c == U'：' || c == U':' ||
           c == U'—' || c == U'-' || c == U'（' || c == U'(' || c == U'《' || c == U'“');
}

/// A line that names a thing and gives its value (值班室电话：0471-…): its
/// first punctuation is a colon. It stands on its own; it does not go on
/// with a sentence cut before a fragment.
bool is_label_line(const LineInfo& li) {
  if (li.kind != LineKind::Text) return false;
  std::size_t colon = std::min(li.text.find("："), li.text.find(':'));
  if (colon == std::string::npos) return false;
  std::string_view before(li.text.data(), colon);
  for (const char* p : {"，", "。", "；", "、", ",", ";"})
    if (before.find(p) != std::string_view::npos) return false;
  return utf8_length(before) <= 16;
}

/// The zones of a notice in reading order.
std::vector<int> content_of(const NoticeLayout& n) {
  std::vector<int> all = n.body;
  all.insert(all.end(), n.enclosure.begin(), n.enclosure.end());
  return all;
}

/// What a notice's text leaves open at its end: the last marker of each level
/// (while no higher-ranked marker closed it), the 附件N labels it printed, and
/// whether its last line is a cut sentence.
struct OpenEnd {
  int last_value[10] = {0};      ///< last marker value per level, 0 = none open
  int deepest_open = 0;          ///< level of the last marker
  int last_label = 0;            ///< highest 附件N printed
  bool cut_sentence = false;     ///< its last line is a hard cut
  bool runs_on = false;          ///< its last line runs to the print width at a page end, unterminated
  int last = -1;                 ///< its last line
};

OpenEnd open_end_of(const std::vector<LineInfo>& L, const std::vector<int>& lines) {
  OpenEnd e;
  for (int i : lines) {
    const LineInfo& li = L[static_cast<std::size_t>(i)];
    if (li.kind == LineKind::Marker && li.level > 0 && li.level < 10) {
      e.last_value[li.level] = li.value;
      for (int k = li.level + 1; k < 10; ++k) e.last_value[k] = 0;  // a new item closes deeper sequences
      e.deepest_open = li.level;
    } else if (li.kind == LineKind::AttachmentLabel && li.detail().label_number) {
      e.last_label = std::max(e.last_label, *li.detail().label_number);
      std::fill(std::begin(e.last_value), std::end(e.last_value), 0);  // a new document restarts numbering
      e.deepest_open = 0;
    }
  }
  if (!lines.empty()) {
    const LineInfo& last = L[static_cast<std::size_t>(lines.back())];
    // A line that runs to the print width at a page end and ends no
    // sentence is cut there, whatever mark it ends with.
    e.cut_sentence = is_hard_cut(last) || (last.runs_on && !last.terminated &&
                                           (last.kind == LineKind::Text || last.kind == LineKind::Marker));
    e.runs_on = last.runs_on && !last.terminated;
    e.last = lines.back();
    // The last piece of a sentence wrapped at its commas may hold no
    // punctuation of its own (…， / 由所在乡镇人民政府在1小时).
    if (!e.cut_sentence && lines.size() >= 2 && last.kind == LineKind::Text && !last.terminated &&
        !has_clause_punct(last.text)) {
      const LineInfo& before = L[static_cast<std::size_t>(lines[lines.size() - 2])];
      char32_t c = last_char(before.text);
      e.cut_sentence = is_cut_prose(before) && before.kind == LineKind::Text && (c == U'，' || c == U'、' || c == U',');
    }
  }
  return e;
}

/// Whether `value` at `level` continues a sequence that `before` (the notice's
/// own lines ahead of a candidate fragment) already runs.
bool continues_own_sequence(const std::vector<LineInfo>& L, const std::vector<int>& before, int level, int value) {
  for (int i : before) {
    const LineInfo& li = L[static_cast<std::size_t>(i)];
    if (li.kind == LineKind::Marker && li.level == level && li.value == value - 1) return true;
  }
  return false;
}

/// The first line of the page after the one line `i` stands on, in print
/// order (-1 when there is none): where text cut at the end of i's page goes on.
int next_page_top(const std::vector<LineInfo>& L, int i) {
  bool broken = false;
  for (std::size_t k = static_cast<std::size_t>(i) + 1; k < L.size(); ++k) {
    broken = broken || L[k].page_break;
    if (broken && L[k].kind != LineKind::Blank) return static_cast<int>(k);
  }
  return -1;
}

struct Fragment {
  std::size_t from = 0, to = 0;  ///< [from, to) within the zone
  std::string signal, detail;
};

/// Looks for a fragment of `prev` (the notice printed before) inside `zone`
/// of notice `cur`. `before` holds cur's lines that precede the zone.
bool find_fragment(const std::vector<LineInfo>& L, const std::vector<int>& zone, const std::vector<int>& before,
                   const OpenEnd& prev_end, Fragment* f) {
  for (std::size_t s = 0; s < zone.size(); ++s) {
    const LineInfo& first = L[static_cast<std::size_t>(zone[s])];
    // Where the fragment can start: at a column start of the print.
    bool at_zone_start = s == 0;
    bool after_cut = false, after_table = false, after_break = false;
    if (s > 0) {
      const LineInfo& p = L[static_cast<std::size_t>(zone[s - 1])];
      after_cut = is_hard_cut(p);
      // The piece of a sentence that ran over a page break may hold no
      // punctuation of its own (…服务质量， / 《关于印发…示范市): it is cut
      // when it ends mid-clause.
      if (!after_cut && s >= 2 && p.kind == LineKind::Text && !p.terminated && !has_clause_punct(p.text)) {
        const LineInfo& before = L[static_cast<std::size_t>(zone[s - 2])];
        char32_t c = last_char(p.text);
        after_cut = before.runs_on && page_break_between(L, zone[s - 2], zone[s - 1]) &&
                    !(c == U'，' || c == U'、' || c == U',' || c == U'：' || c == U':');
      }
      after_table = p.kind == LineKind::TableRow && first.kind != LineKind::TableRow;
      after_break = page_break_between(L, zone[s - 1], zone[s]);
    }
    if (!(at_zone_start || after_cut || after_table || after_break)) continue;
    // It runs to the next page break.
    std::size_t e = s + 1;
    while (e < zone.size() && !page_break_between(L, zone[e - 1], zone[e])) ++e;
    // A fragment ends where a page of the print ends: with no page break
    // after it, nothing tells where it would end (and nothing of cur
    // follows it).
    if (e >= zone.size()) continue;
    // A cut sentence before the fragment must be continued right after it.
    bool bridged = false;
    if (after_cut && e < zone.size()) {
      const LineInfo& p = L[static_cast<std::size_t>(zone[s - 1])];
      const std::string& cut = p.kind == LineKind::Marker ? p.rest : p.text;
      // A fragment may run over a page or two of the print (a table whose
      // rows go on on the next page): the cut goes on after its last page.
      for (std::size_t e2 = e, pages = 0; e2 < zone.size() && pages <= kMaxFragmentPages; ++pages) {
        const LineInfo& next = L[static_cast<std::size_t>(zone[e2])];
        if (!is_label_line(next) && continues(p, cut, next, true)) {
          bridged = true;
          e = e2;
          break;
        }
        ++e2;
        while (e2 < zone.size() && !page_break_between(L, zone[e2 - 1], zone[e2])) ++e2;
      }
    }
    if (after_cut && !bridged && !after_break) continue;
    std::vector<int> own(before);
    own.insert(own.end(), zone.begin(), zone.begin() + static_cast<std::ptrdiff_t>(s));

    // Signal: an 附件N label that continues the previous notice's series.
    const LineDetail& label = first.detail();
    if (first.kind == LineKind::AttachmentLabel && label.label_number && *label.label_number >= 2 &&
        prev_end.last_label == *label.label_number - 1) {
      bool own_series = false;
      for (int i : own) {
        const LineInfo& li = L[static_cast<std::size_t>(i)];
        if (li.kind == LineKind::AttachmentLabel && li.detail().label_number == *label.label_number - 1) own_series = true;
      }
      if (!own_series) {
        *f = {s, e, "attachment", label.label + " continues the 附件 series of the notice before"};
        return true;
      }
    }
    // Signal: the previous notice's last line runs to the print width at a
    // page end, and this page's text goes on with it.
    if (prev_end.runs_on && after_break && first.kind == LineKind::Text &&
        zone[s] == next_page_top(L, prev_end.last)) {
      const LineInfo& p = L[static_cast<std::size_t>(prev_end.last)];
      if (continues(p, p.kind == LineKind::Marker ? p.rest : p.text, first, true)) {
        *f = {s, e, "sentence", "the notice before runs to the end of its page mid-sentence; this page goes on with it"};
        return true;
      }
    }
    // Signal: numbering that continues the previous notice's open sequence.
    // Prose before the first marker continues that notice's last item.
    // Prose before the first marker continues that notice's last item; a
    // title-like line (the heading of cur's own document) stops the search.
    // The prose may run over page breaks (a fragment longer than a page of
    // the print); the fragment then runs to the page break after the marker.
    std::size_t m = s;
    while (m < zone.size() && L[static_cast<std::size_t>(zone[m])].kind == LineKind::Text &&
           has_clause_punct(L[static_cast<std::size_t>(zone[m])].text))
      ++m;
    std::size_t me = std::max(e, m + 1);
    while (me < zone.size() && !page_break_between(L, zone[me - 1], zone[me])) ++me;
    if (m < zone.size() && L[static_cast<std::size_t>(zone[m])].kind == LineKind::Marker) {
      const LineInfo& mk = L[static_cast<std::size_t>(zone[m])];
      // Prose cut mid-sentence right before the marker is cur's own text,
      // waiting for its continuation after the fragment: a sentence never
      // stops half-way for the next item of the same list.
      std::size_t from = (m > s && is_hard_cut(L[static_cast<std::size_t>(zone[m - 1])])) ? m : s;
      if (from > s) {
        own.insert(own.end(), zone.begin() + static_cast<std::ptrdiff_t>(s), zone.begin() + static_cast<std::ptrdiff_t>(from));
      }
      if (mk.value >= 2 && mk.level < 10 && prev_end.last_value[mk.level] == mk.value - 1 &&
          prev_end.deepest_open >= mk.level && !continues_own_sequence(L, own, mk.level, mk.value)) {
        *f = {from, std::min(me, zone.size()), "numbering",
              mk.marker + " continues the numbering of the notice before (its last item at this level is " +
                  std::to_string(mk.value - 1) + ")"};
        return true;
      }
    }
    // Signal: the previous notice stops mid-sentence, and this fragment sits
    // in a sentence of its own that it cuts in two.
    // The latest such start in the page chunk wins: a line cut after ， is
    // more likely wrapped onto the next line than cut by the fragment.
    if (prev_end.cut_sentence && bridged && first.kind == LineKind::Text && has_clause_punct(first.text)) {
      std::size_t best = s;
      for (std::size_t t = s + 1; t < e; ++t) {
        const LineInfo& pt = L[static_cast<std::size_t>(zone[t - 1])];
        const LineInfo& ft = L[static_cast<std::size_t>(zone[t])];
        const LineInfo& b = L[static_cast<std::size_t>(zone[e])];
        if (is_hard_cut(pt) && ft.kind == LineKind::Text && has_clause_punct(ft.text) &&
            continues(pt, pt.text, b, true))
          best = t;
      }
      *f = {best, e, "sentence", "the notice before ends mid-sentence; this text continues it and interrupts a sentence here"};
      return true;
    }
  }
  return false;
}

}  // namespace

std::vector<Repair> repair_reading_order(const std::vector<LineInfo>& L, IssueLayout* layout) {
  std::vector<Repair> repairs;
  auto& notices = layout->notices;
  for (std::size_t k = 1; k < notices.size(); ++k) {
    NoticeLayout& prev = notices[k - 1];
    NoticeLayout& cur = notices[k];
    for (int moves = 0; moves < kMaxMovesPerNotice; ++moves) {
      OpenEnd end = open_end_of(L, content_of(prev));
      Fragment f;
      std::vector<int>* zone = nullptr;
      if (find_fragment(L, cur.body, {}, end, &f)) zone = &cur.body;
      else if (find_fragment(L, cur.enclosure, cur.body, end, &f)) zone = &cur.enclosure;
      if (!zone) break;
      std::vector<int> moved(zone->begin() + static_cast<std::ptrdiff_t>(f.from),
                             zone->begin() + static_cast<std::ptrdiff_t>(f.to));
      zone->erase(zone->begin() + static_cast<std::ptrdiff_t>(f.from), zone->begin() + static_cast<std::ptrdiff_t>(f.to));
      std::vector<int>& into = prev.enclosure.empty() ? prev.body : prev.enclosure;
      into.insert(into.end(), moved.begin(), moved.end());
      Repair r;
      r.lines = {L[static_cast<std::size_t>(moved.front())].number, L[static_cast<std::size_t>(moved.back())].last};
      r.from_docnum = L[static_cast<std::size_t>(cur.docnum_line)].detail().docnum.text;
      r.to_docnum = L[static_cast<std::size_t>(prev.docnum_line)].detail().docnum.text;
      r.signal = f.signal;
      r.detail = f.detail;
      repairs.push_back(r);
    }
  }
  return repairs;
}

}  // namespace gazette
