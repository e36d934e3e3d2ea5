// Structured fields read out of printed text: responsibility blocks, deadlines,
// roster members, addressees, cited 文号. Every parser keeps the printed text
// it reads from; the structured values sit beside it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "classify.h"
#include "model.h"

namespace gazette {

/// Splits a list of units on the grammar's list separator (、), trimmed,
/// padding spaces between CJK characters removed, empty entries dropped.
std::vector<std::string> split_units(const std::string& printed, Matchers& m);

/// Reads a 完成时限: the last day the text allows, or no date. `year` fills
/// templates that use {year} (a date printed without its year).
Deadline parse_deadline(const std::string& printed, Matchers& m, std::optional<int> year);

/// The list a responsibility field fills (leaders, lead_units, units,
/// partner_units); nullptr for deadline or an unknown field.
std::vector<std::string>* responsibility_list(Responsibility* r, const std::string& field);

/// Sets one field of a responsibility block from its printed value.
void set_responsibility_field(Responsibility* r, const std::string& field, const std::string& value, Matchers& m,
                              std::optional<int> year);

/// Reads the parenthesis that closes a paragraph (牵头单位：…；责任单位：…).
std::optional<Responsibility> parse_responsibility_paren(const std::string& printed, Matchers& m,
                                                         std::optional<int> year, int line);

/// Reads the members on a roster line after its role (王中钢 旗委常委、常务副旗长,
/// 刘二军、苏德巴特, 张 亚). Returns nothing when the text is not member-shaped.
std::vector<RosterMember> parse_roster_members(const std::string& role, const std::string& rest, int line,
                                               Matchers& m);

/// Splits a 主送机关 line: on ， where it has one (categories), otherwise on 、.
std::vector<std::string> split_addressees(const std::string& printed);

/// Every 文号 cited in a printed line, in order.
std::vector<DocNumber> find_references(const LineInfo& li, Matchers& m);

}  // namespace gazette
