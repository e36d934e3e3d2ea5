#include "text.h"

#include <array>
#include <mutex>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>

namespace gazette {

icu::UnicodeString to_ustring(std::string_view utf8) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
}

std::string to_utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

namespace {

bool is_space_cp(UChar32 c) { return c == ' ' || c == 0x3000 || c == 0xA0 || (c != '\t' && u_isUWhiteSpace(c)); }
bool is_zero_width(UChar32 c) { return c == 0x200B || c == 0x200C || c == 0x200D || c == 0xFEFF || c == 0x2060; }

/// What the match view does with each BMP code unit, and the NFKC of those
/// that NFKC changes; computed once, so a character costs one lookup.
class FoldTable {
 public:
  enum Kind : uint8_t { kKeep = 0, kSpace = 1, kDrop = 2, kFold = 3 };
  static const FoldTable& get() {
    static const FoldTable table;
    return table;
  }
  Kind kind(char16_t c) const { return static_cast<Kind>(kind_[c]); }
  /// The kinds of all BMP units, indexed by unit.
  const uint8_t* kinds() const { return kind_.data(); }
  const icu::UnicodeString& folded(char16_t c) const { return folded_[static_cast<std::size_t>(index_[c])]; }

 private:
  FoldTable() : kind_(0x10000, kKeep), index_(0x10000, -1) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
    for (uint32_t c = 0; c < 0x10000; ++c) {
      if (c >= 0xD800 && c <= 0xDFFF) continue;  // surrogates are decoded before lookup
      UChar32 u = static_cast<UChar32>(c);
      if (c != '\t' && is_space_cp(u)) { kind_[c] = kSpace; continue; }
      if (is_zero_width(u)) { kind_[c] = kDrop; continue; }
      if (U_FAILURE(status)) continue;
      if (c >= 0xAC00 && c <= 0xD7A3) continue;  // Hangul syllables are NFKC-stable
      if (c >= 0x2460 && c <= 0x2473) continue;  // ①-⑳ carry the level-5 marker
      if (nfkc->isInert(u)) continue;
      icu::UnicodeString in(u);
      UErrorCode st = U_ZERO_ERROR;
      icu::UnicodeString out = nfkc->normalize(in, st);
      if (U_FAILURE(st) || out == in) continue;
      kind_[c] = kFold;
      index_[c] = static_cast<int32_t>(folded_.size());
      folded_.push_back(out);
    }
  }
  std::vector<uint8_t> kind_;
  std::vector<int32_t> index_;
  std::vector<icu::UnicodeString> folded_;
};

}  // namespace

MatchView make_match_view(std::string_view printed) {
  // The view is folded into scratch buffers kept per thread, sized for the
  // worst case, then copied out at its exact size: a Chinese line has about a
  // third as many units as bytes, and a short one then fits in the string's
  // own inline buffer. The records of a whole issue stay small.
  thread_local std::vector<char16_t, UninitializedAllocator<char16_t>> units_scratch;
  thread_local std::vector<int32_t, UninitializedAllocator<int32_t>> map_scratch;
  MatchView mv;
  const FoldTable& table = FoldTable::get();
  const auto* bytes = reinterpret_cast<const uint8_t*>(printed.data());
  const int32_t len = static_cast<int32_t>(printed.size());
  // A character never gives more UTF-16 units than it has bytes, except a fold
  // (NFKC of one BMP character is up to 18 units): room is made for those, so
  // that units written + bytes left <= capacity holds throughout.
  int32_t cap = len + 1;
  if (units_scratch.size() < static_cast<std::size_t>(cap)) units_scratch.resize(static_cast<std::size_t>(cap));
  if (map_scratch.size() < static_cast<std::size_t>(cap) + 1) map_scratch.resize(static_cast<std::size_t>(cap) + 1);
  char16_t* buf = units_scratch.data();
  int32_t* map = map_scratch.data();
  int32_t n = 0;  // units written
  int32_t i = 0;  // bytes read
  auto reserve = [&](int32_t more) {
    if (n + more + (len - i) < cap) return;
    cap = (n + more + (len - i)) * 2 + 1;
    units_scratch.resize(static_cast<std::size_t>(cap));
    map_scratch.resize(static_cast<std::size_t>(cap) + 1);
    buf = units_scratch.data();
    map = map_scratch.data();
  };
  bool pending_space = false;
  int32_t pending_space_at = 0;
  while (i < len) {
    if (!pending_space) {
      // The common case in a tight loop: a run of characters of one or three
      // bytes that NFKC keeps as they are. Anything else leaves it. The
      // pointers and counters are locals, so that they stay in registers.
      const uint8_t* const kinds = table.kinds();
      char16_t* __restrict out = buf;
      int32_t* __restrict where = map;
      int32_t k = n, at = i;
      const int32_t stop = len - 2;  // the last two bytes go the general way
      while (at < stop) {
        const uint32_t b0 = bytes[at];
        uint32_t u;
        int32_t step;
        if (b0 < 0x80) {
          u = b0;
          step = 1;
        } else if (is_plain_three_byte(bytes + at)) {
          u = ((b0 & 0x0Fu) << 12) | ((bytes[at + 1] & 0x3Fu) << 6) | (bytes[at + 2] & 0x3Fu);
          step = 3;
        } else {
          break;
        }
        if (kinds[u] != FoldTable::kKeep) break;
        out[k] = static_cast<char16_t>(u);
        where[k] = at;
        ++k;
        at += step;
      }
      n = k;
      i = at;
      if (i >= len) break;
    }
    // One character the loop above left: any kind, any length.
    const int32_t at = i;
    UChar32 c = bytes[i];
    if (c < 0x80) {
      ++i;
    } else {
      U8_NEXT(bytes, i, len, c);
      if (c < 0) c = 0xFFFD;
    }
    FoldTable::Kind kind = FoldTable::kKeep;
    if (c < 0x80) {
      if (c == ' ' || (c >= 0x09 && c <= 0x0D && c != '\t')) kind = FoldTable::kSpace;
    } else if (c < 0x10000) {
      kind = table.kind(static_cast<char16_t>(c));
    }
    if (kind == FoldTable::kSpace) {
      if (n > 0 && !pending_space) { pending_space = true; pending_space_at = at; }
      continue;
    }
    if (kind == FoldTable::kDrop) continue;
    if (pending_space) {
      if (c != '\t' && buf[n - 1] != u'\t') {
        buf[n] = u' ';
        map[n++] = pending_space_at;
      }
      pending_space = false;
    }
    if (kind == FoldTable::kFold) {
      const icu::UnicodeString& f = table.folded(static_cast<char16_t>(c));
      reserve(f.length());
      for (int32_t k = 0; k < f.length(); ++k) {
        buf[n] = f.charAt(k);
        map[n++] = at;
      }
    } else if (c < 0x10000) {
      buf[n] = static_cast<char16_t>(c);
      map[n++] = at;
    } else {  // four bytes in, two units out
      buf[n] = static_cast<char16_t>(U16_LEAD(c));
      map[n++] = at;
      buf[n] = static_cast<char16_t>(U16_TRAIL(c));
      map[n++] = at;
    }
  }
  map[n] = pending_space ? pending_space_at : len;
  mv.units = CharFilter::none();
  for (int32_t k = 0; k < n; ++k) mv.units.add(buf[k]);
  mv.view.setTo(buf, n);
  mv.to_printed.assign(map, map + n + 1);
  mv.set_ends();
  return mv;
}

Punct scan_punct(std::string_view s) {
  // Bytes, not code points: the marks are ASCII or three-byte sequences
  // (，EF BC 8C  ；EF BC 9B  ：EF BC 9A  。E3 80 82  、E3 80 81). A well-formed
  // three-byte character is stepped over whole; otherwise a code point starts
  // at every byte that is not a continuation byte.
  Punct p;
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  bool seen_clause = false;
  for (std::size_t i = 0; i < n;) {
    // A run of CJK ideographs (lead bytes E4-E9): most of the text, and no mark.
    while (i + 2 < n && b[i] >= 0xE4 && b[i] <= 0xE9 && (b[i + 1] & 0xC0) == 0x80 && (b[i + 2] & 0xC0) == 0x80) {
      ++p.length;
      i += 3;
    }
    if (i >= n) break;
    unsigned char c = b[i];
    bool clause = false, colon = false;
    if (c >= 0xE0 && c <= 0xEF && i + 2 < n && (b[i + 1] & 0xC0) == 0x80 && (b[i + 2] & 0xC0) == 0x80) {
      if (c == 0xEF && b[i + 1] == 0xBC) {
        clause = b[i + 2] == 0x8C || b[i + 2] == 0x9B;
        colon = b[i + 2] == 0x9A;
      } else if (c == 0xE3 && b[i + 1] == 0x80) {
        if (b[i + 2] == 0x82) { clause = true; p.period = true; }
        else if (b[i + 2] == 0x81) clause = true;
      }
      i += 3;
    } else {
      ++i;
      if ((c & 0xC0) == 0x80) continue;
      if (c == ',' || c == ';') clause = true;
      else if (c == ':') colon = true;
    }
    ++p.length;
    if (clause) {
      p.clause = true;
      if (!seen_clause) { p.first_clause = p.length - 1; seen_clause = true; }
    }
    if (clause || colon) p.sentence = true;
  }
  if (!seen_clause) p.first_clause = p.length;
  return p;
}

UChar32 folded_first_char(std::string_view printed) {
  std::string_view t = trim_view(printed.size() > 64 ? printed.substr(0, 64) : printed);
  if (t.empty()) return 0;
  std::size_t e = 1;
  while (e < t.size() && (static_cast<unsigned char>(t[e]) & 0xC0) == 0x80) ++e;
  char32_t first = first_char(t);
  if (first < 0x10000 && FoldTable::get().kind(static_cast<char16_t>(first)) == FoldTable::kKeep)
    return static_cast<UChar32>(first);  // NFKC keeps it as it is
  MatchView head = make_match_view(t.substr(0, e));
  if (head.view.isEmpty()) return 0;
  return head.view.char32At(0);
}

UChar32 folded_last_char(std::string_view printed) {
  std::string_view t = trim_view(printed.size() > 64 ? printed.substr(printed.size() - 64) : printed);
  if (t.empty()) return 0;
  std::size_t p = t.size() - 1;
  while (p > 0 && (static_cast<unsigned char>(t[p]) & 0xC0) == 0x80) --p;
  char32_t last = first_char(t.substr(p));
  if (last < 0x10000 && FoldTable::get().kind(static_cast<char16_t>(last)) == FoldTable::kKeep)
    return static_cast<UChar32>(last);  // NFKC keeps it as it is
  MatchView tail = make_match_view(t.substr(p));
  if (tail.view.isEmpty()) return 0;
  return tail.view.char32At(tail.view.moveIndex32(tail.view.length(), -1));
}

std::string MatchView::printed(const std::string& line, int32_t start, int32_t end) const {
  if (start < 0) start = 0;
  if (end > view.length()) end = view.length();
  if (end <= start) return "";
  int32_t a = to_printed[static_cast<std::size_t>(start)];
  int32_t b = to_printed[static_cast<std::size_t>(end)];
  if (b < a) b = a;
  return trim(std::string_view(line).substr(static_cast<std::size_t>(a), static_cast<std::size_t>(b - a)));
}

namespace {
bool is_trim_space(std::string_view s, std::size_t i, std::size_t* len) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') { *len = 1; return true; }
  if (s.substr(i, 3) == "\xE3\x80\x80") { *len = 3; return true; }  // U+3000
  if (s.substr(i, 2) == "\xC2\xA0") { *len = 2; return true; }      // U+00A0
  return false;
}

/// Whether `s` holds any character is_trim_space knows: most texts hold none,
/// and the functions that remove white space return them as they are.
bool has_white_space(std::string_view s) {
  // One pass over the bytes: the ASCII spaces are all at or below ' ', and
  // U+3000 (E3 80 80) and U+00A0 (C2 A0) start with a byte of their own.
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char c = b[i];
    if (c <= ' ') {
      if (c == ' ' || (c >= '\t' && c <= '\r')) return true;
    } else if (c == 0xE3) {
      if (i + 2 < n && b[i + 1] == 0x80 && b[i + 2] == 0x80) return true;
    } else if (c == 0xC2) {
      if (i + 1 < n && b[i + 1] == 0xA0) return true;
    }
  }
  return false;
}
}  // namespace

std::string_view trim_view(std::string_view s) {
  std::size_t b = 0, n = 0;
  while (b < s.size() && is_trim_space(s, b, &n)) b += n;
  std::size_t e = s.size();
  while (e > b) {
    // step back one code point
    std::size_t p = e - 1;
    while (p > b && (static_cast<unsigned char>(s[p]) & 0xC0) == 0x80) --p;
    if (is_trim_space(s, p, &n) && p + n == e) e = p; else break;
  }
  return s.substr(b, e - b);
}

std::string trim(std::string_view s) { return std::string(trim_view(s)); }

std::string remove_spaces(std::string_view s) {
  if (!has_white_space(s)) return std::string(s);
  std::string out;
  out.reserve(s.size());
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();) {
    if (is_trim_space(s, i, &n)) { i += n; continue; }
    out += s[i++];
  }
  return out;
}

namespace {
struct Cp { char32_t c; std::size_t at, len; };
std::vector<Cp> code_points(std::string_view s) {
  std::vector<Cp> out;
  out.reserve(s.size());
  int32_t len = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < len;) {
    int32_t at = i;
    UChar32 c;
    U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, len, c);
    out.push_back({static_cast<char32_t>(c < 0 ? 0xFFFD : c), static_cast<std::size_t>(at), static_cast<std::size_t>(i - at)});
  }
  return out;
}
}  // namespace

bool is_cjk(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x3FFFF) ||
         (c >= 0x3000 && c <= 0x303F && c != 0x3000) || (c >= 0xFF00 && c <= 0xFFEF) ||
         (c >= 0xF900 && c <= 0xFAFF) || c == 0x201C || c == 0x201D || c == 0x2014;
}

std::string remove_cjk_spaces(std::string_view in) {
  std::string_view t = trim_view(in);
  if (!has_white_space(t)) return std::string(t);
  std::string s(t);
  auto cps = code_points(s);
  std::string out;
  out.reserve(s.size());
  for (std::size_t k = 0; k < cps.size(); ++k) {
    bool space = cps[k].c == ' ' || cps[k].c == 0x3000 || cps[k].c == '\t' || cps[k].c == 0xA0;
    if (space) {
      std::size_t a = k, b = k;
      while (b < cps.size() && (cps[b].c == ' ' || cps[b].c == 0x3000 || cps[b].c == '\t' || cps[b].c == 0xA0)) ++b;
      bool left_cjk = a > 0 && is_cjk(cps[a - 1].c);
      bool right_cjk = b < cps.size() && is_cjk(cps[b].c);
      if (!(left_cjk && right_cjk)) out += ' ';
      k = b - 1;
      continue;
    }
    out.append(s, cps[k].at, cps[k].len);
  }
  return out;
}

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

char32_t last_char(std::string_view s) {
  if (s.empty()) return 0;
  std::size_t p = s.size() - 1;
  while (p > 0 && (static_cast<unsigned char>(s[p]) & 0xC0) == 0x80) --p;
  return first_char(s.substr(p));
}

char32_t first_char(std::string_view s) {
  if (s.empty()) return 0;
  int32_t i = 0, len = static_cast<int32_t>(s.size());
  UChar32 c;
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, len, c);
  return c < 0 ? 0xFFFD : static_cast<char32_t>(c);
}

std::optional<int> parse_chinese_numeral(std::string_view s) {
  auto cps = code_points(s);
  if (cps.empty()) return std::nullopt;
  auto digit = [](char32_t c) -> int {
    switch (c) {
      case U'〇': case U'零': return 0;
      case U'一': return 1; case U'二': case U'两': return 2; case U'三': return 3;
      case U'四': return 4; case U'五': return 5; case U'六': return 6; case U'七': return 7;
      case U'八': return 8; case U'九': return 9;
      default: return -1;
    }
  };
  // A run of digits only (二〇二三) reads positionally.
  bool only_digits = true;
  for (auto& cp : cps) if (digit(cp.c) < 0) only_digits = false;
  if (only_digits && cps.size() > 1) {
    int v = 0;
    for (auto& cp : cps) v = v * 10 + digit(cp.c);
    return v;
  }
  int total = 0, current = -1;
  for (auto& cp : cps) {
    int d = digit(cp.c);
    if (d >= 0) { current = d; continue; }
    int unit = cp.c == U'十' ? 10 : cp.c == U'百' ? 100 : cp.c == U'千' ? 1000 : 0;
    if (unit == 0) return std::nullopt;
    total += (current < 0 ? 1 : current) * unit;
    current = -1;
  }
  if (current > 0) total += current;
  return total;
}

std::optional<int> parse_circled_numeral(std::string_view s) {
  auto cps = code_points(s);
  if (cps.size() != 1) return std::nullopt;
  char32_t c = cps[0].c;
  if (c >= 0x2460 && c <= 0x2473) return static_cast<int>(c - 0x2460 + 1);
  if (c >= 0x2474 && c <= 0x2487) return static_cast<int>(c - 0x2474 + 1);
  if (c >= 0x2776 && c <= 0x277F) return static_cast<int>(c - 0x2776 + 1);
  return std::nullopt;
}

std::optional<int> parse_numeral(std::string_view s, std::string_view system) {
  std::string t = remove_spaces(s);
  if (system == "chinese") return parse_chinese_numeral(t);
  if (system == "circled") return parse_circled_numeral(t);
  if (t.empty() || t.size() > 9) return std::nullopt;
  int v = 0;
  for (char c : t) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

int days_in_month(int y, int m) {
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return d[m - 1];
}

}  // namespace gazette
