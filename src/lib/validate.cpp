// validate: every check reads the model only. Checks are grouped by what they
// look at; each finding's severity comes from the one table in
// validate_checks(), so a code never changes severity from one place to another.
#include "validate.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include <unicode/uchar.h>

#include "docnum.h"
#include "text.h"

namespace gazette {

const std::vector<CheckInfo>& validate_checks() {
  static const std::vector<CheckInfo> checks = {
      {"docnum.bracket", Severity::Error,
       "the notice's own 文号 prints its year in brackets other than 〔〕 ([] () （） 【】 ﹝﹞ …)"},
      {"docnum.leading-zero", Severity::Error, "the notice's own 文号 number has a leading zero (〔2023〕07号)"},
      {"docnum.di", Severity::Error, "the notice's own 文号 number is printed with 第 (〔2023〕第7号)"},
      {"series.duplicate", Severity::Error,
       "a 文号 is used by two notices, within one issue or across the issues given; on the later one"},
      {"series.order", Severity::Warning,
       "a higher number of a series (agency + year) is dated earlier than a lower number"},
      {"series.year-mismatch", Severity::Error,
       "the 文号 year differs from the 成文日期 year (a 1 January–31 January date on the previous "
       "year's number, or a December date on the next year's, is allowed)"},
      {"series.missing", Severity::Info,
       "numbers of a series missing between the lowest and the highest number in the issues given"},
      {"date.form", Severity::Warning,
       "成文日期 not in the form 2023年6月9日 (Arabic numerals, four-digit year, no zero padding); "
       "Chinese numerals are accepted for documents signed before 2012-07-01"},
      {"date.calendar", Severity::Error,
       "成文日期 names a day its month does not have (2023年2月31日); the notice gets no ISO date"},
      {"heading.skip", Severity::Warning, "a heading number skips one or more numbers at its level"},
      {"heading.repeat", Severity::Warning, "a heading number repeats the one before it at its level"},
      {"heading.backwards", Severity::Warning, "a heading number is lower than the one before it at its level"},
      {"heading.nonstandard-marker", Severity::Warning,
       "a heading marker in a form GB/T 9704-2012 does not use (一. （一）、 1、)"},
      {"attachment.not-printed", Severity::Warning, "an attachment listed in the 附件说明 is not printed"},
      {"attachment.not-listed", Severity::Warning, "an 附件 block is printed but not listed in the 附件说明"},
      {"attachment.mismatch", Severity::Warning,
       "the number or the title of a printed 附件 block does not match its 附件说明 entry"},
      {"toc.count", Severity::Error,
       "the table of contents lists a title no notice has, or a notice is missing from it"},
      {"toc.order", Severity::Error, "the table of contents lists the notices in another order than printed"},
      {"toc.title-mismatch", Severity::Error,
       "a notice's title differs from its table of contents entry (after folding width, dashes, quotes "
       "and brackets)"},
      {"title.issued-document-mismatch", Severity::Error,
       "a 印发 title names a document that is neither the one the body issues nor the one printed after it"},
      {"title.issued-document-variant", Severity::Warning,
       "a 印发 title matches the document the body issues or the one printed after it, but not both"},
      {"title.duplicate", Severity::Warning, "two notices of one issue have the same title; on the later one"},
      {"reference.bracket", Severity::Warning, "a cited 文号 prints its year in brackets other than 〔〕"},
  };
  return checks;
}

namespace {

Severity severity_of(const std::string& code) {
  for (const auto& c : validate_checks())
    if (code == c.code) return c.severity;
  return Severity::Error;  // unreachable for the codes used below
}

/// Collects findings; the severity always comes from the table.
class FindingSink {
 public:
  explicit FindingSink(std::vector<Finding>* out) : out_(out) {}
  void add(const std::string& code, const std::string& file, int line, const std::string& docnum,
           std::string message) {
    out_->push_back(Finding{code, severity_of(code), file, line, docnum, std::move(message)});
  }

 private:
  std::vector<Finding>* out_;
};

const char* const kStandardOpen = "〔";
const char* const kStandardClose = "〕";

std::string where(const std::string& file, int line) { return file + ":" + std::to_string(line); }

/// The 文号 as the findings name it: its canonical form (土左政字〔2023〕73号
/// for 土左政字[2023]73号), the key by which the output names the notice.
std::string docnum_name(const DocNumber& d) { return remove_spaces(d.text); }

/// The 文号 as printed, without padding spaces: what the form checks are about.
std::string printed_name(const DocNumber& d) { return remove_spaces(d.printed.empty() ? d.text : d.printed); }

/// 明电 and 函 series have their own numbering habits; GB/T 9704's 文号 form is not asked of them.
bool exempt_from_form(const DocNumber& d) {
  if (d.form != "standard") return true;  // order numbers, 公告 numbers
  std::string agency = remove_spaces(d.agency);
  if (agency.find("明电") != std::string::npos) return true;
  return agency.size() >= 3 && agency.compare(agency.size() - 3, 3, "函") == 0;
}

bool is_space_char(UChar32 c) { return u_isUWhiteSpace(c) || c == 0x3000; }

}  // namespace

std::string fold_title(const std::string& printed) {
  icu::UnicodeString view = make_match_view(printed).view;
  icu::UnicodeString out;
  for (int32_t i = 0; i < view.length();) {
    UChar32 c = view.char32At(i);
    i += U16_LENGTH(c);
    if (is_space_char(c)) continue;
    switch (c) {
      case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
      case 0x2212: case 0x2500: case 0x2501: case 0xFE58: case 0x301C: case 0xFF5E: case '~':
        out.append(UChar32('-'));
        break;
      case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2018: case 0x2019: case 0x300C:
      case 0x300D: case 0x300E: case 0x300F: case 0x2033: case '\'':
        out.append(UChar32('"'));
        break;
      case 0x3014: case 0x3010: case 0x3016: case 0x3018: case 0x301A: case '[': case '{':
        out.append(UChar32('('));
        break;
      case 0x3015: case 0x3011: case 0x3017: case 0x3019: case 0x301B: case ']': case '}':
        out.append(UChar32(')'));
        break;
      case 0x300A: case 0x300B: case 0x3008: case 0x3009: case '<': case '>':
        break;  // 《》〈〉: a title with or without book-title marks is the same title
      default:
        out.append(c);
    }
  }
  return to_utf8(out);
}

namespace {

/// Two folded titles name the same document: equal, or one holds the other and
/// is most of it (“乐享五一约你来嗨”X方案 and X方案), so that a short word such as
/// 方案 never matches everything.
bool same_document(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return false;
  if (a == b) return true;
  const std::string& shorter = a.size() < b.size() ? a : b;
  const std::string& longer = a.size() < b.size() ? b : a;
  if (longer.find(shorter) == std::string::npos) return false;
  return utf8_length(shorter) * 10 >= utf8_length(longer) * 6;
}

/// One folded title holds the other: a printed 附件 heading may add to the
/// listed title (×××（单位）重点工作信息清单 for 重点工作信息清单).
bool title_holds(const std::string& a, const std::string& b) {
  return a.find(b) != std::string::npos || b.find(a) != std::string::npos;
}

// ---------------------------------------------------------------------------
// 文号 form and cited 文号

void check_docnum_form(const Issue& issue, const Notice& n, FindingSink& sink) {
  const DocNumber& d = n.docnum;
  if (d.text.empty() || exempt_from_form(d)) return;
  std::string name = docnum_name(d), printed = printed_name(d);
  if (d.open_bracket != kStandardOpen || d.close_bracket != kStandardClose)
    sink.add("docnum.bracket", issue.source_file, d.line, name,
             "文号 " + printed + " prints its year in " + d.open_bracket + "…" + d.close_bracket +
                 "; GB/T 9704-2012 §7.2.5 asks for 〔…〕");
  if (d.leading_zero)
    sink.add("docnum.leading-zero", issue.source_file, d.line, name,
             "文号 " + printed + " has a leading zero in its number");
  if (d.has_di)
    sink.add("docnum.di", issue.source_file, d.line, name, "文号 " + printed + " prints its number with 第");
}

void check_reference_brackets(const Issue& issue, const Notice& n, FindingSink& sink) {
  for (const DocNumber& r : n.references) {
    if (r.form != "standard" || r.open_bracket.empty()) continue;
    if (r.open_bracket == kStandardOpen && r.close_bracket == kStandardClose) continue;
    sink.add("reference.bracket", issue.source_file, r.line, docnum_name(n.docnum),
             "cited 文号 " + printed_name(r) + " prints its year in " + r.open_bracket + "…" +
                 r.close_bracket + " instead of 〔…〕");
  }
}

// ---------------------------------------------------------------------------
// 成文日期

/// Splits 2023年6月9日 into its three numerals as printed; nullopt when the
/// text is not of that shape.
std::optional<std::tuple<std::string, std::string, std::string>> split_date(const std::string& folded) {
  auto y = folded.find("年");
  if (y == std::string::npos) return std::nullopt;
  auto m = folded.find("月", y);
  if (m == std::string::npos) return std::nullopt;
  auto d = folded.find("日", m);
  if (d == std::string::npos || d + std::string("日").size() != folded.size()) return std::nullopt;
  std::size_t yl = std::string("年").size();
  return std::make_tuple(folded.substr(0, y), folded.substr(y + yl, m - y - yl), folded.substr(m + yl, d - m - yl));
}

bool all_ascii_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// A year printed in Chinese digits (二〇一一) as a number.
std::optional<int> chinese_digit_year(const std::string& s) {
  static const std::vector<std::string> digits = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  int value = 0, count = 0;
  for (std::size_t i = 0; i < s.size();) {
    bool found = false;
    for (int k = 0; k < 10 && !found; ++k)
      if (s.compare(i, digits[k].size(), digits[k]) == 0) {
        value = value * 10 + k;
        i += digits[k].size();
        found = true;
      } else if (k == 0 && s.compare(i, std::string("零").size(), "零") == 0) {
        value = value * 10;
        i += std::string("零").size();
        found = true;
      }
    if (!found) return std::nullopt;
    ++count;
  }
  if (count != 4) return std::nullopt;
  return value;
}

void check_date_form(const Issue& issue, const Notice& n, FindingSink& sink) {
  if (n.date_text.empty()) return;
  std::string folded = remove_spaces(to_utf8(make_match_view(n.date_text).view));
  std::string name = docnum_name(n.docnum);
  int line = n.date_line ? n.date_line : n.docnum.line;
  auto parts = split_date(folded);
  if (!parts) {
    sink.add("date.form", issue.source_file, line, name,
             "成文日期 " + n.date_text + " is not a date of the form 2023年6月9日");
    return;
  }
  const auto& [y, m, d] = *parts;
  if (!n.date) {
    sink.add("date.calendar", issue.source_file, line, name,
             "成文日期 " + n.date_text + " is not a day of the calendar");
    return;
  }
  if (all_ascii_digits(y) && all_ascii_digits(m) && all_ascii_digits(d)) {
    if (y.size() != 4)
      sink.add("date.form", issue.source_file, line, name,
               "成文日期 " + n.date_text + " does not print the full year");
    else if (m[0] == '0' || d[0] == '0')
      sink.add("date.form", issue.source_file, line, name,
               "成文日期 " + n.date_text + " pads the month or day with a zero; GB/T 9704-2012 writes 2023年6月9日");
    return;
  }
  std::optional<int> year = chinese_digit_year(y);
  bool before_standard = n.date ? *n.date < "2012-07-01" : (year && *year < 2012);
  if (year && before_standard) return;  // Chinese numerals were the rule before GB/T 9704-2012
  sink.add("date.form", issue.source_file, line, name,
           "成文日期 " + n.date_text +
               " is not in Arabic numerals; documents signed after 2012-07-01 write 2023年6月9日");
}

// ---------------------------------------------------------------------------
// Headings

/// （一）、: the grammar reads （一） as a standard marker and leaves the 、 at the
/// start of the item's text, so the form is recognized here as well.
bool followed_by_comma(const Node& node) {
  static const std::string comma = "、";
  bool marker_has_comma = node.marker.size() >= comma.size() &&
                          node.marker.compare(node.marker.size() - comma.size(), comma.size(), comma) == 0;
  if (node.marker.empty() || marker_has_comma) return false;
  std::string rest = trim(node.title.empty() ? node.text : node.title);
  return rest.compare(0, comma.size(), comma) == 0;
}

/// The last number seen at each level in one document body, so that numbering
/// that runs on across parents (1.–4. under （一）, 5. under （二）) is normal.
using LastSeen = std::map<int, int>;

class HeadingChecker {
 public:
  HeadingChecker(const Issue& issue, const Notice& n, FindingSink& sink)
      : file_(issue.source_file), docnum_(docnum_name(n.docnum)), sink_(sink) {}

  void check_body(const std::vector<Node>& body) {
    LastSeen last;
    check_siblings(body, last);
  }

 private:
  void check_siblings(const std::vector<Node>& nodes, LastSeen& last) {
    std::map<int, const Node*> previous;  // previous item of each level among these siblings
    std::set<int> unnumbered_since;       // levels with an unnumbered paragraph since their last item
    for (const Node& node : nodes) {
      if (node.marker.empty()) {
        for (auto& [level, item] : previous) unnumbered_since.insert(level);
        check_siblings(node.children, last);
        continue;
      }
      if (!node.standard_marker || followed_by_comma(node))
        sink_.add("heading.nonstandard-marker", file_, node.line, docnum_,
                  "marker " + node.marker + (followed_by_comma(node) ? "、" : "") +
                      " is not a GB/T 9704-2012 form (一、 （一） 1. （1）)");
      check_number(node, previous[node.level], unnumbered_since.count(node.level) > 0, last);
      previous[node.level] = &node;
      unnumbered_since.erase(node.level);
      last[node.level] = node.number;
      check_siblings(node.children, last);
      // A list that restarts at 1 after an unnumbered sub-heading is a new list;
      // the tree keeps such a sub-heading as the last child of the item before.
      if (!node.children.empty() && node.children.back().marker.empty()) unnumbered_since.insert(node.level);
    }
  }

  void check_number(const Node& node, const Node* before, bool unnumbered_between, const LastSeen& last) {
    int n = node.number;
    if (!before) {
      auto it = last.find(node.level);
      bool runs_on = it != last.end() && n == it->second + 1;
      if (n == 1 || runs_on) return;
      if (it == last.end() || n > it->second + 1)
        sink_.add("heading.skip", file_, node.line, docnum_,
                  node.marker + " is the first heading of its level here" +
                      (it == last.end() ? std::string("; numbering should start at 1")
                                        : "; the last one was " + std::to_string(it->second)));
      else
        sink_.add(n == it->second ? "heading.repeat" : "heading.backwards", file_, node.line, docnum_,
                  node.marker + " follows number " + std::to_string(it->second) + " of its level");
      return;
    }
    int p = before->number;
    std::string after = node.marker + " after " + before->marker + " (line " + std::to_string(before->line) + ")";
    if (n == p + 1) return;
    if (n == 1 && unnumbered_between) return;
    if (n == p)
      sink_.add("heading.repeat", file_, node.line, docnum_, after + ": the number repeats");
    else if (n > p + 1)
      sink_.add("heading.skip", file_, node.line, docnum_,
                after + ": " + std::to_string(n - p - 1) + " number(s) skipped");
    else
      sink_.add("heading.backwards", file_, node.line, docnum_, after + ": the number goes backwards");
  }

  std::string file_;
  std::string docnum_;
  FindingSink& sink_;
};

void check_headings(const Issue& issue, const Notice& n, FindingSink& sink) {
  HeadingChecker checker(issue, n, sink);
  checker.check_body(n.body);
  for (const Enclosure& e : n.enclosures) checker.check_body(e.body);
}

// ---------------------------------------------------------------------------
// 附件

std::string attachment_name(const Attachment& a) {
  return a.number ? "附件" + std::to_string(*a.number) : std::string("附件");
}

void check_attachments(const Issue& issue, const Notice& n, FindingSink& sink) {
  std::vector<const Attachment*> listed;
  for (const Attachment& a : n.attachments) listed.push_back(&a);
  for (const Enclosure& e : n.enclosures)
    for (const Attachment& a : e.attachments) listed.push_back(&a);
  std::vector<const Enclosure*> printed;
  for (const Enclosure& e : n.enclosures)
    if (e.label) printed.push_back(&e);

  std::vector<std::pair<const Attachment*, const Enclosure*>> pairs;
  std::vector<bool> listed_used(listed.size()), printed_used(printed.size());
  auto pair_up = [&](auto&& fits) {
    for (std::size_t i = 0; i < listed.size(); ++i) {
      if (listed_used[i]) continue;
      for (std::size_t k = 0; k < printed.size(); ++k) {
        if (printed_used[k] || !fits(*listed[i], *printed[k])) continue;
        listed_used[i] = printed_used[k] = true;
        pairs.emplace_back(listed[i], printed[k]);
        break;
      }
    }
  };
  pair_up([](const Attachment& a, const Enclosure& e) { return a.number && e.number && *a.number == *e.number; });
  pair_up([](const Attachment& a, const Enclosure& e) {
    return same_document(fold_title(a.title), fold_title(e.title));
  });
  // A single 附件 listed and a single one printed are the same, whatever their titles.
  if (std::count(listed_used.begin(), listed_used.end(), false) == 1 &&
      std::count(printed_used.begin(), printed_used.end(), false) == 1)
    pair_up([](const Attachment& a, const Enclosure& e) { return !a.number || !e.number; });

  std::string name = docnum_name(n.docnum);
  for (const auto& [a, e] : pairs) {
    if (a->number && e->number && *a->number != *e->number)
      sink.add("attachment.mismatch", issue.source_file, e->line, name,
               "附件" + std::to_string(*e->number) + " block is listed as " + attachment_name(*a) + " (line " +
                   std::to_string(a->line) + ")");
    if (!a->title.empty() && !e->title.empty() && !title_holds(fold_title(a->title), fold_title(e->title)))
      sink.add("attachment.mismatch", issue.source_file, e->line, name,
               attachment_name(*a) + " is listed as “" + a->title + "” (line " + std::to_string(a->line) +
                   ") but printed as “" + e->title + "”");
  }
  for (std::size_t i = 0; i < listed.size(); ++i)
    if (!listed_used[i])
      sink.add("attachment.not-printed", issue.source_file, listed[i]->line, name,
               attachment_name(*listed[i]) + " “" + listed[i]->title + "” is listed but not printed");
  for (std::size_t k = 0; k < printed.size(); ++k)
    if (!printed_used[k])
      sink.add("attachment.not-listed", issue.source_file, printed[k]->line, name,
               *printed[k]->label + " block “" + printed[k]->title + "” is not listed in the 附件说明");
}

// ---------------------------------------------------------------------------
// Titles

/// Names in 《…》 at the outermost level of `s` (nested 〈〉 stay inside).
struct BookTitle {
  std::string name;
  std::size_t begin;  // byte offset of 《
};

std::vector<BookTitle> book_titles(const std::string& s, std::size_t end = std::string::npos) {
  static const std::string open = "《", close = "》";
  std::vector<BookTitle> out;
  int depth = 0;
  std::size_t start = 0;
  end = std::min(end, s.size());
  for (std::size_t i = 0; i < end;) {
    if (s.compare(i, open.size(), open) == 0) {
      if (depth++ == 0) start = i;
      i += open.size();
    } else if (s.compare(i, close.size(), close) == 0) {
      if (depth > 0 && --depth == 0)
        out.push_back({s.substr(start + open.size(), i - start - open.size()), start});
      i += close.size();
    } else {
      ++i;
    }
  }
  return out;
}

/// Byte offset of `word` in `s` outside 《…》, or npos.
std::size_t find_outside_book_titles(const std::string& s, const std::string& word) {
  int depth = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.compare(i, 3, "《") == 0) ++depth;
    else if (s.compare(i, 3, "》") == 0 && depth > 0) --depth;
    else if (depth == 0 && s.compare(i, word.size(), word) == 0) return i;
  }
  return std::string::npos;
}

/// The document a 印发 title issues: its first 《…》, or the words between 印发
/// and 的通知 when the title has no book-title marks.
std::optional<std::string> document_in_title(const std::string& title) {
  std::string t = remove_spaces(title);
  std::size_t at = find_outside_book_titles(t, "印发");
  if (at == std::string::npos) return std::nullopt;
  std::string rest = t.substr(at + std::string("印发").size());
  auto names = book_titles(rest);
  if (!names.empty()) return names.front().name;
  for (const char* tail : {"的通知", "通知"}) {
    std::string suffix = tail;
    if (rest.size() > suffix.size() && rest.compare(rest.size() - suffix.size(), suffix.size(), suffix) == 0)
      return rest.substr(0, rest.size() - suffix.size());
  }
  return std::nullopt;
}

void collect_texts(const std::vector<Node>& nodes, std::vector<std::string>* out) {
  for (const Node& n : nodes) {
    out->push_back(remove_spaces(n.title + n.text));
    collect_texts(n.children, out);
  }
}

/// The documents the notice's own text says it issues: in a sentence that
/// says 印发 (outside 《》), the names after 现将, or else the last name before 印发.
std::vector<std::string> documents_issued_by_body(const Notice& n) {
  std::vector<std::string> texts, names;
  collect_texts(n.body, &texts);
  for (const std::string& text : texts) {
    std::size_t sentence_start = 0;
    while (sentence_start < text.size()) {
      std::size_t stop = text.find("。", sentence_start);
      std::string sentence = text.substr(sentence_start, stop == std::string::npos ? std::string::npos
                                                                                    : stop - sentence_start);
      sentence_start = stop == std::string::npos ? text.size() : stop + std::string("。").size();
      std::size_t issue_at = find_outside_book_titles(sentence, "印发");
      if (issue_at == std::string::npos) continue;
      auto before = book_titles(sentence, issue_at);
      if (before.empty()) continue;
      std::size_t now_at = find_outside_book_titles(sentence, "现将");
      if (now_at != std::string::npos && now_at < issue_at) {
        for (const BookTitle& b : before)
          if (b.begin > now_at) names.push_back(b.name);
      } else {
        names.push_back(before.back().name);
      }
    }
  }
  return names;
}

void check_issued_document(const Issue& issue, const Notice& n, FindingSink& sink) {
  auto named = document_in_title(n.title);
  if (!named || named->empty()) return;
  std::string title_key = fold_title(*named);
  std::vector<std::string> body_names = documents_issued_by_body(n);
  const Enclosure* issued = nullptr;
  for (const Enclosure& e : n.enclosures)
    if (!e.label && !remove_spaces(e.title).empty()) {
      issued = &e;
      break;
    }
  bool body_matches = std::any_of(body_names.begin(), body_names.end(),
                                  [&](const std::string& b) { return same_document(title_key, fold_title(b)); });
  bool enclosure_matches = issued && same_document(title_key, fold_title(issued->title));
  if (body_names.empty() && !issued) return;

  std::string body_says = body_names.empty() ? "" : "the body issues 《" + body_names.front() + "》";
  std::string follows = issued ? "the document printed after it (line " + std::to_string(issued->line) +
                                     ") is headed “" + remove_spaces(issued->title) + "”"
                               : "";
  std::string name = docnum_name(n.docnum);
  int line = n.title_line ? n.title_line : n.docnum.line;
  if (!body_matches && !enclosure_matches) {
    std::string evidence = body_says.empty() ? follows : follows.empty() ? body_says : body_says + " and " + follows;
    sink.add("title.issued-document-mismatch", issue.source_file, line, name,
             "the title issues 《" + *named + "》, but " + evidence);
  } else if (!body_names.empty() && issued && body_matches != enclosure_matches) {
    sink.add("title.issued-document-variant", issue.source_file, line, name,
             "the title issues 《" + *named + "》, which " + (body_matches ? body_says : follows) +
                 " does not match");
  }
}

void check_duplicate_titles(const Issue& issue, FindingSink& sink) {
  std::map<std::string, const Notice*> first_with;
  for (const Notice& n : issue.notices) {
    std::string key = fold_title(n.title);
    if (key.empty()) continue;
    auto [it, inserted] = first_with.emplace(key, &n);
    if (inserted) continue;
    const Notice& earlier = *it->second;
    sink.add("title.duplicate", issue.source_file, n.title_line ? n.title_line : n.docnum.line,
             docnum_name(n.docnum),
             "the title repeats that of " + docnum_name(earlier.docnum) + " (line " +
                 std::to_string(earlier.title_line) + "): " + remove_spaces(n.title));
  }
}

// ---------------------------------------------------------------------------
// Table of contents

void check_toc(const Issue& issue, FindingSink& sink) {
  if (issue.toc.empty() || issue.notices.empty()) return;
  const auto& toc = issue.toc;
  const auto& notices = issue.notices;
  std::vector<std::string> toc_keys, notice_keys;
  for (const TocEntry& t : toc) toc_keys.push_back(fold_title(t.title));
  for (const Notice& n : notices) notice_keys.push_back(fold_title(n.title));

  // Entries pair with notices of the same title, first unused first.
  std::vector<int> toc_of(notices.size(), -1);
  std::vector<bool> toc_used(toc.size());
  for (std::size_t i = 0; i < notices.size(); ++i)
    for (std::size_t k = 0; k < toc.size(); ++k)
      if (!toc_used[k] && toc_keys[k] == notice_keys[i]) {
        toc_used[k] = true;
        toc_of[i] = static_cast<int>(k);
        break;
      }

  // Order: the notices that stay in a longest run of increasing entries are in
  // place; the others are reported.
  std::vector<std::size_t> matched;
  for (std::size_t i = 0; i < notices.size(); ++i)
    if (toc_of[i] >= 0) matched.push_back(i);
  std::vector<int> run(matched.size(), 1), prev(matched.size(), -1);
  int best = -1;
  for (std::size_t a = 0; a < matched.size(); ++a) {
    for (std::size_t b = 0; b < a; ++b)
      if (toc_of[matched[b]] < toc_of[matched[a]] && run[b] + 1 > run[a]) {
        run[a] = run[b] + 1;
        prev[a] = static_cast<int>(b);
      }
    if (best < 0 || run[a] > run[best]) best = static_cast<int>(a);
  }
  std::set<std::size_t> in_order;
  for (int a = best; a >= 0; a = prev[a]) in_order.insert(matched[a]);
  for (std::size_t i : matched)
    if (!in_order.count(i)) {
      const Notice& n = notices[i];
      sink.add("toc.order", issue.source_file, n.title_line ? n.title_line : n.docnum.line, docnum_name(n.docnum),
               "the table of contents lists this notice at line " + std::to_string(toc[toc_of[i]].line) +
                   ", out of the order the notices are printed in");
    }

  std::vector<std::size_t> lone_notices, lone_entries;
  for (std::size_t i = 0; i < notices.size(); ++i)
    if (toc_of[i] < 0) lone_notices.push_back(i);
  for (std::size_t k = 0; k < toc.size(); ++k)
    if (!toc_used[k]) lone_entries.push_back(k);

  if (toc.size() == notices.size()) {
    // As many entries as notices: the unmatched ones are the same notices, titled differently.
    for (std::size_t j = 0; j < lone_notices.size() && j < lone_entries.size(); ++j) {
      const Notice& n = notices[lone_notices[j]];
      const TocEntry& t = toc[lone_entries[j]];
      sink.add("toc.title-mismatch", issue.source_file, n.title_line ? n.title_line : n.docnum.line,
               docnum_name(n.docnum),
               "the title “" + remove_spaces(n.title) + "” differs from the table of contents entry “" +
                   remove_spaces(t.title) + "” (line " + std::to_string(t.line) + ")");
    }
    return;
  }
  sink.add("toc.count", issue.source_file, toc.front().line, "",
           "the table of contents lists " + std::to_string(toc.size()) + " title(s); the issue prints " +
               std::to_string(notices.size()) + " notice(s)");
  for (std::size_t i : lone_notices) {
    const Notice& n = notices[i];
    sink.add("toc.count", issue.source_file, n.title_line ? n.title_line : n.docnum.line, docnum_name(n.docnum),
             "the notice “" + remove_spaces(n.title) + "” is not in the table of contents");
  }
  for (std::size_t k : lone_entries)
    sink.add("toc.count", issue.source_file, toc[k].line, "",
             "no notice in the issue has the table of contents title “" + remove_spaces(toc[k].title) + "”");
}

// ---------------------------------------------------------------------------
// 文号 series, across every issue given

struct SeriesMember {
  const Issue* issue;
  const Notice* notice;
};

std::string range_text(int first, int last) {
  return first == last ? std::to_string(first) : std::to_string(first) + "–" + std::to_string(last);
}

void check_year(const Issue& issue, const Notice& n, FindingSink& sink) {
  const DocNumber& d = n.docnum;
  if (!d.year || !n.date || n.date->size() < 7) return;
  int year = std::stoi(n.date->substr(0, 4));
  int month = std::stoi(n.date->substr(5, 2));
  if (year == *d.year) return;
  // A number taken in December and signed in January, or the reverse.
  if ((year == *d.year + 1 && month == 1) || (year + 1 == *d.year && month == 12)) return;
  sink.add("series.year-mismatch", issue.source_file, d.line, docnum_name(d),
           "文号 year " + std::to_string(*d.year) + " differs from the 成文日期 " + n.date_text + " (line " +
               std::to_string(n.date_line) + ")");
}

void check_series(const std::vector<const Issue*>& issues, FindingSink& sink) {
  std::map<std::pair<std::string, int>, std::vector<SeriesMember>> series;
  for (const Issue* issue : issues)
    for (const Notice& n : issue->notices) {
      const DocNumber& d = n.docnum;
      if (d.form != "standard" || !d.year || !d.seq) continue;
      series[{canonical_agency(d.agency), *d.year}].push_back({issue, &n});
    }
  for (auto& [key, members] : series) {
    const auto& [agency, year] = key;
    // Duplicates: members are in input order, so the later one is reported.
    std::map<int, const SeriesMember*> first_with;
    for (const SeriesMember& m : members) {
      auto [it, inserted] = first_with.emplace(*m.notice->docnum.seq, &m);
      if (inserted) continue;
      const SeriesMember& earlier = *it->second;
      sink.add("series.duplicate", m.issue->source_file, m.notice->docnum.line, docnum_name(m.notice->docnum),
               "文号 " + docnum_name(m.notice->docnum) + " is also used by “" + remove_spaces(earlier.notice->title) +
                   "” at " + where(earlier.issue->source_file, earlier.notice->docnum.line));
    }
    // Order: a number dated earlier than the latest-dated lower number.
    std::vector<const SeriesMember*> by_seq;
    for (const SeriesMember& m : members) by_seq.push_back(&m);
    std::stable_sort(by_seq.begin(), by_seq.end(), [](const SeriesMember* a, const SeriesMember* b) {
      return *a->notice->docnum.seq < *b->notice->docnum.seq;
    });
    const SeriesMember* latest_lower = nullptr;
    for (std::size_t i = 0; i < by_seq.size();) {
      std::size_t j = i;
      int seq = *by_seq[i]->notice->docnum.seq;
      for (; j < by_seq.size() && *by_seq[j]->notice->docnum.seq == seq; ++j) {
        const Notice& n = *by_seq[j]->notice;
        if (latest_lower && n.date && *n.date < *latest_lower->notice->date)
          sink.add("series.order", by_seq[j]->issue->source_file, n.docnum.line, docnum_name(n.docnum),
                   docnum_name(n.docnum) + " is dated " + *n.date + ", before the lower number " +
                       docnum_name(latest_lower->notice->docnum) + " dated " + *latest_lower->notice->date +
                       " (" + where(latest_lower->issue->source_file, latest_lower->notice->docnum.line) + ")");
      }
      for (std::size_t k = i; k < j; ++k)
        if (by_seq[k]->notice->date && (!latest_lower || *by_seq[k]->notice->date > *latest_lower->notice->date))
          latest_lower = by_seq[k];
      i = j;
    }
    // Missing numbers between the lowest and the highest, at the notice after each gap.
    for (std::size_t i = 1; i < by_seq.size(); ++i) {
      int low = *by_seq[i - 1]->notice->docnum.seq, high = *by_seq[i]->notice->docnum.seq;
      if (high - low < 2) continue;
      sink.add("series.missing", by_seq[i]->issue->source_file, by_seq[i]->notice->docnum.line, "",
               agency + " " + std::to_string(year) + ": " + range_text(low + 1, high - 1) + " not in these issues");
    }
  }
}

}  // namespace

std::vector<Finding> validate_issues(const std::vector<const Issue*>& issues) {
  std::vector<Finding> findings;
  FindingSink sink(&findings);
  for (const Issue* issue : issues) {
    for (const Notice& n : issue->notices) {
      check_docnum_form(*issue, n, sink);
      check_reference_brackets(*issue, n, sink);
      check_year(*issue, n, sink);
      check_date_form(*issue, n, sink);
      check_headings(*issue, n, sink);
      check_attachments(*issue, n, sink);
      check_issued_document(*issue, n, sink);
    }
    check_duplicate_titles(*issue, sink);
    check_toc(*issue, sink);
  }
  check_series(issues, sink);
  std::sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.file, a.line, a.code, a.docnum, a.message) < std::tie(b.file, b.line, b.code, b.docnum, b.message);
  });
  return findings;
}

}  // namespace gazette
