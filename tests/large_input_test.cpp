// Large inputs finish, in bounded time: a 30 MB line without a newline and an
// issue with 100,000 notices. Time and memory are measured by
// bench/robustness.sh; here only that they convert, with a generous time cap.
// Under ASan/UBSan (several times slower) the sizes are a tenth.
#include <algorithm>
#include <chrono>
#include <functional>
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

// Memory: a run of blank lines is one record from decoding on (issue 15: ten
// million newlines took 3.9 GB), and out of memory is its own exit status.

TEST_CASE("a run of blank lines is one entry and keeps every line number", "[input][large]") {
  const std::size_t blanks = 10 * 1000 * 1000 / kScale;
  std::string text = "某县人民政府公报\n";
  text.append(blanks, '\n');
  text += "  \n  \n末行\n";
  gazette::SourceText src;
  gazette::Error err;
  REQUIRE(gazette::decode_source(text, "blank.txt", {}, &src, &err));
  CHECK(src.lines.size() == 4);  // masthead, the empty run, the run of "  ", 末行
  CHECK(src.line_count() == static_cast<int>(blanks) + 4);
  CHECK(src.line(1) == "某县人民政府公报");
  CHECK(src.line(2).empty());
  CHECK(src.line(static_cast<int>(blanks) + 1).empty());
  CHECK(src.line(static_cast<int>(blanks) + 2) == "  ");
  CHECK(src.line(static_cast<int>(blanks) + 4) == "末行");
  CHECK(src.line(static_cast<int>(blanks) + 5).empty());  // past the end
  CHECK(src.runs.first(3) == static_cast<int>(blanks) + 4);
  CHECK(src.runs.entry_of(static_cast<int>(blanks) + 3) == 2);
  CHECK(src.text() == text);
}

TEST_CASE("blank runs inside an issue shift the cited lines and nothing else", "[input][large]") {
  const std::string sample = read_file(fs::path(GAZETTE_SOURCE_DIR) / "samples" / "county-gazette-2024-01.txt");
  // The same issue with 999 more blank lines after its first blank line.
  const std::size_t cut = sample.find("\n\n") + 2;
  REQUIRE(cut != std::string::npos + 2);
  const int shifted_from = static_cast<int>(std::count(sample.begin(), sample.begin() + static_cast<long>(cut), '\n')) + 1;
  std::string padded = sample;
  padded.insert(cut, std::string(999, '\n'));
  gazette::Grammar g;
  gazette::Error err;
  REQUIRE(gazette::load_grammar(gazette::default_grammar_files(), &g, &err));
  gazette::SourceText a, b;
  REQUIRE(gazette::decode_source(sample, "a.txt", {}, &a, &err));
  REQUIRE(gazette::decode_source(padded, "b.txt", {}, &b, &err));
  CHECK(b.lines.size() == a.lines.size());
  gazette::Issue ia, ib;
  REQUIRE(gazette::convert_issue(std::move(a), g, &ia, &err));
  REQUIRE(gazette::convert_issue(std::move(b), g, &ib, &err));
  REQUIRE(ia.notices.size() == ib.notices.size());
  REQUIRE(!ia.notices.empty());
  auto moved = [&](int line) { return line >= shifted_from ? line + 999 : line; };
  std::function<void(const std::vector<gazette::Node>&, const std::vector<gazette::Node>&)> same =
      [&](const std::vector<gazette::Node>& x, const std::vector<gazette::Node>& y) {
        REQUIRE(x.size() == y.size());
        for (std::size_t i = 0; i < x.size(); ++i) {
          CHECK(x[i].text == y[i].text);
          CHECK(moved(x[i].line) == y[i].line);
          same(x[i].children, y[i].children);
        }
      };
  for (std::size_t n = 0; n < ia.notices.size(); ++n) {
    const gazette::Notice& x = ia.notices[n];
    const gazette::Notice& y = ib.notices[n];
    CHECK(x.title == y.title);
    REQUIRE(x.spans.size() == y.spans.size());
    for (std::size_t s = 0; s < x.spans.size(); ++s) {
      CHECK(moved(x.spans[s].first) == y.spans[s].first);
      CHECK(moved(x.spans[s].last) == y.spans[s].last);
    }
    same(x.body, y.body);
  }
  same(ia.front_matter, ib.front_matter);
}

TEST_CASE("ten million blank lines convert within 300 MB of address space", "[input][large]") {
  if (kSanitized) {
    WARN("skipped under the sanitizers: they reserve terabytes of address space");
    return;
  }
  TempDir dir;
  std::string text = "某县人民政府公报\n\n2024年第1期\n";
  text.append(10 * 1000 * 1000, '\n');
  write_file(dir.path() / "blank.txt", text);
  auto r = run_gazette("convert blank.txt -q -o out --format json", dir.path(), 300 * 1024);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(fs::exists(dir.path() / "out" / "issue.json"));
}

TEST_CASE("out of memory is exit status 5 with its own message and no output", "[input][large]") {
  if (kSanitized) {
    WARN("skipped under the sanitizers: they reserve terabytes of address space");
    return;
  }
  TempDir dir;
  write_file(dir.path() / "many.txt", many_notices(100000));
  auto r = run_gazette("convert many.txt -q -o out --format json", dir.path(), 120 * 1024);
  INFO(r.err);
  CHECK(r.status == 5);
  CHECK(r.err.find("out of memory") != std::string::npos);
  CHECK(!fs::exists(dir.path() / "out"));
  for (const auto& e : fs::directory_iterator(dir.path()))
    CHECK(e.path().filename().string().rfind(".gazette-tmp", 0) != 0);
}
