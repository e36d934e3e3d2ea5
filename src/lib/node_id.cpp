#include "node_id.h"

#include <unordered_map>

#include "diff.h"
#include "text.h"

namespace gazette {
namespace {

std::string chinese_numeral(int n) {
  static const char* const digits[] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  if (n < 0 || n >= 100) return std::to_string(n);
  if (n < 10) return digits[n];
  std::string out = n >= 20 ? std::string(digits[n / 10]) + "十" : std::string("十");
  if (n % 10) out += digits[n % 10];
  return out;
}

/// The segment of an item before duplicates are told apart.
std::string marker_segment(const Node& n) {
  if (n.number > 0) {
    switch (n.level) {
      case 1: return chinese_numeral(n.number);
      case 2: return "（" + chinese_numeral(n.number) + "）";
      case 3: return std::to_string(n.number);
      case 4: return "（" + std::to_string(n.number) + "）";
      case 5:
        if (n.number <= 20) return to_utf8(icu::UnicodeString(static_cast<UChar32>(0x2460 + n.number - 1)));
        return "(" + std::to_string(n.number) + ")";
      default: break;
    }
  }
  std::string m = normalize_for_diff(n.marker);
  while (!m.empty() && (m.back() == '.' || m.back() == ',')) m.pop_back();
  if (m.size() >= 3 && m.compare(m.size() - 3, 3, "、") == 0) m.resize(m.size() - 3);
  return m.empty() ? "item" : m;
}

}  // namespace


std::vector<std::string> sibling_segments(const std::vector<Node>& nodes) {
  std::vector<std::string> out;
  out.reserve(nodes.size());
  std::unordered_map<std::string, int> seen;  // segment → copies so far
  std::unordered_map<int, int> type_count;    // unnumbered nodes of each type so far
  for (const Node& n : nodes) {
    std::string segment = n.type == NodeType::Item
                              ? marker_segment(n)
                              : std::string(node_type_name(n.type)) + "[" +
                                    std::to_string(type_count[static_cast<int>(n.type)]++) + "]";
    const int copy = ++seen[segment];
    if (copy > 1) segment += "#" + std::to_string(copy);
    out.push_back(std::move(segment));
  }
  return out;
}

void assign_node_ids(const std::string& root, std::vector<Node>* nodes) {
  const std::vector<std::string> segments = sibling_segments(*nodes);
  for (std::size_t i = 0; i < nodes->size(); ++i) {
    Node& n = (*nodes)[i];
    n.id = root + "/" + segments[i];
    assign_node_ids(n.id, &n.children);
  }
}

void assign_node_ids(Notice* notice) {
  assign_node_ids("body", &notice->body);
  for (std::size_t i = 0; i < notice->enclosures.size(); ++i)
    assign_node_ids("enclosures[" + std::to_string(i) + "]", &notice->enclosures[i].body);
}

void assign_node_ids(Issue* issue) {
  for (Notice& n : issue->notices) assign_node_ids(&n);
  assign_node_ids("front_matter", &issue->front_matter);
  assign_node_ids("back_matter", &issue->back_matter);
  assign_node_ids("unassigned", &issue->unassigned);
}

}  // namespace gazette
