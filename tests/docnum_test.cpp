// docnum.canonical: one key per notice whatever form the extraction printed
// its 文号 in. The canonical form of each docnum rule's matches; references
// deduplicated across forms; folders written before the canonical form
// existed.
#include <catch2/catch.hpp>
#include "convert_support.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "classify.h"
#include "diff.h"
#include "docnum.h"
#include "grammar.h"
#include "issue_folder.h"
#include "json_model.h"
#include "writer.h"

using namespace gazette;

namespace {

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
