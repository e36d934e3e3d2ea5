#include "diff.h"
#include "node_id.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include "text.h"

namespace gazette {
namespace {

// ---------------------------------------------------------------------------
// Character-level edit scripts (Myers, "An O(ND) Difference Algorithm").

/// One compared character: its normalized code point and the printed bytes
/// it stands for (with any white space that follows it, so that nothing
/// printed is lost; empty for the second and later code points of one
/// printed character that NFKC expanded).
struct Token {
  UChar32 key = 0;
  std::size_t begin = 0;
  std::size_t end = 0;
};

bool is_layout_space(UChar32 c) { return c == ' ' || c == '\t'; }

std::vector<Token> tokenize(const std::string& printed) {
  MatchView mv = make_match_view(printed);
  std::vector<Token> out;
  std::vector<int32_t> starts;  // view index of each token
  for (int32_t i = 0; i < mv.view.length();) {
    UChar32 c = mv.view.char32At(i);
    if (!is_layout_space(c)) {
      Token t;
      t.key = c;
      out.push_back(t);
      starts.push_back(i);
    }
    i += U16_LENGTH(c);
  }
  // Each token owns the printed bytes from where it starts to where the next
  // token from another printed character starts.
  for (std::size_t k = 0; k < out.size(); ++k) {
    auto at = static_cast<std::size_t>(mv.to_printed[static_cast<std::size_t>(starts[k])]);
    std::size_t end = printed.size();
    bool first_of_char = k == 0 || at != out[k - 1].begin;
    for (std::size_t m = k + 1; m < out.size(); ++m) {
      auto next = static_cast<std::size_t>(mv.to_printed[static_cast<std::size_t>(starts[m])]);
      if (next != at) { end = next; break; }
    }
    out[k].begin = at;
    out[k].end = first_of_char ? end : at;
  }
  // Trailing white space of the last token stays with it; leading white space
  // before the first is dropped.
  return out;
}

enum class Op { Equal, Delete, Insert };

/// The shortest edit script between a[0,n) and b[0,m) (eq(i, j) compares
/// a[i] with b[j]); its length in *edits. Returns false when it needs more
/// than max_d edits: memory grows with max_d², time with (n + m)·max_d, so
/// max_d is the bound on work. `script` may be null when only the count is
/// wanted.
template <typename Eq>
bool myers(std::size_t n, std::size_t m, std::size_t max_d, Eq eq, std::vector<Op>* script, std::size_t* edits) {
  const long N = static_cast<long>(n), M = static_cast<long>(m);
  const long D = std::min<long>(static_cast<long>(max_d), N + M);
  const long off = D + 1;
  std::vector<long> v(static_cast<std::size_t>(2 * D + 3), 0);
  std::vector<std::vector<long>> trace;  // trace[d][k + d]: furthest x on diagonal k after d edits
  long found = -1;
  for (long d = 0; d <= D && found < 0; ++d) {
    for (long k = -d; k <= d; k += 2) {
      auto vk = [&](long kk) { return v[static_cast<std::size_t>(off + kk)]; };
      long x = (k == -d || (k != d && vk(k - 1) < vk(k + 1))) ? vk(k + 1) : vk(k - 1) + 1;
      long y = x - k;
      while (x < N && y < M && eq(static_cast<std::size_t>(x), static_cast<std::size_t>(y))) { ++x; ++y; }
      v[static_cast<std::size_t>(off + k)] = x;
      if (x >= N && y >= M && found < 0) found = d;
    }
    if (script) trace.emplace_back(v.begin() + (off - d), v.begin() + (off + d + 1));
  }
  if (found < 0) return false;
  if (edits) *edits = static_cast<std::size_t>(found);
  if (!script) return true;
  std::vector<Op> rev;
  long x = N, y = M;
  for (long d = found; d > 0; --d) {
    const std::vector<long>& prev = trace[static_cast<std::size_t>(d - 1)];
    auto at = [&](long kk) { return prev[static_cast<std::size_t>(kk + d - 1)]; };
    long k = x - y;
    long pk = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1;
    long px = at(pk), py = px - pk;
    while (x > px && y > py) { rev.push_back(Op::Equal); --x; --y; }
    rev.push_back(x == px ? Op::Insert : Op::Delete);
    x = px;
    y = py;
  }
  while (x > 0 && y > 0) { rev.push_back(Op::Equal); --x; --y; }
  script->assign(rev.rbegin(), rev.rend());
  return true;
}

std::vector<UChar32> code_points(const std::string& s) {
  std::vector<UChar32> out;
  out.reserve(s.size() / 3 + 1);
  int32_t i = 0, len = static_cast<int32_t>(s.size());
  while (i < len) {
    UChar32 c;
    U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, len, c);
    out.push_back(c < 0 ? 0xFFFD : c);
  }
  return out;
}

/// 2·LCS / (|a| + |b|) of two normalized texts when at least `min` (bounded
/// work: the search stops at the edit count that rules `min` out), else 0.
double similarity(const std::string& a_norm, const std::string& b_norm, double min) {
  std::vector<UChar32> a = code_points(a_norm), b = code_points(b_norm);
  std::size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  std::size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre && a[a.size() - 1 - suf] == b[b.size() - 1 - suf]) ++suf;
  std::size_t total = a.size() + b.size();
  if (total == 0) return 1.0;
  std::size_t n = a.size() - pre - suf, m = b.size() - pre - suf;
  auto max_d = static_cast<std::size_t>((1.0 - min) * static_cast<double>(total));
  if (max_d > 4000) max_d = 4000;
  if (std::max(n, m) - std::min(n, m) > max_d) return 0.0;
  std::size_t d = 0;
  if (!myers(n, m, max_d, [&](std::size_t i, std::size_t j) { return a[pre + i] == b[pre + j]; }, nullptr, &d))
    return 0.0;
  return static_cast<double>(total - d) / static_cast<double>(total);
}

std::string slice(const std::string& s, const std::vector<Token>& t, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) out.append(s, t[i].begin, t[i].end - t[i].begin);
  return out;
}

void push_edit(std::vector<TextEdit>* out, TextEdit::Op op, std::string text) {
  if (text.empty()) return;
  if (!out->empty() && out->back().op == op) out->back().text += text;
  else out->push_back({op, std::move(text)});
}

/// Folds an equal run of one or two characters that sits between two edits into
/// them: [-4-]{+5+}月[-30-]{+31+} reads better as [-4月30-]{+5月31+}.
std::vector<TextEdit> cleanup(const std::vector<TextEdit>& in) {
  std::vector<TextEdit> out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const TextEdit& e = in[i];
    bool short_equal = e.op == TextEdit::Op::Equal && utf8_length(trim(e.text)) <= 2 && i > 0 && i + 1 < in.size();
    if (short_equal) {
      // Move it into the preceding delete and insert (creating them as needed).
      std::string del, ins;
      while (!out.empty() && out.back().op != TextEdit::Op::Equal) {
        (out.back().op == TextEdit::Op::Delete ? del : ins).insert(0, out.back().text);
        out.pop_back();
      }
      push_edit(&out, TextEdit::Op::Delete, del + e.text);
      push_edit(&out, TextEdit::Op::Insert, ins + e.text);
      continue;
    }
    if (e.op != TextEdit::Op::Equal && !out.empty() && out.back().op != TextEdit::Op::Equal) {
      // Keep deletes before inserts within one changed run.
      if (e.op == TextEdit::Op::Delete && out.back().op == TextEdit::Op::Insert) {
        TextEdit ins = out.back();
        out.pop_back();
        push_edit(&out, TextEdit::Op::Delete, e.text);
        push_edit(&out, TextEdit::Op::Insert, ins.text);
        continue;
      }
    }
    push_edit(&out, e.op, e.text);
  }
  return out;
}

}  // namespace

std::string normalize_for_diff(const std::string& printed) {
  return remove_spaces(to_utf8(make_match_view(printed).view));
}

std::vector<TextEdit> diff_text(const std::string& old_text, const std::string& new_text, std::size_t max_edits,
                                bool fold_short_runs) {
  std::vector<Token> a = tokenize(old_text), b = tokenize(new_text);
  std::size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre].key == b[pre].key) ++pre;
  std::size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre && a[a.size() - 1 - suf].key == b[b.size() - 1 - suf].key) ++suf;
  std::vector<TextEdit> out;
  push_edit(&out, TextEdit::Op::Equal, slice(new_text, b, 0, pre));
  std::size_t n = a.size() - pre - suf, m = b.size() - pre - suf;
  std::vector<Op> script;
  if (myers(n, m, max_edits, [&](std::size_t i, std::size_t j) { return a[pre + i].key == b[pre + j].key; },
            &script, nullptr)) {
    std::size_t i = pre, j = pre;
    for (Op o : script) {
      switch (o) {
        case Op::Equal: push_edit(&out, TextEdit::Op::Equal, slice(new_text, b, j, j + 1)); ++i; ++j; break;
        case Op::Delete: push_edit(&out, TextEdit::Op::Delete, slice(old_text, a, i, i + 1)); ++i; break;
        case Op::Insert: push_edit(&out, TextEdit::Op::Insert, slice(new_text, b, j, j + 1)); ++j; break;
      }
    }
  } else {
    push_edit(&out, TextEdit::Op::Delete, slice(old_text, a, pre, pre + n));
    push_edit(&out, TextEdit::Op::Insert, slice(new_text, b, pre, pre + m));
  }
  push_edit(&out, TextEdit::Op::Equal, slice(new_text, b, b.size() - suf, b.size()));
  return fold_short_runs ? cleanup(out) : out;
}


const char* status_name(NoticeStatus s) {
  switch (s) {
    case NoticeStatus::Added: return "added";
    case NoticeStatus::Removed: return "removed";
    case NoticeStatus::Changed: return "changed";
    case NoticeStatus::Unchanged: return "unchanged";
    case NoticeStatus::Renumbered: return "renumbered";
  }
  return "changed";
}

bool IssueDiff::same() const {
  if (!issue_changes.empty()) return false;
  for (const auto& n : notices)
    if (n.status != NoticeStatus::Unchanged) return false;
  return true;
}

namespace {

// ---------------------------------------------------------------------------
// Paths and printed texts of nodes.

const char* type_segment(NodeType t) { return node_type_name(t); }

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

/// A node's own printed text (not its children's).
std::string own_text(const Node& n) {
  if (n.type == NodeType::Table) {
    std::string out = join(n.header, " | ");
    for (const auto& r : n.rows) out += "\n" + join(r, " | ");
    return out;
  }
  if (n.title.empty()) return n.text;
  if (n.text.empty()) return n.title;
  return n.title + n.text;
}

void subtree_text(const Node& n, std::string* out) {
  if (!out->empty()) *out += "\n";
  *out += n.marker + own_text(n);
  for (const auto& c : n.children) subtree_text(c, out);
}

std::string nodes_text(const std::vector<Node>& nodes) {
  std::string out;
  for (const auto& n : nodes) subtree_text(n, &out);
  return out;
}

std::string notice_text(const Notice& n) {
  std::string out = n.title;
  std::string body = nodes_text(n.body);
  if (!body.empty()) out += "\n" + body;
  for (const auto& e : n.enclosures) {
    out += "\n" + e.title;
    std::string b = nodes_text(e.body);
    if (!b.empty()) out += "\n" + b;
  }
  return out;
}

std::string attachment_text(const Attachment& a) {
  std::string out = a.label;
  if (!a.marker.empty()) out += " " + a.marker;
  return out + " " + a.title;
}

std::string deadline_text(const Responsibility* r) {
  return r && r->deadline ? r->deadline->text : std::string();
}

std::string deadline_date(const Responsibility* r) {
  return r && r->deadline && r->deadline->date ? *r->deadline->date : std::string();
}

// ---------------------------------------------------------------------------
// Node matching inside one notice.

/// A node flattened, or the root of a container (body, enclosures[i]).
struct Entry {
  const Node* node = nullptr;  ///< null for a container root
  int parent = -1;
  std::string segment;
  std::string path;
  std::string printed;
  std::string norm;
  std::string key;  ///< type and normalized own text: equal keys are the same content
  int match = -1;
  std::vector<int> children;
};

class Tree {
 public:
  int add_root(const std::string& path) {
    Entry e;
    e.segment = e.path = path;
    entries_.push_back(e);
    return static_cast<int>(entries_.size()) - 1;
  }
  void add_children(int parent, const std::vector<Node>& nodes) {
    std::vector<std::string> segments = sibling_segments(nodes);  // as node ids are made
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const Node& n = nodes[i];
      Entry e;
      e.node = &n;
      e.parent = parent;
      e.segment = std::move(segments[i]);
      e.path = at(parent).path + "/" + e.segment;
      e.printed = own_text(n);
      e.norm = normalize_for_diff(e.printed);
      e.key = std::string(type_segment(n.type)) + ":" + e.norm;
      entries_.push_back(std::move(e));
      int id = static_cast<int>(entries_.size()) - 1;
      entries_[static_cast<std::size_t>(parent)].children.push_back(id);
      add_children(id, n.children);
    }
  }
  Entry& at(int i) { return entries_[static_cast<std::size_t>(i)]; }
  const Entry& at(int i) const { return entries_[static_cast<std::size_t>(i)]; }
  int size() const { return static_cast<int>(entries_.size()); }

 private:
  std::vector<Entry> entries_;
};

/// Builds the entries of a notice: a root for the body and one per enclosure.
Tree build_tree(const Notice& n, std::vector<int>* roots) {
  Tree t;
  roots->push_back(t.add_root("body"));
  t.add_children(roots->back(), n.body);
  for (std::size_t i = 0; i < n.enclosures.size(); ++i) {
    roots->push_back(t.add_root("enclosures[" + std::to_string(i) + "]"));
    t.add_children(roots->back(), n.enclosures[i].body);
  }
  return t;
}

bool same_list(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (normalize_for_diff(a[i]) != normalize_for_diff(b[i])) return false;
  return true;
}

/// A change of one text field: added, removed or changed (with its edits);
/// nothing when the texts are the same after normalization.
std::optional<Change> field_change(const std::string& path, const std::string& old_text, const std::string& new_text,
                                   const DiffOptions& opts) {
  if (normalize_for_diff(old_text) == normalize_for_diff(new_text)) return std::nullopt;
  Change c;
  c.path = path;
  c.kind = old_text.empty() ? "added" : new_text.empty() ? "removed" : "changed";
  c.old_text = old_text;
  c.new_text = new_text;
  if (c.kind == "changed") c.edits = diff_text(old_text, new_text, opts.max_edits);
  return c;
}

class NoticeComparer {
 public:
  NoticeComparer(const Notice& o, const Notice& n, const DiffOptions& opts) : o_(o), n_(n), opts_(opts) {}

  void run() {
    compare_header();
    a_ = build_tree(o_, &a_roots_);
    b_ = build_tree(n_, &b_roots_);
    match_roots();
    match_exact();
    match_in_place();
    match_similar();
    report_nodes();
  }

 private:
  void text_change(const std::string& path, const std::string& old_text, const std::string& new_text,
                   long order = -1) {
    if (auto c = field_change(path, old_text, new_text, opts_)) add(std::move(*c), order);
  }

  void add(Change c, long order) {
    sorted_.push_back({order, static_cast<long>(sorted_.size())});
    pending_.push_back(std::move(c));
  }

  void compare_header() {
    text_change("issuer", o_.issuer, n_.issuer);
    text_change("title", o_.title, n_.title);
    text_change("signer", o_.signer.value_or(""), n_.signer.value_or(""));
    // The ISO date when both have one (2023年4月7日 and 2023-04-07 are one date).
    if (o_.date && n_.date) {
      if (*o_.date != *n_.date) text_change("date", o_.date_text.empty() ? *o_.date : o_.date_text,
                                            n_.date_text.empty() ? *n_.date : n_.date_text);
    } else {
      text_change("date", o_.date.value_or(o_.date_text), n_.date.value_or(n_.date_text));
    }
    if (!same_list(o_.addressees, n_.addressees))
      text_change("addressees", join(o_.addressees, "，"), join(n_.addressees, "，"));
    if (!same_list(o_.signature, n_.signature))
      text_change("signature", join(o_.signature, "\n"), join(n_.signature, "\n"));
    if (!same_list(o_.notes, n_.notes)) text_change("notes", join(o_.notes, "\n"), join(n_.notes, "\n"));
    compare_attachments("attachments", o_.attachments, n_.attachments);
  }

  void compare_attachments(const std::string& path, const std::vector<Attachment>& a,
                           const std::vector<Attachment>& b) {
    for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i)
      text_change(path + "[" + std::to_string(i) + "]", i < a.size() ? attachment_text(a[i]) : "",
                  i < b.size() ? attachment_text(b[i]) : "");
  }

  /// body ↔ body; enclosures by title, then by position.
  void match_roots() {
    a_.at(a_roots_[0]).match = b_roots_[0];
    b_.at(b_roots_[0]).match = a_roots_[0];
    std::size_t na = o_.enclosures.size(), nb = n_.enclosures.size();
    std::vector<int> ma(na, -1), mb(nb, -1);
    for (std::size_t i = 0; i < na; ++i)
      for (std::size_t j = 0; j < nb; ++j)
        if (mb[j] < 0 && normalize_for_diff(o_.enclosures[i].title) == normalize_for_diff(n_.enclosures[j].title)) {
          ma[i] = static_cast<int>(j);
          mb[j] = static_cast<int>(i);
          break;
        }
    for (std::size_t i = 0; i < na; ++i)
      if (ma[i] < 0 && i < nb && mb[i] < 0) {
        ma[i] = static_cast<int>(i);
        mb[i] = static_cast<int>(i);
      }
    for (std::size_t i = 0; i < na; ++i) {
      if (ma[i] < 0) continue;  // reported with the removed nodes
      int ra = a_roots_[i + 1];
      int rb = b_roots_[static_cast<std::size_t>(ma[i]) + 1];
      a_.at(ra).match = rb;
      b_.at(rb).match = ra;
      const Enclosure& eo = o_.enclosures[i];
      const Enclosure& en = n_.enclosures[static_cast<std::size_t>(ma[i])];
      const std::string& p = b_.at(rb).path;
      text_change(p + "/label", eo.label.value_or(""), en.label.value_or(""), rb);
      text_change(p + "/title", eo.title, en.title, rb);
      compare_attachments(p + "/attachments", eo.attachments, en.attachments);
    }
    for (std::size_t j = 0; j < nb; ++j)
      if (mb[j] < 0) {
        const Enclosure& en = n_.enclosures[j];
        Change c;
        c.path = b_.at(b_roots_[j + 1]).path;
        c.kind = "added";
        c.new_text = en.title + "\n" + nodes_text(en.body);
        add(std::move(c), b_roots_[j + 1]);
      }
  }

  void pair(int i, int j) {
    a_.at(i).match = j;
    b_.at(j).match = i;
  }

  /// Same content anywhere: prefer the node under the match of the parent,
  /// then the one at the same path.
  void match_exact() {
    std::unordered_map<std::string, std::vector<int>> by_key;
    for (int j = 0; j < b_.size(); ++j)
      if (b_.at(j).node) by_key[b_.at(j).key].push_back(j);
    for (int i = 0; i < a_.size(); ++i) {
      const Entry& e = a_.at(i);
      if (!e.node || in_removed_root(i)) continue;
      auto it = by_key.find(e.key);
      if (it == by_key.end()) continue;
      int best = -1, best_score = -1;
      int want_parent = a_.at(e.parent).match;
      for (int j : it->second) {
        const Entry& f = b_.at(j);
        if (f.match >= 0) continue;
        int score = (want_parent >= 0 && f.parent == want_parent ? 4 : 0) + (f.path == e.path ? 2 : 0) +
                    (f.segment == e.segment ? 1 : 0);
        if (score > best_score) { best = j; best_score = score; }
      }
      if (best >= 0) pair(i, best);
    }
  }

  bool in_removed_root(int i) const {
    while (a_.at(i).parent >= 0) i = a_.at(i).parent;
    return a_.at(i).match < 0;
  }

  /// For each unmatched old node under a matched parent: `pick` chooses one of
  /// the new parent's children (or -1), and the two are paired.
  template <class Pick>
  void match_under_matched_parents(Pick pick) {
    for (int i = 0; i < a_.size(); ++i) {
      const Entry& e = a_.at(i);
      if (!e.node || e.match >= 0) continue;
      int p = a_.at(e.parent).match;
      if (p < 0) continue;
      int j = pick(e, b_.at(p).children);
      if (j >= 0) pair(i, j);
    }
  }

  /// Text changed, place kept: same item number (or same paragraph index)
  /// under the matched parent.
  void match_in_place() {
    match_under_matched_parents([&](const Entry& e, const std::vector<int>& children) {
      for (int j : children) {
        const Entry& f = b_.at(j);
        if (f.match < 0 && f.segment == e.segment && f.node->type == e.node->type) return j;
      }
      return -1;
    });
  }

  /// Text changed and the numbering shifted: the most similar unmatched
  /// sibling of the same type under the matched parent.
  void match_similar() {
    match_under_matched_parents([&](const Entry& e, const std::vector<int>& children) {
      int best = -1;
      double best_sim = opts_.min_similarity;
      for (int j : children) {
        const Entry& f = b_.at(j);
        if (f.match >= 0 || f.node->type != e.node->type) continue;
        double s = similarity(e.norm, f.norm, opts_.min_similarity);
        if (s >= best_sim) { best = j; best_sim = s; }
      }
      return best;
    });
  }

  /// Order key of a removed old node: just after the new node matched to
  /// the old node before it (in document order).
  long first_order_after(int i) const {
    for (int k = i - 1; k >= 0; --k)
      if (a_.at(k).match >= 0) return a_.at(k).match;
    return -1;
  }

  void add_removed(int i, long order) {
    const Entry& e = a_.at(i);
    Change c;
    c.path = e.path;
    c.kind = "removed";
    if (e.node) {
      subtree_text(*e.node, &c.old_text);
    } else {
      std::size_t k = static_cast<std::size_t>(std::find(a_roots_.begin(), a_roots_.end(), i) - a_roots_.begin());
      const Enclosure& en = o_.enclosures[k - 1];
      c.old_text = en.title + "\n" + nodes_text(en.body);
    }
    add(std::move(c), order);
  }

  /// Children of a matched pair whose relative order changed: the ones left
  /// out of the longest common order.
  std::vector<bool> out_of_order(int pb) const {
    const auto& kids = b_.at(pb).children;
    std::vector<int> seq;  // for each new child matched from the old parent's children: its old index
    int pa = b_.at(pb).match;
    std::vector<bool> moved(kids.size(), false);
    if (pa < 0) return moved;
    const auto& old_kids = a_.at(pa).children;
    std::vector<std::size_t> pos_in_new;
    for (std::size_t k = 0; k < kids.size(); ++k) {
      int m = b_.at(kids[k]).match;
      if (m < 0 || a_.at(m).parent != pa) continue;
      seq.push_back(static_cast<int>(std::find(old_kids.begin(), old_kids.end(), m) - old_kids.begin()));
      pos_in_new.push_back(k);
    }
    // Longest increasing subsequence of old indices (quadratic: siblings are few).
    std::size_t n = seq.size();
    std::vector<int> len(n, 1), prev(n, -1);
    int best = -1;
    for (std::size_t x = 0; x < n; ++x) {
      for (std::size_t y = 0; y < x; ++y)
        if (seq[y] < seq[x] && len[y] + 1 > len[x]) { len[x] = len[y] + 1; prev[x] = static_cast<int>(y); }
      if (best < 0 || len[x] > len[static_cast<std::size_t>(best)]) best = static_cast<int>(x);
    }
    std::vector<bool> in_lis(n, false);
    for (int x = best; x >= 0; x = prev[static_cast<std::size_t>(x)]) in_lis[static_cast<std::size_t>(x)] = true;
    for (std::size_t x = 0; x < n; ++x)
      if (!in_lis[x]) moved[pos_in_new[x]] = true;
    return moved;
  }

  void compare_responsibility(const Entry& a, const Entry& b, long order) {
    const Responsibility* ra = a.node->responsibility ? &*a.node->responsibility : nullptr;
    const Responsibility* rb = b.node->responsibility ? &*b.node->responsibility : nullptr;
    if (!ra && !rb) return;
    static const std::vector<std::string> none;
    auto list = [](const Responsibility* r, std::vector<std::string> Responsibility::*f) -> const std::vector<std::string>& {
      return r ? r->*f : none;
    };
    struct Field { const char* name; std::vector<std::string> Responsibility::*member; };
    for (const Field& f : {Field{"leaders", &Responsibility::leaders}, Field{"lead_units", &Responsibility::lead_units},
                           Field{"units", &Responsibility::units}, Field{"partner_units", &Responsibility::partner_units}}) {
      const auto& x = list(ra, f.member);
      const auto& y = list(rb, f.member);
      if (!same_list(x, y)) text_change(b.path + "/" + f.name, join(x, "、"), join(y, "、"), order);
    }
    if (auto c = field_change(b.path + "/deadline", deadline_text(ra), deadline_text(rb), opts_)) {
      c->old_date = deadline_date(ra);
      c->new_date = deadline_date(rb);
      add(std::move(*c), order);
    }
  }

  void report_nodes() {
    // Removed enclosures and subtrees: reported at their top only.
    for (int i = 0; i < a_.size(); ++i) {
      const Entry& e = a_.at(i);
      if (e.match < 0 && (!e.node || a_.at(e.parent).match >= 0)) add_removed(i, first_order_after(i));
    }
    std::vector<std::vector<bool>> moved_kids(static_cast<std::size_t>(b_.size()));
    for (int j = 0; j < b_.size(); ++j)
      if (b_.at(j).match >= 0) moved_kids[static_cast<std::size_t>(j)] = out_of_order(j);
    for (int j = 0; j < b_.size(); ++j) {
      const Entry& f = b_.at(j);
      if (!f.node) continue;
      const Entry& pf = b_.at(f.parent);
      if (f.match < 0) {
        if (pf.match >= 0) {
          Change c;
          c.path = f.path;
          c.kind = "added";
          subtree_text(*f.node, &c.new_text);
          add(std::move(c), j);
        }
        continue;
      }
      const Entry& e = a_.at(f.match);
      std::size_t k = static_cast<std::size_t>(std::find(pf.children.begin(), pf.children.end(), j) - pf.children.begin());
      bool moved = a_.at(e.parent).match != f.parent || moved_kids[static_cast<std::size_t>(f.parent)][k];
      bool renumbered = !moved && f.node->type == NodeType::Item && e.segment != f.segment;
      if (moved || renumbered) {
        Change c;
        c.path = f.path;
        c.old_path = e.path;
        c.kind = moved ? "moved" : "renumbered";
        c.old_text = e.node->marker + e.printed;
        c.new_text = f.node->marker + f.printed;
        add(std::move(c), j);
      }
      if (e.norm != f.norm) text_change(f.path, e.printed, f.printed, j);
      compare_responsibility(e, f, j);
    }
  }

 public:
  /// Changes in document order of the new notice (header fields first).
  std::vector<Change> ordered() {
    std::vector<std::size_t> idx(pending_.size());
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t x, std::size_t y) { return sorted_[x] < sorted_[y]; });
    std::vector<Change> out;
    for (std::size_t i : idx) out.push_back(std::move(pending_[i]));
    return out;
  }

 private:
  const Notice& o_;
  const Notice& n_;
  const DiffOptions& opts_;
  Tree a_, b_;
  std::vector<int> a_roots_, b_roots_;
  std::vector<Change> pending_;
  std::vector<std::pair<long, long>> sorted_;
};

std::vector<Change> compare_notices(const Notice& o, const Notice& n, const DiffOptions& opts) {
  NoticeComparer c(o, n, opts);
  c.run();
  return c.ordered();
}

// ---------------------------------------------------------------------------
// Notice matching.

/// 文号 as a key: its canonical form (the text), so that the brackets, digits
/// and spaces it was printed with (〔〕 [] （） ２０２３) do not matter.
std::string docnum_key(const Notice& n) {
  if (!n.docnum.text.empty()) return normalize_for_diff(n.docnum.text);
  return "title:" + normalize_for_diff(n.title);
}

/// A title with its digits taken out: next year's plan has this year's title.
std::string title_key(const Notice& n) {
  std::string t = normalize_for_diff(n.title);
  std::string out;
  for (char c : t)
    if (c < '0' || c > '9') out += c;
  return normalize_for_diff(n.issuer) + "|" + out;
}

std::string docnum_label(const Notice& n) { return n.docnum.text.empty() ? "(no 文号)" : n.docnum.text; }

NoticeDiff one_sided(const Notice& n, NoticeStatus status) {
  NoticeDiff d;
  d.status = status;
  d.docnum = docnum_label(n);
  (status == NoticeStatus::Added ? d.new_docnum : d.old_docnum) = n.docnum.text;
  d.title = n.title;
  Change c;
  c.path = "notice";
  c.kind = status == NoticeStatus::Added ? "added" : "removed";
  (status == NoticeStatus::Added ? c.new_text : c.old_text) = notice_text(n);
  d.changes.push_back(std::move(c));
  return d;
}

void compare_matter(const char* path, const std::vector<Node>& a, const std::vector<Node>& b, const DiffOptions& opts,
                    std::vector<Change>* out) {
  if (auto c = field_change(path, nodes_text(a), nodes_text(b), opts)) out->push_back(std::move(*c));
}

std::string opt_text(const std::optional<int>& v) { return v ? std::to_string(*v) : ""; }

// ---------------------------------------------------------------------------
// Table of contents: entries matched by title and page, not by position.

/// The most differing entries (old × new, after the common head and tail) the
/// alignment weighs exactly; past it, equal titles pair in order (bounded work
/// on hostile input: a real table of contents has tens of entries).
constexpr std::size_t kMaxTocCells = std::size_t{1} << 20;

struct TocKey {
  std::string title;  ///< normalized: width folded, white space removed
  std::optional<int> page;
};

using IndexPairs = std::vector<std::pair<std::size_t, std::size_t>>;

/// The pairs (old index, new index) of an alignment that keeps, in order, as
/// many entries of equal title as can be kept and, among such alignments, the
/// most whose page is equal too: of a title printed twice, the entry on its
/// own page stays.
IndexPairs align_toc(const std::vector<TocKey>& a, const std::vector<TocKey>& b) {
  auto same = [&](std::size_t i, std::size_t j) { return a[i].title == b[j].title && a[i].page == b[j].page; };
  IndexPairs out;
  std::size_t pre = 0;
  while (pre < a.size() && pre < b.size() && same(pre, pre)) out.emplace_back(pre, pre), ++pre;
  std::size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre && same(a.size() - 1 - suf, b.size() - 1 - suf)) ++suf;
  const std::size_t n = a.size() - pre - suf, m = b.size() - pre - suf;
  if (n * m > kMaxTocCells) {
    std::unordered_map<std::string, std::vector<std::size_t>> with_title;
    for (std::size_t k = pre; k < pre + m; ++k) with_title[b[k].title].push_back(k);
    std::size_t next = pre;
    for (std::size_t i = pre; i < pre + n; ++i) {
      auto it = with_title.find(a[i].title);
      if (it == with_title.end()) continue;
      auto k = std::lower_bound(it->second.begin(), it->second.end(), next);
      if (k == it->second.end()) continue;
      out.emplace_back(i, *k);
      next = *k + 1;
    }
  } else if (n > 0 && m > 0) {
    // best[i][j]: the weight of the best alignment of a[pre+i..] with b[pre+j..];
    // an equal title weighs more than all equal pages together.
    const long title_weight = static_cast<long>(std::min(n, m)) + 1;
    std::vector<long> best((n + 1) * (m + 1), 0);
    auto at = [&](std::size_t i, std::size_t j) -> long& { return best[i * (m + 1) + j]; };
    auto weight = [&](std::size_t i, std::size_t j) -> long {
      if (a[pre + i].title != b[pre + j].title) return -1;
      return title_weight + (a[pre + i].page == b[pre + j].page ? 1 : 0);
    };
    for (std::size_t i = n; i-- > 0;)
      for (std::size_t j = m; j-- > 0;) {
        long w = weight(i, j);
        at(i, j) = std::max({at(i + 1, j), at(i, j + 1), w < 0 ? 0 : w + at(i + 1, j + 1)});
      }
    for (std::size_t i = 0, j = 0; i < n && j < m;) {
      long w = weight(i, j);
      if (w >= 0 && at(i, j) == w + at(i + 1, j + 1)) out.emplace_back(pre + i++, pre + j++);
      else if (at(i, j) == at(i + 1, j)) ++i;
      else ++j;
    }
  }
  for (std::size_t k = suf; k > 0; --k) out.emplace_back(a.size() - k, b.size() - k);
  return out;
}

/// Which old entry each new one is, and back (-1: none).
struct TocMatch {
  std::vector<long> ma, mb;
  std::vector<bool> moved;  ///< per new entry: paired by title out of the aligned order
  /// The most old × new entries between two aligned ones whose titles are
  /// compared for a rename (a real gap has one or two of each).
  static constexpr std::size_t kMaxRenamePairs = 4096;

  TocMatch(std::size_t na, std::size_t nb) : ma(na, -1), mb(nb, -1), moved(nb, false) {}

  void pair(std::size_t i, std::size_t j) {
    ma[i] = static_cast<long>(j);
    mb[j] = static_cast<long>(i);
  }

  /// An entry left out of the alignment whose title an unpaired new entry has: moved.
  void pair_moved(const std::vector<TocKey>& a, const std::vector<TocKey>& b) {
    std::unordered_map<std::string, std::vector<std::size_t>> unpaired;
    for (std::size_t j = b.size(); j-- > 0;)
      if (mb[j] < 0) unpaired[b[j].title].push_back(j);
    for (std::size_t i = 0; i < a.size(); ++i) {
      auto it = unpaired.find(a[i].title);
      if (ma[i] >= 0 || it == unpaired.end() || it->second.empty()) continue;
      pair(i, it->second.back());
      moved[it->second.back()] = true;
      it->second.pop_back();
    }
  }

  /// Between the same two aligned entries, an unpaired old entry and the
  /// unpaired new one whose title is most similar (at least min_similarity):
  /// the entry renamed.
  void pair_renamed(const std::vector<TocKey>& a, const std::vector<TocKey>& b, double min_similarity) {
    std::map<std::size_t, std::pair<std::vector<std::size_t>, std::vector<std::size_t>>> gaps;
    for (std::size_t i = 0, g = 0; i < a.size(); ++i)
      if (ma[i] >= 0 && !moved[static_cast<std::size_t>(ma[i])]) ++g;
      else if (ma[i] < 0) gaps[g].first.push_back(i);
    for (std::size_t j = 0, g = 0; j < b.size(); ++j)
      if (mb[j] >= 0 && !moved[j]) ++g;
      else if (mb[j] < 0) gaps[g].second.push_back(j);
    for (const auto& [g, sides] : gaps) {
      const auto& [olds, news] = sides;
      if (olds.size() * news.size() > kMaxRenamePairs) continue;
      for (std::size_t i : olds) {
        long pick = -1;
        double best = min_similarity;
        for (std::size_t j : news) {
          if (mb[j] >= 0) continue;
          double s = similarity(a[i].title, b[j].title, min_similarity);
          if (s >= best) pick = static_cast<long>(j), best = s;
        }
        if (pick >= 0) pair(i, static_cast<std::size_t>(pick));
      }
    }
  }
};

std::string toc_text(const TocEntry& t) { return (t.page ? std::to_string(*t.page) + " " : std::string()) + t.title; }

std::string toc_path(std::size_t k) { return "toc[" + std::to_string(k) + "]"; }

/// Matches the entries (aligned by title and page; then an equal title out of
/// order is moved; then, between the same aligned entries, the most similar
/// title is the entry renamed) and reports: a removed or added entry once, a
/// moved one once, and the page and title of the others when they changed.
/// Changes come in the new order, a removed entry after the one before it.
void compare_toc(const std::vector<TocEntry>& a, const std::vector<TocEntry>& b, const DiffOptions& opts,
                 std::vector<Change>* out) {
  std::vector<TocKey> ka, kb;
  for (const TocEntry& t : a) ka.push_back({normalize_for_diff(t.title), t.page});
  for (const TocEntry& t : b) kb.push_back({normalize_for_diff(t.title), t.page});
  TocMatch m(a.size(), b.size());
  for (const auto& [i, j] : align_toc(ka, kb)) m.pair(i, j);
  m.pair_moved(ka, kb);
  m.pair_renamed(ka, kb, opts.min_similarity);

  std::vector<std::pair<std::pair<long, long>, Change>> rows;
  auto emit = [&](long order, long sub, std::optional<Change> c) {
    if (c) rows.push_back({{order, sub}, std::move(*c)});
  };
  for (std::size_t j = 0; j < b.size(); ++j) {
    const long order = static_cast<long>(j);
    Change c;
    c.path = toc_path(j);
    if (m.mb[j] < 0) {
      c.kind = "added";
      c.new_text = toc_text(b[j]);
      emit(order, 0, std::move(c));
      continue;
    }
    const TocEntry& o = a[static_cast<std::size_t>(m.mb[j])];
    if (m.moved[j]) {
      c.kind = "moved";
      c.old_path = toc_path(static_cast<std::size_t>(m.mb[j]));
      c.old_text = toc_text(o);
      c.new_text = toc_text(b[j]);
      emit(order, 0, std::move(c));
      continue;
    }
    auto page = field_change(c.path + "/page", opt_text(o.page), opt_text(b[j].page), opts);
    if (page) page->edits.clear();  // a number is shown whole: [-53-]{+50+}, not 5[-3-]{+0+}
    emit(order, 0, std::move(page));
    emit(order, 1, field_change(c.path + "/title", o.title, b[j].title, opts));
  }
  long after = -1;  // the new index of the last old entry before, paired in order
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (m.ma[i] >= 0) {
      if (!m.moved[static_cast<std::size_t>(m.ma[i])]) after = m.ma[i];
      continue;
    }
    Change c;
    c.path = toc_path(i);
    c.kind = "removed";
    c.old_text = toc_text(a[i]);
    emit(after, static_cast<long>(i) + 2, std::move(c));
  }
  std::stable_sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (auto& r : rows) out->push_back(std::move(r.second));
}

/// The nodes that print no table of contents entry: the entries are compared
/// one by one (compare_toc), not again as the text of the front matter.
std::vector<Node> outside_toc(const std::vector<Node>& nodes, const std::vector<TocEntry>& toc) {
  std::set<int> toc_lines;
  for (const TocEntry& t : toc)
    if (t.line > 0) toc_lines.insert(t.line);
  auto prints_entry = [&](const Node& n) {
    if (toc_lines.count(n.line)) return true;
    for (const LineSpan& s : n.spans) {
      auto it = toc_lines.lower_bound(s.first);
      if (it != toc_lines.end() && *it <= s.last) return true;
    }
    return false;
  };
  std::vector<Node> out;
  std::copy_if(nodes.begin(), nodes.end(), std::back_inserter(out), [&](const Node& n) { return !prints_entry(n); });
  return out;
}

void compare_issue_fields(const Issue& a, const Issue& b, const DiffOptions& opts, std::vector<Change>* out) {
  auto field = [&](const std::string& path, const std::string& x, const std::string& y) {
    if (auto c = field_change(path, x, y, opts)) out->push_back(std::move(*c));
  };
  field("publication", a.publication, b.publication);
  field("year", opt_text(a.year), opt_text(b.year));
  field("number", opt_text(a.number), opt_text(b.number));
  field("cumulative_number", opt_text(a.cumulative_number), opt_text(b.cumulative_number));
  compare_toc(a.toc, b.toc, opts, out);
  compare_matter("front_matter", outside_toc(a.front_matter, a.toc), outside_toc(b.front_matter, b.toc), opts, out);
  compare_matter("back_matter", a.back_matter, b.back_matter, opts, out);
  compare_matter("unassigned", a.unassigned, b.unassigned, opts, out);
}

}  // namespace

IssueDiff diff_issues(const Issue& a, const Issue& b, const DiffOptions& opts) {
  IssueDiff out;
  compare_issue_fields(a, b, opts, &out.issue_changes);

  const std::size_t na = a.notices.size(), nb = b.notices.size();
  std::vector<int> ma(na, -1), mb(nb, -1);
  auto content_key = [](const Notice& n) {
    return normalize_for_diff(n.issuer) + "\x1f" + normalize_for_diff(notice_text(n)) + "\x1f" +
           normalize_for_diff(join(n.addressees, "，")) + "\x1f" + n.date.value_or(n.date_text);
  };
  auto pair_up = [&](std::size_t i, std::size_t j) {
    ma[i] = static_cast<int>(j);
    mb[j] = static_cast<int>(i);
  };
  // 1. Same 文号. Where a 文号 is printed on several notices of a side, the
  //    notices with the same content pair first, then those with the same
  //    title, then the rest in order: removing the middle one of three is
  //    one removal, not a change and a removal.
  std::unordered_map<std::string, std::vector<std::size_t>> a_docnum, b_docnum;
  for (std::size_t i = 0; i < na; ++i) a_docnum[docnum_key(a.notices[i])].push_back(i);
  for (std::size_t j = 0; j < nb; ++j) b_docnum[docnum_key(b.notices[j])].push_back(j);
  for (std::size_t first = 0; first < na; ++first) {
    const std::string k = docnum_key(a.notices[first]);
    const std::vector<std::size_t>& as = a_docnum[k];
    if (as.front() != first) continue;  // each group once, at its first notice
    auto bit = b_docnum.find(k);
    if (bit == b_docnum.end()) continue;
    const std::vector<std::size_t>& bs = bit->second;
    if (as.size() > 1 || bs.size() > 1) {
      for (auto key : {std::function<std::string(const Notice&)>(content_key),
                       std::function<std::string(const Notice&)>([&](const Notice& n) { return title_key(n); })})
        for (std::size_t i : as)
          for (std::size_t j : bs)
            if (ma[i] < 0 && mb[j] < 0 && key(a.notices[i]) == key(b.notices[j])) pair_up(i, j);
    }
    std::size_t jb = 0;
    for (std::size_t i : as) {
      if (ma[i] >= 0) continue;
      while (jb < bs.size() && mb[bs[jb]] >= 0) ++jb;
      if (jb == bs.size()) break;
      pair_up(i, bs[jb]);
    }
  }
  // Pairs the notices still unmatched whose keys are equal, in order.
  auto match_by = [&](auto key) {
    std::unordered_map<std::string, std::vector<std::size_t>> by_key;
    for (std::size_t j = 0; j < nb; ++j)
      if (mb[j] < 0) by_key[key(b.notices[j])].push_back(j);
    for (std::size_t i = 0; i < na; ++i) {
      if (ma[i] >= 0) continue;
      auto it = by_key.find(key(a.notices[i]));
      if (it == by_key.end()) continue;
      for (std::size_t j : it->second)
        if (mb[j] < 0) { pair_up(i, j); break; }
    }
  };
  // 2. Another 文号, the same content: renumbered.
  match_by(content_key);
  // 3. Another 文号, the same title up to its digits (next year's plan): changed.
  match_by([&](const Notice& n) { return title_key(n); });

  // In the new issue's order; a removed notice after the one that preceded it.
  std::vector<std::pair<std::pair<long, long>, NoticeDiff>> rows;
  for (std::size_t j = 0; j < nb; ++j) {
    const Notice& n = b.notices[j];
    if (mb[j] < 0) {
      rows.push_back({{static_cast<long>(j), 0}, one_sided(n, NoticeStatus::Added)});
      continue;
    }
    const Notice& o = a.notices[static_cast<std::size_t>(mb[j])];
    NoticeDiff d;
    d.docnum = docnum_label(n);
    d.old_docnum = o.docnum.text;
    d.new_docnum = n.docnum.text;
    d.title = n.title;
    d.changes = compare_notices(o, n, opts);
    bool renumbered = docnum_key(o) != docnum_key(n);
    if (renumbered && !d.changes.empty()) {
      Change c;
      c.path = "docnum";
      c.kind = "changed";
      c.old_text = o.docnum.text;
      c.new_text = n.docnum.text;
      c.edits = diff_text(c.old_text, c.new_text, opts.max_edits);
      d.changes.insert(d.changes.begin(), std::move(c));
    }
    d.status = !d.changes.empty() ? NoticeStatus::Changed : renumbered ? NoticeStatus::Renumbered : NoticeStatus::Unchanged;
    rows.push_back({{static_cast<long>(j), 0}, std::move(d)});
  }
  for (std::size_t i = 0; i < na; ++i) {
    if (ma[i] >= 0) continue;
    long after = -1;
    for (std::size_t k = i; k-- > 0;)
      if (ma[k] >= 0) { after = ma[k]; break; }
    rows.push_back({{after, static_cast<long>(i) + 1}, one_sided(a.notices[i], NoticeStatus::Removed)});
  }
  std::stable_sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (auto& r : rows) out.notices.push_back(std::move(r.second));
  return out;
}

}  // namespace gazette

namespace gazette {
namespace {

const char* op_name(TextEdit::Op op) {
  switch (op) {
    case TextEdit::Op::Equal: return "equal";
    case TextEdit::Op::Delete: return "delete";
    case TextEdit::Op::Insert: return "insert";
  }
  return "equal";
}

Json change_json(const Change& c) {
  Json j;
  j["path"] = c.path;
  j["kind"] = c.kind;
  j["old"] = c.old_text;
  j["new"] = c.new_text;
  if (!c.old_path.empty()) j["old_path"] = c.old_path;
  if (!c.old_date.empty() || !c.new_date.empty()) {
    j["old_date"] = c.old_date.empty() ? Json(nullptr) : Json(c.old_date);
    j["new_date"] = c.new_date.empty() ? Json(nullptr) : Json(c.new_date);
  }
  if (!c.edits.empty()) {
    Json e = Json::array();
    for (const auto& x : c.edits) e.push_back(Json{{"op", op_name(x.op)}, {"text", x.text}});
    j["edits"] = e;
  }
  return j;
}

/// The first `n` code points of s.
std::string head(const std::string& s, std::size_t n) {
  std::size_t i = 0, k = 0;
  while (i < s.size() && k < n) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
    ++k;
  }
  return s.substr(0, i);
}

/// The last `n` code points of s.
std::string tail(const std::string& s, std::size_t n) {
  std::size_t i = s.size(), k = 0;
  while (i > 0 && k < n) {
    --i;
    while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
    ++k;
  }
  return s.substr(i);
}

/// One line: line breaks shown as " / ".
std::string one_line(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') out += " / ";
    else if (c != '\r') out += c;
  }
  return out;
}

std::string shorten(const std::string& s, std::size_t n) {
  std::string t = one_line(s);
  return utf8_length(t) > n ? head(t, n) + "…" : t;
}

std::string render_edits(const std::vector<TextEdit>& edits, const TextStyle& st) {
  std::string out;
  for (std::size_t i = 0; i < edits.size(); ++i) {
    const TextEdit& e = edits[i];
    std::string t = one_line(e.text);
    switch (e.op) {
      case TextEdit::Op::Delete: out += st.del_open + t + st.del_close; break;
      case TextEdit::Op::Insert: out += st.ins_open + t + st.ins_close; break;
      case TextEdit::Op::Equal: {
        std::size_t len = utf8_length(t), c = st.context;
        bool first = i == 0, last = i + 1 == edits.size();
        if (first && last) out += t;
        else if (first) out += len > c ? "…" + tail(t, c) : t;
        else if (last) out += len > c ? head(t, c) + "…" : t;
        else out += len > 2 * c + 1 ? head(t, c) + "…" + tail(t, c) : t;
        break;
      }
    }
  }
  return out;
}

void render_change(const Change& c, const TextStyle& st, std::string* out) {
  *out += "    " + c.path + ": ";
  if (c.kind == "moved" || c.kind == "renumbered") {
    *out += c.kind + " from " + c.old_path;
    if (c.kind == "moved") *out += ": " + shorten(c.new_text, st.max_shown / 2);
  } else if (c.kind == "added") {
    *out += st.ins_open + shorten(c.new_text, st.max_shown) + st.ins_close;
  } else if (c.kind == "removed") {
    *out += st.del_open + shorten(c.old_text, st.max_shown) + st.del_close;
  } else if (!c.edits.empty()) {
    *out += render_edits(c.edits, st);
  } else {
    *out += st.del_open + shorten(c.old_text, st.max_shown) + st.del_close + st.ins_open +
            shorten(c.new_text, st.max_shown) + st.ins_close;
  }
  if (!c.old_date.empty() || !c.new_date.empty())
    *out += "  (" + (c.old_date.empty() ? std::string("no date") : c.old_date) + " → " +
            (c.new_date.empty() ? std::string("no date") : c.new_date) + ")";
  *out += "\n";
}

}  // namespace

Json diff_to_json(const IssueDiff& d) {
  Json j;
  j["schema"] = kDiffSchema;
  j["same"] = d.same();
  Json notices = Json::array();
  for (const auto& n : d.notices) {
    Json nj;
    nj["docnum"] = n.docnum;
    nj["status"] = status_name(n.status);
    if (n.status == NoticeStatus::Renumbered || (!n.old_docnum.empty() && !n.new_docnum.empty() && n.old_docnum != n.new_docnum)) {
      nj["old_docnum"] = n.old_docnum;
      nj["new_docnum"] = n.new_docnum;
    }
    nj["title"] = n.title;
    Json changes = Json::array();
    for (const auto& c : n.changes) changes.push_back(change_json(c));
    nj["changes"] = changes;
    notices.push_back(nj);
  }
  j["notices"] = notices;
  Json issue = Json::array();
  for (const auto& c : d.issue_changes) issue.push_back(change_json(c));
  j["issue_changes"] = issue;
  return j;
}

std::string render_diff_text(const IssueDiff& d, const TextStyle& st) {
  std::string out;
  if (!d.issue_changes.empty()) {
    out += st.head_open + "issue" + st.head_close + "\n";
    for (const auto& c : d.issue_changes) render_change(c, st, &out);
  }
  std::size_t counts[5] = {0, 0, 0, 0, 0};
  for (const auto& n : d.notices) {
    ++counts[static_cast<int>(n.status)];
    if (n.status == NoticeStatus::Unchanged && !st.show_unchanged) continue;
    std::string name = status_name(n.status);
    name.resize(std::max<std::size_t>(name.size(), 11), ' ');
    std::string num = n.docnum;
    if (!n.old_docnum.empty() && !n.new_docnum.empty() && n.old_docnum != n.new_docnum)
      num = n.old_docnum + " → " + n.new_docnum;
    out += st.head_open + name + num + "  " + n.title + st.head_close + "\n";
    if (n.status == NoticeStatus::Changed)
      for (const auto& c : n.changes) render_change(c, st, &out);
  }
  std::string summary;
  for (NoticeStatus s : {NoticeStatus::Changed, NoticeStatus::Renumbered, NoticeStatus::Added, NoticeStatus::Removed,
                         NoticeStatus::Unchanged}) {
    if (!summary.empty()) summary += ", ";
    summary += std::to_string(counts[static_cast<int>(s)]) + " " + status_name(s);
  }
  out += (out.empty() ? "" : "\n") + summary + "\n";
  return out;
}

}  // namespace gazette
