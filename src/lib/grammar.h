// Rule files: what the C++ must not hard-code. A grammar is one or more YAML
// files (base first, overlays after); rules of a later file are tried first.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <memory>
#include <optional>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <unicode/regex.h>
#include <unicode/uniset.h>

#include "diagnostics.h"
#include "text.h"

namespace gazette {

/// Rule files larger than this are refused (the base rules are 30 KB).
constexpr std::size_t kMaxRuleFileBytes = std::size_t{4} << 20;

/// One example a rule carries: a line and the groups it must capture, or a
/// line it must not match.
struct RuleExample {
  std::string line;
  bool match = true;
  std::vector<std::pair<std::string, std::string>> expect;  ///< group → printed text ("rest" = after the match)
  int file_line = 0;
};

/// A compiled rule. The pattern is shared and immutable; matchers are made per
/// thread (see RuleMatcher).
struct Rule {
  std::string id;
  std::string file;
  int line = 0;     ///< where the regex stands in the file (1-based)
  int column = 0;
  std::string regex;
  std::shared_ptr<const icu::RegexPattern> pattern;
  std::map<std::string, int> groups;  ///< named groups
  int level = 0;                      ///< markers: the kind reported in the output
  int rank = 0;                       ///< markers: nesting order (default level * 10)
  std::string numeral;                ///< markers, dates: arabic, chinese, circled
  /// docnum: a rule the line above must match (the line's first non-blank
  /// predecessor); its named groups are read from that line.
  std::shared_ptr<const Rule> previous;
  std::string form;                   ///< docnum: standard (GB/T 9704, validate checks it), order, announcement, other
  bool standard = true;               ///< markers: a form GB/T 9704 uses
  std::string date_template;          ///< deadlines: {y}-{m}-{d}, {m}-last, {year}
  /// substitutions: what the `wrong` group (the whole match when the rule has
  /// none) reads as. Either one text for the whole span, or, when `replace_map`
  /// is not empty, a character-for-character reading inside the span.
  std::string replace;
  std::vector<std::pair<std::string, std::string>> replace_map;
  /// The first units of the map's keys as a match view has them: a line
  /// whose view holds none of them is not searched.
  CharFilter replace_filter = CharFilter::none();
  std::string why;                    ///< substitutions: the reason, shown in the output
  bool ocr_only = false;              ///< substitutions: `scope: ocr`, read only in text OCR made
  icu::UnicodeString needs;           ///< a literal every match contains: lines without it are skipped
  std::vector<icu::UnicodeString> needs_any;  ///< literals one of which every match contains (needs: [a, b])
  /// For a pattern anchored with $ whose matches have a bounded length: how
  /// many units from the end a match can start (0 = not known). A search
  /// then tries the view's tail only.
  int32_t tail = 0;
  /// The character every match ends with (号 for a 文号), or 0: a search
  /// stops at its last occurrence in the view.
  char16_t closing = 0;
  /// A regex that is a plain literal (签发人, \t, \*\*), or one class of
  /// single BMP characters ([、;]): a search is then a scan of the view's
  /// units, not a regex run, and finds what the regex finds.
  icu::UnicodeString scan_literal;
  std::u16string scan_set;
  /// For a pattern anchored with ^: the characters a match can start with,
  /// derived from the regex when that is certain (empty set = unknown).
  std::shared_ptr<const icu::UnicodeSet> first_chars;
  /// For a pattern anchored with $: the characters a match can end with.
  std::shared_ptr<const icu::UnicodeSet> last_chars;
  /// Filters of those sets (all bits set when there is no set): a clear bit
  /// rules a character out before the set itself is asked.
  CharFilter first_filter, last_filter;
  std::vector<RuleExample> examples;

  int group(const std::string& name) const {
    auto it = groups.find(name);
    return it == groups.end() ? -1 : it->second;
  }
  std::string where() const { return file + ":" + std::to_string(line) + ":" + std::to_string(column); }
};

/// A rule file that says which publication it is for (`applies_to`): its
/// rules apply only to issues that print one of its names. It is checked
/// when the grammar loads and applied per issue (with_overlays).
struct OverlayScope {
  std::string name;                   ///< the file's `grammar:` name
  std::string file;
  std::string text;                   ///< the file as read
  std::vector<std::string> masthead;  ///< names one of the first lines of the issue holds
  std::vector<std::string> issuer;    ///< organ names a line of the issue starts with
};

struct OverlayCache;

struct Grammar {
  std::vector<std::string> files;
  /// The `grammar:` names of the files whose rules are in this grammar, in
  /// load order (base first).
  std::vector<std::string> names;
  /// Overlays scoped to a publication: not in the rule lists below until
  /// with_overlays() loads them for an issue they apply to.
  std::vector<OverlayScope> scoped;
  std::shared_ptr<OverlayCache> cache;  ///< grammars with scoped overlays loaded, by overlay set
  std::vector<Rule> artifacts;
  std::vector<Rule> docnum;
  std::vector<std::string> agency_prefix_stop;
  std::vector<Rule> issuer, title_start, title_end, signer, addressee, date, public_note;
  std::vector<Rule> attachment_note, attachment_label;
  std::vector<Rule> closing;  ///< a body's closing formula (特此通知), never a signature
  std::vector<Rule> download;  ///< an attached file a web page lists (附件：名称.docx)
  std::vector<Rule> markers, glued_markers;
  std::vector<std::pair<std::string, std::string>> responsibility_labels;  ///< label → field
  std::vector<Rule> responsibility_line, responsibility_paren;
  /// Responsibility in prose (（省商务厅牵头，南昌海关配合）): each named group
  /// is the field of that name.
  std::vector<Rule> responsibility_prose;
  std::vector<Rule> responsibility_field_separator, responsibility_list_separator;
  std::vector<Rule> deadlines;
  std::vector<Rule> roster_line, roster_member;
  std::vector<Rule> table_row;
  std::vector<Rule> masthead, toc_section, toc_entry, colophon;
  // Reflow (what text extraction did, undone before lines are classified):
  // page numbers that are page furniture, and readings of extraction
  // confusions that have one reading in context.
  std::vector<Rule> page_number;
  std::vector<Rule> substitutions;
  /// reflow.known_names: names of a publication's organs and places that OCR
  /// is held to (a stretch one character away from one is read as it).
  std::vector<std::string> known_names;

  /// Every rule list with its section name, for checks that walk them all.
  std::vector<std::pair<std::string, const std::vector<Rule>*>> sections() const;
};

/// What each section's rules are for, as the C++ reads them: the named
/// groups it reads. A rule with a group its section does not read, or
/// without a required one, is refused when it loads (a misspelt group would
/// otherwise be silently empty). docs/rules.md lists them.
struct SectionContract {
  const char* section;
  std::vector<std::string> required;
  std::vector<std::string> optional;
};
const std::vector<SectionContract>& section_contracts();

/// Loads and merges rule files in order. Returns false and fills `err` (kind
/// Grammar, `file:line:col`) on a YAML error, a duplicate or unknown key, a
/// missing field, or a regex that does not compile.
bool load_grammar(const std::vector<std::string>& files, Grammar* out, Error* err);

/// The scoped overlays (indices into g.scoped) that apply to an issue whose
/// printed lines are `lines`: one of an overlay's masthead names stands in
/// one of the first 60 non-blank lines, or a line starts with one of its
/// issuer names (white space ignored, full-width forms folded).
std::vector<int> overlays_for(const Grammar& g, const std::vector<std::string>& lines);

/// `g` with the scoped overlays `which` loaded over it (their rules tried
/// first); `g` itself when `which` is empty. Made once per set and shared.
std::shared_ptr<const Grammar> with_overlays(const Grammar& g, const std::vector<int>& which);

/// A folder the default rule files may come from.
struct RuleFolder {
  std::string path;
  const char* from;  ///< "GAZETTE_GRAMMARS", "installed" or "source tree"
};

/// Where the default rule files are looked for, in order: the folder
/// GAZETTE_GRAMMARS names when it is set and not empty (then no other); else
/// share/gazette/grammars of the install the running binary belongs to
/// (found from /proc/self/exe, so a moved or copied install finds its own),
/// then the source tree's grammars/ (a binary run from its build tree).
std::vector<RuleFolder> rule_folders();

/// The rule files used when none are given: base.yaml of the first of
/// rule_folders() that holds one, then that folder's other *.yaml files (the
/// overlays) in name order. Empty when none holds a base.yaml.
std::vector<std::string> default_grammar_files();

/// A result of running an example: "" when it passed, else what went wrong.
struct ExampleFailure {
  std::string where;    ///< file:line of the example
  std::string rule_id;
  std::string message;
};

/// Runs every example of every rule. Returns the failures (empty = all passed)
/// and the number of examples run.
std::vector<ExampleFailure> check_examples(const Grammar& g, int* examples_run);

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

/// The most UTF-16 units a match of `regex` can span, read from its syntax
/// (a code point counts two units when it may lie outside the BMP); -1 when
/// a match can be any length or the syntax is not one this reading knows
/// (flags, back references, \X, \Q…\E).
long max_match_units(const std::string& regex);

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
