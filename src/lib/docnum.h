// The 文号 as a key. PDF extractors and OCR print one document number in many
// forms (土左政字[2023]73号, 土左政字（２０２３）07号, 土左政字 〔2023〕 73 号);
// the canonical form is the one GB/T 9704-2012 prints, built from the parts
// the docnum rules captured, so that every form of a notice's number gives the
// same key: file name, diff match, validate series, reference, batch row.
#pragma once

#include <string>
#include <string_view>

#include "model.h"

namespace gazette {

/// A 机关代字 without white space, NFKC-folded (full-width letters and digits
/// and （） to ASCII, Han kept): what keys a 文号 series.
std::string canonical_agency(std::string_view agency);

/// The GB/T 9704-2012 form of a 文号 from its parts: the canonical 机关代字,
/// then 〔year〕
/// (`year年` for a year printed without brackets, the 公告 form
/// 国家税务总局公告2021年第5号), 第 only when it was printed, the number
/// without leading zeros, and 号:
///   土左政字[2023]73号, 土左政字（２０２３）07号 → 土左政字〔2023〕73号
///   国令第707号 → 国令第707号;  土左政字〔2023〕第7号 keeps its 第
/// Without a number or an agency the parts cannot be trusted: `printed`
/// without white space.
std::string canonical_docnum(const DocNumber& d, std::string_view printed);

/// Records how the 文号 was printed (trimmed) and sets `canonical` and `text`
/// (the key) from the parts already in `d`.
void set_docnum_forms(DocNumber* d, std::string_view printed);

/// has_di and leading_zero as the printed text shows them (…第7号, …07号),
/// for a 文号 read back from a folder, whose files do not carry them.
void read_number_marks(DocNumber* d);

}  // namespace gazette
