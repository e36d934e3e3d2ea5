#include "convert.h"
#include "node_id.h"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <set>

#include "classify.h"
#include "consensus.h"
#include "fields.h"
#include "reading_order.h"
#include "reflow.h"
#include "splitter.h"
#include "tree_builder.h"

namespace gazette {
namespace {

/// Input line ranges of a notice: its lines in input order, neighbours (or
/// lines with only blank lines between them) merged.
std::vector<LineSpan> spans_of(const std::vector<LineInfo>& L, std::vector<int> idx) {
  std::sort(idx.begin(), idx.end());
  idx.erase(std::unique(idx.begin(), idx.end()), idx.end());
  std::vector<LineSpan> out;
  int prev = -1;
  for (int i : idx) {
    bool joined = false;
    if (prev >= 0) {
      joined = true;
      for (int k = prev + 1; k < i; ++k)
        if (L[static_cast<std::size_t>(k)].kind != LineKind::Blank) { joined = false; break; }
    }
    const LineInfo& li = L[static_cast<std::size_t>(i)];
    if (joined) out.back().last = std::max(out.back().last, li.last);
    else out.push_back({li.number, li.last});
    prev = i;
  }
  return out;
}

Notice build_notice(const std::vector<LineInfo>& L, Matchers& m, const NoticeLayout& n) {
  Notice out;
  const LineInfo& d = L[static_cast<std::size_t>(n.docnum_line)];
  out.docnum = d.detail().docnum;
  out.title = n.title;
  out.issuer = n.issuer;
  out.issuers = n.issuers;
  out.title_line = n.title_lines.empty() ? 0 : L[static_cast<std::size_t>(n.title_lines.front())].number;
  if (!d.detail().signer.empty()) out.signer = remove_cjk_spaces(d.detail().signer);
  if (n.signer_line >= 0) out.signer = remove_cjk_spaces(L[static_cast<std::size_t>(n.signer_line)].detail().signer);
  for (int i : n.addressee_lines) out.addressee_text += L[static_cast<std::size_t>(i)].text;
  if (!out.addressee_text.empty()) out.addressees = split_addressees(out.addressee_text);
  for (int i : n.signature_lines) out.signature.push_back(remove_cjk_spaces(L[static_cast<std::size_t>(i)].text));
  if (out.issuers.empty()) {
    // No issuer above the title: the signing organs are the issuers.
    for (int i : n.signature_lines) {
      const LineInfo& s = L[static_cast<std::size_t>(i)];
      if (m.issuer.first(s.mv)) out.issuers.push_back(remove_cjk_spaces(s.text));
    }
  }
  if (out.issuer.empty() && !out.issuers.empty()) out.issuer = out.issuers.front();
  if (out.issuer.empty() && !out.signature.empty()) out.issuer = out.signature.front();
  if (n.date_line >= 0) {
    const LineInfo& dl = L[static_cast<std::size_t>(n.date_line)];
    if (!dl.detail().iso_date.empty()) out.date = dl.detail().iso_date;
    out.date_text = dl.text;
    out.date_line = dl.number;
  }
  for (int i : n.note_lines) out.notes.push_back(L[static_cast<std::size_t>(i)].text);
  std::optional<int> year;
  if (out.date) year = std::stoi(out.date->substr(0, 4));
  else if (out.docnum.year) year = out.docnum.year;
  BuildContext ctx{L, m, year};
  build_body(ctx, n.body, &out.body, &out.attachments);
  for (int i : n.downloads) {
    const LineInfo& li = L[static_cast<std::size_t>(i)];
    Attachment a;
    a.title = li.rest;
    a.file = li.detail().label;
    a.number = li.detail().label_number;
    a.line = li.number;
    out.attachments.push_back(std::move(a));
  }
  out.enclosures = build_enclosures(ctx, n.enclosure);

  std::vector<int> all;
  all.insert(all.end(), n.issuer_lines.begin(), n.issuer_lines.end());
  all.insert(all.end(), n.title_lines.begin(), n.title_lines.end());
  all.push_back(n.docnum_line);
  if (n.signer_line >= 0) all.push_back(n.signer_line);
  all.insert(all.end(), n.addressee_lines.begin(), n.addressee_lines.end());
  all.insert(all.end(), n.body.begin(), n.body.end());
  all.insert(all.end(), n.signature_lines.begin(), n.signature_lines.end());
  if (n.date_line >= 0) all.push_back(n.date_line);
  all.insert(all.end(), n.note_lines.begin(), n.note_lines.end());
  all.insert(all.end(), n.enclosure.begin(), n.enclosure.end());
  all.insert(all.end(), n.downloads.begin(), n.downloads.end());
  out.spans = spans_of(L, all);

  // Cited 文号: every one in the notice's lines but its own, one per
  // canonical form, its text (国发〔2016〕3号 and 国发(2016)3号 are one reference).
  std::set<std::string> seen;
  std::vector<int> cited = all;
  std::sort(cited.begin(), cited.end());
  for (std::size_t k = 0; k < cited.size(); ++k) {
    const int i = cited[k];
    if (i == n.docnum_line) continue;
    const LineInfo& li = L[static_cast<std::size_t>(i)];
    for (auto& r : find_references(li, m)) {
      if (seen.insert(r.text).second) out.references.push_back(r);
    }
    // A 文号 cut by a page break of the print: its line runs on into the
    // notice's next line.
    if (li.runs_on && k + 1 < cited.size() && cited[k + 1] != n.docnum_line) {
      LineInfo both;
      both.number = li.number;
      both.text = li.text + L[static_cast<std::size_t>(cited[k + 1])].text;
      both.mv = make_match_view(both.text);
      remove_artifacts(m.artifacts, &both.mv);
      for (auto& r : find_references(both, m)) {
        if (seen.insert(r.text).second) out.references.push_back(r);
      }
    }
  }
  return out;
}

/// Where each line record ended up, by the layout: a notice's part, or a zone.
std::vector<std::string> places_of(const std::vector<LineInfo>& L, const IssueLayout& layout) {
  std::vector<std::string> place(L.size());
  auto put = [&](int i, const std::string& what) {
    if (i >= 0 && static_cast<std::size_t>(i) < L.size()) place[static_cast<std::size_t>(i)] = what;
  };
  for (int i : layout.front) put(i, "front matter");
  for (int i : layout.back) put(i, "back matter");
  for (const auto& n : layout.notices) {
    const std::string key = L[static_cast<std::size_t>(n.docnum_line)].detail().docnum.text;
    auto all = [&](const std::vector<int>& v, const char* part) { for (int i : v) put(i, key + " " + part); };
    all(n.issuer_lines, "issuer");
    all(n.title_lines, "title");
    put(n.docnum_line, key + " 文号");
    put(n.signer_line, key + " 签发人");
    all(n.addressee_lines, "addressees");
    all(n.body, "body");
    all(n.signature_lines, "signature");
    put(n.date_line, key + " date");
    all(n.note_lines, "note");
    all(n.enclosure, "enclosures");
    all(n.downloads, "attachments");
    all(n.stray, "unassigned");
  }
  return place;
}

struct Trace {
  ReflowedText text;  ///< lines, origins and fates (the lines are moved out)
  std::vector<LineInfo>* records = nullptr;
  std::vector<std::string> places;
};

bool run_conversion(SourceText&& src, const Grammar& grammar, Issue* out, Error* err, Trace* trace);

/// The names of an issue as a first reading of it finds them.
std::vector<std::string> issue_names(const Issue& issue) {
  std::vector<std::string> names;
  if (!issue.publication.empty()) names.push_back(issue.publication);
  for (const Notice& n : issue.notices) {
    if (!n.issuer.empty()) names.push_back(n.issuer);
    if (!n.docnum.agency.empty()) names.push_back(n.docnum.agency);
    for (const std::string& s : n.signature) names.push_back(s);
  }
  return names;
}

void correct_ocr_names(SourceText* src, const Grammar& grammar, std::vector<Reading>* readings) {
  Issue first;
  Error ignored;
  SourceText copy = *src;
  if (!run_conversion(std::move(copy), grammar, &first, &ignored, nullptr)) return;
  const std::vector<AgreedName> names = agreed_names(src->lines, issue_names(first), grammar.known_names);
  const std::size_t before = readings->size();
  correct_by_consensus(&src->lines, names, readings);
  // The consensus counts entries; a reading names the printed line.
  for (std::size_t k = before; k < readings->size(); ++k) {
    Reading& r = (*readings)[k];
    r.line = src->runs.first(static_cast<std::size_t>(r.line - 1));
  }
}

}  // namespace

bool check_is_gazette(const Issue& issue, Error* err) {
  if (!issue.notices.empty() || !issue.publication.empty() || issue.year || issue.number) return true;
  *err = Error{ErrorKind::Input, issue.source_file, 0, 0, -1,
               "not a gazette issue: no line is a 文号 on its own and no masthead was read; nothing written"};
  return false;
}

bool convert_issue(const SourceText& src, const Grammar& grammar, Issue* out, Error* err) {
  SourceText copy = src;
  return convert_issue(std::move(copy), grammar, out, err);
}

bool convert_issue(SourceText&& src, const Grammar& all_rules, Issue* out, Error* err) {
  // The overlays scoped to a publication apply to the issues that print it.
  const std::shared_ptr<const Grammar> scoped = with_overlays(all_rules, overlays_for(all_rules, src.lines));
  const Grammar& grammar = *scoped;
  std::string read_text;
  if (!src.places.empty()) read_text = src.text();
  if (!src.ocr) {
    if (!run_conversion(std::move(src), grammar, out, err, nullptr)) return false;
    out->read_text = std::move(read_text);
    out->rule_files = grammar.names;
    return true;
  }
  // Text OCR read: a first reading finds the names the issue prints (its
  // publication, issuers, agency codes); their misreadings are corrected
  // and the issue is read again.
  std::vector<Reading> corrections;
  correct_ocr_names(&src, grammar, &corrections);
  if (!run_conversion(std::move(src), grammar, out, err, nullptr)) return false;
  out->reflow.readings.insert(out->reflow.readings.begin(), corrections.begin(), corrections.end());
  out->read_text = std::move(read_text);
  out->rule_files = grammar.names;
  return true;
}

bool explain_issue(SourceText&& src, const Grammar& all_rules, Issue* out, std::vector<LineExplanation>* lines,
                   Error* err) {
  const std::shared_ptr<const Grammar> scoped = with_overlays(all_rules, overlays_for(all_rules, src.lines));
  const Grammar& grammar = *scoped;
  std::vector<std::string> printed = src.lines;
  const LineRuns runs = src.runs;
  std::vector<LineInfo> records;
  Trace trace;
  trace.records = &records;
  if (!run_conversion(std::move(src), grammar, out, err, &trace)) return false;
  out->rule_files = grammar.names;
  lines->assign(static_cast<std::size_t>(runs.printed(printed.size())), LineExplanation{});
  auto fate = [&](int line) -> const LineFate& { return trace.text.fates[runs.entry_of(line)]; };
  for (std::size_t i = 0; i < lines->size(); ++i) {
    LineExplanation& e = (*lines)[i];
    e.line = static_cast<int>(i + 1);
    e.printed = printed[runs.entry_of(e.line)];
    const LineFate& f = fate(e.line);
    if (f.kind == LineFate::Joined) e.reflow = "joined to line " + std::to_string(f.into);
    else if (f.furniture()) e.reflow = std::string("page furniture (") + f.furniture_name() + ")";
    else if (f.kind == LineFate::ClosedUp) e.reflow = "closed up";
  }
  for (std::size_t r = 0; r < records.size(); ++r) {
    const LineInfo& li = records[r];
    for (int n = li.number; n <= li.last && n >= 1 && static_cast<std::size_t>(n) <= lines->size(); ++n) {
      LineExplanation& e = (*lines)[static_cast<std::size_t>(n - 1)];
      if (fate(n).furniture()) continue;
      if (trim_view(e.printed).empty()) {
        e.kind = line_kind_name(LineKind::Blank);
        continue;
      }
      e.kind = line_kind_name(li.kind);
      e.rule = std::string(li.rule);
      e.place = trace.places[r];
    }
  }
  for (const Reading& rd : out->reflow.readings) {
    if (rd.rule == "reflow.letter-spacing" || rd.line < 1 || static_cast<std::size_t>(rd.line) > lines->size()) continue;
    std::string& what = (*lines)[static_cast<std::size_t>(rd.line - 1)].reflow;
    what += (what.empty() ? "" : "; ") + ("read by " + rd.rule);
  }
  return true;
}

namespace {

/// Gives every node the place of its first line on the page, every notice
/// its pages, and lists the lines OCR was unsure of.
void place_on_pages(SourceText& src, Issue* issue) {
  issue->pages = src.pages;
  issue->low_confidence = src.low_confidence;
  if (src.places.empty()) return;
  for (LinePlace& p : src.places) p.doubtful = p.confidence >= 0 && p.confidence < src.low_confidence;
  auto at = [&](int line) {
    return line >= 1 && static_cast<std::size_t>(line) <= src.places.size() ? src.places[static_cast<std::size_t>(line - 1)]
                                                                             : LinePlace{};
  };
  std::function<void(std::vector<Node>&)> walk = [&](std::vector<Node>& nodes) {
    for (Node& n : nodes) {
      n.place = at(n.line);
      walk(n.children);
    }
  };
  walk(issue->front_matter);
  walk(issue->back_matter);
  walk(issue->unassigned);
  for (Notice& n : issue->notices) {
    walk(n.body);
    for (Enclosure& e : n.enclosures) walk(e.body);
    for (const LineSpan& s : n.spans) {
      for (int l : {s.first, s.last}) {
        const int p = at(l).page;
        if (p <= 0) continue;
        n.first_page = n.first_page ? std::min(n.first_page, p) : p;
        n.last_page = std::max(n.last_page, p);
      }
    }
  }
  for (std::size_t i = 0; i < src.places.size(); ++i) {
    const LinePlace& p = src.places[i];
    if (p.doubtful)
      issue->doubtful.push_back(Issue::Doubtful{static_cast<int>(i + 1), p, src.lines[i]});
  }
}

bool run_conversion(SourceText&& src, const Grammar& grammar, Issue* out, Error* err, Trace* trace) {
  Issue issue;
  issue.source_file = src.name;
  issue.encoding = src.encoding;
  // The printed lines of the pages OCR doubted, kept before reflow takes them.
  SourceText pages;
  pages.places = std::move(src.places);
  pages.pages = src.pages;
  pages.low_confidence = src.low_confidence;
  if (!pages.places.empty()) {
    pages.lines.reserve(src.lines.size());
    for (std::size_t i = 0; i < src.lines.size(); ++i) {
      const LinePlace& p = pages.places[i];
      pages.lines.push_back(p.confidence >= 0 && p.confidence < src.low_confidence ? src.lines[i] : std::string());
    }
  }
  Matchers m(grammar);
  m.ocr_text = src.ocr;
  {
    std::size_t bytes = 0;
    for (const std::string& l : src.lines) bytes += l.size() + 1;
    reset_regex_budget(bytes);
  }
  try {
    ReflowedText text = reflow_lines(std::move(src.lines), src.runs, m, &issue.reflow);
    src.lines.clear();
    std::vector<LineInfo> L = classify_lines(std::move(text.lines), m, &text.origin, &issue.reflow.readings);
    for (std::size_t i = 0; i < L.size(); ++i) {
      L[i].page_break = text.page_break[i];
      L[i].runs_on = text.runs_on[i];
      L[i].para_start = text.para_start[i];
      L[i].wrapped = issue.reflow.print_width > 0;
    }
    if (!trace) text = ReflowedText{};  // only grammar explain reads it on
    IssueLayout layout = split_issue(L, m);
    issue.repairs = repair_reading_order(L, &layout);
    if (trace) trace->places = places_of(L, layout);
    read_front_matter(L, layout.front, m, &issue);
    for (const auto& n : layout.notices) {
      issue.notices.push_back(build_notice(L, m, n));
      for (int i : n.stray) issue.unassigned.push_back(line_node(L[static_cast<std::size_t>(i)]));
    }
    for (int i : layout.back) issue.back_matter.push_back(line_node(L[static_cast<std::size_t>(i)]));
    place_on_pages(pages, &issue);
    if (trace) {
      trace->text = std::move(text);
      *trace->records = std::move(L);
    }
  } catch (const RegexTimeout& t) {
    // The error points at the rule (file:line:col of its regex) and names the
    // input line it was matching.
    Error e{ErrorKind::Grammar, t.rule_where, 0, 0, -1, ""};
    std::size_t c2 = t.rule_where.rfind(':');
    std::size_t c1 = c2 == std::string::npos ? std::string::npos : t.rule_where.rfind(':', c2 - 1);
    if (c1 != std::string::npos) {
      e.file = t.rule_where.substr(0, c1);
      e.line = std::atoi(t.rule_where.c_str() + c1 + 1);
      e.column = std::atoi(t.rule_where.c_str() + c2 + 1);
    }
    const std::string where = src.name + (t.input_line > 0 ? ":" + std::to_string(t.input_line) : std::string());
    e.message = t.run_budget ? "the rules' slow matches ran past the run's regex time budget on " + where +
                                   ", rule '" + t.rule_id + "' the last; simplify its pattern"
                             : "rule '" + t.rule_id + "' ran past the regex time limit on " + where +
                                   "; simplify its pattern";
    *err = e;
    return false;
  }
  assign_node_ids(&issue);
  *out = std::move(issue);
  return true;
}

}  // namespace
}  // namespace gazette
