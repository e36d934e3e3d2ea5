// Searching a match view with a rule: the per-thread ICU matcher, the
// prefilters that spare most searches, time limits, and rule lists.
#include "matcher.h"

#include <atomic>
#include <cstdlib>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace gazette {
namespace {

/// ICU regex steps (roughly milliseconds) one match may take before it is
/// stopped: a catastrophic pattern ends with an error instead of a hang.
constexpr int32_t kRegexTimeLimit = 2000;

std::atomic<int> prefilter_state{-1};  // -1: not read from the environment yet

}  // namespace

bool prefilters_on() {
  int s = prefilter_state.load(std::memory_order_relaxed);
  if (s < 0) {
    const char* env = std::getenv("GAZETTE_PREFILTERS");
    s = env && std::strcmp(env, "off") == 0 ? 0 : 1;
    prefilter_state.store(s, std::memory_order_relaxed);
  }
  return s == 1;
}

void set_prefilters(bool on) { prefilter_state.store(on ? 1 : 0, std::memory_order_relaxed); }

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
  filtered_ = prefilters_on();
  scans_ = filtered_ && (!rule.scan_literal.isEmpty() || !rule.scan_set.empty());
  if (filtered_ && (rule.tail > 0 || rule.closing != 0) && m_) {
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
  if (!filtered_) return true;
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
  if (!filtered_) {
    ok = m_->find(from, st);
  } else if (rule_->tail > 0 && length - from > rule_->tail) {
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
  filtered_ = prefilters_on();
  all_first_ = all_last_ = filtered_ && !rules.empty();
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
  if (!filtered_) return !ms_.empty();
  for (const auto& m : ms_) {
    const Rule& r = m->rule();
    if ((!r.first_chars || r.first_chars->contains(first)) && (!r.last_chars || r.last_chars->contains(last))) return true;
  }
  return false;
}

bool RuleList::could_end_with(UChar32 c) const {
  if (!filtered_) return !ms_.empty();
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

}  // namespace gazette
