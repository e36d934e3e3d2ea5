// PDF input: the text layer of a born-digital PDF, read page by page with
// poppler, so that where each page ends is known rather than guessed (reflow
// takes a form feed as a page boundary, as pdftotext prints one).
#pragma once

#include <string>
#include <string_view>

#include "diagnostics.h"
#include "source.h"

namespace gazette {

/// True when the bytes are a PDF file (they start with %PDF-).
bool looks_like_pdf(std::string_view bytes);

/// Reads a PDF into lines: each page's text layer laid out by position
/// (page_layout.h), a page without one (a scanned page) rendered at
/// `ocr.dpi` and read by OCR, a form feed before the first line of every page
/// but the first; `out->places` says where each line stands. Returns false
/// and fills `err` (kind Input, naming the page where it stopped) for a PDF
/// that is damaged, encrypted or has no pages, for a page that cannot be
/// rendered, and for a scanned page when `ocr.enabled` is false.
bool read_pdf(std::string_view bytes, const std::string& name, const OcrOptions& ocr, SourceText* out, Error* err);

}  // namespace gazette
