#include "export.h"

#include <algorithm>
#include <filesystem>

#include "batch.h"
#include "classify.h"
#include "fields.h"
#include "json_model.h"
#include "text.h"

namespace gazette {

std::string Cell::flat() const {
  switch (kind) {
    case Kind::Null: return std::string();
    case Kind::Text:
    case Kind::Date: return text;
    case Kind::Integer: return std::to_string(number);
    case Kind::List: {
      std::string out;
      for (const auto& s : list) out += (out.empty() ? "" : "、") + s;
      return out;
    }
  }
  return std::string();
}

namespace {

namespace fs = std::filesystem;

Cell text(const std::string& s) { return Cell{Cell::Kind::Text, s, 0, {}}; }
Cell integer(long long v) { return Cell{Cell::Kind::Integer, {}, v, {}}; }
Cell list(const std::vector<std::string>& v) { return Cell{Cell::Kind::List, {}, 0, v}; }
Cell date(const std::optional<std::string>& d) { return d ? Cell{Cell::Kind::Date, *d, 0, {}} : Cell{}; }
Cell line(int l) { return l > 0 ? integer(l) : Cell{}; }

const Responsibility& resp(const ExportRow& r) { return *r.node->responsibility; }

/// The columns every table starts with: the issue and the notice.
std::vector<ExportColumn> notice_columns() {
  return {
      {"issue", [](const ExportRow& r) { return text(*r.issue); }},
      {"docnum", [](const ExportRow& r) { return text(r.notice->docnum.canonical); }},
      {"notice_title", [](const ExportRow& r) { return text(r.notice->title); }},
  };
}

/// Walks `nodes` depth first, calling `emit` for each node with a
/// responsibility block, with the printed markers down to it.
void responsibility_rows(const std::vector<Node>& nodes, const std::string& path, ExportRow* row,
                         const std::function<void(const ExportRow&)>& emit) {
  for (const Node& n : nodes) {
    std::string here = path;
    if (n.type == NodeType::Item) here += (here.empty() ? "" : " > ") + n.marker;
    if (n.responsibility && !n.responsibility->empty()) {
      row->node = &n;
      row->marker_path = here;
      emit(*row);
    }
    responsibility_rows(n.children, here, row, emit);
  }
}

std::vector<ExportTable> make_tables() {
  std::vector<ExportTable> t;

  ExportTable resp_table{"responsibilities",
                         "one row per responsibility block (责任领导, 牵头单位, 责任单位, 配合单位, 完成时限)",
                         notice_columns(), nullptr};
  std::vector<ExportColumn> more = {
      {"id", [](const ExportRow& r) { return text(r.node->id); }},
      {"marker_path", [](const ExportRow& r) { return text(r.marker_path); }},
      {"text", [](const ExportRow& r) { return text(r.node->title + r.node->text); }},
      {"leaders", [](const ExportRow& r) { return list(resp(r).leaders); }},
      {"lead_units", [](const ExportRow& r) { return list(resp(r).lead_units); }},
      {"units", [](const ExportRow& r) { return list(resp(r).units); }},
      {"partner_units", [](const ExportRow& r) { return list(resp(r).partner_units); }},
      {"deadline",
       [](const ExportRow& r) { return resp(r).deadline ? text(resp(r).deadline->text) : Cell{}; }},
      {"deadline_date",
       [](const ExportRow& r) { return resp(r).deadline ? date(resp(r).deadline->date) : Cell{}; }},
      {"line", [](const ExportRow& r) { return line(r.node->line); }},
  };
  resp_table.columns.insert(resp_table.columns.end(), more.begin(), more.end());
  resp_table.rows = [](const std::string& issue_name, const Issue& issue,
                       const std::function<void(const ExportRow&)>& emit) {
    for (const Notice& n : issue.notices) {
      ExportRow row{&issue_name, &n, nullptr, {}, nullptr};
      responsibility_rows(n.body, "", &row, emit);
      for (const Enclosure& e : n.enclosures) responsibility_rows(e.body, "", &row, emit);
    }
  };
  t.push_back(std::move(resp_table));

  ExportTable refs{"references", "one row per 文号 a notice cites", notice_columns(), nullptr};
  refs.columns.push_back({"cited", [](const ExportRow& r) { return text(r.cited->canonical); }});
  refs.columns.push_back({"cited_printed", [](const ExportRow& r) { return text(r.cited->printed); }});
  refs.columns.push_back({"line", [](const ExportRow& r) { return line(r.cited->line); }});
  refs.rows = [](const std::string& issue_name, const Issue& issue,
                 const std::function<void(const ExportRow&)>& emit) {
    for (const Notice& n : issue.notices)
      for (const DocNumber& d : n.references) emit(ExportRow{&issue_name, &n, nullptr, {}, &d});
  };
  t.push_back(std::move(refs));

  ExportTable notices{"notices", "one row per notice", notice_columns(), nullptr};
  notices.columns[2].name = "title";
  std::vector<ExportColumn> notice_more = {
      {"docnum_printed", [](const ExportRow& r) { return text(r.notice->docnum.printed); }},
      {"issuer", [](const ExportRow& r) { return text(r.notice->issuer); }},
      {"issuers", [](const ExportRow& r) { return list(r.notice->issuers); }},
      {"date", [](const ExportRow& r) { return date(r.notice->date); }},
      {"references", [](const ExportRow& r) { return integer(static_cast<long long>(r.notice->references.size())); }},
      {"line", [](const ExportRow& r) { return line(r.notice->title_line); }},
  };
  notices.columns.insert(notices.columns.end(), notice_more.begin(), notice_more.end());
  notices.rows = [](const std::string& issue_name, const Issue& issue,
                    const std::function<void(const ExportRow&)>& emit) {
    for (const Notice& n : issue.notices) emit(ExportRow{&issue_name, &n, nullptr, {}, nullptr});
  };
  t.push_back(std::move(notices));
  return t;
}

bool has_issue_file(const fs::path& dir) {
  std::error_code ec;
  for (const char* name : {"issue.json", "issue.yaml", "issue.yml"})
    if (fs::is_regular_file(dir / name, ec)) return true;
  return false;
}

}  // namespace

const std::vector<ExportTable>& export_tables() {
  static const std::vector<ExportTable> tables = make_tables();
  return tables;
}

const ExportTable* find_export_table(const std::string& name) {
  for (const auto& t : export_tables())
    if (t.name == name) return &t;
  return nullptr;
}

ExportSourceKind export_source_kind(const std::string& path) {
  std::error_code ec;
  if (path == "-" || !fs::is_directory(path, ec)) return ExportSourceKind::Text;
  if (has_issue_file(path)) return ExportSourceKind::IssueFolder;
  if (fs::is_regular_file(fs::path(path) / kNoticeIndexFile, ec)) return ExportSourceKind::BatchFolder;
  return ExportSourceKind::OtherFolder;
}

std::vector<std::string> batch_issue_folders(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.' || !it->is_directory(ec) || !has_issue_file(it->path())) continue;
    out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<std::string> canonical_docnum_of(const std::string& printed, const Grammar& g) {
  Matchers m(g);
  LineInfo li;
  li.number = 1;
  li.text = trim(printed);
  li.mv = make_match_view(li.text);
  remove_artifacts(m.artifacts, &li.mv);
  const std::vector<DocNumber> found = find_references(li, m);
  // One 文号 and nothing else (white space aside).
  if (found.size() != 1 || remove_spaces(found[0].printed) != remove_spaces(li.text)) return std::nullopt;
  return found[0].canonical;
}

void export_rows(const ExportTable& t, const std::string& issue_name, const Issue& issue, TableWriter& w,
                 const std::function<bool(const ExportRow&)>& keep) {
  std::vector<Cell> cells(t.columns.size());
  t.rows(issue_name, issue, [&](const ExportRow& r) {
    if (keep && !keep(r)) return;
    for (std::size_t i = 0; i < t.columns.size(); ++i) cells[i] = t.columns[i].value(r);
    w.row(cells);
  });
}

namespace {

/// RFC 4180: a field with a comma, a quote, CR or LF is quoted, its quotes
/// doubled.
void csv_field(std::string& out, const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) {
    out += s;
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

class CsvWriter : public TableWriter {
 public:
  CsvWriter(std::string* out, bool bom) : out_(*out) {
    if (bom) out_ += "\xEF\xBB\xBF";
  }
  void header(const ExportTable& t) override {
    std::vector<Cell> names;
    for (const auto& c : t.columns) names.push_back(text(c.name));
    row(names);
  }
  void row(const std::vector<Cell>& cells) override {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out_ += ',';
      csv_field(out_, cells[i].flat());
    }
    out_ += "\r\n";
  }
  bool finish(Error*) override { return true; }

 private:
  std::string& out_;
};

class JsonlWriter : public TableWriter {
 public:
  explicit JsonlWriter(std::string* out) : out_(*out) {}
  void header(const ExportTable& t) override {
    names_.clear();
    for (const auto& c : t.columns) names_.push_back(c.name);
  }
  void row(const std::vector<Cell>& cells) override {
    Json j = Json::object();
    for (std::size_t i = 0; i < cells.size() && i < names_.size(); ++i) {
      const Cell& c = cells[i];
      Json& v = j[names_[i]];
      switch (c.kind) {
        case Cell::Kind::Null: v = nullptr; break;
        case Cell::Kind::Text:
        case Cell::Kind::Date: v = c.text; break;
        case Cell::Kind::Integer: v = c.number; break;
        case Cell::Kind::List: v = c.list; break;
      }
    }
    out_ += compact_json(j);
    out_ += '\n';
  }
  bool finish(Error*) override { return true; }

 private:
  std::string& out_;
  std::vector<std::string> names_;
};

}  // namespace

std::unique_ptr<TableWriter> csv_writer(std::string* out, bool bom) { return std::make_unique<CsvWriter>(out, bom); }
std::unique_ptr<TableWriter> jsonl_writer(std::string* out) { return std::make_unique<JsonlWriter>(out); }

}  // namespace gazette
