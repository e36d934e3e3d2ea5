// The XLSX writer of export (libxlsxwriter, Debian's libxlsxwriter-dev).
#include <algorithm>
#include <cstdio>

#include <xlsxwriter.h>

#include "export.h"
#include "text.h"

namespace gazette {
namespace {

/// The workbook's creation time, fixed so that the same rows give the same
/// bytes (libxlsxwriter would write the current time): 2000-01-01 00:00 UTC.
constexpr time_t kCreated = 946684800;
/// What a spreadsheet cell holds at most, in characters.
constexpr std::size_t kMaxCellChars = 32767;
/// Column widths, in characters: at least and at most.
constexpr double kMinWidth = 6, kMaxWidth = 60;

/// Display width of a cell's text: CJK characters (three UTF-8 bytes and
/// more) count two, the widest line of several.
double display_width(const std::string& s) {
  double widest = 0, w = 0;
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (c == '\n') {
      widest = std::max(widest, w);
      w = 0;
    } else {
      w += len >= 3 ? 2 : 1;
    }
    i += len;
  }
  return std::max(widest, w);
}

/// lxw_datetime of an ISO 8601 date (2024-06-30); false for anything else.
bool iso_date(const std::string& s, lxw_datetime* dt) {
  int y = 0, m = 0, d = 0;
  char rest = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &rest) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
    return false;
  *dt = lxw_datetime{y, m, d, 0, 0, 0};
  return true;
}

class XlsxWriter : public TableWriter {
 public:
  explicit XlsxWriter(const std::string& path) : path_(path) {
    lxw_workbook_options opts{};
    book_ = workbook_new_opt(path.c_str(), &opts);
    if (!book_) return;
    lxw_doc_properties props{};
    props.created = kCreated;
    workbook_set_properties(book_, &props);
    bold_ = workbook_add_format(book_);
    format_set_bold(bold_);
    date_ = workbook_add_format(book_);
    format_set_num_format(date_, "yyyy-mm-dd");
  }
  ~XlsxWriter() override {
    if (book_) workbook_close(book_);  // not finished: an error already stands
  }
  void header(const ExportTable& t) override {
    if (!book_) return;
    sheet_ = workbook_add_worksheet(book_, t.name.c_str());
    if (!sheet_) return fail("cannot add the sheet");
    widths_.assign(t.columns.size(), kMinWidth);
    for (std::size_t c = 0; c < t.columns.size(); ++c) put_text(0, c, t.columns[c].name, bold_);
    worksheet_freeze_panes(sheet_, 1, 0);
  }
  void row(const std::vector<Cell>& cells) override {
    if (!sheet_ || !error_.empty()) return;
    if (row_ + 1 >= LXW_ROW_MAX) return fail("more rows than a sheet holds (" + std::to_string(LXW_ROW_MAX) + ")");
    ++row_;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const Cell& cell = cells[c];
      lxw_datetime dt;
      if (cell.kind == Cell::Kind::Integer) {
        worksheet_write_number(sheet_, row_, static_cast<lxw_col_t>(c), static_cast<double>(cell.number), nullptr);
        widen(c, std::to_string(cell.number));
      } else if (cell.kind == Cell::Kind::Date && iso_date(cell.text, &dt)) {
        worksheet_write_datetime(sheet_, row_, static_cast<lxw_col_t>(c), &dt, date_);
        widen(c, cell.text);
      } else if (cell.kind != Cell::Kind::Null) {
        put_text(row_, c, cell.flat(), nullptr);
      }
    }
  }
  bool finish(Error* err) override {
    if (book_ && sheet_ && error_.empty()) {
      for (std::size_t c = 0; c < widths_.size(); ++c)
        worksheet_set_column(sheet_, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                             std::min(widths_[c] + 2, kMaxWidth), nullptr);
      if (!widths_.empty())
        worksheet_autofilter(sheet_, 0, 0, row_, static_cast<lxw_col_t>(widths_.size() - 1));
    }
    if (book_) {
      lxw_error e = workbook_close(book_);
      book_ = nullptr;
      if (e != LXW_NO_ERROR && error_.empty()) error_ = lxw_strerror(e);
    } else if (error_.empty()) {
      error_ = "cannot make the workbook";
    }
    if (error_.empty()) return true;
    *err = Error{ErrorKind::Output, path_, 0, 0, -1, "cannot write the workbook: " + error_};
    return false;
  }

 private:
  void fail(const std::string& why) {
    if (error_.empty()) error_ = why;
  }
  void widen(std::size_t c, const std::string& s) { widths_[c] = std::max(widths_[c], display_width(s)); }
  void put_text(lxw_row_t r, std::size_t c, const std::string& s, lxw_format* f) {
    if (utf8_length(s) > kMaxCellChars)
      return fail("row " + std::to_string(r + 1) + ": a value longer than the " + std::to_string(kMaxCellChars) +
                  " characters a cell holds");
    worksheet_write_string(sheet_, r, static_cast<lxw_col_t>(c), s.c_str(), f);
    widen(c, s);
  }

  std::string path_;
  lxw_workbook* book_ = nullptr;
  lxw_worksheet* sheet_ = nullptr;
  lxw_format* bold_ = nullptr;
  lxw_format* date_ = nullptr;
  lxw_row_t row_ = 0;
  std::vector<double> widths_;
  std::string error_;
};

}  // namespace

std::unique_ptr<TableWriter> xlsx_writer(const std::string& path) { return std::make_unique<XlsxWriter>(path); }

}  // namespace gazette
