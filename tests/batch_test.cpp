// gazette batch: ordering, determinism whatever -j is, failures that do not
// stop the run, and --incremental stamps. Issues are small texts written here.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include <sys/wait.h>

#include "batch.h"

namespace fs = std::filesystem;
using namespace std::string_literals;

namespace {

/// A fresh folder under the system temp folder, removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "gazette-batch-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

void write_file(const fs::path& p, const std::string& content) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << content;
  REQUIRE(out.good());
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// A small issue in the printed layout: masthead, table of contents, two
/// notices. `n` makes the issue number and both 文号 distinct.
std::string issue_text(int n) {
  std::string a = std::to_string(10 + 2 * n), b = std::to_string(11 + 2 * n), num = std::to_string(n);
  return "乌拉山旗人民政府公报\n\n2024\n\n第" + num + "期 (总第" + std::to_string(40 + n) +
         "期)\n\n乌拉山旗人民政府办公室主办\n\n"
         "乌拉山旗人民政府文件\n\n- 02 关于做好2024年春季植树造林工作的通知\n\n"
         "乌拉山旗人民政府办公室文件\n\n- 04 关于开展2024年安全生产月活动的通知\n\n\n\n"
         "乌拉山旗人民政府\n\n关于做好2024年春季植树造林工作的通知\n\n乌旗政字〔2024〕" + a + "号\n\n"
         "各苏木乡镇人民政府，旗直各部门：\n\n为扎实做好春季植树造林工作，现将有关事项通知如下。\n\n"
         "一、明确目标任务。全旗完成植树造林" + num + "万亩。\n\n二、强化组织保障。各单位要明确专人负责。\n\n"
         "乌拉山旗人民政府\n\n2024年3月1日\n\n\n\n"
         "乌拉山旗人民政府办公室\n\n关于开展2024年安全生产月活动的通知\n\n乌旗政办发〔2024〕" + b + "号\n\n"
         "各苏木乡镇人民政府，旗直各部门：\n\n根据上级安排，现就开展安全生产月活动有关事项通知如下。\n\n"
         "一、活动主题。人人讲安全、个个会应急。\n\n二、工作要求。各单位要结合实际制定活动方案。\n\n"
         "乌拉山旗人民政府办公室\n\n2024年5月20日\n";
}

struct RunResult {
  int status = -1;
  std::string err;
};

/// Runs the gazette binary with `args` (already quoted), stderr captured.
RunResult run_gazette(const std::string& args, const fs::path& scratch) {
  fs::path err_file = scratch / "stderr.txt";
  std::string cmd = std::string("'") + GAZETTE_BINARY + "' " + args + " 2>'" + err_file.string() + "'";
  int rc = std::system(cmd.c_str());
  RunResult r;
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.err = read_file(err_file);
  return r;
}

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

/// Every file below `root` (hidden ones included), by relative path.
std::map<std::string, std::string> tree(const fs::path& root) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file()) out[fs::relative(e.path(), root).string()] = read_file(e.path());
  return out;
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

}  // namespace

TEST_CASE("batch: discover_jobs sorts, skips hidden and non-text files, and names folders uniquely") {
  TempDir t;
  write_file(t.path / "in/b/2024-01.txt", "x");
  write_file(t.path / "in/a/2024-01.txt", "x");
  write_file(t.path / "in/a/2024-02.TXT", "x");
  write_file(t.path / "in/a/notes.md", "x");
  write_file(t.path / "in/.hidden/2024-03.txt", "x");
  write_file(t.path / "in/a/.2024-04.txt", "x");
  std::vector<gazette::BatchJob> jobs;
  gazette::Error err;
  // The same file reached twice (a folder and a file in it) is one job.
  REQUIRE(gazette::discover_jobs({(t.path / "in").string(), (t.path / "in/a/2024-01.txt").string()}, &jobs, &err));
  REQUIRE(jobs.size() == 3);
  CHECK(jobs[0].input == (t.path / "in/a/2024-01.txt").string());
  CHECK(jobs[0].name == "2024-01");
  CHECK(jobs[1].input == (t.path / "in/a/2024-02.TXT").string());
  CHECK(jobs[1].name == "2024-02");
  CHECK(jobs[2].input == (t.path / "in/b/2024-01.txt").string());
  CHECK(jobs[2].name == "2024-01-2");
}

TEST_CASE("batch: -j 1 and -j 4 write byte-identical trees, notices.jsonl in sorted issue order") {
  TempDir t;
  // Nested folders, a stem shared by two files, and files created out of order.
  for (int n : {7, 3, 5, 1}) write_file(t.path / "in/2024" / ("issue-" + std::to_string(n) + ".txt"), issue_text(n));
  for (int n : {2, 6}) write_file(t.path / "in/2023" / ("issue-" + std::to_string(n) + ".txt"), issue_text(n));
  write_file(t.path / "in/2023/x/issue-1.txt", issue_text(8));
  for (const char* format : {"json", "yaml"}) {
    INFO(format);
    auto one = run_gazette("batch " + q(t.path / "in") + " -o " + q(t.path / "j1") + " -j 1 --format " + format, t.path);
    REQUIRE(one.status == 0);
    CHECK(one.err.find("7 converted, 0 failed, 0 skipped (up to date)") != std::string::npos);
    auto four = run_gazette("batch " + q(t.path / "in") + " -o " + q(t.path / "j4") + " -j 4 --format " + format, t.path);
    REQUIRE(four.status == 0);
    auto a = tree(t.path / "j1"), b = tree(t.path / "j4");
    CHECK(a.size() == b.size());
    CHECK(a == b);
    auto rows = lines_of(a["notices.jsonl"]);
    REQUIRE(rows.size() == 14);
    // Sorted by path: in/2023/issue-2, in/2023/issue-6, in/2023/x/issue-1, in/2024/issue-1 (-2), 3, 5, 7.
    CHECK(rows[0].find("\"docnum\":\"乌旗政字〔2024〕14号\"") != std::string::npos);
    CHECK(rows[0].find("\"issue\":\"issue-2\"") != std::string::npos);
    CHECK(rows[4].find("\"issue\":\"issue-1\"") != std::string::npos);
    CHECK(rows[4].find("〔2024〕26号") != std::string::npos);
    CHECK(rows[6].find("\"issue\":\"issue-1-2\"") != std::string::npos);
    CHECK(rows[13].find("\"issue\":\"issue-7\"") != std::string::npos);
    CHECK(rows[1].find(std::string("\"file\":\"issue-2/乌旗政办发-2024-15.") + format + "\"") != std::string::npos);
    CHECK(a.count(std::string("issue-2/乌旗政办发-2024-15.") + format) == 1);
    fs::remove_all(t.path / "j1");
    fs::remove_all(t.path / "j4");
  }
}

/// Runs with `dir` as the current folder, restored at the end of the scope.
struct InFolder {
  fs::path before = fs::current_path();
  explicit InFolder(const fs::path& dir) { fs::current_path(dir); }
  ~InFolder() { fs::current_path(before); }
};

TEST_CASE("batch: --files-from reads the issues from a list, a file or standard input") {
  TempDir t;
  for (int n : {1, 2, 3, 4}) write_file(t.path / "in" / ("issue-" + std::to_string(n) + ".txt"), issue_text(n));
  write_file(t.path / "in/sub/issue-5.txt", issue_text(5));
  InFolder here(t.path);
  auto ref = run_gazette("batch in -o ref -q", t.path);
  REQUIRE(ref.status == 0);

  SECTION("a file: paths relative to the current folder, blank lines and CRs skipped, a folder searched") {
    write_file(t.path / "list.txt", "in/issue-3.txt\n\n  \nin/issue-1.txt\r\nin/sub\n");
    auto r = run_gazette("batch --files-from list.txt in/issue-2.txt in/issue-4.txt -o out -q", t.path);
    REQUIRE(r.status == 0);
    auto out = tree(t.path / "out"), ref = tree(t.path / "ref");
    // The manifest's shard keys are relative to the folders given (sub/issue-5.txt, issue-5.txt).
    CHECK(out.erase(gazette::kManifestFile) == 1);
    ref.erase(gazette::kManifestFile);
    CHECK(out == ref);  // the same issues, sorted as a folder's
  }
  SECTION("standard input, NUL-separated") {
    write_file(t.path / "list0", "in/issue-4.txt\0in/issue-2.txt\0\0in/sub/issue-5.txt\0"s);
    auto r = run_gazette("batch --files-from - -0 -o out -q < list0", t.path);
    REQUIRE(r.status == 0);
    auto rows = lines_of(read_file(t.path / "out/notices.jsonl"));
    REQUIRE(rows.size() == 6);
    CHECK(rows[0].find("\"issue\":\"issue-2\"") != std::string::npos);
    CHECK(rows[5].find("\"issue\":\"issue-5\"") != std::string::npos);
  }
  SECTION("a missing path stops the run at its line, before anything is written") {
    write_file(t.path / "list.txt", "in/issue-1.txt\n\nin/issue-9.txt\n");
    auto r = run_gazette("batch --files-from - -o out < list.txt", t.path);
    CHECK(r.status == 3);
    CHECK(r.err == "gazette: (standard input):3: no such file or folder: \"in/issue-9.txt\" (paths are relative to "
                   "the current folder)\n");
    CHECK_FALSE(fs::exists(t.path / "out"));
    auto named = run_gazette("batch --files-from list.txt -o out", t.path);
    CHECK(named.status == 3);
    CHECK(named.err.find("gazette: list.txt:3: no such file or folder") == 0);
  }
  SECTION("a NUL-separated list read as lines, a list that cannot be read, no paths at all") {
    write_file(t.path / "list0", "in/issue-1.txt\0in/issue-2.txt\0"s);
    auto r = run_gazette("batch --files-from list0 -o out", t.path);
    CHECK(r.status == 3);
    CHECK(r.err.find("gazette: list0:1: the line holds a NUL byte") == 0);
    CHECK(r.err.find("needs -0") != std::string::npos);
    auto missing = run_gazette("batch --files-from nothing.txt -o out", t.path);
    CHECK(missing.status == 3);
    CHECK(missing.err.find("gazette: nothing.txt: cannot read: no such file") == 0);
    auto none = run_gazette("batch -o out", t.path);
    CHECK(none.status == 2);
    CHECK(none.err.find("--files-from LIST") != std::string::npos);
    CHECK_FALSE(fs::exists(t.path / "out"));
  }
}

TEST_CASE("batch: notices.jsonl keys a notice by its canonical 文号 and keeps the printed one") {
  TempDir t;
  std::string text = issue_text(2);
  // 14号 printed as an extraction may print it; 15号 as GB/T 9704-2012 does.
  const std::string standard = "乌旗政字〔2024〕14号", odd = "乌旗政字[２０２４] 014号";
  auto at = text.find(standard);
  REQUIRE(at != std::string::npos);
  write_file(t.path / "in/issue-2.txt", text.replace(at, standard.size(), odd));
  REQUIRE(run_gazette("batch " + q(t.path / "in") + " -o " + q(t.path / "out") + " --format json", t.path).status == 0);
  auto rows = lines_of(read_file(t.path / "out/notices.jsonl"));
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].find("{\"docnum\":\"乌旗政字〔2024〕14号\",\"docnum_printed\":\"乌旗政字[２０２４] 014号\",") == 0);
  CHECK(rows[0].find("\"file\":\"issue-2/乌旗政字-2024-14.json\"") != std::string::npos);
  CHECK(rows[1].find("{\"docnum\":\"乌旗政办发〔2024〕15号\",\"docnum_printed\":\"乌旗政办发〔2024〕15号\",") == 0);
  CHECK(fs::exists(t.path / "out/issue-2/乌旗政字-2024-14.json"));

  // A stamp of the version before (its rows without references and 期号) is rebuilt.
  const fs::path stamp = t.path / "out/issue-2/.gazette-stamp";
  std::string old_stamp = read_file(stamp);
  REQUIRE(old_stamp.rfind("{\"stamp\":3,", 0) == 0);
  write_file(stamp, old_stamp.replace(0, std::string("{\"stamp\":3,").size(), "{\"stamp\":2,"));
  auto again = run_gazette("batch " + q(t.path / "in") + " -o " + q(t.path / "out") + " --format json --incremental",
                           t.path);
  REQUIRE(again.status == 0);
  CHECK(again.err.find("1 converted, 0 failed, 0 skipped (up to date)") != std::string::npos);
}

TEST_CASE("batch: notices.jsonl rows carry the cited 文号 and the masthead's 期号") {
  TempDir t;
  std::string text = issue_text(3);
  // The first notice cites one 文号 as an extraction prints it, the second none.
  const std::string where = "为扎实做好春季植树造林工作，";
  auto at = text.find(where);
  REQUIRE(at != std::string::npos);
  text.insert(at, "根据《内蒙古自治区人民政府办公厅关于科学绿化的实施意见》（内政办发[2022] 018号）精神，");
  // The inner title page the samples have, which prints the year with the number.
  const std::string host = "乌拉山旗人民政府办公室主办\n\n";
  text.insert(text.find(host) + host.size(), "乌拉山旗人民政府公报\n\n2024年第3期\n(总第43期)\n\n2024年3月出版\n\n");
  // A folder name that says nothing of the issue: the 期号 comes from the masthead.
  write_file(t.path / "in/scan-batch-7.txt", text);
  REQUIRE(run_gazette("batch " + q(t.path / "in") + " -o " + q(t.path / "out") + " -q", t.path).status == 0);
  auto rows = lines_of(read_file(t.path / "out/notices.jsonl"));
  REQUIRE(rows.size() == 2);
  const std::string masthead = ",\"publication\":\"乌拉山旗人民政府公报\",\"issue_year\":2024,\"issue_number\":3,"
                               "\"issue_cumulative_number\":43}";
  INFO(rows[0] + "\n" + rows[1]);
  CHECK(rows[0].find("\"issue\":\"scan-batch-7\"") != std::string::npos);  // the folder name, kept
  CHECK(rows[0].find(",\"references\":[\"内政办发〔2022〕18号\"]" + masthead) != std::string::npos);
  CHECK(rows[1].find(",\"references\":[]" + masthead) != std::string::npos);
}

TEST_CASE("batch: an input file name that is not UTF-8 is written as %XX and found again") {
  TempDir t;
  // 公报 in GBK bytes, as a Windows archive copied to Linux names it.
  const std::string gbk = "\xB9\xAB\xB1\xA8";
  write_file(t.path / "in" / (gbk + ".txt"), issue_text(2));
  const std::string base = "batch " + q(t.path / "in") + " -o " + q(t.path / "out") + " --format json";
  REQUIRE(run_gazette(base, t.path).status == 0);
  auto rows = lines_of(read_file(t.path / "out/notices.jsonl"));
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].find("\"issue\":\"%B9%AB%B1%A8\"") != std::string::npos);
  CHECK(rows[0].find("\uFFFD") == std::string::npos);
  CHECK(rows[0].find("\xEF\xBF\xBD") == std::string::npos);
  CHECK(fs::exists(t.path / "out/%B9%AB%B1%A8/乌旗政字-2024-14.json"));
  auto again = run_gazette(base + " --incremental", t.path);
  REQUIRE(again.status == 0);
  CHECK(again.err.find("0 converted, 0 failed, 1 skipped (up to date)") != std::string::npos);
}

TEST_CASE("batch: a broken issue in the middle does not stop the others") {
  TempDir t;
  write_file(t.path / "in/issue-1.txt", issue_text(1));
  write_file(t.path / "in/issue-2.txt", issue_text(2));
  std::string broken = issue_text(3);
  broken.insert(broken.find("一、"), std::string("\0\0", 2));
  write_file(t.path / "in/issue-3.txt", broken);
  write_file(t.path / "in/issue-4.txt", issue_text(4));
  write_file(t.path / "in/issue-5.txt", issue_text(5));
  auto r = run_gazette("batch " + q(t.path / "in") + " -o " + q(t.path / "out") + " -j 2", t.path);
  CHECK(r.status == 3);
  CHECK(r.err.find("gazette: " + (t.path / "in/issue-3.txt").string() + ":") != std::string::npos);
  CHECK(r.err.find("NUL") != std::string::npos);
  CHECK(r.err.find("4 converted, 1 failed, 0 skipped (up to date)") != std::string::npos);
  for (int n : {1, 2, 4, 5}) CHECK(fs::exists(t.path / "out" / ("issue-" + std::to_string(n)) / "issue.json"));
  CHECK_FALSE(fs::exists(t.path / "out/issue-3"));
  auto rows = lines_of(read_file(t.path / "out/notices.jsonl"));
  CHECK(rows.size() == 8);
  for (const auto& row : rows) CHECK(row.find("issue-3") == std::string::npos);

  // Invalid UTF-8 fails the same way, and so does a path that does not exist.
  std::string bad = issue_text(3);
  bad.insert(bad.find("二、"), "\xC3\x28");
  write_file(t.path / "in/issue-3.txt", bad);
  auto r2 = run_gazette("batch " + q(t.path / "in") + " " + q(t.path / "missing.txt") + " -o " + q(t.path / "out2"),
                        t.path);
  CHECK(r2.status == 3);
  CHECK(r2.err.find("4 converted, 2 failed") != std::string::npos);
}

TEST_CASE("batch: writes JSON unless --format yaml is given") {
  TempDir t;
  write_file(t.path / "in/issue-2.txt", issue_text(2));
  REQUIRE(run_gazette("batch " + q(t.path / "in") + " -o " + q(t.path / "out") + " -q", t.path).status == 0);
  auto out = tree(t.path / "out");
  CHECK(out.count("issue-2/issue.json") == 1);
  CHECK(out.count("issue-2/乌旗政字-2024-14.json") == 1);
  CHECK(out.count("issue-2/issue.yaml") == 0);
  CHECK(out["issue-2/issue.json"].rfind("{\n", 0) == 0);
  CHECK(lines_of(out["notices.jsonl"])[0].find("\"file\":\"issue-2/乌旗政字-2024-14.json\"") != std::string::npos);
  REQUIRE(run_gazette("batch " + q(t.path / "in") + " -o " + q(t.path / "y") + " -q --format yaml", t.path).status == 0);
  CHECK(fs::exists(t.path / "y/issue-2/issue.yaml"));
  CHECK_FALSE(fs::exists(t.path / "y/issue-2/issue.json"));
}

TEST_CASE("batch: a file that is not a gazette is counted apart from the converted issues") {
  TempDir t;
  write_file(t.path / "in/issue-1.txt", issue_text(1));
  write_file(t.path / "in/notes.txt", "购物清单\n\n牛奶、面包\n");
  auto r = run_gazette("batch " + q(t.path / "in") + " -o " + q(t.path / "out"), t.path);
  CHECK(r.status == 3);
  CHECK(r.err.find("gazette: " + (t.path / "in/notes.txt").string() + ": not a gazette issue") != std::string::npos);
  CHECK(r.err.find("1 converted, 1 failed, 0 skipped (up to date)") != std::string::npos);
  CHECK(fs::exists(t.path / "out/issue-1/issue.json"));
  CHECK_FALSE(fs::exists(t.path / "out/notes"));
}

TEST_CASE("batch: --incremental skips what is up to date and rebuilds what changed") {
  TempDir t;
  for (int n : {1, 2, 3}) write_file(t.path / "in" / ("issue-" + std::to_string(n) + ".txt"), issue_text(n));
  std::string base = "batch " + q(t.path / "in") + " -o " + q(t.path / "out") + " --format json";
  auto first = run_gazette(base + " --incremental", t.path);
  REQUIRE(first.status == 0);
  CHECK(first.err.find("3 converted, 0 failed, 0 skipped (up to date)") != std::string::npos);
  const auto built = tree(t.path / "out");
  CHECK(built.count("issue-2/.gazette-stamp") == 1);

  auto again = run_gazette(base + " --incremental", t.path);
  REQUIRE(again.status == 0);
  CHECK(again.err.find("0 converted, 0 failed, 3 skipped (up to date)") != std::string::npos);
  CHECK(tree(t.path / "out") == built);  // notices.jsonl rebuilt from the stamps, same bytes

  // Touched but unchanged: the content hash says it is up to date.
  fs::last_write_time(t.path / "in/issue-1.txt", fs::file_time_type::clock::now() + std::chrono::hours(1));
  auto touched = run_gazette(base + " --incremental", t.path);
  CHECK(touched.err.find("0 converted, 0 failed, 3 skipped (up to date)") != std::string::npos);

  // Changed: rebuilt, and its new notices replace the old ones in notices.jsonl.
  write_file(t.path / "in/issue-2.txt", issue_text(9));
  auto changed = run_gazette(base + " --incremental", t.path);
  REQUIRE(changed.status == 0);
  CHECK(changed.err.find("1 converted, 0 failed, 2 skipped (up to date)") != std::string::npos);
  std::string index = read_file(t.path / "out/notices.jsonl");
  CHECK(index.find("〔2024〕28号") != std::string::npos);
  CHECK(index.find("〔2024〕14号") == std::string::npos);
  CHECK(lines_of(index).size() == 6);

  // Other rule files make every issue stale; the same rules at another path do not.
  std::vector<fs::path> rules;
  const char* env = std::getenv("GAZETTE_GRAMMARS");  // where the default rule files come from
  fs::path rule_dir = env && *env ? fs::path(env) : fs::path(GAZETTE_SOURCE_DIR) / "grammars";
  for (const auto& e : fs::directory_iterator(rule_dir))
    if (e.path().extension() == ".yaml") rules.push_back(e.path());
  std::sort(rules.begin(), rules.end(), [](const fs::path& a, const fs::path& b) {
    bool ab = a.filename() == "base.yaml", bb = b.filename() == "base.yaml";
    return ab != bb ? ab : a < b;
  });
  REQUIRE(!rules.empty());
  fs::create_directories(t.path / "rules");
  std::string grammar_args;
  for (const auto& r : rules) {
    fs::copy_file(r, t.path / "rules" / r.filename());
    grammar_args += " --grammar " + q(t.path / "rules" / r.filename());
  }
  auto same_rules = run_gazette(base + " --incremental" + grammar_args, t.path);
  CHECK(same_rules.err.find("0 converted, 0 failed, 3 skipped") != std::string::npos);
  std::ofstream(t.path / "rules" / rules.front().filename(), std::ios::app) << "\n# edited\n";
  auto new_rules = run_gazette(base + " --incremental" + grammar_args, t.path);
  CHECK(new_rules.err.find("3 converted, 0 failed, 0 skipped") != std::string::npos);

  // So does another output format.
  auto yaml = run_gazette(
      "batch " + q(t.path / "in") + " -o " + q(t.path / "out") + " --incremental --format yaml", t.path);
  CHECK(yaml.err.find("3 converted, 0 failed, 0 skipped") != std::string::npos);
}

namespace {

/// The output folder names a batch folder's manifest lists, in its order.
std::vector<std::string> manifest_names(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& line : lines_of(read_file(dir / gazette::kManifestFile))) {
    auto at = line.find("\"name\":\"");
    if (at == std::string::npos) continue;
    at += 8;
    names.push_back(line.substr(at, line.find('"', at) - at));
  }
  return names;
}

/// An archive of `count` issues in two year folders, two of them sharing a stem.
void write_archive(const fs::path& in, int count) {
  for (int n = 1; n <= count; ++n)
    write_file(in / (n % 2 ? "2023" : "2024") / ("issue-" + std::to_string(n) + ".txt"), issue_text(n));
  write_file(in / "2024/x/issue-1.txt", issue_text(count + 1));
}

}  // namespace

TEST_CASE("batch --shard: the shards partition the list, and merge joins them as one run writes it") {
  TempDir t;
  write_archive(t.path / "in", 12);
  const std::string in = q(t.path / "in");
  REQUIRE(run_gazette("batch " + in + " -o " + q(t.path / "single") + " -q", t.path).status == 0);
  const std::vector<std::string> all = manifest_names(t.path / "single");
  REQUIRE(all.size() == 13);

  std::vector<std::string> seen;
  std::string shard_dirs;
  for (int k = 1; k <= 3; ++k) {
    const fs::path dir = t.path / ("shard-" + std::to_string(k));
    auto r = run_gazette("batch " + in + " --shard " + std::to_string(k) + "/3 -o " + q(dir) + " -j 2", t.path);
    REQUIRE(r.status == 0);
    auto names = manifest_names(dir);
    CHECK(r.err.find("gazette: shard " + std::to_string(k) + "/3: " + std::to_string(names.size()) + " of 13 issues; ") ==
          0);
    CHECK(!names.empty());
    CHECK(names.size() < all.size());
    // Only its own issues are converted, named as in the single run (issue-1-2 stays issue-1-2).
    for (const auto& name : names) CHECK(fs::exists(dir / name / "issue.json"));
    for (const auto& name : all)
      if (std::find(names.begin(), names.end(), name) == names.end()) CHECK_FALSE(fs::exists(dir / name));
    seen.insert(seen.end(), names.begin(), names.end());
    shard_dirs += " " + q(dir);
  }
  // Disjoint, and together the whole list.
  std::sort(seen.begin(), seen.end());
  CHECK(std::adjacent_find(seen.begin(), seen.end()) == seen.end());
  std::vector<std::string> sorted_all = all;
  std::sort(sorted_all.begin(), sorted_all.end());
  CHECK(seen == sorted_all);

  auto merged = run_gazette("merge" + shard_dirs + " -o " + q(t.path / "merged"), t.path);
  REQUIRE(merged.status == 0);
  CHECK(merged.err == "gazette: merged 3 shard(s): 13 issue(s), 0 failed in their shard; 26 notice(s) in " +
                          (t.path / "merged").string() + "/notices.jsonl\n");
  // Every file, notices.jsonl, the manifest and the stamps included, as the single run wrote it.
  CHECK(tree(t.path / "merged") == tree(t.path / "single"));
}

TEST_CASE("batch --shard: an issue's shard depends on its path below the folder given, not on the rest") {
  TempDir t;
  write_archive(t.path / "in", 12);
  auto shard_names = [&](const fs::path& archive, const std::string& out) {
    REQUIRE(run_gazette("batch " + q(archive) + " --shard 2/3 -o " + q(t.path / out) + " -q", t.path).status == 0);
    return manifest_names(t.path / out);
  };
  const auto before = shard_names(t.path / "in", "a");
  // The archive at another place (another machine's mount point): the same share.
  fs::create_directories(t.path / "mnt/elsewhere");
  fs::copy(t.path / "in", t.path / "mnt/elsewhere/archive", fs::copy_options::recursive);
  CHECK(shard_names(t.path / "mnt/elsewhere/archive", "b") == before);
  // The archive grown by new issues: the old ones stay in their shards.
  for (int n : {13, 14, 15, 16}) write_file(t.path / "in/2025" / ("issue-" + std::to_string(n) + ".txt"), issue_text(n));
  auto grown = shard_names(t.path / "in", "c");
  for (const auto& name : before) CHECK(std::find(grown.begin(), grown.end(), name) != grown.end());
  for (const auto& name : grown)
    if (std::find(before.begin(), before.end(), name) == before.end()) CHECK(name.rfind("issue-1", 0) == 0);
}

TEST_CASE("batch --shard: K/N is checked; an empty shard writes an empty notices.jsonl") {
  TempDir t;
  write_file(t.path / "in/issue-1.txt", issue_text(1));
  for (const char* bad : {"0/3", "4/3", "3", "1/0", "a/b", "1/3/2", "-1/3"}) {
    INFO(bad);
    auto r = run_gazette("batch " + q(t.path / "in") + " --shard " + bad + " -o " + q(t.path / "out"), t.path);
    CHECK(r.status == 2);
    CHECK(r.err.find(std::string("gazette: --shard")) == 0);
    CHECK_FALSE(fs::exists(t.path / "out"));
  }
  // One issue, fifty shards: 49 of them have nothing to do, and that is not an error.
  std::string dirs;
  std::size_t rows = 0;
  for (int k = 1; k <= 50; ++k) {
    const fs::path dir = t.path / "s" / std::to_string(k);
    auto r = run_gazette("batch " + q(t.path / "in") + " --shard " + std::to_string(k) + "/50 -o " + q(dir) + " -q",
                         t.path);
    REQUIRE(r.status == 0);
    rows += lines_of(read_file(dir / "notices.jsonl")).size();
    dirs += " " + q(dir);
  }
  CHECK(rows == 2);
  REQUIRE(run_gazette("merge" + dirs + " -o " + q(t.path / "merged") + " -q", t.path).status == 0);
  CHECK(lines_of(read_file(t.path / "merged/notices.jsonl")).size() == 2);
}

TEST_CASE("merge: refuses folders that are not the shards of one run, and writes nothing") {
  TempDir t;
  write_archive(t.path / "in", 8);
  const std::string in = q(t.path / "in");
  auto shard = [&](const std::string& args, const std::string& out) {
    REQUIRE(run_gazette("batch " + args + " -o " + q(t.path / out) + " -q", t.path).status == 0);
    return " " + q(t.path / out);
  };
  const std::string s1 = shard(in + " --shard 1/2", "s1"), s2 = shard(in + " --shard 2/2", "s2");
  const std::string out = " -o " + q(t.path / "out");
  auto refused = [&](const std::string& args, int status, const std::string& message) {
    auto r = run_gazette("merge" + args + out, t.path);
    INFO(r.err);
    CHECK(r.status == status);
    CHECK(r.err.find(message) != std::string::npos);
    CHECK_FALSE(fs::exists(t.path / "out"));
  };
  refused(s1, 3, "s1: shard 2/2 is missing: give the output folders of all 2 shards");
  refused(s1 + s2 + s2, 3, "s2: holds shard 2/2, as ");
  refused(s1 + shard(in + " --shard 2/3", "third"), 3, "third: shard 2/3 of a list of 9 issues");
  write_file(t.path / "in/2025/issue-20.txt", issue_text(20));
  refused(s1 + shard(in + " --shard 2/2", "grown"), 3, "does not belong with");
  refused(s1 + shard(in + " --shard 2/2 --format yaml", "yaml"), 3,
          "yaml: made with other options or rules than " + (t.path / "s1").string());
  refused(s1 + " " + in, 3, "in: no .gazette-batch in this folder");
  refused(s1 + " " + q(t.path / "nowhere"), 3, "nowhere: no such folder");
  // A notices.jsonl changed after its run: its manifest no longer vouches for it.
  std::string rows = read_file(t.path / "s2/notices.jsonl");
  write_file(t.path / "s2/notices.jsonl", rows.substr(rows.find('\n') + 1));
  refused(s1 + s2, 3, "s2/notices.jsonl: does not match .gazette-batch");
  write_file(t.path / "s2/notices.jsonl", rows);
  // Into one of the shards.
  auto into = run_gazette("merge" + s1 + s2 + " -o " + q(t.path / "s1"), t.path);
  CHECK(into.status == 2);
  CHECK(into.err.find("s1: is one of the shard folders") != std::string::npos);
  CHECK(run_gazette("merge" + s1 + s2 + out + " -q", t.path).status == 0);
}

TEST_CASE("merge: an issue that failed in its shard is reported and missing, as from one run") {
  TempDir t;
  write_archive(t.path / "in", 6);
  write_file(t.path / "in/2023/notes.txt", "购物清单\n\n牛奶、面包\n");
  const std::string in = q(t.path / "in");
  CHECK(run_gazette("batch " + in + " -o " + q(t.path / "single") + " -q", t.path).status == 3);
  std::string dirs;
  for (int k = 1; k <= 2; ++k) {
    run_gazette("batch " + in + " --shard " + std::to_string(k) + "/2 -o " + q(t.path / std::to_string(k)) + " -q",
                t.path);
    dirs += " " + q(t.path / std::to_string(k));
  }
  auto r = run_gazette("merge" + dirs + " -o " + q(t.path / "merged"), t.path);
  CHECK(r.status == 3);
  CHECK(r.err.find("gazette: " + (t.path / "in/2023/notes.txt").string() + ": not a gazette issue") == 0);
  CHECK(r.err.find("8 issue(s), 1 failed in their shard; 14 notice(s)") != std::string::npos);
  CHECK(tree(t.path / "merged") == tree(t.path / "single"));
}
