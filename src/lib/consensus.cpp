#include "consensus.h"

#include <algorithm>
#include <map>

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include "text.h"

namespace gazette {
namespace {

/// Names this long (in characters) are corrected at any position.
constexpr std::size_t kLongName = 6;

std::u32string to_u32(std::string_view s) {
  std::u32string out;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const int32_t n = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    out.push_back(c < 0 ? 0xFFFD : static_cast<char32_t>(c));
  }
  return out;
}

std::string to_u8(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) {
    uint8_t buf[4];
    int32_t k = 0;
    U8_APPEND_UNSAFE(buf, k, static_cast<UChar32>(c));
    out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(k));
  }
  return out;
}

bool is_han(char32_t c) { return u_getIntPropertyValue(static_cast<UChar32>(c), UCHAR_SCRIPT) == USCRIPT_HAN; }

std::size_t count_in(const std::vector<std::string>& lines, const std::string& name) {
  std::size_t n = 0;
  for (const std::string& l : lines)
    for (std::size_t at = l.find(name); at != std::string::npos; at = l.find(name, at + name.size())) ++n;
  return n;
}

}  // namespace

std::vector<AgreedName> agreed_names(const std::vector<std::string>& lines, const std::vector<std::string>& issue_names,
                                     const std::vector<std::string>& known_names) {
  std::map<std::string, bool> all;  // name -> known; ordered, so the result is too
  for (const std::string& n : issue_names) all.emplace(n, false);
  for (const std::string& n : known_names) all[n] = true;
  std::vector<AgreedName> out;
  for (const auto& [text, known] : all) {
    // Three characters are too few for a name the issue found itself: 国办发,
    // an agency code, is one character from the 国家发 of 国家发展改革委.
    if (utf8_length(text) < (known ? 3u : 4u)) continue;
    AgreedName a{text, static_cast<int>(count_in(lines, text)), known};
    if (a.known || a.count >= kAgreedPrintings) out.push_back(std::move(a));
  }
  return out;
}

void correct_by_consensus(std::vector<std::string>* lines, const std::vector<AgreedName>& names,
                          std::vector<Reading>* readings) {
  struct Name {
    const AgreedName* agreed;
    std::u32string chars;
  };
  std::vector<Name> ns;
  for (const AgreedName& a : names) ns.push_back(Name{&a, to_u32(a.text)});
  // Longer names first: a misread 土默特左旗人民政府 is read whole.
  std::stable_sort(ns.begin(), ns.end(), [](const Name& a, const Name& b) { return a.chars.size() > b.chars.size(); });
  // How often each misreading is printed: a form printed as often as a third
  // of the agreed one's printings is a word of its own.
  std::map<std::string, int> variant_count;
  std::vector<std::u32string> text(lines->size());
  for (std::size_t i = 0; i < lines->size(); ++i) text[i] = to_u32((*lines)[i]);
  struct Hit {
    std::size_t line, at;
    const Name* name;
  };
  std::vector<Hit> hits;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::u32string& t = text[i];
    for (const Name& n : ns) {
      const std::size_t len = n.chars.size();
      if (t.size() < len) continue;
      for (std::size_t at = 0; at + len <= t.size(); ++at) {
        int diff = 0;
        std::size_t where = 0;
        for (std::size_t k = 0; k < len && diff < 2; ++k)
          if (t[at + k] != n.chars[k]) { ++diff; where = k; }
        if (diff != 1) continue;
        // In a short name an end may be another word's: 察素齐至 (察素齐 to …)
        // is not 察素齐镇 misread. Only a long name is read from either end.
        if (len < kLongName && (where == 0 || where + 1 == len)) continue;
        const char32_t got = t[at + where], want = n.chars[where];
        if (is_han(got) != is_han(want) || u_isspace(static_cast<UChar32>(got))) continue;
        hits.push_back(Hit{i, at, &n});
        ++variant_count[to_u8(t.substr(at, len))];
        at += len - 1;
      }
    }
  }
  std::size_t h = 0;
  while (h < hits.size()) {
    const std::size_t line = hits[h].line;
    const std::string printed = (*lines)[line];
    std::u32string& t = text[line];
    std::vector<std::string> why;
    for (; h < hits.size() && hits[h].line == line; ++h) {
      const Hit& x = hits[h];
      const std::size_t len = x.name->chars.size();
      const std::string seen = to_u8(t.substr(x.at, len));
      const AgreedName& a = *x.name->agreed;
      if (t.compare(x.at, len, x.name->chars) == 0) continue;  // a longer name read it already
      if (!a.known && variant_count[seen] * 3 > a.count) continue;
      t.replace(x.at, len, x.name->chars);
      why.push_back(a.known ? seen + " is " + a.text + ", a name the rule files know"
                            : seen + " is " + a.text + ", printed so " + std::to_string(a.count) + " times in the issue");
    }
    if (why.empty()) continue;
    std::string all;
    for (const std::string& w : why) all += (all.empty() ? "" : "; ") + w;
    (*lines)[line] = to_u8(t);
    if (readings) readings->push_back(Reading{static_cast<int>(line + 1), "ocr.consensus", printed, (*lines)[line], all});
  }
}

}  // namespace gazette
