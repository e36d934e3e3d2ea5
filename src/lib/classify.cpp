#include "classify.h"

#include <cstdio>

#include "docnum.h"

namespace gazette {

const char* line_kind_name(LineKind k) {
  switch (k) {
    case LineKind::Blank: return "blank";
    case LineKind::Text: return "text";
    case LineKind::Docnum: return "docnum";
    case LineKind::Date: return "date";
    case LineKind::Signer: return "signer";
    case LineKind::PublicNote: return "public_note";
    case LineKind::AttachmentNote: return "attachment_note";
    case LineKind::AttachmentLabel: return "attachment_label";
    case LineKind::Download: return "download";
    case LineKind::Marker: return "marker";
    case LineKind::Responsibility: return "responsibility";
    case LineKind::RosterRole: return "roster";
    case LineKind::TableRow: return "table_row";
    case LineKind::Colophon: return "colophon";
  }
  return "text";
}

Matchers::Matchers(const Grammar& g)
    : grammar(g),
      docnum_after(g.docnum, [](const Rule& r) { return r.previous != nullptr; }),
      artifacts(g.artifacts),
      docnum(g.docnum, [](const Rule& r) { return r.previous == nullptr; }),
      issuer(g.issuer), title_start(g.title_start),
      title_end(g.title_end), signer(g.signer), addressee(g.addressee), date(g.date), public_note(g.public_note),
      attachment_note(g.attachment_note), attachment_label(g.attachment_label), download(g.download), closing(g.closing), markers(g.markers),
      glued_markers(g.glued_markers), resp_line(g.responsibility_line), resp_paren(g.responsibility_paren),
      resp_prose(g.responsibility_prose),
      resp_field_sep(g.responsibility_field_separator), resp_list_sep(g.responsibility_list_separator),
      deadlines(g.deadlines), roster_line(g.roster_line), roster_member(g.roster_member), table_row(g.table_row),
      masthead(g.masthead), toc_section(g.toc_section), toc_entry(g.toc_entry), colophon(g.colophon),
      page_number(g.page_number), substitutions(g.substitutions) {
  for (auto& r : docnum_after.all()) docnum_above.push_back(std::make_unique<RuleMatcher>(*r->rule().previous));
}

bool ends_terminated(const std::string& text) {
  char32_t c = last_char(text);
  switch (c) {
    case U'。': case U'！': case U'？': case U'；': case U'：': case U'…': case U'）': case U')':
    case U'」': case U'』': case U'】': case U'〕': case U'》': case U'”': case U'’': case U'!':
    case U'?': case U';': case U':': case U'.': case U'］': case U']':
      return true;
    default:
      return false;
  }
}

DocNumber read_docnum(RuleMatcher& m, const MatchView& mv, const std::string& printed, int line) {
  DocNumber d;
  d.agency = remove_spaces(group_text(m, mv, printed, "agency"));
  std::string year = group_view(m, mv, "year");
  std::string seq = remove_spaces(group_view(m, mv, "seq"));
  if (auto y = parse_numeral(year, "arabic")) d.year = *y;
  if (auto s = parse_numeral(seq, "arabic")) d.seq = *s;
  d.leading_zero = seq.size() > 1 && seq[0] == '0';
  d.open_bracket = group_text(m, mv, printed, "open");
  d.close_bracket = group_text(m, mv, printed, "close");
  d.has_di = !group_text(m, mv, printed, "di").empty();
  d.rule = m.rule().id;
  d.form = m.rule().form;
  d.line = line;
  set_docnum_forms(&d, mv.printed(printed, m.start(0), m.end(0)));
  return d;
}

std::string read_iso_date(RuleMatcher& m, const MatchView& mv) {
  std::string ys = group_view(m, mv, "y"), ms = group_view(m, mv, "m"), ds = group_view(m, mv, "d");
  std::string system = m.rule().numeral.empty() ? "arabic" : m.rule().numeral;
  auto y = parse_numeral(ys, system), mo = parse_numeral(ms, system), d = parse_numeral(ds, system);
  if (!y && system == "arabic") { system = "chinese"; y = parse_numeral(ys, system); mo = parse_numeral(ms, system); d = parse_numeral(ds, system); }
  if (!y || !mo || !d || *mo < 1 || *mo > 12 || *d < 1 || *d > 31) return "";
  // A day the month does not have (2023年2月31日) is printed, not a date:
  // the line stays a 成文日期, with no ISO date, and validate reports it.
  if (*d > days_in_month(*y, *mo)) return kNotOnTheCalendar;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", *y, *mo, *d);
  return buf;
}

namespace {

/// Lines longer than this are plain text: no rule is run over them, so a huge
/// line (a file without line breaks) costs linear time.
constexpr std::size_t kMaxRuleLineBytes = 64 * 1024;

/// A 文号 rule that needs the line above (Rule::previous) matching `li`
/// and `above`: `li` becomes a 文号 line, read from both lines.
bool docnum_over_two_lines(LineInfo& li, const LineInfo* above, Matchers& m) {
  if (!above || above->mv.view.isEmpty()) return false;
  auto& rules = m.docnum_after.all();
  for (std::size_t k = 0; k < rules.size(); ++k) {
    RuleMatcher& d = *rules[k];
    RuleMatcher& p = *m.docnum_above[k];
    if (!d.looking_at(li.mv) || d.end(0) != li.mv.view.length() || !p.looking_at(above->mv)) continue;
    DocNumber n = read_docnum(d, li.mv, li.text, li.number);
    const std::string agency = remove_spaces(group_text(p, above->mv, above->text, "agency"));
    if (!agency.empty()) n.agency = agency;
    if (auto y = parse_numeral(group_view(p, above->mv, "year"), "arabic")) n.year = *y;
    set_docnum_forms(&n, above->mv.printed(above->text, p.start(0), p.end(0)) + n.printed);
    li.kind = LineKind::Docnum;
    li.rule = d.rule().id;
    li.detail_for_write().docnum = std::move(n);
    return true;
  }
  return false;
}

void classify_one(LineInfo& li, Matchers& m, bool has_tab, const LineInfo* above) {
  const std::string& t = li.text;
  const icu::UnicodeString& v = li.mv.view;
  li.terminated = ends_terminated(t);
  if (has_tab && m.table_row.first(li.mv)) {
    li.kind = LineKind::TableRow;
    li.rule = "table_row";
    return;
  }
  if (RuleMatcher* d = m.docnum.first_at_start(li.mv)) {
    {
      int32_t end = d->end(0);
      bool whole = end == v.length();
      std::string signer;
      if (!whole) {
        icu::UnicodeString tail(v, end);
        tail.trim();
        MatchView tmv = make_match_view(to_utf8(tail));
        if (RuleMatcher* s = m.signer.first(tmv)) {
          signer = group_text(*s, tmv, to_utf8(tail), "signer");
          whole = true;
        }
      }
      if (whole) {
        li.kind = LineKind::Docnum;
        li.rule = d->rule().id;
        li.detail_for_write().docnum = read_docnum(*d, li.mv, t, li.number);
        if (!signer.empty()) li.detail_for_write().signer = signer;
        return;
      }
    }
  }
  if (!m.docnum_after.empty() && docnum_over_two_lines(li, above, m)) return;
  if (RuleMatcher* d = m.date.first(li.mv)) {
    std::string iso = read_iso_date(*d, li.mv);
    if (!iso.empty()) {
      li.kind = LineKind::Date;
      li.rule = d->rule().id;
      li.detail_for_write().iso_date = iso == kNotOnTheCalendar ? std::string() : iso;
      return;
    }
  }
  if (RuleMatcher* s = m.signer.first(li.mv)) {
    li.kind = LineKind::Signer;
    li.rule = s->rule().id;
    li.detail_for_write().signer = group_text(*s, li.mv, t, "signer");
    return;
  }
  if (RuleMatcher* p = m.public_note.first(li.mv)) {
    li.kind = LineKind::PublicNote;
    li.rule = p->rule().id;
    return;
  }
  if (RuleMatcher* r = m.resp_line.first(li.mv)) {
    std::string label = remove_spaces(group_text(*r, li.mv, t, "label"));
    std::string field;
    for (const auto& [l, f] : m.grammar.responsibility_labels)
      if (l == label) field = f;
    // A label with nothing after it (主办单位：/协办单位： heading a list) is text.
    std::string value = field.empty() ? std::string() : group_text(*r, li.mv, t, "value");
    if (!value.empty()) {
      li.kind = LineKind::Responsibility;
      li.rule = r->rule().id;
      LineDetail& detail = li.detail_for_write();
      detail.field = std::move(field);
      detail.label = label;
      li.rest = std::move(value);
      return;
    }
  }
  if (RuleMatcher* a = m.download.first(li.mv)) {
    li.kind = LineKind::Download;
    li.rule = a->rule().id;
    li.rest = remove_cjk_spaces(group_text(*a, li.mv, t, "title"));
    li.detail_for_write().label = trim(group_text(*a, li.mv, t, "file"));
    li.detail_for_write().label_number = parse_numeral(group_view(*a, li.mv, "number"), "arabic");
    return;
  }
  if (RuleMatcher* a = m.attachment_note.first(li.mv)) {
    li.kind = LineKind::AttachmentNote;
    li.rule = a->rule().id;
    li.rest = group_text(*a, li.mv, t, "rest");
    return;
  }
  if (RuleMatcher* a = m.attachment_label.first(li.mv)) {
    li.kind = LineKind::AttachmentLabel;
    li.rule = a->rule().id;
    LineDetail& detail = li.detail_for_write();
    detail.label = remove_spaces(group_text(*a, li.mv, t, "label"));
    detail.label_number = parse_numeral(group_view(*a, li.mv, "number"), "arabic");
    li.rest = group_text(*a, li.mv, t, "title");
    return;
  }
  if (RuleMatcher* r = m.roster_line.first(li.mv)) {
    li.kind = LineKind::RosterRole;
    li.rule = r->rule().id;
    li.detail_for_write().role = remove_spaces(group_text(*r, li.mv, t, "role"));
    li.rest = group_text(*r, li.mv, t, "rest");
    return;
  }
  if (RuleMatcher* mk = m.markers.first(li.mv)) {
    const Rule& rule = mk->rule();
    auto value = parse_numeral(group_view(*mk, li.mv, "num"), rule.numeral);
    if (value) {
      li.kind = LineKind::Marker;
      li.rule = rule.id;
      li.level = rule.level;
      li.rank = rule.rank;
      li.value = *value;
      li.marker = group_text(*mk, li.mv, t, "marker");
      li.standard_marker = rule.standard;
      li.rest = group_text(*mk, li.mv, t, "rest");
      return;
    }
  }
  if (m.colophon.first(li.mv)) {
    li.kind = LineKind::Colophon;
    li.rule = "colophon";
    return;
  }
  li.kind = LineKind::Text;
}

/// Reads the grammar's substitutions into the line's text: each rule's
/// `wrong` group (or whole match) is replaced by the rule's reading. Returns
/// true when the text changed (its view is then rebuilt); each change is
/// recorded in `readings`.
bool read_substitutions(LineInfo& li, Matchers& m, std::vector<Reading>* readings) {
  bool changed = false;
  for (auto& r : m.substitutions.all()) {
    const Rule& rule = r->rule();
    if (rule.ocr_only && !m.ocr_text) continue;
    if (!rule.replace_map.empty()) {
      // A map reads characters of its keys only: a view with none is skipped
      // (told by the view's unit filter first, then by a scan).
      bool any = !r->prefiltered();
      for (std::size_t k = 0; k < rule.replace_filter.bits.size(); ++k)
        any = any || (rule.replace_filter.bits[k] & li.mv.units.bits[k]) != 0;
      if (!any) continue;
      any = false;
      for (const auto& kv : rule.replace_map)
        if (li.text.find(kv.first) != std::string::npos) { any = true; break; }
      if (!any) continue;
    }
    // Replacements run from the end, so that earlier offsets stay valid.
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    int32_t from = 0;
    int g = rule.group("wrong");
    while (from <= li.mv.view.length() && r->find(li.mv, from)) {
      int32_t a = g >= 0 ? r->start(g) : r->start(0), b = g >= 0 ? r->end(g) : r->end(0);
      if (a >= 0 && b > a)
        spans.push_back({static_cast<std::size_t>(li.mv.to_printed[static_cast<std::size_t>(a)]),
                         static_cast<std::size_t>(li.mv.to_printed[static_cast<std::size_t>(b)])});
      from = std::max(r->end(0), r->start(0) + 1);
    }
    if (spans.empty()) continue;
    std::string text = li.text;
    for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
      std::string span = text.substr(it->first, it->second - it->first), read;
      if (rule.replace_map.empty()) {
        read = rule.replace;
      } else {
        for (std::size_t k = 0; k < span.size();) {
          bool hit = false;
          for (const auto& [from_text, to_text] : rule.replace_map) {
            if (span.compare(k, from_text.size(), from_text) == 0) { read += to_text; k += from_text.size(); hit = true; break; }
          }
          if (!hit) read += span[k++];
        }
      }
      text.replace(it->first, it->second - it->first, read);
    }
    if (text == li.text) continue;
    if (readings) readings->push_back(Reading{li.number, rule.id, li.text, text, rule.why});
    li.text = std::move(text);
    li.mv = make_match_view(li.text);
    remove_artifacts(m.artifacts, &li.mv);
    changed = true;
  }
  return changed;
}

}  // namespace

std::vector<LineInfo> classify_lines(std::vector<std::string> lines, Matchers& m, const std::vector<LineSpan>* origin,
                                     std::vector<Reading>* readings) {
  std::vector<LineInfo> out(lines.size());
  // The units some substitution needs (its map's keys, or the characters its
  // anchored match starts with): a view with none of them is not read.
  CharFilter substitution_units = CharFilter::none();
  for (auto& r : m.substitutions.all()) {
    const Rule& rule = r->rule();
    if (!r->prefiltered()) substitution_units.add(CharFilter{});
    else if (!rule.replace_map.empty()) substitution_units.add(rule.replace_filter);
    else if (rule.first_chars) substitution_units.add(rule.first_filter);
    else substitution_units.add(CharFilter{});
  }
  auto may_substitute = [&](const MatchView& mv) {
    for (std::size_t k = 0; k < substitution_units.bits.size(); ++k)
      if (substitution_units.bits[k] & mv.units.bits[k]) return true;
    return false;
  };
  const LineInfo* above = nullptr;  // the last non-blank line
  for (std::size_t i = 0; i < lines.size(); ++i) {
    LineInfo& li = out[i];
    if (i > 0 && out[i - 1].kind != LineKind::Blank) above = &out[i - 1];
    li.number = origin ? (*origin)[i].first : static_cast<int>(i + 1);
    li.last = origin ? (*origin)[i].last : li.number;
    // The line's own string becomes its text, trimmed in place: no copy.
    std::string& line = lines[i];
    std::string_view kept;
    const bool has_tab = line.find('\t') != std::string::npos;
    if (has_tab) {
      // Tabs separate table cells: keep trailing empty cells (94\t住建局\t2\t\t).
      kept = line;
      while (!kept.empty() && (kept.front() == ' ' || kept.front() == '\r')) kept.remove_prefix(1);
      while (!kept.empty() && (kept.back() == ' ' || kept.back() == '\r')) kept.remove_suffix(1);
      // A line of white space and tabs only is blank.
      if (trim_view(kept).empty()) kept = {};
    } else {
      kept = trim_view(line);
    }
    if (kept.empty()) continue;
    std::size_t offset = static_cast<std::size_t>(kept.data() - line.data()), size = kept.size();
    line.resize(offset + size);
    line.erase(0, offset);
    li.text = std::move(line);
    li.kind = LineKind::Text;
    if (li.text.size() > kMaxRuleLineBytes) {
      li.terminated = ends_terminated(li.text);
      li.punct = scan_punct(li.text);
      continue;
    }
    li.mv = make_match_view(li.text);
    try {
      remove_artifacts(m.artifacts, &li.mv);
      if (li.mv.view.isEmpty()) continue;
      // read_substitutions rebuilds the view of a text it changes.
      if (may_substitute(li.mv)) read_substitutions(li, m, readings);
      classify_one(li, m, has_tab, above);
    } catch (RegexTimeout& t) {
      t.input_line = li.number;
      throw;
    }
    li.punct = scan_punct(li.kind == LineKind::Marker ? li.rest : li.text);
    if (li.kind == LineKind::Text || li.kind == LineKind::Marker) {
      if (RuleMatcher* g = m.glued_markers.first(li.mv)) {
        auto v = parse_numeral(group_view(*g, li.mv, "num"), g->rule().numeral);
        int gm = g->rule().group("marker");
        if (v && gm >= 0 && g->start(gm) > 0) {
          LineDetail& detail = li.detail_for_write();
          detail.glued_marker = group_text(*g, li.mv, li.text, "marker");
          detail.glued_level = g->rule().level;
          detail.glued_rank = g->rule().rank;
          detail.glued_value = *v;
          detail.glued_rule = g->rule().id;
          detail.glued_standard = g->rule().standard;
          detail.glued_cut = static_cast<std::size_t>(li.mv.to_printed[static_cast<std::size_t>(g->start(gm))]);
        }
      }
    }
  }
  return out;
}

}  // namespace gazette
