#include "grammar.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <yaml-cpp/yaml.h>

#include "source.h"
#include "text.h"

namespace gazette {
namespace {

/// ICU regex steps (roughly milliseconds) one match may take before it is
/// stopped: a catastrophic pattern ends with an error instead of a hang.
constexpr int32_t kRegexTimeLimit = 2000;

struct LoadError {
  int line, column;
  std::string message;
};

[[noreturn]] void fail_at(const YAML::Node& n, std::string msg) {
  YAML::Mark m = n.Mark();
  throw LoadError{m.is_null() ? 0 : m.line + 1, m.is_null() ? 0 : m.column + 1, std::move(msg)};
}

/// Checks a mapping for duplicate keys (yaml-cpp accepts them silently) and
/// keys outside `allowed`.
void check_keys(const YAML::Node& map, const std::set<std::string>& allowed, const std::string& where) {
  if (!map.IsMap()) fail_at(map, where + " must be a mapping");
  std::set<std::string> seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    std::string k = it->first.as<std::string>();
    if (!seen.insert(k).second) fail_at(it->first, "duplicate key '" + k + "' in " + where);
    if (!allowed.empty() && !allowed.count(k)) {
      std::string list;
      for (auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      fail_at(it->first, "unknown key '" + k + "' in " + where + " (expected one of: " + list + ")");
    }
  }
}

std::string scalar(const YAML::Node& n, const std::string& what) {
  if (!n.IsScalar()) fail_at(n, what + " must be a string");
  return n.as<std::string>();
}

std::vector<std::string> named_groups(const std::string& regex) {
  std::vector<std::string> out;
  for (std::size_t p = regex.find("(?<"); p != std::string::npos; p = regex.find("(?<", p + 3)) {
    if (p > 0 && regex[p - 1] == '\\') continue;
    std::size_t q = p + 3;
    if (q < regex.size() && (regex[q] == '=' || regex[q] == '!')) continue;
    std::size_t e = regex.find('>', q);
    if (e == std::string::npos) continue;
    out.push_back(regex.substr(q, e - q));
  }
  return out;
}

/// One past the ']' that closes the character class opening at re[q] ('['),
/// nested classes and escapes included; re.size() when it is not closed.
std::size_t class_end(const std::string& re, std::size_t q) {
  int depth = 0;
  for (; q < re.size(); ++q) {
    if (re[q] == '\\') { ++q; continue; }
    if (re[q] == '[') ++depth;
    if (re[q] == ']' && --depth == 0) return q + 1;
  }
  return re.size();
}

std::shared_ptr<const icu::UnicodeSet> first_char_set_of_alternatives(const std::string& re);

namespace {
/// The most UTF-16 units one piece of a regex can match (max_match_units):
/// a sequence of atoms, alternatives at `|`, up to `)` or the end. -1 when
/// it is unbounded or not certain.
class LengthBound {
 public:
  explicit LengthBound(const std::string& re) : re_(re) {}
  /// The whole regex; `top_alternation` tells whether the top level has `|`.
  long whole(bool* top_alternation) {
    bool alt = false;
    long n = alternatives(&alt);
    if (q_ != re_.size()) return -1;  // an unbalanced ')'
    *top_alternation = alt;
    return n;
  }

 private:
  static constexpr long kUnbounded = -1;
  static constexpr long kCap = 1 << 20;  // beyond this, treat as unbounded

  long alternatives(bool* alternation) {
    long best = 0;
    while (true) {
      long n = sequence();
      if (n < 0) return kUnbounded;
      best = std::max(best, n);
      if (q_ < re_.size() && re_[q_] == '|') {
        *alternation = true;
        ++q_;
        continue;
      }
      return best;
    }
  }

  long sequence() {
    long total = 0;
    while (q_ < re_.size() && re_[q_] != '|' && re_[q_] != ')') {
      long a = atom();
      if (a < 0) return kUnbounded;
      long times = quantifier();
      if (times < 0) return kUnbounded;
      total += a * times;
      if (total > kCap) return kUnbounded;
    }
    return total;
  }

  /// The units of one atom at q_, which it steps over.
  long atom() {
    const char c = re_[q_];
    if (c == '^' || c == '$') { ++q_; return 0; }
    if (c == '.') { ++q_; return 2; }
    if (c == '[') {
      std::size_t e = class_end(re_, q_);
      if (e > re_.size() || re_[e - 1] != ']') return kUnbounded;
      q_ = e;
      return 2;
    }
    if (c == '(') return group();
    if (c == '\\') return escape();
    if (c == '*' || c == '+' || c == '?' || c == '{') return kUnbounded;  // a quantifier with nothing before it
    // A literal character: one code point, whatever its UTF-8 length.
    unsigned char b = static_cast<unsigned char>(c);
    std::size_t len = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
    q_ += len;
    return len == 4 ? 2 : 1;
  }

  long group() {
    ++q_;  // past '('
    bool zero_width = false;
    if (q_ < re_.size() && re_[q_] == '?') {
      auto at = [&](const char* s) { return re_.compare(q_, std::strlen(s), s) == 0; };
      if (at("?:") || at("?>")) {
        q_ += 2;
      } else if (at("?=") || at("?!")) {
        q_ += 2;
        zero_width = true;
      } else if (at("?<=") || at("?<!")) {
        q_ += 3;
        zero_width = true;
      } else if (at("?<")) {
        std::size_t e = re_.find('>', q_);
        if (e == std::string::npos) return kUnbounded;
        q_ = e + 1;
      } else {
        return kUnbounded;  // flags ((?i) (?x) …) and comments change what follows
      }
    }
    bool alt = false;
    long n = alternatives(&alt);
    if (n < 0 || q_ >= re_.size() || re_[q_] != ')') return kUnbounded;
    ++q_;
    return zero_width ? 0 : n;
  }

  long escape() {
    if (q_ + 1 >= re_.size()) return kUnbounded;
    const char x = re_[q_ + 1];
    q_ += 2;
    switch (x) {
      case 'b': case 'B': case 'A': case 'z': case 'Z': case 'G':
        return 0;
      case 'd': case 'D': case 's': case 'S': case 'w': case 'W': case 'h': case 'H': case 'v': case 'V':
      case 't': case 'n': case 'r': case 'f': case 'a': case 'e':
        return 2;
      case 'p': case 'P': case 'N': case 'x': {
        if (q_ < re_.size() && re_[q_] == '{') {
          std::size_t e = re_.find('}', q_);
          if (e == std::string::npos) return kUnbounded;
          q_ = e + 1;
        } else if (x == 'x') {
          q_ += 2;  // \xhh
        } else if (x != 'N') {
          ++q_;  // \pL
        }
        return 2;
      }
      case 'u':
        q_ += 4;
        return 2;
      case 'U':
        q_ += 8;
        return 2;
      default:
        break;
    }
    // An escaped punctuation character stands for itself; anything else
    // (back references, \X, \R, \Q…\E, octal) is not counted.
    if (std::ispunct(static_cast<unsigned char>(x))) return 1;
    return kUnbounded;
  }

  /// How many times the atom before may repeat at most: 1 without a
  /// quantifier, -1 when unbounded. Steps over a lazy or possessive mark.
  long quantifier() {
    if (q_ >= re_.size()) return 1;
    long times = 1;
    const char c = re_[q_];
    if (c == '?') {
      ++q_;
    } else if (c == '*' || c == '+') {
      return kUnbounded;
    } else if (c == '{') {
      std::size_t e = re_.find('}', q_);
      if (e == std::string::npos) return kUnbounded;
      std::string body = re_.substr(q_ + 1, e - q_ - 1);
      std::size_t comma = body.find(',');
      std::string most = comma == std::string::npos ? body : body.substr(comma + 1);
      if (most.empty() || most.size() > 6 || most.find_first_not_of("0123456789") != std::string::npos)
        return kUnbounded;
      times = std::stol(most);
      q_ = e + 1;
    } else {
      return 1;
    }
    if (q_ < re_.size() && (re_[q_] == '?' || re_[q_] == '+')) ++q_;
    return times;
  }

  const std::string& re_;
  std::size_t q_ = 0;
};
}  // namespace

/// For a regex anchored at the end ($ closing its one top-level sequence) with
/// a bounded match: how many units before the end a match can start. 0 when
/// unknown. ICU's $ also matches before a line terminator that ends the
/// input: two more units cover \r\n.
int32_t tail_units(const std::string& regex) {
  if (regex.size() < 2 || regex.back() != '$') return 0;
  std::size_t slashes = 0;
  for (std::size_t q = regex.size() - 1; q > 0 && regex[q - 1] == '\\'; --q) ++slashes;
  if (slashes % 2 == 1) return 0;  // an escaped \$
  bool alternation = false;
  long n = LengthBound(regex).whole(&alternation);
  if (n < 0 || alternation || n > 4096) return 0;
  return static_cast<int32_t>(n) + 2;
}

/// The character every match of `regex` ends with: its last atom, when that
/// is one non-ASCII BMP character at the top level (…(?<seq>\d{1,5})\s?号),
/// or 0. A search then stops at the last place the character stands.
char16_t closing_unit(const std::string& regex) {
  if (regex.empty() || static_cast<unsigned char>(regex.back()) < 0x80) return 0;
  std::size_t p = regex.size() - 1;
  while (p > 0 && (static_cast<unsigned char>(regex[p]) & 0xC0) == 0x80) --p;
  if (p > 0 && regex[p - 1] == '\\') return 0;
  int depth = 0;
  for (std::size_t q = 0; q < p; ++q) {
    const char c = regex[q];
    if (c == '\\') { ++q; continue; }
    if (c == '[') { q = class_end(regex, q) - 1; continue; }
    if (c == '(') {
      // Inline flags or a comment ((?x) (?i) (?#…)) can change what the
      // last character means.
      if (q + 1 < p && regex[q + 1] == '?' && q + 2 < p && std::string(":<=!>").find(regex[q + 2]) == std::string::npos)
        return 0;
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (c == '|' && depth == 0) {
      return 0;  // another alternative ends otherwise
    }
  }
  icu::UnicodeString last = to_ustring(regex.substr(p));
  if (last.length() != 1 || U16_IS_SURROGATE(last.charAt(0)) || last.charAt(0) == 0xFFFD) return 0;
  return last.charAt(0);
}

/// The set a UnicodeSet pattern ([〔(] …) denotes, frozen for fast lookups;
/// nullptr when the pattern is not valid or the set is empty.
std::shared_ptr<const icu::UnicodeSet> frozen_set(const std::string& set_pattern) {
  UErrorCode st = U_ZERO_ERROR;
  auto set = std::make_shared<icu::UnicodeSet>(to_ustring(set_pattern), st);
  if (U_FAILURE(st) || set->isEmpty()) return nullptr;
  set->freeze();
  return set;
}

/// The set of characters a match of `regex` can start with, when the regex is
/// anchored with ^ and its first atom is certain: a literal, an escaped
/// literal, \d, \p{…} or a [class], not optional and not under an
/// alternation. Returns nullptr whenever that is not sure.
std::shared_ptr<const icu::UnicodeSet> first_char_set(const std::string& re) {
  if (auto alt = first_char_set_of_alternatives(re)) return alt;
  if (re.size() < 2 || re[0] != '^') return nullptr;
  std::size_t p = 1;
  int groups = 0;
  std::vector<std::size_t> opened;
  while (p < re.size() && re[p] == '(') {
    opened.push_back(p);
    if (re.compare(p, 3, "(?:") == 0) p += 3;
    else if (re.compare(p, 3, "(?<") == 0 && p + 3 < re.size() && re[p + 3] != '=' && re[p + 3] != '!') {
      std::size_t e = re.find('>', p);
      if (e == std::string::npos) return nullptr;
      p = e + 1;
    } else if (re.compare(p, 2, "(?") == 0) return nullptr;
    else p += 1;
    ++groups;
  }
  if (p >= re.size()) return nullptr;
  std::string set_pattern;
  std::size_t atom_end = p;
  if (re[p] == '[') {
    std::size_t q = class_end(re, p);
    if (q >= re.size() && re.back() != ']') return nullptr;
    set_pattern = re.substr(p, q - p);
    atom_end = q;
  } else if (re[p] == '\\' && p + 1 < re.size()) {
    char e = re[p + 1];
    if (e == 'd') { set_pattern = "[0-9]"; atom_end = p + 2; }
    else if (e == 'p') {
      std::size_t q = re.find('}', p);
      if (q == std::string::npos) return nullptr;
      set_pattern = "[" + re.substr(p, q + 1 - p) + "]";
      atom_end = q + 1;
    } else if (std::string("()[]{}.*+?^$|\\/-").find(e) != std::string::npos) {
      set_pattern = std::string("[\\") + e + "]";
      atom_end = p + 2;
    } else return nullptr;
  } else if (std::string(".()|?*+{").find(re[p]) != std::string::npos) {
    return nullptr;
  } else {
    // One literal code point.
    std::size_t q = p + 1;
    while (q < re.size() && (static_cast<unsigned char>(re[q]) & 0xC0) == 0x80) ++q;
    set_pattern = "[" + re.substr(p, q - p) + "]";
    atom_end = q;
  }
  auto optional_at = [&](std::size_t q) {
    return q < re.size() && (re[q] == '?' || re[q] == '*' || re.compare(q, 2, "{0") == 0);
  };
  if (optional_at(atom_end)) return nullptr;
  // A group around the atom that may be skipped ((?:- )?) makes it uncertain.
  for (std::size_t open : opened) {
    int d = 0;
    for (std::size_t q = open; q < re.size(); ++q) {
      if (re[q] == '\\') { ++q; continue; }
      if (re[q] == '[') { q = class_end(re, q) - 1; continue; }
      if (re[q] == '(') ++d;
      if (re[q] == ')' && --d == 0) {
        if (optional_at(q + 1)) return nullptr;
        break;
      }
    }
  }
  // An alternation inside the groups opened before the atom (or at the top)
  // offers other first characters.
  int depth = 0;
  for (std::size_t q = 1; q < re.size(); ++q) {
    char c = re[q];
    if (c == '\\') { ++q; continue; }
    if (c == '[') { q = class_end(re, q) - 1; continue; }
    if (c == '(') ++depth;
    else if (c == ')') --depth;
    else if (c == '|' && depth <= groups) return nullptr;
  }
  return frozen_set(set_pattern);
}

/// The set of characters a match of `regex` can end with, when the regex is
/// anchored with $ and its last atom is certain (not optional, and no
/// alternation in a group around it). Returns nullptr whenever that is not sure.
std::shared_ptr<const icu::UnicodeSet> last_char_set(const std::string& re) {
  if (re.size() < 3 || re.back() != '$' || re[re.size() - 2] == '\\') return nullptr;
  std::size_t e = re.size() - 1;  // at '$'
  // Views are trimmed: optional white space before $ never matches anything.
  while (e >= 3 && (re.compare(e - 3, 3, "\\s?") == 0 || re.compare(e - 3, 3, "\\s*") == 0)) e -= 3;
  while (e > 0 && re[e - 1] == ')' && !(e >= 2 && re[e - 2] == '\\')) --e;  // group closers
  if (e == 0) return nullptr;
  // An alternation at the top level, or in a group still open where the last
  // atom stands, offers other last characters.
  // A lookaround group still open there is no atom to trust either.
  struct Open { bool alternation, lookaround; };
  std::vector<Open> open = {{false, false}};  // the top level first
  for (std::size_t q = 0; q < e; ++q) {
    char c = re[q];
    if (c == '\\') { ++q; continue; }
    if (c == '[') { q = class_end(re, q) - 1; continue; }
    if (c == '(') {
      bool look = re.compare(q, 3, "(?=") == 0 || re.compare(q, 3, "(?!") == 0 || re.compare(q, 4, "(?<=") == 0 ||
                  re.compare(q, 4, "(?<!") == 0;
      open.push_back({false, look});
    } else if (c == ')' && open.size() > 1) {
      open.pop_back();
    } else if (c == '|') {
      open.back().alternation = true;
    }
  }
  for (const Open& o : open)
    if (o.alternation || o.lookaround) return nullptr;
  char before = re[e - 1];
  if (before == '?' || before == '*' || before == '+' || before == '}') return nullptr;  // keep it simple
  std::string set_pattern;
  if (before == ']') {
    // Find the class start: the last '[' not escaped, with no nesting.
    std::size_t q = e - 1;
    while (q > 0 && !(re[q] == '[' && re[q - 1] != '\\')) --q;
    if (re[q] != '[') return nullptr;
    set_pattern = re.substr(q, e - q);
    if (set_pattern.find('[', 1) != std::string::npos) return nullptr;
    if (q > 0 && re[q - 1] == '\\') return nullptr;
  } else if (e >= 2 && re[e - 2] == '\\') {
    char x = re[e - 1];
    if (std::string("()[]{}.*+?^$|\\/-").find(x) == std::string::npos) return nullptr;
    set_pattern = std::string("[\\") + x + "]";
  } else {
    std::size_t q = e - 1;
    while (q > 0 && (static_cast<unsigned char>(re[q]) & 0xC0) == 0x80) --q;
    std::string lit = re.substr(q, e - q);
    if (lit.size() == 1 && std::string(".()|?*+{}^$").find(lit[0]) != std::string::npos) return nullptr;
    set_pattern = "[" + lit + "]";
  }
  return frozen_set(set_pattern);
}

/// For ^(?<name>A|B|C)… or ^(?:A|B|C)… where every alternative starts with a
/// literal Han or ASCII character that is not optional (责任领导|牵头单位|…):
/// the set of those characters. nullptr when the regex is not of that shape.
std::shared_ptr<const icu::UnicodeSet> first_char_set_of_alternatives(const std::string& re) {
  std::size_t p;
  if (re.compare(0, 4, "^(?:") == 0) p = 4;
  else if (re.compare(0, 4, "^(?<") == 0 && re.size() > 4 && re[4] != '=' && re[4] != '!') {
    std::size_t e = re.find('>', 4);
    if (e == std::string::npos) return nullptr;
    p = e + 1;
  } else return nullptr;
  // The group's extent and its top-level alternatives.
  std::vector<std::size_t> starts = {p};
  int depth = 1;
  std::size_t q = p;
  bool any_bar = false;
  for (; q < re.size() && depth > 0; ++q) {
    char c = re[q];
    if (c == '\\') { ++q; continue; }
    if (c == '[') { q = class_end(re, q) - 1; continue; }
    if (c == '(') ++depth;
    else if (c == ')') --depth;
    else if (c == '|' && depth == 1) { starts.push_back(q + 1); any_bar = true; }
  }
  if (!any_bar || depth != 0) return nullptr;
  if (q < re.size() && (re[q] == '?' || re[q] == '*' || re.compare(q, 2, "{0") == 0)) return nullptr;  // the group may be skipped
  std::string set_pattern = "[";
  for (std::size_t s : starts) {
    unsigned char c = static_cast<unsigned char>(re[s]);
    if (c < 0x80 && !std::isalnum(c)) return nullptr;  // only a plain literal will do
    std::size_t e = s + 1;
    while (e < re.size() && (static_cast<unsigned char>(re[e]) & 0xC0) == 0x80) ++e;
    if (e < re.size() && (re[e] == '?' || re[e] == '*' || re.compare(e, 2, "{0") == 0)) return nullptr;
    set_pattern += re.substr(s, e - s);
  }
  set_pattern += "]";
  return frozen_set(set_pattern);
}

/// The text a regex matches when it is a plain literal (\*\*, \t, 签发人),
/// or "" when it has any operator. Such a rule needs its literal: a line
/// without it is skipped by a unit scan instead of a regex search.
std::string literal_of(const std::string& re) {
  std::string lit;
  for (std::size_t q = 0; q < re.size(); ++q) {
    char c = re[q];
    if (c == '\\') {
      if (q + 1 >= re.size()) return "";
      char x = re[++q];
      if (x == 't') lit += '\t';
      else if (std::ispunct(static_cast<unsigned char>(x))) lit += x;
      else return "";  // \d, \s, \p{…}, \b …
      continue;
    }
    if (std::string(".^$|()[]{}*+?").find(c) != std::string::npos) return "";
    lit += c;
  }
  return lit;
}

/// The characters of a regex that is one class of plain BMP characters
/// ([、;], [;。,]), or "" when it is anything else: a range, an escape, a
/// negation, a set operation or a property makes it more than a list (and
/// a few characters that are plain in a class are refused to stay sure).
std::u16string single_units_class(const std::string& re) {
  if (re.size() < 3 || re.front() != '[' || re.back() != ']') return u"";
  const std::string inner = re.substr(1, re.size() - 2);
  if (inner.find_first_of("\\[]^-&:{}$ ") != std::string::npos) return u"";
  icu::UnicodeString units = to_ustring(inner);
  std::u16string out;
  for (int32_t k = 0; k < units.length(); ++k) {
    const char16_t u = units.charAt(k);
    if (U16_IS_SURROGATE(u) || u == 0xFFFD) return u"";
    out += u;
  }
  return out;
}

/// The filter of `set`; all bits (nothing ruled out) when there is no set.
CharFilter filter_of(const icu::UnicodeSet* set) {
  if (!set) return CharFilter{};
  CharFilter f = CharFilter::none();
  for (int32_t k = 0; k < set->getRangeCount(); ++k) {
    UChar32 a = set->getRangeStart(k), b = set->getRangeEnd(k);
    if (b - a >= 511) return CharFilter{};  // holds a whole block of 256: every bit
    for (UChar32 c = a; c <= b; ++c) f.add(c);
  }
  return f;
}

void compile(Rule* r, const YAML::Node& where) {
  UParseError pe;
  UErrorCode st = U_ZERO_ERROR;
  std::unique_ptr<icu::RegexPattern> p(icu::RegexPattern::compile(to_ustring(r->regex), 0, pe, st));
  if (U_FAILURE(st)) {
    YAML::Mark m = where.Mark();
    throw LoadError{m.line + 1, m.column + 1 + std::max(0, pe.offset),
                    "rule '" + r->id + "': regex does not compile (" + u_errorName(st) + " at offset " +
                        std::to_string(pe.offset) + ")"};
  }
  for (const auto& name : named_groups(r->regex)) {
    UErrorCode s2 = U_ZERO_ERROR;
    int32_t n = p->groupNumberFromName(to_ustring(name), s2);
    if (U_SUCCESS(s2)) r->groups[name] = n;
  }
  r->pattern = std::shared_ptr<const icu::RegexPattern>(p.release());
  r->first_chars = first_char_set(r->regex);
  r->last_chars = last_char_set(r->regex);
  r->first_filter = filter_of(r->first_chars.get());
  r->last_filter = filter_of(r->last_chars.get());
  const std::string literal = literal_of(r->regex);
  if (r->needs.isEmpty()) r->needs = make_match_view(literal).view;
  r->tail = tail_units(r->regex);
  r->closing = closing_unit(r->regex);
  r->scan_literal = to_ustring(literal);
  r->scan_set = single_units_class(r->regex);
}

}  // namespace

const std::vector<SectionContract>& section_contracts() {
  static const std::vector<SectionContract> k = {
      {"artifacts", {}, {}},
      {"docnum", {"seq"}, {"agency", "open", "year", "close", "di"}},
      {"header.issuer", {"issuer"}, {}},
      {"header.title_start", {"title"}, {"issuer"}},
      {"header.title_end", {}, {}},
      {"header.signer", {"signer"}, {}},
      {"header.addressee", {}, {"addressees"}},
      {"header.date", {"y", "m", "d"}, {}},
      {"header.public_note", {}, {"note"}},
      {"header.attachment_note", {}, {"rest"}},
      {"header.attachment_label", {"label"}, {"number", "title"}},
      {"header.closing", {}, {}},
      {"header.download", {"file"}, {"title", "number"}},
      {"markers", {"num"}, {"marker", "rest"}},
      {"glued_markers", {"marker", "num"}, {}},
      {"responsibility.line", {"label", "value"}, {}},
      {"responsibility.paren", {"body"}, {}},
      {"responsibility.prose", {}, {"leaders", "lead", "units", "partners", "deadline"}},
      {"responsibility.field_separator", {}, {}},
      {"responsibility.list_separator", {}, {}},
      {"deadlines.dated", {}, {"y", "m", "d"}},
      {"roster.line", {"role"}, {"rest"}},
      {"roster.member", {"name", "title"}, {}},
      {"table_row", {}, {}},
      {"masthead", {}, {"publication", "year", "number", "cumulative"}},
      {"toc.section", {"section"}, {}},
      {"toc.entry", {"title"}, {"page"}},
      {"colophon", {}, {}},
      {"reflow.page_number", {"page"}, {"head"}},
      {"reflow.substitutions", {}, {"wrong"}},
  };
  return k;
}

namespace {

std::string join_names(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "none" : out;
}

/// Checks a compiled rule's named groups against its section's contract.
void check_contract(const Rule& r, const std::string& section, bool check_required = true) {
  for (const auto& c : section_contracts()) {
    if (section != c.section) continue;
    std::vector<std::string> reads = c.required;
    reads.insert(reads.end(), c.optional.begin(), c.optional.end());
    for (const auto& [name, number] : r.groups) {
      (void)number;
      if (std::find(reads.begin(), reads.end(), name) == reads.end())
        throw LoadError{r.line, r.column, "rule '" + r.id + "' has a group '" + name + "' that " + section +
                                              " rules do not read (they read: " + join_names(reads) + ")"};
    }
    for (const auto& name : c.required)
      if (check_required && !r.groups.count(name))
        throw LoadError{r.line, r.column, "rule '" + r.id + "' has no group '" + name + "', which " + section +
                                              " rules need (they read: " + join_names(reads) + ")"};
    if (section == "responsibility.prose" && r.groups.empty())
      throw LoadError{r.line, r.column, "rule '" + r.id + "' names no field: a responsibility.prose rule " +
                                            "captures at least one of " + join_names(reads)};
    return;
  }
}

Rule parse_rule(const YAML::Node& n, const std::string& file, const std::string& section, int index,
                const std::set<std::string>& extra_keys) {
  std::set<std::string> allowed = {"id", "regex", "examples", "needs"};
  allowed.insert(extra_keys.begin(), extra_keys.end());
  check_keys(n, allowed, section + " rule");
  Rule r;
  r.file = file;
  r.id = n["id"] ? scalar(n["id"], "id") : section + "." + std::to_string(index + 1);
  if (!n["regex"]) fail_at(n, "rule '" + r.id + "' in " + section + " has no regex");
  r.regex = scalar(n["regex"], "regex");
  r.line = n["regex"].Mark().line + 1;
  r.column = n["regex"].Mark().column + 1;
  if (n["level"]) {
    try { r.level = n["level"].as<int>(); } catch (const YAML::Exception&) { fail_at(n["level"], "level must be a whole number"); }
    if (r.level < 1 || r.level > 9) fail_at(n["level"], "level must be 1 to 9");
  }
  if (n["rank"]) {
    try { r.rank = n["rank"].as<int>(); } catch (const YAML::Exception&) { fail_at(n["rank"], "rank must be a whole number"); }
  }
  if (r.rank == 0) r.rank = r.level * 10;
  if (n["numeral"]) {
    r.numeral = scalar(n["numeral"], "numeral");
    if (r.numeral != "arabic" && r.numeral != "chinese" && r.numeral != "circled")
      fail_at(n["numeral"], "numeral must be arabic, chinese or circled");
  }
  if (n["standard"]) {
    try { r.standard = n["standard"].as<bool>(); } catch (const YAML::Exception&) { fail_at(n["standard"], "standard must be true or false"); }
  }
  if (n["date"]) r.date_template = scalar(n["date"], "date");
  if (n["form"]) {
    r.form = scalar(n["form"], "form");
    if (r.form != "standard" && r.form != "order" && r.form != "announcement" && r.form != "other")
      fail_at(n["form"], "form must be standard, order, announcement or other, not '" + r.form + "'");
  }
  if (extra_keys.count("form") && r.form.empty())
    fail_at(n, "文号 rule '" + r.id + "' has no form (standard: the GB/T 9704 form validate checks; order, "
               "announcement or other: forms it does not)");
  if (n["why"]) r.why = scalar(n["why"], "why");
  if (n["scope"]) {
    const std::string scope = scalar(n["scope"], "scope");
    if (scope != "any" && scope != "ocr") fail_at(n["scope"], "scope must be 'any' or 'ocr', not '" + scope + "'");
    r.ocr_only = scope == "ocr";
  }
  if (const auto& rep = n["replace"]) {
    if (rep.IsMap()) {
      for (auto it = rep.begin(); it != rep.end(); ++it) {
        r.replace_map.emplace_back(scalar(it->first, "replace key"), scalar(it->second, "replace value"));
        const icu::UnicodeString folded = make_match_view(r.replace_map.back().first).view;
        if (folded.isEmpty()) fail_at(it->first, "a replace key must not be empty");
        r.replace_filter.add(folded.charAt(0));
      }
      if (r.replace_map.empty()) fail_at(rep, "replace must not be empty");
    } else {
      r.replace = scalar(rep, "replace");
    }
  }
  if (extra_keys.count("replace") && !n["replace"]) fail_at(n, "substitution rule '" + r.id + "' has no replace");
  if (n["needs"] && n["needs"].IsSequence()) {
    // One of several literals: a line with none of them is not searched.
    for (const auto& lit : n["needs"]) {
      r.needs_any.push_back(make_match_view(scalar(lit, "needs")).view);
      if (r.needs_any.back().isEmpty()) fail_at(lit, "needs must list non-empty literals");
    }
    if (r.needs_any.empty()) fail_at(n["needs"], "needs must not be an empty list");
  } else if (n["needs"]) {
    r.needs = make_match_view(scalar(n["needs"], "needs")).view;
    if (r.needs.isEmpty()) fail_at(n["needs"], "needs must be a non-empty literal");
  }
  if (extra_keys.count("level") && !n["level"]) fail_at(n, "marker rule '" + r.id + "' has no level");
  if (extra_keys.count("numeral") && r.numeral.empty()) fail_at(n, section + " rule '" + r.id + "' has no numeral");
  if (extra_keys.count("date") && r.date_template.empty()) fail_at(n, "deadline rule '" + r.id + "' has no date template");
  compile(&r, n["regex"]);
  check_contract(r, section);
  if (n["previous"]) {
    // The line above, which the rule's match also needs; its groups are read
    // from that line (an order's heading 江西省人民政府令 above 第256号).
    auto p = std::make_shared<Rule>();
    p->file = file;
    p->id = r.id + " (previous)";
    p->regex = scalar(n["previous"], "previous");
    p->line = n["previous"].Mark().line + 1;
    p->column = n["previous"].Mark().column + 1;
    compile(p.get(), n["previous"]);
    check_contract(*p, section, false);
    for (const auto& [name, number] : p->groups) {
      (void)number;
      if (r.groups.count(name))
        throw LoadError{p->line, p->column, "rule '" + r.id + "' captures '" + name + "' in both previous and regex"};
    }
    r.previous = std::move(p);
  }
  // A deadline's date template names the rule's groups, or {year} (the notice's).
  for (std::size_t at = r.date_template.find('{'); at != std::string::npos; at = r.date_template.find('{', at + 1)) {
    std::size_t close = r.date_template.find('}', at);
    if (close == std::string::npos) fail_at(n["date"], "date template '" + r.date_template + "' has an unclosed {");
    std::string name = r.date_template.substr(at + 1, close - at - 1);
    if (name != "year" && !r.groups.count(name))
      fail_at(n["date"], "date template names {" + name + "}, which rule '" + r.id + "' does not capture");
  }
  if (n["examples"]) {
    const YAML::Node& ex = n["examples"];
    if (!ex.IsSequence()) fail_at(ex, "examples must be a list");
    for (const auto& e : ex) {
      check_keys(e, {"line", "expect", "match"}, "example");
      RuleExample x;
      x.file_line = e.Mark().line + 1;
      if (!e["line"]) fail_at(e, "example has no line");
      x.line = scalar(e["line"], "line");
      if (e["match"]) {
        try { x.match = e["match"].as<bool>(); } catch (const YAML::Exception&) { fail_at(e["match"], "match must be true or false"); }
      }
      if (e["expect"]) {
        check_keys(e["expect"], {}, "expect");
        for (auto it = e["expect"].begin(); it != e["expect"].end(); ++it) {
          std::string g = it->first.as<std::string>();
          if (g != "rest" && !r.groups.count(g) && !(r.previous && r.previous->groups.count(g)))
            fail_at(it->first, "example expects group '" + g + "' that rule '" + r.id + "' does not have");
          x.expect.emplace_back(g, it->second.IsNull() ? std::string() : scalar(it->second, "expected value"));
        }
      }
      r.examples.push_back(std::move(x));
    }
  }
  return r;
}

/// Parses a list of rules; the result goes before what `into` already holds,
/// so that a later file's rules are tried first.
void parse_rules(const YAML::Node& n, const std::string& file, const std::string& section,
                 std::vector<Rule>* into, const std::set<std::string>& extra = {}) {
  if (!n) return;
  if (!n.IsSequence()) fail_at(n, section + " must be a list of rules");
  std::vector<Rule> rules;
  int i = 0;
  for (const auto& r : n) rules.push_back(parse_rule(r, file, section, i++, extra));
  into->insert(into->begin(), std::make_move_iterator(rules.begin()), std::make_move_iterator(rules.end()));
}

void parse_single_regex(const YAML::Node& n, const std::string& file, const std::string& id, std::vector<Rule>* into) {
  if (!n) return;
  if (n.IsSequence()) {
    // Several, in order of preference (list separators: the first that
    // occurs in a list splits it).
    std::vector<Rule> rules;
    int k = 0;
    for (const auto& e : n) {
      std::vector<Rule> one;
      parse_single_regex(e, file, id + "." + std::to_string(++k), &one);
      rules.push_back(std::move(one.front()));
    }
    if (rules.empty()) fail_at(n, id + " must not be an empty list");
    *into = std::move(rules);
    return;
  }
  Rule r;
  r.file = file;
  r.id = id;
  r.regex = scalar(n, id);
  r.line = n.Mark().line + 1;
  r.column = n.Mark().column + 1;
  compile(&r, n);
  into->clear();
  into->push_back(std::move(r));
}

/// Reads `applies_to: {masthead: [...], issuer: [...]}`.
OverlayScope read_scope(const YAML::Node& n) {
  if (!n.IsMap()) fail_at(n, "applies_to must be a mapping of masthead and issuer names");
  check_keys(n, {"masthead", "issuer"}, "applies_to");
  OverlayScope s;
  auto names = [&](const char* key, std::vector<std::string>* into) {
    const YAML::Node& l = n[key];
    if (!l) return;
    if (!l.IsSequence()) fail_at(l, std::string("applies_to.") + key + " must be a list of names");
    for (const auto& e : l) {
      std::string v = remove_spaces(to_utf8(make_match_view(scalar(e, "name")).view));
      if (utf8_length(v) < 2) fail_at(e, "a name in applies_to needs two characters or more");
      into->push_back(std::move(v));
    }
  };
  names("masthead", &s.masthead);
  names("issuer", &s.issuer);
  if (s.masthead.empty() && s.issuer.empty()) fail_at(n, "applies_to names no masthead and no issuer");
  return s;
}

void load_one(const std::string& file, const YAML::Node& doc, Grammar* g) {
  if (!doc.IsMap()) fail_at(doc, "a rule file must be a mapping");
  check_keys(doc, {"grammar", "version", "applies_to", "artifacts", "docnum", "agency_prefix_stop", "header", "markers",
                   "glued_markers", "responsibility", "deadlines", "roster", "table_row", "masthead", "toc",
                   "colophon", "reflow"},
             "the rule file");
  if (doc["version"]) {
    int v = 0;
    try { v = doc["version"].as<int>(); } catch (const YAML::Exception&) { fail_at(doc["version"], "version must be 1"); }
    if (v != 1) fail_at(doc["version"], "unsupported rule file version " + std::to_string(v) + " (this gazette reads 1)");
  }
  parse_rules(doc["artifacts"], file, "artifacts", &g->artifacts);
  parse_rules(doc["docnum"], file, "docnum", &g->docnum, {"form", "previous"});
  if (const auto& s = doc["agency_prefix_stop"]) {
    if (!s.IsSequence()) fail_at(s, "agency_prefix_stop must be a list");
    for (const auto& w : s) g->agency_prefix_stop.push_back(scalar(w, "agency_prefix_stop entry"));
  }
  if (const auto& h = doc["header"]) {
    check_keys(h, {"issuer", "title_start", "title_end", "signer", "addressee", "date", "public_note",
                   "attachment_note", "attachment_label", "closing", "download"}, "header");
    parse_rules(h["download"], file, "header.download", &g->download);
    parse_rules(h["closing"], file, "header.closing", &g->closing);
    parse_rules(h["issuer"], file, "header.issuer", &g->issuer);
    parse_rules(h["title_start"], file, "header.title_start", &g->title_start);
    parse_rules(h["title_end"], file, "header.title_end", &g->title_end);
    parse_rules(h["signer"], file, "header.signer", &g->signer);
    parse_rules(h["addressee"], file, "header.addressee", &g->addressee);
    parse_rules(h["date"], file, "header.date", &g->date, {"numeral"});
    parse_rules(h["public_note"], file, "header.public_note", &g->public_note);
    parse_rules(h["attachment_note"], file, "header.attachment_note", &g->attachment_note);
    parse_rules(h["attachment_label"], file, "header.attachment_label", &g->attachment_label);
  }
  parse_rules(doc["markers"], file, "markers", &g->markers, {"level", "rank", "numeral", "standard"});
  parse_rules(doc["glued_markers"], file, "glued_markers", &g->glued_markers, {"level", "rank", "numeral", "standard"});
  if (const auto& r = doc["responsibility"]) {
    check_keys(r, {"labels", "line", "paren", "prose", "field_separator", "list_separator"}, "responsibility");
    if (const auto& l = r["labels"]) {
      check_keys(l, {}, "responsibility.labels");
      static const std::set<std::string> fields = {"leaders", "lead_units", "units", "partner_units", "deadline"};
      for (auto it = l.begin(); it != l.end(); ++it) {
        std::string label = it->first.as<std::string>(), field = scalar(it->second, "field");
        if (!fields.count(field))
          fail_at(it->second, "unknown responsibility field '" + field + "' (expected leaders, lead_units, units, partner_units or deadline)");
        auto& v = g->responsibility_labels;
        v.erase(std::remove_if(v.begin(), v.end(), [&](auto& p) { return p.first == label; }), v.end());
        v.emplace_back(label, field);
      }
    }
    parse_rules(r["line"], file, "responsibility.line", &g->responsibility_line);
    parse_rules(r["paren"], file, "responsibility.paren", &g->responsibility_paren);
    parse_rules(r["prose"], file, "responsibility.prose", &g->responsibility_prose);
    parse_single_regex(r["field_separator"], file, "responsibility.field_separator", &g->responsibility_field_separator);
    parse_single_regex(r["list_separator"], file, "responsibility.list_separator", &g->responsibility_list_separator);
  }
  if (const auto& d = doc["deadlines"]) {
    check_keys(d, {"dated"}, "deadlines");
    parse_rules(d["dated"], file, "deadlines.dated", &g->deadlines, {"date"});
  }
  if (const auto& r = doc["roster"]) {
    check_keys(r, {"line", "member"}, "roster");
    parse_rules(r["line"], file, "roster.line", &g->roster_line);
    parse_rules(r["member"], file, "roster.member", &g->roster_member);
  }
  parse_rules(doc["table_row"], file, "table_row", &g->table_row);
  parse_rules(doc["masthead"], file, "masthead", &g->masthead);
  if (const auto& t = doc["toc"]) {
    check_keys(t, {"section", "entry"}, "toc");
    parse_rules(t["section"], file, "toc.section", &g->toc_section);
    parse_rules(t["entry"], file, "toc.entry", &g->toc_entry);
  }
  parse_rules(doc["colophon"], file, "colophon", &g->colophon);
  if (const auto& r = doc["reflow"]) {
    check_keys(r, {"page_number", "substitutions", "known_names"}, "reflow");
    if (const auto& k = r["known_names"]) {
      if (!k.IsSequence()) fail_at(k, "reflow.known_names must be a list of names");
      for (const auto& n : k) {
        std::string name = scalar(n, "known name");
        if (utf8_length(name) < 3) fail_at(n, "a known name needs three characters or more: '" + name + "'");
        g->known_names.push_back(std::move(name));
      }
    }
    parse_rules(r["page_number"], file, "reflow.page_number", &g->page_number);
    for (const auto& rule : g->page_number)
      if (rule.file == file && rule.group("page") < 0)
        throw LoadError{rule.line, rule.column, "page_number rule '" + rule.id + "' has no named group 'page'"};
    parse_rules(r["substitutions"], file, "reflow.substitutions", &g->substitutions, {"replace", "why", "scope"});
  }
}

}  // namespace

std::vector<std::pair<std::string, const std::vector<Rule>*>> Grammar::sections() const {
  return {{"artifacts", &artifacts}, {"docnum", &docnum}, {"header.issuer", &issuer},
          {"header.title_start", &title_start}, {"header.title_end", &title_end}, {"header.signer", &signer},
          {"header.addressee", &addressee}, {"header.date", &date}, {"header.public_note", &public_note},
          {"header.attachment_note", &attachment_note}, {"header.attachment_label", &attachment_label},
          {"header.closing", &closing}, {"header.download", &download},
          {"markers", &markers}, {"glued_markers", &glued_markers},
          {"responsibility.line", &responsibility_line}, {"responsibility.paren", &responsibility_paren},
          {"responsibility.prose", &responsibility_prose},
          {"responsibility.field_separator", &responsibility_field_separator},
          {"responsibility.list_separator", &responsibility_list_separator},
          {"deadlines.dated", &deadlines}, {"roster.line", &roster_line}, {"roster.member", &roster_member},
          {"table_row", &table_row}, {"masthead", &masthead}, {"toc.section", &toc_section},
          {"toc.entry", &toc_entry}, {"colophon", &colophon}, {"reflow.page_number", &page_number},
          {"reflow.substitutions", &substitutions}};
}

bool load_grammar(const std::vector<std::string>& files, Grammar* out, Error* err) {
  Grammar g;
  for (const auto& file : files) {
    std::string text, why;
    if (std::filesystem::is_directory(file)) {
      *err = Error{ErrorKind::Grammar, file, 0, 0, -1, "cannot read rule file: it is a folder"};
      return false;
    }
    if (!read_file_bounded(file, kMaxRuleFileBytes, &text, &why)) {
      const std::string prefix = "cannot read: ";
      *err = Error{ErrorKind::Grammar, file, 0, 0, -1,
                   why.rfind(prefix, 0) == 0 ? "cannot read rule file: " + why.substr(prefix.size())
                                             : "rule file " + why};
      return false;
    }
    if (nesting_depth(text, true) > kMaxNesting) {
      *err = Error{ErrorKind::Grammar, file, 0, 0, -1,
                   "the rule file nests more than " + std::to_string(kMaxNesting) + " levels deep"};
      return false;
    }
    try {
      YAML::Node doc = YAML::Load(text);
      if (doc.IsNull()) throw LoadError{1, 1, "the rule file is empty"};
      std::string name = std::filesystem::path(file).stem().string();
      if (doc.IsMap() && doc["grammar"]) name = scalar(doc["grammar"], "grammar");
      if (doc.IsMap() && doc["applies_to"]) {
        // Checked whole now (into a scratch copy), applied per issue later.
        OverlayScope scope = read_scope(doc["applies_to"]);
        Grammar scratch = g;
        load_one(file, doc, &scratch);
        scope.name = name;
        scope.file = file;
        scope.text = std::move(text);
        g.scoped.push_back(std::move(scope));
        g.files.push_back(file);
        continue;
      }
      load_one(file, doc, &g);
      g.names.push_back(name);
    } catch (const YAML::Exception& e) {
      *err = Error{ErrorKind::Grammar, file, e.mark.is_null() ? 0 : e.mark.line + 1,
                   e.mark.is_null() ? 0 : e.mark.column + 1, -1, e.msg};
      return false;
    } catch (const LoadError& e) {
      *err = Error{ErrorKind::Grammar, file, e.line, e.column, -1, e.message};
      return false;
    }
    g.files.push_back(file);
  }
  if (!g.scoped.empty()) g.cache = std::make_shared<OverlayCache>();
  if (g.docnum.empty()) {
    *err = Error{ErrorKind::Grammar, files.empty() ? std::string("(no rule files)") : files.front(), 0, 0, -1,
                 "no docnum rules: a grammar needs at least one 文号 pattern (load grammars/base.yaml first)"};
    return false;
  }
  *out = std::move(g);
  return true;
}

struct OverlayCache {
  std::mutex mu;
  std::map<std::vector<int>, std::shared_ptr<const Grammar>> made;
};

namespace {
/// The bytes of the UTF-8 character at s[0] (1 for an empty or odd start).
std::size_t lead_bytes(std::string_view s) {
  if (s.empty()) return 0;
  const unsigned char c = static_cast<unsigned char>(s[0]);
  const std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  return std::min(n, s.size());
}
}  // namespace

std::vector<int> overlays_for(const Grammar& g, const std::vector<std::string>& lines) {
  std::vector<int> out;
  if (g.scoped.empty()) return out;
  auto folded = [](std::string_view l) { return remove_spaces(to_utf8(make_match_view(std::string(l)).view)); };
  // The first character of every issuer name: a line that starts with none
  // of them is not folded (names are Han, which folding leaves alone).
  std::set<std::string> leads;
  for (const OverlayScope& s : g.scoped)
    for (const std::string& name : s.issuer) leads.insert(name.substr(0, lead_bytes(name)));
  std::vector<bool> hit(g.scoped.size(), false);
  int top = 0;  // non-blank lines seen: masthead names stand in the first 60
  for (const std::string& l : lines) {
    const std::string_view t = trim_view(l);
    if (t.empty() || t.size() > 400) continue;
    const bool in_top = top++ < 60;
    if (!in_top && !leads.count(std::string(t.substr(0, lead_bytes(t))))) continue;
    const std::string f = folded(t);
    for (std::size_t k = 0; k < g.scoped.size(); ++k) {
      if (hit[k]) continue;
      for (const std::string& name : g.scoped[k].issuer) hit[k] = hit[k] || f.compare(0, name.size(), name) == 0;
      if (in_top)
        for (const std::string& name : g.scoped[k].masthead) hit[k] = hit[k] || f.find(name) != std::string::npos;
    }
  }
  for (std::size_t k = 0; k < hit.size(); ++k)
    if (hit[k]) out.push_back(static_cast<int>(k));
  return out;
}

std::shared_ptr<const Grammar> with_overlays(const Grammar& g, const std::vector<int>& which) {
  if (which.empty() || !g.cache) return std::shared_ptr<const Grammar>(std::shared_ptr<const Grammar>{}, &g);
  std::lock_guard<std::mutex> lock(g.cache->mu);
  auto& slot = g.cache->made[which];
  if (!slot) {
    auto made = std::make_shared<Grammar>(g);
    made->scoped.clear();
    made->cache.reset();
    for (int k : which) {
      const OverlayScope& s = g.scoped.at(static_cast<std::size_t>(k));
      // Loaded once already without an error (load_grammar checked it).
      load_one(s.file, YAML::Load(s.text), made.get());
      made->names.push_back(s.name);
    }
    slot = std::move(made);
  }
  return slot;
}

std::vector<RuleFolder> rule_folders() {
  namespace fs = std::filesystem;
  const char* env = std::getenv("GAZETTE_GRAMMARS");
  if (env && *env) return {{env, "GAZETTE_GRAMMARS"}};
  std::vector<RuleFolder> out;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) out.push_back({(exe.parent_path() / GAZETTE_GRAMMARS_FROM_BIN).lexically_normal().string(), "installed"});
  out.push_back({GAZETTE_GRAMMAR_DIR, "source tree"});
  return out;
}

std::vector<std::string> default_grammar_files() {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const RuleFolder& folder : rule_folders()) {
    const fs::path d(folder.path);
    if (!fs::exists(d / "base.yaml", ec)) continue;
    std::vector<std::string> files = {(d / "base.yaml").lexically_normal().string()};
    std::vector<std::string> overlays;
    for (const auto& e : fs::directory_iterator(d, ec))
      if (e.path().extension() == ".yaml" && e.path().filename() != "base.yaml")
        overlays.push_back(e.path().lexically_normal().string());
    std::sort(overlays.begin(), overlays.end());
    files.insert(files.end(), overlays.begin(), overlays.end());
    return files;
  }
  return {};
}

long max_match_units(const std::string& regex) {
  bool alternation = false;
  return LengthBound(regex).whole(&alternation);
}

namespace {
/// Ticks of slow matching left in this thread's conversion.
thread_local std::int64_t regex_ticks_left = kRegexRunBudget;

/// ICU calls this once a tick during a long match: it spends the run's budget
/// and stops the match when it is spent.
UBool spend_tick(const void*, int32_t) {
  return --regex_ticks_left > 0;
}
}  // namespace

void reset_regex_budget(std::size_t input_bytes) {
  regex_ticks_left = kRegexRunBudget + static_cast<std::int64_t>(input_bytes / 1024);
}

RuleMatcher::RuleMatcher(const Rule& rule) : rule_(&rule) {
  UErrorCode st = U_ZERO_ERROR;
  m_.reset(rule.pattern->matcher(st));
  if (U_SUCCESS(st)) m_->setTimeLimit(kRegexTimeLimit, st);
  if (U_SUCCESS(st)) m_->setMatchCallback(spend_tick, nullptr, st);
  scans_ = !rule.scan_literal.isEmpty() || !rule.scan_set.empty();
  if ((rule.tail > 0 || rule.closing != 0) && m_) {
    // A search of part of the view: lookarounds still see the text around
    // it, and ^ and $ still mean the start and the end of the view.
    m_->useTransparentBounds(true);
    m_->useAnchoringBounds(false);
  }
}

namespace {
/// The first index in u[from, n) that holds `c`, or -1: eight units at a time
/// where SSE2 is there (this scan is most of what a `needs` test costs).
int32_t find_unit(const char16_t* u, int32_t from, int32_t n, char16_t c) {
  int32_t i = from < 0 ? 0 : from;
#ifdef __SSE2__
  const __m128i want = _mm_set1_epi16(static_cast<short>(c));
  for (; i + 8 <= n; i += 8) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(u + i));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi16(v, want)));
    if (mask != 0) return i + static_cast<int32_t>(__builtin_ctz(mask)) / 2;
  }
#endif
  for (; i < n; ++i)
    if (u[i] == c) return i;
  return -1;
}

/// Whether `mv` holds `needed` at or after `from`. Most lines lack even the
/// first unit: the match view's unit filter tells so at once, and a scan for
/// that unit costs far less than a substring search.
bool contains_needed(const MatchView& mv, const icu::UnicodeString& needed, int32_t from) {
  for (int32_t k = 0; k < needed.length(); ++k)
    if (!mv.units.may_hold(needed.charAt(k))) return false;
  const int32_t i = find_unit(mv.view.getBuffer(), from, mv.view.length(), needed.charAt(0));
  if (i < 0) return false;
  return needed.length() == 1 || mv.view.indexOf(needed, i) >= 0;
}

/// The filter part of the first- and last-character tests: false when the
/// ends of `mv` rule a match from `from` out.
bool ends_may_match(const MatchView::Ends& ends, int32_t from, bool first, const CharFilter& first_filter, bool last,
                    const CharFilter& last_filter) {
  if (first && (from != 0 || ends.first < 0 || !first_filter.may_hold(ends.first))) return false;
  if (last && (ends.last < 0 || !last_filter.may_hold(ends.last))) return false;
  return true;
}

}  // namespace

bool RuleMatcher::may_match(const MatchView& mv, int32_t from) const {
  // The one-character tests first: they cost nothing next to a scan.
  const Rule& r = *rule_;
  if (r.first_chars || r.last_chars) {
    MatchView::Ends ends = mv.ends();
    if (!ends_may_match(ends, from, r.first_chars != nullptr, r.first_filter, r.last_chars != nullptr, r.last_filter))
      return false;
    if (r.first_chars && !r.first_chars->contains(ends.first)) return false;
    if (r.last_chars && !r.last_chars->contains(ends.last)) return false;
  }
  if (!r.needs_any.empty()) {
    bool any = false;
    for (const auto& lit : r.needs_any) {
      if (contains_needed(mv, lit, from)) {
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  return rule_->needs.isEmpty() || contains_needed(mv, rule_->needs, from);
}

bool RuleMatcher::scan(const MatchView& mv, int32_t from, bool anchored) {
  scan_start_ = scan_end_ = -1;
  if (!may_match(mv, from)) return false;
  const int32_t n = mv.view.length();
  if (from < 0) from = 0;
  if (!rule_->scan_literal.isEmpty()) {
    const icu::UnicodeString& lit = rule_->scan_literal;
    const int32_t at = anchored ? (mv.view.startsWith(lit) ? 0 : -1) : mv.view.indexOf(lit, from);
    if (at < 0) return false;
    scan_start_ = at;
    scan_end_ = at + lit.length();
    return true;
  }
  const char16_t* u = mv.view.getBuffer();
  const std::u16string& set = rule_->scan_set;
  for (int32_t k = from; k < n; ++k) {
    if (set.find(u[k]) != std::u16string::npos) {
      scan_start_ = k;
      scan_end_ = k + 1;
      return true;
    }
    if (anchored) break;
  }
  return false;
}

bool RuleMatcher::find(const MatchView& mv, int32_t from) {
  if (scans_) return scan(mv, from, false);
  if (!may_match(mv, from)) return false;
  UErrorCode st = U_ZERO_ERROR;
  m_->reset(mv.view);
  bool ok;
  const int32_t length = mv.view.length();
  if (rule_->tail > 0 && length - from > rule_->tail) {
    // A match ends at the end and is at most `tail` units long: it starts
    // in the last `tail` units, and the search need not try anywhere else.
    m_->region(length - rule_->tail, length, st);
    ok = U_SUCCESS(st) && m_->find(st);
  } else if (rule_->closing != 0) {
    // Every match ends with `closing`: none ends after its last occurrence,
    // and the search stops there.
    const char16_t* u = mv.view.getBuffer();
    int32_t last = length - 1;
    while (last >= from && u[last] != rule_->closing) --last;
    if (last < from) return false;
    m_->region(from, last + 1, st);
    ok = U_SUCCESS(st) && m_->find(st);
  } else {
    ok = m_->find(from, st);
  }
  check_stopped(st);
  return U_SUCCESS(st) && ok;
}

void RuleMatcher::check_stopped(UErrorCode st) const {
  if (st == U_REGEX_TIME_OUT || st == U_REGEX_STACK_OVERFLOW) throw RegexTimeout{rule_->where(), rule_->id};
  if (st == U_REGEX_STOPPED_BY_CALLER) throw RegexTimeout{rule_->where(), rule_->id, 0, true};
}

bool RuleMatcher::looking_at(const MatchView& mv) {
  if (scans_) return scan(mv, 0, true);
  if (!may_match(mv, 0)) return false;
  UErrorCode st = U_ZERO_ERROR;
  m_->reset(mv.view);
  bool ok = m_->lookingAt(st);
  check_stopped(st);
  return U_SUCCESS(st) && ok;
}

int32_t RuleMatcher::start(int group) const {
  if (scans_) return group == 0 ? scan_start_ : -1;
  UErrorCode st = U_ZERO_ERROR;
  int32_t v = m_->start(group, st);
  return U_FAILURE(st) ? -1 : v;
}

int32_t RuleMatcher::end(int group) const {
  if (scans_) return group == 0 ? scan_end_ : -1;
  UErrorCode st = U_ZERO_ERROR;
  int32_t v = m_->end(group, st);
  return U_FAILURE(st) ? -1 : v;
}

RuleList::RuleList(const std::vector<Rule>& all, const std::function<bool(const Rule&)>& keep) {
  std::vector<const Rule*> rules;
  for (const auto& r : all)
    if (!keep || keep(r)) rules.push_back(&r);
  for (const Rule* r : rules) ms_.push_back(std::make_unique<RuleMatcher>(*r));
  all_first_ = all_last_ = !rules.empty();
  first_any_ = last_any_ = CharFilter::none();
  for (const Rule* rp : rules) {
    const Rule& r = *rp;
    all_first_ = all_first_ && r.first_chars;
    all_last_ = all_last_ && r.last_chars;
    first_any_.add(r.first_filter);
    last_any_.add(r.last_filter);
  }
}

bool RuleList::may_match_any(const MatchView& mv, int32_t from) const {
  return (!all_first_ && !all_last_) || ends_may_match(mv.ends(), from, all_first_, first_any_, all_last_, last_any_);
}

RuleMatcher* RuleList::first(const MatchView& mv, int32_t from) {
  if (!may_match_any(mv, from)) return nullptr;
  for (auto& m : ms_)
    if (m->find(mv, from)) return m.get();
  return nullptr;
}

bool RuleList::could_match_ends(UChar32 first, UChar32 last) const {
  for (const auto& m : ms_) {
    const Rule& r = m->rule();
    if ((!r.first_chars || r.first_chars->contains(first)) && (!r.last_chars || r.last_chars->contains(last))) return true;
  }
  return false;
}

bool RuleList::could_end_with(UChar32 c) const {
  for (const auto& m : ms_)
    if (!m->rule().last_chars || m->rule().last_chars->contains(c)) return true;
  return false;
}

RuleMatcher* RuleList::first_at_start(const MatchView& mv) {
  if (!may_match_any(mv, 0)) return nullptr;
  for (auto& m : ms_)
    if (m->looking_at(mv)) return m.get();
  return nullptr;
}

std::string group_view(RuleMatcher& m, const MatchView& mv, const std::string& name) {
  int g = m.rule().group(name);
  if (!m.matched(g)) return "";
  return to_utf8(icu::UnicodeString(mv.view, m.start(g), m.end(g) - m.start(g)));
}

std::string group_text(RuleMatcher& m, const MatchView& mv, const std::string& printed, const std::string& name) {
  if (name == "rest" && m.rule().group("rest") < 0) return mv.printed(printed, m.end(0), mv.view.length());
  int g = m.rule().group(name);
  if (!m.matched(g)) return "";
  return mv.printed(printed, m.start(g), m.end(g));
}

void remove_artifacts(RuleList& artifacts, MatchView* mv) {
  for (auto& a : artifacts.all()) {
    if (!a->find(*mv)) continue;
    icu::UnicodeString v;
    std::vector<int32_t> map;
    int32_t pos = 0;
    int32_t end_offset = mv->to_printed.back();
    do {
      if (a->end(0) <= a->start(0)) break;
      if (a->end(0) == mv->view.length()) end_offset = mv->to_printed[a->start(0)];
      for (int32_t k = pos; k < a->start(0); ++k) { v.append(mv->view.charAt(k)); map.push_back(mv->to_printed[k]); }
      pos = a->end(0);
    } while (a->find(*mv, pos));
    for (int32_t k = pos; k < mv->view.length(); ++k) { v.append(mv->view.charAt(k)); map.push_back(mv->to_printed[k]); }
    map.push_back(end_offset);
    // Removing a piece can leave a space at either end: trim it.
    int32_t b = 0, e = v.length();
    while (b < e && v.charAt(b) == u' ') ++b;
    while (e > b && v.charAt(e - 1) == u' ') --e;
    mv->view = icu::UnicodeString(v, b, e - b);
    mv->to_printed.assign(map.begin() + b, map.begin() + e + 1);
    mv->set_ends();
  }
}

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
