#!/usr/bin/env python3
"""Typeset a paragraph-form gazette issue as a PDF with a text layer.

Usage: typeset.py INPUT OUTPUT.pdf [print-variant options]

The printed pages come from print-variant.py (next to this script) with
--form-feed and the options given (default: --width 28 --page-lines 22
--page-numbers dash --indent, the GB/T 9704 grid). Each page is set by
pango-view (Debian's pango1.0-tools) in a monospaced CJK font, so that a Han
character takes exactly two columns, and the pages are joined by pdfunite
(poppler-utils). Table rows (tab-separated cells) are set as a printed table
is: each column at its own position, an empty cell left empty, no tab
character in the text layer; a reader must find the columns by position.

A scan of the print is made from the PDF by the caller (ghostscript's
pdfimage8 device for an image-only PDF, tiffgray for a multi-page TIFF,
pdftoppm for PNG or JPEG pages). The output is a function of the input and
the options alone.
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FONT = 'Noto Sans Mono CJK SC 10.5'
DEFAULT_PRINT = ['--width', '28', '--page-lines', '22', '--page-numbers', 'dash', '--indent']


def width(s):
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in s)


def set_tables(lines):
    """Runs of table rows with their cells padded into aligned columns."""
    out, i = [], 0
    while i < len(lines):
        if '\t' not in lines[i]:
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and '\t' in lines[j]:
            j += 1
        rows = [line.rstrip('\n').split('\t') for line in lines[i:j]]
        cols = max(len(r) for r in rows)
        widths = [max((width(r[c].strip()) for r in rows if c < len(r)), default=0) for c in range(cols)]
        for r in rows:
            cells = [r[c].strip() if c < len(r) else '' for c in range(cols)]
            text = ''.join(cell + ' ' * (widths[c] - width(cell) + 4) for c, cell in enumerate(cells))
            out.append(text.rstrip())
        i = j
    return out


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    source, target, options = argv[1], argv[2], argv[3:] or DEFAULT_PRINT
    printed = subprocess.run([sys.executable, os.path.join(HERE, 'print-variant.py'), source, '-', '--form-feed']
                             + options, check=True, capture_output=True).stdout.decode('utf-8')
    pages = printed.split('\f')
    if pages and not pages[-1].strip():
        pages.pop()
    with tempfile.TemporaryDirectory() as work:
        pdfs = []
        for n, page in enumerate(pages, 1):
            text = os.path.join(work, 'page-%04d.txt' % n)
            with open(text, 'w', encoding='utf-8') as f:
                f.write('\n'.join(set_tables(page.split('\n'))))
            pdf = text[:-4] + '.pdf'
            subprocess.run(['pango-view', '--no-display', '--font=' + FONT, '--margin=40', '-o', pdf, text],
                           check=True, capture_output=True)
            pdfs.append(pdf)
        if len(pdfs) == 1:
            subprocess.run(['cp', pdfs[0], target], check=True)
        else:
            subprocess.run(['pdfunite'] + pdfs + [target], check=True)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
