// Helpers of the input, encoding and large-input tests: a temporary folder,
// files as bytes, and a run of the built gazette binary.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

namespace gazette::io_test {

/// A fresh folder under $TMPDIR (or /tmp), removed with everything in it.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/gazette-io-test-XXXXXX";
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline void write_file(const std::filesystem::path& p, const std::string& bytes) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + p.string());
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// Single-quotes a word for /bin/sh.
inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct RunResult {
  int status = -1;   ///< exit status, or 128 + signal
  std::string out;   ///< standard output
  std::string err;   ///< standard error
};

/// Runs `gazette ARGS` (ARGS as /bin/sh reads them) in `cwd`.
/// Runs the gazette binary in `cwd`; with `memory_kib`, under that limit of
/// address space (ulimit -v).
inline RunResult run_gazette(const std::string& args, const std::filesystem::path& cwd, long memory_kib = 0) {
  std::filesystem::path out = cwd / ".." / (cwd.filename().string() + ".stdout");
  std::filesystem::path err = cwd / ".." / (cwd.filename().string() + ".stderr");
  std::string cmd = "cd " + shell_quote(cwd.string()) + " && " +
                    (memory_kib > 0 ? "ulimit -v " + std::to_string(memory_kib) + " && " : std::string()) +
                    shell_quote(GAZETTE_BINARY) + " " + args + " >" + shell_quote(out.string()) + " 2>" +
                    shell_quote(err.string());
  int rc = std::system(cmd.c_str());
  RunResult r;
  if (WIFEXITED(rc)) r.status = WEXITSTATUS(rc);
  else if (WIFSIGNALED(rc)) r.status = 128 + WTERMSIG(rc);
  r.out = read_file(out);
  r.err = read_file(err);
  std::error_code ec;
  std::filesystem::remove(out, ec);
  std::filesystem::remove(err, ec);
  return r;
}

}  // namespace gazette::io_test
