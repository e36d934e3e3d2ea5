// gazette export TABLE SOURCE [-o FILE] [--format csv|xlsx|jsonl] [--bom] [--cites DOCNUM]:
// a flat table (export.h) of a folder convert wrote, a folder batch wrote,
// or an issue text converted on the way.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli.h"
#include "export.h"
#include "issue_folder.h"

namespace gazette::cli {
namespace {

namespace fs = std::filesystem;

struct ExportOptions {
  InputOptions in;
  std::string table;
  std::string source;
  std::string out;
  std::string format;
  bool bom = false;
  std::string cites;
};

std::string table_names() {
  std::string names;
  for (const auto& t : export_tables()) names += (names.empty() ? "" : ", ") + t.name;
  return names;
}

/// --format, or the one -o's extension names (.xlsx, .jsonl), or csv.
std::string format_of(const ExportOptions& o) {
  if (!o.format.empty()) return o.format;
  const std::string ext = fs::path(o.out).extension().string();
  if (ext == ".xlsx" || ext == ".XLSX") return "xlsx";
  if (ext == ".jsonl" || ext == ".JSONL") return "jsonl";
  return "csv";
}

/// A folder's own name, also when it was given with a trailing slash.
std::string folder_name(const std::string& dir) {
  fs::path p = fs::path(dir).lexically_normal();
  if (p.filename().empty()) p = p.parent_path();
  std::string name = p.filename().string();
  if (name.empty() || name == "." || name == "..") name = fs::absolute(p).lexically_normal().filename().string();
  return name;
}

/// Calls `each` with every issue SOURCE holds, one at a time, with its name.
/// Reports and returns the exit status of the first that cannot be read.
int for_each_issue(const ExportOptions& o, const Grammar& g,
                   const std::function<void(const std::string&, const Issue&)>& each) {
  auto read_folder = [&](const std::string& dir, const std::string& name) {
    Issue issue;
    Error err;
    if (!read_issue_folder(dir, &issue, &err)) {
      report(err);
      return kExitInput;
    }
    each(name, issue);
    return kExitOk;
  };
  switch (export_source_kind(o.source)) {
    case ExportSourceKind::IssueFolder: return read_folder(o.source, folder_name(o.source));
    case ExportSourceKind::BatchFolder:
      for (const std::string& name : batch_issue_folders(o.source))
        if (int status = read_folder((fs::path(o.source) / name).string(), name); status != kExitOk) return status;
      return kExitOk;
    case ExportSourceKind::OtherFolder:
      report(o.source + ": not a folder gazette wrote (no issue.json or issue.yaml from convert, no notices.jsonl "
                        "from batch), nor an issue text");
      return kExitInput;
    case ExportSourceKind::Text: break;
  }
  Issue issue;
  if (int status = read_and_convert(o.in, o.source, g, &issue); status != kExitOk) return status;
  each(issue_name_of(o.source), issue);
  return kExitOk;
}

/// Every row of the table into `w`. Reports and returns the exit status.
int write_table(const ExportOptions& o, const ExportTable& t, const Grammar& g, const std::string& cited,
                TableWriter& w) {
  std::function<bool(const ExportRow&)> keep;
  if (!cited.empty()) keep = [&](const ExportRow& r) { return r.cited && r.cited->canonical == cited; };
  w.header(t);
  return for_each_issue(o, g, [&](const std::string& name, const Issue& issue) { export_rows(t, name, issue, w, keep); });
}

/// The workbook, made in a temporary file: renamed to -o, or copied to
/// standard output.
int write_xlsx(const ExportOptions& o, const ExportTable& t, const Grammar& g, const std::string& cited) {
  int status = kExitOk;
  auto make = [&](const std::string& path) {
    auto w = xlsx_writer(path);
    status = write_table(o, t, g, cited, *w);
    Error err;
    if (status != kExitOk) return false;
    if (!w->finish(&err)) {
      report(err);
      return false;
    }
    return true;
  };
  if (!o.out.empty() && o.out != "-") {
    int written = write_file_whole(o.out, "the workbook", make);
    return status != kExitOk ? status : written;
  }
  const std::string tmp =
      (fs::temp_directory_path() / ("gazette-export-" + std::to_string(::getpid()) + ".xlsx")).string();
  const bool made = make(tmp);
  std::ostringstream bytes;
  if (made) bytes << std::ifstream(tmp, std::ios::binary).rdbuf();
  std::remove(tmp.c_str());
  if (status != kExitOk) return status;
  if (!made) return kExitOutput;
  return write_whole_file("-", bytes.str(), "the workbook");
}

int run_export(const ExportOptions& o) {
  const ExportTable* t = find_export_table(o.table);
  if (!t) {
    report("unknown table '" + o.table + "' (expected one of: " + table_names() + ")");
    return kExitUsage;
  }
  if (!o.cites.empty() && t->name != "references") {
    report("--cites selects rows of the references table, not of " + t->name);
    return kExitUsage;
  }
  const std::string format = format_of(o);
  if (format == "xlsx" && (o.out.empty() || o.out == "-") && isatty(STDOUT_FILENO)) {
    report("an XLSX workbook is not for a terminal: give -o FILE.xlsx, or redirect standard output");
    return kExitUsage;
  }
  // Rules are needed to convert a text, and to read the 文号 --cites gives.
  Grammar g;
  if ((export_source_kind(o.source) == ExportSourceKind::Text || !o.cites.empty()) && !load_rules(o.in, &g))
    return kExitUsage;
  std::string cited;
  if (!o.cites.empty()) {
    std::optional<std::string> key = canonical_docnum_of(o.cites, g);
    if (!key) {
      report("--cites '" + o.cites + "' does not read as one 文号 (e.g. 呼卫健字〔2022〕133号)");
      return kExitUsage;
    }
    cited = *key;
  }
  if (format == "xlsx") return write_xlsx(o, *t, g, cited);
  std::string text;
  auto w = format == "jsonl" ? jsonl_writer(&text) : csv_writer(&text, o.bom);
  if (int status = write_table(o, *t, g, cited, *w); status != kExitOk) return status;
  return write_whole_file(o.out.empty() ? "-" : o.out, text, "the table");
}

}  // namespace

std::function<int()> add_export(CLI::App& app) {
  auto o = std::make_shared<ExportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "export", "Write a flat table (responsibilities, references, notices) as CSV, XLSX or JSON Lines");
  std::vector<std::string> names;
  for (const auto& t : export_tables()) names.push_back(t.name);
  cmd->add_option("table", o->table, "The table to write (see 'man gazette-export')")
      ->required()
      ->check(CLI::IsMember(names));
  cmd->add_option("source", o->source,
                  "A folder convert or batch wrote, or an issue file to convert ('-' reads standard input)")
      ->required();
  cmd->add_option("-o,--output", o->out, "The file to write (default: standard output)");
  cmd->add_option("--format", o->format, "Output format (default: by -o's extension, .xlsx or .jsonl; else csv)")
      ->check(CLI::IsMember({"csv", "xlsx", "jsonl"}));
  cmd->add_flag("--bom", o->bom, "Begin the CSV with a UTF-8 byte order mark (for Excel and WPS)");
  cmd->add_option("--cites", o->cites,
                  "Only the references to this 文号, printed any way (呼卫健字(2022)133号 = 呼卫健字〔2022〕133号)");
  add_input_options(cmd, &o->in);
  cmd->footer(kExitStatusHelp);
  return [o] { return run_export(*o); };
}

}  // namespace gazette::cli
