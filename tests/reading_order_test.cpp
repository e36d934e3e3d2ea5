// Reading-order repair: fragments that the print put inside the next notice
// go back to the notice they continue; text without displacements is left as
// it is. Every text here is synthetic, written in the layout of a county
// gazette: issuer line, title, 文号, 主送, body, signature, date, then the
// document the notice issues. Page breaks are runs of blank lines.
#include <catch2/catch.hpp>
#include "convert_support.h"

#include <algorithm>
#include <cstdlib>
#include <tuple>
#include <fstream>
#include <sstream>
#include <string>

#include "convert.h"
#include "grammar.h"
#include "source.h"
#include "text.h"

using namespace gazette;

namespace {

const Grammar& grammar() {
  static Grammar g = [] {
    Grammar out;
    Error err;
    std::vector<std::string> files = {GAZETTE_SOURCE_DIR "/grammars/base.yaml"};
    if (!load_grammar(files, &out, &err)) FAIL("base grammar: " << format_error(err));
    return out;
  }();
  return g;
}

Issue convert_text(const std::string& text) { return gazette::test::convert_with(text, grammar(), "synthetic.txt"); }

const std::string kPageBreak = "\n\n\n\n";

/// A notice header (issuer, title, 文号, 主送) and its short body.
std::string header(const std::string& seq, const std::string& title) {
  return "土默特左旗人民政府\n\n关于印发《" + title + "》的通知\n\n土左政字〔2023〕" + seq +
         "号\n\n各有关单位：\n\n现将《" + title + "》印发给你们，请认真贯彻落实。\n\n土默特左旗人民政府\n\n2023年5月" +
         std::to_string(std::stoi(seq) % 28 + 1) + "日\n\n" + title + "\n\n";
}

const Notice& notice(const Issue& issue, const std::string& seq) {
  for (const auto& n : issue.notices)
    if (n.docnum.seq && std::to_string(*n.docnum.seq) == seq) return n;
  FAIL("no notice " << seq);
  return issue.notices.front();
}

/// Every own text (title + text) of a notice's nodes, with their markers.
void collect(const std::vector<Node>& nodes, std::string* out) {
  for (const auto& n : nodes) {
    *out += n.marker + n.title + n.text + "\n";
    collect(n.children, out);
  }
}

std::string all_text(const Notice& n) {
  std::string s;
  collect(n.body, &s);
  for (const auto& e : n.enclosures) {
    s += e.title + "\n";
    collect(e.body, &s);
  }
  return remove_spaces(s);
}

std::vector<int> numbers_at_level(const std::vector<Node>& nodes, int level) {
  std::vector<int> out;
  for (const auto& n : nodes) {
    if (n.level == level) out.push_back(n.number);
    auto sub = numbers_at_level(n.children, level);
    out.insert(out.end(), sub.begin(), sub.end());
  }
  return out;
}

std::vector<int> enclosure_numbers(const Notice& n, int level) {
  std::vector<int> out;
  for (const auto& e : n.enclosures) {
    auto v = numbers_at_level(e.body, level);
    out.insert(out.end(), v.begin(), v.end());
  }
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("layout: a numbered tail printed after the next notice's header goes back (numbering signal)", "[layout]") {
  std::string text = header("11", "活动方案") +
                     "一、工作安排\n\n1. 旗文联负责组织摄影活动；\n\n2. 旗供电公司负责用电保障；\n" + kPageBreak +
                     header("12", "建设方案") +
                     "为贯彻自治区关于推进县城建设的意见精神，结合我旗实际，重点突出县域特色，扎\n\n"
                     "3. 旗总工会负责提供活动期间的赛事奖品；\n\n4. 完成领导小组交办的其他工作。\n\n"
                     "二、工作要求\n\n各有关单位要从大局出发，各司其职，确保活动安全有序。\n" + kPageBreak +
                     "实推进新型城镇化建设，制定本方案。\n\n一、总体要求\n\n坚持以人民为中心。\n";
  Issue issue = convert_text(text);
  REQUIRE(issue.notices.size() == 2);
  const Notice& a = notice(issue, "11");
  const Notice& b = notice(issue, "12");
  CHECK(enclosure_numbers(a, 3) == std::vector<int>{1, 2, 3, 4});
  CHECK(enclosure_numbers(a, 1) == std::vector<int>{1, 2});
  CHECK(enclosure_numbers(b, 1) == std::vector<int>{1});
  CHECK(enclosure_numbers(b, 3).empty());
  // The sentence the fragment interrupted reads whole again.
  CHECK(all_text(b).find("重点突出县域特色，扎实推进新型城镇化建设") != std::string::npos);
  CHECK(all_text(b).find("赛事奖品") == std::string::npos);
  REQUIRE(issue.repairs.size() == 1);
  CHECK(issue.repairs[0].signal == "numbering");
  CHECK(issue.repairs[0].from_docnum == "土左政字〔2023〕12号");
  CHECK(issue.repairs[0].to_docnum == "土左政字〔2023〕11号");
  // The moved lines show as a second span of the notice they joined.
  CHECK(a.spans.size() == 2);
}

TEST_CASE("layout: the end of a cut sentence printed inside the next notice goes back (sentence signal)", "[layout]") {
  std::string text = header("21", "应急预案") +
                     "一、灾情报告\n\n灾情发生后，当地乡镇人民政府必须迅速核实灾情，由所在乡镇人民政府在1小时\n" + kPageBreak +
                     header("22", "防治方案") +
                     "根据《地质灾害防治条例》文件精神，为确保人民群众生命财产安全，最大限度减少\n\n"
                     "内，向旗人民政府报告受灾信息，由旗人民政府在2小时内上报。\n\n"
                     "旗自然资源局值班室电话：0471-8150000\n" + kPageBreak +
                     "地质灾害造成的损失，结合我旗实际，制定本方案。\n\n一、现状\n\n我旗是地质灾害易发区。\n";
  Issue issue = convert_text(text);
  REQUIRE(issue.notices.size() == 2);
  std::string a = all_text(notice(issue, "21"));
  std::string b = all_text(notice(issue, "22"));
  CHECK(a.find("由所在乡镇人民政府在1小时内，向旗人民政府报告受灾信息") != std::string::npos);
  CHECK(a.find("值班室电话") != std::string::npos);
  CHECK(b.find("最大限度减少地质灾害造成的损失") != std::string::npos);
  CHECK(b.find("值班室电话") == std::string::npos);
  REQUIRE(issue.repairs.size() == 1);
  CHECK(issue.repairs[0].signal == "sentence");
  CHECK(issue.repairs[0].lines.first > 0);
}

TEST_CASE("layout: an 附件N block printed inside the next notice goes back (attachment signal)", "[layout]") {
  std::string text = header("31", "献血工作") + "附件1：\n\n指标分配表\n\n序号\t单位\t指标\n1\t旗委办\t2\n2\t人大办\t2\n" +
                     kPageBreak + header("32", "中医药工作计划") +
                     "为推动中医药事业发展，按照自治区卫生健康委员会《关于印发示范市\n\n"
                     "附件2：\n\n人员名单反馈表\n\n序号\t姓名\t单位\n1\t\t\n" + kPageBreak +
                     "(县)创建工作推进方案的通知》精神，制定本计划。\n\n一、加强组织领导\n\n成立领导小组。\n";
  Issue issue = convert_text(text);
  REQUIRE(issue.notices.size() == 2);
  const Notice& a = notice(issue, "31");
  const Notice& b = notice(issue, "32");
  REQUIRE(a.enclosures.size() == 3);  // the issued document, 附件1, 附件2
  CHECK(a.enclosures[2].label == std::optional<std::string>("附件2"));
  CHECK(a.enclosures[2].title == "人员名单反馈表");
  CHECK(b.enclosures.size() == 1);
  CHECK(all_text(b).find("示范市(县)创建工作推进方案") != std::string::npos);
  REQUIRE(issue.repairs.size() == 1);
  CHECK(issue.repairs[0].signal == "attachment");
}

TEST_CASE("layout: a fragment printed between the pieces of a table goes back, and the table is one", "[layout]") {
  std::string text = header("41", "政务公开要点") + "六、工作要求\n\n（一）加强领导。各单位要加强领导。\n" + kPageBreak +
                     header("42", "献血工作") + "附件1：\n\n指标分配表\n\n序号\t单位\t指标\n1\t旗委办\t2\n2\t人大办\t2\n" +
                     kPageBreak + "七、强化监督保障\n\n（二）狠抓工作落实。各单位要结合工作实际抓好落实。\n" + kPageBreak +
                     "序号\t单位\t指标\n3\t政府办\t2\n4\t政协办\t2\t\n";
  Issue issue = convert_text(text);
  REQUIRE(issue.notices.size() == 2);
  const Notice& a = notice(issue, "41");
  const Notice& b = notice(issue, "42");
  CHECK(enclosure_numbers(a, 1) == std::vector<int>{6, 7});
  CHECK(enclosure_numbers(a, 2) == std::vector<int>{1, 2});
  REQUIRE(b.enclosures.size() == 2);
  const auto& body = b.enclosures[1].body;
  REQUIRE(body.size() == 1);
  REQUIRE(body[0].type == NodeType::Table);
  CHECK(body[0].rows.size() == 4);
  CHECK(body[0].rows[3] == std::vector<std::string>{"4", "政协办", "2"});
  REQUIRE(issue.repairs.size() == 1);
  CHECK(issue.repairs[0].signal == "numbering");
}

TEST_CASE("layout: a notice whose own numbering runs on across page breaks is left as it is", "[layout]") {
  std::string text = header("51", "工作方案") + "一、总体要求\n\n坚持问题导向。\n\n二、重点任务\n\n1. 完成改造；\n" +
                     kPageBreak + header("52", "实施方案") + "一、工作目标\n\n1. 全面完成任务；\n" + kPageBreak +
                     "2. 建立长效机制；\n\n二、保障措施\n\n各部门要密切配合。\n";
  Issue issue = convert_text(text);
  CHECK(issue.repairs.empty());
  CHECK(enclosure_numbers(notice(issue, "52"), 3) == std::vector<int>{1, 2});
  CHECK(enclosure_numbers(notice(issue, "51"), 3) == std::vector<int>{1});
}

TEST_CASE("layout: a notice ending mid-sentence does not take the next notice's opening paragraph", "[layout]") {
  // The first notice's last line is cut (a misprint), but nothing in the next
  // notice interrupts a sentence of its own: there is nothing to move.
  std::string text = header("61", "工作要点") + "一、工作目标\n\n全面推进政务公开，提升政府公信力和执行力，进一步\n" +
                     kPageBreak + header("62", "实施方案") +
                     "为推进城乡交通运输一体化，结合我旗实际，制定本方案。\n\n一、总体要求\n\n坚持统筹推进。\n";
  Issue issue = convert_text(text);
  CHECK(issue.repairs.empty());
  CHECK(all_text(notice(issue, "62")).find("为推进城乡交通运输一体化") != std::string::npos);
}

TEST_CASE("layout: the repo's samples, printed in reading order, need no repair", "[layout][sample]") {
  for (const char* name : {"/samples/county-gazette-2024-01.txt", "/samples/state-council-2018-08.txt"}) {
    std::string text = read_file(std::string(GAZETTE_SOURCE_DIR) + name);
    REQUIRE_FALSE(text.empty());
    Issue issue = convert_text(text);
    INFO(name);
    CHECK(issue.repairs.empty());
  }
}

TEST_CASE("layout: the shared issue re-wrapped at its commas gets no wrong move", "[layout][shared]") {
  const std::string path = std::string(GAZETTE_SOURCE_DIR) + "/../shared/corpus/tumote-zuoqi-2023-02.txt";
  std::string text = read_file(path);
  if (text.empty()) {
    WARN("skipped: the shared corpus is not at " << path);
    return;
  }
  // Re-wrap every long line after a comma once it holds 30 characters, with a
  // page break after every seventh cut: a layout-only change.
  std::string out;
  int cuts = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    std::string cur;
    for (std::size_t i = 0; i < line.size();) {
      std::size_t len = 1;
      while (i + len < line.size() && (static_cast<unsigned char>(line[i + len]) & 0xC0) == 0x80) ++len;
      std::string ch = line.substr(i, len);
      cur += ch;
      i += len;
      if (ch == "，" && utf8_length(cur) >= 30 && i < line.size() && utf8_length(line) > 50) {
        out += cur + "\n";
        cur.clear();
        if (++cuts % 7 == 0) out += "\n\n\n\n";
      }
    }
    out += cur + "\n";
  }
  REQUIRE(cuts > 100);
  Issue issue = convert_text(out);
  REQUIRE(issue.notices.size() == 14);
  // The print's real displacements, as (from, to, signal).
  const std::vector<std::tuple<std::string, std::string, std::string>> real = {
      {"土左政字〔2023〕102号", "土左政字〔2023〕83号", "numbering"},
      {"土左政办发〔2023〕36号", "土左政办发〔2023〕35号", "sentence"},
      {"土左政办发〔2023〕37号", "土左政办发〔2023〕36号", "numbering"},
      {"土左政办发〔2023〕38号", "土左政办发〔2023〕37号", "numbering"},
      {"土左政办发〔2023〕40号", "土左政办发〔2023〕38号", "attachment"}};
  for (const auto& r : issue.repairs) {
    INFO("repair of lines " << r.lines.first << "-" << r.lines.last << " from " << r.from_docnum << " to "
                            << r.to_docnum << " on " << r.signal);
    CHECK(std::find(real.begin(), real.end(), std::make_tuple(r.from_docnum, r.to_docnum, r.signal)) != real.end());
  }
}

TEST_CASE("layout: the red-head order of GB/T 9704 (issuer, 文号, then title) is read", "[layout][header]") {
  std::string text =
      "前面一期的结尾。\n\n"
      "乌拉山旗人民政府文件\n\n乌旗政发〔2024〕7号\n\n关于加强冬春季森林草原防火工作的\n\n通知\n\n"
      "各苏木乡镇人民政府，旗直各部门：\n\n为做好冬春季森林草原防火工作，现就有关事项通知如下。\n\n"
      "一、压实防火责任\n\n各地要落实属地责任。\n\n乌拉山旗人民政府\n\n2024年1月8日\n";
  Issue issue = convert_text(text);
  REQUIRE(issue.notices.size() == 1);
  const Notice& n = issue.notices[0];
  CHECK(n.issuer == "乌拉山旗人民政府");
  CHECK(n.title == "关于加强冬春季森林草原防火工作的通知");
  CHECK(n.addressees == std::vector<std::string>{"各苏木乡镇人民政府", "旗直各部门"});
  CHECK(n.date == std::optional<std::string>("2024-01-08"));
  REQUIRE(n.body.size() == 2);
  CHECK(n.body[1].marker == "一、");
  // The line before the issuer is not the notice's.
  CHECK(issue.front_matter.size() == 1);
}

TEST_CASE("layout: a 转发 title over two lines keeps its first line and its issuer prefix", "[layout][header]") {
  std::string text =
      "国务院办公厅转发国家发展改革委\n\n关于推进城乡供水一体化意见的通知\n\n国办发〔2018〕30号\n\n"
      "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n\n"
      "国家发展改革委《关于推进城乡供水一体化的意见》已经国务院同意，现转发给你们，请认真贯彻执行。\n\n"
      "国务院办公厅\n\n2018年4月2日\n";
  Issue issue = convert_text(text);
  REQUIRE(issue.notices.size() == 1);
  const Notice& n = issue.notices[0];
  CHECK(n.title == "国务院办公厅转发国家发展改革委关于推进城乡供水一体化意见的通知");
  CHECK(n.issuer == "国务院办公厅");
  CHECK(issue.front_matter.empty());
}
