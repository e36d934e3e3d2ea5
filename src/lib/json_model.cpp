#include "json_model.h"
#include "node_id.h"

#include <cmath>

#include <algorithm>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "docnum.h"
#include "text.h"

namespace gazette {
namespace {

/// Writes the lists of scalars the schema has, on one line in text output.
void strings(TreeSink& w, const std::vector<std::string>& v) {
  w.begin_array(true);
  for (const auto& s : v) w.string(s);
  w.end_array();
}

void spans(TreeSink& w, const std::vector<LineSpan>& v) {
  w.begin_array(true);
  for (const auto& s : v) {
    w.begin_array(true);
    w.integer(s.first);
    w.integer(s.last);
    w.end_array();
  }
  w.end_array();
}

void opt_int(TreeSink& w, const std::optional<int>& v) {
  if (v) w.integer(*v);
  else w.null();
}

void opt_string(TreeSink& w, const std::optional<std::string>& v) {
  if (v) w.string(*v);
  else w.null();
}

void docnum(TreeSink& w, const DocNumber& d) {
  w.begin_object();
  w.key("text"); w.string(d.text);  // the canonical form: the key the checkers find a notice by
  w.key("canonical"); w.string(d.canonical);
  w.key("printed"); w.string(d.printed);
  w.key("agency"); w.string(d.agency);
  w.key("year"); opt_int(w, d.year);
  w.key("seq"); opt_int(w, d.seq);
  w.key("brackets"); w.string(d.open_bracket + d.close_bracket);  // as printed around the year
  w.key("line"); w.integer(d.line);
  w.end_object();
}

void responsibility(TreeSink& w, const Responsibility& r) {
  w.begin_object();
  w.key("leaders"); strings(w, r.leaders);
  w.key("lead_units"); strings(w, r.lead_units);
  w.key("units"); strings(w, r.units);
  w.key("partner_units"); strings(w, r.partner_units);
  w.key("deadline");
  if (r.deadline) {
    w.begin_object();
    w.key("text"); w.string(r.deadline->text);
    w.key("date"); opt_string(w, r.deadline->date);
    w.end_object();
  } else {
    w.null();
  }
  w.end_object();
}

void attachments(TreeSink& w, const std::vector<Attachment>& v) {
  w.begin_array(false);
  for (const auto& x : v) {
    w.begin_object();
    w.key("label"); w.string(x.label);
    w.key("marker"); w.string(x.marker);
    w.key("number"); opt_int(w, x.number);
    w.key("title"); w.string(x.title);
    if (!x.file.empty()) { w.key("file"); w.string(x.file); }
    w.key("line"); w.integer(x.line);
    w.end_object();
  }
  w.end_array();
}

/// A coordinate or a confidence to 0.1, rounded in double: in float, 100.8
/// would be written as 100.80000305175781.
double tenths(float v) { return std::round(static_cast<double>(v) * 10) / 10; }

/// A line's place on its page: page, line on the page, box, and OCR's
/// confidence (null for a text layer).
void place(TreeSink& w, const LinePlace& p) {
  w.begin_object();
  w.key("page"); w.integer(p.page);
  w.key("line"); w.integer(p.line_on_page);
  w.key("box");
  w.begin_array(true);
  for (float v : {p.box.x0, p.box.y0, p.box.x1, p.box.y1}) w.real(tenths(v));
  w.end_array();
  w.key("confidence");
  if (p.confidence >= 0) w.real(tenths(p.confidence)); else w.null();
  if (p.doubtful) { w.key("doubtful"); w.boolean(true); }
  w.end_object();
}

void nodes(TreeSink& w, const std::vector<Node>& v) {
  w.begin_array(false);
  for (const auto& n : v) write_tree(n, w);
  w.end_array();
}

}  // namespace

void write_tree(const Node& n, TreeSink& w) {
  w.begin_object();
  w.key("id"); w.string(n.id);
  w.key("type"); w.string(node_type_name(n.type));
  if (n.type == NodeType::Item) {
    w.key("marker"); w.string(n.marker);
    w.key("level"); w.integer(n.level);
    w.key("number"); w.integer(n.number);
    if (!n.standard_marker) { w.key("standard_marker"); w.boolean(false); }
    w.key("title"); w.string(n.title);
  }
  if (n.type != NodeType::Table) { w.key("text"); w.string(n.text); }
  w.key("line"); w.integer(n.line);
  if (n.place.page > 0) { w.key("place"); place(w, n.place); }
  if (n.responsibility) { w.key("responsibility"); responsibility(w, *n.responsibility); }
  if (n.type == NodeType::Roster) {
    w.key("members");
    w.begin_array(false);
    for (const auto& m : n.members) {
      w.begin_object();
      w.key("role"); w.string(m.role);
      w.key("name"); w.string(m.name);
      w.key("title"); w.string(m.title);
      w.key("line"); w.integer(m.line);
      w.end_object();
    }
    w.end_array();
  }
  if (n.type == NodeType::Table) {
    w.key("header"); strings(w, n.header);
    w.key("rows");
    w.begin_array(false);
    for (const auto& r : n.rows) strings(w, r);
    w.end_array();
    w.key("row_lines");
    w.begin_array(true);
    for (int l : n.row_lines) w.integer(l);
    w.end_array();
  }
  w.key("spans"); spans(w, n.spans);
  if (!n.children.empty()) { w.key("children"); nodes(w, n.children); }
  w.end_object();
}

void write_tree(const Notice& n, const std::string& source_file, TreeSink& w) {
  w.begin_object();
  w.key("schema"); w.string(kNoticeSchema);
  w.key("docnum"); docnum(w, n.docnum);
  w.key("issuer"); w.string(n.issuer);
  w.key("issuers");
  w.begin_array(false);
  for (const auto& s : n.issuers) w.string(s);
  w.end_array();
  w.key("title"); w.string(n.title);
  w.key("signer"); opt_string(w, n.signer);
  w.key("addressees"); strings(w, n.addressees);
  w.key("date"); opt_string(w, n.date);
  w.key("date_text"); w.string(n.date_text);
  w.key("signature"); strings(w, n.signature);
  w.key("notes"); strings(w, n.notes);
  w.key("attachments"); attachments(w, n.attachments);
  w.key("body"); nodes(w, n.body);
  w.key("enclosures");
  w.begin_array(false);
  for (const auto& e : n.enclosures) {
    w.begin_object();
    w.key("label"); opt_string(w, e.label);
    w.key("number"); opt_int(w, e.number);
    w.key("title"); w.string(e.title);
    w.key("line"); w.integer(e.line);
    w.key("attachments"); attachments(w, e.attachments);
    w.key("body"); nodes(w, e.body);
    w.end_object();
  }
  w.end_array();
  w.key("references");
  w.begin_array(false);
  for (const auto& r : n.references) docnum(w, r);
  w.end_array();
  w.key("source");
  w.begin_object();
  w.key("file"); w.string(source_file);
  w.key("title_line"); w.integer(n.title_line);
  w.key("spans"); spans(w, n.spans);
  if (n.first_page > 0) {
    w.key("pages");
    w.begin_array(true);
    w.integer(n.first_page);
    w.integer(n.last_page);
    w.end_array();
  }
  w.end_object();
  w.end_object();
}

void write_tree(const Issue& issue, const std::vector<std::string>& files, TreeSink& w) {
  w.begin_object();
  w.key("schema"); w.string(kIssueSchema);
  w.key("source");
  w.begin_object();
  w.key("file"); w.string(issue.source_file);
  w.key("encoding"); w.string(issue.encoding);
  if (issue.pages > 0) {
    w.key("pages"); w.integer(issue.pages);
    w.key("text_file"); w.string(issue.read_text.empty() ? std::string() : std::string("source.txt"));
    w.key("doubtful_under"); w.real(issue.low_confidence);
    w.key("doubtful");
    w.begin_array(false);
    for (const auto& d : issue.doubtful) {
      w.begin_object();
      w.key("line"); w.integer(d.line);
      w.key("text"); w.string(d.text);
      w.key("place"); place(w, d.place);
      w.end_object();
    }
    w.end_array();
  }
  w.end_object();
  w.key("rules");
  w.begin_array(false);
  for (const auto& name : issue.rule_files) w.string(name);
  w.end_array();
  w.key("publication"); w.string(issue.publication);
  w.key("year"); opt_int(w, issue.year);
  w.key("number"); opt_int(w, issue.number);
  w.key("cumulative_number"); opt_int(w, issue.cumulative_number);
  w.key("toc");
  w.begin_array(false);
  for (const auto& t : issue.toc) {
    w.begin_object();
    w.key("page"); opt_int(w, t.page);
    w.key("section"); w.string(t.section);
    w.key("title"); w.string(t.title);
    w.key("line"); w.integer(t.line);
    w.end_object();
  }
  w.end_array();
  w.key("notices");
  w.begin_array(false);
  for (std::size_t i = 0; i < issue.notices.size(); ++i) {
    const Notice& n = issue.notices[i];
    w.begin_object();
    w.key("docnum"); w.string(n.docnum.text);
    w.key("file"); w.string(i < files.size() ? files[i] : std::string());
    w.key("title"); w.string(n.title);
    w.key("date"); opt_string(w, n.date);
    w.end_object();
  }
  w.end_array();
  w.key("front_matter"); nodes(w, issue.front_matter);
  w.key("back_matter"); nodes(w, issue.back_matter);
  w.key("unassigned"); nodes(w, issue.unassigned);
  w.key("repairs");
  w.begin_array(false);
  for (const auto& r : issue.repairs) {
    w.begin_object();
    w.key("lines");
    w.begin_array(true);
    w.integer(r.lines.first);
    w.integer(r.lines.last);
    w.end_array();
    w.key("from"); w.string(r.from_docnum);
    w.key("to"); w.string(r.to_docnum);
    w.key("signal"); w.string(r.signal);
    w.key("detail"); w.string(r.detail);
    w.end_object();
  }
  w.end_array();
  const ReflowReport& rf = issue.reflow;
  w.key("reflow");
  w.begin_object();
  w.key("print_width");
  if (rf.print_width > 0) w.integer(rf.print_width); else w.null();
  w.key("joined_lines"); w.integer(rf.joined_lines);
  w.key("furniture");
  w.begin_array(false);
  for (const auto& f : rf.furniture) {
    w.begin_object();
    w.key("line"); w.integer(f.line);
    w.key("kind"); w.string(f.kind);
    w.key("text"); w.string(f.text);
    w.key("page"); opt_int(w, f.page);
    w.end_object();
  }
  w.end_array();
  w.key("readings");
  w.begin_array(false);
  for (const auto& r : rf.readings) {
    w.begin_object();
    w.key("line"); w.integer(r.line);
    w.key("rule"); w.string(r.rule);
    w.key("printed"); w.string(r.printed);
    w.key("read"); w.string(r.read);
    w.key("why"); w.string(r.why);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  w.end_object();
}

void write_tree(const Json& j, TreeSink& w) {
  switch (j.type()) {
    case Json::value_t::object:
      w.begin_object();
      for (auto it = j.begin(); it != j.end(); ++it) {
        w.key(it.key());
        write_tree(it.value(), w);
      }
      w.end_object();
      break;
    case Json::value_t::array: {
      bool flat = !j.empty() && j.size() <= 8;
      for (const auto& x : j)
        if (x.is_object() || (x.is_array() && (x.size() > 8 || !std::all_of(x.begin(), x.end(), [](const Json& y) { return y.is_primitive(); }))))
          flat = false;
      w.begin_array(flat);
      for (const auto& x : j) write_tree(x, w);
      w.end_array();
      break;
    }
    case Json::value_t::string: w.string(j.get_ref<const std::string&>()); break;
    case Json::value_t::boolean: w.boolean(j.get<bool>()); break;
    case Json::value_t::number_integer: w.integer(j.get<long long>()); break;
    case Json::value_t::number_unsigned: w.integer(static_cast<long long>(j.get<unsigned long long>())); break;
    case Json::value_t::number_float: w.real(j.get<double>()); break;
    default: w.null(); break;
  }
}

/// Builds an nlohmann tree: the form from_json and the diff reader take.
class JsonTreeSink : public TreeSink {
 public:
  Json result;
  void begin_object() override { open(Json::object()); }
  void end_object() override { stack_.pop_back(); }
  void begin_array(bool) override { open(Json::array()); }
  void end_array() override { stack_.pop_back(); }
  void key(std::string_view k) override { key_ = std::string(k); }
  void string(std::string_view s) override { put(Json(std::string(s))); }
  void integer(long long v) override { put(Json(v)); }
  void real(double v) override { put(Json(v)); }
  void boolean(bool v) override { put(Json(v)); }
  void null() override { put(Json(nullptr)); }

 private:
  Json* put(Json v) {
    if (stack_.empty()) { result = std::move(v); return &result; }
    Json& top = *stack_.back();
    if (top.is_array()) { top.push_back(std::move(v)); return &top.back(); }
    top[key_] = std::move(v);
    return &top[key_];
  }
  void open(Json v) { stack_.push_back(put(std::move(v))); }
  std::vector<Json*> stack_;
  std::string key_;
};

Json to_json(const Node& n) {
  JsonTreeSink s;
  write_tree(n, s);
  return std::move(s.result);
}

Json to_json(const Notice& n, const std::string& source_file) {
  JsonTreeSink s;
  write_tree(n, source_file, s);
  return std::move(s.result);
}

Json to_json(const Issue& issue, const std::vector<std::string>& files) {
  JsonTreeSink s;
  write_tree(issue, files, s);
  return std::move(s.result);
}


namespace {

template <typename T>
bool get_to(const Json& j, const char* key, T* out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return false;
  *out = it->get<T>();
  return true;
}

std::vector<std::string> strings_from(const Json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it != j.end() && it->is_array())
    for (const auto& s : *it)
      if (s.is_string()) out.push_back(s.get<std::string>());
  return out;
}

std::vector<LineSpan> spans_from(const Json& j) {
  std::vector<LineSpan> out;
  if (j.is_array())
    for (const auto& s : j)
      if (s.is_array() && s.size() == 2) out.push_back({s[0].get<int>(), s[1].get<int>()});
  return out;
}

bool docnum_from(const Json& j, DocNumber* d) {
  if (!j.is_object()) return false;
  get_to(j, "text", &d->text);
  get_to(j, "agency", &d->agency);
  int v;
  if (get_to(j, "year", &v)) d->year = v;
  if (get_to(j, "seq", &v)) d->seq = v;
  std::string brackets;
  if (get_to(j, "brackets", &brackets) && !brackets.empty()) {
    // One bracket each side: split after the first code point.
    std::size_t k = 1;
    while (k < brackets.size() && (static_cast<unsigned char>(brackets[k]) & 0xC0) == 0x80) ++k;
    d->open_bracket = brackets.substr(0, k);
    d->close_bracket = brackets.substr(k);
  }
  get_to(j, "line", &d->line);
  // A folder written before `printed` and `canonical` were: its `text` is
  // the printed form, and the canonical one is made from the parts.
  std::string printed = d->text;
  get_to(j, "printed", &printed);
  d->printed = printed;
  read_number_marks(d);
  if (!get_to(j, "canonical", &d->canonical) || d->canonical.empty()) d->canonical = canonical_docnum(*d, printed);
  d->text = d->canonical;
  return true;
}

std::vector<Attachment> attachments_from(const Json& j) {
  std::vector<Attachment> out;
  if (!j.is_array()) return out;
  for (const auto& a : j) {
    Attachment x;
    get_to(a, "label", &x.label);
    get_to(a, "marker", &x.marker);
    int v;
    if (get_to(a, "number", &v)) x.number = v;
    get_to(a, "title", &x.title);
    get_to(a, "file", &x.file);
    get_to(a, "line", &x.line);
    out.push_back(x);
  }
  return out;
}

bool nodes_from(const Json& j, std::vector<Node>* out, std::string* err) {
  if (j.is_null()) return true;
  if (!j.is_array()) { *err = "a node list is not an array"; return false; }
  for (const auto& x : j) {
    Node n;
    if (!from_json(x, &n, err)) return false;
    out->push_back(std::move(n));
  }
  return true;
}

}  // namespace

std::string compact_json(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

bool from_json(const Json& j, Node* n, std::string* err) {
  try {
    if (!j.is_object() || !j.contains("type")) { *err = "a node has no type"; return false; }
    std::string t = j["type"].get<std::string>();
    n->type = t == "item" ? NodeType::Item : t == "roster" ? NodeType::Roster : t == "table" ? NodeType::Table : NodeType::Paragraph;
    get_to(j, "id", &n->id);
    get_to(j, "marker", &n->marker);
    get_to(j, "level", &n->level);
    get_to(j, "number", &n->number);
    get_to(j, "standard_marker", &n->standard_marker);
    get_to(j, "title", &n->title);
    get_to(j, "text", &n->text);
    get_to(j, "line", &n->line);
    if (j.contains("spans")) n->spans = spans_from(j["spans"]);
    if (j.contains("responsibility") && j["responsibility"].is_object()) {
      const Json& r = j["responsibility"];
      Responsibility x;
      x.leaders = strings_from(r, "leaders");
      x.lead_units = strings_from(r, "lead_units");
      x.units = strings_from(r, "units");
      x.partner_units = strings_from(r, "partner_units");
      if (r.contains("deadline") && r["deadline"].is_object()) {
        Deadline d;
        get_to(r["deadline"], "text", &d.text);
        std::string date;
        if (get_to(r["deadline"], "date", &date)) d.date = date;
        x.deadline = d;
      }
      n->responsibility = x;
    }
    if (j.contains("members") && j["members"].is_array())
      for (const auto& m : j["members"]) {
        RosterMember r;
        get_to(m, "role", &r.role);
        get_to(m, "name", &r.name);
        get_to(m, "title", &r.title);
        get_to(m, "line", &r.line);
        n->members.push_back(r);
      }
    n->header = strings_from(j, "header");
    if (j.contains("rows") && j["rows"].is_array())
      for (const auto& r : j["rows"]) {
        std::vector<std::string> row;
        for (const auto& c : r) row.push_back(c.get<std::string>());
        n->rows.push_back(row);
      }
    if (j.contains("row_lines") && j["row_lines"].is_array())
      for (const auto& l : j["row_lines"]) n->row_lines.push_back(l.get<int>());
    if (j.contains("children")) return nodes_from(j["children"], &n->children, err);
    return true;
  } catch (const nlohmann::json::exception& e) {
    *err = std::string("unexpected node shape: ") + e.what();
    return false;
  }
}

bool from_json(const Json& j, Notice* n, std::string* err) {
  try {
    if (!j.is_object() || j.value("schema", "") != kNoticeSchema) {
      *err = std::string("not a notice file (schema is not ") + kNoticeSchema + ")";
      return false;
    }
    // (operator[] of a const tree on a missing key is undefined: ask first.)
    if (j.contains("docnum")) docnum_from(j["docnum"], &n->docnum);
    get_to(j, "issuer", &n->issuer);
    n->issuers = strings_from(j, "issuers");
    get_to(j, "title", &n->title);
    std::string s;
    if (get_to(j, "signer", &s)) n->signer = s;
    n->addressees = strings_from(j, "addressees");
    if (get_to(j, "date", &s)) n->date = s;
    get_to(j, "date_text", &n->date_text);
    n->signature = strings_from(j, "signature");
    n->notes = strings_from(j, "notes");
    n->attachments = attachments_from(j.value("attachments", Json::array()));
    if (!nodes_from(j.value("body", Json::array()), &n->body, err)) return false;
    if (j.contains("enclosures") && j["enclosures"].is_array())
      for (const auto& e : j["enclosures"]) {
        Enclosure x;
        std::string label;
        if (get_to(e, "label", &label)) x.label = label;
        int v;
        if (get_to(e, "number", &v)) x.number = v;
        get_to(e, "title", &x.title);
        get_to(e, "line", &x.line);
        x.attachments = attachments_from(e.value("attachments", Json::array()));
        if (!nodes_from(e.value("body", Json::array()), &x.body, err)) return false;
        n->enclosures.push_back(std::move(x));
      }
    if (j.contains("references") && j["references"].is_array())
      for (const auto& r : j["references"]) {
        DocNumber d;
        docnum_from(r, &d);
        n->references.push_back(d);
      }
    if (j.contains("source") && j["source"].is_object()) {
      get_to(j["source"], "title_line", &n->title_line);
      if (j["source"].contains("spans")) n->spans = spans_from(j["source"]["spans"]);
    }
    if (!n->body.empty() && n->body.front().id.empty()) assign_node_ids(n);  // written before nodes had ids
    return true;
  } catch (const nlohmann::json::exception& e) {
    *err = std::string("unexpected notice shape: ") + e.what();
    return false;
  }
}

std::string notice_file_stem(const DocNumber& d, std::size_t index) {
  std::string raw = d.agency;
  if (d.year) raw += "-" + std::to_string(*d.year);
  if (d.seq) raw += "-" + std::to_string(*d.seq);
  // Keep letters and digits of any script (after NFKC, so ／ and ．are seen
  // as / and .), and - _; everything else becomes _.
  MatchView mv = make_match_view(raw);
  icu::UnicodeString out;
  for (int32_t i = 0; i < mv.view.length();) {
    UChar32 c = mv.view.char32At(i);
    i += U16_LENGTH(c);
    int8_t cat = u_charType(c);
    bool keep = c == '-' || c == '_' || (c < 0x80 ? (u_isalnum(c) != 0) :
                 (cat == U_UPPERCASE_LETTER || cat == U_LOWERCASE_LETTER || cat == U_OTHER_LETTER ||
                  cat == U_DECIMAL_DIGIT_NUMBER || cat == U_TITLECASE_LETTER || cat == U_MODIFIER_LETTER));
    if (keep) out.append(c);
    else if (out.length() > 0 && out.charAt(out.length() - 1) != u'_') out.append(u'_');
  }
  std::string stem = to_utf8(out);
  while (!stem.empty() && (stem.back() == '_' || stem.back() == '-')) stem.pop_back();
  while (!stem.empty() && (stem.front() == '_' || stem.front() == '-' || stem.front() == '.')) stem.erase(0, 1);
  if (stem.size() > 200) {
    std::size_t cut = 200;
    while (cut > 0 && (static_cast<unsigned char>(stem[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
    stem.resize(cut);
  }
  if (stem.empty() || stem == "issue") stem = "notice-" + std::to_string(index + 1);
  return stem;
}

}  // namespace gazette
