// gazette validate ISSUE|FOLDER... [--format text|json|jsonl] [--severity LEVEL] [--code CODE]...
//                  [--color auto|always|never]
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

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
  std::string severity = "info";
  std::vector<std::string> codes;
  std::string color = "auto";
};

inline constexpr const char* kFindingsSchema = "gazette.findings/1";

/// How print_text marks a finding: ANSI colours on a terminal, nothing otherwise.
struct FindingStyle {
  std::string where_open, severity_open[3], close;
};

FindingStyle finding_style(bool color) {
  FindingStyle st;
  if (!color) return st;
  st.where_open = "\x1b[1m";               // bold
  st.severity_open[0] = "\x1b[1;31m";      // error: bold red
  st.severity_open[1] = "\x1b[1;33m";      // warning: bold yellow
  st.severity_open[2] = "\x1b[1;36m";      // info: bold cyan
  st.close = "\x1b[0m";
  return st;
}

/// `file:line: severity[code]: message`, then the printed line it is about.
void print_text(const std::vector<Finding>& findings, const std::map<std::string, const SourceText*>& sources,
                const FindingStyle& st) {
  for (const Finding& f : findings) {
    std::cout << st.where_open << f.file;
    if (f.line > 0) std::cout << ":" << f.line;
    std::cout << ":" << (st.where_open.empty() ? "" : st.close) << " " << st.severity_open[static_cast<int>(f.severity)]
              << severity_name(f.severity) << "[" << f.code << "]" << st.close << ": " << f.message << "\n";
    auto it = sources.find(f.file);
    if (it != sources.end() && f.line > 0 && f.line <= it->second->line_count())
      std::cout << "    " << it->second->line(f.line) << "\n";
  }
}

Json finding_json(const Finding& f) {
  Json j;
  j["code"] = f.code;
  j["severity"] = severity_name(f.severity);
  j["file"] = f.file;
  j["line"] = f.line;
  j["docnum"] = f.docnum.empty() ? Json(nullptr) : Json(f.docnum);
  j["message"] = f.message;
  return j;
}

/// JSON text; a file name that is not UTF-8 gets U+FFFD rather than an exception.
std::string dump(const Json& j, int indent) { return j.dump(indent, ' ', false, Json::error_handler_t::replace); }

void print_json(const std::vector<Finding>& findings) {
  Json out;
  out["schema"] = kFindingsSchema;
  out["findings"] = Json::array();
  for (const Finding& f : findings) out["findings"].push_back(finding_json(f));
  std::cout << dump(out, 2) << "\n";
}

/// JSON Lines: one finding a line, the object a `findings` entry of the json format.
void print_jsonl(const std::vector<Finding>& findings) {
  for (const Finding& f : findings) std::cout << dump(finding_json(f), -1) << "\n";
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

/// The codes a --code word names: itself when it is a code, every code of a
/// group for the part before the dot (`toc` is toc.count, toc.order, ...);
/// none when it is neither.
std::vector<std::string> codes_named(const std::string& word) {
  std::vector<std::string> out;
  for (const CheckInfo& c : validate_checks()) {
    std::string code = c.code;
    if (code == word || code.compare(0, word.size() + 1, word + ".") == 0) out.push_back(code);
  }
  return out;
}

/// The codes --code selects (empty: every code). Reports and returns false on an unknown one.
bool selected_codes(const std::vector<std::string>& words, std::set<std::string>* codes) {
  for (const std::string& w : words) {
    std::vector<std::string> named = codes_named(w);
    if (named.empty()) {
      std::string known;
      for (const CheckInfo& c : validate_checks()) known += std::string(known.empty() ? "" : ", ") + c.code;
      report("--code " + w + ": no such check; the codes are " + known +
             " (or a group: the part before the dot, e.g. toc)");
      return false;
    }
    codes->insert(named.begin(), named.end());
  }
  return true;
}

Severity severity_named(const std::string& name) {
  if (name == "error") return Severity::Error;
  if (name == "warning") return Severity::Warning;
  return Severity::Info;
}

int run_validate(const ValidateOptions& o) {
  std::set<std::string> codes;
  if (!selected_codes(o.codes, &codes)) return kExitUsage;
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
  std::vector<Finding> all = validate_issues(views);
  // The filters: a finding at least as severe as --severity, of a --code given.
  const Severity least = severity_named(o.severity);
  std::vector<Finding> findings;
  std::copy_if(all.begin(), all.end(), std::back_inserter(findings), [&](const Finding& f) {
    return f.severity <= least && (codes.empty() || codes.count(f.code));
  });

  if (o.format == "json")
    print_json(findings);
  else if (o.format == "jsonl")
    print_jsonl(findings);
  else
    print_text(findings, by_file, finding_style(use_color(o.color)));
  std::cout.flush();
  if (!std::cout) {
    report("cannot write the findings to standard output");
    return kExitOutput;
  }

  std::map<Severity, int> count;
  for (const Finding& f : findings) ++count[f.severity];
  if (!o.in.quiet) {
    std::cerr << "gazette: " << files.size() << " issue(s): " << count[Severity::Error] << " error(s), "
              << count[Severity::Warning] << " warning(s), " << count[Severity::Info] << " info";
    if (findings.size() < all.size()) std::cerr << "; " << all.size() - findings.size() << " more left out by the filters";
    std::cerr << "\n";
  }
  // The status is that of what was reported: --severity and --code filter it too.
  return count[Severity::Error] > 0 ? kExitFindings : kExitOk;
}

}  // namespace

std::function<int()> add_validate(CLI::App& app) {
  auto o = std::make_shared<ValidateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "validate", "Check 文号, series, dates, headings, 附件, contents and titles of one or more issues");
  cmd->add_option("issues", o->inputs,
                  "Issue files, or folders searched recursively for the issue files batch takes; the 文号 series "
                  "are checked across all of them")
      ->required();
  cmd->add_option("--format", o->format,
                  "Output format: text (file:line: severity[code]: message), json, or jsonl (one finding a line)")
      ->check(CLI::IsMember({"text", "json", "jsonl"}));
  cmd->add_option("--severity", o->severity, "Report findings of this severity or worse (default info: all)")
      ->check(CLI::IsMember({"error", "warning", "info"}));
  cmd->add_option("--code", o->codes, "Report only this check (a code, or a group such as toc), repeatable");
  add_color_option(cmd, &o->color);
  add_input_options(cmd, &o->in);
  cmd->footer(exit_status_footer(
      "0 no reported finding has error severity (warnings and info allowed); 1 at least one does\n"
      "(after --severity and --code)"));
  return [o] { return run_validate(*o); };
}

}  // namespace gazette::cli
