// Searching a match view with a rule. Each rule is tried through the
// prefilters derived from its pattern first (prefilter.h), which spare most
// ICU searches; GAZETTE_PREFILTERS=off turns them off, and every search is
// then a plain ICU search of the whole view, which must find the same.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <unicode/regex.h>

#include "rule.h"
#include "text.h"

namespace gazette {

/// Whether searches use the rules' prefilters: on, unless the environment
/// says GAZETTE_PREFILTERS=off when it is first asked. Matchers read it when
/// they are made.
bool prefilters_on();
/// Turns the prefilters on or off for matchers made from now on (tests).
void set_prefilters(bool on);

/// Thrown (inside the library only) when a rule exceeds the regex time limit;
/// convert() turns it into an Error naming the rule and the input line.
struct RegexTimeout {
  std::string rule_where;   ///< file:line:col of the rule's regex
  std::string rule_id;
  int input_line = 0;       ///< the input line being matched, when known
  bool run_budget = false;  ///< the run's total budget ran out, not one match's limit
};

/// ICU time-limit ticks (10,000 steps of the match engine, a tenth of a
/// millisecond or so) that the slow matches of one conversion may take
/// together, plus one a KiB of input. A match shorter than a tick costs
/// nothing (the shared issue spends none; a 60 KB line, the longest rules
/// read, six); a rule slow on every line (a cubic pattern under the
/// per-match limit) is stopped here instead of running for minutes.
constexpr std::int64_t kRegexRunBudget = 3000;

/// Starts the calling thread's budget for a new conversion of `input_bytes`.
void reset_regex_budget(std::size_t input_bytes);

/// The per-thread state for one rule: its ICU matcher, reset for each input.
class RuleMatcher {
 public:
  explicit RuleMatcher(const Rule& rule);
  /// Searches `view` from `from`; true on a match. Throws RegexTimeout.
  bool find(const MatchView& mv, int32_t from = 0);
  /// Matches at the start of `view` only. Throws RegexTimeout.
  bool looking_at(const MatchView& mv);
  int32_t start(int group = 0) const;
  int32_t end(int group = 0) const;
  bool matched(int group) const { return group >= 0 && start(group) >= 0; }
  const Rule& rule() const { return *rule_; }
  /// Whether its searches use the prefilters (prefilters_on() when it was made).
  bool prefiltered() const { return filtered_; }

 private:
  /// The prefilters: false when the rule cannot match (`from` != 0 only for find).
  bool may_match(const MatchView& mv, int32_t from) const;
  /// The search of a literal or set rule, prefilters included: a scan from
  /// `from` (at `from` only when `anchored`). Its match is
  /// [scan_start_, scan_end_).
  bool scan(const MatchView& mv, int32_t from, bool anchored);
  /// Throws RegexTimeout when ICU stopped the match (time limit, stack, budget).
  void check_stopped(UErrorCode st) const;
  const Rule* rule_;
  std::unique_ptr<icu::RegexMatcher> m_;
  bool filtered_ = true;  ///< prefilters on when it was made
  bool scans_ = false;  ///< the rule is searched by scan()
  int32_t scan_start_ = -1, scan_end_ = -1;
};

/// A list of rules, tried in order.
class RuleList {
 public:
  RuleList() = default;
  /// The rules of `all` that `keep` keeps (every one without it).
  explicit RuleList(const std::vector<Rule>& all, const std::function<bool(const Rule&)>& keep = {});
  /// The first rule that matches (searching from `from`), or nullptr.
  RuleMatcher* first(const MatchView& mv, int32_t from = 0);
  /// The first rule that matches at the start of `view`, or nullptr.
  RuleMatcher* first_at_start(const MatchView& mv);
  /// False when no rule can match a text whose (folded) last character is
  /// `c`: every rule is anchored at the end on a known set without it. Lets a
  /// caller skip building a match view.
  bool could_end_with(UChar32 c) const;
  /// False when no rule can match a text that starts with `first` and ends
  /// with `last` (folded): each rule is anchored on a known set without one
  /// of them. Lets a caller skip building a match view.
  bool could_match_ends(UChar32 first, UChar32 last) const;
  bool empty() const { return ms_.empty(); }
  std::vector<std::unique_ptr<RuleMatcher>>& all() { return ms_; }

 private:
  /// False when no rule of the list can match `mv` from `from`, told by the
  /// union of the rules' first- and last-character filters: one test for a
  /// list of anchored rules instead of one per rule.
  bool may_match_any(const MatchView& mv, int32_t from) const;
  std::vector<std::unique_ptr<RuleMatcher>> ms_;
  bool filtered_ = true;  ///< prefilters on when it was made
  bool all_first_ = false, all_last_ = false;  ///< every rule has a first (last) character set
  CharFilter first_any_, last_any_;            ///< the unions of the rules' filters
};

/// Removes what the artifact rules match from a match view (keeping the map
/// back to the printed text), so that `**附件1:**` reads as `附件1:`.
void remove_artifacts(RuleList& artifacts, MatchView* mv);

/// Text of a named group of the current match of `m`, in printed form. The
/// name "rest" means the group of that name when the rule has one, else what
/// follows the match.
std::string group_text(RuleMatcher& m, const MatchView& mv, const std::string& printed, const std::string& name);
/// Text of a named group as the match view has it (folded: ２０２３ → 2023,
/// ⑴ → (1)); numerals are read from this form.
std::string group_view(RuleMatcher& m, const MatchView& mv, const std::string& name);

}  // namespace gazette
