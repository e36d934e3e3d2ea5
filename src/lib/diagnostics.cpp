#include "diagnostics.h"

namespace gazette {

std::string format_error(const Error& e) {
  std::string out = e.file;
  if (e.line > 0) {
    out += ":" + std::to_string(e.line);
    if (e.column > 0) out += ":" + std::to_string(e.column);
  }
  if (!out.empty()) out += ": ";
  out += e.message;
  return out;
}

}  // namespace gazette
