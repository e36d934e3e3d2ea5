// Flat tables of converted issues, for spreadsheets and the shell: one row per
// responsibility block, per cited 文号, per notice. Each table is defined here
// once, as a list of columns (a name and a function of the row); the CSV,
// JSON Lines and XLSX writers all take their rows from these definitions.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "diagnostics.h"
#include "grammar.h"
#include "model.h"

namespace gazette {

/// One value of a table: text, a whole number, a date (ISO 8601 text), a list
/// of names, or nothing.
struct Cell {
  enum class Kind { Null, Text, Integer, Date, List };
  Kind kind = Kind::Null;
  std::string text;               ///< Text, Date
  long long number = 0;           ///< Integer
  std::vector<std::string> list;  ///< List
  /// The cell as one string (CSV, a spreadsheet cell): a list joined with 、,
  /// a date as ISO 8601 text, nothing as "".
  std::string flat() const;
};

/// What a row is made from: the issue, one notice, and for a responsibility
/// row the node and the markers down to it, for a reference row the cited
/// 文号. The pointers live as long as the issue.
struct ExportRow {
  const std::string* issue = nullptr;  ///< the issue's name (its folder's, or the text's file stem)
  const Notice* notice = nullptr;
  const Node* node = nullptr;          ///< responsibilities
  std::string marker_path;             ///< responsibilities: 四、 > （一） > 1.
  const DocNumber* cited = nullptr;    ///< references
};

struct ExportColumn {
  std::string name;
  std::function<Cell(const ExportRow&)> value;
};

struct ExportTable {
  std::string name;
  std::string description;
  std::vector<ExportColumn> columns;
  /// Calls `emit` with every row of one issue, in the issue's order.
  std::function<void(const std::string& issue_name, const Issue& issue,
                     const std::function<void(const ExportRow&)>& emit)>
      rows;
};

/// The tables: responsibilities, references, notices.
const std::vector<ExportTable>& export_tables();
/// The table named `name`, or nullptr.
const ExportTable* find_export_table(const std::string& name);

/// What a SOURCE of export is: a folder convert wrote (an issue file in it),
/// a folder batch wrote (notices.jsonl and a folder per issue), or anything
/// else (read as an issue text).
enum class ExportSourceKind { IssueFolder, BatchFolder, OtherFolder, Text };
ExportSourceKind export_source_kind(const std::string& path);

/// The issue folders of a batch folder: every sub-folder with an issue file,
/// sorted by name (byte order).
std::vector<std::string> batch_issue_folders(const std::string& dir);

/// The canonical form of a 文号 printed any way (呼卫健字(2022)133号,
/// 呼卫健字〔２０２２〕１３３号), read by the grammar's docnum rules as a cited
/// 文号 is: what a references row's `cited` holds. Nothing when the text is
/// not one 文号.
std::optional<std::string> canonical_docnum_of(const std::string& printed, const Grammar& g);

/// Receives a table: the header once, then each row's cells.
class TableWriter {
 public:
  virtual ~TableWriter() = default;
  virtual void header(const ExportTable& t) = 0;
  virtual void row(const std::vector<Cell>& cells) = 0;
  /// Ends the table. False and an Output error when it cannot be written.
  virtual bool finish(Error* err) = 0;
};

/// CSV by RFC 4180 into `out`: CRLF line ends, a field holding a comma, a
/// quote, CR or LF quoted, quotes doubled; UTF-8, with a byte order mark first
/// when `bom` (what Excel and WPS need to read the file as UTF-8).
std::unique_ptr<TableWriter> csv_writer(std::string* out, bool bom);
/// JSON Lines into `out`: one object per row, keys the column names, lists as
/// arrays, nothing as null.
std::unique_ptr<TableWriter> jsonl_writer(std::string* out);
/// An XLSX workbook written to `path` (libxlsxwriter): one sheet named after
/// the table, the header row bold and frozen, a filter on it, dates as dates.
/// The same rows give the same bytes (the workbook's creation time is fixed).
std::unique_ptr<TableWriter> xlsx_writer(const std::string& path);

/// Writes every row of `issue` to `w` (the header is the caller's), keeping
/// only the rows `keep` accepts when it is given.
void export_rows(const ExportTable& t, const std::string& issue_name, const Issue& issue, TableWriter& w,
                 const std::function<bool(const ExportRow&)>& keep = nullptr);

}  // namespace gazette
