#include "tree_builder.h"

#include <algorithm>

#include "fields.h"
#include "splitter.h"

namespace gazette {
namespace {

/// A run-in heading is at most this long (code points up to its 。).
constexpr std::size_t kMaxRunInTitle = 40;
/// An unnumbered line this long or longer is prose, not a heading.
constexpr std::size_t kProseLine = 15;
/// A next line whose first clause is this short continues a cut sentence.
constexpr std::size_t kShortClause = 8;
/// Roster title continuation lines are short.
constexpr std::size_t kMaxTitleContinuation = 24;

bool has_any(const std::string& s, std::initializer_list<const char*> marks) {
  for (const char* p : marks)
    if (s.find(p) != std::string::npos) return true;
  return false;
}


bool ends_mid_sentence(const std::string& s) {
  char32_t c = last_char(s);
  return c == U'，' || c == U'、' || c == U',' || c == U'（' || c == U'(' || c == U'《' || c == U'“';
}

}  // namespace

bool page_break_between(const std::vector<LineInfo>& lines, int a, int b) {
  if (b <= a) return true;  // out of input order: a repaired fragment
  if (lines[static_cast<std::size_t>(b)].page_break) return true;
  if (b != a + 1) {
    int blanks = 0;
    for (int i = a + 1; i < b; ++i) {
      const LineInfo& li = lines[static_cast<std::size_t>(i)];
      if (li.kind != LineKind::Blank || li.page_break) return true;  // not neighbours, or a page ends between
      blanks += li.last - li.number + 1;  // a run of blank lines is one record
    }
    return blanks >= 2;
  }
  return false;
}

bool continues(const LineInfo& prev, const std::string& prev_text, const LineInfo& next, bool page_break) {
  return continues(prev, prev_text, scan_punct(prev_text), next, page_break);
}

bool continues(const LineInfo& prev, const std::string& prev_text, const Punct& before, const LineInfo& next,
               bool page_break) {
  if (next.kind != LineKind::Text) return false;
  // Its indent starts a paragraph (on the same page: over a page break the
  // reading order may have put a fragment between a sentence and its rest).
  if (next.para_start && !page_break && !(prev.kind == LineKind::Marker && trim_view(prev_text).empty())) return false;
  if (prev.kind != LineKind::Text && prev.kind != LineKind::Marker) return false;
  // Its last printed line ran to the print width at a page end: the
  // paragraph goes on on the next page (even after a 。 that ends the line;
  // not after a closing parenthesis, which closes an item's responsibility
  // or a citation at the end of its paragraph).
  if (page_break && prev.runs_on) {
    char32_t c = last_char(prev_text);
    if (c != U'）' && c != U')') return true;
  }
  if (ends_terminated(prev_text)) return false;
  if (ends_mid_sentence(prev_text)) return true;
  std::size_t clause = next.punct.first_clause;
  bool next_has_punct = next.punct.clause;
  if (prev.kind == LineKind::Marker) {
    // A marker alone on its line (wrapped off the line before) numbers the
    // text that follows it.
    if (trim_view(prev_text).empty()) return true;
    // A numbered heading never swallows the paragraph under it (an indented
    // one least of all); a numbered sentence cut by a break goes on.
    if (before.period) return true;
    // In hard-wrapped text a heading line that stops short of the print
    // width ended there, page break or not.
    if (prev.wrapped && !prev.runs_on) return false;
    if (next_has_punct && clause <= kShortClause && page_break && !next.para_start) return true;
    return false;
  }
  // Unnumbered text.
  if (before.sentence) return true;
  if (next_has_punct && clause <= kShortClause) return true;
  if (before.length >= kProseLine && next_has_punct && next.punct.length >= 20) return true;
  return false;
}

namespace {

/// Builds nodes in an arena so that the node a responsibility block closes can
/// be found again after later nodes were added.
class Builder {
 public:
  Builder(const BuildContext& ctx, std::vector<Attachment>* attachments) : ctx_(ctx), attachments_(attachments) {}

  void run(const std::vector<int>& zone) {
    zone_ = &zone;
    // At most a node per line and one glued item: no reallocation moves nodes.
    arena_.reserve(zone.size() + 1);
    kids_.reserve(zone.size() + 1);
    std::size_t p = 0;
    while (p < zone.size()) p = step(p);
    if (pending_) take_glued_item(p);
  }

  std::vector<Node> take() {
    std::vector<Node> out(roots_.size());
    for (std::size_t k = 0; k < roots_.size(); ++k) materialize(roots_[k], &out[k]);
    return out;
  }

 private:
  const LineInfo& at(std::size_t p) const { return ctx_.lines[static_cast<std::size_t>((*zone_)[p])]; }
  int index(std::size_t p) const { return (*zone_)[p]; }

  int add(Node&& n, bool under_open_item) {
    int id = static_cast<int>(arena_.size());
    arena_.push_back(std::move(n));
    kids_.emplace_back();
    if (under_open_item && !stack_.empty()) kids_[static_cast<std::size_t>(stack_.back().first)].push_back(id);
    else roots_.push_back(id);
    last_ = id;
    return id;
  }

  /// Moves node `id` and its descendants out of the arena into `*to`, each
  /// node once (each is taken once).
  void materialize(int id, Node* to) {
    *to = std::move(arena_[static_cast<std::size_t>(id)]);
    const std::vector<int>& kids = kids_[static_cast<std::size_t>(id)];
    to->children.resize(kids.size());
    for (std::size_t k = 0; k < kids.size(); ++k) materialize(kids[k], &to->children[k]);
  }

  void add_span(Node& n, int first, int last) {
    if (!n.spans.empty() && n.spans.back().last + 1 >= first) n.spans.back().last = std::max(n.spans.back().last, last);
    else n.spans.push_back({first, last});
  }
  void add_span(Node& n, int line_no) { add_span(n, line_no, line_no); }
  /// The printed lines of a line record (several when reflow joined them).
  void add_span(Node& n, const LineInfo& li) { add_span(n, li.number, li.last); }

  /// Joins the lines that continue the one at p; returns one past the last.
  /// A marker glued to the end of the last line is cut off and left pending
  /// for the item it starts.
  std::size_t take_block(std::size_t p, std::string* text, Node* n, bool as_content = false) {
    const LineInfo& first = at(p);
    *text = (first.kind == LineKind::Marker && !as_content) ? first.rest : first.text;
    add_span(*n, first);
    std::size_t q = p + 1;
    const LineInfo* last = &first;
    // The punctuation of the text so far, kept as lines join (not re-read).
    // (A marker line's record holds the punctuation of its rest.)
    Punct so_far = (first.kind == LineKind::Marker && as_content) ? scan_punct(*text) : first.punct;
    while (q < zone_->size() && last->detail().glued_marker.empty()) {
      const LineInfo& next = at(q);
      bool pb = page_break_between(ctx_.lines, index(q - 1), index(q));
      if (!continues(first, *text, so_far, next, pb)) break;
      so_far.clause = so_far.clause || next.punct.clause;
      so_far.sentence = so_far.sentence || next.punct.sentence;
      so_far.period = so_far.period || next.punct.period;
      so_far.length += next.punct.length;
      *text += next.text;
      add_span(*n, next);
      last = &next;
      ++q;
    }
    if (!last->detail().glued_marker.empty()) {
      std::size_t cut_len = last->text.size() - last->detail().glued_cut;
      if (cut_len <= text->size()) *text = trim(text->substr(0, text->size() - cut_len));
      pending_ = last;
    }
    return q;
  }

  /// Sets an item's run-in title and text from its content after the marker.
  static void split_title(const std::string& content, Node* n) {
    std::size_t stop = content.find("。");
    if (stop != std::string::npos && stop + 3 < content.size() && utf8_length(content.substr(0, stop)) <= kMaxRunInTitle) {
      n->title = content.substr(0, stop + 3);
      n->text = trim(content.substr(stop + 3));
    } else if (stop == std::string::npos && !has_any(content, {"；", ";"}) && utf8_length(content) <= kMaxRunInTitle) {
      n->title = content;
    } else {
      n->text = content;
    }
  }

  void attach_responsibility(const Responsibility& r) {
    if (last_ < 0) {
      Node holder;
      holder.type = NodeType::Paragraph;
      holder.line = r.line;
      holder.responsibility = r;
      add(std::move(holder), true);
      return;
    }
    Node& n = arena_[static_cast<std::size_t>(last_)];
    if (!n.responsibility) { n.responsibility = r; return; }
    Responsibility& into = *n.responsibility;
    auto append = [](std::vector<std::string>& a, const std::vector<std::string>& b) { a.insert(a.end(), b.begin(), b.end()); };
    append(into.leaders, r.leaders);
    append(into.lead_units, r.lead_units);
    append(into.units, r.units);
    append(into.partner_units, r.partner_units);
    if (r.deadline) into.deadline = r.deadline;
  }

  std::size_t step(std::size_t p) {
    if (pending_) return take_glued_item(p);
    const LineInfo& li = at(p);
    switch (li.kind) {
      case LineKind::AttachmentNote: return take_attachment_note(p);
      case LineKind::Responsibility: return take_responsibility(p);
      case LineKind::RosterRole: return take_roster(p);
      case LineKind::TableRow: return take_table(p);
      case LineKind::Marker: return take_item(p);
      default: return take_paragraph(p);
    }
  }

  /// Opens an item: it closes every open item of equal or greater rank.
  void open_item(Node&& n, const std::string& content, int rank) {
    split_title(content, &n);
    if (auto r = parse_responsibility_paren(content, ctx_.m, ctx_.year, n.line)) n.responsibility = r;
    while (!stack_.empty() && stack_.back().second >= rank) stack_.pop_back();
    int id = add(std::move(n), true);
    stack_.emplace_back(id, rank);
  }

  static Node item_node(const std::string& marker, int level, int value, std::string_view rule, bool standard,
                        int line) {
    Node n;
    n.type = NodeType::Item;
    n.marker = marker;
    n.level = level;
    n.number = value;
    n.rule = rule;
    n.standard_marker = standard;
    n.line = line;
    return n;
  }

  std::size_t take_item(std::size_t p) {
    const LineInfo& li = at(p);
    Node n = item_node(li.marker, li.level, li.value, li.rule, li.standard_marker, li.number);
    std::string content;
    std::size_t q = take_block(p, &content, &n);
    open_item(std::move(n), content, li.rank);
    return q;
  }

  /// The item whose marker was glued to the end of the previous line: its
  /// text is the line at p when that is plain text.
  std::size_t take_glued_item(std::size_t p) {
    const int line = pending_->number;
    const LineDetail& g = pending_->detail();
    pending_ = nullptr;
    Node n = item_node(g.glued_marker, g.glued_level, g.glued_value, g.glued_rule, g.glued_standard, line);
    add_span(n, line);
    std::string content;
    std::size_t q = p;
    if (p < zone_->size() && at(p).kind == LineKind::Text) q = take_block(p, &content, &n, true);
    open_item(std::move(n), content, g.glued_rank);
    return q;
  }

  std::size_t take_paragraph(std::size_t p) {
    const LineInfo& li = at(p);
    Node n;
    n.type = NodeType::Paragraph;
    n.line = li.number;
    std::string text;
    std::size_t q = take_block(p, &text, &n);
    n.text = text;
    auto r = parse_responsibility_paren(text, ctx_.m, ctx_.year, li.number);
    // A parenthesis alone on its line closes the node before it.
    if (r && last_ >= 0 && li.mv.view.startsWith(icu::UnicodeString(u"(")) && q == p + 1) {
      Node& prev = arena_[static_cast<std::size_t>(last_)];
      prev.text += text;
      add_span(prev, li);
      attach_responsibility(*r);
      return q;
    }
    if (r) n.responsibility = r;
    add(std::move(n), true);
    return q;
  }

  std::size_t take_responsibility(std::size_t p) {
    Responsibility r;
    r.line = at(p).number;
    std::size_t q = p;
    std::string field;
    while (q < zone_->size()) {
      const LineInfo& li = at(q);
      if (li.kind == LineKind::Responsibility) {
        field = li.detail().field;
        set_responsibility_field(&r, field, li.rest, ctx_.m, ctx_.year);
        ++q;
        continue;
      }
      // A value cut by a line or page break (配合单位：旗党校、塔布赛乡人民政府、 / 文旅公司)
      // goes on on a short line, when another label follows it or the value
      // ended in 、.
      if (li.kind == LineKind::Text && !field.empty() && is_title_like(li, kMaxTitleContinuation)) {
        bool label_follows = q + 1 < zone_->size() && at(q + 1).kind == LineKind::Responsibility;
        const LineInfo& prev = at(q - 1);
        bool cut = prev.kind == LineKind::Responsibility && ends_mid_sentence(prev.text);
        if (label_follows || cut) {
          if (field == "deadline") {
            set_responsibility_field(&r, field, li.text, ctx_.m, ctx_.year);
          } else {
            std::vector<std::string>* list = responsibility_list(&r, field);
            auto more = split_units(li.text, ctx_.m);
            if (!cut && !list->empty() && !more.empty()) {
              list->back() += more.front();  // a unit cut mid-word: 察素齐 / 镇人民政府
              more.erase(more.begin());
            }
            list->insert(list->end(), more.begin(), more.end());
          }
          ++q;
          continue;
        }
      }
      break;
    }
    attach_responsibility(r);
    return q;
  }

  std::size_t take_roster(std::size_t p) {
    Node n;
    n.type = NodeType::Roster;
    n.line = at(p).number;
    std::string role;
    std::size_t q = p;
    while (q < zone_->size()) {
      const LineInfo& li = at(q);
      if (li.kind == LineKind::RosterRole) {
        role = li.detail().role;
        auto ms = parse_roster_members(role, li.rest, li.number, ctx_.m);
        if (ms.empty() && !trim(li.rest).empty()) {
          // Not member-shaped: keep the text on the roster as a member title.
          ms.push_back(RosterMember{role, "", li.rest, li.number});
        }
        n.members.insert(n.members.end(), ms.begin(), ms.end());
        n.text += (n.text.empty() ? "" : "\n") + li.text;
        add_span(n, li);
        ++q;
        continue;
      }
      if (li.kind == LineKind::Text && !has_any(li.text, {"。", "，", "；", ",", ";"})) {
        if (ctx_.m.roster_member.first(li.mv)) {
          auto ms = parse_roster_members(role, li.mv.printed(li.text, 0, li.mv.view.length()), li.number, ctx_.m);
          if (!ms.empty()) {
            n.members.insert(n.members.end(), ms.begin(), ms.end());
            n.text += "\n" + li.text;
            add_span(n, li);
            ++q;
            continue;
          }
        }
        if (!n.members.empty() && li.text.find(' ') == std::string::npos &&
            utf8_length(li.text) <= kMaxTitleContinuation && !has_any(li.text, {"：", ":"})) {
          n.members.back().title += li.text;  // a title cut by the print's column width
          n.text += "\n" + li.text;
          add_span(n, li);
          ++q;
          continue;
        }
      }
      break;
    }
    add(std::move(n), true);
    return q;
  }

  std::vector<std::string> cells(const LineInfo& li) const {
    const std::string& raw = li.text;
    std::vector<std::string> out;
    std::size_t s = 0;
    for (std::size_t i = 0; i <= raw.size(); ++i)
      if (i == raw.size() || raw[i] == '\t') { out.push_back(remove_cjk_spaces(raw.substr(s, i - s))); s = i + 1; }
    return out;
  }

  std::size_t take_table(std::size_t p) {
    Node n;
    n.type = NodeType::Table;
    n.line = at(p).number;
    n.header = cells(at(p));
    add_span(n, at(p));
    std::size_t q = p + 1;
    while (q < zone_->size() && at(q).kind == LineKind::TableRow) {
      auto row = cells(at(q));
      add_span(n, at(q));
      if (row == n.header) { ++q; continue; }  // the header the print repeats on each page
      if (row.size() > n.header.size()) {
        // Extra cells: keep them in the last one rather than drop them.
        for (std::size_t k = n.header.size(); k < row.size(); ++k)
          if (!row[k].empty()) row[n.header.size() - 1] += (row[n.header.size() - 1].empty() ? "" : " ") + row[k];
        row.resize(n.header.size());
      }
      row.resize(n.header.size());
      n.rows.push_back(row);
      n.row_lines.push_back(at(q).number);
      ++q;
    }
    add(std::move(n), true);
    return q;
  }

  std::size_t take_attachment_note(std::size_t p) {
    const LineInfo& li = at(p);
    std::string rest = li.rest;
    std::string label = "附件";
    MatchView mv = make_match_view(rest);
    RuleMatcher* mk = ctx_.m.markers.first(mv);
    std::size_t q = p + 1;
    if (mk && mk->rule().level == 3) {
      Attachment a;
      a.label = label;
      a.marker = group_text(*mk, mv, rest, "marker");
      a.number = parse_numeral(group_view(*mk, mv, "num"), mk->rule().numeral);
      a.title = group_text(*mk, mv, rest, "rest");
      a.line = li.number;
      int expect = a.number.value_or(1) + 1;
      if (attachments_) attachments_->push_back(a);
      while (q < zone_->size() && at(q).kind == LineKind::Marker && at(q).level == 3 && at(q).value == expect) {
        Attachment b;
        b.label = label;
        b.marker = at(q).marker;
        b.number = at(q).value;
        b.title = at(q).rest;
        b.line = at(q).number;
        if (attachments_) attachments_->push_back(b);
        ++expect;
        ++q;
      }
    } else {
      Attachment a;
      a.label = label;
      a.title = rest;
      a.line = li.number;
      if (attachments_) attachments_->push_back(a);
    }
    return q;
  }

  const BuildContext& ctx_;
  std::vector<Attachment>* attachments_;
  const std::vector<int>* zone_ = nullptr;
  std::vector<Node> arena_;
  std::vector<std::vector<int>> kids_;
  std::vector<int> roots_;
  std::vector<std::pair<int, int>> stack_;  ///< open items: arena id, rank
  int last_ = -1;
  const LineInfo* pending_ = nullptr;  ///< a line whose glued marker starts the next item
};

}  // namespace

void build_body(const BuildContext& ctx, const std::vector<int>& zone, std::vector<Node>* body,
                std::vector<Attachment>* attachments) {
  Builder b(ctx, attachments);
  b.run(zone);
  *body = b.take();
}

std::vector<Enclosure> build_enclosures(const BuildContext& ctx, const std::vector<int>& zone) {
  std::vector<Enclosure> out;
  std::size_t p = 0;
  auto read_title = [&](Enclosure* e) {
    int taken = 0;
    while (p < zone.size() && taken < 3) {
      const LineInfo& li = ctx.lines[static_cast<std::size_t>(zone[p])];
      if (!is_title_like(li)) break;
      e->title += li.text;
      if (e->line == 0) e->line = li.number;
      ++p;
      ++taken;
    }
    e->title = remove_cjk_spaces(e->title);
  };
  while (p < zone.size()) {
    Enclosure e;
    const LineInfo& head = ctx.lines[static_cast<std::size_t>(zone[p])];
    if (head.kind == LineKind::AttachmentLabel) {
      e.label = head.detail().label;
      e.number = head.detail().label_number;
      e.line = head.number;
      e.title = remove_cjk_spaces(head.rest);
      ++p;
      if (e.title.empty()) read_title(&e);
    } else {
      read_title(&e);
    }
    std::vector<int> seg;
    while (p < zone.size() && ctx.lines[static_cast<std::size_t>(zone[p])].kind != LineKind::AttachmentLabel)
      seg.push_back(zone[p++]);
    if (e.line == 0 && !seg.empty()) e.line = ctx.lines[static_cast<std::size_t>(seg.front())].number;
    build_body(ctx, seg, &e.body, &e.attachments);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace gazette
