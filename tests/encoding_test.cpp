// Encodings: the same issue in any encoding and with any line ends converts
// to the same notices. decode_source directly for the small cases; the real
// binary on the shared issue re-encoded with ICU for the whole pipeline.
#include <unicode/ucnv.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "io_test_support.h"
#include "source.h"

namespace fs = std::filesystem;
using gazette::DecodeOptions;
using gazette::Error;
using gazette::ErrorKind;
using gazette::SourceText;
using gazette::io_test::read_file;
using gazette::io_test::run_gazette;
using gazette::io_test::TempDir;
using gazette::io_test::write_file;

namespace {

/// UTF-8 text in another encoding, through ICU (fails the test when a
/// character has no mapping rather than substituting it).
std::string encode(const std::string& utf8, const char* encoding) {
  UErrorCode st = U_ZERO_ERROR;
  std::string out(utf8.size() * 4 + 16, '\0');
  int32_t n = ucnv_convert(encoding, "UTF-8", out.data(), static_cast<int32_t>(out.size()), utf8.data(),
                           static_cast<int32_t>(utf8.size()), &st);
  REQUIRE(U_SUCCESS(st));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size()) s.replace(p, from.size(), to);
  return s;
}

struct Decoded {
  bool ok = false;
  SourceText src;
  Error err;
};

Decoded decode(const std::string& bytes, DecodeOptions opts = {}) {
  Decoded d;
  d.ok = gazette::decode_source(bytes, "t.txt", opts, &d.src, &d.err);
  return d;
}

const std::string kText = "某县人民政府\n\n关于做好春季防火工作的通知\n\n某政发〔2024〕5号\n各乡镇：\n";
const std::vector<std::string> kLines = {"某县人民政府", "", "关于做好春季防火工作的通知", "", "某政发〔2024〕5号",
                                         "各乡镇："};

}  // namespace

TEST_CASE("every supported encoding decodes to the same lines", "[encoding]") {
  struct Case {
    const char* label;
    std::string bytes;
    const char* encoding;
  };
  const std::vector<Case> cases = {
      {"UTF-8", kText, "UTF-8"},
      {"UTF-8 with BOM", "\xEF\xBB\xBF" + kText, "UTF-8"},
      {"UTF-8, CRLF", replace_all(kText, "\n", "\r\n"), "UTF-8"},
      {"UTF-8, CR", replace_all(kText, "\n", "\r"), "UTF-8"},
      {"GB18030", encode(kText, "GB18030"), "GB18030"},
      {"GBK, CRLF", encode(replace_all(kText, "\n", "\r\n"), "GBK"), "GB18030"},
      {"UTF-16LE with BOM", "\xFF\xFE" + encode(kText, "UTF-16LE"), "UTF-16LE"},
      {"UTF-16BE with BOM, CRLF", "\xFE\xFF" + encode(replace_all(kText, "\n", "\r\n"), "UTF-16BE"), "UTF-16BE"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      auto d = decode(c.bytes);
      INFO(d.err.message);
      REQUIRE(d.ok);
      CHECK(d.src.encoding == c.encoding);
      CHECK(d.src.lines == kLines);
      CHECK(d.src.replaced == 0);
    }
  }
}

TEST_CASE("line ends: LF and CRLF and CR mixed and a last line without one", "[encoding]") {
  auto d = decode("a\r\nb\rc\nd\r\r\ne");
  REQUIRE(d.ok);
  CHECK(d.src.lines == std::vector<std::string>{"a", "b", "c", "d", "", "e"});
}

TEST_CASE("short GBK text that is also valid UTF-8 is read as GB18030", "[encoding]") {
  // 通知 in GBK is CD A8 D6 AA: two valid 2-byte UTF-8 sequences (U+0368 U+05AA).
  auto d = decode("\xCD\xA8\xD6\xAA\n");
  REQUIRE(d.ok);
  CHECK(d.src.encoding == "GB18030");
  CHECK(d.src.lines == std::vector<std::string>{"通知"});
  // Latin text with accents stays UTF-8.
  auto latin = decode("café résumé naïve\n");
  REQUIRE(latin.ok);
  CHECK(latin.src.encoding == "UTF-8");
  CHECK(latin.src.lines == std::vector<std::string>{"café résumé naïve"});
}

TEST_CASE("UTF-8 with a few bad bytes is damaged UTF-8 and never GB18030", "[encoding]") {
  std::string bytes = kText;
  bytes.insert(bytes.find("关于"), "\xC0");
  auto d = decode(bytes);
  REQUIRE_FALSE(d.ok);
  CHECK(d.err.kind == ErrorKind::Input);
  CHECK(d.err.line == 3);
  CHECK(d.err.byte_offset == static_cast<long long>(kText.find("关于")));
  CHECK(d.err.message.rfind("invalid UTF-8 at byte offset " + std::to_string(d.err.byte_offset) + " (0xC0)", 0) == 0);
  auto lossy = decode(bytes, {"", true});
  REQUIRE(lossy.ok);
  CHECK(lossy.src.encoding == "UTF-8");
  CHECK(lossy.src.replaced == 1);
  CHECK(lossy.src.lines[2] == "\xEF\xBF\xBD关于做好春季防火工作的通知");
}

TEST_CASE("a damaged byte's line counts CR and CRLF line ends", "[encoding]") {
  std::string bytes = "a\r\nb\rc\n\xFF\n";
  auto d = decode(bytes);
  REQUIRE_FALSE(d.ok);
  CHECK(d.err.line == 4);
  CHECK(d.err.byte_offset == 7);
}

TEST_CASE("GB18030 errors and lossy GB18030", "[encoding]") {
  std::string bytes = encode(kText, "GB18030");
  std::size_t at = bytes.find('\n', bytes.find('\n') + 1) + 1;  // start of line 3
  bytes.insert(at, "\x81\x20");                                  // a lead byte without a trail
  auto d = decode(bytes);
  REQUIRE_FALSE(d.ok);
  CHECK(d.err.line == 3);
  CHECK(d.err.byte_offset == static_cast<long long>(at));
  CHECK(d.err.message.find("invalid GB18030 at byte offset " + std::to_string(at)) != std::string::npos);
  auto lossy = decode(bytes, {"", true});
  REQUIRE(lossy.ok);
  CHECK(lossy.src.encoding == "GB18030");
  CHECK(lossy.src.replaced >= 1);
  CHECK(lossy.src.lines[2].find("\xEF\xBF\xBD") != std::string::npos);
}

TEST_CASE("UTF-16: an odd last byte or a lone surrogate or a NUL character", "[encoding]") {
  std::string le = "\xFF\xFE" + encode("通知\n", "UTF-16LE");
  auto odd = decode(le + "A");
  REQUIRE_FALSE(odd.ok);
  CHECK(odd.err.message.find("invalid UTF-16LE") != std::string::npos);
  auto lone = decode(le + std::string("\x00\xD8\x41\x00", 4));
  REQUIRE_FALSE(lone.ok);
  CHECK(lone.err.line == 2);
  auto nul = decode(le + std::string("\x41\x00\x00\x00", 4));
  REQUIRE_FALSE(nul.ok);
  CHECK(nul.err.message == "binary data: NUL character at byte offset 10");
  CHECK(nul.err.line == 2);
  auto lossy = decode(le + std::string("\x00\xD8\x41\x00", 4), {"", true});
  REQUIRE(lossy.ok);
  CHECK(lossy.src.lines == std::vector<std::string>{"通知", "\xEF\xBF\xBD" "A"});
}

TEST_CASE("forcing with --encoding works and an unknown name is a usage error", "[encoding]") {
  auto le = decode(encode("通知\n", "UTF-16LE"), {"UTF-16LE", false});  // no BOM: only forcing reads it
  REQUIRE(le.ok);
  CHECK(le.src.lines == std::vector<std::string>{"通知"});
  CHECK(le.src.encoding == "UTF-16LE");
  auto gbk = decode(encode(kText, "GBK"), {"gbk", false});
  REQUIRE(gbk.ok);
  CHECK(gbk.src.encoding == "gbk");
  CHECK(gbk.src.lines == kLines);
  auto bad = decode(kText, {"no-such-encoding", false});
  REQUIRE_FALSE(bad.ok);
  CHECK(bad.err.kind == ErrorKind::Usage);
  CHECK(bad.err.message.rfind("unknown encoding 'no-such-encoding'", 0) == 0);
  auto forced_utf8 = decode(encode(kText, "GB18030"), {"UTF-8", false});
  REQUIRE_FALSE(forced_utf8.ok);
  CHECK(forced_utf8.err.message.rfind("invalid UTF-8", 0) == 0);
}

TEST_CASE("the shared issue in GB18030 or UTF-16 or CRLF+BOM converts as the UTF-8 run does", "[encoding][corpus]") {
  const fs::path corpus = fs::path(GAZETTE_SOURCE_DIR) / ".." / "shared" / "corpus" / "tumote-zuoqi-2023-02.txt";
  if (!fs::exists(corpus)) {
    WARN("skipped: " << corpus << " is absent");
    return;
  }
  const std::string utf8 = read_file(corpus);
  struct Variant {
    const char* label;
    std::string bytes;
    const char* encoding;  ///< source.encoding in issue.json
  };
  const std::vector<Variant> variants = {
      {"utf8", utf8, "UTF-8"},
      {"gb18030", encode(utf8, "GB18030"), "GB18030"},
      {"utf16le-bom", "\xFF\xFE" + encode(utf8, "UTF-16LE"), "UTF-16LE"},
      {"utf16be-bom", "\xFE\xFF" + encode(utf8, "UTF-16BE"), "UTF-16BE"},
      {"utf8-bom-crlf", "\xEF\xBB\xBF" + replace_all(utf8, "\n", "\r\n"), "UTF-8"},
      {"utf8-cr", replace_all(utf8, "\n", "\r"), "UTF-8"},
  };
  TempDir dir;
  // Each variant as issue.txt in its own folder, so that source.file is the same.
  for (const auto& v : variants) {
    fs::path d = dir.path() / v.label;
    write_file(d / "issue.txt", v.bytes);
    auto r = run_gazette("convert issue.txt -o out --format json -q", d);
    INFO(v.label << ": " << r.err);
    REQUIRE(r.status == 0);
  }
  auto listing = [](const fs::path& out) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(out)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  };
  const fs::path ref = dir.path() / "utf8" / "out";
  const auto names = listing(ref);
  REQUIRE(names.size() > 10);
  for (const auto& v : variants) {
    DYNAMIC_SECTION(v.label) {
      fs::path out = dir.path() / v.label / "out";
      REQUIRE(listing(out) == names);
      for (const auto& n : names) {
        INFO(n);
        if (n == "issue.json") continue;
        CHECK(read_file(out / n) == read_file(ref / n));  // byte for byte
      }
      auto issue = nlohmann::json::parse(read_file(out / "issue.json"));
      auto want = nlohmann::json::parse(read_file(ref / "issue.json"));
      CHECK(issue["source"]["encoding"] == v.encoding);
      issue["source"].erase("encoding");
      want["source"].erase("encoding");
      CHECK(issue == want);
    }
  }
}
