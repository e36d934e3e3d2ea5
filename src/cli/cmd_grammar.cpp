// gazette grammar check [FILE...]: runs the examples the rules carry.
#include <iostream>

#include "cli.h"

namespace gazette::cli {
namespace {

struct GrammarOptions {
  std::vector<std::string> files;
};

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
  std::cout << g.files.size() << " rule file(s), " << rules << " rules, " << (run - static_cast<int>(failures.size()))
            << " passed, " << failures.size() << " failed\n";
  return failures.empty() ? kExitOk : kExitFindings;
}

Registrar reg{Command{90, [](CLI::App& app) -> std::function<int()> {
  auto o = std::make_shared<GrammarOptions>();
  CLI::App* cmd = app.add_subcommand("grammar", "Work with rule files");
  cmd->require_subcommand(1);
  CLI::App* check = cmd->add_subcommand("check", "Load rule files and run the examples their rules carry");
  check->add_option("files", o->files, "Rule files, in order (default: the default set)");
  check->footer("Exit status: 0 all examples pass; 1 an example fails; 2 a rule file is broken.");
  return [o, check] { return check->parsed() ? run_check(*o) : kExitUsage; };
}}};

}  // namespace
}  // namespace gazette::cli
