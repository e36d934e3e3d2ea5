// Reflow: text as OCR engines and PDF extractors print it (hard-wrapped at
// the print width, page numbers and running heads between pages, display
// lines letter-spaced, extraction confusions) reads as its paragraph form
// does. Every text here is synthetic: a county notice written in the real
// layout, then printed the way extraction prints it by the helpers below.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "convert_support.h"
#include "io_test_support.h"
#include "reflow.h"
#include "text.h"

using namespace gazette;

namespace {

const std::vector<std::string> kParagraphs = {
    "某县人民政府",
    "关于加强政务信息报送工作的通知",
    "某政发〔2024〕5号",
    "各乡镇人民政府，县直各部门：",
    "为进一步加强政务信息报送工作，提高信息质量，更好地服务领导决策，经县人民政府同意，现就有关事项通知如下。",
    "一、提高认识，加强领导",
    "各单位要充分认识政务信息工作的重要性，明确分管领导和信息员，建立健全信息报送制度，确保信息报送及时准确全面。",
    "（一）完善报送机制。各单位每月至少报送信息两条，重大事项随时报送，不得迟报漏报瞒报，报送情况每季度通报一次。",
    "责任单位：县政府办公室、各乡镇人民政府",
    "完成时限：2024年12月底前",
    "二、突出工作重点",
    "围绕县委县政府中心工作，重点报送经济运行、项目建设、民生保障、安全生产等方面的情况和问题，做到有情况必报。",
    "三、严格审核把关",
    "各单位报送的信息须经本单位主要负责同志审核签发，确保内容真实准确，涉密信息一律不得通过互联网报送。",
    "某县人民政府",
    "2024年1月15日",
};

std::string paragraph_form() {
  std::string s;
  for (const auto& p : kParagraphs) s += p + "\n\n";
  return s;
}

std::vector<std::string> code_points(const std::string& s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = 1;
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0xF0) n = 4;
    else if (c >= 0xE0) n = 3;
    else if (c >= 0xC0) n = 2;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

bool is_closing(const std::string& cp) {
  for (const char* m : {"，", "。", "、", "；", "：", "）", "》", "〕"})
    if (cp == m) return true;
  return false;
}

/// The paragraphs hard-wrapped at `width` characters (ASCII characters count
/// half), a closing mark kept on the line before (避头尾), pages of
/// `page_lines` printed lines each followed by its number (— N —) and, from
/// the second page on, preceded by a running head. Blank lines separate the
/// paragraphs, as pdftotext -layout prints them.
std::string hard_wrapped(int width, int page_lines) {
  std::vector<std::string> printed;
  for (const auto& p : kParagraphs) {
    std::string line;
    int cols = 0;
    for (const auto& cp : code_points(p)) {
      int w = cp.size() == 1 ? 1 : 2;
      if (cols + w > 2 * width && !is_closing(cp)) {
        printed.push_back(line);
        line.clear();
        cols = 0;
      }
      line += cp;
      cols += w;
    }
    printed.push_back(line);
    printed.push_back("");
  }
  std::string out;
  int page = 1, on_page = 0;
  for (std::size_t i = 0; i < printed.size(); ++i) {
    if (on_page == 0 && printed[i].empty()) continue;  // no gap at a page top
    if (on_page == 0 && page > 1) out += "某县人民政府公报\n\n";
    out += printed[i] + "\n";
    if (++on_page == page_lines) {
      out += "\n— " + std::to_string(page++) + " —\n";
      on_page = 0;
    }
  }
  out += "\n— " + std::to_string(page) + " —\n";
  return out;
}

const Grammar& grammar() { return test::default_grammar(); }

/// Every node of a notice's body, depth first.
void walk(const std::vector<Node>& nodes, std::vector<const Node*>* out) {
  for (const auto& n : nodes) {
    out->push_back(&n);
    walk(n.children, out);
  }
}

std::string all_text(const Notice& n) {
  std::vector<const Node*> all;
  walk(n.body, &all);
  std::string s;
  for (const Node* x : all) s += x->marker + x->title + x->text;
  return remove_spaces(s);
}

const Node* node_starting(const Notice& n, const std::string& start) {
  std::vector<const Node*> all;
  walk(n.body, &all);
  for (const Node* x : all)
    if (remove_spaces(x->title + x->text).rfind(start, 0) == 0) return x;
  return nullptr;
}

}  // namespace

TEST_CASE("reflow: display columns count wide characters twice", "[reflow]") {
  CHECK(display_columns("关于") == 4);
  CHECK(display_columns("2023年") == 6);
  CHECK(display_columns("（一）") == 6);
  CHECK(display_columns("— 12 —") == 8);
  CHECK(display_columns("ᠲᠤ") == 2);  // Mongolian script is narrow
}

TEST_CASE("reflow: letter-spaced lines close up, padded names and rosters do not", "[reflow]") {
  CHECK(close_up_letter_spacing("关 于 加 强 政 务 信 息 报 送 工 作 的 通 知") == "关于加强政务信息报送工作的通知");
  CHECK(close_up_letter_spacing("通 知") == "通知");
  CHECK(close_up_letter_spacing("土 默 特 左 旗 人 民 政 府 办 公 室   关 于 印 发") == "土默特左旗人民政府办公室 关于印发");
  CHECK(close_up_letter_spacing("展 三 年 行 动 计 划 （ 2 0 2 3 — 2 0 2 5 年 ） 》 的") ==
        "展三年行动计划（2023—2025年）》的");
  CHECK(close_up_letter_spacing("成 员：陶 克 白庙子镇镇长") == "");
  CHECK(close_up_letter_spacing("组 长") == "组长");
  CHECK(close_up_letter_spacing("A B") == "");
  CHECK(close_up_letter_spacing("关于加强") == "");
  CHECK(close_up_letter_spacing("关      于") == "");  // a gap wider than a word gap is layout, not spacing
}

TEST_CASE("reflow: a hard-wrapped issue with page furniture reads as its paragraph form", "[reflow]") {
  Issue para = test::convert_with(paragraph_form(), grammar(), "para.txt");
  const std::string wrapped_text = hard_wrapped(20, 12);
  Issue wrapped = test::convert_with(wrapped_text, grammar(), "wrapped.txt");
  REQUIRE(para.notices.size() == 1);
  REQUIRE(wrapped.notices.size() == 1);
  const Notice& a = para.notices[0];
  const Notice& b = wrapped.notices[0];
  CHECK(b.title == "关于加强政务信息报送工作的通知");
  CHECK(b.issuer == a.issuer);
  CHECK(b.addressees == a.addressees);
  CHECK(b.date == a.date);
  CHECK(all_text(b) == all_text(a));
  const Node* item = node_starting(b, "完善报送机制");
  REQUIRE(item != nullptr);
  REQUIRE(item->responsibility);
  CHECK(item->responsibility->units == std::vector<std::string>{"县政府办公室", "各乡镇人民政府"});
  REQUIRE(item->responsibility->deadline);
  CHECK(item->responsibility->deadline->date == std::optional<std::string>("2024-12-31"));

  // The print width is measured, the furniture kept with its lines, and no
  // page number or running head is read into a notice.
  CHECK(wrapped.reflow.print_width == 20);
  CHECK(wrapped.reflow.joined_lines > 5);
  int numbers = 0, heads = 0;
  for (const auto& f : wrapped.reflow.furniture) {
    if (f.kind == "page-number") {
      ++numbers;
      CHECK(f.page == std::optional<int>(numbers));
    }
    if (f.kind == "running-head") ++heads;
  }
  CHECK(numbers >= 3);
  CHECK(heads == numbers - 1);
  CHECK(all_text(b).find("某县人民政府公报") == std::string::npos);

  // The item's node points at the printed lines it came from: its first and
  // its last, across the wrap.
  std::vector<std::string> lines;
  for (std::size_t s = 0, e; s <= wrapped_text.size(); s = e + 1) {
    e = wrapped_text.find('\n', s);
    if (e == std::string::npos) e = wrapped_text.size();
    lines.push_back(wrapped_text.substr(s, e - s));
  }
  REQUIRE(!item->spans.empty());
  CHECK(lines[static_cast<std::size_t>(item->spans.front().first - 1)].rfind("（一）完善报送机制", 0) == 0);
  CHECK(item->spans.front().last > item->spans.front().first);

  // The paragraph form itself is left as it is.
  CHECK(para.reflow.print_width == 0);
  CHECK(para.reflow.joined_lines == 0);
  CHECK(para.reflow.furniture.empty());
}

TEST_CASE("reflow: numbers alone on a line are page numbers only in a rising run", "[reflow]") {
  // A year alone in a masthead and the first column of a table printed one
  // cell a line are not page furniture.
  std::string text = "某县人民政府公报\n\n2024\n\n第1期\n\n" + paragraph_form() + "序号\n1\n2\n3\n";
  Issue issue = test::convert_with(text, grammar());
  CHECK(issue.reflow.furniture.empty());
}

TEST_CASE("reflow: OCR confusions with one reading are read, and recorded with the print", "[reflow]") {
  std::string text = paragraph_form();
  auto replace = [&](const std::string& from, const std::string& to) {
    std::size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
  };
  replace("一、提高认识", "—、提高认识");
  replace("2024年1月15日", "二○二四年一月十五日");
  Issue issue = test::convert_with(text, grammar());
  REQUIRE(issue.notices.size() == 1);
  const Notice& n = issue.notices[0];
  CHECK(n.date == std::optional<std::string>("2024-01-15"));
  std::vector<const Node*> all;
  walk(n.body, &all);
  std::vector<int> level1;
  for (const Node* x : all)
    if (x->level == 1) level1.push_back(x->number);
  CHECK(level1 == std::vector<int>{1, 2, 3});
  std::vector<std::string> rules;
  for (const auto& r : issue.reflow.readings) {
    rules.push_back(r.rule);
    if (r.rule == "ocr.dash-one") {
      CHECK(r.printed.rfind("—、", 0) == 0);
      CHECK(r.read.rfind("一、", 0) == 0);
    }
    if (r.rule == "ocr.zero-in-year") CHECK(r.printed == "二○二四年一月十五日");
  }
  CHECK(rules == std::vector<std::string>{"ocr.dash-one", "ocr.zero-in-year"});
  // A dash that is a dash stays one.
  Issue plain = test::convert_with("——、\n", grammar());
  CHECK(plain.reflow.readings.empty());
}

TEST_CASE("reflow: grammar explain says what reflow did to each printed line", "[reflow]") {
  const std::string text = hard_wrapped(20, 12);
  SourceText src;
  Error err;
  REQUIRE(decode_source(text, "wrapped.txt", DecodeOptions{}, &src, &err));
  Issue issue;
  std::vector<LineExplanation> lines;
  REQUIRE(explain_issue(std::move(src), grammar(), &issue, &lines, &err));
  REQUIRE(!lines.empty());
  int joined = 0, furniture = 0;
  for (const auto& e : lines) {
    if (e.reflow.rfind("joined to line ", 0) == 0) {
      ++joined;
      int into = std::stoi(e.reflow.substr(15));
      REQUIRE(into >= 1);
      REQUIRE(into < e.line);
      CHECK(lines[static_cast<std::size_t>(into - 1)].place == e.place);  // the same part of the same notice
    }
    if (e.reflow.rfind("page furniture", 0) == 0) {
      ++furniture;
      CHECK(e.place.empty());
    }
    if (e.printed == "某政发〔2024〕5号") {
      CHECK(e.kind == "docnum");
      CHECK(e.rule == "docnum.standard");
    }
  }
  CHECK(joined == issue.reflow.joined_lines);
  CHECK(furniture == static_cast<int>(issue.reflow.furniture.size()));
}

TEST_CASE("reflow: a page_number rule without its page group is refused with its place", "[reflow][grammar]") {
  io_test::TempDir dir;
  const auto path = dir.path() / "bad.yaml";
  io_test::write_file(path, "reflow:\n  page_number:\n    - id: page.bad\n      regex: '^-(\\d+)-$'\n");
  Grammar g;
  Error err;
  CHECK_FALSE(load_grammar({path.string()}, &g, &err));
  CHECK(err.file == path.string());
  CHECK(err.line == 4);
  CHECK(err.message.find("page") != std::string::npos);
}
