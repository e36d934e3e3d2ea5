// The review page's data: the JSON it embeds can neither close its script
// element nor open a comment, and reads back as the trees the JSON writer
// writes.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "convert_support.h"
#include "review.h"
#include "validate.h"
#include "writer.h"

using namespace gazette;

TEST_CASE("review: JSON inside the page's script element cannot end it", "[review]") {
  const std::string json = R"({"title":"</script><script>alert(1)</script><!-- & -->"})";
  const std::string safe = json_for_script(json);
  CHECK(safe.find('<') == std::string::npos);
  CHECK(safe.find('>') == std::string::npos);
  CHECK(safe.find('&') == std::string::npos);
  CHECK(nlohmann::json::parse(safe) == nlohmann::json::parse(json));
}

TEST_CASE("review: the page embeds the notice files as the JSON writer writes them", "[review]") {
  const std::string text = test::read_bytes(GAZETTE_SOURCE_DIR "/samples/county-gazette-2024-01.txt");
  SourceText src;
  Error err;
  REQUIRE(decode_source(text, "county.txt", DecodeOptions{}, &src, &err));
  Issue issue;
  std::vector<LineExplanation> lines;
  REQUIRE(explain_issue(std::move(src), test::default_grammar(), &issue, &lines, &err));
  const std::string page = render_review_page("county.txt", issue, lines, validate_issues({&issue}));
  const std::string open = "<script type=\"application/json\" id=\"gazette-data\">";
  const std::size_t a = page.find(open), b = page.find("</script>", a);
  REQUIRE(a != std::string::npos);
  const nlohmann::ordered_json data = nlohmann::ordered_json::parse(page.substr(a + open.size(), b - a - open.size()));
  REQUIRE(data["notices"].size() == issue.notices.size());
  for (const OutputFile& f : render_issue(issue, Format::Json)) {
    if (f.name == "issue.json") {
      CHECK(data["issue"] == nlohmann::ordered_json::parse(f.content));
      continue;
    }
    bool found = false;
    for (const auto& n : data["notices"]) found = found || n == nlohmann::ordered_json::parse(f.content);
    CHECK(found);
  }
  CHECK(data["lines"].size() == lines.size());
}
