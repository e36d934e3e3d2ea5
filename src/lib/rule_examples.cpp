// Running every rule's examples (gazette grammar check, and the test suite).
#include "rule_examples.h"

#include "matcher.h"

namespace gazette {

std::vector<ExampleFailure> check_examples(const Grammar& all_rules, int* examples_run) {
  std::vector<ExampleFailure> failures;
  int run = 0;
  // Every rule of the grammar, and of each scoped overlay loaded over it.
  std::vector<std::shared_ptr<const Grammar>> grammars = {with_overlays(all_rules, {})};
  for (std::size_t k = 0; k < all_rules.scoped.size(); ++k)
    grammars.push_back(with_overlays(all_rules, {static_cast<int>(k)}));
  for (std::size_t k = 0; k < grammars.size(); ++k) {
  const Grammar& g = *grammars[k];
  const std::string only_file = k == 0 ? std::string() : all_rules.scoped[k - 1].file;
  RuleList artifacts(g.artifacts);
  for (const auto& [section, rules] : g.sections()) {
    for (const auto& rule : *rules) {
      if (rule.examples.empty() || (!only_file.empty() && rule.file != only_file)) continue;
      RuleMatcher m(rule);
      std::unique_ptr<RuleMatcher> above_m(rule.previous ? new RuleMatcher(*rule.previous) : nullptr);
      for (const auto& ex : rule.examples) {
        ++run;
        std::string where = rule.file + ":" + std::to_string(ex.file_line);
        // A rule that needs the line above is given two lines: above \n line.
        std::string line = ex.line, above;
        if (above_m) {
          std::size_t nl = line.find('\n');
          if (nl == std::string::npos) {
            failures.push_back({where, rule.id, "a rule with previous needs an example of two lines (above\\nline)"});
            continue;
          }
          above = line.substr(0, nl);
          line.erase(0, nl + 1);
        }
        MatchView mv = make_match_view(line), above_mv = make_match_view(above);
        remove_artifacts(artifacts, &mv);  // as the classifier does
        remove_artifacts(artifacts, &above_mv);
        bool found = false;
        try {
          found = above_m ? m.looking_at(mv) && m.end(0) == mv.view.length() && above_m->looking_at(above_mv)
                          : m.find(mv);
        } catch (const RegexTimeout&) {
          failures.push_back({where, rule.id, "the regex timed out on '" + ex.line + "'"});
          continue;
        }
        if (!ex.match) {
          if (found) failures.push_back({where, rule.id, "matches '" + ex.line + "' but must not"});
          continue;
        }
        if (!found) {
          failures.push_back({where, rule.id, "does not match '" + ex.line + "'"});
          continue;
        }
        for (const auto& [group, want] : ex.expect) {
          std::string got = above_m && rule.group(group) < 0 ? group_text(*above_m, above_mv, above, group)
                                                              : group_text(m, mv, line, group);
          if (got != trim(want))
            failures.push_back({where, rule.id, "on '" + ex.line + "': group '" + group + "' is '" + got + "', expected '" + want + "'"});
        }
      }
    }
  }
  }
  if (examples_run) *examples_run = run;
  return failures;
}

}  // namespace gazette
