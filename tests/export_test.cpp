// export's tables and writers: RFC 4180 quoting, the rows of a small issue,
// a 文号 printed any way read as its canonical form.
#include <catch2/catch.hpp>

#include "convert_support.h"
#include "export.h"

namespace gazette {
namespace {

Cell text_cell(const std::string& s) { return Cell{Cell::Kind::Text, s, 0, {}}; }

/// The CSV of one table: its header, then `rows`.
std::string csv_of(const std::vector<std::vector<Cell>>& rows, bool bom = false) {
  std::string out;
  auto w = csv_writer(&out, bom);
  w->header(*find_export_table("references"));
  for (const auto& r : rows) w->row(r);
  Error err;
  REQUIRE(w->finish(&err));
  return out;
}

const char* const kHeader = "issue,docnum,notice_title,cited,cited_printed,line\r\n";

}  // namespace

TEST_CASE("csv quotes a field with a comma, a quote or a line break, and only those", "[export]") {
  std::vector<Cell> row = {text_cell("a,b"), text_cell("say \"hi\""), text_cell("two\nlines"),
                           text_cell("cr\rhere"), text_cell("关于，全角"), Cell{}};
  CHECK(csv_of({row}) == std::string(kHeader) + "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\",关于，全角,\r\n");
  CHECK(csv_of({}, true) == std::string("\xEF\xBB\xBF") + kHeader);
}

TEST_CASE("a cell flattens lists with 、 and numbers as digits", "[export]") {
  CHECK(Cell{Cell::Kind::List, {}, 0, {"旗农牧和科技局", "各苏木乡镇人民政府"}}.flat() == "旗农牧和科技局、各苏木乡镇人民政府");
  CHECK(Cell{Cell::Kind::Integer, {}, 108, {}}.flat() == "108");
  CHECK(Cell{}.flat().empty());
}

TEST_CASE("the responsibilities of an issue, with marker paths, in order", "[export]") {
  const Issue issue = test::convert_with(
      "测试县人民政府文件\n\n测政发〔2024〕1号\n\n关于印发测试方案的通知\n\n各乡镇人民政府：\n\n"
      "现将方案印发给你们，请认真贯彻执行。按照《通知》（国发(2022)5号）要求。\n\n测试县人民政府\n\n2024年1月5日\n\n"
      "一、重点任务\n\n（一）推进改厕。新建户厕。\n\n责任单位：县农牧局、县卫健委\n\n完成时限：2024年6月30日前\n\n"
      "（二）治理垃圾。\n\n责任单位：各乡镇\n\n完成时限：常态化开展\n",
      test::default_grammar());
  const ExportTable* t = find_export_table("responsibilities");
  REQUIRE(t);
  std::vector<std::vector<std::string>> rows;
  const std::string name = "t";
  t->rows(name, issue, [&](const ExportRow& r) {
    std::vector<std::string> cells;
    for (const auto& c : t->columns) cells.push_back(c.value(r).flat());
    rows.push_back(cells);
  });
  REQUIRE(rows.size() == 2);
  auto col = [&](const char* n) {
    for (std::size_t i = 0; i < t->columns.size(); ++i)
      if (t->columns[i].name == n) return i;
    FAIL(n);
    return std::size_t{0};
  };
  CHECK(rows[0][col("docnum")] == "测政发〔2024〕1号");
  CHECK(rows[0][col("marker_path")] == "一、 > （一）");
  CHECK(rows[0][col("id")] == "enclosures[0]/一/（一）");  // the 方案 the notice issues
  CHECK(rows[0][col("units")] == "县农牧局、县卫健委");
  CHECK(rows[0][col("deadline_date")] == "2024-06-30");
  CHECK(rows[1][col("deadline")] == "常态化开展");
  CHECK(rows[1][col("deadline_date")].empty());

  const ExportTable* refs = find_export_table("references");
  std::vector<std::string> cited;
  refs->rows(name, issue, [&](const ExportRow& r) { cited.push_back(r.cited->canonical); });
  CHECK(cited == std::vector<std::string>{"国发〔2022〕5号"});
}

TEST_CASE("a 文号 printed any way reads as its canonical form", "[export]") {
  const Grammar& g = test::default_grammar();
  CHECK(canonical_docnum_of("呼卫健字(2022)133号", g) == std::optional<std::string>("呼卫健字〔2022〕133号"));
  CHECK(canonical_docnum_of(" 呼卫健字〔２０２２〕１３３号 ", g) == std::optional<std::string>("呼卫健字〔2022〕133号"));
  CHECK(canonical_docnum_of("呼卫健字[2022]0133号", g) == std::optional<std::string>("呼卫健字〔2022〕133号"));
  CHECK_FALSE(canonical_docnum_of("不是文号", g));
  CHECK_FALSE(canonical_docnum_of("呼卫健字〔2022〕133号和国发〔2022〕5号", g));
  CHECK(find_export_table("tasks") == nullptr);
}

}  // namespace gazette
