// Stable node ids: a node is named by its container and the path of markers
// down to it, `body/四/（一）` or `enclosures[0]/二/paragraph[1]`. The same
// names are convert's `id` keys, diff's paths and the exports' item column,
// so that a change diff reports can be joined to the node convert wrote.
#pragma once

#include <string>
#include <vector>

#include "model.h"

namespace gazette {

/// The last segment of the id of each of `nodes` (siblings): an item's number
/// in the canonical form of its marker kind (（一） for (一) and （一）, 3 for
/// 3. and 3、), a paragraph, roster or table by its type and index among its
/// siblings of that type (paragraph[0]); a segment printed twice among
/// siblings gets #2, #3 on its later copies.
std::vector<std::string> sibling_segments(const std::vector<Node>& nodes);

/// Gives every node in `nodes` and below it its id under `root`.
void assign_node_ids(const std::string& root, std::vector<Node>* nodes);

/// Ids for a notice: its body under `body`, its enclosures under
/// `enclosures[i]`.
void assign_node_ids(Notice* notice);

/// Ids for an issue: every notice, and the issue's own matter under
/// `front_matter`, `back_matter` and `unassigned`.
void assign_node_ids(Issue* issue);

}  // namespace gazette
