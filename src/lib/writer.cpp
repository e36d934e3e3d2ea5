#include "writer.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>

#include <fcntl.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

namespace gazette {

const char* format_extension(Format f) { return f == Format::Json ? "json" : "yaml"; }

std::string render_json(const Json& j) { return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n"; }

namespace {

/// Strings a YAML 1.1/1.2 reader would take for a bool, null or number.
bool looks_typed(const std::string& s) {
  if (s.empty()) return true;
  static const std::set<std::string> words = {"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
                                               "true", "True", "TRUE", "false", "False", "FALSE", "on", "On",
                                               "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~"};
  if (words.count(s)) return true;
  std::size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  bool digit = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') digit = true;
    else if (c != '.' && c != '_' && c != 'e' && c != 'E' && c != 'x' && c != 'o') return false;
  }
  return digit || s == ".inf" || s == ".nan";
}

void emit(YAML::Emitter& out, const Json& j) {
  switch (j.type()) {
    case Json::value_t::object:
      out << YAML::BeginMap;
      for (auto it = j.begin(); it != j.end(); ++it) {
        out << YAML::Key << it.key() << YAML::Value;
        emit(out, it.value());
      }
      out << YAML::EndMap;
      break;
    case Json::value_t::array: {
      bool flat = !j.empty();
      for (const auto& x : j)
        if (!x.is_primitive()) flat = false;
      if (flat && j.size() <= 8) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const auto& x : j) emit(out, x);
      out << YAML::EndSeq;
      break;
    }
    case Json::value_t::string: {
      const std::string& s = j.get_ref<const std::string&>();
      if (looks_typed(s)) out << YAML::DoubleQuoted << s;
      else out << s;
      break;
    }
    case Json::value_t::boolean: out << (j.get<bool>() ? "true" : "false"); break;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: out << j.dump(); break;
    case Json::value_t::number_float: out << j.dump(); break;
    default: out << YAML::Null; break;
  }
}

}  // namespace

std::string render_yaml(const Json& j) {
  YAML::Emitter out;
  out.SetOutputCharset(YAML::EmitNonAscii);
  out.SetIndent(2);
  emit(out, j);
  return std::string(out.c_str()) + "\n";
}

std::string render(const Json& j, Format f) { return f == Format::Json ? render_json(j) : render_yaml(j); }

std::vector<OutputFile> render_issue(const Issue& issue, Format f) {
  std::vector<OutputFile> out;
  std::vector<std::string> names;
  std::set<std::string> taken = {std::string("issue.") + format_extension(f)};
  for (std::size_t i = 0; i < issue.notices.size(); ++i) {
    std::string stem = notice_file_stem(issue.notices[i].docnum, i);
    std::string name = stem + "." + format_extension(f);
    for (int k = 2; taken.count(name); ++k) name = stem + "-" + std::to_string(k) + "." + format_extension(f);
    taken.insert(name);
    names.push_back(name);
    out.push_back({name, render(to_json(issue.notices[i], issue.source_file), f)});
  }
  out.push_back({std::string("issue.") + format_extension(f), render(to_json(issue, names), f)});
  return out;
}

bool write_files(const std::string& dir, const std::vector<OutputFile>& files, Error* err) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) {
    *err = Error{ErrorKind::Output, dir, 0, 0, -1, "cannot create output folder: " + (ec ? ec.message() : std::string("not a folder"))};
    return false;
  }
  std::vector<std::string> temps;
  auto cleanup = [&] {
    for (const auto& t : temps) ::unlink(t.c_str());
  };
  for (const auto& f : files) {
    std::string final_path = (fs::path(dir) / f.name).string();
    std::string tmp = (fs::path(dir) / ("." + f.name + ".tmp-" + std::to_string(::getpid()))).string();
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
      *err = Error{ErrorKind::Output, final_path, 0, 0, -1, std::string("cannot write: ") + std::strerror(errno)};
      cleanup();
      return false;
    }
    temps.push_back(tmp);
    const char* p = f.content.data();
    std::size_t left = f.content.size();
    while (left > 0) {
      ssize_t w = ::write(fd, p, left);
      if (w < 0) {
        if (errno == EINTR) continue;
        *err = Error{ErrorKind::Output, final_path, 0, 0, -1, std::string("cannot write: ") + std::strerror(errno)};
        ::close(fd);
        cleanup();
        return false;
      }
      p += w;
      left -= static_cast<std::size_t>(w);
    }
    if (::close(fd) != 0) {
      *err = Error{ErrorKind::Output, final_path, 0, 0, -1, std::string("cannot write: ") + std::strerror(errno)};
      cleanup();
      return false;
    }
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::string final_path = (fs::path(dir) / files[i].name).string();
    if (::rename(temps[i].c_str(), final_path.c_str()) != 0) {
      *err = Error{ErrorKind::Output, final_path, 0, 0, -1, std::string("cannot rename into place: ") + std::strerror(errno)};
      for (std::size_t k = i; k < temps.size(); ++k) ::unlink(temps[k].c_str());
      return false;
    }
  }
  return true;
}

}  // namespace gazette
