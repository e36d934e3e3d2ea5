// gazette convert ISSUE [-o DIR] [--format yaml|json]
#include <filesystem>
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
  SourceText src;
  Error err;
  if (!read_source(o.input, o.in.decode(o.input), &src, &err)) {
    report(err);
    return exit_status_for(err.kind);  // 3, or 2 for an unknown --encoding
  }
  if (src.replaced > 0 && !o.in.quiet)
    report(o.input + ": replaced " + std::to_string(src.replaced) + " undecodable byte(s) with U+FFFD (--lossy)");
  Issue issue;
  if (!convert_issue(std::move(src), g, &issue, &err) || !check_is_gazette(issue, &err)) {
    report(err);
    return exit_status_for(err.kind);
  }
  Format f = o.format == "json" ? Format::Json : Format::Yaml;
  std::string dir = o.out;
  if (dir.empty()) {
    std::string stem = o.input == "-" ? "gazette-out" : std::filesystem::path(o.input).stem().string();
    dir = stem.empty() ? "gazette-out" : stem;
  }
  if (!write_files(dir, IssueFiles(issue, f), &err)) {
    report(err);
    return kExitOutput;
  }
  if (!o.in.quiet)
    std::cerr << "gazette: " << o.input << ": " << issue.notices.size() << " notice(s), " << issue.unassigned.size()
              << " unassigned line(s), " << issue.repairs.size() << " reading-order repair(s) -> " << dir << "/\n";
  return kExitOk;
}

Registrar reg{Command{10, [](CLI::App& app) -> std::function<int()> {
  auto o = std::make_shared<ConvertOptions>();
  CLI::App* cmd = app.add_subcommand("convert", "Convert one issue: one file per notice plus issue.{yaml,json}");
  cmd->add_option("issue", o->input, "Issue text file ('-' reads standard input)")->required();
  cmd->add_option("-o,--output", o->out, "Output folder (default: the input file's name without extension)");
  cmd->add_option("--format", o->format, "Output format")->check(CLI::IsMember({"yaml", "json"}));
  add_input_options(cmd, &o->in);
  cmd->footer(kExitStatusHelp);
  return [o] { return run_convert(*o); };
}}};

}  // namespace
}  // namespace gazette::cli
