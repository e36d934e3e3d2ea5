#include "grammar.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include "prefilter.h"
#include "source.h"
#include "text.h"

namespace gazette {
namespace {

struct LoadError {
  int line, column;
  std::string message;
};

[[noreturn]] void fail_at(const YAML::Node& n, std::string msg) {
  YAML::Mark m = n.Mark();
  throw LoadError{m.is_null() ? 0 : m.line + 1, m.is_null() ? 0 : m.column + 1, std::move(msg)};
}

/// Checks a mapping for duplicate keys (yaml-cpp accepts them silently) and
/// keys outside `allowed`.
void check_keys(const YAML::Node& map, const std::set<std::string>& allowed, const std::string& where) {
  if (!map.IsMap()) fail_at(map, where + " must be a mapping");
  std::set<std::string> seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    std::string k = it->first.as<std::string>();
    if (!seen.insert(k).second) fail_at(it->first, "duplicate key '" + k + "' in " + where);
    if (!allowed.empty() && !allowed.count(k)) {
      std::string list;
      for (auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      fail_at(it->first, "unknown key '" + k + "' in " + where + " (expected one of: " + list + ")");
    }
  }
}

std::string scalar(const YAML::Node& n, const std::string& what) {
  if (!n.IsScalar()) fail_at(n, what + " must be a string");
  return n.as<std::string>();
}

void compile(Rule* r, const YAML::Node& where) {
  UParseError pe;
  UErrorCode st = U_ZERO_ERROR;
  std::unique_ptr<icu::RegexPattern> p(icu::RegexPattern::compile(to_ustring(r->regex), 0, pe, st));
  if (U_FAILURE(st)) {
    YAML::Mark m = where.Mark();
    throw LoadError{m.line + 1, m.column + 1 + std::max(0, pe.offset),
                    "rule '" + r->id + "': regex does not compile (" + u_errorName(st) + " at offset " +
                        std::to_string(pe.offset) + ")"};
  }
  for (const auto& name : named_groups(r->regex)) {
    UErrorCode s2 = U_ZERO_ERROR;
    int32_t n = p->groupNumberFromName(to_ustring(name), s2);
    if (U_SUCCESS(s2)) r->groups[name] = n;
  }
  r->pattern = std::shared_ptr<const icu::RegexPattern>(p.release());
  derive_prefilters(r);
}
}  // namespace

const std::vector<SectionContract>& section_contracts() {
  static const std::vector<SectionContract> k = {
      {"artifacts", {}, {}},
      {"docnum", {"seq"}, {"agency", "open", "year", "close", "di"}},
      {"header.issuer", {"issuer"}, {}},
      {"header.title_start", {"title"}, {"issuer"}},
      {"header.title_end", {}, {}},
      {"header.signer", {"signer"}, {}},
      {"header.addressee", {}, {"addressees"}},
      {"header.date", {"y", "m", "d"}, {}},
      {"header.public_note", {}, {"note"}},
      {"header.attachment_note", {}, {"rest"}},
      {"header.attachment_label", {"label"}, {"number", "title"}},
      {"header.closing", {}, {}},
      {"header.download", {"file"}, {"title", "number"}},
      {"markers", {"num"}, {"marker", "rest"}},
      {"glued_markers", {"marker", "num"}, {}},
      {"responsibility.line", {"label", "value"}, {}},
      {"responsibility.paren", {"body"}, {}},
      {"responsibility.prose", {}, {"leaders", "lead", "units", "partners", "deadline"}},
      {"responsibility.field_separator", {}, {}},
      {"responsibility.list_separator", {}, {}},
      {"deadlines.dated", {}, {"y", "m", "d"}},
      {"roster.line", {"role"}, {"rest"}},
      {"roster.member", {"name", "title"}, {}},
      {"table_row", {}, {}},
      {"masthead", {}, {"publication", "year", "number", "cumulative"}},
      {"toc.section", {"section"}, {}},
      {"toc.entry", {"title"}, {"page"}},
      {"colophon", {}, {}},
      {"reflow.page_number", {"page"}, {"head"}},
      {"reflow.substitutions", {}, {"wrong"}},
  };
  return k;
}

namespace {

std::string join_names(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "none" : out;
}

/// Checks a compiled rule's named groups against its section's contract.
void check_contract(const Rule& r, const std::string& section, bool check_required = true) {
  for (const auto& c : section_contracts()) {
    if (section != c.section) continue;
    std::vector<std::string> reads = c.required;
    reads.insert(reads.end(), c.optional.begin(), c.optional.end());
    for (const auto& [name, number] : r.groups) {
      (void)number;
      if (std::find(reads.begin(), reads.end(), name) == reads.end())
        throw LoadError{r.line, r.column, "rule '" + r.id + "' has a group '" + name + "' that " + section +
                                              " rules do not read (they read: " + join_names(reads) + ")"};
    }
    for (const auto& name : c.required)
      if (check_required && !r.groups.count(name))
        throw LoadError{r.line, r.column, "rule '" + r.id + "' has no group '" + name + "', which " + section +
                                              " rules need (they read: " + join_names(reads) + ")"};
    if (section == "responsibility.prose" && r.groups.empty())
      throw LoadError{r.line, r.column, "rule '" + r.id + "' names no field: a responsibility.prose rule " +
                                            "captures at least one of " + join_names(reads)};
    return;
  }
}

Rule parse_rule(const YAML::Node& n, const std::string& file, const std::string& section, int index,
                const std::set<std::string>& extra_keys) {
  std::set<std::string> allowed = {"id", "regex", "examples", "needs"};
  allowed.insert(extra_keys.begin(), extra_keys.end());
  check_keys(n, allowed, section + " rule");
  Rule r;
  r.file = file;
  r.id = n["id"] ? scalar(n["id"], "id") : section + "." + std::to_string(index + 1);
  if (!n["regex"]) fail_at(n, "rule '" + r.id + "' in " + section + " has no regex");
  r.regex = scalar(n["regex"], "regex");
  r.line = n["regex"].Mark().line + 1;
  r.column = n["regex"].Mark().column + 1;
  if (n["level"]) {
    try { r.level = n["level"].as<int>(); } catch (const YAML::Exception&) { fail_at(n["level"], "level must be a whole number"); }
    if (r.level < 1 || r.level > 9) fail_at(n["level"], "level must be 1 to 9");
  }
  if (n["rank"]) {
    try { r.rank = n["rank"].as<int>(); } catch (const YAML::Exception&) { fail_at(n["rank"], "rank must be a whole number"); }
  }
  if (r.rank == 0) r.rank = r.level * 10;
  if (n["numeral"]) {
    r.numeral = scalar(n["numeral"], "numeral");
    if (r.numeral != "arabic" && r.numeral != "chinese" && r.numeral != "circled")
      fail_at(n["numeral"], "numeral must be arabic, chinese or circled");
  }
  if (n["standard"]) {
    try { r.standard = n["standard"].as<bool>(); } catch (const YAML::Exception&) { fail_at(n["standard"], "standard must be true or false"); }
  }
  if (n["date"]) r.date_template = scalar(n["date"], "date");
  if (n["form"]) {
    r.form = scalar(n["form"], "form");
    if (r.form != "standard" && r.form != "order" && r.form != "announcement" && r.form != "other")
      fail_at(n["form"], "form must be standard, order, announcement or other, not '" + r.form + "'");
  }
  if (extra_keys.count("form") && r.form.empty())
    fail_at(n, "文号 rule '" + r.id + "' has no form (standard: the GB/T 9704 form validate checks; order, "
               "announcement or other: forms it does not)");
  if (n["why"]) r.why = scalar(n["why"], "why");
  if (n["scope"]) {
    const std::string scope = scalar(n["scope"], "scope");
    if (scope != "any" && scope != "ocr") fail_at(n["scope"], "scope must be 'any' or 'ocr', not '" + scope + "'");
    r.ocr_only = scope == "ocr";
  }
  if (const auto& rep = n["replace"]) {
    if (rep.IsMap()) {
      for (auto it = rep.begin(); it != rep.end(); ++it) {
        r.replace_map.emplace_back(scalar(it->first, "replace key"), scalar(it->second, "replace value"));
        const icu::UnicodeString folded = make_match_view(r.replace_map.back().first).view;
        if (folded.isEmpty()) fail_at(it->first, "a replace key must not be empty");
        r.replace_filter.add(folded.charAt(0));
      }
      if (r.replace_map.empty()) fail_at(rep, "replace must not be empty");
    } else {
      r.replace = scalar(rep, "replace");
    }
  }
  if (extra_keys.count("replace") && !n["replace"]) fail_at(n, "substitution rule '" + r.id + "' has no replace");
  if (n["needs"] && n["needs"].IsSequence()) {
    // One of several literals: a line with none of them is not searched.
    for (const auto& lit : n["needs"]) {
      r.needs_any.push_back(make_match_view(scalar(lit, "needs")).view);
      if (r.needs_any.back().isEmpty()) fail_at(lit, "needs must list non-empty literals");
    }
    if (r.needs_any.empty()) fail_at(n["needs"], "needs must not be an empty list");
  } else if (n["needs"]) {
    r.needs = make_match_view(scalar(n["needs"], "needs")).view;
    if (r.needs.isEmpty()) fail_at(n["needs"], "needs must be a non-empty literal");
  }
  if (extra_keys.count("level") && !n["level"]) fail_at(n, "marker rule '" + r.id + "' has no level");
  if (extra_keys.count("numeral") && r.numeral.empty()) fail_at(n, section + " rule '" + r.id + "' has no numeral");
  if (extra_keys.count("date") && r.date_template.empty()) fail_at(n, "deadline rule '" + r.id + "' has no date template");
  compile(&r, n["regex"]);
  check_contract(r, section);
  if (n["previous"]) {
    // The line above, which the rule's match also needs; its groups are read
    // from that line (an order's heading 江西省人民政府令 above 第256号).
    auto p = std::make_shared<Rule>();
    p->file = file;
    p->id = r.id + " (previous)";
    p->regex = scalar(n["previous"], "previous");
    p->line = n["previous"].Mark().line + 1;
    p->column = n["previous"].Mark().column + 1;
    compile(p.get(), n["previous"]);
    check_contract(*p, section, false);
    for (const auto& [name, number] : p->groups) {
      (void)number;
      if (r.groups.count(name))
        throw LoadError{p->line, p->column, "rule '" + r.id + "' captures '" + name + "' in both previous and regex"};
    }
    r.previous = std::move(p);
  }
  // A deadline's date template names the rule's groups, or {year} (the notice's).
  for (std::size_t at = r.date_template.find('{'); at != std::string::npos; at = r.date_template.find('{', at + 1)) {
    std::size_t close = r.date_template.find('}', at);
    if (close == std::string::npos) fail_at(n["date"], "date template '" + r.date_template + "' has an unclosed {");
    std::string name = r.date_template.substr(at + 1, close - at - 1);
    if (name != "year" && !r.groups.count(name))
      fail_at(n["date"], "date template names {" + name + "}, which rule '" + r.id + "' does not capture");
  }
  if (n["examples"]) {
    const YAML::Node& ex = n["examples"];
    if (!ex.IsSequence()) fail_at(ex, "examples must be a list");
    for (const auto& e : ex) {
      check_keys(e, {"line", "expect", "match"}, "example");
      RuleExample x;
      x.file_line = e.Mark().line + 1;
      if (!e["line"]) fail_at(e, "example has no line");
      x.line = scalar(e["line"], "line");
      if (e["match"]) {
        try { x.match = e["match"].as<bool>(); } catch (const YAML::Exception&) { fail_at(e["match"], "match must be true or false"); }
      }
      if (e["expect"]) {
        check_keys(e["expect"], {}, "expect");
        for (auto it = e["expect"].begin(); it != e["expect"].end(); ++it) {
          std::string g = it->first.as<std::string>();
          if (g != "rest" && !r.groups.count(g) && !(r.previous && r.previous->groups.count(g)))
            fail_at(it->first, "example expects group '" + g + "' that rule '" + r.id + "' does not have");
          x.expect.emplace_back(g, it->second.IsNull() ? std::string() : scalar(it->second, "expected value"));
        }
      }
      r.examples.push_back(std::move(x));
    }
  }
  return r;
}

/// Parses a list of rules; the result goes before what `into` already holds,
/// so that a later file's rules are tried first.
void parse_rules(const YAML::Node& n, const std::string& file, const std::string& section,
                 std::vector<Rule>* into, const std::set<std::string>& extra = {}) {
  if (!n) return;
  if (!n.IsSequence()) fail_at(n, section + " must be a list of rules");
  std::vector<Rule> rules;
  int i = 0;
  for (const auto& r : n) rules.push_back(parse_rule(r, file, section, i++, extra));
  into->insert(into->begin(), std::make_move_iterator(rules.begin()), std::make_move_iterator(rules.end()));
}

void parse_single_regex(const YAML::Node& n, const std::string& file, const std::string& id, std::vector<Rule>* into) {
  if (!n) return;
  if (n.IsSequence()) {
    // Several, in order of preference (list separators: the first that
    // occurs in a list splits it).
    std::vector<Rule> rules;
    int k = 0;
    for (const auto& e : n) {
      std::vector<Rule> one;
      parse_single_regex(e, file, id + "." + std::to_string(++k), &one);
      rules.push_back(std::move(one.front()));
    }
    if (rules.empty()) fail_at(n, id + " must not be an empty list");
    *into = std::move(rules);
    return;
  }
  Rule r;
  r.file = file;
  r.id = id;
  r.regex = scalar(n, id);
  r.line = n.Mark().line + 1;
  r.column = n.Mark().column + 1;
  compile(&r, n);
  into->clear();
  into->push_back(std::move(r));
}

/// Reads `applies_to: {masthead: [...], issuer: [...]}`.
OverlayScope read_scope(const YAML::Node& n) {
  if (!n.IsMap()) fail_at(n, "applies_to must be a mapping of masthead and issuer names");
  check_keys(n, {"masthead", "issuer"}, "applies_to");
  OverlayScope s;
  auto names = [&](const char* key, std::vector<std::string>* into) {
    const YAML::Node& l = n[key];
    if (!l) return;
    if (!l.IsSequence()) fail_at(l, std::string("applies_to.") + key + " must be a list of names");
    for (const auto& e : l) {
      std::string v = remove_spaces(to_utf8(make_match_view(scalar(e, "name")).view));
      if (utf8_length(v) < 2) fail_at(e, "a name in applies_to needs two characters or more");
      into->push_back(std::move(v));
    }
  };
  names("masthead", &s.masthead);
  names("issuer", &s.issuer);
  if (s.masthead.empty() && s.issuer.empty()) fail_at(n, "applies_to names no masthead and no issuer");
  return s;
}

void load_one(const std::string& file, const YAML::Node& doc, Grammar* g) {
  if (!doc.IsMap()) fail_at(doc, "a rule file must be a mapping");
  check_keys(doc, {"grammar", "version", "applies_to", "artifacts", "docnum", "agency_prefix_stop", "header", "markers",
                   "glued_markers", "responsibility", "deadlines", "roster", "table_row", "masthead", "toc",
                   "colophon", "reflow"},
             "the rule file");
  if (doc["version"]) {
    int v = 0;
    try { v = doc["version"].as<int>(); } catch (const YAML::Exception&) { fail_at(doc["version"], "version must be 1"); }
    if (v != 1) fail_at(doc["version"], "unsupported rule file version " + std::to_string(v) + " (this gazette reads 1)");
  }
  parse_rules(doc["artifacts"], file, "artifacts", &g->artifacts);
  parse_rules(doc["docnum"], file, "docnum", &g->docnum, {"form", "previous"});
  if (const auto& s = doc["agency_prefix_stop"]) {
    if (!s.IsSequence()) fail_at(s, "agency_prefix_stop must be a list");
    for (const auto& w : s) g->agency_prefix_stop.push_back(scalar(w, "agency_prefix_stop entry"));
  }
  if (const auto& h = doc["header"]) {
    check_keys(h, {"issuer", "title_start", "title_end", "signer", "addressee", "date", "public_note",
                   "attachment_note", "attachment_label", "closing", "download"}, "header");
    parse_rules(h["download"], file, "header.download", &g->download);
    parse_rules(h["closing"], file, "header.closing", &g->closing);
    parse_rules(h["issuer"], file, "header.issuer", &g->issuer);
    parse_rules(h["title_start"], file, "header.title_start", &g->title_start);
    parse_rules(h["title_end"], file, "header.title_end", &g->title_end);
    parse_rules(h["signer"], file, "header.signer", &g->signer);
    parse_rules(h["addressee"], file, "header.addressee", &g->addressee);
    parse_rules(h["date"], file, "header.date", &g->date, {"numeral"});
    parse_rules(h["public_note"], file, "header.public_note", &g->public_note);
    parse_rules(h["attachment_note"], file, "header.attachment_note", &g->attachment_note);
    parse_rules(h["attachment_label"], file, "header.attachment_label", &g->attachment_label);
  }
  parse_rules(doc["markers"], file, "markers", &g->markers, {"level", "rank", "numeral", "standard"});
  parse_rules(doc["glued_markers"], file, "glued_markers", &g->glued_markers, {"level", "rank", "numeral", "standard"});
  if (const auto& r = doc["responsibility"]) {
    check_keys(r, {"labels", "line", "paren", "prose", "field_separator", "list_separator"}, "responsibility");
    if (const auto& l = r["labels"]) {
      check_keys(l, {}, "responsibility.labels");
      static const std::set<std::string> fields = {"leaders", "lead_units", "units", "partner_units", "deadline"};
      for (auto it = l.begin(); it != l.end(); ++it) {
        std::string label = it->first.as<std::string>(), field = scalar(it->second, "field");
        if (!fields.count(field))
          fail_at(it->second, "unknown responsibility field '" + field + "' (expected leaders, lead_units, units, partner_units or deadline)");
        auto& v = g->responsibility_labels;
        v.erase(std::remove_if(v.begin(), v.end(), [&](auto& p) { return p.first == label; }), v.end());
        v.emplace_back(label, field);
      }
    }
    parse_rules(r["line"], file, "responsibility.line", &g->responsibility_line);
    parse_rules(r["paren"], file, "responsibility.paren", &g->responsibility_paren);
    parse_rules(r["prose"], file, "responsibility.prose", &g->responsibility_prose);
    parse_single_regex(r["field_separator"], file, "responsibility.field_separator", &g->responsibility_field_separator);
    parse_single_regex(r["list_separator"], file, "responsibility.list_separator", &g->responsibility_list_separator);
  }
  if (const auto& d = doc["deadlines"]) {
    check_keys(d, {"dated"}, "deadlines");
    parse_rules(d["dated"], file, "deadlines.dated", &g->deadlines, {"date"});
  }
  if (const auto& r = doc["roster"]) {
    check_keys(r, {"line", "member"}, "roster");
    parse_rules(r["line"], file, "roster.line", &g->roster_line);
    parse_rules(r["member"], file, "roster.member", &g->roster_member);
  }
  parse_rules(doc["table_row"], file, "table_row", &g->table_row);
  parse_rules(doc["masthead"], file, "masthead", &g->masthead);
  if (const auto& t = doc["toc"]) {
    check_keys(t, {"section", "entry"}, "toc");
    parse_rules(t["section"], file, "toc.section", &g->toc_section);
    parse_rules(t["entry"], file, "toc.entry", &g->toc_entry);
  }
  parse_rules(doc["colophon"], file, "colophon", &g->colophon);
  if (const auto& r = doc["reflow"]) {
    check_keys(r, {"page_number", "substitutions", "known_names"}, "reflow");
    if (const auto& k = r["known_names"]) {
      if (!k.IsSequence()) fail_at(k, "reflow.known_names must be a list of names");
      for (const auto& n : k) {
        std::string name = scalar(n, "known name");
        if (utf8_length(name) < 3) fail_at(n, "a known name needs three characters or more: '" + name + "'");
        g->known_names.push_back(std::move(name));
      }
    }
    parse_rules(r["page_number"], file, "reflow.page_number", &g->page_number);
    for (const auto& rule : g->page_number)
      if (rule.file == file && rule.group("page") < 0)
        throw LoadError{rule.line, rule.column, "page_number rule '" + rule.id + "' has no named group 'page'"};
    parse_rules(r["substitutions"], file, "reflow.substitutions", &g->substitutions, {"replace", "why", "scope"});
  }
}

}  // namespace

std::vector<std::pair<std::string, const std::vector<Rule>*>> Grammar::sections() const {
  return {{"artifacts", &artifacts}, {"docnum", &docnum}, {"header.issuer", &issuer},
          {"header.title_start", &title_start}, {"header.title_end", &title_end}, {"header.signer", &signer},
          {"header.addressee", &addressee}, {"header.date", &date}, {"header.public_note", &public_note},
          {"header.attachment_note", &attachment_note}, {"header.attachment_label", &attachment_label},
          {"header.closing", &closing}, {"header.download", &download},
          {"markers", &markers}, {"glued_markers", &glued_markers},
          {"responsibility.line", &responsibility_line}, {"responsibility.paren", &responsibility_paren},
          {"responsibility.prose", &responsibility_prose},
          {"responsibility.field_separator", &responsibility_field_separator},
          {"responsibility.list_separator", &responsibility_list_separator},
          {"deadlines.dated", &deadlines}, {"roster.line", &roster_line}, {"roster.member", &roster_member},
          {"table_row", &table_row}, {"masthead", &masthead}, {"toc.section", &toc_section},
          {"toc.entry", &toc_entry}, {"colophon", &colophon}, {"reflow.page_number", &page_number},
          {"reflow.substitutions", &substitutions}};
}

bool load_grammar(const std::vector<std::string>& files, Grammar* out, Error* err) {
  Grammar g;
  for (const auto& file : files) {
    std::string text, why;
    if (std::filesystem::is_directory(file)) {
      *err = Error{ErrorKind::Grammar, file, 0, 0, -1, "cannot read rule file: it is a folder"};
      return false;
    }
    if (!read_file_bounded(file, kMaxRuleFileBytes, &text, &why)) {
      const std::string prefix = "cannot read: ";
      *err = Error{ErrorKind::Grammar, file, 0, 0, -1,
                   why.rfind(prefix, 0) == 0 ? "cannot read rule file: " + why.substr(prefix.size())
                                             : "rule file " + why};
      return false;
    }
    if (nesting_depth(text, true) > kMaxNesting) {
      *err = Error{ErrorKind::Grammar, file, 0, 0, -1,
                   "the rule file nests more than " + std::to_string(kMaxNesting) + " levels deep"};
      return false;
    }
    try {
      YAML::Node doc = YAML::Load(text);
      if (doc.IsNull()) throw LoadError{1, 1, "the rule file is empty"};
      std::string name = std::filesystem::path(file).stem().string();
      if (doc.IsMap() && doc["grammar"]) name = scalar(doc["grammar"], "grammar");
      if (doc.IsMap() && doc["applies_to"]) {
        // Checked whole now (into a scratch copy), applied per issue later.
        OverlayScope scope = read_scope(doc["applies_to"]);
        Grammar scratch = g;
        load_one(file, doc, &scratch);
        scope.name = name;
        scope.file = file;
        scope.text = std::move(text);
        g.scoped.push_back(std::move(scope));
        g.files.push_back(file);
        continue;
      }
      load_one(file, doc, &g);
      g.names.push_back(name);
    } catch (const YAML::Exception& e) {
      *err = Error{ErrorKind::Grammar, file, e.mark.is_null() ? 0 : e.mark.line + 1,
                   e.mark.is_null() ? 0 : e.mark.column + 1, -1, e.msg};
      return false;
    } catch (const LoadError& e) {
      *err = Error{ErrorKind::Grammar, file, e.line, e.column, -1, e.message};
      return false;
    }
    g.files.push_back(file);
  }
  if (!g.scoped.empty()) g.cache = std::make_shared<OverlayCache>();
  if (g.docnum.empty()) {
    *err = Error{ErrorKind::Grammar, files.empty() ? std::string("(no rule files)") : files.front(), 0, 0, -1,
                 "no docnum rules: a grammar needs at least one 文号 pattern (load grammars/base.yaml first)"};
    return false;
  }
  *out = std::move(g);
  return true;
}

struct OverlayCache {
  std::mutex mu;
  std::map<std::vector<int>, std::shared_ptr<const Grammar>> made;
};

namespace {
/// The bytes of the UTF-8 character at s[0] (1 for an empty or odd start).
std::size_t lead_bytes(std::string_view s) {
  if (s.empty()) return 0;
  const unsigned char c = static_cast<unsigned char>(s[0]);
  const std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  return std::min(n, s.size());
}
}  // namespace

std::vector<int> overlays_for(const Grammar& g, const std::vector<std::string>& lines) {
  std::vector<int> out;
  if (g.scoped.empty()) return out;
  auto folded = [](std::string_view l) { return remove_spaces(to_utf8(make_match_view(std::string(l)).view)); };
  // The first character of every issuer name: a line that starts with none
  // of them is not folded (names are Han, which folding leaves alone).
  std::set<std::string> leads;
  for (const OverlayScope& s : g.scoped)
    for (const std::string& name : s.issuer) leads.insert(name.substr(0, lead_bytes(name)));
  std::vector<bool> hit(g.scoped.size(), false);
  int top = 0;  // non-blank lines seen: masthead names stand in the first 60
  for (const std::string& l : lines) {
    const std::string_view t = trim_view(l);
    if (t.empty() || t.size() > 400) continue;
    const bool in_top = top++ < 60;
    if (!in_top && !leads.count(std::string(t.substr(0, lead_bytes(t))))) continue;
    const std::string f = folded(t);
    for (std::size_t k = 0; k < g.scoped.size(); ++k) {
      if (hit[k]) continue;
      for (const std::string& name : g.scoped[k].issuer) hit[k] = hit[k] || f.compare(0, name.size(), name) == 0;
      if (in_top)
        for (const std::string& name : g.scoped[k].masthead) hit[k] = hit[k] || f.find(name) != std::string::npos;
    }
  }
  for (std::size_t k = 0; k < hit.size(); ++k)
    if (hit[k]) out.push_back(static_cast<int>(k));
  return out;
}

std::shared_ptr<const Grammar> with_overlays(const Grammar& g, const std::vector<int>& which) {
  if (which.empty() || !g.cache) return std::shared_ptr<const Grammar>(std::shared_ptr<const Grammar>{}, &g);
  std::lock_guard<std::mutex> lock(g.cache->mu);
  auto& slot = g.cache->made[which];
  if (!slot) {
    auto made = std::make_shared<Grammar>(g);
    made->scoped.clear();
    made->cache.reset();
    for (int k : which) {
      const OverlayScope& s = g.scoped.at(static_cast<std::size_t>(k));
      // Loaded once already without an error (load_grammar checked it).
      load_one(s.file, YAML::Load(s.text), made.get());
      made->names.push_back(s.name);
    }
    slot = std::move(made);
  }
  return slot;
}

std::vector<RuleFolder> rule_folders() {
  namespace fs = std::filesystem;
  const char* env = std::getenv("GAZETTE_GRAMMARS");
  if (env && *env) return {{env, "GAZETTE_GRAMMARS"}};
  std::vector<RuleFolder> out;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) out.push_back({(exe.parent_path() / GAZETTE_GRAMMARS_FROM_BIN).lexically_normal().string(), "installed"});
  out.push_back({GAZETTE_GRAMMAR_DIR, "source tree"});
  return out;
}

std::vector<std::string> default_grammar_files() {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const RuleFolder& folder : rule_folders()) {
    const fs::path d(folder.path);
    if (!fs::exists(d / "base.yaml", ec)) continue;
    std::vector<std::string> files = {(d / "base.yaml").lexically_normal().string()};
    std::vector<std::string> overlays;
    for (const auto& e : fs::directory_iterator(d, ec))
      if (e.path().extension() == ".yaml" && e.path().filename() != "base.yaml")
        overlays.push_back(e.path().lexically_normal().string());
    std::sort(overlays.begin(), overlays.end());
    files.insert(files.end(), overlays.begin(), overlays.end());
    return files;
  }
  return {};
}

}  // namespace gazette
