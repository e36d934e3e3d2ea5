// Stable node ids: unique within a notice, made of the canonical marker path,
// written and read back, and the very paths diff reports.
#include <catch2/catch.hpp>

#include <functional>
#include <set>
#include <string>

#include "convert_support.h"
#include "diff.h"
#include "io_test_support.h"
#include "json_model.h"
#include "node_id.h"

using namespace gazette;

namespace {

std::string sample() {
  return io_test::read_file(std::filesystem::path(GAZETTE_SOURCE_DIR) / "samples" / "county-gazette-2024-01.txt");
}

/// Every node of a notice, depth first.
void each_node(const Notice& n, const std::function<void(const Node&, const std::string& parent)>& f) {
  std::function<void(const std::vector<Node>&, const std::string&)> walk = [&](const std::vector<Node>& ns,
                                                                              const std::string& parent) {
    for (const Node& x : ns) {
      f(x, parent);
      walk(x.children, x.id);
    }
  };
  walk(n.body, "body");
  for (std::size_t i = 0; i < n.enclosures.size(); ++i) walk(n.enclosures[i].body, "enclosures[" + std::to_string(i) + "]");
}

}  // namespace

TEST_CASE("node ids are unique in a notice and name the marker path", "[node-id]") {
  const Issue issue = test::convert_with(sample(), test::default_grammar());
  REQUIRE(issue.notices.size() >= 3);
  int items = 0;
  for (const Notice& n : issue.notices) {
    std::set<std::string> seen;
    each_node(n, [&](const Node& x, const std::string& parent) {
      INFO(n.title << ": " << x.id);
      CHECK(seen.insert(x.id).second);
      CHECK(x.id.rfind(parent + "/", 0) == 0);  // under its parent's id
      if (x.type == NodeType::Item && x.level == 2 && x.number == 1) {
        CHECK(x.id.substr(x.id.size() - std::string("/（一）").size()) == "/（一）");
        ++items;
      }
      if (x.type == NodeType::Paragraph) CHECK(x.id.find("paragraph[") != std::string::npos);
    });
  }
  CHECK(items > 0);
}

TEST_CASE("a (一) printed with ASCII brackets has the id of （一）", "[node-id]") {
  Node a, b;
  a.type = b.type = NodeType::Item;
  a.level = b.level = 2;
  a.number = b.number = 1;
  a.marker = "（一）";
  b.marker = "(一)";
  CHECK(sibling_segments({a}) == sibling_segments({b}));
  std::vector<Node> two{a, a};
  assign_node_ids("body", &two);
  CHECK(two[0].id == "body/（一）");
  CHECK(two[1].id == "body/（一）#2");  // printed twice: the second copy is told apart
}

TEST_CASE("ids are written and read back", "[node-id]") {
  const Issue issue = test::convert_with(sample(), test::default_grammar());
  const Notice& n = issue.notices.front();
  const Json j = to_json(n, "sample.txt");
  Notice back;
  std::string err;
  REQUIRE(from_json(j, &back, &err));
  REQUIRE(!back.body.empty());
  CHECK(back.body.front().id == n.body.front().id);
  // A file written before ids existed gets them on reading.
  Json old = j;
  std::function<void(Json&)> strip = [&](Json& nodes) {
    for (Json& x : nodes) {
      x.erase("id");
      if (x.contains("children")) strip(x["children"]);
    }
  };
  strip(old["body"]);
  Notice older;
  REQUIRE(from_json(old, &older, &err));
  CHECK(older.body.front().id == n.body.front().id);
}

TEST_CASE("diff's path of a changed item is the item's id", "[node-id]") {
  const std::string before = sample();
  const std::string changed_from = "扎实推进农村厕所革命";
  const std::size_t at = before.find(changed_from);
  REQUIRE(at != std::string::npos);
  std::string after = before;
  after.replace(at, changed_from.size(), "全面推进农村厕所革命");
  const Issue a = test::convert_with(before, test::default_grammar());
  const Issue b = test::convert_with(after, test::default_grammar());
  const IssueDiff d = diff_issues(a, b);
  std::string path;
  for (const NoticeDiff& nd : d.notices)
    for (const Change& c : nd.changes)
      if (c.new_text.find("全面推进") != std::string::npos) path = c.path;
  REQUIRE(!path.empty());
  std::string id;
  for (const Notice& n : b.notices)
    each_node(n, [&](const Node& x, const std::string&) {
      if (x.title.find("全面推进") != std::string::npos || x.text.find("全面推进") != std::string::npos) id = x.id;
    });
  CHECK(path == id);
  CHECK(id.find("/（一）") != std::string::npos);
}
