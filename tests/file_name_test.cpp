// notice_file_stem: a file name made from a 文号 never leaves the output
// folder, whatever the 文号 holds.
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "json_model.h"
#include "model.h"
#include "writer.h"

namespace {

std::string stem_of(const std::string& agency, std::optional<int> year = 2024, std::optional<int> seq = 1,
                    std::size_t index = 0) {
  gazette::DocNumber d;
  d.agency = agency;
  d.year = year;
  d.seq = seq;
  return gazette::notice_file_stem(d, index);
}

/// Valid UTF-8 throughout (a cut inside a character would make a name some
/// file systems refuse).
bool valid_utf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

void check_safe(const std::string& stem) {
  INFO("stem: " << stem);
  CHECK(!stem.empty());
  CHECK(stem != "." );
  CHECK(stem != "..");
  CHECK(stem[0] != '.');
  CHECK(stem[0] != '-');  // not an option to a shell tool
  CHECK(stem.find('/') == std::string::npos);
  CHECK(stem.find('\\') == std::string::npos);
  CHECK(stem.find("..") == std::string::npos);
  CHECK(stem.find("\xEF\xBC\x8F") == std::string::npos);  // ／
  CHECK(stem.find("\xEF\xBC\x8E") == std::string::npos);  // ．
  CHECK(stem.find("\xE2\x88\x95") == std::string::npos);  // ∕ division slash
  CHECK(stem.find("\xE2\x81\x84") == std::string::npos);  // ⁄ fraction slash
  for (unsigned char c : stem) CHECK((c >= 0x20 && c != 0x7F));
  CHECK(stem.size() <= 200);
  CHECK(valid_utf8(stem));
}

}  // namespace

TEST_CASE("file names from hostile 文号 stay in the folder", "[output][file-name]") {
  const std::string agencies[] = {
      "../../etc/passwd", "/etc/passwd", "..", ".", "...", "a/../b", "某／．．／政发", "．．", "．", "某\\政发",
      "\x1b[31m政发", "政\n发", "政\t发", "政\r发", "政\x7F发", "∕etc∕passwd", "⁄etc⁄passwd",
      "-rf", "--help", " 政发 ", "\xE2\x80\xAE" "fdp.exe",  // right-to-left override
      "政\xE2\x80\x8B发",                                   // zero-width space
      "ｅｔｃ／ｐａｓｓｗｄ", "︰︰", "﹒﹒／",
  };
  for (const auto& a : agencies) {
    DYNAMIC_SECTION(a) { check_safe(stem_of(a)); }
  }
}

TEST_CASE("an empty or all-punctuation agency falls back to a numbered name", "[output][file-name]") {
  CHECK(stem_of("", std::nullopt, std::nullopt, 4) == "notice-5");
  CHECK(stem_of("/", std::nullopt, std::nullopt, 0) == "notice-1");
  CHECK(stem_of("．．", std::nullopt, std::nullopt, 1) == "notice-2");
  CHECK(stem_of("", 2024, 3) == "2024-3");
  check_safe(stem_of("", 2024, 3));
}

TEST_CASE("ordinary 文号 give readable names", "[output][file-name]") {
  CHECK(stem_of("土左政字", 2023, 73) == "土左政字-2023-73");
  CHECK(stem_of("国令", std::nullopt, 707) == "国令-707");
  CHECK(stem_of("内卫办中(蒙)管理字", 2022, 73).find('/') == std::string::npos);
}

// Known bug (json_model.cpp, reported to the lead): notice_file_stem cuts at
// 200 bytes with std::string::resize, which can split a UTF-8 character and
// leave an invalid name.
TEST_CASE("a very long agency is cut on a character boundary", "[output][file-name]") {
  std::string agency;
  for (int i = 0; i < 100; ++i) agency += "政";  // 300 bytes
  std::string s = stem_of("x" + agency);          // odd offset: 1 + 3k never lands on 200
  check_safe(s);
}

TEST_CASE("notices sharing one 文号 are numbered -2, -3, … in order, each name once", "[output][file-name]") {
  // 20,000 notices took 181 s when each looked for its suffix from -2 again.
  using namespace gazette;
  Issue issue;
  DocNumber d;
  d.text = d.canonical = "土左政字〔2023〕73号";
  d.agency = "土左政字";
  d.year = 2023;
  d.seq = 73;
  issue.notices.assign(20000, Notice{});
  for (Notice& n : issue.notices) n.docnum = d;
  IssueFiles files(issue, Format::Json);
  const std::vector<std::string>& names = files.names();
  REQUIRE(names.size() == 20001);
  const std::string stem = notice_file_stem(d, 0);
  CHECK(names[0] == stem + ".json");
  CHECK(names[1] == stem + "-2.json");
  CHECK(names[19999] == stem + "-20000.json");
  CHECK(names.back() == "issue.json");
  CHECK(std::set<std::string>(names.begin(), names.end()).size() == names.size());
}
