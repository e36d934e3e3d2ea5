// Page layout: words with boxes (a PDF's text layer, OCR's words) become the
// lines the pipeline reads. Pages here are built by hand on a 10-point grid:
// a Han character is 10 wide, a line 14 below the one before.
#include <catch2/catch.hpp>

#include <limits>
#include <string>
#include <vector>

#include "consensus.h"
#include "page_layout.h"

using namespace gazette;

namespace {

constexpr float kEm = 10, kPitch = 14;

/// A word of `text` (Han only, or ASCII counted half an em a character) set
/// at column `col` (in ems) of printed row `row`.
PageWord word(const std::string& text, float col, int row, float confidence = -1) {
  std::size_t chars = 0, ascii = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++chars;
    if (c < 0x80) ++ascii;
  }
  const float width = kEm * (static_cast<float>(chars - ascii) + 0.5f * static_cast<float>(ascii));
  PageWord w;
  w.text = text;
  w.box = Box{col * kEm, row * kPitch, col * kEm + width, row * kPitch + kEm};
  w.confidence = confidence;
  return w;
}

std::vector<std::string> texts(const std::vector<PageLine>& lines) {
  std::vector<std::string> out;
  for (const PageLine& l : lines) out.push_back(l.text);
  return out;
}

const std::string kIndent = "\xE3\x80\x80\xE3\x80\x80";  // two U+3000

}  // namespace

TEST_CASE("words on one baseline make a line, in order, whatever order they come in", "[page_layout]") {
  std::vector<PageWord> words = {word("报送工作", 4, 0), word("关于加强", 0, 0), word("各乡镇", 0, 1)};
  std::vector<PageLine> lines = lay_out_page(words, 3);
  REQUIRE(texts(lines) == std::vector<std::string>{"关于加强报送工作", "各乡镇"});
  CHECK(lines[0].place.page == 3);
  CHECK(lines[1].place.line_on_page == 2);
  CHECK(lines[0].place.box.x1 == Approx(80));
  CHECK(lines[0].place.confidence == -1);
}

TEST_CASE("a first-line indent is kept as ideographic spaces, a wide gap between lines as a blank line",
          "[page_layout]") {
  // Three lines set close, then one after a gap of one line.
  std::vector<PageWord> words = {word("为进一步加强政务信息报送工作", 2, 0), word("提高信息质量更好地服务领导", 0, 1),
                                 word("决策", 0, 2), word("一、提高认识", 2, 4)};
  REQUIRE(texts(lay_out_page(words, 1)) ==
          std::vector<std::string>{kIndent + "为进一步加强政务信息报送工作", "提高信息质量更好地服务领导", "决策", "",
                                   kIndent + "一、提高认识"});
}

TEST_CASE("a table is found by its columns and printed as tab-separated cells, empty ones kept", "[page_layout]") {
  std::vector<PageWord> words = {
      word("序号", 0, 0), word("单位", 4, 0), word("指标", 14, 0), word("时间", 18, 0),
      word("1", 0, 1),    word("旗委办", 4, 1), word("2", 14, 1),  word("6月27日", 18, 1),
      word("2", 0, 2),    word("中蒙医院", 4, 2), word("2", 14, 2),
  };
  REQUIRE(texts(lay_out_page(words, 1)) ==
          std::vector<std::string>{"序号\t单位\t指标\t时间", "1\t旗委办\t2\t6月27日", "2\t中蒙医院\t2\t"});
}

TEST_CASE("one line with a wide gap is no table; three cells on one line are", "[page_layout]") {
  std::vector<PageWord> one = {word("组长", 0, 0), word("张三", 5, 0)};
  CHECK(lay_out_page(one, 1).front().text.find('\t') == std::string::npos);
  std::vector<PageWord> three = {word("乌兰镇", 0, 0), word("12", 6, 0), word("10", 10, 0)};
  CHECK(lay_out_page(three, 1).front().text == "乌兰镇\t12\t10");
}

TEST_CASE("a cell that runs over the start of a later column is cut there", "[page_layout]") {
  // OCR read a speck before 单位 as a quote mark, narrowing the gap after 序号.
  PageWord speck = word("\xE2\x80\x9D单位", 3.2f, 0, 80);  // ”单位
  std::vector<PageWord> words = {word("序号", 0, 0, 90), speck, word("指标", 10, 0, 90),
                                 word("1", 0, 1, 90), word("旗委办", 4, 1, 90), word("2", 10, 1, 90)};
  REQUIRE(texts(lay_out_page(words, 1)) == std::vector<std::string>{"序号\t\xE2\x80\x9D单位\t指标", "1\t旗委办\t2"});
}

TEST_CASE("OCR's words: Han characters set close join without a space, a letter-spaced title keeps its spaces",
          "[page_layout]") {
  // Ink boxes: each character 9 wide on a 10 grid, so a 1-wide gap between them.
  std::vector<PageWord> close = {word("关", 0, 0, 95), word("于", 1, 0, 95), word("印发", 2, 0, 95)};
  for (PageWord& w : close) w.box.x1 -= 1;
  CHECK(lay_out_page(close, 1).front().text == "关于印发");
  std::vector<PageWord> spaced = {word("通", 0, 0, 95), word("知", 2, 0, 95)};
  CHECK(lay_out_page(spaced, 1).front().text == "通 知");
  // The line's confidence is its words' mean, weighted by their length.
  std::vector<PageWord> mixed = {word("关于", 0, 0, 90), word("、", 2, 0, 0)};
  CHECK(lay_out_page(mixed, 1).front().place.confidence == Approx(60));
}

TEST_CASE("a page with no words gives no lines", "[page_layout]") {
  CHECK(lay_out_page({}, 1).empty());
  CHECK(lay_out_page({word(" ", 0, 0)}, 1).empty());
}

TEST_CASE("consensus: a misreading of an agreed name is read as the name, and logged", "[consensus]") {
  std::vector<std::string> lines = {"土默特左旗人民政府", "土默特左旗人民政府", "土默特左旗人民政府",
                                    "经士默特左旗人民政府同意", "察素齐至毕克齐公路", "救勒川乳业开发区、各乡镇"};
  std::vector<AgreedName> names = agreed_names(lines, {"土默特左旗人民政府"}, {"敕勒川乳业开发区", "察素齐镇"});
  std::vector<Reading> readings;
  correct_by_consensus(&lines, names, &readings);
  CHECK(lines[3] == "经土默特左旗人民政府同意");
  CHECK(lines[5] == "敕勒川乳业开发区、各乡镇");
  // A short name's end may be another word's: 察素齐至 is not 察素齐镇 misread.
  CHECK(lines[4] == "察素齐至毕克齐公路");
  REQUIRE(readings.size() == 2);
  CHECK(readings[0].line == 4);
  CHECK(readings[0].rule == "ocr.consensus");
  CHECK(readings[0].printed == "经士默特左旗人民政府同意");
  CHECK(readings[0].why.find("printed so 3 times") != std::string::npos);
}

TEST_CASE("consensus: no correction without agreement", "[consensus]") {
  // An issue name printed fewer than three times is no agreed form; a name of
  // three characters found by the issue is too short to hold text to.
  std::vector<std::string> lines = {"某县人民政府", "某市人民政府", "国家发展改革委", "国办发"};
  std::vector<AgreedName> names = agreed_names(lines, {"某县人民政府", "国办发"}, {});
  CHECK(names.empty());
  // A variant printed more often than a third of the agreed form is a word of its own.
  std::vector<std::string> many(6, "乌拉山旗人民政府");
  for (int i = 0; i < 3; ++i) many.push_back("乌拉山市人民政府");
  std::vector<Reading> readings;
  correct_by_consensus(&many, agreed_names(many, {"乌拉山旗人民政府"}, {}), &readings);
  CHECK(readings.empty());
}

TEST_CASE("boxes no page holds (huge, negative, NaN, zero-sized) lay out without overflow", "[page_layout]") {
  const float nan = std::numeric_limits<float>::quiet_NaN(), huge = 3e38f;
  std::vector<PageWord> words = {word("关于", 0, 0), word("通知", 0, 0), word("附件", 0, 1), word("一", 0, 2)};
  words[1].box = Box{huge, 0, huge, 10};
  words[2].box = Box{-huge, nan, nan, huge};
  words[3].box = Box{5, 5, 5, 5};
  std::vector<PageLine> lines = lay_out_page(words, 1);
  std::size_t chars = 0;
  for (const PageLine& l : lines) chars += l.text.size();
  CHECK(chars < 1000);  // every word printed once, with bounded spaces around it
  std::string all;
  for (const PageLine& l : lines) all += l.text;
  for (const char* w : {"关于", "通知", "附件", "一"}) CHECK(all.find(w) != std::string::npos);
}
