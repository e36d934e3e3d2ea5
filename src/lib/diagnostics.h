// Errors and findings as values. The library never prints and never exits:
// it returns these, and src/cli turns them into messages and exit statuses.
#pragma once

#include <string>
#include <vector>

namespace gazette {

/// What kind of failure an error is; the CLI maps each to one exit status.
enum class ErrorKind {
  Usage,    ///< bad command line                      → exit 2
  Grammar,  ///< a rule file is broken                 → exit 2
  Input,    ///< input unreadable or undecodable       → exit 3
  Output,   ///< output cannot be written              → exit 4
  Memory,   ///< the run needed more memory than it may use → exit 5
};

/// Exit statuses shared by every subcommand (documented in --help and README).
enum ExitStatus : int {
  kExitOk = 0,        ///< success
  kExitFindings = 1,  ///< validate found errors / diff found differences
  kExitUsage = 2,     ///< usage or rule-file error
  kExitInput = 3,     ///< input unreadable or undecodable
  kExitOutput = 4,    ///< output cannot be written
  kExitMemory = 5,    ///< out of memory (a memory limit, or too little memory for the input)
};

/// The message for std::bad_alloc, the same from every command.
inline constexpr const char* kOutOfMemory =
    "out of memory: the run needed more memory than it may use (a ulimit, a container's limit, or the "
    "machine's memory); nothing was written";

inline int exit_status_for(ErrorKind k) {
  switch (k) {
    case ErrorKind::Usage:
    case ErrorKind::Grammar: return kExitUsage;
    case ErrorKind::Input: return kExitInput;
    case ErrorKind::Output: return kExitOutput;
    case ErrorKind::Memory: return kExitMemory;
  }
  return kExitUsage;
}

/// An error with the place it is about. `line` and `column` are 1-based, 0 when
/// unknown; `byte_offset` is the 0-based offset in the file, -1 when unknown.
struct Error {
  ErrorKind kind = ErrorKind::Input;
  std::string file;
  int line = 0;
  int column = 0;
  long long byte_offset = -1;
  std::string message;
};

/// Renders `file:line:col: message` (parts that are unknown are left out).
std::string format_error(const Error& e);

enum class Severity { Error, Warning, Info };

inline const char* severity_name(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "info";
  }
  return "error";
}

/// A finding of `validate`, or a warning of convert (never fatal).
struct Finding {
  std::string code;      ///< stable, e.g. docnum.bracket
  Severity severity = Severity::Warning;
  std::string file;
  int line = 0;
  std::string docnum;    ///< the notice it is about, "" for issue-level findings
  std::string message;
};

}  // namespace gazette
