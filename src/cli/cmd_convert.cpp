// gazette convert ISSUE [-o DIR|-] [--format yaml|json]
#include <iostream>

#include "cli.h"
#include "convert.h"
#include "writer.h"

namespace gazette::cli {
namespace {

struct ConvertOptions {
  InputOptions in;
  std::string input;
  std::string out;
  std::string format = "yaml";
};

int run_convert(const ConvertOptions& o) {
  Grammar g;
  if (!load_rules(o.in, &g)) return kExitUsage;
  Issue issue;
  if (int status = read_and_convert(o.in, o.input, g, &issue); status != kExitOk) return status;
  std::string dest = "standard output";
  if (o.out == "-") {
    // JSON Lines on standard output: the issue record, then one per notice.
    if (int status = write_whole_file("-", render_issue_lines(issue), "the issue"); status != kExitOk) return status;
  } else {
    Format f = o.format == "json" ? Format::Json : Format::Yaml;
    const std::string dir = o.out.empty() ? issue_name_of(o.input) : o.out;
    Error err;
    if (!write_files(dir, IssueFiles(issue, f), &err)) {
      report(err);
      return kExitOutput;
    }
    dest = dir + "/";
  }
  if (!o.in.quiet)
    std::cerr << "gazette: " << o.input << ": " << issue.notices.size() << " notice(s), " << issue.unassigned.size()
              << " unassigned line(s), " << issue.repairs.size() << " reading-order repair(s) -> " << dest << "\n";
  return kExitOk;
}

}  // namespace

std::function<int()> add_convert(CLI::App& app) {
  auto o = std::make_shared<ConvertOptions>();
  CLI::App* cmd = app.add_subcommand("convert", "Convert one issue: one file per notice plus issue.{yaml,json}");
  cmd->add_option("issue", o->input, "Issue text file ('-' reads standard input)")->required();
  cmd->add_option("-o,--output", o->out, "Output folder (default: the input file's name without extension); '-' writes JSON Lines to standard output");
  cmd->add_option("--format", o->format, "Output format")->check(CLI::IsMember({"yaml", "json"}));
  add_input_options(cmd, &o->in);
  cmd->footer(kExitStatusHelp);
  return [o] { return run_convert(*o); };
}

}  // namespace gazette::cli
