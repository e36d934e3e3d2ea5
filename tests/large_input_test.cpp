// Large inputs finish, in bounded time: a 30 MB line without a newline and an
// issue with 100,000 notices. Time and memory are measured by
// bench/robustness.sh; here only that they convert, with a generous time cap.
// Under ASan/UBSan (several times slower) the sizes are a tenth.
#include <chrono>
#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "convert.h"
#include "grammar.h"
#include "io_test_support.h"
#include "source.h"
#include "writer.h"

namespace fs = std::filesystem;
using gazette::io_test::read_file;
using gazette::io_test::run_gazette;
using gazette::io_test::TempDir;
using gazette::io_test::write_file;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

constexpr std::size_t kScale = kSanitized ? 10 : 1;

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// `n` notices, each with its own 文号 (years 2001.. so that the sequence
/// number stays within five digits).
std::string many_notices(std::size_t n) {
  std::string s = "某县人民政府公报\n\n2024年第1期\n\n";
  s.reserve(n * 200);
  for (std::size_t i = 0; i < n; ++i) {
    std::string k = std::to_string(i + 1);
    std::string docnum = "某政发〔" + std::to_string(2001 + i / 50000) + "〕" + std::to_string(i % 50000 + 1) + "号";
    s += "某县人民政府\n\n关于第" + k + "项工作的通知\n\n" + docnum + "\n\n各乡镇：\n\n现就第" + k +
         "项工作通知如下。\n\n某县人民政府\n\n2024年1月15日\n\n";
  }
  return s;
}

}  // namespace

TEST_CASE("a 30 MB line without a newline converts", "[input][large]") {
  TempDir dir;
  const std::size_t bytes = 30 * 1000 * 1000 / kScale;
  std::string text = "某县人民政府公报\n";
  const std::string piece = "这是一行很长的文字，没有换行。";
  while (text.size() < bytes) text += piece;
  write_file(dir.path() / "long.txt", text);
  auto t0 = std::chrono::steady_clock::now();
  auto r = run_gazette("convert long.txt -o out --format json", dir.path());
  double s = seconds_since(t0);
  INFO(r.err << "\n" << s << " s");
  REQUIRE(r.status == 0);
  CHECK(fs::exists(dir.path() / "out" / "issue.json"));
  CHECK(s < 60);
}

TEST_CASE("an issue with 100000 notices converts", "[input][large]") {
  const std::size_t n = 100000 / kScale;
  const std::string text = many_notices(n);
  gazette::Grammar g;
  gazette::Error err;
  REQUIRE(gazette::load_grammar({std::string(GAZETTE_SOURCE_DIR) + "/grammars/base.yaml"}, &g, &err));
  auto t0 = std::chrono::steady_clock::now();
  gazette::SourceText src;
  REQUIRE(gazette::decode_source(text, "many.txt", {}, &src, &err));
  gazette::Issue issue;
  REQUIRE(gazette::convert_issue(src, g, &issue, &err));
  CHECK(issue.notices.size() == n);
  // Rendering and names: as many files as notices, plus issue.json, all distinct.
  auto files = gazette::render_issue(issue, gazette::Format::Json);
  CHECK(files.size() == n + 1);
  double s = seconds_since(t0);
  INFO(s << " s");
  CHECK(s < 60);
  // Writing them (the slow part on a real disk: one file per notice) is
  // measured by bench/robustness.sh; here a tenth, to see it completes.
  files.erase(files.begin() + static_cast<long>(files.size() / 10), files.end() - 1);
  TempDir dir;
  REQUIRE(gazette::write_files((dir.path() / "out").string(), files, &err));
  CHECK(read_file(dir.path() / "out" / "issue.json").size() > n * 50);
}
