#include "json_model.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "text.h"

namespace gazette {
namespace {

Json spans_json(const std::vector<LineSpan>& spans) {
  Json a = Json::array();
  for (const auto& s : spans) a.push_back(Json::array({s.first, s.last}));
  return a;
}

Json docnum_json(const DocNumber& d) {
  Json j;
  j["text"] = d.text;
  j["agency"] = d.agency;
  j["year"] = d.year ? Json(*d.year) : Json(nullptr);
  j["seq"] = d.seq ? Json(*d.seq) : Json(nullptr);
  j["brackets"] = d.open_bracket + d.close_bracket;  // as printed around the year: 〔〕, (), []
  j["line"] = d.line;
  return j;
}

Json strings_json(const std::vector<std::string>& v) {
  Json a = Json::array();
  for (const auto& s : v) a.push_back(s);
  return a;
}

Json responsibility_json(const Responsibility& r) {
  Json j;
  j["leaders"] = strings_json(r.leaders);
  j["lead_units"] = strings_json(r.lead_units);
  j["units"] = strings_json(r.units);
  j["partner_units"] = strings_json(r.partner_units);
  if (r.deadline) {
    Json d;
    d["text"] = r.deadline->text;
    d["date"] = r.deadline->date ? Json(*r.deadline->date) : Json(nullptr);
    j["deadline"] = d;
  } else {
    j["deadline"] = nullptr;
  }
  return j;
}

Json attachments_json(const std::vector<Attachment>& v) {
  Json a = Json::array();
  for (const auto& x : v) {
    Json j;
    j["label"] = x.label;
    j["marker"] = x.marker;
    j["number"] = x.number ? Json(*x.number) : Json(nullptr);
    j["title"] = x.title;
    j["line"] = x.line;
    a.push_back(j);
  }
  return a;
}

Json nodes_json(const std::vector<Node>& v) {
  Json a = Json::array();
  for (const auto& n : v) a.push_back(to_json(n));
  return a;
}

}  // namespace

Json to_json(const Node& n) {
  Json j;
  j["type"] = node_type_name(n.type);
  if (n.type == NodeType::Item) {
    j["marker"] = n.marker;
    j["level"] = n.level;
    j["number"] = n.number;
    if (!n.standard_marker) j["standard_marker"] = false;
    j["title"] = n.title;
  }
  if (n.type != NodeType::Table) j["text"] = n.text;
  j["line"] = n.line;
  if (n.responsibility) j["responsibility"] = responsibility_json(*n.responsibility);
  if (n.type == NodeType::Roster) {
    Json ms = Json::array();
    for (const auto& m : n.members) {
      Json mj;
      mj["role"] = m.role;
      mj["name"] = m.name;
      mj["title"] = m.title;
      mj["line"] = m.line;
      ms.push_back(mj);
    }
    j["members"] = ms;
  }
  if (n.type == NodeType::Table) {
    j["header"] = strings_json(n.header);
    Json rows = Json::array();
    for (const auto& r : n.rows) rows.push_back(strings_json(r));
    j["rows"] = rows;
    j["row_lines"] = n.row_lines;
  }
  j["spans"] = spans_json(n.spans);
  if (!n.children.empty()) j["children"] = nodes_json(n.children);
  return j;
}

Json to_json(const Notice& n, const std::string& source_file) {
  Json j;
  j["schema"] = kNoticeSchema;
  j["docnum"] = docnum_json(n.docnum);
  j["issuer"] = n.issuer;
  j["title"] = n.title;
  j["signer"] = n.signer ? Json(*n.signer) : Json(nullptr);
  j["addressees"] = strings_json(n.addressees);
  j["date"] = n.date ? Json(*n.date) : Json(nullptr);
  j["date_text"] = n.date_text;
  j["signature"] = strings_json(n.signature);
  j["notes"] = strings_json(n.notes);
  j["attachments"] = attachments_json(n.attachments);
  j["body"] = nodes_json(n.body);
  Json encl = Json::array();
  for (const auto& e : n.enclosures) {
    Json ej;
    ej["label"] = e.label ? Json(*e.label) : Json(nullptr);
    ej["number"] = e.number ? Json(*e.number) : Json(nullptr);
    ej["title"] = e.title;
    ej["line"] = e.line;
    ej["attachments"] = attachments_json(e.attachments);
    ej["body"] = nodes_json(e.body);
    encl.push_back(ej);
  }
  j["enclosures"] = encl;
  Json refs = Json::array();
  for (const auto& r : n.references) refs.push_back(docnum_json(r));
  j["references"] = refs;
  Json src;
  src["file"] = source_file;
  src["title_line"] = n.title_line;
  src["spans"] = spans_json(n.spans);
  j["source"] = src;
  return j;
}

Json to_json(const Issue& issue, const std::vector<std::string>& files) {
  Json j;
  j["schema"] = kIssueSchema;
  j["source"] = {{"file", issue.source_file}, {"encoding", issue.encoding}};
  j["publication"] = issue.publication;
  j["year"] = issue.year ? Json(*issue.year) : Json(nullptr);
  j["number"] = issue.number ? Json(*issue.number) : Json(nullptr);
  j["cumulative_number"] = issue.cumulative_number ? Json(*issue.cumulative_number) : Json(nullptr);
  Json toc = Json::array();
  for (const auto& t : issue.toc) {
    Json tj;
    tj["page"] = t.page ? Json(*t.page) : Json(nullptr);
    tj["section"] = t.section;
    tj["title"] = t.title;
    tj["line"] = t.line;
    toc.push_back(tj);
  }
  j["toc"] = toc;
  Json notices = Json::array();
  for (std::size_t i = 0; i < issue.notices.size(); ++i) {
    const Notice& n = issue.notices[i];
    Json nj;
    nj["docnum"] = n.docnum.text;
    nj["file"] = i < files.size() ? files[i] : std::string();
    nj["title"] = n.title;
    nj["date"] = n.date ? Json(*n.date) : Json(nullptr);
    notices.push_back(nj);
  }
  j["notices"] = notices;
  j["front_matter"] = nodes_json(issue.front_matter);
  j["back_matter"] = nodes_json(issue.back_matter);
  j["unassigned"] = nodes_json(issue.unassigned);
  Json repairs = Json::array();
  for (const auto& r : issue.repairs) {
    Json rj;
    rj["lines"] = Json::array({r.lines.first, r.lines.last});
    rj["from"] = r.from_docnum;
    rj["to"] = r.to_docnum;
    rj["signal"] = r.signal;
    rj["detail"] = r.detail;
    repairs.push_back(rj);
  }
  j["repairs"] = repairs;
  return j;
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

bool from_json(const Json& j, Node* n, std::string* err) {
  try {
    if (!j.is_object() || !j.contains("type")) { *err = "a node has no type"; return false; }
    std::string t = j["type"].get<std::string>();
    n->type = t == "item" ? NodeType::Item : t == "roster" ? NodeType::Roster : t == "table" ? NodeType::Table : NodeType::Paragraph;
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
    docnum_from(j["docnum"], &n->docnum);
    get_to(j, "issuer", &n->issuer);
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
  if (stem.size() > 200) stem.resize(200);
  if (stem.empty() || stem == "issue") stem = "notice-" + std::to_string(index + 1);
  return stem;
}

}  // namespace gazette
