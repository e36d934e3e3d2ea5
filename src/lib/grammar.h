// Rule files: what the C++ must not hard-code. A grammar is one or more YAML
// files (base first, overlays after); rules of a later file are tried first.
// This is the loader: YAML in, checked rules out. A rule (rule.h) carries the
// prefilters derived from its pattern (prefilter.h); matcher.h searches with
// it, and rule_examples.h runs the examples rule files carry.
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
#include "matcher.h"
#include "rule.h"
#include "text.h"

namespace gazette {

/// Rule files larger than this are refused (the base rules are 30 KB).
constexpr std::size_t kMaxRuleFileBytes = std::size_t{4} << 20;

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

}  // namespace gazette
