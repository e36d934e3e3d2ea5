#include "fields.h"

#include <algorithm>
#include <cstdio>

#include "docnum.h"

namespace gazette {
namespace {

/// Splits printed text on every match of `sep`.
std::vector<std::string> split_on(const std::string& printed, RuleMatcher& sep) {
  MatchView mv = make_match_view(printed);
  std::vector<std::string> parts;
  int32_t pos = 0, from = 0;
  while (sep.find(mv, from) && sep.end(0) > sep.start(0)) {
    parts.push_back(mv.printed(printed, pos, sep.start(0)));
    pos = sep.end(0);
    from = pos;
  }
  parts.push_back(mv.printed(printed, pos, mv.view.length()));
  return parts;
}

/// Fills a date template ({y}-{m}-{d}, {m}-last, {year}) from a match.
std::optional<std::string> fill_template(RuleMatcher& m, const MatchView& mv, std::optional<int> year) {
  const std::string& t = m.rule().date_template;
  auto value = [&](const std::string& name) -> std::optional<int> {
    if (name == "year") return year;
    return parse_numeral(group_view(m, mv, name), "arabic");
  };
  // The template is three fields separated by '-'.
  std::vector<std::string> fields;
  std::size_t s = 0;
  for (std::size_t i = 0; i <= t.size(); ++i)
    if (i == t.size() || t[i] == '-') { fields.push_back(t.substr(s, i - s)); s = i + 1; }
  if (fields.size() != 3) return std::nullopt;
  int ymd[3] = {0, 0, 0};
  bool last = false;
  for (int k = 0; k < 3; ++k) {
    const std::string& f = fields[static_cast<std::size_t>(k)];
    if (f == "last" && k == 2) { last = true; continue; }
    if (f.size() > 2 && f.front() == '{' && f.back() == '}') {
      auto v = value(f.substr(1, f.size() - 2));
      if (!v) return std::nullopt;
      ymd[k] = *v;
    } else {
      auto v = parse_numeral(f, "arabic");
      if (!v) return std::nullopt;
      ymd[k] = *v;
    }
  }
  if (ymd[0] < 1900 || ymd[0] > 2999 || ymd[1] < 1 || ymd[1] > 12) return std::nullopt;
  if (last) ymd[2] = days_in_month(ymd[0], ymd[1]);
  if (ymd[2] < 1 || ymd[2] > days_in_month(ymd[0], ymd[1])) return std::nullopt;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", ymd[0], ymd[1], ymd[2]);
  return std::string(buf);
}

}  // namespace

std::vector<std::string> split_units(const std::string& printed, Matchers& m) {
  std::vector<std::string> out;
  // The first separator that occurs in the list splits it: with `，` between
  // units, a `、` stays inside a unit's name (各市、县〔区〕政府).
  std::vector<std::string> parts = {printed};
  const MatchView mv = make_match_view(printed);
  for (auto& sep : m.resp_list_sep.all()) {
    if (!sep->find(mv)) continue;
    parts = split_on(printed, *sep);
    break;
  }
  for (auto& p : parts) {
    std::string u = remove_cjk_spaces(p);
    // A trailing full stop or comma belongs to the sentence, not to the unit.
    while (!u.empty()) {
      char32_t c = last_char(u);
      if (c == U'。' || c == U'，' || c == U',' || c == U'.' || c == U'；' || c == U';') {
        std::size_t p2 = u.size() - 1;
        while (p2 > 0 && (static_cast<unsigned char>(u[p2]) & 0xC0) == 0x80) --p2;
        u.erase(p2);
      } else break;
    }
    if (!u.empty()) out.push_back(u);
  }
  return out;
}

Deadline parse_deadline(const std::string& printed, Matchers& m, std::optional<int> year) {
  Deadline d;
  d.text = trim(printed);
  MatchView mv = make_match_view(d.text);
  int32_t pos = 0;
  std::optional<std::string> best;
  while (pos < mv.view.length()) {
    RuleMatcher* winner = nullptr;
    int32_t winner_start = INT32_MAX;
    for (auto& r : m.deadlines.all()) {
      if (r->find(mv, pos) && r->start(0) < winner_start && r->end(0) > r->start(0)) {
        winner = r.get();
        winner_start = r->start(0);
      }
    }
    if (!winner) break;
    // Re-run the winner so its groups are current (others ran after it).
    winner->find(mv, winner_start);
    auto date = fill_template(*winner, mv, year);
    if (date) {
      if (!best || *date > *best) best = date;
      year = std::stoi(date->substr(0, 4));
    }
    pos = winner->end(0);
  }
  d.date = best;
  return d;
}

std::vector<std::string>* responsibility_list(Responsibility* r, const std::string& field) {
  if (field == "leaders") return &r->leaders;
  if (field == "lead_units") return &r->lead_units;
  if (field == "units") return &r->units;
  if (field == "partner_units") return &r->partner_units;
  return nullptr;
}

void set_responsibility_field(Responsibility* r, const std::string& field, const std::string& value, Matchers& m,
                              std::optional<int> year) {
  if (field == "deadline") {
    if (r->deadline && !r->deadline->text.empty()) {
      r->deadline = parse_deadline(r->deadline->text + value, m, year);
    } else {
      r->deadline = parse_deadline(value, m, year);
    }
    return;
  }
  std::vector<std::string>* list = responsibility_list(r, field);
  if (!list) return;
  for (auto& u : split_units(value, m)) list->push_back(std::move(u));
}

/// Responsibility in prose: each named group of the rule is its field.
std::optional<Responsibility> parse_responsibility_prose(const std::string& printed, Matchers& m,
                                                         std::optional<int> year, int line) {
  if (m.resp_prose.empty() || !m.resp_prose.could_end_with(folded_last_char(printed))) return std::nullopt;
  MatchView mv = make_match_view(printed);
  RuleMatcher* p = m.resp_prose.first(mv);
  if (!p) return std::nullopt;
  Responsibility r;
  r.line = line;
  for (const auto& [name, group] : p->rule().groups) {
    // ICU group names are letters and digits: lead and partners name the
    // fields lead_units and partner_units.
    const std::string field = name == "lead" ? "lead_units" : name == "partners" ? "partner_units" : name;
    if (p->matched(group)) set_responsibility_field(&r, field, group_text(*p, mv, printed, name), m, year);
  }
  if (r.empty()) return std::nullopt;
  return r;
}

std::optional<Responsibility> parse_responsibility_paren(const std::string& printed, Matchers& m,
                                                         std::optional<int> year, int line) {
  if (!m.resp_paren.could_end_with(folded_last_char(printed))) return parse_responsibility_prose(printed, m, year, line);
  MatchView mv = make_match_view(printed);
  RuleMatcher* p = m.resp_paren.first(mv);
  if (!p) return parse_responsibility_prose(printed, m, year, line);
  std::string body = group_text(*p, mv, printed, "body");
  Responsibility r;
  r.line = line;
  std::vector<std::string> parts = {body};
  if (!m.resp_field_sep.empty()) parts = split_on(body, *m.resp_field_sep.all().front());
  for (auto& part : parts) {
    MatchView pmv = make_match_view(part);
    RuleMatcher* l = m.resp_line.first(pmv);
    if (!l) continue;
    std::string label = remove_spaces(group_text(*l, pmv, part, "label"));
    for (const auto& [lab, field] : m.grammar.responsibility_labels)
      if (lab == label) set_responsibility_field(&r, field, group_text(*l, pmv, part, "value"), m, year);
  }
  if (r.empty()) return std::nullopt;
  return r;
}

std::vector<RosterMember> parse_roster_members(const std::string& role, const std::string& rest, int line,
                                               Matchers& m) {
  std::vector<RosterMember> out;
  std::string t = trim(rest);
  if (t.empty()) return out;
  MatchView mv = make_match_view(t);
  remove_artifacts(m.artifacts, &mv);
  if (RuleMatcher* mm = m.roster_member.first(mv)) {
    RosterMember r;
    r.role = role;
    r.name = remove_spaces(group_text(*mm, mv, t, "name"));
    r.title = remove_cjk_spaces(group_text(*mm, mv, t, "title"));
    r.line = line;
    out.push_back(r);
    return out;
  }
  // Names only: 刘二军、苏德巴特 or 张 亚.
  for (auto& name : split_units(mv.printed(t, 0, mv.view.length()), m)) {
    std::string n = remove_spaces(name);
    if (utf8_length(n) > 6) return {};
    out.push_back(RosterMember{role, n, "", line});
  }
  return out;
}

std::vector<std::string> split_addressees(const std::string& printed) {
  std::string s = trim(printed);
  // Drop the closing colon.
  char32_t last = last_char(s);
  if (last == U'：' || last == U':') {
    std::size_t p = s.size() - 1;
    while (p > 0 && (static_cast<unsigned char>(s[p]) & 0xC0) == 0x80) --p;
    s.erase(p);
  }
  const std::string comma = "，";
  std::string sep = s.find(comma) != std::string::npos ? comma : (s.find(',') != std::string::npos ? "," : "、");
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t p = s.find(sep, start);
    std::string part = remove_cjk_spaces(s.substr(start, p == std::string::npos ? std::string::npos : p - start));
    if (!part.empty()) out.push_back(part);
    if (p == std::string::npos) break;
    start = p + sep.size();
  }
  return out;
}

std::vector<DocNumber> find_references(const LineInfo& li, Matchers& m) {
  std::vector<DocNumber> found;
  if (li.mv.view.isEmpty()) return found;
  for (auto& r : m.docnum.all()) {
    int32_t pos = 0;
    while (pos < li.mv.view.length() && r->find(li.mv, pos)) {
      if (r->end(0) <= r->start(0)) break;
      DocNumber d = read_docnum(*r, li.mv, li.text, li.number);
      // Trim words that stand before a cited number without being part of it.
      std::string printed = d.printed;
      bool trimmed = false;
      for (bool again = true; again;) {
        again = false;
        for (const auto& w : m.grammar.agency_prefix_stop) {
          if (d.agency.size() > w.size() && d.agency.compare(0, w.size(), w) == 0 &&
              utf8_length(d.agency.substr(w.size())) >= 2) {
            std::size_t cut = printed.find(d.agency.substr(w.size()));
            d.agency = d.agency.substr(w.size());
            if (cut != std::string::npos) printed = printed.substr(cut);
            trimmed = again = true;
          }
        }
      }
      if (trimmed) set_docnum_forms(&d, printed);
      if (!d.agency.empty() || d.year) found.push_back(d);
      pos = r->end(0);
    }
  }
  // Several rules may find the same printed citation, or a part of it: keep
  // one. (The same 文号 printed twice in other forms is one reference too:
  // convert keeps one per canonical form.)
  std::stable_sort(found.begin(), found.end(), [](const DocNumber& a, const DocNumber& b) { return a.line < b.line; });
  std::vector<DocNumber> out;
  for (auto& d : found) {
    bool dup = false;
    for (auto& o : out)
      if (o.printed.find(d.printed) != std::string::npos || d.printed.find(o.printed) != std::string::npos) dup = true;
    if (!dup) out.push_back(d);
  }
  return out;
}

}  // namespace gazette
