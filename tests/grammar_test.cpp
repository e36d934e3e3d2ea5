// Rule prefilters: a rule's regex runs only on a view it can match. These
// tests pin that the prefilters (a literal a rule needs, stated or derived
// from a literal regex; the first and last characters of an anchored rule;
// the match view's filter of code units) never turn away a line the regex
// matches, and still turn away the lines it cannot.
#include <catch2/catch.hpp>

#include <string>

#include "grammar.h"
#include "io_test_support.h"
#include "text.h"

namespace {

using namespace gazette;
using gazette::io_test::read_file;
using gazette::io_test::TempDir;
using gazette::io_test::write_file;

/// base.yaml with extra rules appended to its artifacts section, where any
/// rule may stand for a test.
const Grammar& test_grammar() {
  static const Grammar g = [] {
    std::string base = read_file(std::string(GAZETTE_SOURCE_DIR) + "/grammars/base.yaml");
    std::size_t at = base.find("\nartifacts:\n");
    if (at == std::string::npos) throw std::runtime_error("base.yaml has no artifacts section");
    base.insert(at + 12,
                "  - id: test.stars\n    regex: '\\*\\*'\n"
                "  - id: test.tab\n    regex: '\\t'\n"
                "  - id: test.dot\n    regex: 'a\\.b'\n"
                "  - id: test.digits\n    regex: '\\d\\d'\n"
                "  - id: test.words\n    regex: '签发人'\n"
                "  - id: test.needs\n    needs: 号\n    regex: '\\d+号'\n"
                "  - id: test.anchored\n    regex: '^附件\\d:$'\n");
    TempDir dir;
    write_file(dir.path() / "test.yaml", base);
    Grammar out;
    Error err;
    if (!load_grammar({(dir.path() / "test.yaml").string()}, &out, &err))
      throw std::runtime_error("test grammar: " + err.message);
    return out;
  }();
  return g;
}

const Rule& rule(const std::string& id) {
  for (const Rule& r : test_grammar().artifacts)
    if (r.id == id) return r;
  throw std::runtime_error("no rule " + id);
}

bool finds(const std::string& id, const std::string& line, int32_t from = 0) {
  RuleMatcher m(rule(id));
  return m.find(make_match_view(line), from);
}

}  // namespace

TEST_CASE("a regex that is a plain literal matches wherever its literal stands", "[grammar][prefilter]") {
  CHECK(finds("test.stars", "见**附件**"));
  CHECK_FALSE(finds("test.stars", "见*附件*"));
  CHECK(finds("test.tab", "1\t住建局"));  // \t is a tab, not the letter t
  CHECK_FALSE(finds("test.tab", "住建局"));
  CHECK(finds("test.dot", "xa.by"));
  CHECK_FALSE(finds("test.dot", "xaby"));
  CHECK(finds("test.digits", "第12号"));  // \d is a class, not the letter d
  CHECK_FALSE(finds("test.digits", "第1号"));
  CHECK(finds("test.words", "签发人：张三"));
  CHECK_FALSE(finds("test.words", "签发：张三"));
}

TEST_CASE("a needed literal counts only from where the search starts", "[grammar][prefilter]") {
  // 第3号文件: the view's units are 第 3 号 文 件.
  CHECK(finds("test.needs", "第3号文件", 0));
  CHECK(finds("test.needs", "第3号文件", 1));
  CHECK_FALSE(finds("test.needs", "第3号文件", 3));
  CHECK_FALSE(finds("test.needs", "第3号文件", 40));  // past the end
  CHECK_FALSE(finds("test.needs", "第三批文件"));
}

TEST_CASE("after an artifact is removed, anchored rules see the new first and last characters", "[grammar][prefilter]") {
  // The base grammar's artifact rules alone (RuleList points into them).
  static const std::vector<Rule> base_artifacts = [] {
    std::vector<Rule> out;
    for (const Rule& r : test_grammar().artifacts)
      if (r.id.rfind("artifact.", 0) == 0) out.push_back(r);
    return out;
  }();
  REQUIRE(!base_artifacts.empty());
  RuleList artifacts(base_artifacts);
  MatchView mv = make_match_view("**附件1:**");
  RuleMatcher anchored(rule("test.anchored"));
  CHECK_FALSE(anchored.find(mv));  // the view still starts and ends with *
  remove_artifacts(artifacts, &mv);
  CHECK(mv.view == icu::UnicodeString(u"附件1:"));
  CHECK(anchored.find(mv));
}

TEST_CASE("a match view not built by make_match_view lets every needed literal through", "[grammar][prefilter]") {
  MatchView built = make_match_view("第3号文件");
  MatchView copy;
  copy.view = built.view;
  copy.to_printed = built.to_printed;
  RuleMatcher m(rule("test.needs"));
  CHECK(m.find(copy));
  CHECK(m.find(built));
}
