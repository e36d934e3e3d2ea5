#include "source.h"

#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <iostream>
#include <sys/stat.h>

namespace gazette {
namespace {

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

void split_lines(std::string_view text, std::vector<std::string>* lines) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n' || c == '\r') {
      lines->emplace_back(text.substr(start, i - start));
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  if (start < text.size()) lines->emplace_back(text.substr(start));
}

}  // namespace

bool decode_source(std::string_view bytes, const std::string& name, const DecodeOptions& opts,
                   SourceText* out, Error* err) {
  out->name = name;
  out->lines.clear();
  out->replaced = 0;
  auto fail = [&](int line, long long offset, std::string msg) {
    *err = Error{ErrorKind::Input, name, line, 0, offset, std::move(msg)};
    return false;
  };
  std::string_view body = bytes;
  if (body.size() >= 3 && body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  std::string text;
  text.reserve(body.size());
  int line = 1;
  for (std::size_t i = 0; i < body.size();) {
    char c = body[i];
    if (c == '\0') return fail(line, (long long)(i + (bytes.size() - body.size())), "binary data: NUL byte");
    if (c == '\n') ++line;
    std::size_t n = utf8_sequence_length(body, i);
    if (n == 0) {
      if (!opts.lossy)
        return fail(line, (long long)(i + (bytes.size() - body.size())),
                    "invalid UTF-8 byte 0x" + [&] { char b[3]; std::snprintf(b, 3, "%02X", (unsigned char)c); return std::string(b); }() +
                        " (use --encoding to name the encoding, or --lossy to replace bad bytes)");
      text += "\xEF\xBF\xBD";
      ++out->replaced;
      ++i;
      continue;
    }
    text.append(body.substr(i, n));
    i += n;
  }
  out->encoding = "UTF-8";
  split_lines(text, &out->lines);
  bool any = false;
  for (const auto& l : out->lines)
    if (l.find_first_not_of(" \t") != std::string::npos) { any = true; break; }
  if (!any) return fail(0, -1, "no text: the file is empty or blank");
  return true;
}

bool read_source(const std::string& path, const DecodeOptions& opts, SourceText* out, Error* err) {
  std::string bytes;
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    bytes = ss.str();
  } else {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) {
      *err = Error{ErrorKind::Input, path, 0, 0, -1, "cannot read: no such file"};
      return false;
    }
    if (S_ISDIR(st.st_mode)) {
      *err = Error{ErrorKind::Input, path, 0, 0, -1, "cannot read: is a folder"};
      return false;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      *err = Error{ErrorKind::Input, path, 0, 0, -1, "cannot read: permission denied or unreadable"};
      return false;
    }
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return decode_source(bytes, path, opts, out, err);
}

}  // namespace gazette
