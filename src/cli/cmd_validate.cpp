// gazette validate ISSUE|FOLDER... [--format text|json]
#include <filesystem>
#include <iostream>
#include <map>

#include "batch.h"
#include "cli.h"
#include "convert.h"
#include "json_model.h"
#include "validate.h"

namespace gazette::cli {
namespace {

struct ValidateOptions {
  InputOptions in;
  std::vector<std::string> inputs;
  std::string format = "text";
};

inline constexpr const char* kFindingsSchema = "gazette.findings/1";

/// `file:line: severity[code]: message`, then the printed line it is about.
void print_text(const std::vector<Finding>& findings, const std::map<std::string, const SourceText*>& sources) {
  for (const Finding& f : findings) {
    std::cout << f.file;
    if (f.line > 0) std::cout << ":" << f.line;
    std::cout << ": " << severity_name(f.severity) << "[" << f.code << "]: " << f.message << "\n";
    auto it = sources.find(f.file);
    if (it != sources.end() && f.line > 0 && f.line <= static_cast<int>(it->second->lines.size()))
      std::cout << "    " << it->second->lines[f.line - 1] << "\n";
  }
}

void print_json(const std::vector<Finding>& findings) {
  Json out;
  out["schema"] = kFindingsSchema;
  out["findings"] = Json::array();
  for (const Finding& f : findings) {
    Json j;
    j["code"] = f.code;
    j["severity"] = severity_name(f.severity);
    j["file"] = f.file;
    j["line"] = f.line;
    j["docnum"] = f.docnum.empty() ? Json(nullptr) : Json(f.docnum);
    j["message"] = f.message;
    out["findings"].push_back(std::move(j));
  }
  std::cout << out.dump(2) << "\n";
}

/// The files to validate: a file as given, a folder as the issue files batch
/// would find in it (recursively, sorted). Reports and returns the status on failure.
int expand_inputs(const std::vector<std::string>& args, std::vector<std::string>* files) {
  for (const std::string& arg : args) {
    std::error_code ec;
    if (arg == "-" || !std::filesystem::is_directory(arg, ec)) {
      files->push_back(arg);
      continue;
    }
    std::vector<BatchJob> jobs;
    Error err;
    if (!discover_jobs({arg}, &jobs, &err)) {
      report(err);
      return kExitInput;
    }
    if (jobs.empty()) {
      report(arg + ": no issue files (*.txt, *.pdf, *.png, *.jpg, *.tif) in this folder");
      return kExitInput;
    }
    for (const BatchJob& j : jobs) files->push_back(j.input);
  }
  return kExitOk;
}

int run_validate(const ValidateOptions& o) {
  Grammar g;
  if (!load_rules(o.in, &g)) return kExitUsage;
  std::vector<std::string> files;
  if (int rc = expand_inputs(o.inputs, &files)) return rc;
  // Every issue is read and converted before any is checked: the series checks
  // look across all of them.
  std::vector<SourceText> sources(files.size());
  std::vector<Issue> issues(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    Error err;
    if (!read_source(files[i], o.in.decode(), &sources[i], &err)) {
      report(err);
      return exit_status_for(err.kind);  // 3, or 2 for an unknown --encoding
    }
    if (sources[i].replaced > 0 && !o.in.quiet)
      report(files[i] + ": replaced " + std::to_string(sources[i].replaced) +
             " undecodable byte(s) with U+FFFD (--lossy)");
    if (!convert_issue(sources[i], g, &issues[i], &err)) {
      report(err);
      return exit_status_for(err.kind);
    }
  }
  std::vector<const Issue*> views;
  std::map<std::string, const SourceText*> by_file;
  for (std::size_t i = 0; i < issues.size(); ++i) {
    views.push_back(&issues[i]);
    by_file.emplace(issues[i].source_file, &sources[i]);
  }
  std::vector<Finding> findings = validate_issues(views);

  if (o.format == "json")
    print_json(findings);
  else
    print_text(findings, by_file);
  std::cout.flush();
  if (!std::cout) {
    report("cannot write the findings to standard output");
    return kExitOutput;
  }

  std::map<Severity, int> count;
  for (const Finding& f : findings) ++count[f.severity];
  if (!o.in.quiet)
    std::cerr << "gazette: " << files.size() << " issue(s): " << count[Severity::Error] << " error(s), "
              << count[Severity::Warning] << " warning(s), " << count[Severity::Info] << " info\n";
  return count[Severity::Error] > 0 ? kExitFindings : kExitOk;
}

Registrar reg{Command{20, [](CLI::App& app) -> std::function<int()> {
  auto o = std::make_shared<ValidateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "validate", "Check 文号, series, dates, headings, 附件, contents and titles of one or more issues");
  cmd->add_option("issues", o->inputs,
                  "Issue files, or folders searched recursively for the issue files batch takes; the 文号 series "
                  "are checked across all of them")
      ->required();
  cmd->add_option("--format", o->format, "Output format: text (file:line: severity[code]: message) or json")
      ->check(CLI::IsMember({"text", "json"}));
  add_input_options(cmd, &o->in);
  cmd->footer(exit_status_footer("0 no error-severity finding (warnings and info allowed); 1 at least one error"));
  return [o] { return run_validate(*o); };
}}};

}  // namespace
}  // namespace gazette::cli
