#include "source.h"

#include "pdf.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/uchar.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include "text.h"

namespace gazette {
namespace {

std::string hex_byte(unsigned char b) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", b);
  return buf;
}

std::string hex_bytes(std::string_view s) {
  std::string out;
  for (unsigned char b : s) out += (out.empty() ? "" : " ") + hex_byte(b);
  return out;
}

/// Length of the valid UTF-8 sequence at s[i], or 0 when it is invalid.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  std::size_t n;
  unsigned cp;
  if (c >= 0xC2 && c <= 0xDF) { n = 2; cp = c & 0x1F; }
  else if (c >= 0xE0 && c <= 0xEF) { n = 3; cp = c & 0x0F; }
  else if (c >= 0xF0 && c <= 0xF4) { n = 4; cp = c & 0x07; }
  else return 0;
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    unsigned char d = static_cast<unsigned char>(s[i + k]);
    if ((d & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (d & 0x3F);
  }
  if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
    return 0;
  return n;
}

}  // namespace

std::size_t first_invalid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

namespace {

/// How UTF-8-like some bytes are: valid multi-byte sequences and bytes that
/// start no valid sequence. Text in GB18030 read as UTF-8 has a few valid
/// sequences by chance and many bad bytes; UTF-8 with a few damaged bytes has
/// the opposite.
struct Utf8Census {
  std::size_t valid_multibyte = 0;
  std::size_t long_sequences = 0;  ///< 3 and 4 bytes: CJK is here in UTF-8
  std::size_t odd_two_byte = 0;    ///< 2-byte sequences no Chinese text in UTF-8 would hold
  std::size_t invalid = 0;      ///< bytes
  std::size_t bad_spots = 0;    ///< runs of invalid bytes (a damaged character is one)
};

Utf8Census utf8_census(std::string_view s) {
  Utf8Census c;
  bool in_bad = false;
  for (std::size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) { ++i; in_bad = false; continue; }
    std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) {
      ++c.invalid;
      if (!in_bad) ++c.bad_spots;
      in_bad = true;
      ++i;
    } else {
      in_bad = false;
      ++c.valid_multibyte;
      if (n > 2) {
        ++c.long_sequences;
      } else {
        UChar32 cp = ((static_cast<unsigned char>(s[i]) & 0x1F) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3F);
        int8_t t = u_charType(cp);
        if (cp < 0xA0 || cp >= 0x0590 || t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK || t == U_UNASSIGNED)
          ++c.odd_two_byte;
      }
      i += n;
    }
  }
  return c;
}

/// True when bytes with `c` are UTF-8 (possibly damaged) rather than another
/// encoding: at least four valid non-ASCII sequences for each damaged spot.
/// Chinese text in GB18030 read as UTF-8 has about one valid sequence (by
/// chance) per bad spot; the shared issue in GB18030 has 23058 to 22129.
bool mostly_utf8(const Utf8Census& c) { return c.valid_multibyte > 0 && c.valid_multibyte >= 4 * c.bad_spots; }

/// True when valid UTF-8 is more likely a short GB18030 text that happens to
/// be valid UTF-8 too (通知 in GBK is CD A8 D6 AA, two valid 2-byte UTF-8
/// sequences): no 3-byte sequence at all, where Chinese UTF-8 has nothing
/// but, and a 2-byte character no Chinese text holds (C1 controls, combining
/// marks, Hebrew and the scripts after it).
bool maybe_gb18030(const Utf8Census& c) { return c.invalid == 0 && c.long_sequences == 0 && c.odd_two_byte > 0; }

/// Splits decoded UTF-8 into lines as it arrives, for LF, CRLF and CR line
/// ends, so that the whole text is never held twice.
class LineSink {
 public:
  explicit LineSink(SourceText* out) : lines_(&out->lines), runs_(&out->runs) {}

  void append(std::string_view s) {
    std::size_t start = 0;
    if (pending_cr_ && !s.empty()) {
      pending_cr_ = false;
      if (s[0] == '\n') start = 1;  // the LF of a CRLF split between two calls
    }
    // memchr finds each line end; the next CR is remembered, so a file
    // without CRs is searched for them once.
    const char* base = s.data();
    const std::size_t n = s.size();
    auto find = [&](char c, std::size_t from) {
      const void* p = from < n ? std::memchr(base + from, c, n - from) : nullptr;
      return p ? static_cast<std::size_t>(static_cast<const char*>(p) - base) : n;
    };
    std::size_t next_cr = find('\r', start);
    std::size_t i = start;
    while (i < n) {
      std::size_t next_lf = find('\n', i);
      if (next_cr < i) next_cr = find('\r', i);
      std::size_t end = std::min(next_lf, next_cr);
      if (end >= n) break;
      current_.append(s.substr(start, end - start));
      push();
      i = end + 1;
      if (s[end] == '\r') {
        if (i < n) {
          if (s[i] == '\n') ++i;  // CRLF is one line end
        } else {
          pending_cr_ = true;
        }
      }
      start = i;
    }
    current_.append(s.substr(start));
  }

  /// Number of line ends seen so far: the current line is line() + 1.
  int line() const { return runs_->printed(lines_->size()) + 1; }

  void finish() {
    if (!current_.empty()) push();
  }

 private:
  /// Ends the current line: a blank line like the entry before joins its run.
  void push() {
    if (!lines_->empty() && current_ == lines_->back() && spaces_only(current_)) {
      runs_->extend(lines_->size() - 1);
    } else {
      lines_->push_back(std::move(current_));
    }
    current_.clear();
  }
  static bool spaces_only(const std::string& s) {
    return s.find_first_not_of(" \t") == std::string::npos;
  }

  std::vector<std::string>* lines_;
  LineRuns* runs_;
  std::string current_;
  bool pending_cr_ = false;
};

/// Line (1-based) of byte `offset` in ASCII-compatible bytes, counting LF,
/// CRLF and CR as one line end each.
int line_at(std::string_view bytes, std::size_t offset) {
  int line = 1;
  for (std::size_t i = 0; i < offset && i < bytes.size(); ++i) {
    if (bytes[i] == '\n') ++line;
    else if (bytes[i] == '\r' && !(i + 1 < bytes.size() && bytes[i + 1] == '\n')) ++line;
  }
  return line;
}

Error input_error(const std::string& name, int line, long long offset, std::string msg) {
  return Error{ErrorKind::Input, name, line, 0, offset, std::move(msg)};
}

/// Finds the first NUL byte (binary data in any ASCII-compatible encoding).
bool check_no_nul(std::string_view bytes, std::size_t skip, const std::string& name, Error* err) {
  const void* p = std::memchr(bytes.data() + skip, 0, bytes.size() - skip);
  if (!p) return true;
  std::size_t at = static_cast<std::size_t>(static_cast<const char*>(p) - bytes.data());
  std::string hint;
  // Every other byte NUL: UTF-16 text that lost its byte order mark.
  std::size_t nul_even = 0, nul_odd = 0, n = std::min<std::size_t>(bytes.size(), 4096);
  for (std::size_t i = skip; i < n; ++i)
    if (bytes[i] == 0) ++((i - skip) % 2 ? nul_odd : nul_even);
  if (nul_even + nul_odd > (n - skip) / 4 && (nul_even == 0 || nul_odd == 0))
    hint = " (UTF-16 without a byte order mark? name it with --encoding UTF-16LE or UTF-16BE)";
  *err = input_error(name, line_at(bytes, at), static_cast<long long>(at),
                     "binary data: NUL byte at byte offset " + std::to_string(at) + hint);
  return false;
}

/// Decodes UTF-8 (without its BOM, `skip` bytes into `bytes`).
bool decode_utf8(std::string_view bytes, std::size_t skip, const std::string& name, bool lossy, SourceText* out,
                 Error* err) {
  LineSink sink(out);
  std::string_view body = bytes.substr(skip);
  std::size_t run = 0;  // start of the current run of valid bytes
  std::size_t invalid_total = 0;
  bool counted = false;
  const auto* b = reinterpret_cast<const unsigned char*>(body.data());
  const std::size_t size = body.size();
  for (std::size_t i = 0; i < size;) {
    unsigned char c = b[i];
    if (c < 0x80) { ++i; continue; }
    if (i + 2 < size && is_plain_three_byte(b + i)) {
      i += 3;
      continue;
    }
    std::size_t n = utf8_sequence_length(body, i);
    if (n != 0) { i += n; continue; }
    if (!lossy) {
      if (!counted) {
        invalid_total = utf8_census(body).invalid;
        counted = true;
      }
      std::size_t at = skip + i;
      std::size_t shown = 1;
      while (shown < 4 && i + shown < body.size() && (static_cast<unsigned char>(body[i + shown]) & 0xC0) == 0x80) ++shown;
      *err = input_error(name, line_at(bytes, at), static_cast<long long>(at),
                         "invalid UTF-8 at byte offset " + std::to_string(at) + " (" + hex_bytes(body.substr(i, shown)) +
                             "); " + std::to_string(invalid_total) +
                             " bad byte(s) in the file. Repair them, or use --lossy to replace bad bytes with U+FFFD, "
                             "or --encoding NAME if the file is not UTF-8");
      return false;
    }
    sink.append(body.substr(run, i - run));
    sink.append("\xEF\xBF\xBD");
    ++out->replaced;
    ++i;
    run = i;
  }
  sink.append(body.substr(run));
  sink.finish();
  out->encoding = "UTF-8";
  return true;
}

/// What the ICU callback saw: the first bad sequence (strict) or how many
/// bytes were replaced (lossy).
struct CallbackState {
  bool lossy = false;
  std::size_t replaced = 0;
  bool failed = false;
  std::string bad;  ///< the undecodable bytes, strict mode
};

void to_unicode_callback(const void* context, UConverterToUnicodeArgs* args, const char* code_units,
                                     int32_t length, UConverterCallbackReason reason, UErrorCode* status) {
  auto* st = static_cast<CallbackState*>(const_cast<void*>(context));
  if (reason > UCNV_IRREGULAR) return;  // reset, close, clone: nothing to do
  if (!st->lossy) {
    st->failed = true;
    st->bad.assign(code_units, static_cast<std::size_t>(std::max(0, length)));
    return;  // leave *status set: the conversion stops here
  }
  static const UChar kReplacement = 0xFFFD;
  *status = U_ZERO_ERROR;
  st->replaced += static_cast<std::size_t>(std::max(1, length));
  ucnv_cbToUWriteUChars(args, &kReplacement, 1, 0, status);
}

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

/// Decodes with an ICU converter, chunk by chunk, straight into lines. Bad
/// bytes stop the conversion (strict) or become U+FFFD (lossy); either way
/// nothing is replaced silently. A decoded U+0000 is binary data.
bool decode_icu(std::string_view bytes, std::size_t skip, const std::string& name, const std::string& encoding,
                bool lossy, SourceText* out, Error* err, const std::string& shown_name = "") {
  UErrorCode status = U_ZERO_ERROR;
  ConverterPtr cnv(ucnv_open(encoding.c_str(), &status));
  if (U_FAILURE(status) || !cnv) {
    *err = Error{ErrorKind::Usage, name, 0, 0, -1, "unknown encoding '" + encoding + "'"};
    return false;
  }
  CallbackState state;
  state.lossy = lossy;
  status = U_ZERO_ERROR;
  ucnv_setToUCallBack(cnv.get(), to_unicode_callback, &state, nullptr, nullptr, &status);
  if (U_FAILURE(status)) {
    *err = input_error(name, 0, -1, std::string("cannot set up the decoder: ") + u_errorName(status));
    return false;
  }
  const bool ascii_compatible = ucnv_getMinCharSize(cnv.get()) == 1;
  LineSink sink(out);
  constexpr std::size_t kChunk = 1 << 16;
  std::vector<UChar> target(kChunk);
  std::vector<int32_t> offsets(kChunk);
  std::string utf8;
  UChar held = 0;  // a lead surrogate whose trail is in the next chunk
  bool at_start = true;
  const char* src = bytes.data() + skip;
  const char* const limit = bytes.data() + bytes.size();
  for (bool flush = false; !flush;) {
    const char* chunk_limit = static_cast<std::size_t>(limit - src) > kChunk ? src + kChunk : limit;
    flush = chunk_limit == limit;
    // Feed one chunk; the output buffer may fill more than once.
    for (;;) {
      UChar* t = target.data();
      status = U_ZERO_ERROR;
      const char* before = src;
      ucnv_toUnicode(cnv.get(), &t, target.data() + target.size(), &src, chunk_limit, offsets.data(), flush, &status);
      std::size_t produced = static_cast<std::size_t>(t - target.data());
      // Convert what came out to UTF-8, checking for NUL and line ends.
      utf8.clear();
      for (std::size_t k = 0; k < produced; ++k) {
        UChar32 c = target[k];
        if (U16_IS_LEAD(c)) {
          if (held) utf8 += "\xEF\xBF\xBD";
          held = static_cast<UChar>(c);
          continue;
        }
        if (U16_IS_TRAIL(c) && held) {
          c = U16_GET_SUPPLEMENTARY(held, c);
          held = 0;
        } else if (held) {
          utf8 += "\xEF\xBF\xBD";
          held = 0;
        }
        if (c == 0) {
          long long at = offsets[k] >= 0 ? static_cast<long long>(before - bytes.data()) + offsets[k] : -1;
          sink.append(utf8);
          *err = input_error(name, sink.line(), at,
                             "binary data: NUL character" + (at >= 0 ? " at byte offset " + std::to_string(at) : ""));
          return false;
        }
        if (at_start) {
          at_start = false;
          if (c == 0xFEFF) continue;  // a byte order mark the converter kept
        }
        char buf[4];
        int32_t n = 0;
        UBool bad = false;
        U8_APPEND(reinterpret_cast<uint8_t*>(buf), n, 4, c, bad);
        if (bad) utf8 += "\xEF\xBF\xBD";
        else utf8.append(buf, static_cast<std::size_t>(n));
      }
      sink.append(utf8);
      if (status == U_BUFFER_OVERFLOW_ERROR) continue;
      if (U_FAILURE(status)) {
        long long at = static_cast<long long>(src - bytes.data()) - static_cast<long long>(state.bad.size());
        if (at < 0) at = 0;
        std::string what = state.bad.empty() ? std::string(u_errorName(status)) : hex_bytes(state.bad);
        int line = ascii_compatible ? line_at(bytes, static_cast<std::size_t>(at)) : sink.line();
        *err = input_error(name, line, at,
                           "invalid " + (shown_name.empty() ? encoding : shown_name) + " at byte offset " + std::to_string(at) + " (" + what +
                               "). Use --lossy to replace bad bytes with U+FFFD, or --encoding NAME if the file is in "
                               "another encoding");
        return false;
      }
      break;
    }
  }
  if (held) sink.append("\xEF\xBF\xBD");
  sink.finish();
  out->replaced = state.replaced;
  out->encoding = encoding;
  return true;
}

/// ICU's name for a converter the user named, or "" when ICU knows none.
std::string canonical_encoding(const std::string& requested) {
  UErrorCode st = U_ZERO_ERROR;
  const char* name = ucnv_getCanonicalName(requested.c_str(), "", &st);
  if (U_FAILURE(st) || !name) {
    st = U_ZERO_ERROR;
    ConverterPtr c(ucnv_open(requested.c_str(), &st));
    if (U_FAILURE(st) || !c) return "";
    st = U_ZERO_ERROR;
    name = ucnv_getName(c.get(), &st);
    if (U_FAILURE(st) || !name) return "";
  }
  return name;
}

bool is_utf8_name(const std::string& canonical) { return canonical == "UTF-8"; }

/// Blank means nothing but white space (ASCII, no-break and ideographic).
bool is_blank(const std::string& line) {
  for (std::size_t i = 0; i < line.size();) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    if (c == ' ' || c == '\t' || c == '\f' || c == '\v') { ++i; continue; }
    if (line.compare(i, 2, "\xC2\xA0") == 0) { i += 2; continue; }
    if (line.compare(i, 3, "\xE3\x80\x80") == 0 || line.compare(i, 3, "\xEF\xBB\xBF") == 0) { i += 3; continue; }
    return false;
  }
  return true;
}

}  // namespace

const std::string& SourceText::line(int n) const {
  static const std::string kNone;
  if (n < 1 || n > line_count()) return kNone;
  return lines[runs.entry_of(n)];
}

std::string SourceText::text() const {
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    for (int k = runs.count(i); k > 0; --k) out.append(lines[i]).push_back('\n');
  }
  return out;
}

void LineRuns::extend(std::size_t entry) {
  if (!runs_.empty() && runs_.back().entry == entry) {
    ++runs_.back().extra;
    return;
  }
  const int before = runs_.empty() ? 0 : runs_.back().extra_before + runs_.back().extra;
  runs_.push_back(Run{entry, 1, before});
}

const LineRuns::Run* LineRuns::at_or_before(std::size_t entry) const {
  auto it = std::upper_bound(runs_.begin(), runs_.end(), entry, [](std::size_t e, const Run& r) { return e < r.entry; });
  return it == runs_.begin() ? nullptr : &*(it - 1);
}

LineSpan LineRuns::span(std::size_t entry) const {
  const Run* r = at_or_before(entry);
  const bool own = r && r->entry == entry;
  const int first = static_cast<int>(entry) + 1 + (!r ? 0 : own ? r->extra_before : r->extra_before + r->extra);
  return {first, first + (own ? r->extra : 0)};
}

int LineRuns::printed(std::size_t entries) const {
  return entries == 0 ? 0 : last(entries - 1);
}

std::size_t LineRuns::entry_of(int line) const {
  // The last run that starts at or before the line.
  auto it = std::upper_bound(runs_.begin(), runs_.end(), line, [](int l, const Run& r) {
    return l < static_cast<int>(r.entry) + 1 + r.extra_before;
  });
  if (it == runs_.begin()) return line < 1 ? 0 : static_cast<std::size_t>(line - 1);
  const Run& r = *(it - 1);
  const int start = static_cast<int>(r.entry) + 1 + r.extra_before;
  if (line <= start + r.extra) return r.entry;
  return static_cast<std::size_t>(line - 1 - r.extra_before - r.extra);
}

bool decode_source(std::string_view bytes, const std::string& name, const DecodeOptions& opts, SourceText* out,
                   Error* err) {
  if (looks_like_pdf(bytes)) return read_pdf(bytes, name, opts.ocr, out, err);
  if (!image_kind(bytes).empty()) return read_image_file(bytes, name, opts.ocr, out, err);
  out->name = name;
  out->lines.clear();
  out->runs.clear();
  out->places.clear();
  out->pages = 0;
  out->replaced = 0;
  out->encoding.clear();
  bool ok = false;
  const bool bom8 = bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF";
  const bool bom16le = bytes.size() >= 2 && bytes.substr(0, 2) == "\xFF\xFE";
  const bool bom16be = bytes.size() >= 2 && bytes.substr(0, 2) == "\xFE\xFF";

  if (!opts.encoding.empty()) {
    std::string enc = canonical_encoding(opts.encoding);
    if (enc.empty()) {
      *err = Error{ErrorKind::Usage, name, 0, 0, -1,
                   "unknown encoding '" + opts.encoding + "' (--encoding takes an ICU converter name such as UTF-8, "
                   "GB18030, GBK, UTF-16LE, UTF-16BE, Big5)"};
      return false;
    }
    if (is_utf8_name(enc)) {
      std::size_t skip = bom8 ? 3 : 0;
      ok = check_no_nul(bytes, skip, name, err) && decode_utf8(bytes, skip, name, opts.lossy, out, err);
    } else {
      UErrorCode st = U_ZERO_ERROR;
      ConverterPtr c(ucnv_open(enc.c_str(), &st));
      bool single_byte_units = U_SUCCESS(st) && c && ucnv_getMinCharSize(c.get()) == 1;
      ok = (!single_byte_units || check_no_nul(bytes, 0, name, err)) &&
           decode_icu(bytes, 0, name, enc, opts.lossy, out, err, opts.encoding);
      if (ok) out->encoding = opts.encoding;  // as the user named it (ICU's name for GBK is windows-936-2000)
    }
  } else if (bom16le || bom16be) {
    // ICU's UTF-16LE/BE converters keep a BOM as U+FEFF; skip it here.
    ok = decode_icu(bytes, 2, name, bom16le ? "UTF-16LE" : "UTF-16BE", opts.lossy, out, err);
  } else if (bom8) {
    ok = check_no_nul(bytes, 3, name, err) && decode_utf8(bytes, 3, name, opts.lossy, out, err);
  } else {
    if (!check_no_nul(bytes, 0, name, err)) return false;
    // The common case in one pass: valid UTF-8 holding a three-byte sequence
    // (any Chinese text) can be nothing else, whatever the census would say.
    bool has_long = std::any_of(bytes.begin(), bytes.end(), [](char b) {
      return static_cast<unsigned char>(b) >= 0xE0 && static_cast<unsigned char>(b) <= 0xF4;
    });
    if (has_long) {
      SourceText strict;
      Error strict_err;
      if (decode_utf8(bytes, 0, name, false, &strict, &strict_err)) {
        *out = std::move(strict);
        out->name = name;
        ok = true;
      }
    }
  }
  if (!ok && opts.encoding.empty() && !bom16le && !bom16be && !bom8) {
    Utf8Census census = utf8_census(bytes);
    SourceText gb_guess;
    Error ignored;
    if (maybe_gb18030(census) && decode_icu(bytes, 0, name, "GB18030", false, &gb_guess, &ignored)) {
      *out = std::move(gb_guess);
      out->name = name;
      ok = true;
    } else if (census.invalid == 0 || mostly_utf8(census)) {
      // Valid UTF-8, or UTF-8 with a few bad bytes: never re-read it as GB18030.
      ok = decode_utf8(bytes, 0, name, opts.lossy, out, err);
    } else {
      SourceText gb;
      Error gb_err;
      if (decode_icu(bytes, 0, name, "GB18030", false, &gb, &gb_err)) {
        *out = std::move(gb);
        out->name = name;
        ok = true;
      } else if (opts.lossy) {
        ok = decode_icu(bytes, 0, name, "GB18030", true, out, err);
      } else {
        gb_err.message = "neither UTF-8 nor GB18030: " + gb_err.message;
        *err = gb_err;
        return false;
      }
    }
  }
  if (!ok) return false;
  out->ocr = opts.ocr_text;  // the decoders above start from a fresh SourceText
  bool any = false;
  for (const auto& l : out->lines)
    if (!is_blank(l)) { any = true; break; }
  if (!any) {
    *err = input_error(name, 0, -1, bytes.empty() ? "no text: the file is empty" : "no text: the file is blank");
    out->lines.clear();
    out->runs.clear();
    return false;
  }
  return true;
}

bool read_source(const std::string& path, const DecodeOptions& opts, SourceText* out, Error* err) {
  std::string bytes;
  auto fail = [&](const std::string& msg) {
    *err = input_error(path, 0, -1, msg);
    return false;
  };
  int fd = path == "-" ? 0 : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    if (e == ENOENT) return fail("cannot read: no such file");
    if (e == EACCES) return fail("cannot read: permission denied");
    return fail(std::string("cannot read: ") + std::strerror(e));
  }
  struct FdCloser {
    int fd;
    ~FdCloser() { if (fd > 0) ::close(fd); }
  } closer{path == "-" ? -1 : fd};
  struct stat st;
  if (::fstat(fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) return fail("cannot read: is a folder");
    if (S_ISREG(st.st_mode)) {
      if (static_cast<unsigned long long>(st.st_size) > kMaxInputBytes)
        return fail("input too large: " + std::to_string(st.st_size) + " bytes (the limit is " +
                    std::to_string(kMaxInputBytes) + ")");
      bytes.reserve(static_cast<std::size_t>(st.st_size));
    }
  }
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EISDIR) return fail("cannot read: is a folder");
      return fail(std::string("cannot read: ") + std::strerror(errno));
    }
    if (n == 0) break;
    if (bytes.size() + static_cast<std::size_t>(n) > kMaxInputBytes)
      return fail("input too large: more than " + std::to_string(kMaxInputBytes) + " bytes");
    bytes.append(buf, static_cast<std::size_t>(n));
  }
  return decode_source(bytes, path, opts, out, err);
}

}  // namespace gazette

namespace gazette {

bool read_file_bounded(const std::string& path, std::size_t limit, std::string* out, std::string* why) {
  out->clear();
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    *why = std::string("cannot read: ") + std::strerror(errno);
    return false;
  }
  char buf[1 << 16];
  bool ok = true;
  for (;;) {
    std::size_t n = std::fread(buf, 1, sizeof buf, f);
    out->append(buf, n);
    if (out->size() > limit) {
      *why = "larger than " + std::to_string(limit) + " bytes";
      ok = false;
      break;
    }
    if (n < sizeof buf) {
      if (std::ferror(f)) {
        *why = std::string("cannot read: ") + std::strerror(errno);
        ok = false;
      }
      break;
    }
  }
  std::fclose(f);
  if (!ok) out->clear();
  return ok;
}

std::size_t nesting_depth(std::string_view text, bool yaml) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false, line_start = true;
  char quote = 0;
  std::size_t indent = 0, entries = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\' && quote == '"') ++i;
      else if (c == quote) in_string = false;
      else if (c == '\n' && yaml) in_string = false;  // an unclosed quote ends with its line here
      continue;
    }
    if (yaml && c == '\n') {
      line_start = true;
      indent = entries = 0;
      continue;
    }
    if (yaml && line_start) {
      if (c == ' ') { ++indent; continue; }
      if (c == '-' && i + 1 < text.size() && text[i + 1] == ' ') { ++entries; ++i; continue; }
      line_start = false;
      deepest = std::max(deepest, depth + indent / 2 + entries);
    }
    if (c == '"' || (yaml && c == '\'')) { in_string = true; quote = c; continue; }
    if (yaml && c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
      --i;
      continue;
    }
    if (c == '[' || c == '{') deepest = std::max(deepest, ++depth + (yaml ? indent / 2 + entries : 0));
    else if ((c == ']' || c == '}') && depth > 0) --depth;
  }
  return deepest;
}

void append_page_lines(std::vector<PageLine> lines, int page, SourceText* out) {
  // A page with nothing on it still ends a page: it prints as one blank line.
  if (lines.empty()) lines.push_back(PageLine{std::string(), LinePlace{page, 1, Box{}, -1}});
  if (page > 1) lines.front().text.insert(0, 1, '\f');
  for (PageLine& l : lines) {
    out->lines.push_back(std::move(l.text));
    out->places.push_back(l.place);
  }
  out->pages = std::max(out->pages, page);
}

}  // namespace gazette
