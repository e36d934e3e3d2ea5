// docnum.canonical: one key per notice whatever form the extraction printed
// its 文号 in. The canonical form of each docnum rule's matches; the shared
// issue with its own 文号 reprinted in other brackets, digits and spacing
// (same file names, keys and notices; diff finds nothing; validate still
// flags the form); references deduplicated across forms; folders written
// before the canonical form existed.
#include <catch2/catch.hpp>
#include "convert_support.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>

#include "classify.h"
#include "diff.h"
#include "docnum.h"
#include "grammar.h"
#include "issue_folder.h"
#include "json_model.h"
#include "validate.h"
#include "writer.h"

using namespace gazette;

namespace {

using gazette::test::kSharedIssue;
using gazette::test::read_bytes;

Issue convert_text(const std::string& text, const std::string& name = "docnum.txt") {
  return gazette::test::convert_with(text, gazette::test::default_grammar(), name);
}

/// A small issue of one notice, 国办发〔2018〕30号 (or `docnum`), with `body`.
Issue one_notice(const std::string& body, const std::string& docnum = "国办发〔2018〕30号") {
  Issue issue = convert_text("国务院办公厅关于加强城乡供水工作的通知\n\n" + docnum +
                             "\n\n各省、自治区、直辖市人民政府：\n\n" + body + "\n\n国务院办公厅\n\n2018年3月9日\n");
  REQUIRE(issue.notices.size() == 1);
  return issue;
}

/// The 文号 the rules read from `line` when it stands alone (a notice's own 文号).
DocNumber docnum_line(const std::string& line) {
  static Matchers m(gazette::test::default_grammar());
  std::vector<LineInfo> ls = classify_lines({line}, m);
  REQUIRE(ls.size() == 1);
  INFO(line);
  REQUIRE(ls[0].kind == LineKind::Docnum);
  return ls[0].detail().docnum;
}

/// ０１２３… for 0123…
std::string fullwidth_digits(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c >= '0' && c <= '9') out += std::string("\xEF\xBC") + static_cast<char>('\x90' + (c - '0'));
    else out += c;
  return out;
}

/// A form in which an extraction may print 土左政字〔2023〕73号.
struct Form {
  const char* name;
  std::function<std::string(const std::string& agency, const std::string& year, const std::string& seq)> print;
};

const std::vector<Form>& odd_forms() {
  static const std::vector<Form> forms = {
      {"[2023]", [](auto& a, auto& y, auto& s) { return a + "[" + y + "]" + s + "号"; }},
      {"(2023)", [](auto& a, auto& y, auto& s) { return a + "(" + y + ")" + s + "号"; }},
      {"【2023】", [](auto& a, auto& y, auto& s) { return a + "【" + y + "】" + s + "号"; }},
      {"［2023］", [](auto& a, auto& y, auto& s) { return a + "［" + y + "］" + s + "号"; }},
      {"（2023）", [](auto& a, auto& y, auto& s) { return a + "（" + y + "）" + s + "号"; }},
      {"full-width digits",
       [](auto& a, auto& y, auto& s) { return a + "〔" + fullwidth_digits(y) + "〕" + fullwidth_digits(s) + "号"; }},
      {"spaces", [](auto& a, auto& y, auto& s) { return a + " 〔" + y + "〕 " + s + " 号"; }},
      {"leading zero", [](auto& a, auto& y, auto& s) { return a + "〔" + y + "〕0" + s + "号"; }},
      {"all at once",
       [](auto& a, auto& y, auto& s) { return a + " （" + fullwidth_digits(y) + "） 0" + fullwidth_digits(s) + " 号"; }},
  };
  return forms;
}

/// The shared issue with each of its own 文号 lines (all printed 〔2023〕)
/// printed in `form`; `printed` gets the new lines in order.
std::string reprint(const std::vector<std::string>& lines, const Form& form, std::vector<std::string>* printed = nullptr) {
  static const std::regex own(R"(^(土左政字|土左政办发)〔(2023)〕([0-9]+)号$)");
  std::string out;
  for (std::string line : lines) {
    std::smatch m;
    if (std::regex_match(line, m, own)) {
      line = form.print(m[1].str(), m[2].str(), m[3].str());
      if (printed) printed->push_back(line);
    }
    out += line + "\n";
  }
  return out;
}

/// A reprint of the shared issue, converted under the shared issue's name.
Issue convert_reprint(const std::vector<std::string>& lines, const Form& form, std::vector<std::string>* printed = nullptr) {
  return convert_text(reprint(lines, form, printed), kSharedIssue);
}

/// The shared issue's own 文号 in print order (read from the corpus: lines
/// 71, 173, 309, 634, 1404, 2142, 2272, 2386, 2528, 2773, 2908, 3014, 3152, 3289).
const std::vector<std::string> kSharedKeys = {
    "土左政字〔2023〕73号",   "土左政字〔2023〕81号",   "土左政字〔2023〕83号",   "土左政字〔2023〕102号",
    "土左政字〔2023〕103号",  "土左政办发〔2023〕15号", "土左政办发〔2023〕17号", "土左政办发〔2023〕24号",
    "土左政办发〔2023〕35号", "土左政办发〔2023〕36号", "土左政办发〔2023〕37号", "土左政办发〔2023〕38号",
    "土左政办发〔2023〕40号", "土左政办发〔2023〕41号"};

const std::vector<std::string> kSharedFiles = {
    "土左政字-2023-73.json",   "土左政字-2023-81.json",   "土左政字-2023-83.json",   "土左政字-2023-102.json",
    "土左政字-2023-103.json",  "土左政办发-2023-15.json", "土左政办发-2023-17.json", "土左政办发-2023-24.json",
    "土左政办发-2023-35.json", "土左政办发-2023-36.json", "土左政办发-2023-37.json", "土左政办发-2023-38.json",
    "土左政办发-2023-40.json", "土左政办发-2023-41.json", "issue.json"};

/// A notice's JSON without what says how its 文号 was printed.
Json without_print_form(Json j) {
  if (j.is_object()) {
    j.erase("printed");
    j.erase("brackets");
    for (auto it = j.begin(); it != j.end(); ++it) *it = without_print_form(*it);
  } else if (j.is_array()) {
    for (auto& v : j) v = without_print_form(v);
  }
  return j;
}

std::vector<std::string> keys_of(const Issue& issue) {
  std::vector<std::string> out;
  for (const auto& n : issue.notices) out.push_back(n.docnum.text);
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------
// The canonical form, rule by rule

TEST_CASE("docnum: the canonical form of each docnum rule's 文号", "[docnum]") {
  struct Case {
    const char* printed;
    const char* rule;
    const char* canonical;
  };
  const Case cases[] = {
      // docnum.standard: agency, a bracketed year, an optional 第, the number.
      {"土左政字〔2023〕73号", "docnum.standard", "土左政字〔2023〕73号"},
      {"土左政字[2023]73号", "docnum.standard", "土左政字〔2023〕73号"},
      {"土左政字(2023)73号", "docnum.standard", "土左政字〔2023〕73号"},
      {"土左政字（2023）73号", "docnum.standard", "土左政字〔2023〕73号"},
      {"土左政字【2023】73号", "docnum.standard", "土左政字〔2023〕73号"},
      {"土左政字［2023］73号", "docnum.standard", "土左政字〔2023〕73号"},
      {"土左政字〈2023〉73号", "docnum.standard", "土左政字〔2023〕73号"},
      {"土左政字〔２０２３〕７３号", "docnum.standard", "土左政字〔2023〕73号"},
      {"土左政字 〔2023〕 73 号", "docnum.standard", "土左政字〔2023〕73号"},
      {"土左政字〔2023〕073号", "docnum.standard", "土左政字〔2023〕73号"},
      {"土左政字〔2023〕第7号", "docnum.standard", "土左政字〔2023〕第7号"},  // 第 was printed: kept
      {"土左政字[2023]第07号", "docnum.standard", "土左政字〔2023〕第7号"},
      {"ＡＢ政字〔2023〕5号", "docnum.standard", "AB政字〔2023〕5号"},  // full-width letters fold
      {"内卫办中（蒙）管理字（2022）73号", "docnum.standard", "内卫办中(蒙)管理字〔2022〕73号"},
      // docnum.order: no year, 第 always printed.
      {"国令第707号", "docnum.order", "国令第707号"},
      {"国令第０７０７号", "docnum.order", "国令第707号"},
      // docnum.announcement: the year printed as 2021年, without brackets.
      {"国家税务总局公告2021年第5号", "docnum.announcement", "国家税务总局公告2021年第5号"},
      {"国家税务总局公告 ２０２１年第０５号", "docnum.announcement", "国家税务总局公告2021年第5号"},
  };
  for (const auto& c : cases) {
    INFO(c.printed);
    DocNumber d = docnum_line(c.printed);
    CHECK(d.rule == c.rule);
    CHECK(d.canonical == c.canonical);
    CHECK(d.text == c.canonical);
    CHECK(d.printed == c.printed);
  }
}

TEST_CASE("docnum: the printed form is trimmed and the form marks are read from it", "[docnum]") {
  DocNumber d = docnum_line("  土左政字（2023）第07号  ");
  CHECK(d.printed == "土左政字（2023）第07号");
  CHECK(d.canonical == "土左政字〔2023〕第7号");
  CHECK(d.has_di);
  CHECK(d.leading_zero);
  CHECK(d.open_bracket == "（");
}

TEST_CASE("docnum: without a number the canonical form is the printed text without spaces", "[docnum]") {
  DocNumber d;
  d.agency = "土左政字";
  d.year = 2023;
  d.open_bracket = "〔";
  d.close_bracket = "〕";
  CHECK(canonical_docnum(d, "土左政字 〔2023〕 号") == "土左政字〔2023〕号");
  d.seq = 5;
  d.agency = " ";  // no agency either: the parts are not enough
  CHECK(canonical_docnum(d, "〔2023〕 5号") == "〔2023〕5号");
}

// ---------------------------------------------------------------------------
// References

TEST_CASE("docnum: one 文号 cited in several forms is one reference, the first as printed", "[docnum][references]") {
  std::string body =
      "根据《关于加强城乡供水安全保障工作的意见》（国发〔2016〕3号）要求，现通知如下：\n\n"
      "一、按照国发(2016)3号文件，做好水源保护。\n\n"
      "二、落实国发【２０１６】03号、国发〔2016〕30号的分工。\n\n"
      "三、国发 ［2016］ 3 号文件另行部署。\n\n"
      "四、根据国办发（２０１９）03号文件精神，做好有关工作。";
  const auto refs = one_notice(body).notices[0].references;
  REQUIRE(refs.size() == 3);
  CHECK(refs[0].text == "国发〔2016〕3号");
  CHECK(refs[0].printed == "国发〔2016〕3号");
  CHECK(refs[0].line == 7);
  CHECK(refs[1].text == "国发〔2016〕30号");  // another number: another reference
  CHECK(refs[1].line == 11);
  // After a word that is no part of the 机关代字 (根据), canonical without it.
  CHECK(refs[2].printed == "国办发（２０１９）03号");
  CHECK(refs[2].text == "国办发〔2019〕3号");
  CHECK(refs[2].canonical == "国办发〔2019〕3号");
  CHECK(refs[2].line == 15);
}

// ---------------------------------------------------------------------------
// The shared issue, its own 文号 reprinted

TEST_CASE("docnum: shared issue: every form of its 文号 gives the same file names, keys and notices",
          "[docnum][shared]") {
  REQUIRE_SHARED_ISSUE(s);
  REQUIRE(keys_of(s->issue) == kSharedKeys);
  REQUIRE(IssueFiles(s->issue, Format::Json).names() == kSharedFiles);
  for (const Form& form : odd_forms()) {
    INFO("printed as " << form.name);
    std::vector<std::string> printed;
    Issue issue = convert_reprint(s->lines, form, &printed);
    REQUIRE(printed.size() == kSharedKeys.size());
    CHECK(keys_of(issue) == kSharedKeys);
    CHECK(IssueFiles(issue, Format::Json).names() == kSharedFiles);
    REQUIRE(issue.notices.size() == s->issue.notices.size());
    for (std::size_t i = 0; i < issue.notices.size(); ++i) {
      const Notice& n = issue.notices[i];
      INFO(kSharedKeys[i]);
      CHECK(n.docnum.printed == printed[i]);
      CHECK(n.docnum.canonical == kSharedKeys[i]);
      // Apart from the printed form (and its brackets), the notice is the same.
      CHECK(without_print_form(to_json(n, "x.txt")) == without_print_form(to_json(s->issue.notices[i], "x.txt")));
    }
    CHECK(to_json(issue, IssueFiles(issue, Format::Json).names()) ==
          to_json(s->issue, IssueFiles(s->issue, Format::Json).names()));
  }
}

TEST_CASE("docnum: shared issue: diff of the 〔〕 form against the 【】 form finds every notice unchanged",
          "[docnum][shared][diff]") {
  REQUIRE_SHARED_ISSUE(s);
  const Form& lenticular = odd_forms()[2];
  REQUIRE(std::string(lenticular.name) == "【2023】");
  Issue reprinted = convert_reprint(s->lines, lenticular);
  REQUIRE(reprinted.notices[0].docnum.printed == "土左政字【2023】73号");
  IssueDiff r = diff_issues(s->issue, reprinted);
  INFO(render_diff_text(r));
  CHECK(r.same());
  REQUIRE(r.notices.size() == kSharedKeys.size());
  for (std::size_t i = 0; i < r.notices.size(); ++i) {
    INFO(kSharedKeys[i]);
    CHECK(r.notices[i].status == NoticeStatus::Unchanged);
    CHECK(r.notices[i].docnum == kSharedKeys[i]);
    CHECK(r.notices[i].old_docnum == kSharedKeys[i]);
    CHECK(r.notices[i].new_docnum == kSharedKeys[i]);
  }
  Json j = diff_to_json(r);
  for (const auto& n : j["notices"]) CHECK_FALSE(n.contains("old_docnum"));  // no 文号 change to report
}

TEST_CASE("docnum: shared issue: validate still flags the printed form, on the canonical 文号", "[docnum][shared][validate]") {
  REQUIRE_SHARED_ISSUE(s);
  std::vector<Finding> clean = validate_issues({&s->issue});
  struct Expect {
    std::size_t form;
    const char* code;
    const char* message_holds;
  };
  for (const Expect& e : {Expect{2, "docnum.bracket", "【2023】"}, Expect{0, "docnum.bracket", "[2023]"},
                          Expect{7, "docnum.leading-zero", "〔2023〕0"}}) {
    const Form& form = odd_forms()[e.form];
    INFO("printed as " << form.name);
    Issue issue = convert_reprint(s->lines, form);
    std::vector<Finding> fs = validate_issues({&issue});
    std::vector<Finding> flagged, rest;
    for (const Finding& f : fs) (f.code == e.code ? flagged : rest).push_back(f);
    REQUIRE(flagged.size() == kSharedKeys.size());
    for (std::size_t i = 0; i < flagged.size(); ++i) {
      CHECK(flagged[i].docnum == kSharedKeys[i]);
      CHECK(flagged[i].message.find(e.message_holds) != std::string::npos);
    }
    // Every other finding is the one the 〔〕 form gets: same 文号, same words.
    REQUIRE(rest.size() == clean.size());
    for (std::size_t i = 0; i < rest.size(); ++i) {
      CHECK(rest[i].code == clean[i].code);
      CHECK(rest[i].line == clean[i].line);
      CHECK(rest[i].docnum == clean[i].docnum);
      CHECK(rest[i].message == clean[i].message);
    }
  }
}

// ---------------------------------------------------------------------------
// Folders

TEST_CASE("docnum: a folder written before canonical and printed reads back with canonical keys", "[docnum][diff]") {
  Issue issue = one_notice("根据国办发(2019)3号文件精神，做好有关工作。", "国办发【2018】第030号");
  REQUIRE(issue.notices[0].docnum.text == "国办发〔2018〕第30号");
  auto dir = std::filesystem::temp_directory_path() / ("gazette-docnum-test-" + std::to_string(::getpid()));
  Error err;
  REQUIRE(write_files(dir.string(), render_issue(issue, Format::Json), &err));

  // What the tool wrote before: `text` as printed, no `canonical` or `printed`.
  auto file = dir / "国办发-2018-30.json";
  Json j = Json::parse(read_bytes(file.string()));
  REQUIRE(j["docnum"]["printed"] == "国办发【2018】第030号");
  auto to_old = [](Json& d) {
    d["text"] = d["printed"];
    d.erase("canonical");
    d.erase("printed");
  };
  to_old(j["docnum"]);
  for (auto& r : j["references"]) to_old(r);
  std::ofstream(file, std::ios::binary) << j.dump(2);

  Issue back;
  REQUIRE(read_issue_folder(dir.string(), &back, &err));
  REQUIRE(back.notices.size() == 1);
  const DocNumber& d = back.notices[0].docnum;
  CHECK(d.text == "国办发〔2018〕第30号");
  CHECK(d.canonical == "国办发〔2018〕第30号");
  CHECK(d.printed == "国办发【2018】第030号");
  CHECK(d.has_di);
  CHECK(d.leading_zero);
  REQUIRE(back.notices[0].references.size() == 1);
  CHECK(back.notices[0].references[0].text == "国办发〔2019〕3号");
  CHECK(back.notices[0].references[0].printed == "国办发(2019)3号");
  IssueDiff r = diff_issues(issue, back);
  INFO(render_diff_text(r));
  CHECK(r.same());
  CHECK(r.notices[0].docnum == "国办发〔2018〕第30号");

  // The folder as written now reads back the same.
  std::filesystem::remove_all(dir);
  REQUIRE(write_files(dir.string(), render_issue(issue, Format::Yaml), &err));
  Issue now;
  REQUIRE(read_issue_folder(dir.string(), &now, &err));
  CHECK(now.notices[0].docnum.printed == "国办发【2018】第030号");
  CHECK(now.notices[0].docnum.text == "国办发〔2018〕第30号");
  CHECK(diff_issues(issue, now).same());
  std::filesystem::remove_all(dir);
}
