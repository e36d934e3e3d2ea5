// The fuzzers' seeds and every input that once crashed a fuzzer
// (fuzz/regressions/<target>/), replayed through the same code paths in the
// normal suite, so that the sanitizer build in CI runs them too.
#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "../fuzz/folder_input.h"
#include "convert.h"
#include "diff.h"
#include "issue_folder.h"
#include "grammar.h"
#include "rule_examples.h"
#include "io_test_support.h"
#include "source.h"
#include "writer.h"

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> inputs(const std::vector<std::string>& folders) {
  std::vector<fs::path> out;
  for (const auto& f : folders) {
    fs::path dir = fs::path(GAZETTE_SOURCE_DIR) / f;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
      if (e.is_regular_file() && e.path().filename() != ".gitkeep") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("convert fuzzer seeds and regressions run clean", "[fuzz]") {
  gazette::Grammar g;
  gazette::Error err;
  REQUIRE(gazette::load_grammar({std::string(GAZETTE_SOURCE_DIR) + "/grammars/base.yaml"}, &g, &err));
  auto files = inputs({"fuzz/seeds/convert", "fuzz/regressions/convert"});
  REQUIRE(files.size() >= 5);
  for (const auto& p : files) {
    DYNAMIC_SECTION(p.filename().string()) {
      std::string bytes = gazette::io_test::read_file(p);
      for (bool lossy : {false, true}) {
        gazette::SourceText src;
        if (!gazette::decode_source(bytes, p.filename().string(), {"", lossy}, &src, &err)) {
          CHECK(!err.message.empty());
          continue;
        }
        gazette::Issue issue;
        if (!gazette::convert_issue(src, g, &issue, &err)) continue;
        for (auto f : {gazette::Format::Json, gazette::Format::Yaml})
          for (const auto& out : gazette::render_issue(issue, f)) CHECK(out.name.find('/') == std::string::npos);
      }
    }
  }
}

TEST_CASE("grammar fuzzer seeds and regressions load or fail with a message", "[fuzz]") {
  auto files = inputs({"fuzz/seeds/grammar", "fuzz/regressions/grammar"});
  REQUIRE(files.size() >= 5);
  for (const auto& p : files) {
    DYNAMIC_SECTION(p.filename().string()) {
      gazette::Grammar g;
      gazette::Error err;
      if (gazette::load_grammar({p.string()}, &g, &err)) {
        int run = 0;
        (void)gazette::check_examples(g, &run);
      } else {
        CHECK(!err.message.empty());
        CHECK(err.kind == gazette::ErrorKind::Grammar);
      }
    }
  }
}

TEST_CASE("folder fuzzer seeds and regressions read back or fail with a message", "[fuzz]") {
  auto files = inputs({"fuzz/seeds/folder", "fuzz/regressions/folder"});
  REQUIRE(files.size() >= 10);
  for (const auto& p : files) {
    DYNAMIC_SECTION(p.filename().string()) {
      gazette::io_test::TempDir dir;
      gazette::fuzz::write_folder(gazette::io_test::read_file(p), dir.path().string());
      gazette::Issue issue;
      gazette::Error err;
      const bool read = gazette::read_issue_folder(dir.path().string(), &issue, &err);
      if (read) {
        const gazette::IssueDiff same = gazette::diff_issues(issue, issue);
        for (const auto& n : same.notices) CHECK(n.status == gazette::NoticeStatus::Unchanged);
        (void)gazette::render_diff_text(gazette::diff_issues(gazette::Issue{}, issue));
      } else {
        CHECK(!err.message.empty());
        CHECK(err.kind == gazette::ErrorKind::Input);
      }
      // Bytes that are not UTF-8 are not a file convert wrote (they would
      // travel on into diff's output).
      if (p.filename().string().rfind("invalid-utf8", 0) == 0) {
        CHECK_FALSE(read);
        CHECK(err.message.find("not valid UTF-8") != std::string::npos);
      }
      // The seeds convert wrote read back; the hostile ones are refused.
      if (p.parent_path().filename() == "folder" && p.parent_path().parent_path().filename() == "seeds")
        CHECK(read == (p.filename().string().rfind("hostile-", 0) != 0));
    }
  }
}
