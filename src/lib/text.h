// Text helpers: UTF-8 ↔ ICU, the match view rules are run against, Chinese
// numerals. The match view folds width and compatibility forms (NFKC) but keeps
// circled numbers, which NFKC would turn into plain digits (① → 1).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <unicode/unistr.h>

namespace gazette {

icu::UnicodeString to_ustring(std::string_view utf8);
std::string to_utf8(const icu::UnicodeString& s);

/// An allocator whose resize() leaves new elements uninitialized: for a
/// buffer sized first and filled after, without zeroing it in between.
template <class T>
struct UninitializedAllocator : std::allocator<T> {
  template <class U>
  struct rebind { using other = UninitializedAllocator<U>; };
  UninitializedAllocator() = default;
  template <class U>
  UninitializedAllocator(const UninitializedAllocator<U>&) noexcept {}
  template <class U>
  void construct(U* p) noexcept { ::new (static_cast<void*>(p)) U; }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) { ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...); }
};

/// A 256-bit filter of code points (or UTF-16 units): bit(c) is set for every
/// member added, and for some others (the bits are a hash), so a clear bit
/// rules a character out in a few instructions. All bits are set by default:
/// nothing known, nothing ruled out.
struct CharFilter {
  std::array<uint64_t, 4> bits{~0ull, ~0ull, ~0ull, ~0ull};
  static CharFilter none() { return CharFilter{{0, 0, 0, 0}}; }
  static unsigned bit(UChar32 c) { return static_cast<unsigned>(c ^ (c >> 8)) & 0xFF; }
  bool may_hold(UChar32 c) const {
    unsigned b = bit(c);
    return (bits[b >> 6] >> (b & 63)) & 1;
  }
  void add(UChar32 c) {
    unsigned b = bit(c);
    bits[b >> 6] |= uint64_t{1} << (b & 63);
  }
  void add(const CharFilter& other) {
    for (std::size_t k = 0; k < bits.size(); ++k) bits[k] |= other.bits[k];
  }
};

/// A line as rules see it, with a map from each UTF-16 unit of the view back to
/// the byte offset of the printed character it came from.
struct MatchView {
  icu::UnicodeString view;
  std::vector<int32_t, UninitializedAllocator<int32_t>> to_printed;  ///< size view.length()+1
  /// The code units of `view`. make_match_view fills it; otherwise every bit
  /// is set (nothing known), and after units are removed it still holds.
  CharFilter units;
  /// The first and last code points of `view`, -1 when it is empty: what
  /// anchored rules test first, read once per view.
  struct Ends { int32_t first = -1, last = -1; };
  Ends ends() const { return ends_known_ ? ends_ : compute_ends(); }
  /// Records the ends of `view`. make_match_view does; code that changes
  /// `view` afterwards (remove_artifacts) must call it again.
  void set_ends() { ends_ = compute_ends(); ends_known_ = true; }
  /// The printed text behind view[start, end), trimmed of white space.
  std::string printed(const std::string& printed_line, int32_t start, int32_t end) const;

 private:
  Ends compute_ends() const {
    if (view.isEmpty()) return {};
    return {view.char32At(0), view.char32At(view.moveIndex32(view.length(), -1))};
  }
  Ends ends_;
  bool ends_known_ = false;
};

/// Whether the three bytes at `p` are a UTF-8 sequence led by E1-EC or EE-EF
/// and two continuation bytes: valid whatever those bytes are (E0 and ED have
/// limits), and almost all of Chinese text. The caller checks that three
/// bytes remain.
inline bool is_plain_three_byte(const unsigned char* p) {
  static constexpr auto kFreeLead = [] {
    std::array<bool, 256> t{};
    for (int c = 0xE1; c <= 0xEF; ++c) t[static_cast<std::size_t>(c)] = c != 0xED;
    return t;
  }();
  return kFreeLead[p[0]] && (((p[1] ^ 0x80u) | (p[2] ^ 0x80u)) & 0xC0u) == 0;
}

/// Builds the match view of a printed line: NFKC per character (circled numbers
/// kept), zero-width characters dropped, white space runs folded to one space
/// (tabs kept), leading and trailing space trimmed.
MatchView make_match_view(std::string_view printed);

/// What the punctuation of a text says, read in one pass.
struct Punct {
  bool clause = false;        ///< has a mark that ends a clause inside a sentence: ，。；、,;
  bool sentence = false;      ///< clause marks or a colon
  bool period = false;        ///< has 。
  std::size_t first_clause = 0;  ///< code points before the first clause mark (all when none)
  std::size_t length = 0;        ///< code points
};
Punct scan_punct(std::string_view s);

/// The last non-space character of a printed text as the match view has it
/// (NFKC-folded: ） → )), or 0 when there is none.
UChar32 folded_last_char(std::string_view printed);
/// The first non-space character of a printed text as the match view has it.
UChar32 folded_first_char(std::string_view printed);

/// Trims ASCII white space and U+3000 from both ends.
std::string trim(std::string_view s);
/// The same as a view into `s`.
std::string_view trim_view(std::string_view s);
/// Removes every white-space character.
std::string remove_spaces(std::string_view s);
/// Removes white space that stands between two CJK characters (陶 克 → 陶克,
/// 实施 中期 → 实施中期) and trims; other spaces stay.
std::string remove_cjk_spaces(std::string_view s);
/// Number of code points.
std::size_t utf8_length(std::string_view s);
/// The last code point of s (0 when empty).
char32_t last_char(std::string_view s);
/// The first code point of s (0 when empty).
char32_t first_char(std::string_view s);
bool is_cjk(char32_t c);
/// Days in month `m` (1–12) of year `y` in the Gregorian calendar.
int days_in_month(int y, int m);

/// 一 → 1, 十二 → 12, 二十三 → 23, 一百零五 → 105, 〇 → 0; nullopt when not a numeral.
std::optional<int> parse_chinese_numeral(std::string_view s);
/// ① → 1 … ⑳ → 20; nullopt otherwise.
std::optional<int> parse_circled_numeral(std::string_view s);
/// Reads a numeral of the given system: arabic, chinese or circled.
std::optional<int> parse_numeral(std::string_view s, std::string_view system);

}  // namespace gazette
