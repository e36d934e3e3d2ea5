#include "pdf.h"

#include <memory>
#include <mutex>

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

namespace gazette {
namespace {

/// poppler prints its own warnings on standard error; the library never
/// prints, so they are silenced once (errors still come back as values).
void silence_poppler() {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

Error pdf_error(const std::string& name, std::string msg) {
  return Error{ErrorKind::Input, name, 0, 0, -1, std::move(msg)};
}

/// Splits a page's text into lines (LF, CRLF or CR), dropping the form
/// feed poppler may end a page with.
void append_lines(std::string_view text, bool new_page, std::vector<std::string>* lines) {
  std::size_t first = lines->size();
  std::string line;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      lines->push_back(std::move(line));
      line.clear();
    } else if (c != '\f') {
      line += c;
    }
  }
  if (!line.empty()) lines->push_back(std::move(line));
  if (new_page) {
    if (lines->size() == first) lines->emplace_back();
    (*lines)[first].insert(0, 1, '\f');
  }
}

}  // namespace

bool looks_like_pdf(std::string_view bytes) { return bytes.substr(0, 5) == "%PDF-"; }

bool read_pdf(std::string_view bytes, const std::string& name, SourceText* out, Error* err) {
  silence_poppler();
  out->name = name;
  out->encoding = "PDF";
  out->lines.clear();
  out->replaced = 0;
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc) {
    *err = pdf_error(name, "not a readable PDF (damaged or truncated)");
    return false;
  }
  if (doc->is_locked()) {
    *err = pdf_error(name, "the PDF is encrypted; gazette reads it once it is saved without a password");
    return false;
  }
  const int pages = doc->pages();
  if (pages <= 0) {
    *err = pdf_error(name, "the PDF has no pages");
    return false;
  }
  for (int i = 0; i < pages; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (!page) {
      *err = pdf_error(name, "page " + std::to_string(i + 1) + " of " + std::to_string(pages) + " cannot be read");
      return false;
    }
    poppler::byte_array utf8 = page->text().to_utf8();
    std::string_view text(utf8.data(), utf8.size());
    if (text.find_first_not_of(" \t\r\n\f") == std::string_view::npos) {
      *err = pdf_error(name, "page " + std::to_string(i + 1) + " of " + std::to_string(pages) +
                                 " has no text layer (a scanned page); gazette reads the text layer of a PDF, "
                                 "run an OCR engine on scanned pages first");
      return false;
    }
    append_lines(text, i > 0, &out->lines);
  }
  return true;
}

}  // namespace gazette
