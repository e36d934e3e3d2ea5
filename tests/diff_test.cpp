// gazette diff: the edit script, node and notice matching on small models,
// the folder reader, the CLI's exit statuses, and edited copies of the shared
// issue (made here, from ../shared/corpus) with the changes each one seeds.
#include <catch2/catch.hpp>
#include "convert_support.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "convert.h"
#include "diff.h"
#include "docnum.h"
#include "grammar.h"
#include "io_test_support.h"
#include "issue_folder.h"
#include "source.h"
#include "text.h"
#include "writer.h"

using namespace gazette;

namespace {

const char* const kDataDir = GAZETTE_SOURCE_DIR "/tests/data/diff";

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

Issue convert_text(const std::string& text, const std::string& name = "test.txt") {
  return gazette::test::convert_with(text, gazette::test::default_grammar(), name);
}

const NoticeDiff* find_notice(const IssueDiff& d, const std::string& docnum) {
  for (const auto& n : d.notices)
    if (n.docnum == docnum || n.old_docnum == docnum || n.new_docnum == docnum) return &n;
  return nullptr;
}

std::size_t count_status(const IssueDiff& d, NoticeStatus s) {
  std::size_t k = 0;
  for (const auto& n : d.notices) k += n.status == s;
  return k;
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::string side(const std::vector<TextEdit>& edits, TextEdit::Op skip) {
  std::string out;
  for (const auto& e : edits)
    if (e.op != skip) out += e.text;
  return out;
}

// --- small models -----------------------------------------------------------

Node item(int level, int number, const std::string& marker, const std::string& text, std::vector<Node> kids = {}) {
  Node n;
  n.type = NodeType::Item;
  n.level = level;
  n.number = number;
  n.marker = marker;
  n.text = text;
  n.children = std::move(kids);
  return n;
}

Node paragraph(const std::string& text) {
  Node n;
  n.text = text;
  return n;
}

Notice notice(const std::string& docnum, int seq, std::vector<Node> body) {
  Notice n;
  n.docnum.text = docnum;
  n.docnum.agency = "土左政字";
  n.docnum.year = 2023;
  n.docnum.seq = seq;
  n.issuer = "土默特左旗人民政府";
  static const char* const topics[] = {"水务", "教育", "交通", "文旅", "农牧", "卫健", "应急", "民政"};
  n.title = std::string("关于印发") + topics[seq % 8] + "工作方案的通知";
  n.date = "2023-04-07";
  n.body = std::move(body);
  return n;
}

Issue issue_of(std::vector<Notice> notices) {
  Issue i;
  i.publication = "土默特左旗人民政府公报";
  i.notices = std::move(notices);
  return i;
}

const Change* find_change(const NoticeDiff& n, const std::string& kind, const std::string& path_tail) {
  for (const auto& c : n.changes)
    if (c.kind == kind && ends_with(c.path, path_tail)) return &c;
  return nullptr;
}

// --- the shared issue and its edited copies --------------------------------

std::size_t line_index(const std::vector<std::string>& lines, const std::string& starts_with, std::size_t nth = 0) {
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (lines[i].compare(0, starts_with.size(), starts_with) == 0 && nth-- == 0) return i;
  FAIL("no line starts with " << starts_with);
  return 0;
}

const Notice& notice_by_docnum(const Issue& issue, const std::string& docnum) {
  for (const auto& n : issue.notices)
    if (n.docnum.text == docnum) return n;
  FAIL("the shared issue converts without " << docnum);
  return issue.notices.front();
}

/// The input lines of a notice (0-based, half-open), from its first to its last span.
std::pair<std::size_t, std::size_t> notice_lines(const Notice& n) {
  REQUIRE(!n.spans.empty());
  int first = n.spans.front().first, last = n.spans.front().last;
  for (const auto& s : n.spans) {
    first = std::min(first, s.first);
    last = std::max(last, s.last);
  }
  return {static_cast<std::size_t>(first - 1), static_cast<std::size_t>(last)};
}

IssueDiff diff_against_shared(const gazette::test::SharedIssue& s, const std::vector<std::string>& edited) {
  Issue copy = convert_text(join_lines(edited), "edited.txt");
  return diff_issues(s.issue, copy);
}

int run_cli(const std::string& args, std::string* out = nullptr) {
  std::string cmd = std::string(GAZETTE_BINARY) + " " + args + " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  std::string text;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  int status = pclose(p);
  if (out) *out = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

// ---------------------------------------------------------------------------

TEST_CASE("diff: diff_text marks an inserted word between equal runs", "[diff]") {
  auto edits = diff_text("请认真按照方案要求贯彻落实。", "请认真按照方案要求抓好贯彻落实。");
  REQUIRE(edits.size() == 3);
  CHECK(edits[0].op == TextEdit::Op::Equal);
  CHECK(edits[0].text == "请认真按照方案要求");
  CHECK(edits[1].op == TextEdit::Op::Insert);
  CHECK(edits[1].text == "抓好");
  CHECK(edits[2].text == "贯彻落实。");
}

TEST_CASE("diff: diff_text: width forms and white space are not edits", "[diff]") {
  auto edits = diff_text("（一）治理时限。自2023年4月10日起：", "(一) 治理时限。自 2023 年4月10日起:");
  REQUIRE(edits.size() == 1);
  CHECK(edits[0].op == TextEdit::Op::Equal);
  CHECK(normalize_for_diff("（一） 2023 年\n") == normalize_for_diff("(一)2023年"));
  CHECK(normalize_for_diff("①") == "①");  // circled numbers keep their meaning
}

TEST_CASE("diff: diff_text folds a short equal run between two edits", "[diff]") {
  auto edits = diff_text("2023年4月30日前", "2023年5月31日前");
  REQUIRE(edits.size() == 4);
  CHECK(edits[1].op == TextEdit::Op::Delete);
  CHECK(edits[1].text == "4月30");
  CHECK(edits[2].text == "5月31");
}

TEST_CASE("diff: diff_text scripts rebuild both texts and are minimal", "[diff]") {
  std::mt19937 rng(20230407);
  const std::string alphabet[] = {"地", "下", "水", "，", "。", "a", "1"};
  for (int round = 0; round < 300; ++round) {
    std::string a, b;
    std::vector<int> ca, cb;
    for (int k = static_cast<int>(rng() % 14); k > 0; --k) ca.push_back(static_cast<int>(rng() % 7));
    for (int k = static_cast<int>(rng() % 14); k > 0; --k) cb.push_back(static_cast<int>(rng() % 7));
    for (int c : ca) a += alphabet[c];
    for (int c : cb) b += alphabet[c];
    auto edits = diff_text(a, b, 1000, /*fold_short_runs=*/false);
    CHECK(side(edits, TextEdit::Op::Insert) == a);
    CHECK(side(edits, TextEdit::Op::Delete) == b);
    // Minimal: the equal characters are a longest common subsequence.
    std::vector<std::vector<int>> lcs(ca.size() + 1, std::vector<int>(cb.size() + 1, 0));
    for (std::size_t i = 1; i <= ca.size(); ++i)
      for (std::size_t j = 1; j <= cb.size(); ++j)
        lcs[i][j] = ca[i - 1] == cb[j - 1] ? lcs[i - 1][j - 1] + 1 : std::max(lcs[i - 1][j], lcs[i][j - 1]);
    std::size_t del = 0, ins = 0;
    for (const auto& e : edits) {
      if (e.op == TextEdit::Op::Delete) del += utf8_length(e.text);
      if (e.op == TextEdit::Op::Insert) ins += utf8_length(e.text);
    }
    CHECK(del + ins == ca.size() + cb.size() - 2 * static_cast<std::size_t>(lcs[ca.size()][cb.size()]));
  }
}

TEST_CASE("diff: diff_text bounds the work on a rewritten huge paragraph", "[diff]") {
  std::string a = "开头。", b = "开头。";
  for (int i = 0; i < 3000; ++i) {
    a += (i % 2) ? "甲" : "乙";
    b += (i % 3) ? "丙" : "丁";
  }
  a += "结尾。";
  b += "结尾。";
  auto edits = diff_text(a, b, 50);
  REQUIRE(edits.size() == 4);
  CHECK(edits[0].text == "开头。");
  CHECK(edits[1].op == TextEdit::Op::Delete);
  CHECK(edits[2].op == TextEdit::Op::Insert);
  CHECK(edits[3].text == "结尾。");
}

TEST_CASE("diff: notices: removed, added, renumbered and unchanged are told apart", "[diff]") {
  Notice a = notice("土左政字〔2023〕1号", 1, {paragraph("第一份通知的正文。")});
  Notice b = notice("土左政字〔2023〕2号", 2, {paragraph("第二份通知的正文。")});
  Notice c = notice("土左政字〔2023〕3号", 3, {paragraph("第三份通知的正文。")});
  Notice c_renumbered = c;
  c_renumbered.docnum.text = "土左政字〔2023〕30号";
  c_renumbered.docnum.seq = 30;
  Notice d = notice("土左政字〔2023〕4号", 4, {paragraph("第四份通知的正文。")});
  Notice a_bracket = a;  // the same 文号 printed with other brackets, as convert reads it
  a_bracket.docnum.open_bracket = "[";
  a_bracket.docnum.close_bracket = "]";
  set_docnum_forms(&a_bracket.docnum, "土左政字[2023]1号");
  REQUIRE(a_bracket.docnum.text == "土左政字〔2023〕1号");

  IssueDiff r = diff_issues(issue_of({a, b, c}), issue_of({a_bracket, c_renumbered, d}));
  REQUIRE(r.notices.size() == 4);
  CHECK(find_notice(r, "土左政字〔2023〕1号")->status == NoticeStatus::Unchanged);
  CHECK(find_notice(r, "土左政字〔2023〕2号")->status == NoticeStatus::Removed);
  const NoticeDiff* ren = find_notice(r, "土左政字〔2023〕30号");
  REQUIRE(ren);
  CHECK(ren->status == NoticeStatus::Renumbered);
  CHECK(ren->old_docnum == "土左政字〔2023〕3号");
  CHECK(ren->changes.empty());
  CHECK(find_notice(r, "土左政字〔2023〕4号")->status == NoticeStatus::Added);
  CHECK_FALSE(r.same());
  // Removed 2号 is listed where it stood: after 1号.
  CHECK(r.notices[1].docnum == "土左政字〔2023〕2号");

  Json j = diff_to_json(r);
  CHECK(j["schema"] == "gazette.diff/1");
  CHECK(j["notices"][2]["status"] == "renumbered");
  CHECK(j["notices"][2]["old_docnum"] == "土左政字〔2023〕3号");
  CHECK(j["notices"][2]["new_docnum"] == "土左政字〔2023〕30号");
}

TEST_CASE("diff: a 文号 printed on three notices: removing the middle one is one removal", "[diff]") {
  // A misprint gives three notices one 文号; their titles and texts differ.
  Notice first = notice("土左政字〔2023〕5号", 1, {paragraph("甲通知的正文。")});
  Notice middle = notice("土左政字〔2023〕5号", 2, {paragraph("乙通知的正文。")});
  Notice last = notice("土左政字〔2023〕5号", 3, {paragraph("丙通知的正文。")});
  IssueDiff r = diff_issues(issue_of({first, middle, last}), issue_of({first, last}));
  REQUIRE(r.notices.size() == 3);
  int removed = 0, unchanged = 0;
  for (const NoticeDiff& d : r.notices) {
    if (d.status == NoticeStatus::Removed) {
      ++removed;
      CHECK(d.title == middle.title);
    }
    if (d.status == NoticeStatus::Unchanged) ++unchanged;
  }
  CHECK(removed == 1);
  CHECK(unchanged == 2);
  // With one of them edited, it is paired by its title: changed, not removed and added.
  Notice last_edited = notice("土左政字〔2023〕5号", 3, {paragraph("丙通知改过的正文。")});
  r = diff_issues(issue_of({first, middle, last}), issue_of({first, middle, last_edited}));
  for (const NoticeDiff& d : r.notices)
    CHECK(d.status == (d.title == last.title ? NoticeStatus::Changed : NoticeStatus::Unchanged));
}

TEST_CASE("diff: items: renumbered after an insertion, moved to another parent, text changed in place", "[diff]") {
  Notice old_n = notice("土左政字〔2023〕5号", 5,
                        {item(1, 1, "一、", "工作目标",
                              {item(2, 1, "（一）", "摸清底数。全面排查。"), item(2, 2, "（二）", "完成整改。逐项销号。")}),
                         item(1, 2, "二、", "保障措施",
                              {item(2, 1, "（一）", "加强领导。压实责任。"), item(2, 2, "（二）", "加强宣传。营造氛围。")})});
  Notice new_n = notice("土左政字〔2023〕5号", 5,
                        {item(1, 1, "一、", "工作目标",
                              {item(2, 1, "(一)", "新增任务。先行试点。"), item(2, 2, "(二)", "摸清底数。全面排查。"),
                               item(2, 3, "(三)", "完成整改。逐项销号。"), item(2, 4, "(四)", "加强宣传。营造氛围。")}),
                         item(1, 2, "二、", "保障措施", {item(2, 1, "（一）", "加强领导。层层压实责任。")})});
  IssueDiff r = diff_issues(issue_of({old_n}), issue_of({new_n}));
  const NoticeDiff* n = find_notice(r, "土左政字〔2023〕5号");
  REQUIRE(n);
  CHECK(n->status == NoticeStatus::Changed);
  const Change* added = find_change(*n, "added", "body/一/（一）");
  REQUIRE(added);
  CHECK(added->new_text.find("新增任务") != std::string::npos);
  const Change* ren = find_change(*n, "renumbered", "body/一/（二）");
  REQUIRE(ren);
  CHECK(ren->old_path == "body/一/（一）");
  CHECK(find_change(*n, "renumbered", "body/一/（三）"));
  const Change* moved = find_change(*n, "moved", "body/一/（四）");
  REQUIRE(moved);
  CHECK(moved->old_path == "body/二/（二）");
  const Change* edited = find_change(*n, "changed", "body/二/（一）");
  REQUIRE(edited);
  CHECK(side(edited->edits, TextEdit::Op::Delete).find("层层") != std::string::npos);
  // Nothing else: the (一)/(二) width forms are not changes, 一 and 二 did not move.
  CHECK(n->changes.size() == 5);
}

TEST_CASE("diff: responsibility fields are field changes", "[diff]") {
  Node a = item(2, 1, "（一）", "摸清底数。全面排查。");
  a.responsibility = Responsibility{};
  a.responsibility->units = {"旗水务局"};
  a.responsibility->deadline = Deadline{"2023年4月30日前", "2023-04-30"};
  Node b = a;
  b.responsibility->units = {"旗水务局", "台阁牧镇"};
  b.responsibility->deadline = Deadline{"2023年5月31日前", "2023-05-31"};
  IssueDiff r = diff_issues(issue_of({notice("土左政字〔2023〕6号", 6, {a})}),
                            issue_of({notice("土左政字〔2023〕6号", 6, {b})}));
  const NoticeDiff* n = find_notice(r, "土左政字〔2023〕6号");
  REQUIRE(n);
  REQUIRE(n->changes.size() == 2);
  CHECK(n->changes[0].path == "body/（一）/units");
  CHECK(n->changes[0].new_text == "旗水务局、台阁牧镇");
  CHECK(n->changes[1].path == "body/（一）/deadline");
  CHECK(n->changes[1].old_text == "2023年4月30日前");
  CHECK(n->changes[1].new_text == "2023年5月31日前");
  CHECK(n->changes[0].old_date.empty());  // dates belong to deadlines only
  CHECK(n->changes[1].old_date == "2023-04-30");
  CHECK(n->changes[1].new_date == "2023-05-31");
  std::string text = render_diff_text(r);
  CHECK(text.find("body/（一）/deadline: 2023年[-4月30-]{+5月31+}日前  (2023-04-30 → 2023-05-31)\n") !=
        std::string::npos);
  Json c = diff_to_json(r)["notices"][0]["changes"][1];
  CHECK(c["old_date"] == "2023-04-30");
  CHECK(c["new_date"] == "2023-05-31");
  CHECK_FALSE(diff_to_json(r)["notices"][0]["changes"][0].contains("old_date"));

  // A deadline without a date of the calendar, then with one: the side without has none.
  Node c_node = a;
  c_node.responsibility->deadline = Deadline{"长期坚持", std::nullopt};
  IssueDiff r2 = diff_issues(issue_of({notice("土左政字〔2023〕6号", 6, {c_node})}),
                             issue_of({notice("土左政字〔2023〕6号", 6, {a})}));
  const Change* d = find_change(r2.notices[0], "changed", "/deadline");
  REQUIRE(d);
  CHECK(d->old_date.empty());
  CHECK(d->new_date == "2023-04-30");
  CHECK(render_diff_text(r2).find("(no date → 2023-04-30)") != std::string::npos);
  CHECK(diff_to_json(r2)["notices"][0]["changes"][0]["old_date"].is_null());
}

TEST_CASE("diff: text output marks edits inline and counts notices", "[diff]") {
  Notice a = notice("土左政字〔2023〕7号", 7, {paragraph("请认真贯彻落实。")});
  Notice b = notice("土左政字〔2023〕7号", 7, {paragraph("请认真抓好贯彻落实。")});
  std::string text = render_diff_text(diff_issues(issue_of({a}), issue_of({b})));
  CHECK(text.find("changed    土左政字〔2023〕7号") != std::string::npos);
  CHECK(text.find("body/paragraph[0]: 请认真{+抓好+}贯彻落实。") != std::string::npos);
  CHECK(text.find("1 changed, 0 renumbered, 0 added, 0 removed, 0 unchanged") != std::string::npos);
}

TEST_CASE("diff: yaml_to_json keeps quoted scalars as strings", "[diff]") {
  Json j = yaml_to_json(YAML::Load("a: \"01\"\nb: 12\nc: null\nd: 土左\ne: [1, \"true\", true]\n"));
  CHECK(j["a"] == "01");
  CHECK(j["b"] == 12);
  CHECK(j["c"].is_null());
  CHECK(j["d"] == "土左");
  CHECK(j["e"][1] == "true");
  CHECK(j["e"][2] == true);
}

TEST_CASE("diff: folders written by convert (JSON and YAML) read back as the same issue", "[diff]") {
  Issue issue = convert_text(gazette::test::read_bytes(std::string(kDataDir) + "/old.txt"));
  REQUIRE(issue.notices.size() == 1);
  for (Format f : {Format::Json, Format::Yaml}) {
    auto dir = std::filesystem::temp_directory_path() /
               ("gazette-diff-test-" + std::string(format_extension(f)) + "-" + std::to_string(::getpid()));
    Error err;
    REQUIRE(write_files(dir.string(), render_issue(issue, f), &err));
    Issue back;
    REQUIRE(read_issue_folder(dir.string(), &back, &err));
    IssueDiff r = diff_issues(issue, back);
    CHECK(r.same());
    CHECK(back.notices.size() == 1);
    std::filesystem::remove_all(dir);
  }
  Issue none;
  Error err;
  CHECK_FALSE(read_issue_folder(kDataDir, &none, &err));  // no issue.json there
  CHECK(err.kind == ErrorKind::Input);
}

TEST_CASE("diff: hostile output folders are input errors, never a crash", "[diff]") {
  Issue issue = convert_text(gazette::test::read_bytes(std::string(kDataDir) + "/old.txt"));
  auto dir = std::filesystem::temp_directory_path() / ("gazette-diff-hostile-" + std::to_string(::getpid()));
  Error err;
  REQUIRE(write_files(dir.string(), render_issue(issue, Format::Json), &err));
  const std::string issue_json = gazette::test::read_bytes((dir / "issue.json").string());
  std::string notice_file;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().filename() != "issue.json") notice_file = e.path().string();
  REQUIRE(!notice_file.empty());
  auto write = [](const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  };
  auto expect_refused = [&](const std::string& words) {
    Issue back;
    Error e;
    CHECK_FALSE(read_issue_folder(dir.string(), &back, &e));
    CHECK(e.kind == ErrorKind::Input);
    INFO(e.message);
    CHECK(e.message.find(words) != std::string::npos);
  };
  SECTION("a schema that is a number") {
    std::string bad = issue_json;
    bad.replace(bad.find("\"gazette.issue/1\""), std::string("\"gazette.issue/1\"").size(), "5");
    write((dir / "issue.json").string(), bad);
    expect_refused("not an issue file");
  }
  SECTION("a notice nested 20,000 levels deep") {
    std::string deep = "{\"schema\": \"gazette.notice/1\", \"body\": ";
    for (int i = 0; i < 20000; ++i) deep += "[{\"type\": \"item\", \"children\": ";
    deep += "[]";
    for (int i = 0; i < 20000; ++i) deep += "}]";
    deep += "}";
    write(notice_file, deep);
    expect_refused("nested more than");
  }
  SECTION("a YAML issue file nested deeply by indentation") {
    std::filesystem::remove(dir / "issue.json");
    std::string deep;
    for (int i = 0; i < 1000; ++i) deep += std::string(static_cast<std::size_t>(2 * i), ' ') + "k:\n";
    write((dir / "issue.yaml").string(), deep);
    expect_refused("nested more than");
  }
  SECTION("a value of the wrong type") {
    std::string bad = issue_json;
    bad.replace(bad.find("\"toc\": ["), std::string("\"toc\": [").size(), "\"toc\": [5, ");
    write((dir / "issue.json").string(), bad);
    Issue back;
    Error e;
    read_issue_folder(dir.string(), &back, &e);  // read or refused, but no exception escapes
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("diff: gazette diff exits 0 when same, 1 when different, 2 and 3 on errors", "[diff][cli]") {
  std::string d = kDataDir;
  std::string out;
  CHECK(run_cli("diff " + d + "/old.txt " + d + "/old.txt", &out) == 0);
  CHECK(out.find("0 changed") != std::string::npos);
  CHECK(run_cli("diff --color never " + d + "/old.txt " + d + "/new.txt", &out) == 1);
  CHECK(out.find("[-4月30-]{+5月31+}") != std::string::npos);
  CHECK(out.find("\x1b[") == std::string::npos);
  CHECK(run_cli("diff --color always " + d + "/old.txt " + d + "/new.txt", &out) == 1);
  CHECK(out.find("\x1b[") != std::string::npos);
  CHECK(run_cli("diff --format json " + d + "/old.txt " + d + "/new.txt", &out) == 1);
  Json j = Json::parse(out);
  CHECK(j["schema"] == "gazette.diff/1");
  CHECK(j["notices"][0]["status"] == "changed");
  CHECK(run_cli("diff --format xml " + d + "/old.txt " + d + "/new.txt") == 2);
  CHECK(run_cli("diff " + d + "/old.txt " + d + "/no-such-file.txt") == 3);
}

TEST_CASE("diff: gazette diff -q prints nothing; the exit status is the answer", "[diff][cli]") {
  gazette::io_test::TempDir dir;
  const std::string d = kDataDir;
  for (const char* format : {"text", "json"}) {
    INFO(format);
    auto differ = gazette::io_test::run_gazette(std::string("diff -q --format ") + format + " --color always " + d +
                                                    "/old.txt " + d + "/new.txt", dir.path());
    CHECK(differ.status == 1);
    CHECK(differ.out.empty());
    CHECK(differ.err.empty());
    auto same = gazette::io_test::run_gazette(std::string("diff --quiet --format ") + format + " " + d + "/old.txt " +
                                                  d + "/old.txt", dir.path());
    CHECK(same.status == 0);
    CHECK(same.out.empty());
    CHECK(same.err.empty());
  }
  // Errors are still said.
  auto missing = gazette::io_test::run_gazette("diff -q " + d + "/old.txt " + d + "/no-such-file.txt", dir.path());
  CHECK(missing.status == 3);
  CHECK(missing.out.empty());
  CHECK(missing.err.find("no-such-file.txt") != std::string::npos);
}

TEST_CASE("diff: a changed deadline gives its old and new ISO dates in text and JSON", "[diff][cli]") {
  const std::string d = kDataDir;
  std::string out;
  CHECK(run_cli("diff --color never " + d + "/old.txt " + d + "/new.txt", &out) == 1);
  CHECK(out.find("enclosures[0]/一/（一）/deadline: 2023年[-4月30-]{+5月31+}日前  (2023-04-30 → 2023-05-31)\n") !=
        std::string::npos);
  CHECK(run_cli("diff --format json " + d + "/old.txt " + d + "/new.txt", &out) == 1);
  bool found = false;
  const Json j = Json::parse(out);
  for (const auto& c : j["notices"][0]["changes"])
    if (c["path"] == "enclosures[0]/一/（一）/deadline") {
      found = true;
      CHECK(c["old"] == "2023年4月30日前");
      CHECK(c["old_date"] == "2023-04-30");
      CHECK(c["new_date"] == "2023-05-31");
    }
  CHECK(found);
}

// --- the table of contents ------------------------------------------------------

namespace {

TocEntry toc_entry(int page, const std::string& title) {
  TocEntry t;
  t.page = page;
  t.title = title;
  return t;
}

Issue issue_with_toc(std::vector<TocEntry> toc) {
  Issue i = issue_of({});
  i.toc = std::move(toc);
  return i;
}

const std::string kTocA = "关于印发《土默特左旗地下水超采区水位下降专项整治行动方案》的通知";
const std::string kTocB = "关于印发《土默特左旗学前教育普及普惠发展三年行动计划》的通知";
const std::string kTocC = "关于加强政务信息报送工作的通知";
const std::string kTocD = "关于开展无偿献血工作的通知";

std::string describe(const std::vector<Change>& cs) {
  std::string out;
  for (const auto& c : cs) out += c.kind + " " + c.path + " [" + c.old_path + "] " + c.old_text + " → " + c.new_text + "\n";
  return out;
}

}  // namespace

TEST_CASE("diff: contents: a deleted entry is one removal, the entries after it unchanged", "[diff]") {
  Issue old_issue = issue_with_toc({toc_entry(2, kTocA), toc_entry(5, kTocB), toc_entry(11, kTocC), toc_entry(15, kTocD)});
  Issue new_issue = issue_with_toc({toc_entry(2, kTocA), toc_entry(11, kTocC), toc_entry(15, kTocD)});
  IssueDiff r = diff_issues(old_issue, new_issue);
  INFO(describe(r.issue_changes));
  REQUIRE(r.issue_changes.size() == 1);
  CHECK(r.issue_changes[0].kind == "removed");
  CHECK(r.issue_changes[0].path == "toc[1]");
  CHECK(r.issue_changes[0].old_text == "5 " + kTocB);
  CHECK(render_diff_text(r).find("    toc[1]: [-5 " + kTocB + "-]\n") != std::string::npos);

  // Added back: one addition.
  IssueDiff back = diff_issues(new_issue, old_issue);
  INFO(describe(back.issue_changes));
  REQUIRE(back.issue_changes.size() == 1);
  CHECK(back.issue_changes[0].kind == "added");
  CHECK(back.issue_changes[0].path == "toc[1]");

  // Pages shifted by the deletion are page changes, not title edits.
  new_issue.toc[1].page = 8;
  new_issue.toc[2].page = 12;
  IssueDiff shifted = diff_issues(old_issue, new_issue);
  INFO(describe(shifted.issue_changes));
  REQUIRE(shifted.issue_changes.size() == 3);
  CHECK(shifted.issue_changes[0].path == "toc[1]");
  CHECK(shifted.issue_changes[0].kind == "removed");
  CHECK(shifted.issue_changes[1].path == "toc[1]/page");
  CHECK(shifted.issue_changes[1].old_text == "11");
  CHECK(shifted.issue_changes[1].new_text == "8");
  CHECK(shifted.issue_changes[2].path == "toc[2]/page");
  CHECK(render_diff_text(shifted).find("    toc[2]/page: [-15-]{+12+}\n") != std::string::npos);

  // Width and spaces are layout; the same contents are no change.
  Issue relaid = issue_with_toc({toc_entry(2, "关于印发《土默特左旗地下水超采区水位下降专项整治行动方案》的 通知"),
                                 toc_entry(5, kTocB), toc_entry(11, kTocC), toc_entry(15, kTocD)});
  CHECK(diff_issues(old_issue, relaid).same());
}

TEST_CASE("diff: contents: a title printed twice keeps the entry on its page", "[diff]") {
  IssueDiff r = diff_issues(issue_with_toc({toc_entry(2, kTocD), toc_entry(9, kTocD)}),
                            issue_with_toc({toc_entry(9, kTocD)}));
  INFO(describe(r.issue_changes));
  REQUIRE(r.issue_changes.size() == 1);
  CHECK(r.issue_changes[0].kind == "removed");
  CHECK(r.issue_changes[0].path == "toc[0]");
  CHECK(r.issue_changes[0].old_text == "2 " + kTocD);
}

TEST_CASE("diff: contents: a renamed entry is a title edit, a swapped one is moved", "[diff]") {
  const std::string renamed = "关于开展义务献血工作的通知";
  IssueDiff r = diff_issues(issue_with_toc({toc_entry(2, kTocA), toc_entry(5, kTocD), toc_entry(11, kTocC)}),
                            issue_with_toc({toc_entry(2, kTocA), toc_entry(5, renamed), toc_entry(11, kTocC)}));
  INFO(describe(r.issue_changes));
  REQUIRE(r.issue_changes.size() == 1);
  CHECK(r.issue_changes[0].kind == "changed");
  CHECK(r.issue_changes[0].path == "toc[1]/title");
  CHECK(side(r.issue_changes[0].edits, TextEdit::Op::Insert).find("无偿") != std::string::npos);
  CHECK(side(r.issue_changes[0].edits, TextEdit::Op::Delete).find("义务") != std::string::npos);

  // Another notice in its place (titles with little in common): removed and added.
  IssueDiff other = diff_issues(issue_with_toc({toc_entry(2, kTocA), toc_entry(5, kTocB), toc_entry(11, kTocC)}),
                                issue_with_toc({toc_entry(2, kTocA), toc_entry(5, kTocD), toc_entry(11, kTocC)}));
  INFO(describe(other.issue_changes));
  REQUIRE(other.issue_changes.size() == 2);
  std::set<std::string> kinds = {other.issue_changes[0].kind, other.issue_changes[1].kind};
  CHECK(kinds == std::set<std::string>{"added", "removed"});

  IssueDiff swapped = diff_issues(issue_with_toc({toc_entry(2, kTocA), toc_entry(5, kTocB), toc_entry(11, kTocC)}),
                                  issue_with_toc({toc_entry(2, kTocB), toc_entry(8, kTocA), toc_entry(11, kTocC)}));
  INFO(describe(swapped.issue_changes));
  REQUIRE(swapped.issue_changes.size() == 2);  // one moved; the one that stays has a new page
  std::size_t moved = 0;
  for (const auto& c : swapped.issue_changes)
    if (c.kind == "moved") {
      ++moved;
      CHECK((c.old_path == "toc[0]" || c.old_path == "toc[1]"));
    } else {
      CHECK(ends_with(c.path, "/page"));
    }
  CHECK(moved == 1);
}

TEST_CASE("diff: contents: past the alignment's bound equal titles still pair in order", "[diff]") {
  // 3,000 entries, the first deleted and every page after it shifted: no common
  // head or tail, 3,000 × 2,999 cells, past the exact alignment's bound.
  std::vector<TocEntry> old_toc, new_toc;
  for (int k = 0; k < 3000; ++k) old_toc.push_back(toc_entry(2 + 3 * k, "第" + std::to_string(k) + "号通知"));
  for (int k = 1; k < 3000; ++k) new_toc.push_back(toc_entry(3 * k, "第" + std::to_string(k) + "号通知"));
  IssueDiff r = diff_issues(issue_with_toc(old_toc), issue_with_toc(new_toc));
  REQUIRE(r.issue_changes.size() == 3000);
  CHECK(r.issue_changes[0].kind == "removed");
  CHECK(r.issue_changes[0].path == "toc[0]");
  for (std::size_t k = 1; k < r.issue_changes.size(); ++k) {
    INFO(k);
    REQUIRE(r.issue_changes[k].path == "toc[" + std::to_string(k - 1) + "]/page");
  }
}

TEST_CASE("diff: contents: a deleted entry of a converted issue is one change, not again in the front matter", "[diff]") {
  const std::string text = gazette::test::read_bytes(GAZETTE_SOURCE_DIR "/samples/province-gazette-2023-05.txt");
  const std::string entry = "江西省人民政府办公厅关于调整江西省安全生产委员会组成人员的通知……………………14\n";
  auto at = text.find(entry);
  REQUIRE(at != std::string::npos);
  std::string edited = text;
  edited.erase(at, entry.size());
  Issue a = convert_text(text), b = convert_text(edited);
  REQUIRE(a.toc.size() == b.toc.size() + 1);
  IssueDiff r = diff_issues(a, b);
  INFO(render_diff_text(r));
  REQUIRE(r.issue_changes.size() == 1);
  CHECK(r.issue_changes[0].kind == "removed");
  CHECK(r.issue_changes[0].old_text.find("关于调整江西省安全生产委员会组成人员的通知") != std::string::npos);
  CHECK(r.notices.size() == a.notices.size());
  for (const auto& n : r.notices) CHECK(n.status == NoticeStatus::Unchanged);
}

// --- edited copies of the shared issue -------------------------------------

TEST_CASE("diff: shared issue: a removed notice", "[diff][shared]") {
  REQUIRE_SHARED_ISSUE(s);
  auto range = notice_lines(notice_by_docnum(s->issue, "土左政办发〔2023〕17号"));
  std::vector<std::string> edited = s->lines;
  edited.erase(edited.begin() + static_cast<long>(range.first), edited.begin() + static_cast<long>(range.second));
  IssueDiff r = diff_against_shared(*s, edited);
  const NoticeDiff* n = find_notice(r, "土左政办发〔2023〕17号");
  REQUIRE(n);
  CHECK(n->status == NoticeStatus::Removed);
  CHECK(count_status(r, NoticeStatus::Removed) == 1);
  CHECK(count_status(r, NoticeStatus::Added) == 0);
}

TEST_CASE("diff: shared issue: an added notice", "[diff][shared]") {
  REQUIRE_SHARED_ISSUE(s);
  auto range = notice_lines(notice_by_docnum(s->issue, "土左政字〔2023〕73号"));
  std::vector<std::string> block(s->lines.begin() + static_cast<long>(range.first),
                                 s->lines.begin() + static_cast<long>(range.second));
  for (auto& l : block) {
    if (l == "土左政字〔2023〕73号") l = "土左政字〔2023〕999号";
    auto at = l.find("地下水超采区水位下降专项整治行动方案");
    if (at != std::string::npos) l.replace(at, std::string("地下水超采区水位下降专项整治行动方案").size(), "节水型社会建设方案");
  }
  std::vector<std::string> edited = s->lines;
  std::size_t before = line_index(edited, "土左政字〔2023〕81号");
  // Insert before the issuer and title lines of 81号: after the last blank line ahead of them.
  auto next = notice_lines(notice_by_docnum(s->issue, "土左政字〔2023〕81号")).first;
  REQUIRE(next < before);
  block.push_back("");
  edited.insert(edited.begin() + static_cast<long>(next), block.begin(), block.end());
  IssueDiff r = diff_against_shared(*s, edited);
  const NoticeDiff* n = find_notice(r, "土左政字〔2023〕999号");
  REQUIRE(n);
  CHECK(n->status == NoticeStatus::Added);
  CHECK(n->title.find("节水型社会建设方案") != std::string::npos);
  CHECK(find_notice(r, "土左政字〔2023〕73号")->status == NoticeStatus::Unchanged);
  CHECK(find_notice(r, "土左政字〔2023〕81号")->status == NoticeStatus::Unchanged);
  CHECK(count_status(r, NoticeStatus::Added) == 1);
}

TEST_CASE("diff: shared issue: a renumbered notice", "[diff][shared]") {
  REQUIRE_SHARED_ISSUE(s);
  std::vector<std::string> edited = s->lines;
  edited[line_index(edited, "土左政字〔2023〕81号")] = "土左政字〔2023〕181号";
  IssueDiff r = diff_against_shared(*s, edited);
  const NoticeDiff* n = find_notice(r, "土左政字〔2023〕181号");
  REQUIRE(n);
  CHECK(n->status == NoticeStatus::Renumbered);
  CHECK(n->old_docnum == "土左政字〔2023〕81号");
  CHECK(n->new_docnum == "土左政字〔2023〕181号");
  CHECK(n->changes.empty());
  CHECK(count_status(r, NoticeStatus::Unchanged) + 1 == r.notices.size());
}

TEST_CASE("diff: shared issue: a changed deadline", "[diff][shared]") {
  REQUIRE_SHARED_ISSUE(s);
  std::vector<std::string> edited = s->lines;
  edited[line_index(edited, "完成时限：2023年4月30日前")] = "完成时限：2023年5月31日前";
  IssueDiff r = diff_against_shared(*s, edited);
  const NoticeDiff* n = find_notice(r, "土左政字〔2023〕73号");
  REQUIRE(n);
  CHECK(n->status == NoticeStatus::Changed);
  const Change* c = find_change(*n, "changed", "/deadline");
  REQUIRE(c);
  CHECK(c->path == "enclosures[0]/四/（一）/deadline");
  CHECK(c->old_text == "2023年4月30日前");
  CHECK(c->new_text == "2023年5月31日前");
  CHECK(c->old_date == "2023-04-30");
  CHECK(c->new_date == "2023-05-31");
  CHECK(n->changes.size() == 1);
  CHECK(count_status(r, NoticeStatus::Changed) == 1);
}

TEST_CASE("diff: shared issue: an edited paragraph", "[diff][shared]") {
  REQUIRE_SHARED_ISSUE(s);
  std::vector<std::string> edited = s->lines;
  std::size_t i = line_index(edited, "为持续加强全旗地下水超采区水位下降整治工作");
  auto at = edited[i].find("请认真按照方案要求贯彻落实");
  REQUIRE(at != std::string::npos);
  edited[i].replace(at, std::string("请认真按照方案要求贯彻落实").size(), "请认真按照方案要求抓好贯彻落实");
  IssueDiff r = diff_against_shared(*s, edited);
  const NoticeDiff* n = find_notice(r, "土左政字〔2023〕73号");
  REQUIRE(n);
  REQUIRE(n->changes.size() == 1);
  const Change& c = n->changes[0];
  CHECK(c.path == "body/paragraph[0]");
  CHECK(c.kind == "changed");
  CHECK(c.old_text.find("请认真按照方案要求贯彻落实") != std::string::npos);
  CHECK(c.new_text.find("请认真按照方案要求抓好贯彻落实") != std::string::npos);
  std::string inserted;
  for (const auto& e : c.edits)
    if (e.op == TextEdit::Op::Insert) inserted += e.text;
  CHECK(inserted == "抓好");
}

TEST_CASE("diff: shared issue: a moved item", "[diff][shared]") {
  REQUIRE_SHARED_ISSUE(s);
  std::vector<std::string> edited = s->lines;
  // 五、(四) 加强宣传引导 becomes 四、(五), after 四's last item and its responsibility block.
  std::size_t from = line_index(edited, "(四) 加强宣传引导");
  std::string line = edited[from];
  line.replace(0, std::string("(四)").size(), "(五)");
  edited.erase(edited.begin() + static_cast<long>(from));
  std::size_t to = line_index(edited, "完成时限:立行立改,长期坚持", 1) + 1;
  edited.insert(edited.begin() + static_cast<long>(to), {"", line});
  IssueDiff r = diff_against_shared(*s, edited);
  const NoticeDiff* n = find_notice(r, "土左政字〔2023〕73号");
  REQUIRE(n);
  const Change* c = find_change(*n, "moved", "enclosures[0]/四/（五）");
  REQUIRE(c);
  CHECK(c->old_path == "enclosures[0]/五/（四）");
  CHECK(n->changes.size() == 1);
  CHECK(count_status(r, NoticeStatus::Changed) == 1);
}

TEST_CASE("diff: shared issue: a re-wrapped copy comes out unchanged", "[diff][shared]") {
  REQUIRE_SHARED_ISSUE(s);
  // Layout only: long lines of 73号 and 81号 wrapped after a comma with a page
  // break (blank lines) now and then; full-width brackets and colons printed
  // half-width, and spaces put inside dates, throughout the issue.
  std::size_t wrap_end = line_index(s->lines, "土左政字〔2023〕83号");
  std::vector<std::string> edited;
  int breaks = 0;
  auto layout = [&](std::string l) {
    ++breaks;
    if (breaks % 3 == 0)
      for (auto [from, to] : {std::pair<std::string, std::string>{"（", "("}, {"）", ")"}, {"：", ":"}})
        for (std::size_t at; (at = l.find(from)) != std::string::npos;) l.replace(at, from.size(), to);
    if (breaks % 5 == 0) {
      auto at = l.find("年");
      if (at != std::string::npos && at >= 4 && std::isdigit(static_cast<unsigned char>(l[at - 1]))) l.insert(at, " ");
    }
    return l;
  };
  for (std::size_t i = 0; i < s->lines.size(); ++i) {
    const std::string& l = s->lines[i];
    if (i >= wrap_end || utf8_length(l) <= 50) {
      edited.push_back(layout(l));
      continue;
    }
    std::string cur;
    std::size_t pos = 0;
    while (pos < l.size()) {
      std::size_t len = 1;
      while (pos + len < l.size() && (static_cast<unsigned char>(l[pos + len]) & 0xC0) == 0x80) ++len;
      std::string ch = l.substr(pos, len);
      cur += ch;
      pos += len;
      if ((ch == "，" || ch == ",") && utf8_length(cur) >= 30 && pos < l.size()) {
        edited.push_back(layout(cur));
        cur.clear();
        if (breaks % 7 == 0) edited.insert(edited.end(), {"", "", "", ""});
      }
    }
    if (!cur.empty()) edited.push_back(layout(cur));
  }
  REQUIRE(edited.size() > s->lines.size() + 50);  // really re-wrapped
  IssueDiff r = diff_against_shared(*s, edited);
  INFO(render_diff_text(r));
  CHECK(r.same());
  CHECK(count_status(r, NoticeStatus::Unchanged) == s->issue.notices.size());
}

TEST_CASE("diff: next year's plan under a new 文号 is compared with this year's", "[diff]") {
  Notice a = notice("土左政办发〔2023〕37号", 37, {paragraph("全面推进政务公开。")});
  a.title = "关于印发土默特左旗2023年政务公开工作要点的通知";
  Notice b = notice("土左政办发〔2024〕12号", 12, {paragraph("全面深入推进政务公开。")});
  b.docnum.year = 2024;
  b.title = "关于印发土默特左旗2024年政务公开工作要点的通知";
  IssueDiff r = diff_issues(issue_of({a}), issue_of({b}));
  REQUIRE(r.notices.size() == 1);
  const NoticeDiff& n = r.notices[0];
  CHECK(n.status == NoticeStatus::Changed);
  CHECK(n.old_docnum == "土左政办发〔2023〕37号");
  REQUIRE(n.changes.size() == 3);
  CHECK(n.changes[0].path == "docnum");
  CHECK(n.changes[1].path == "title");
  CHECK(n.changes[2].path == "body/paragraph[0]");
}
