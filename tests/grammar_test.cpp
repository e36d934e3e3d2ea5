// Rule prefilters: a rule's regex runs only on a view it can match. These
// tests pin that the prefilters (a literal a rule needs, stated or derived
// from a literal regex; the first and last characters of an anchored rule;
// the match view's filter of code units) never turn away a line the regex
// matches, and still turn away the lines it cannot.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "convert_support.h"
#include "grammar.h"
#include "prefilter.h"
#include "io_test_support.h"
#include "source.h"
#include "text.h"
#include "writer.h"

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
                "  - id: test.anchored\n    regex: '^附件\\d:$'\n"
                "  - id: test.tail\n    regex: '(?<=[。;])\\s?(\\((\\d{1,2})\\))$'\n"
                "  - id: test.tail-start\n    regex: '^(.{0,3})$'\n"
                "  - id: test.unbounded-end\n    regex: '(\\d+)$'\n"
                "  - id: test.set\n    regex: '[、;。]'\n"
                "  - id: test.range\n    regex: '[a-c]'\n"
                "  - id: test.closing-alternatives\n    regex: '\\d号|第\\d'\n"
                "  - id: test.closing-flags\n    regex: '(?i)a号'\n"
                "  - id: test.closing-class\n    regex: '\\d[号]'\n");
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
  // Views longer than one block of the unit scan: 号 at units 18 and 25.
  const std::string longer = "关于进一步加强全旗安全生产工作的第3号文件和第12号文件";
  CHECK(finds("test.needs", longer, 0));
  CHECK(finds("test.needs", longer, 16));
  CHECK(finds("test.needs", longer, 19));  // only the second one is left
  CHECK_FALSE(finds("test.needs", longer, 26));
  CHECK_FALSE(finds("test.needs", "关于进一步加强全旗安全生产工作的第三批文件和第十二批文件"));
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

TEST_CASE("the longest match of a regex is read from its syntax", "[grammar][prefilter]") {
  // Units: a BMP literal 1, a class, an escape or . 2 (it may match outside
  // the BMP), lookarounds and anchors 0.
  CHECK(max_match_units("abc") == 3);
  CHECK(max_match_units("附件\\d:$") == 5);
  CHECK(max_match_units("\\d{1,5}号") == 11);
  CHECK(max_match_units("a|bcd") == 3);
  CHECK(max_match_units("(?<=[。;:])\\s?(?<marker>\\((?<num>[一二三四五六七八九十]{1,3})\\))$") == 10);
  CHECK(max_match_units("(?:ab)?c{2}") == 4);
  CHECK(max_match_units("\\p{Han}x\\b") == 3);
  CHECK(max_match_units("\xF0\xA0\x80\x80") == 2);  // 𠀀 lies outside the BMP
  // Unbounded, or syntax the reading does not take on.
  CHECK(max_match_units("a+") == -1);
  CHECK(max_match_units(".*$") == -1);
  CHECK(max_match_units("a{2,}") == -1);
  CHECK(max_match_units("(?i)abc") == -1);
  CHECK(max_match_units("(a)\\1") == -1);
  CHECK(max_match_units("a)") == -1);
}

TEST_CASE("only a rule anchored at the end with a bounded match searches a tail", "[grammar][prefilter]") {
  CHECK(rule("test.tail").tail == 8 + 2);  // \s? 2, ( 1, \d{1,2} 4, ) 1, and room for a final \r\n
  CHECK(rule("test.tail-start").tail == 6 + 2);
  CHECK(rule("test.unbounded-end").tail == 0);
  CHECK(rule("test.anchored").tail == 7);  // ^附件\d:$
  CHECK(rule("test.stars").tail == 0);     // not anchored at the end
  int glued = 0;
  for (const Rule& r : test_grammar().glued_markers) glued += r.tail > 0;
  CHECK(glued == static_cast<int>(test_grammar().glued_markers.size()));
}

namespace {

/// What a plain ICU search of the whole view finds: found, then the start and
/// end of every group.
std::vector<int32_t> full_search(const Rule& r, const MatchView& mv, int32_t from) {
  UErrorCode st = U_ZERO_ERROR;
  std::unique_ptr<icu::RegexMatcher> m(r.pattern->matcher(mv.view, st));
  std::vector<int32_t> out;
  if (!m->find(from, st) || U_FAILURE(st)) return out;
  for (int32_t g = 0; g <= m->groupCount(); ++g) {
    out.push_back(m->start(g, st));
    out.push_back(m->end(g, st));
  }
  return out;
}

std::vector<int32_t> rule_search(RuleMatcher& m, const MatchView& mv, int32_t from) {
  UErrorCode st = U_ZERO_ERROR;
  std::unique_ptr<icu::RegexMatcher> counter(m.rule().pattern->matcher(st));
  std::vector<int32_t> out;
  if (!m.find(mv, from)) return out;
  for (int32_t g = 0; g <= counter->groupCount(); ++g) {
    out.push_back(m.start(g));
    out.push_back(m.end(g));
  }
  return out;
}

}  // namespace

TEST_CASE("a rule whose matches end with one character searches up to its last occurrence", "[grammar][prefilter]") {
  CHECK(rule("test.needs").closing == u'号');
  CHECK(rule("test.closing-alternatives").closing == 0);  // the other alternative ends otherwise
  CHECK(rule("test.closing-flags").closing == 0);
  CHECK(rule("test.closing-class").closing == 0);
  CHECK(rule("test.digits").closing == 0);
  int docnum = 0;
  // Every 文号 rule closes on 号, or is anchored at the end of a bounded
  // match (an order's number alone on its line) and searches its tail.
  for (const Rule& r : test_grammar().docnum) docnum += r.closing == u'号' || (r.previous && r.tail > 0);
  CHECK(docnum == static_cast<int>(test_grammar().docnum.size()));
  RuleMatcher m(rule("test.needs"));
  MatchView mv = make_match_view("见第3号文件和第12号文件，另见第5号");
  REQUIRE(m.find(mv, 4));
  CHECK(m.start() == 8);  // 12号
  CHECK(m.end() == 11);
  REQUIRE(m.find(mv, 11));
  CHECK(m.start() == 17);  // 5号
  CHECK_FALSE(m.find(mv, 18));
}

TEST_CASE("a literal regex or a class of plain characters is searched by a scan", "[grammar][prefilter]") {
  CHECK(rule("test.set").scan_set == u"、;。");
  CHECK(rule("test.words").scan_literal == icu::UnicodeString(u"签发人"));
  CHECK(rule("test.stars").scan_literal == icu::UnicodeString(u"**"));
  CHECK(rule("test.range").scan_set.empty());  // a range is more than a list
  CHECK(rule("test.range").scan_literal.isEmpty());
  CHECK(rule("test.digits").scan_literal.isEmpty());
  RuleMatcher set(rule("test.set"));
  MatchView mv = make_match_view("旗教育局、旗财政局；旗农牧局");  // ；folds to ;
  REQUIRE(set.find(mv));
  CHECK(set.start() == 4);
  CHECK(set.end() == 5);
  CHECK(set.start(1) == -1);
  REQUIRE(set.find(mv, 5));
  CHECK(set.start() == 9);
  CHECK_FALSE(set.find(mv, 10));
  CHECK_FALSE(set.looking_at(mv));
  CHECK(set.looking_at(make_match_view("、旗财政局")));
}

TEST_CASE("a search that takes a shortcut finds what a search of the whole view finds", "[grammar][prefilter]") {
  // Every rule that searches a tail or scans for a literal or a set, on its
  // own examples, on those examples after a long lead, and on every line of
  // the samples.
  std::vector<std::string> lines = {"建立机制。（2）", "建立机制。(12)", "建立机制（2）", "x。(2)\r\n", "附件1:", "前附件1:",
                                    "ab", "abcd", "一二三"};
  for (const char* sample : {"/samples/county-gazette-2024-01.txt", "/samples/state-council-2018-08.txt"}) {
    std::ifstream in(std::string(GAZETTE_SOURCE_DIR) + sample);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
  }
  lines.insert(lines.end(), {"见**附件**", "1\t住建局", "签发人：张三", "旗教育局、旗财政局；旗农牧局", "。", "",
                             "根据国办发〔2019〕3号和内政发〔2020〕12号文件，2023年3月底前完成，第4号",
                             "国令第707号、国家税务总局公告2021年第5号"});
  std::vector<const Rule*> rules;
  int tails = 0, scans = 0, closings = 0;
  for (const auto& [section, list] : test_grammar().sections())
    for (const Rule& r : *list) {
      bool scan = !r.scan_literal.isEmpty() || !r.scan_set.empty();
      if (r.tail > 0 || scan || r.closing != 0) rules.push_back(&r);
      tails += r.tail > 0;
      scans += scan;
      closings += r.closing != 0;
    }
  REQUIRE(tails >= 6);
  REQUIRE(scans >= 5);
  REQUIRE(closings >= 5);
  for (const Rule* r : rules)
    for (const auto& ex : r->examples) {
      lines.push_back(ex.line);
      lines.push_back(std::string(120, 'x') + "。" + ex.line);
    }
  int matched = 0;
  for (const Rule* r : rules) {
    RuleMatcher m(*r);
    for (const std::string& line : lines) {
      MatchView mv = make_match_view(line);
      for (int32_t from : {0, 1, mv.view.length() - 3}) {
        if (from < 0) continue;
        INFO(r->id << " on '" << line << "' from " << from);
        std::vector<int32_t> want = full_search(*r, mv, from);
        CHECK(rule_search(m, mv, from) == want);
        matched += !want.empty();
        if (from == 0) {
          UErrorCode st = U_ZERO_ERROR;
          std::unique_ptr<icu::RegexMatcher> whole(r->pattern->matcher(mv.view, st));
          CHECK(m.looking_at(mv) == static_cast<bool>(whole->lookingAt(st)));
        }
      }
    }
  }
  CHECK(matched > 20);  // the lines exercise matches, not only misses
}

TEST_CASE("a rule file with no end, or nested without bound, is refused with its name", "[grammar]") {
  Grammar g;
  Error err;
  // /dev/zero has no end: the load stops at the size limit instead of growing.
  CHECK_FALSE(load_grammar({"/dev/zero"}, &g, &err));
  CHECK(err.kind == ErrorKind::Grammar);
  CHECK(err.file == "/dev/zero");
  CHECK(err.message == "rule file larger than 4194304 bytes");

  TempDir dir;
  std::string deep(20000, '[');
  write_file(dir.path() / "deep.yaml", "markers: " + deep + "\n");
  CHECK_FALSE(load_grammar({(dir.path() / "deep.yaml").string()}, &g, &err));
  CHECK(err.message.find("nests more than") != std::string::npos);

  // An ordinary rule file is far from both limits.
  CHECK(nesting_depth(gazette::test::read_bytes(GAZETTE_SOURCE_DIR "/grammars/base.yaml"), true) < 12);
}

namespace {

/// Every file of a folder, by name, with its bytes.
std::map<std::string, std::string> folder_bytes(const std::filesystem::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) out[e.path().filename().string()] = read_file(e.path().string());
  return out;
}

/// An overlay that, applied, changes every issue it reads: any line that
/// starts with a Han character is a note (titles and issuers too).
const char* const kGreedyRules =
    "header:\n  public_note:\n    - id: greedy.note\n      regex: '^(?<note>\\p{Han}.*)$'\n";
const std::string kGreedyOverlay = std::string("grammar: greedy\nversion: 1\n") +
                                   "applies_to:\n  masthead: [某某市人民政府公报]\n  issuer: [某某市人民政府办公室]\n" +
                                   kGreedyRules;

}  // namespace

TEST_CASE("an overlay applies only to the issues that print its publication's names", "[grammar][overlay]") {
  TempDir dir;
  write_file(dir.path() / "greedy.yaml", kGreedyOverlay);
  Grammar g;
  Error err;
  INFO(err.message);
  REQUIRE(load_grammar({GAZETTE_SOURCE_DIR "/grammars/base.yaml", (dir.path() / "greedy.yaml").string()}, &g, &err));
  REQUIRE(g.scoped.size() == 1);
  CHECK(g.scoped[0].name == "greedy");
  CHECK(g.public_note.size() == 1);  // the base rules only: the overlay waits for its issues

  const std::string sample = read_file(GAZETTE_SOURCE_DIR "/samples/county-gazette-2024-01.txt");
  Issue plain = test::convert_with(sample, g);
  CHECK(plain.rule_files == std::vector<std::string>{"base"});
  CHECK(plain.notices.size() == 3);

  // The same issue under the overlay's masthead (letter-spaced, full width
  // folded), and a notice of its issuer in another issue: both read by it.
  std::string own = sample;
  own.replace(own.find(plain.publication), plain.publication.size(), "某 某 市 人 民 政 府 公 报");
  Issue mine = test::convert_with(own, g);
  CHECK(mine.rule_files == std::vector<std::string>{"base", "greedy"});
  CHECK(mine.notices.size() == 3);
  CHECK(mine.notices[0].title.empty());  // read by the overlay: the title line is a note
  std::vector<std::string> lines = {"前言", "某某市人民政府办公室关于做好春耕工作的通知"};
  CHECK(overlays_for(g, lines) == std::vector<int>{0});
  lines[1] = "各乡镇：某某市人民政府办公室";
  CHECK(overlays_for(g, lines).empty());
}

TEST_CASE("a scoped overlay leaves every other publication's output byte for byte as the base rules give it",
          "[grammar][overlay]") {
  TempDir dir;
  write_file(dir.path() / "greedy.yaml", kGreedyOverlay);
  write_file(dir.path() / "everywhere.yaml", std::string("grammar: everywhere\nversion: 1\n") + kGreedyRules);
  const std::string base = GAZETTE_SOURCE_DIR "/grammars/base.yaml";
  for (const auto& e : std::filesystem::directory_iterator(GAZETTE_SOURCE_DIR "/samples")) {
    if (e.path().extension() != ".txt") continue;
    const std::string in = e.path().string();
    INFO(in);
    auto a = io_test::run_gazette("convert " + in + " -q --format json -o base --grammar " + base, dir.path());
    auto b = io_test::run_gazette("convert " + in + " -q --format json -o all --grammar " + base + " --grammar greedy.yaml",
                               dir.path());
    REQUIRE(a.status == 0);
    REQUIRE(b.status == 0);
    CHECK(folder_bytes(dir.path() / "base") == folder_bytes(dir.path() / "all"));
    // Not scoped, the same rules change the sample's output.
    auto c = io_test::run_gazette("convert " + in + " -q --format json -o everywhere --grammar " + base +
                                      " --grammar everywhere.yaml", dir.path());
    REQUIRE(c.status == 0);
    CHECK(folder_bytes(dir.path() / "base") != folder_bytes(dir.path() / "everywhere"));
    // The shipped overlays (every grammars/*.yaml) leave a sample of another
    // publication as the base rules read it.
    auto d = io_test::run_gazette("convert " + in + " -q --format json -o shipped", dir.path());
    REQUIRE(d.status == 0);
    const auto shipped = folder_bytes(dir.path() / "shipped");
    if (nlohmann::json::parse(shipped.at("issue.json"))["rules"] == nlohmann::json::array({"base"}))
      CHECK(folder_bytes(dir.path() / "base") == shipped);
    else
      CHECK(e.path().filename() == "province-gazette-2023-05.txt");  // the one sample with an overlay
  }
}

TEST_CASE("a broken scoped overlay is refused when the rules load, not when an issue needs it", "[grammar][overlay]") {
  TempDir dir;
  write_file(dir.path() / "bad.yaml", "grammar: bad\nversion: 1\napplies_to:\n  masthead: [某某市人民政府公报]\n"
                                      "markers:\n  - id: m\n    regex: '^(?<num>\\d+'\n    level: 3\n    numeral: arabic\n");
  write_file(dir.path() / "scope.yaml", "grammar: s\nversion: 1\napplies_to:\n  masthead: []\n");
  Grammar g;
  Error err;
  CHECK_FALSE(load_grammar({GAZETTE_SOURCE_DIR "/grammars/base.yaml", (dir.path() / "bad.yaml").string()}, &g, &err));
  CHECK(err.line == 7);
  CHECK(err.message.find("does not compile") != std::string::npos);
  CHECK_FALSE(load_grammar({GAZETTE_SOURCE_DIR "/grammars/base.yaml", (dir.path() / "scope.yaml").string()}, &g, &err));
  CHECK(err.message == "applies_to names no masthead and no issuer");
}

TEST_CASE("docs/rules.md lists every section with the groups its rules may capture", "[grammar][docs]") {
  const std::string whole = read_file(GAZETTE_SOURCE_DIR "/docs/rules.md");
  const std::size_t table = whole.find("## Sections and the groups they read");
  REQUIRE(table != std::string::npos);
  const std::string doc = whole.substr(table);
  for (const SectionContract& c : section_contracts()) {
    INFO(c.section);
    const std::size_t at = doc.find(std::string("| `") + c.section + "` |");
    REQUIRE(at != std::string::npos);
    const std::string row = doc.substr(at, doc.find('\n', at) - at);
    for (const std::string& g : c.required) CHECK(row.find("**" + g + "**") != std::string::npos);
    for (const std::string& g : c.optional) CHECK(row.find(" " + g) != std::string::npos);
    if (c.required.empty() && c.optional.empty()) CHECK(row.find("| none |") != std::string::npos);
  }
}

namespace {

/// Every file convert writes for `text`, as text: names and contents.
std::vector<std::pair<std::string, std::string>> converted_files(const std::string& text, const std::string& name) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& f : render_issue(test::convert_with(text, test::default_grammar(), name), Format::Json))
    out.emplace_back(f.name, f.content);
  return out;
}

}  // namespace

TEST_CASE("with prefilters off every text converts to the same files", "[grammar][prefilter]") {
  std::vector<std::pair<std::string, std::string>> texts;
  for (const auto& e : std::filesystem::directory_iterator(std::string(GAZETTE_SOURCE_DIR) + "/samples"))
    texts.emplace_back(e.path().string(), read_file(e.path()));
  for (const auto& e : std::filesystem::directory_iterator(std::string(GAZETTE_SOURCE_DIR) + "/tests/spec")) {
    // A spec file's input section is an issue of its own.
    const std::string spec = read_file(e.path());
    const std::size_t a = spec.find("=== input\n"), b = spec.find("\n=== expect");
    if (a != std::string::npos && b != std::string::npos) texts.emplace_back(e.path().string(), spec.substr(a + 10, b - a - 10));
  }
  const std::string shared = test::read_bytes(test::kSharedIssue);
  if (shared.empty()) WARN("the shared issue is absent: samples and spec inputs only");
  else texts.emplace_back(test::kSharedIssue, shared);
  REQUIRE(texts.size() > 20);
  for (const auto& [name, text] : texts) {
    INFO(name);
    REQUIRE(prefilters_on());
    const auto with = converted_files(text, name);
    set_prefilters(false);
    const auto without = converted_files(text, name);
    set_prefilters(true);
    REQUIRE(with.size() == without.size());
    for (std::size_t i = 0; i < with.size(); ++i) {
      CHECK(with[i].first == without[i].first);
      CHECK(with[i].second == without[i].second);
    }
  }
}

TEST_CASE("prefilters off: a rule whose stated `needs` is wrong shows it", "[grammar][prefilter]") {
  // A rule that states a literal its matches do not hold misses them with
  // its prefilters, and finds them without: what the switch is for.
  Rule r;
  r.id = "test.wrong-needs";
  r.regex = "通知$";
  UParseError pe;
  UErrorCode st = U_ZERO_ERROR;
  r.pattern.reset(icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(r.regex), 0, pe, st));
  REQUIRE(U_SUCCESS(st));
  r.needs = icu::UnicodeString::fromUTF8("公告");
  derive_prefilters(&r);
  const MatchView mv = make_match_view("关于做好春节期间工作的通知");
  RuleMatcher with(r);
  CHECK_FALSE(with.find(mv));
  set_prefilters(false);
  RuleMatcher without(r);
  set_prefilters(true);
  CHECK(without.find(mv));
}
