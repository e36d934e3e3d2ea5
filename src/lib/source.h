// Input decoding: bytes at the edge become UTF-8 lines. Invalid input is an
// error with a position, never silently replaced (unless lossy is asked for).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "diagnostics.h"
#include "model.h"
#include "ocr.h"
#include "page_layout.h"

namespace gazette {

/// Inputs larger than this are refused (an issue is a few megabytes; this
/// keeps memory bounded whatever is passed in).
constexpr std::size_t kMaxInputBytes = std::size_t{256} << 20;

struct DecodeOptions {
  DecodeOptions() = default;
  DecodeOptions(std::string enc, bool lossy_) : encoding(std::move(enc)), lossy(lossy_) {}
  std::string encoding;  ///< forced encoding name (ICU converter name); "" = detect
  bool lossy = false;    ///< replace undecodable bytes with U+FFFD instead of failing
  OcrOptions ocr;        ///< how scanned pages (image files, PDF pages without text) are read
  bool ocr_text = false; ///< a text file is OCR output made elsewhere (SourceText::ocr)
};

/// Where the entries of SourceText::lines stand in the print. An entry is one
/// printed line, except that a run of identical blank lines (empty, or spaces
/// and tabs only) is one entry standing for all of them: a file of ten million
/// newlines is a few records, not ten million. With no runs, entry i is
/// printed line i + 1.
class LineRuns {
 public:
  /// Entry `entry`, the last so far, stands for one more printed line.
  void extend(std::size_t entry);
  /// The first and last printed lines (1-based) of entry `entry`.
  LineSpan span(std::size_t entry) const;
  int first(std::size_t entry) const { return span(entry).first; }
  int last(std::size_t entry) const { return span(entry).last; }
  /// Printed lines entry `entry` stands for (1 unless it is a run).
  int count(std::size_t entry) const {
    const LineSpan s = span(entry);
    return s.last - s.first + 1;
  }
  /// The entry that holds printed line `line` (1-based).
  std::size_t entry_of(int line) const;
  /// Printed lines of `entries` entries (all of them: the text's line count).
  int printed(std::size_t entries) const;
  bool empty() const { return runs_.empty(); }
  void clear() { runs_.clear(); }

 private:
  struct Run {
    std::size_t entry;
    int extra;         ///< printed lines beyond the entry's first
    int extra_before;  ///< extra lines of the runs before this one
  };
  /// The last run whose entry is at most `entry`, or nullptr.
  const Run* at_or_before(std::size_t entry) const;
  std::vector<Run> runs_;
};

/// A decoded input: UTF-8 lines without their terminators. Without runs of
/// blank lines, line N is lines[N-1]; `runs` says where each entry stands.
struct SourceText {
  std::string name;          ///< the path as given, or "-" for standard input
  std::string encoding;      ///< what it was decoded from, e.g. UTF-8, GB18030, UTF-16LE
  std::vector<std::string> lines;
  LineRuns runs;             ///< blank runs held as one entry (text files only)
  std::size_t replaced = 0;  ///< bytes replaced by U+FFFD in lossy mode
  /// Where each line stands on its page, for a document read off pages (a
  /// PDF, a scan): places[N-1] is line N's. Empty for a text file.
  std::vector<LinePlace> places;
  int pages = 0;             ///< pages of the document (0 for a text file)
  bool ocr = false;          ///< some of the text was read by OCR: the grammar's OCR readings apply
  float low_confidence = 0;  ///< OCR lines under this confidence are flagged (OcrOptions::low_confidence)

  /// Printed lines (a blank run counts all its lines).
  int line_count() const { return runs.printed(lines.size()); }
  /// Printed line `line` (1-based), "" when there is none.
  const std::string& line(int line) const;
  /// Every printed line followed by '\n': the text as decoded.
  std::string text() const;
};

/// Reads a whole file of at most `limit` bytes into `out`: a regular file, a
/// pipe or a device alike (it stops at limit + 1 bytes, so /dev/zero ends).
/// Returns false with `why` ("cannot read: …", "larger than N bytes").
bool read_file_bounded(const std::string& path, std::size_t limit, std::string* out, std::string* why);

/// The byte offset of the first byte of `s` that starts no valid UTF-8
/// sequence, or std::string_view::npos when all of `s` is valid UTF-8.
std::size_t first_invalid_utf8(std::string_view s);

/// How deeply a JSON or YAML text nests (brackets, and in YAML block
/// indentation and `- ` entries), counted without parsing it: parsers and the
/// code that walks their trees recurse once a level.
std::size_t nesting_depth(std::string_view text, bool yaml);

/// Deeper texts are refused before they are parsed.
constexpr std::size_t kMaxNesting = 400;

/// Appends the lines of one page of a document (a form feed before the first
/// line of every page but the first, as pdftotext prints one) with their places.
void append_page_lines(std::vector<PageLine> lines, int page, SourceText* out);

/// The error for an OCR failure in a document of `pages` pages: the page it
/// stopped at, kind Usage when the engine could not start (no language
/// data), Input otherwise.
Error ocr_error(const std::string& name, const OcrFailure& f, int pages);

/// Reads a page-image file (PNG, JPEG, TIFF with one or more pages) by OCR.
bool read_image_file(std::string_view bytes, const std::string& name, const OcrOptions& ocr, SourceText* out,
                     Error* err);

/// Decodes `bytes` and splits LF, CRLF and CR line ends.
///
/// Detection, when `opts.encoding` is empty: a BOM names UTF-8, UTF-16LE or
/// UTF-16BE; otherwise valid UTF-8 is UTF-8, and so is UTF-8 with a few bad
/// bytes (at least nine in ten non-ASCII sequences valid): that is damaged
/// UTF-8 and an error, never re-read as GB18030. Anything else is read as
/// GB18030 (a superset of GBK and GB2312). Bad bytes stop decoding unless
/// `opts.lossy`, which replaces them with U+FFFD and counts them in `replaced`.
///
/// Returns false and fills `err` when the bytes cannot be decoded, contain NUL
/// (binary data), or hold no text (kind Input; line and byte offset in the
/// message and in `err` where known), or when `opts.encoding` is a name ICU
/// does not know (kind Usage).
bool decode_source(std::string_view bytes, const std::string& name, const DecodeOptions& opts,
                   SourceText* out, Error* err);

/// Reads a file (or standard input for "-") and decodes it as decode_source
/// does. A missing file, a folder, an unreadable file and a file larger than
/// kMaxInputBytes are errors of kind Input.
bool read_source(const std::string& path, const DecodeOptions& opts, SourceText* out, Error* err);

}  // namespace gazette
