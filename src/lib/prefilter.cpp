// Reading ICU regex syntax: a rule's named groups, and the prefilters derived
// from its pattern (what every match must start or end with, hold, or how
// long it can be), which let a search skip a line or most of it.
#include "prefilter.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>

#include <unicode/uniset.h>

#include "text.h"

namespace gazette {

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

namespace {

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

}  // namespace

void derive_prefilters(Rule* r) {
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

long max_match_units(const std::string& regex) {
  bool alternation = false;
  return LengthBound(regex).whole(&alternation);
}

}  // namespace gazette
