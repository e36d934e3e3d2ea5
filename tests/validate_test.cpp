// validate: every check is tested on faults seeded into a small issue in the
// real layout (tests/data/validate/clean.txt), or on models built here.
#include <catch2/catch.hpp>
#include "convert_support.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "convert.h"
#include "io_test_support.h"
#include "grammar.h"
#include "source.h"
#include "validate.h"

using namespace gazette;

namespace {

const std::string kDataDir = GAZETTE_SOURCE_DIR "/tests/data/validate/";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const std::string& clean_text() {
  static const std::string text = read_file(kDataDir + "clean.txt");
  return text;
}

const Grammar& grammar() {
  static Grammar g = [] {
    Grammar out;
    Error err;
    if (!load_grammar(default_grammar_files(), &out, &err)) FAIL("grammar: " << err.message);
    return out;
  }();
  return g;
}

/// Replaces the one occurrence of `from`; fails the test when it is not there,
/// so a seeded fault can never silently miss.
std::string seed(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  REQUIRE(text.find(from, at + 1) == std::string::npos);
  return text.replace(at, from.size(), to);
}

Issue convert_text(const std::string& text, const std::string& name = "issue.txt") {
  return gazette::test::convert_with(text, grammar(), name);
}

std::vector<Finding> validate_text(const std::string& text) {
  Issue issue = convert_text(text);
  return validate_issues({&issue});
}

/// 1-based number of the `occurrence`-th line that holds `needle`.
int line_of(const std::string& text, const std::string& needle, int occurrence = 1) {
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n)
    if (line.find(needle) != std::string::npos && --occurrence == 0) return n;
  FAIL("no line holds " << needle);
  return 0;
}

std::vector<Finding> with_code(const std::vector<Finding>& fs, const std::string& code) {
  std::vector<Finding> out;
  std::copy_if(fs.begin(), fs.end(), std::back_inserter(out), [&](const Finding& f) { return f.code == code; });
  return out;
}

std::string describe(const std::vector<Finding>& fs) {
  std::string out;
  for (const Finding& f : fs)
    out += f.file + ":" + std::to_string(f.line) + " " + severity_name(f.severity) + "[" + f.code + "] " +
           f.docnum + " " + f.message + "\n";
  return out;
}

/// Exactly one finding of `code`; checks its severity, docnum and line.
void expect_one(const std::vector<Finding>& fs, const std::string& code, Severity severity,
                const std::string& docnum, int line) {
  INFO(describe(fs));
  auto found = with_code(fs, code);
  REQUIRE(found.size() == 1);
  CHECK(severity_name(found[0].severity) == std::string(severity_name(severity)));
  CHECK(found[0].docnum == docnum);
  CHECK(found[0].line == line);
}

const std::string k10 = "土左政字〔2023〕10号";
const std::string k11 = "土左政字〔2023〕11号";

}  // namespace

TEST_CASE("validate: the clean synthetic issue has no finding", "[validate]") {
  auto fs = validate_text(clean_text());
  INFO(describe(fs));
  CHECK(fs.empty());
}

TEST_CASE("validate: every code has one severity and docs/validate.md lists it", "[validate]") {
  std::string doc = read_file(GAZETTE_SOURCE_DIR "/docs/validate.md");
  for (const CheckInfo& c : validate_checks()) {
    INFO(c.code);
    CHECK(doc.find(std::string("| `") + c.code + "` | " + severity_name(c.severity) + " |") != std::string::npos);
  }
}

TEST_CASE("validate: fold_title folds width dashes quotes and brackets only", "[validate]") {
  CHECK(fold_title("关于印发《方案（2023—2025年）》的通知") == fold_title("关于印发方案(2023-2025年)的通知"));
  CHECK(fold_title("“一县一策” 建设") == fold_title("\"一县一策\"建设"));
  CHECK(fold_title("〔2023〕") == fold_title("[2023]"));
  CHECK(fold_title("测试工作方案") != fold_title("测试工作计划"));
}

// The finding names the notice by its canonical 文号 (the key of the output);
// the message quotes the form printed.
TEST_CASE("validate: docnum.bracket on every nonstandard bracket of the notice's own 文号", "[validate]") {
  for (const char* bad : {"土左政字[2023]10号", "土左政字(2023)10号", "土左政字（2023）10号", "土左政字【2023】10号",
                          "土左政字﹝2023﹞10号"}) {
    INFO(bad);
    std::string text = seed(clean_text(), k10, bad);
    auto fs = validate_text(text);
    expect_one(fs, "docnum.bracket", Severity::Error, k10, line_of(text, bad));
    CHECK(with_code(fs, "docnum.bracket")[0].message.find(std::string("文号 ") + bad + " prints") != std::string::npos);
  }
}

TEST_CASE("validate: docnum.leading-zero and docnum.di", "[validate]") {
  std::string zero = seed(clean_text(), k11, "土左政字〔2023〕011号");
  expect_one(validate_text(zero), "docnum.leading-zero", Severity::Error, k11, line_of(zero, "土左政字〔2023〕011号"));
  CHECK(with_code(validate_text(zero), "docnum.leading-zero")[0].message ==
        "文号 土左政字〔2023〕011号 has a leading zero in its number");
  std::string di = seed(clean_text(), k11, "土左政字〔2023〕第11号");
  expect_one(validate_text(di), "docnum.di", Severity::Error, "土左政字〔2023〕第11号",
             line_of(di, "土左政字〔2023〕第11号"));
}

TEST_CASE("validate: 函 and 明电 series and order and 公告 numbers are not held to the 文号 form", "[validate]") {
  std::string han = seed(clean_text(), k10, "土左政函[2023]第10号");
  auto fs = validate_text(han);
  INFO(describe(fs));
  CHECK(with_code(fs, "docnum.bracket").empty());
  CHECK(with_code(fs, "docnum.di").empty());

  Issue issue;
  issue.source_file = "model.txt";
  Notice order;
  order.docnum = DocNumber{"国令第707号", "国令", std::nullopt, 707, "", "", "docnum.order", true, false, 5,
                           "国令第707号", "国令第707号", "order"};
  Notice announcement;
  announcement.docnum = DocNumber{"国家税务总局公告2021年第5号", "国家税务总局公告", 2021, 5, "", "",
                                  "docnum.announcement", true, false, 9, "国家税务总局公告2021年第5号",
                                  "国家税务总局公告2021年第5号", "announcement"};
  Notice telegram;
  telegram.docnum = DocNumber{"国办发明电〔2020〕5号", "国办发明电", 2020, 5, "（", "）", "docnum.standard", false, false, 12,
                              "国办发明电（2020）5号", "国办发明电〔2020〕5号", "standard"};
  issue.notices = {order, announcement, telegram};
  auto model_fs = validate_issues({&issue});
  INFO(describe(model_fs));
  CHECK(with_code(model_fs, "docnum.bracket").empty());
  CHECK(with_code(model_fs, "docnum.di").empty());
}

TEST_CASE("validate: series.duplicate within one issue goes on the later notice", "[validate]") {
  std::string text = seed(clean_text(), k11, k10);
  auto fs = validate_text(text);
  INFO(describe(fs));
  auto found = with_code(fs, "series.duplicate");
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == Severity::Error);
  CHECK(found[0].docnum == k10);
  CHECK(found[0].line == line_of(text, k10, 2));
  CHECK(found[0].message.find("issue.txt:" + std::to_string(line_of(text, k10))) != std::string::npos);
}

TEST_CASE("validate: series.duplicate and series.missing across issues", "[validate]") {
  Issue first = convert_text(clean_text(), "a.txt");
  SECTION("the same numbers in a second issue are duplicates, reported in the second") {
    Issue second = convert_text(clean_text(), "b.txt");
    auto fs = validate_issues({&first, &second});
    INFO(describe(fs));
    auto found = with_code(fs, "series.duplicate");
    REQUIRE(found.size() == 2);
    for (const Finding& f : found) {
      CHECK(f.file == "b.txt");
      CHECK(f.severity == Severity::Error);
      CHECK(f.message.find("a.txt:") != std::string::npos);
    }
  }
  SECTION("a gap between the issues is info, as a range") {
    std::string later = seed(seed(clean_text(), k10, "土左政字〔2023〕14号"), k11, "土左政字〔2023〕17号");
    later = seed(seed(later, "2023年4月7日", "2023年5月7日"), "2023年4月20日", "2023年5月20日");
    Issue second = convert_text(later, "b.txt");
    auto fs = validate_issues({&first, &second});
    INFO(describe(fs));
    auto found = with_code(fs, "series.missing");
    REQUIRE(found.size() == 2);
    CHECK(found[0].severity == Severity::Info);
    CHECK(found[0].docnum.empty());
    CHECK(found[0].file == "b.txt");
    CHECK(found[0].message == "土左政字 2023: 12–13 not in these issues");
    CHECK(found[1].message == "土左政字 2023: 15–16 not in these issues");
    CHECK(with_code(fs, "series.duplicate").empty());
    CHECK(with_code(fs, "series.order").empty());
  }
}

TEST_CASE("validate: series.order when a higher number is dated earlier", "[validate]") {
  std::string text = seed(clean_text(), "2023年4月20日", "2023年4月1日");
  expect_one(validate_text(text), "series.order", Severity::Warning, k11, line_of(text, k11));
}

TEST_CASE("validate: series.year-mismatch with the turn of the year allowed", "[validate]") {
  std::string off = seed(clean_text(), "2023年4月20日", "2022年4月20日");
  expect_one(validate_text(off), "series.year-mismatch", Severity::Error, k11, line_of(off, k11));
  std::string january = seed(clean_text(), "2023年4月20日", "2024年1月5日");
  auto fs = validate_text(january);
  INFO(describe(fs));
  CHECK(with_code(fs, "series.year-mismatch").empty());
}

TEST_CASE("validate: date.form", "[validate]") {
  std::string padded = seed(clean_text(), "2023年4月20日", "2023年04月20日");
  expect_one(validate_text(padded), "date.form", Severity::Warning, k11, line_of(padded, "2023年04月20日"));
  std::string chinese = seed(clean_text(), "2023年4月20日", "二〇二三年四月二十日");
  expect_one(validate_text(chinese), "date.form", Severity::Warning, k11, line_of(chinese, "二〇二三年四月二十日"));
  // Before GB/T 9704-2012 took effect, Chinese numerals were the rule.
  std::string old = seed(seed(clean_text(), k11, "土左政字〔2011〕11号"), "2023年4月20日", "二〇一一年四月二十日");
  auto fs = validate_text(old);
  INFO(describe(fs));
  CHECK(with_code(fs, "date.form").empty());
}

TEST_CASE("validate: date.calendar, and no ISO date for a day the month does not have", "[validate]") {
  std::string feb31 = seed(clean_text(), "2023年4月20日", "2023年2月31日");
  expect_one(validate_text(feb31), "date.calendar", Severity::Error, k11, line_of(feb31, "2023年2月31日"));
  Issue issue = convert_text(feb31);
  auto n = std::find_if(issue.notices.begin(), issue.notices.end(), [&](const Notice& x) { return x.docnum.text == k11; });
  REQUIRE(n != issue.notices.end());
  CHECK_FALSE(n->date.has_value());
  CHECK(n->date_text == "2023年2月31日");
  // 29 February is a day in a leap year only.
  std::string leap = seed(clean_text(), "2023年4月20日", "2024年2月29日");
  CHECK(with_code(validate_text(leap), "date.calendar").empty());
  std::string not_leap = seed(clean_text(), "2023年4月20日", "2023年2月29日");
  CHECK(with_code(validate_text(not_leap), "date.calendar").size() == 1);
}

TEST_CASE("validate: headings that skip or repeat or go backwards", "[validate]") {
  std::string skip = seed(clean_text(), "（二）建立台账", "（三）建立台账");
  expect_one(validate_text(skip), "heading.skip", Severity::Warning, k10, line_of(skip, "（三）建立台账"));
  std::string repeat = seed(clean_text(), "（二）建立台账", "（一）建立台账");
  expect_one(validate_text(repeat), "heading.repeat", Severity::Warning, k10, line_of(repeat, "（一）建立台账"));
  std::string backwards = seed(clean_text(), "三、保障措施", "一、保障措施");
  expect_one(validate_text(backwards), "heading.backwards", Severity::Warning, k10,
             line_of(backwards, "一、保障措施"));
}

TEST_CASE("validate: numbering that runs on across parents is not flagged", "[validate]") {
  // clean.txt numbers 1. 2. under （一） and 3. under （二）; a restart at 1 is fine too.
  std::string restart = seed(clean_text(), "3. 加强考核", "1. 加强考核");
  for (const std::string& text : {clean_text(), restart}) {
    auto fs = validate_text(text);
    INFO(describe(fs));
    CHECK(with_code(fs, "heading.skip").empty());
    CHECK(with_code(fs, "heading.backwards").empty());
  }
  std::string jump = seed(clean_text(), "3. 加强考核", "5. 加强考核");
  expect_one(validate_text(jump), "heading.skip", Severity::Warning, k10, line_of(jump, "5. 加强考核"));
}

TEST_CASE("validate: heading.nonstandard-marker on 一. （一）、 1、", "[validate]") {
  std::vector<std::pair<std::string, std::string>> cases = {
      {"一、总体要求", "一. 总体要求"}, {"（一）开展排查", "（一）、开展排查"}, {"1. 完善机制", "1、完善机制"}};
  for (const auto& [from, to] : cases) {
    INFO(to);
    std::string text = seed(clean_text(), from, to);
    expect_one(validate_text(text), "heading.nonstandard-marker", Severity::Warning, k10, line_of(text, to));
  }
}

TEST_CASE("validate: attachment.not-printed and attachment.not-listed", "[validate]") {
  std::string block2 = "附件2：\n\n献血安排表\n\n序号\t单位\t时间\n1\t旗委办\t6月27日\n";
  std::string missing = seed(clean_text(), block2, "");
  expect_one(validate_text(missing), "attachment.not-printed", Severity::Warning, k11,
             line_of(missing, "2. 献血安排表"));
  std::string extra = clean_text() + "\n附件3：\n\n体检须知\n\n请空腹参加体检。\n";
  expect_one(validate_text(extra), "attachment.not-listed", Severity::Warning, k11, line_of(extra, "附件3："));
}

TEST_CASE("validate: attachment.mismatch on numbers and titles", "[validate]") {
  std::string number = seed(clean_text(), "附件2：", "附件3：");
  auto fs = validate_text(number);
  expect_one(fs, "attachment.mismatch", Severity::Warning, k11, line_of(number, "附件3："));
  CHECK(with_code(fs, "attachment.not-printed").empty());
  std::string title = seed(clean_text(), "\n献血安排表\n", "\n体检安排表\n");
  expect_one(validate_text(title), "attachment.mismatch", Severity::Warning, k11, line_of(title, "附件2："));
}

TEST_CASE("validate: table of contents count and order and titles", "[validate]") {
  std::string entry10 = "- 02 关于印发《土默特左旗测试工作方案（2023—2025年）》的通知\n";
  std::string entry11 = "- 05 关于开展无偿献血工作的通知\n";
  // The notice's title line: the entry in the contents comes first.
  auto title11_line = [](const std::string& text) { return line_of(text, "关于开展无偿献血工作的通知", 2); };

  std::string fewer = seed(clean_text(), entry11, "");
  auto fs = validate_text(fewer);
  INFO(describe(fs));
  auto count = with_code(fs, "toc.count");
  REQUIRE(count.size() == 2);
  CHECK(count[0].severity == Severity::Error);
  CHECK(count[0].docnum.empty());  // the issue-level count, at the first entry
  CHECK(count[1].docnum == k11);   // the notice the contents leave out
  CHECK(count[1].line == line_of(fewer, "关于开展无偿献血工作的通知"));

  std::string swapped = seed(seed(clean_text(), entry10, "@@"), entry11, entry10);
  swapped = seed(swapped, "@@", entry11);
  expect_one(validate_text(swapped), "toc.order", Severity::Error, k11, title11_line(swapped));

  std::string retitled = seed(clean_text(), entry11, "- 05 关于开展义务植树工作的通知\n");
  expect_one(validate_text(retitled), "toc.title-mismatch", Severity::Error, k11,
             line_of(retitled, "关于开展无偿献血工作的通知"));
}

TEST_CASE("validate: title.issued-document-mismatch and its variant", "[validate]") {
  std::string title10 = "关于印发《土默特左旗测试工作方案（2023-2025年）》的通知\n\n土左政字";
  std::string wrong = seed(clean_text(), title10, "关于印发《土默特左旗其他工作计划》的通知\n\n土左政字");
  auto fs = validate_text(wrong);
  expect_one(fs, "title.issued-document-mismatch", Severity::Error, k10, line_of(wrong, "其他工作计划"));
  CHECK(with_code(fs, "title.issued-document-variant").empty());

  std::string body = seed(clean_text(), "现将《土默特左旗测试工作方案（2023-2025年）》印发",
                          "现将《土默特左旗测试工作细则》印发");
  auto vfs = validate_text(body);
  expect_one(vfs, "title.issued-document-variant", Severity::Warning, k10,
             line_of(body, "关于印发《土默特左旗测试工作方案", 2));
  CHECK(with_code(vfs, "title.issued-document-mismatch").empty());
}

TEST_CASE("validate: title.duplicate goes on the later notice and names the other", "[validate]") {
  std::string text = seed(clean_text(), "关于开展无偿献血工作的通知\n\n土左政字",
                          "关于印发《土默特左旗测试工作方案（2023-2025年）》的通知\n\n土左政字");
  auto fs = validate_text(text);
  INFO(describe(fs));
  auto found = with_code(fs, "title.duplicate");
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == Severity::Warning);
  CHECK(found[0].docnum == k11);
  CHECK(found[0].message.find(k10) != std::string::npos);
}

TEST_CASE("validate: reference.bracket on a cited 文号", "[validate]") {
  for (const char* cited : {"呼卫健字(2022)133号", "呼卫健字（2022）133号", "呼卫健字[2022]133号"}) {
    INFO(cited);
    std::string text = seed(clean_text(), "呼卫健字〔2022〕133号", cited);
    auto fs = validate_text(text);
    expect_one(fs, "reference.bracket", Severity::Warning, k11, line_of(text, cited));
    CHECK(with_code(fs, "docnum.bracket").empty());
  }
}

TEST_CASE("validate: findings are sorted by file then line then code", "[validate]") {
  std::string text = seed(seed(clean_text(), "（二）建立台账", "（三）建立台账"), "2023年4月20日", "2023年04月20日");
  text = seed(text, k10, "土左政字[2023]10号");
  Issue b = convert_text(text, "b.txt");
  Issue a = convert_text(text, "a.txt");
  auto fs = validate_issues({&b, &a});
  REQUIRE(fs.size() >= 6);
  CHECK(std::is_sorted(fs.begin(), fs.end(), [](const Finding& x, const Finding& y) {
    return std::tie(x.file, x.line, x.code) < std::tie(y.file, y.line, y.code);
  }));
  CHECK(fs.front().file == "a.txt");
}

namespace {

struct RunResult {
  int status = -1;
  std::string out;
};

RunResult run_gazette(const std::string& args) {
  std::string cmd = std::string(GAZETTE_BINARY) + " " + args + " 2>/dev/null";
  RunResult r;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int raw = pclose(p);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return r;
}

std::string write_temp(const std::string& name, const std::string& text) {
  auto dir = std::filesystem::temp_directory_path() / "gazette-validate-test";
  std::filesystem::create_directories(dir);
  std::string path = (dir / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

}  // namespace

TEST_CASE("validate CLI: exit 0 with warnings only and 1 with an error in text and json", "[validate]") {
  std::string warn_only = write_temp("warn.txt", seed(clean_text(), "2023年4月20日", "2023年04月20日"));
  RunResult text = run_gazette("validate " + warn_only);
  CHECK(text.status == 0);
  int date_line = line_of(read_file(warn_only), "2023年04月20日");
  CHECK(text.out == warn_only + ":" + std::to_string(date_line) +
                        ": warning[date.form]: 成文日期 2023年04月20日 pads the month or day with a zero; "
                        "GB/T 9704-2012 writes 2023年6月9日\n    2023年04月20日\n");

  std::string with_error = write_temp("error.txt", seed(clean_text(), k10, "土左政字[2023]10号"));
  RunResult json = run_gazette("validate --format json " + with_error);
  CHECK(json.status == 1);
  auto j = nlohmann::json::parse(json.out);
  CHECK(j["schema"] == "gazette.findings/1");
  REQUIRE(j["findings"].size() == 1);
  CHECK(j["findings"][0]["code"] == "docnum.bracket");
  CHECK(j["findings"][0]["severity"] == "error");
  CHECK(j["findings"][0]["docnum"] == k10);  // canonical; the message quotes 土左政字[2023]10号
  CHECK(j["findings"][0]["file"] == with_error);

  RunResult clean = run_gazette("validate --format json " + write_temp("clean.txt", clean_text()));
  CHECK(clean.status == 0);
  CHECK(nlohmann::json::parse(clean.out)["findings"].empty());
  CHECK(nlohmann::json::parse(clean.out)["findings"].is_array());

  CHECK(run_gazette("validate /nonexistent/issue.txt").status == 3);
}

TEST_CASE("validate: the shared issue has its known faults and errors only where the gold allows", "[validate][shared]") {
  const std::string path = GAZETTE_SOURCE_DIR "/../shared/corpus/tumote-zuoqi-2023-02.txt";
  if (!std::filesystem::exists(path)) {
    WARN("skipped: " << path << " is absent");
    return;
  }
  SourceText src;
  Error err;
  REQUIRE(read_source(path, DecodeOptions{}, &src, &err));
  Issue issue;
  REQUIRE(convert_issue(src, grammar(), &issue, &err));
  auto fs = validate_issues({&issue});
  INFO(describe(fs));
  auto on = [&](const std::string& docnum, const std::string& code) {
    return std::find_if(fs.begin(), fs.end(), [&](const Finding& f) {
             return f.docnum == docnum && f.code == code;
           }) != fs.end();
  };
  CHECK(on("土左政办发〔2023〕35号", "title.issued-document-mismatch"));
  CHECK(on("土左政办发〔2023〕35号", "toc.title-mismatch"));
  CHECK(on("土左政办发〔2023〕35号", "title.duplicate"));
  CHECK(on("土左政办发〔2023〕17号", "title.issued-document-mismatch"));
  CHECK(on("土左政办发〔2023〕38号", "attachment.not-printed"));
  CHECK(on("土左政办发〔2023〕40号", "reference.bracket"));
  for (const Finding& f : fs)
    if (f.severity == Severity::Error) {
      INFO(f.code << " on " << f.docnum);
      CHECK((f.docnum == "土左政办发〔2023〕35号" || f.docnum == "土左政办发〔2023〕17号"));
    }
  auto missing = with_code(fs, "series.missing");
  CHECK(std::any_of(missing.begin(), missing.end(),
                    [](const Finding& f) { return f.message == "土左政字 2023: 74–80 not in these issues"; }));
}

// --- folders, filters, JSON Lines and colour (the CLI) ------------------------

namespace {

namespace io = gazette::io_test;

/// One issue with one finding of each severity: docnum.bracket (error),
/// date.form (warning) and series.missing (info: 11–12 between 10 and 13).
std::string three_severities() {
  std::string text = seed(clean_text(), k10, "土左政字[2023]10号");
  text = seed(text, "2023年4月20日", "2023年04月20日");
  return seed(text, k11, "土左政字〔2023〕13号");
}

nlohmann::json findings_of(const io::RunResult& r) {
  INFO(r.err);
  nlohmann::json j = nlohmann::json::parse(r.out);
  REQUIRE(j["findings"].is_array());
  return j["findings"];
}

std::set<std::string> codes_of(const nlohmann::json& findings) {
  std::set<std::string> out;
  for (const auto& f : findings) out.insert(f["code"].get<std::string>());
  return out;
}

/// The text with every ANSI colour sequence (ESC [ ... m) taken out.
std::string without_colour(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\x1b' && i + 1 < s.size() && s[i + 1] == '[') {
      i = s.find('m', i);
      REQUIRE(i != std::string::npos);
      continue;
    }
    out += s[i];
  }
  return out;
}

}  // namespace

TEST_CASE("validate CLI: a folder is the sorted issue files in it, series checked across them", "[validate][cli]") {
  io::TempDir dir;
  const auto arch = dir.path() / "archive";
  std::string later = seed(seed(clean_text(), k10, "土左政字〔2023〕14号"), k11, "土左政字〔2023〕17号");
  later = seed(seed(later, "2023年4月7日", "2023年5月7日"), "2023年4月20日", "2023年5月20日");
  io::write_file(arch / "b.txt", seed(clean_text(), k10, "土左政字[2023]10号"));  // 10 and 11 again
  io::write_file(arch / "2023" / "02.txt", later);
  io::write_file(arch / "2023" / "01.txt", clean_text());
  io::write_file(arch / ".draft.txt", clean_text());          // hidden: not an issue of the archive
  io::write_file(arch / "notes.md", "not an issue\n");        // not a kind batch takes
  io::write_file(arch / ".old" / "03.txt", clean_text());     // in a hidden folder

  const std::string listed = "archive/2023/01.txt archive/2023/02.txt archive/b.txt";
  for (const char* format : {"text", "json", "jsonl"}) {
    INFO(format);
    auto of_folder = io::run_gazette(std::string("validate --format ") + format + " archive", dir.path());
    auto of_files = io::run_gazette(std::string("validate --format ") + format + " " + listed, dir.path());
    CHECK(of_folder.status == 1);
    CHECK(of_folder.status == of_files.status);
    CHECK(of_folder.out == of_files.out);
    CHECK(of_folder.err == of_files.err);
    CHECK(of_folder.err.find("3 issue(s)") != std::string::npos);
  }
  // In that order the duplicates are on b.txt, which names 2023/01.txt; the
  // gaps 12–13 and 15–16 are in 2023/02.txt.
  auto fs = findings_of(io::run_gazette("validate --format json archive", dir.path()));
  std::size_t duplicates = 0;
  for (const auto& f : fs) {
    if (f["code"] == "series.duplicate") {
      ++duplicates;
      CHECK(f["file"] == "archive/b.txt");
      CHECK(f["message"].get<std::string>().find("archive/2023/01.txt:") != std::string::npos);
    }
    if (f["code"] == "series.missing") CHECK(f["file"] == "archive/2023/02.txt");
  }
  CHECK(duplicates == 2);
  CHECK(codes_of(fs).count("series.missing") == 1);

  // A folder among files is expanded where it stands; files keep their order.
  auto mixed = findings_of(io::run_gazette("validate --format json archive/b.txt archive/2023", dir.path()));
  for (const auto& f : mixed)
    if (f["code"] == "series.duplicate") CHECK(f["file"] == "archive/2023/01.txt");

  std::filesystem::create_directories(dir.path() / "empty");
  auto empty = io::run_gazette("validate empty", dir.path());
  CHECK(empty.status == 3);
  CHECK(empty.out.empty());
  CHECK(empty.err.find("empty: no issue files") != std::string::npos);
}

TEST_CASE("validate CLI: --severity and --code filter the findings and the exit status", "[validate][cli]") {
  io::TempDir dir;
  io::write_file(dir.path() / "issue.txt", three_severities());
  auto run = [&](const std::string& options) { return io::run_gazette("validate --format json " + options + " issue.txt", dir.path()); };

  auto all = run("");
  CHECK(all.status == 1);
  auto everything = findings_of(all);
  REQUIRE(codes_of(everything) == std::set<std::string>{"docnum.bracket", "date.form", "series.missing"});
  auto kept = [&](const std::function<bool(const nlohmann::json&)>& keep) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& f : everything)
      if (keep(f)) out.push_back(f);
    return out;
  };

  auto warning = run("--severity warning");
  CHECK(warning.status == 1);
  CHECK(findings_of(warning) == kept([](const nlohmann::json& f) { return f["severity"] != "info"; }));
  CHECK(findings_of(run("--severity error")) == kept([](const nlohmann::json& f) { return f["severity"] == "error"; }));
  CHECK(findings_of(run("--severity info")) == everything);

  // Only warnings and info reported: status 0, though the issue has an error.
  auto date = run("--code date.form");
  CHECK(date.status == 0);
  CHECK(findings_of(date) == kept([](const nlohmann::json& f) { return f["code"] == "date.form"; }));
  auto two = run("--code date.form --code series.missing");
  CHECK(two.status == 0);
  CHECK(codes_of(findings_of(two)) == std::set<std::string>{"date.form", "series.missing"});
  CHECK(run("--code date.form --severity error").out.find("\"findings\": []") != std::string::npos);
  // A group: the part of the code before the dot.
  auto docnum = run("--code docnum");
  CHECK(docnum.status == 1);
  CHECK(codes_of(findings_of(docnum)) == std::set<std::string>{"docnum.bracket"});
  CHECK(docnum.err.find("0 warning(s), 0 info; 2 more left out by the filters") != std::string::npos);

  auto unknown = run("--code date.forms");
  CHECK(unknown.status == 2);
  CHECK(unknown.out.empty());
  CHECK(unknown.err.find("--code date.forms: no such check") != std::string::npos);
  for (const CheckInfo& c : validate_checks()) CHECK(unknown.err.find(c.code) != std::string::npos);
  CHECK(run("--severity fatal").status == 2);
}

TEST_CASE("validate CLI: --format jsonl is one finding object a line, as in the json format", "[validate][cli]") {
  io::TempDir dir;
  io::write_file(dir.path() / "issue.txt", three_severities());
  auto lines = io::run_gazette("validate --format jsonl issue.txt", dir.path());
  CHECK(lines.status == 1);
  auto everything = findings_of(io::run_gazette("validate --format json issue.txt", dir.path()));
  REQUIRE(!lines.out.empty());
  CHECK(lines.out.back() == '\n');
  std::istringstream in(lines.out);
  std::string line;
  std::size_t k = 0;
  for (; std::getline(in, line); ++k) {
    INFO(line);
    auto j = nlohmann::json::parse(line);
    REQUIRE(j.is_object());
    REQUIRE(k < everything.size());
    CHECK(j == everything[k]);
    CHECK(j["file"] == "issue.txt");
    CHECK(j["line"].is_number_integer());
  }
  CHECK(k == everything.size());
  auto none = io::run_gazette("validate --format jsonl --code toc issue.txt", dir.path());
  CHECK(none.status == 0);
  CHECK(none.out.empty());
}

TEST_CASE("validate CLI: colour only when asked for or on a terminal", "[validate][cli]") {
  io::TempDir dir;
  io::write_file(dir.path() / "issue.txt", three_severities());
  auto plain = io::run_gazette("validate issue.txt", dir.path());  // standard output is a file: auto is plain
  CHECK(plain.out.find("issue.txt:") != std::string::npos);
  CHECK(plain.out.find('\x1b') == std::string::npos);
  CHECK(io::run_gazette("validate --color never issue.txt", dir.path()).out == plain.out);
  for (bool no_color : {false, true}) {  // an explicit --color always wins over NO_COLOR
    if (no_color) ::setenv("NO_COLOR", "1", 1);
    auto colour = io::run_gazette("validate --color always issue.txt", dir.path());
    ::unsetenv("NO_COLOR");
    CHECK(colour.out.find("\x1b[1;31merror[docnum.bracket]\x1b[0m") != std::string::npos);
    CHECK(colour.out.find("\x1b[1;33mwarning[date.form]\x1b[0m") != std::string::npos);
    CHECK(colour.out.find("\x1b[1;36minfo[series.missing]\x1b[0m") != std::string::npos);
    CHECK(without_colour(colour.out) == plain.out);
  }
  // json and jsonl are never coloured.
  CHECK(io::run_gazette("validate --color always --format jsonl issue.txt", dir.path()).out.find('\x1b') ==
        std::string::npos);
}
