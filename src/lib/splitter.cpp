#include "splitter.h"

#include <algorithm>

namespace gazette {
namespace {

/// How many non-blank lines above a 文号 line can belong to its header.
constexpr int kMaxHeaderLines = 8;
/// A title runs over at most this many lines.
constexpr int kMaxTitleLines = 3;
/// Organ names printed as a signature above the date.
constexpr int kMaxSignatureLines = 3;
/// Signature lines that are each an organ (the organs of a joint document).
constexpr int kMaxOrganSignatures = 12;

bool has_sentence_punct(const std::string& s) {
  static const char* marks[] = {"，", "。", "；", "：", ",", ";", ":", "！", "？"};
  for (const char* p : marks)
    if (s.find(p) != std::string::npos) return true;
  return false;
}

int prev_nonblank(const std::vector<LineInfo>& L, int i, int floor) {
  for (--i; i >= floor; --i)
    if (L[static_cast<std::size_t>(i)].kind != LineKind::Blank) return i;
  return -1;
}

int next_nonblank(const std::vector<LineInfo>& L, int i, int ceil) {
  for (++i; i < ceil; ++i)
    if (L[static_cast<std::size_t>(i)].kind != LineKind::Blank) return i;
  return -1;
}

/// Issuer lines met walking `walk` (line indices, in walking order) from
/// `from`: consecutive lines that are issuers and start no title (a joint
/// document prints one organ a line). Returned in printed order, with their
/// names joined by spaces.
struct IssuerRun {
  std::vector<int> lines;
  std::string text;
};
IssuerRun issuer_run(const std::vector<LineInfo>& L, Matchers& m, const std::vector<int>& walk, std::size_t from) {
  IssuerRun run;
  std::vector<std::string> names;
  for (std::size_t k = from; k < walk.size(); ++k) {
    const LineInfo& li = L[static_cast<std::size_t>(walk[k])];
    if (li.kind != LineKind::Text || m.title_start.first(li.mv)) break;
    RuleMatcher* is = m.issuer.first(li.mv);
    if (!is) break;
    run.lines.push_back(walk[k]);
    names.push_back(group_text(*is, li.mv, li.text, "issuer"));
  }
  if (!run.lines.empty() && run.lines.front() > run.lines.back()) {  // walked upwards
    std::reverse(run.lines.begin(), run.lines.end());
    std::reverse(names.begin(), names.end());
  }
  for (const std::string& n : names) run.text += (run.text.empty() ? "" : " ") + n;
  return run;
}

/// The notice's issuers from their printed names (one organ, or several).
void set_issuers(NoticeLayout* n, const std::string& printed, Matchers& m) {
  n->issuers = split_issuers(printed, m);
  n->issuer = n->issuers.empty() ? std::string() : n->issuers.front();
}

/// Whether `text` has white space (ASCII or U+3000) at byte `at`.
bool space_at(const std::string& text, std::size_t at) {
  return at < text.size() && (text[at] == ' ' || text.compare(at, 3, "\xE3\x80\x80") == 0);
}

/// Reads the header above the 文号 line `d`: title lines (the nearest line
/// that starts a title, up to three lines up) and an issuer. `floor` is the
/// first line the header may use.
void read_header(const std::vector<LineInfo>& L, Matchers& m, int d, int floor, NoticeLayout* n) {
  std::vector<int> cand;  // nearest first
  for (int i = prev_nonblank(L, d, floor); i >= 0 && static_cast<int>(cand.size()) < kMaxHeaderLines;
       i = prev_nonblank(L, i, floor)) {
    const LineInfo& li = L[static_cast<std::size_t>(i)];
    if (li.kind != LineKind::Text || li.text.find("。") != std::string::npos || utf8_length(li.text) > 100) break;
    if (m.toc_entry.first(li.mv)) break;  // the table of contents above the first notice
    cand.push_back(i);
  }
  n->start = d;
  if (cand.empty()) return;
  // The red-head layout of GB/T 9704 (…人民政府文件 / 文号 / title): issuer
  // lines right above the 文号 and no title there; read_parts finds the title
  // after the 文号.
  {
    const LineInfo& above = L[static_cast<std::size_t>(cand[0])];
    if (!m.title_start.first(above.mv) && !m.title_end.first(above.mv)) {
      IssuerRun run = issuer_run(L, m, cand, 0);
      if (!run.lines.empty()) {
        n->issuer_lines = run.lines;
        set_issuers(n, run.text, m);
        n->start = run.lines.front();
      }
      return;
    }
  }
  // The title starts at the topmost line within three that starts a title
  // (国务院办公厅转发国家发展改革委 / 关于…的通知 is one title); an issuer line
  // that starts none stops the search.
  int title_top = -1;
  std::string prefix;
  for (int k = 0; k < static_cast<int>(cand.size()) && k < kMaxTitleLines; ++k) {
    const LineInfo& li = L[static_cast<std::size_t>(cand[static_cast<std::size_t>(k)])];
    RuleMatcher* t = m.title_start.first(li.mv);
    if (k > 0 && !t && m.issuer.first(li.mv)) break;
    if (t) {
      title_top = k;
      prefix = group_text(*t, li.mv, li.text, "issuer");
    }
  }
  if (title_top < 0) {
    // No 关于: a one-line title that ends as titles end.
    const LineInfo& li = L[static_cast<std::size_t>(cand[0])];
    if (!m.title_end.first(li.mv)) return;
    title_top = 0;
  }
  // Issuer lines above the title. When the title itself starts with its
  // issuers (…江西省生态环境厅关于…), they are its first lines: a joint title
  // wrapped over its list of organs.
  IssuerRun above = issuer_run(L, m, cand, static_cast<std::size_t>(title_top) + 1);
  bool wrapped_organs = false;
  if (!prefix.empty() && !above.lines.empty()) {
    const std::string& top = L[static_cast<std::size_t>(cand[static_cast<std::size_t>(title_top)])].text;
    const std::size_t at = top.find(prefix);
    wrapped_organs = at != std::string::npos && at + prefix.size() < top.size() && !space_at(top, at + prefix.size());
  }
  if (wrapped_organs) {
    title_top += static_cast<int>(above.lines.size());
    prefix = above.text + " " + prefix;
    above.lines.clear();
  }
  for (int k = title_top; k >= 0; --k) n->title_lines.push_back(cand[static_cast<std::size_t>(k)]);
  n->start = n->title_lines.front();
  // The title text: lines joined, stray spaces between CJK characters dropped.
  std::string title;
  for (int i : n->title_lines) title += L[static_cast<std::size_t>(i)].text;
  const LineInfo& first = L[static_cast<std::size_t>(n->title_lines.front())];
  if (!prefix.empty()) {
    // An issuer printed before 关于 on the same line: kept out of the title when
    // a space separates them (extraction joined two printed lines), kept in it
    // when it is part of the title as printed (国务院关于…).
    std::size_t at = first.text.find(prefix);
    std::string after = at == std::string::npos ? first.text : first.text.substr(at + prefix.size());
    bool separate = !wrapped_organs && space_at(after, 0);
    set_issuers(n, prefix, m);
    if (separate) title = title.substr(title.find(after) == std::string::npos ? 0 : title.find(after));
  }
  n->title = remove_cjk_spaces(title);
  // An order's heading is its issuer's name (中华人民共和国国务院令).
  if (n->issuer.empty() && n->title_lines.size() == 1)
    if (RuleMatcher* is = m.issuer.first(first.mv)) set_issuers(n, group_text(*is, first.mv, first.text, "issuer"), m);
  // Separate issuer lines above the title.
  if (!above.lines.empty()) {
    n->issuer_lines = above.lines;
    set_issuers(n, above.text, m);
    n->start = above.lines.front();
  }
}

/// Reads 签发人, 主送机关, body, signature, date and notes of notice `n`, whose
/// lines are [n->docnum_line + 1, n->end).
void read_parts(const std::vector<LineInfo>& L, Matchers& m, NoticeLayout* n) {
  int i = next_nonblank(L, n->docnum_line, n->end);
  if (i >= 0 && L[static_cast<std::size_t>(i)].kind == LineKind::Signer) {
    n->signer_line = i;
    i = next_nonblank(L, i, n->end);
  }
  // The red-head order of some publishers: the 文号 first, then the issuer
  // on its own line(s), then the title.
  if (n->title_lines.empty() && n->issuer_lines.empty() && i >= 0) {
    std::vector<int> walk;  // the next lines, down to a title after them
    for (int k = i; k >= 0 && walk.size() <= kMaxHeaderLines; k = next_nonblank(L, k, n->end)) walk.push_back(k);
    IssuerRun run = issuer_run(L, m, walk, 0);
    const std::size_t after = run.lines.size();
    if (!run.lines.empty() && after < walk.size()) {
      const LineInfo& t = L[static_cast<std::size_t>(walk[after])];
      if (t.kind == LineKind::Text && m.title_start.first(t.mv)) {
        n->issuer_lines = run.lines;
        set_issuers(n, run.text, m);
        i = walk[after];
      }
    }
  }
  // A title printed after the 文号 (red-head layout): up to three lines from a
  // line that starts a title to one that ends like a title.
  if (n->title_lines.empty() && i >= 0 && L[static_cast<std::size_t>(i)].kind == LineKind::Text &&
      m.title_start.first(L[static_cast<std::size_t>(i)].mv)) {
    std::vector<int> lines;
    for (int k = i; k >= 0 && static_cast<int>(lines.size()) < kMaxTitleLines; k = next_nonblank(L, k, n->end)) {
      const LineInfo& t = L[static_cast<std::size_t>(k)];
      if (t.kind != LineKind::Text || t.text.find("。") != std::string::npos || m.addressee.first(t.mv)) break;
      lines.push_back(k);
      if (m.title_end.first(t.mv)) {
        n->title_lines = lines;
        break;
      }
    }
    if (!n->title_lines.empty()) {
      std::string title;
      for (int k : n->title_lines) title += L[static_cast<std::size_t>(k)].text;
      n->title = remove_cjk_spaces(title);
      i = next_nonblank(L, n->title_lines.back(), n->end);
      if (i >= 0 && L[static_cast<std::size_t>(i)].kind == LineKind::Signer && n->signer_line < 0) {
        n->signer_line = i;
        i = next_nonblank(L, i, n->end);
      }
    }
  }
  // 主送机关: one line ending in a colon, or two when it wraps.
  if (i >= 0 && L[static_cast<std::size_t>(i)].kind == LineKind::Text) {
    const LineInfo& a = L[static_cast<std::size_t>(i)];
    if (m.addressee.first(a.mv)) {
      n->addressee_lines.push_back(i);
      i = next_nonblank(L, i, n->end);
    } else if (!a.terminated && a.text.find("。") == std::string::npos) {
      int j = next_nonblank(L, i, n->end);
      if (j >= 0 && L[static_cast<std::size_t>(j)].kind == LineKind::Text) {
        MatchView joined = make_match_view(a.text + L[static_cast<std::size_t>(j)].text);
        if (m.addressee.first(joined)) {
          n->addressee_lines = {i, j};
          i = next_nonblank(L, j, n->end);
        }
      }
    }
  }
  int body_from = i < 0 ? n->end : i;
  // 成文日期: the first date line after the body starts.
  for (int k = body_from; k < n->end; ++k)
    if (L[static_cast<std::size_t>(k)].kind == LineKind::Date) { n->date_line = k; break; }
  int body_to = n->end;
  if (n->date_line >= 0) {
    body_to = n->date_line;
    // The signing organs above the date: up to three short lines, more when
    // each is an organ (a joint document signs once an organ); a closing
    // formula (特此通知) is the body's last line, not a signature.
    for (int k = prev_nonblank(L, n->date_line, body_from); k >= 0 && static_cast<int>(n->signature_lines.size()) < kMaxOrganSignatures;
         k = prev_nonblank(L, k, body_from)) {
      const LineInfo& s = L[static_cast<std::size_t>(k)];
      if (s.kind != LineKind::Text || has_sentence_punct(s.text) || utf8_length(s.text) > 40) break;
      if (m.closing.first(s.mv)) break;
      if (static_cast<int>(n->signature_lines.size()) >= kMaxSignatureLines && !m.issuer.first(s.mv)) break;
      n->signature_lines.insert(n->signature_lines.begin(), k);
      body_to = k;
    }
    int k = next_nonblank(L, n->date_line, n->end);
    while (k >= 0 && L[static_cast<std::size_t>(k)].kind == LineKind::PublicNote) {
      n->note_lines.push_back(k);
      k = next_nonblank(L, k, n->end);
    }
    for (int e = (k < 0 ? n->end : k); e < n->end; ++e) {
      const LineKind kind = L[static_cast<std::size_t>(e)].kind;
      if (kind == LineKind::Download) n->downloads.push_back(e);
      else if (kind != LineKind::Blank) n->enclosure.push_back(e);
    }
  }
  for (int b = body_from; b < body_to; ++b) {
    const LineKind kind = L[static_cast<std::size_t>(b)].kind;
    if (kind == LineKind::Download) n->downloads.push_back(b);
    else if (kind != LineKind::Blank) n->body.push_back(b);
  }
}

}  // namespace

std::vector<std::string> split_issuers(const std::string& text, Matchers& m) {
  std::vector<std::string> parts;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) parts.push_back(cur);
    cur.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == ' ' || text[i] == '\t') { flush(); ++i; continue; }
    if (text.compare(i, 3, "\xE3\x80\x80") == 0 || text.compare(i, 3, "、") == 0) { flush(); i += 3; continue; }
    cur += text[i++];
  }
  flush();
  if (parts.size() > 1) {
    bool all = true;
    for (const std::string& p : parts) all = all && m.issuer.first(make_match_view(p)) != nullptr;
    if (all) return parts;
  }
  const std::string whole = remove_cjk_spaces(text);
  if (whole.empty()) return {};
  return {whole};
}

bool is_title_like(const LineInfo& li, std::size_t max_chars) {
  // A line that runs on over a page break is the start of a sentence, not a title.
  return li.kind == LineKind::Text && !li.runs_on && !has_sentence_punct(li.text) && utf8_length(li.text) <= max_chars;
}

IssueLayout split_issue(const std::vector<LineInfo>& L, Matchers& m) {
  IssueLayout out;
  const int n_lines = static_cast<int>(L.size());
  std::vector<int> anchors;
  for (int i = 0; i < n_lines; ++i)
    if (L[static_cast<std::size_t>(i)].kind == LineKind::Docnum) anchors.push_back(i);
  int floor = 0;
  for (int a : anchors) {
    NoticeLayout n;
    n.docnum_line = a;
    read_header(L, m, a, floor, &n);
    out.notices.push_back(n);
    floor = a + 1;
  }
  // Extents: each notice runs to the line before the next one's header.
  for (std::size_t k = 0; k < out.notices.size(); ++k)
    out.notices[k].end = k + 1 < out.notices.size() ? out.notices[k + 1].start : n_lines;
  // Back matter: the colophon after the last notice's date, once no more
  // numbered text follows it.
  int back_from = n_lines;
  if (!out.notices.empty()) {
    NoticeLayout& last = out.notices.back();
    int from = last.docnum_line + 1;
    for (int i = from; i < n_lines; ++i)
      if (L[static_cast<std::size_t>(i)].kind == LineKind::Date) { from = i + 1; break; }
    for (int i = from; i < n_lines; ++i) {
      if (L[static_cast<std::size_t>(i)].kind != LineKind::Colophon) continue;
      bool more_text = false;
      for (int j = i + 1; j < n_lines; ++j) {
        LineKind k = L[static_cast<std::size_t>(j)].kind;
        if (k == LineKind::Marker || k == LineKind::Docnum || k == LineKind::Responsibility) { more_text = true; break; }
      }
      if (!more_text) { back_from = i; break; }
    }
    last.end = back_from;
  }
  for (auto& n : out.notices) read_parts(L, m, &n);
  int first = out.notices.empty() ? n_lines : out.notices.front().start;
  for (int i = 0; i < first; ++i)
    if (L[static_cast<std::size_t>(i)].kind != LineKind::Blank) out.front.push_back(i);
  for (int i = back_from; i < n_lines; ++i)
    if (L[static_cast<std::size_t>(i)].kind != LineKind::Blank) out.back.push_back(i);
  // Header-zone lines that are neither issuer nor title nor 文号 (a stray line
  // between title and 文号) are kept as strays.
  for (auto& n : out.notices) {
    for (int i = n.start; i < n.docnum_line; ++i) {
      const LineInfo& li = L[static_cast<std::size_t>(i)];
      if (li.kind == LineKind::Blank) continue;
      if (std::find(n.issuer_lines.begin(), n.issuer_lines.end(), i) != n.issuer_lines.end()) continue;
      if (std::find(n.title_lines.begin(), n.title_lines.end(), i) != n.title_lines.end()) continue;
      n.stray.push_back(i);
    }
  }
  return out;
}

Node line_node(const LineInfo& li) {
  Node n;
  n.type = NodeType::Paragraph;
  n.text = li.text;
  n.line = li.number;
  n.spans.push_back({li.number, li.last});
  return n;
}

void read_front_matter(const std::vector<LineInfo>& L, const std::vector<int>& front, Matchers& m, Issue* issue) {
  std::string section;
  const LineInfo* last_entry = nullptr;  // the contents entry just read, if its line runs on
  for (int i : front) {
    const LineInfo& li = L[static_cast<std::size_t>(i)];
    issue->front_matter.push_back(line_node(li));
    if (li.mv.view.isEmpty()) continue;
    // An entry cut by a page break of the print goes on at the next page's top.
    if (last_entry && li.kind == LineKind::Text && !m.toc_entry.first(li.mv) && !m.toc_section.first(li.mv)) {
      issue->toc.back().title += remove_cjk_spaces(li.text);
      last_entry = li.runs_on ? &li : nullptr;
      continue;
    }
    last_entry = nullptr;
    for (auto& r : m.masthead.all()) {
      if (!r->find(li.mv)) continue;
      auto num = [&](const char* g) { return parse_numeral(group_view(*r, li.mv, g), "arabic"); };
      if (issue->publication.empty()) issue->publication = remove_cjk_spaces(group_text(*r, li.mv, li.text, "publication"));
      if (!issue->year) issue->year = num("year");
      if (!issue->number) issue->number = num("number");
      if (!issue->cumulative_number) issue->cumulative_number = num("cumulative");
    }
    if (RuleMatcher* s = m.toc_section.first(li.mv)) {
      section = remove_cjk_spaces(group_text(*s, li.mv, li.text, "section"));
      continue;
    }
    if (RuleMatcher* e = m.toc_entry.first(li.mv)) {
      TocEntry t;
      t.page = parse_numeral(group_view(*e, li.mv, "page"), "arabic");
      t.section = section;
      t.title = remove_cjk_spaces(group_text(*e, li.mv, li.text, "title"));
      t.line = li.number;
      issue->toc.push_back(t);
      if (li.runs_on) last_entry = &li;
    }
  }
}

}  // namespace gazette
