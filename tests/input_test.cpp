// Input a user can trust: every bad input runs the real binary and checks its
// exit status and the exact message on stderr (one line per problem, in the
// form `gazette: FILE:LINE: …`). One table row per case.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "io_test_support.h"

namespace fs = std::filesystem;
using gazette::io_test::read_file;
using gazette::io_test::run_gazette;
using gazette::io_test::TempDir;
using gazette::io_test::write_file;

namespace {

/// A short issue in the real format: one notice, a 文号, a date.
const char* const kIssue =
    "某县人民政府\n\n关于做好春季防火工作的通知\n\n某政发〔2024〕5号\n\n各乡镇人民政府：\n\n"
    "现就有关事项通知如下。\n\n某县人民政府\n\n2024年1月15日\n";

std::string base_grammar() { return std::string(GAZETTE_SOURCE_DIR) + "/grammars/base.yaml"; }

/// Names of the files in `dir` that a run left half-done.
std::vector<std::string> temp_files(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().filename().string().find("tmp") != std::string::npos) out.push_back(e.path().filename().string());
  return out;
}

struct BadInput {
  std::string name;
  std::function<void(const fs::path& dir)> setup;  ///< makes the files the case needs
  std::string args;                                 ///< after `gazette`, run in `dir`
  int status;
  std::vector<std::string> messages;                ///< each must appear on stderr
};

std::vector<BadInput> bad_inputs() {
  std::string utf8 = kIssue;
  std::string corrupt = utf8;
  // Line 5 is the 文号 line: a stray byte before its first character.
  std::size_t at = corrupt.find("某政发");
  corrupt.insert(at, 1, '\xFF');
  std::string two_bad = corrupt;
  two_bad.insert(two_bad.find("各乡镇"), 1, '\xFE');
  std::string with_nul = utf8;
  std::size_t nul_at = with_nul.find("关于");
  with_nul[nul_at] = '\0';
  auto file = [](const std::string& name, const std::string& bytes) {
    return [name, bytes](const fs::path& dir) { write_file(dir / name, bytes); };
  };
  auto none = [](const fs::path&) {};
  auto issue_and = [&](const std::string& name, const std::string& bytes) {
    return [name, bytes](const fs::path& dir) {
      write_file(dir / "issue.txt", kIssue);
      write_file(dir / name, bytes);
    };
  };
  const std::string at_s = std::to_string(at), nul_s = std::to_string(nul_at);
  return {
      {"missing file", none, "convert missing.txt -o out", 3, {"gazette: missing.txt: cannot read: no such file\n"}},
      {"a folder", [](const fs::path& d) { fs::create_directory(d / "folder.txt"); }, "convert folder.txt -o out", 3,
       {"gazette: folder.txt: cannot read: is a folder\n"}},
      {"empty file", file("issue.txt", ""), "convert issue.txt -o out", 3,
       {"gazette: issue.txt: no text: the file is empty\n"}},
      {"blank file", file("issue.txt", "  \n\t\n\xE3\x80\x80\r\n\n"), "convert issue.txt -o out", 3,
       {"gazette: issue.txt: no text: the file is blank\n"}},
      {"BOM only", file("issue.txt", "\xEF\xBB\xBF"), "convert issue.txt -o out", 3,
       {"gazette: issue.txt: no text: the file is blank\n"}},
      {"empty standard input", none, "convert - -o out < /dev/null", 3, {"gazette: -: no text: the file is empty\n"}},
      {"NUL bytes", file("issue.txt", with_nul), "convert issue.txt -o out", 3,
       {"gazette: issue.txt:3: binary data: NUL byte at byte offset " + nul_s + "\n"}},
      {"binary data", file("issue.bin", std::string("\x7F" "ELF\x02\x01\x01\0\0\0\0", 12)), "convert issue.bin -o out", 3,
       {"gazette: issue.bin:1: binary data: NUL byte at byte offset 7\n"}},
      {"UTF-16 without a BOM", file("issue.txt", std::string("a\0b\0c\0\n\0", 8)), "convert issue.txt -o out", 3,
       {"gazette: issue.txt:1: binary data: NUL byte at byte offset 1 (UTF-16 without a byte order mark?"}},
      {"corrupt UTF-8", file("issue.txt", corrupt), "convert issue.txt -o out", 3,
       {"gazette: issue.txt:5: invalid UTF-8 at byte offset " + at_s + " (0xFF); 1 bad byte(s) in the file. Repair them, or use --lossy"}},
      {"corrupt UTF-8, two bad bytes", file("issue.txt", two_bad), "convert issue.txt -o out", 3,
       {"gazette: issue.txt:5: invalid UTF-8 at byte offset " + at_s, "2 bad byte(s) in the file"}},
      // (A masthead: the bad byte before the 文号 leaves a line that is no
      // 文号 alone, and an issue needs a notice or a masthead.)
      {"--lossy replaces and says how many", file("issue.txt", "某县人民政府公报\n\n2024年第1期\n\n" + two_bad),
       "convert issue.txt --lossy -o out", 0,
       {"gazette: issue.txt: replaced 2 undecodable byte(s) with U+FFFD (--lossy)\n"}},
      {"not a gazette: no notice and no masthead", file("issue.txt", "hello\n\nworld\n"), "convert issue.txt -o out", 3,
       {"gazette: issue.txt: not a gazette issue: no line is a 文号 on its own and no masthead was read; nothing written\n"}},
      {"unknown --encoding", file("issue.txt", kIssue), "convert issue.txt --encoding KLINGON-8 -o out", 2,
       {"gazette: issue.txt: unknown encoding 'KLINGON-8'"}},
      {"forced encoding that does not fit", file("issue.txt", "abc\n\x81\n"), "convert issue.txt --encoding GBK -o out", 3,
       {"gazette: issue.txt:2: invalid GBK at byte offset 4 (0x81)"}},
      {"GB18030 with a bad byte", file("issue.txt", std::string("\xC4\xB3\xCF\xD8\n\n\xCD\xA8\xD6\xAA\xFF\n")),
       "convert issue.txt -o out", 3,
       {"gazette: issue.txt:3: neither UTF-8 nor GB18030: invalid GB18030 at byte offset 10 (0xFF)"}},
      {"output path is a file", issue_and("out", "not a folder"), "convert issue.txt -o out", 4,
       {"gazette: out: cannot write: the output path is not a folder\n"}},
      {"output folder under a file", issue_and("out", "not a folder"), "convert issue.txt -o out/sub", 4,
       {"gazette: out/sub: cannot create output folder: Not a directory\n"}},
      {"rule file missing", file("issue.txt", kIssue), "convert issue.txt --grammar nothere.yaml -o out", 2,
       {"gazette: nothere.yaml: cannot read rule file: No such file or directory\n"}},
      {"rule file: duplicate key", issue_and("dup.yaml", "grammar: x\nversion: 1\ndocnum:\n  - id: a\n    id: b\n    regex: x\n"),
       "convert issue.txt --grammar dup.yaml -o out", 2, {"gazette: dup.yaml:5:5: duplicate key 'id' in docnum rule\n"}},
      {"rule file: unknown key", issue_and("unknown.yaml", "grammar: x\nversion: 1\ndocnum:\n  - id: a\n    regexp: x\n"),
       "convert issue.txt --grammar unknown.yaml -o out", 2, {"gazette: unknown.yaml:5:5: unknown key 'regexp' in docnum rule"}},
      {"rule file: unknown top-level key", issue_and("top.yaml", "grammar: x\nversion: 1\ndocnums: []\n"),
       "convert issue.txt --grammar top.yaml -o out", 2, {"gazette: top.yaml:3:1: unknown key 'docnums' in the rule file"}},
      {"rule file: YAML syntax error", issue_and("syntax.yaml", "grammar: x\nversion: 1\ndocnum:\n  - id: a\n    regex: [x\n"),
       "convert issue.txt --grammar syntax.yaml -o out", 2, {"gazette: syntax.yaml:6:1: end of sequence flow not found\n"}},
      {"rule file: a group its section does not read",
       issue_and("group.yaml", "grammar: x\nversion: 1\ndocnum:\n  - id: a\n    regex: '(?<sq>\\d+)号'\n    form: standard\n"),
       "convert issue.txt --grammar group.yaml -o out", 2,
       {"gazette: group.yaml:5:12: rule 'a' has a group 'sq' that docnum rules do not read (they read: seq, agency, "
        "open, year, close, di)\n"}},
      {"rule file: a group its section needs is missing",
       issue_and("need.yaml", "grammar: x\nversion: 1\nheader:\n  signer:\n    - id: s\n      regex: '^签发人:.+$'\n"),
       "convert issue.txt --grammar need.yaml -o out", 2,
       {"gazette: need.yaml:6:14: rule 's' has no group 'signer', which header.signer rules need (they read: signer)\n"}},
      {"rule file: a 文号 rule that does not say its form",
       issue_and("form.yaml", "grammar: x\nversion: 1\ndocnum:\n  - id: a\n    regex: '(?<seq>\\d+)号'\n"),
       "convert issue.txt --grammar form.yaml -o out", 2, {"gazette: form.yaml:4:5: 文号 rule 'a' has no form"}},
      {"rule file: a deadline template naming a group the rule lacks",
       issue_and("date.yaml", "grammar: x\nversion: 1\ndeadlines:\n  dated:\n    - id: d\n      regex: '(?<y>\\d{4})年'\n"
                              "      date: '{y}-{mm}-01'\n"),
       "convert issue.txt --grammar date.yaml -o out", 2,
       {"gazette: date.yaml:7:13: date template names {mm}, which rule 'd' does not capture\n"}},
      {"rule file: bad indentation", issue_and("indent.yaml", "grammar: x\n version: 1\n"),
       "convert issue.txt --grammar indent.yaml -o out", 2, {"gazette: indent.yaml:2:9: illegal map value\n"}},
      {"rule file: regex does not compile", issue_and("regex.yaml", "grammar: x\nversion: 1\ndocnum:\n  - id: a\n    regex: '(?<x>['\n    form: standard\n"),
       "convert issue.txt --grammar regex.yaml -o out", 2,
       {"gazette: regex.yaml:5:18: rule 'a': regex does not compile (U_REGEX_MISSING_CLOSE_BRACKET at offset 6)\n"}},
      {"rule file: empty", issue_and("empty.yaml", ""), "convert issue.txt --grammar empty.yaml -o out", 2,
       {"gazette: empty.yaml:1:1: the rule file is empty\n"}},
      {"rule file: a folder", issue_and("rules.yaml/x", ""), "convert issue.txt --grammar rules.yaml -o out", 2,
       {"gazette: rules.yaml: cannot read rule file: it is a folder\n"}},
      {"unknown subcommand", none, "frobnicate issue.txt", 2, {"gazette: unknown subcommand 'frobnicate'"}},
      {"no subcommand", none, "", 2, {"gazette: A subcommand is required\n"}},
      {"unknown option", file("issue.txt", kIssue), "convert issue.txt --frobnicate", 2,
       {"gazette: The following argument was not expected: --frobnicate\n"}},
      {"missing argument", none, "convert", 2, {"gazette: issue is required\n"}},
      {"bad --format", file("issue.txt", kIssue), "convert issue.txt --format xml", 2,
       {"gazette: --format: xml not in {yaml,json}\n"}},
  };
}

}  // namespace

TEST_CASE("bad inputs: exit status and message for each table row", "[input]") {
  for (const auto& c : bad_inputs()) {
    DYNAMIC_SECTION(c.name) {
      TempDir dir;
      c.setup(dir.path());
      auto r = run_gazette(c.args, dir.path());
      INFO("gazette " << c.args << "\nstderr:\n" << r.err);
      CHECK(r.status == c.status);
      for (const auto& m : c.messages) CHECK(r.err.find(m) != std::string::npos);
      // Every message line has the gazette: prefix.
      std::istringstream lines(r.err);
      for (std::string l; std::getline(lines, l);)
        if (l.rfind("Run 'gazette --help'", 0) != 0) CHECK(l.rfind("gazette: ", 0) == 0);
      // A failed run leaves no output folder, and no temporary file anywhere.
      if (c.status != 0) {
        CHECK((!fs::exists(dir.path() / "out") || !fs::is_directory(dir.path() / "out")));
      }
      CHECK(temp_files(dir.path()).empty());
    }
  }
}

TEST_CASE("--help and every subcommand's help give the exit statuses", "[input]") {
  TempDir dir;
  for (std::string args : {"--help", "convert --help", "text --help", "review --help", "batch --help",
                           "validate --help", "diff --help", "grammar explain --help"}) {
    auto r = run_gazette(args, dir.path());
    INFO(args);
    CHECK(r.status == 0);
    CHECK(r.out.find("2 usage or rule-file error") != std::string::npos);
    CHECK(r.out.find("3 input unreadable or undecodable") != std::string::npos);
    CHECK(r.out.find("4 output cannot be written") != std::string::npos);
    CHECK(r.out.find("5 out of memory") != std::string::npos);
    // One "Exit status" paragraph: a subcommand's own replaces the app's.
    auto first = r.out.find("Exit status");
    REQUIRE(first != std::string::npos);
    CHECK(r.out.find("Exit status", first + 1) == std::string::npos);
  }
}

TEST_CASE("a folder or file in the way fails the run before anything changes", "[input][output]") {
  TempDir dir;
  write_file(dir.path() / "issue.txt", kIssue);
  fs::create_directories(dir.path() / "out" / "issue.json");  // in the way of the last file
  write_file(dir.path() / "out" / "old.json", "old\n");
  auto r = run_gazette("convert issue.txt -o out --format json", dir.path());
  INFO(r.err);
  CHECK(r.status == 4);
  CHECK(r.err.find("gazette: out/issue.json: cannot write: a folder or special file of that name is in the way\n") !=
        std::string::npos);
  // Old content as it was; no notice file written; no temporary file.
  CHECK(read_file(dir.path() / "out" / "old.json") == "old\n");
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir.path() / "out")) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"issue.json", "old.json"});
}

TEST_CASE("an unwritable output folder is status 4 and leaves nothing", "[input][output]") {
  if (::geteuid() == 0) {
    WARN("running as root: permissions do not stop root; the file-in-the-way cases cover status 4");
    return;
  }
  TempDir dir;
  write_file(dir.path() / "issue.txt", kIssue);
  fs::create_directory(dir.path() / "out");
  ::chmod((dir.path() / "out").c_str(), 0555);
  auto r = run_gazette("convert issue.txt -o out --format json", dir.path());
  ::chmod((dir.path() / "out").c_str(), 0755);
  CHECK(r.status == 4);
  CHECK(r.err.find("cannot write: Permission denied") != std::string::npos);
  CHECK(fs::is_empty(dir.path() / "out"));
}

TEST_CASE("a second run replaces the files whole and leaves no temporary file", "[input][output]") {
  TempDir dir;
  write_file(dir.path() / "issue.txt", kIssue);
  // A temporary file of a process that no longer exists (an interrupted run).
  fs::create_directory(dir.path() / "out");
  write_file(dir.path() / "out" / ".gazette-tmp-999999999-0", "half a fi");
  write_file(dir.path() / "out" / "issue.json", "old and long content that must be replaced whole\n");
  auto r = run_gazette("convert issue.txt -o out --format json -q", dir.path());
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
  std::string issue = read_file(dir.path() / "out" / "issue.json");
  CHECK(issue.rfind("{", 0) == 0);
  CHECK(issue.back() == '\n');
  CHECK(fs::exists(dir.path() / "out" / "某政发-2024-5.json"));
  CHECK(temp_files(dir.path() / "out").empty());
}

TEST_CASE("converting into a used folder leaves exactly the files of the new run", "[input][output]") {
  TempDir dir;
  const fs::path samples = fs::path(GAZETTE_SOURCE_DIR) / "samples";
  auto names = [](const fs::path& folder) {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(folder)) out.insert(e.path().filename().string());
    return out;
  };
  for (const char* format : {"json", "yaml"}) {
    INFO(format);
    const std::string f = std::string(" --format ") + format + " -q";
    // The state-council sample has more notices than the county one: a
    // folder reused for the county one must lose the others' files.
    REQUIRE(run_gazette("convert " + (samples / "state-council-2018-08.txt").string() + " -o used" + f, dir.path()).status == 0);
    const std::set<std::string> before = names(dir.path() / "used");
    REQUIRE(run_gazette("convert " + (samples / "county-gazette-2024-01.txt").string() + " -o used" + f, dir.path()).status == 0);
    REQUIRE(run_gazette("convert " + (samples / "county-gazette-2024-01.txt").string() + " -o fresh" + f, dir.path()).status == 0);
    const std::set<std::string> after = names(dir.path() / "used");
    CHECK(after == names(dir.path() / "fresh"));
    CHECK(before != after);
    for (const std::string& n : after) CHECK(read_file(dir.path() / "used" / n) == read_file(dir.path() / "fresh" / n));
    fs::remove_all(dir.path() / "used");
    fs::remove_all(dir.path() / "fresh");
  }
}

TEST_CASE("a new output folder appears whole, and what interrupted runs left beside it is removed", "[input][output]") {
  TempDir dir;
  write_file(dir.path() / "issue.txt", kIssue);
  fs::create_directories(dir.path() / "out" / "issues");
  write_file(dir.path() / "out" / "issues" / "a.txt", kIssue);
  // What a killed run leaves: a new folder never put in place, and a
  // temporary file, both named after a process that no longer exists.
  fs::create_directory(dir.path() / "out" / ".gazette-tmp-999999999-7");
  write_file(dir.path() / "out" / ".gazette-tmp-999999999-7" / "issue.json", "{\"half");
  write_file(dir.path() / "out" / ".gazette-tmp-999999999-8", "half a fi");
  auto r = run_gazette("convert issue.txt -o out/new --format json -q", dir.path());
  REQUIRE(r.status == 0);
  CHECK(read_file(dir.path() / "out" / "new" / "issue.json").rfind("{", 0) == 0);
  CHECK(fs::exists(dir.path() / "out" / "new" / "某政发-2024-5.json"));
  CHECK(temp_files(dir.path() / "out").empty());
  CHECK(temp_files(dir.path() / "out" / "new").empty());
  // A folder named with a trailing slash is the same folder.
  REQUIRE(run_gazette("convert issue.txt -o out/slash/ --format json -q", dir.path()).status == 0);
  CHECK(fs::exists(dir.path() / "out" / "slash" / "issue.json"));
  CHECK(temp_files(dir.path() / "out").empty());

  // batch cleans its output folder once, then writes each issue's new folder.
  fs::create_directory(dir.path() / "batch");
  fs::create_directory(dir.path() / "batch" / ".gazette-tmp-999999999-9");
  auto b = run_gazette("batch out/issues -o batch -j 2 --format json -q", dir.path());
  REQUIRE(b.status == 0);
  CHECK(fs::exists(dir.path() / "batch" / "a" / "issue.json"));
  CHECK(temp_files(dir.path() / "batch").empty());
  CHECK(temp_files(dir.path() / "batch" / "a").empty());
}

TEST_CASE("a catastrophic rule ends with an error naming the rule and its line", "[input][grammar]") {
  TempDir dir;
  std::string base = read_file(base_grammar());
  std::size_t at = base.find("\nartifacts:\n");
  REQUIRE(at != std::string::npos);
  // The inserted rule's regex stands on this line of the copy:
  int regex_line = static_cast<int>(std::count(base.begin(), base.begin() + static_cast<long>(at), '\n')) + 4;
  base.insert(at + 12, "  - id: artifact.catastrophic\n    regex: '(a+)+$'\n");
  write_file(dir.path() / "slow.yaml", base);
  write_file(dir.path() / "issue.txt", std::string(kIssue) + std::string(40, 'a') + "!\n");
  auto t0 = std::chrono::steady_clock::now();
  auto r = run_gazette("convert issue.txt --grammar slow.yaml -o out", dir.path());
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  INFO(r.err);
  CHECK(r.status == 2);
  // The message starts at the rule's regex (file:line:col) and names the input line.
  CHECK(r.err.find("gazette: slow.yaml:" + std::to_string(regex_line) +
                   ":12: rule 'artifact.catastrophic' ran past the regex time limit on issue.txt:") != std::string::npos);
  CHECK(seconds < 30);
  CHECK(!fs::exists(dir.path() / "out"));
}

TEST_CASE("notice file names never leave the output folder", "[input][output]") {
  // The 文号 lines below would name files with /, .., control characters and
  // the full-width look-alikes ／ and ．．; all must stay inside out/.
  TempDir dir;
  std::string issue;
  const char* docnums[] = {"某／．．／．．／政发〔2024〕1号", "．．〔2024〕2号", "../../etc〔2024〕3号",
                           "某\x1b[31m政发〔2024〕4号", "〔2024〕5号", "issue〔2024〕6号"};
  for (const char* d : docnums)
    issue += std::string("某县人民政府\n\n关于某事的通知\n\n") + d + "\n\n各单位：\n\n特此通知。\n\n2024年1月1日\n\n";
  write_file(dir.path() / "issue.txt", issue);
  fs::create_directory(dir.path() / "sub");
  auto r = run_gazette("convert ../issue.txt -o out --format json -q", dir.path() / "sub");
  INFO(r.err);
  REQUIRE(r.status == 0);
  // Nothing but out/ was created next to the input, and out/ holds plain names.
  std::vector<std::string> top;
  for (const auto& e : fs::directory_iterator(dir.path())) top.push_back(e.path().filename().string());
  std::sort(top.begin(), top.end());
  CHECK(top == std::vector<std::string>{"issue.txt", "sub"});
  for (const auto& e : fs::recursive_directory_iterator(dir.path() / "sub")) {
    std::string n = e.path().filename().string();
    INFO(e.path());
    if (e.is_directory()) { CHECK(e.path() == dir.path() / "sub" / "out"); continue; }
    CHECK(e.path().parent_path() == dir.path() / "sub" / "out");
    CHECK(n[0] != '.');
    CHECK(n.find("..") == std::string::npos);
    CHECK(n.find("\xEF\xBC\x8F") == std::string::npos);  // ／
    CHECK(n.find("\xEF\xBC\x8E") == std::string::npos);  // ．
    for (unsigned char c : n) CHECK(c >= 0x20);
  }
}

TEST_CASE("a full standard output is status 4, and -j out of range is refused plainly", "[input][output]") {
  const std::string bin = gazette::io_test::shell_quote(GAZETTE_BINARY);
  const std::string rules = gazette::io_test::shell_quote(GAZETTE_SOURCE_DIR "/grammars/base.yaml");
  int rc = std::system((bin + " grammar check " + rules + " >/dev/full 2>/dev/null").c_str());
  REQUIRE(WIFEXITED(rc));
  CHECK(WEXITSTATUS(rc) == 4);
  TempDir dir;
  auto r = gazette::io_test::run_gazette("batch . -o out -j -1", dir.path());
  CHECK(r.status == 2);
  CHECK(r.err.find("not in range 0 to 1024") != std::string::npos);
  CHECK(r.err.size() < 200);
}

TEST_CASE("a rule slow on every line is stopped by the run's regex budget, not run for minutes", "[input]") {
  // Each match of (x+x+)+y on 21 x's stays under the per-match limit, but
  // 200 such lines took half a minute before the run had a budget.
  TempDir dir;
  write_file(dir.path() / "slow.yaml",
             "grammar: slow\nversion: 1\nartifacts:\n  - id: artifact.slow\n    regex: '(x+x+)+y'\n");
  std::string text;
  for (int i = 0; i < 200; ++i) text += std::string(21, 'x') + "\n";
  write_file(dir.path() / "issue.txt", text);
  const std::string base = gazette::io_test::shell_quote(GAZETTE_SOURCE_DIR "/grammars/base.yaml");
  auto r = run_gazette("convert issue.txt --grammar " + base + " --grammar slow.yaml -o out", dir.path());
  CHECK(r.status == 2);
  CHECK(r.err.find("slow.yaml:5:12: the rules' slow matches ran past the run's regex time budget on issue.txt:") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(dir.path() / "out"));
}
