// Input decoding: bytes at the edge become UTF-8 lines. Invalid input is an
// error with a position, never silently replaced (unless lossy is asked for).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "diagnostics.h"

namespace gazette {

struct DecodeOptions {
  std::string encoding;  ///< forced encoding name (ICU converter name); "" = detect
  bool lossy = false;    ///< replace undecodable bytes with U+FFFD instead of failing
};

/// A decoded input: UTF-8 lines without their terminators. Line N is lines[N-1].
struct SourceText {
  std::string name;          ///< the path as given, or "-" for standard input
  std::string encoding;      ///< what it was decoded from, e.g. UTF-8, GB18030, UTF-16LE
  std::vector<std::string> lines;
  std::size_t replaced = 0;  ///< bytes replaced by U+FFFD in lossy mode
};

/// Decodes `bytes` (BOM, UTF-8, UTF-16 LE/BE, GB18030/GBK detected or forced),
/// splits LF, CRLF and CR line ends. Returns false and fills `err` (kind Input,
/// with line and byte offset where known) when the bytes cannot be decoded,
/// contain NUL bytes, or hold no text.
bool decode_source(std::string_view bytes, const std::string& name, const DecodeOptions& opts,
                   SourceText* out, Error* err);

/// Reads a file (or standard input for "-") and decodes it as decode_source does.
bool read_source(const std::string& path, const DecodeOptions& opts, SourceText* out, Error* err);

}  // namespace gazette
