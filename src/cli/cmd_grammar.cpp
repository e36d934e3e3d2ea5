// gazette grammar check [FILE...]: runs the examples the rules carry.
// gazette grammar explain ISSUE: why each printed line was read as it was.
#include <algorithm>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli.h"
#include "convert.h"
#include "rule_examples.h"

namespace gazette::cli {
namespace {

struct GrammarOptions {
  std::vector<std::string> files;
  InputOptions in;
  std::string issue;
  bool json = false;
  int from = 0, to = 0;
};

/// Prints, for each printed line of the issue, its kind, the rule that
/// decided it, what reflow did to it and where it ended up.
int run_explain(const GrammarOptions& o) {
  Grammar g;
  Issue issue;
  std::vector<LineExplanation> lines;
  if (int status = read_and_explain(o.in, o.issue, &g, &issue, &lines); status != kExitOk) return status;
  const ReflowReport& rf = issue.reflow;
  if (!o.json) {
    std::cout << "# " << o.issue << ": " << lines.size() << " printed lines; print width "
              << (rf.print_width ? std::to_string(rf.print_width) + " characters" : std::string("not hard-wrapped"))
              << "; " << rf.joined_lines << " joined; " << rf.furniture.size() << " page furniture; "
              << rf.readings.size() << " reading(s)\n";
    std::cout << "# rule files:";
    for (const auto& f : g.files) std::cout << " " << f;
    std::cout << "\n# rules applied:";
    for (const auto& name : issue.rule_files) std::cout << " " << name;
    for (const auto& s : g.scoped)
      if (std::find(issue.rule_files.begin(), issue.rule_files.end(), s.name) == issue.rule_files.end())
        std::cout << " (not " << s.name << ": the issue prints none of its names)";
    std::cout << "\n# line\tkind\trule\treflow\tplace\ttext\n";
  }
  for (const auto& e : lines) {
    if ((o.from && e.line < o.from) || (o.to && e.line > o.to)) continue;
    if (o.json) {
      nlohmann::ordered_json j = {{"line", e.line}, {"kind", e.kind},     {"rule", e.rule},
                                  {"reflow", e.reflow}, {"place", e.place}, {"text", e.printed}};
      std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    } else {
      std::cout << e.line << "\t" << e.kind << "\t" << e.rule << "\t" << e.reflow << "\t" << e.place << "\t"
                << e.printed << "\n";
    }
  }
  std::cout.flush();
  if (!std::cout) {
    report("cannot write to standard output");
    return kExitOutput;
  }
  return kExitOk;
}

int run_check(const GrammarOptions& o) {
  InputOptions in;
  in.grammars = o.files;
  Grammar g;
  if (!load_rules(in, &g)) return kExitUsage;
  int run = 0;
  auto failures = check_examples(g, &run);
  for (const auto& f : failures) std::cerr << f.where << ": rule '" << f.rule_id << "': " << f.message << "\n";
  std::size_t rules = 0;
  for (const auto& [name, list] : g.sections()) rules += list->size();
  for (std::size_t k = 0; k < g.scoped.size(); ++k)  // a scoped overlay's own rules
    for (const auto& [name, list] : with_overlays(g, {static_cast<int>(k)})->sections())
      for (const Rule& r : *list) rules += r.file == g.scoped[k].file;
  std::cout << "rule files:";
  for (const auto& f : g.files) std::cout << " " << f;
  std::cout << "\n" << g.files.size() << " rule file(s), " << rules << " rules, " << (run - static_cast<int>(failures.size()))
            << " passed, " << failures.size() << " failed\n";
  std::cout.flush();
  if (!std::cout) {
    report("cannot write the summary to standard output");
    return kExitOutput;
  }
  return failures.empty() ? kExitOk : kExitFindings;
}

}  // namespace

std::function<int()> add_grammar(CLI::App& app) {
  auto o = std::make_shared<GrammarOptions>();
  CLI::App* cmd = app.add_subcommand("grammar", "Work with rule files");
  cmd->require_subcommand(1);
  CLI::App* check = cmd->add_subcommand("check", "Load rule files and run the examples their rules carry");
  check->add_option("files", o->files, "Rule files, in order (default: the default set, below)");
  check->footer(kRuleFilesHelp + "\nExit status: 0 all examples pass; 1 an example fails; 2 a rule file is broken.");
  CLI::App* explain = cmd->add_subcommand(
      "explain", "For each printed line of an issue: its kind, the rule that decided it, what reflow did to it "
                 "(joined to line N, page furniture, closed up, read by a substitution) and where it ended up");
  explain->add_option("issue", o->issue, "Issue text file ('-' reads standard input)")->required();
  explain->add_flag("--json", o->json, "One JSON object per line (JSON Lines)");
  explain->add_option("--from", o->from, "First printed line to show")->check(CLI::PositiveNumber);
  explain->add_option("--to", o->to, "Last printed line to show")->check(CLI::PositiveNumber);
  add_input_options(explain, &o->in);
  explain->footer(kExitStatusHelp);
  return [o, check, explain]() -> int {
    if (check->parsed()) return run_check(*o);
    if (explain->parsed()) return run_explain(*o);
    return kExitUsage;
  };
}

}  // namespace gazette::cli
