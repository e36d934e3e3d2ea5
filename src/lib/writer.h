// Output: the document tree rendered as JSON or YAML, and written to a folder
// so that a failed run leaves nothing partial behind.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "diagnostics.h"
#include "json_model.h"
#include "model.h"

namespace gazette {

enum class Format { Yaml, Json };

const char* format_extension(Format f);

/// JSON text: two-space indent, UTF-8 as is, a final newline.
std::string render_json(const Json& j);
/// YAML text of the same tree, block style, every string double-quoted with
/// JSON escapes (valid YAML 1.2: strings such as no, true, 01 stay strings).
/// Written here rather than with yaml-cpp's emitter, which cost three times
/// the whole conversion; tests read it back with yaml-cpp.
std::string render_yaml(const Json& j);
std::string render(const Json& j, Format f);

struct OutputFile {
  std::string name;     ///< file name inside the output folder
  std::string content;
};

/// The files convert writes for one issue: one per notice (named from its
/// 文号) and the issue file, in a fixed order. Their names are known at once;
/// each text is rendered on demand, so that a writer holds one at a time.
/// The text read off a PDF or scan, written beside the issue file.
inline constexpr const char* kReadTextFile = "source.txt";

class IssueFiles {
 public:
  IssueFiles(const Issue& issue, Format f);
  const std::vector<std::string>& names() const { return names_; }
  /// The text of file i, rendered into `out` (its old content replaced, its
  /// capacity kept).
  void render(std::size_t i, std::string* out) const;

 private:
  const Issue& issue_;
  Format format_;
  std::vector<std::string> names_;  ///< one per notice, then the issue file
};

/// The issue as JSON Lines (convert -o -): the issue file's tree on the first
/// line, then each notice file's, in order, each compact on one line; the
/// trees the JSON files of a folder hold (the issue's `file` names included).
std::string render_issue_lines(const Issue& issue);

/// All the files of an issue with their texts (IssueFiles, rendered).
std::vector<OutputFile> render_issue(const Issue& issue, Format f);

/// How write_files writes.
struct WriteOptions {
  /// Flush to disk (one syncfs) before the renames, and the folder after
  /// them. batch turns it off and calls sync_filesystem once per group of
  /// issues instead.
  bool sync = true;
  /// Before writing a new folder, remove what interrupted runs left beside
  /// it. batch turns it off and cleans its output folder once.
  bool clean_parent = true;
  /// The files are a whole issue: an existing folder that holds only what
  /// gazette writes is replaced whole, in one step (see write_files). Off,
  /// the files are added to the folder and its other files kept (batch's
  /// stamps). The IssueFiles overload sets it.
  bool whole_folder = false;
};

/// Writes every file into `dir`. With `whole_folder`, an existing folder
/// that holds only what gazette writes (an issue file, notice files,
/// source.txt, `.gazette-*` files) is replaced whole: the new folder is
/// written beside it and the two are swapped in one step (renameat2
/// RENAME_EXCHANGE), so a run killed at any point leaves the old folder or
/// the new one, never a mix, and no notice file of an older run survives.
/// Otherwise (or on a file system that cannot swap) an existing folder gets
/// each file under a hidden temporary name (`.gazette-tmp-PID-N`), flushed to
/// disk, and renamed into place only when all were written, the last file
/// (the issue file) last. A missing folder is written whole as a hidden temporary folder
/// beside it (its parents are created) and renamed into place at the end.
/// A reader therefore sees the old file or the new one, never a truncated
/// one, and a new folder whole or not at all. On failure the temporary files
/// or folder are removed and old files stay as they were. Names must be
/// single path components (checked again here). What an interrupted run
/// left behind is removed by the next run that writes there.
/// Returns false and fills `err` (kind Output) when the folder or a file
/// cannot be written.
bool write_files(const std::string& dir, const std::vector<OutputFile>& files, Error* err,
                 const WriteOptions& opts = WriteOptions{});
/// The same for an issue's files, each rendered just before it is written;
/// `whole_folder` is on, whatever `opts` says.
bool write_files(const std::string& dir, const IssueFiles& files, Error* err,
                 const WriteOptions& opts = WriteOptions{});

/// Removes the temporary files and folders that interrupted runs (processes
/// that no longer exist) left in `dir`.
void remove_stale_temporaries(const std::string& dir);

/// Flushes the file system that holds `dir` to disk (syncfs). False and an
/// Output error when it cannot.
bool sync_filesystem(const std::string& dir, Error* err);

}  // namespace gazette
