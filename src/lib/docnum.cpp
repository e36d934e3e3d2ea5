#include "docnum.h"

#include "text.h"

namespace gazette {

std::string canonical_agency(std::string_view agency) {
  // The match view is NFKC (circled numbers aside, which no 机关代字 holds).
  return remove_spaces(to_utf8(make_match_view(agency).view));
}

std::string canonical_docnum(const DocNumber& d, std::string_view printed) {
  std::string agency = canonical_agency(d.agency);
  if (!d.seq || agency.empty()) return remove_spaces(printed);
  std::string out = std::move(agency);
  if (d.year) {
    std::string year = std::to_string(*d.year);
    out += d.open_bracket.empty() && d.close_bracket.empty() ? year + "年" : "〔" + year + "〕";
  }
  if (d.has_di) out += "第";
  return out + std::to_string(*d.seq) + "号";
}

void set_docnum_forms(DocNumber* d, std::string_view printed) {
  d->printed = trim(printed);
  d->canonical = canonical_docnum(*d, d->printed);
  d->text = d->canonical;
}

void read_number_marks(DocNumber* d) {
  // …第07号 as the match view folds it (０７ → 07), without spaces.
  std::string folded = remove_spaces(to_utf8(make_match_view(d->printed).view));
  static const std::string kHao = "号", kDi = "第";
  if (folded.size() < kHao.size() || folded.compare(folded.size() - kHao.size(), kHao.size(), kHao) != 0) return;
  std::size_t end = folded.size() - kHao.size(), start = end;
  while (start > 0 && folded[start - 1] >= '0' && folded[start - 1] <= '9') --start;
  if (start == end) return;
  d->leading_zero = end - start > 1 && folded[start] == '0';
  d->has_di = start >= kDi.size() && folded.compare(start - kDi.size(), kDi.size(), kDi) == 0;
}

}  // namespace gazette
