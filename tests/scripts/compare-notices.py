#!/usr/bin/env python3
"""Compare two converted folders notice by notice: the facts a reader takes
from each notice (文号, title, issuer, signer, addressees, date, attachments)
and its items in order (marker, text, responsibility). Strings are compared
after NFKC with white space removed, as the shared gold check does.

Usage: compare-notices.py [--tables-from-text] REFERENCE_DIR OTHER_DIR
  --tables-from-text  the items of a notice that holds a table are not compared
                      (pdf-check.sh sets a table with pango's tab stops, so a
                      wide cell can leave no gap before the next: a table set
                      by columns, as typeset.py sets it, is read by position).
Prints each difference and closes with 'N passed, M failed' (one check per
notice and fact); exit status 1 when something differs.
"""
import json, os, re, sys, unicodedata


def norm(s):
    return re.sub(r'\s+', '', unicodedata.normalize('NFKC', str(s)))


def nodes(ns, out, tables=None):
    for n in ns:
        if n.get('type') == 'table' and tables is not None:
            tables.append(n)
        r = n.get('responsibility')
        out.append((norm(n.get('marker', '')), norm(n.get('title', '') + n.get('text', '')),
                    json.dumps(r, ensure_ascii=False, sort_keys=True) if r else ''))
        nodes(n.get('children', []), out, tables)
    return out


def load(folder):
    issue = json.load(open(os.path.join(folder, 'issue.json'), encoding='utf-8'))
    out = {}
    for entry in issue['notices']:
        n = json.load(open(os.path.join(folder, entry['file']), encoding='utf-8'))
        tables = []
        items = nodes(n['body'], [], tables)
        for e in n['enclosures']:
            nodes(e['body'], items, tables)
        out[n['docnum']['text']] = {
            'title': norm(n['title']), 'issuer': norm(n['issuer']), 'signer': norm(n['signer'] or ''),
            'addressees': [norm(a) for a in n['addressees']], 'date': n['date'],
            'attachments': [norm(a['title']) for a in n['attachments']], 'items': items,
            'tables': len(tables)}
    return out


def main(argv):
    tables_from_text = '--tables-from-text' in argv
    argv = [a for a in argv if a != '--tables-from-text']
    if len(argv) != 2:
        sys.exit(__doc__)
    ref, other = load(argv[0]), load(argv[1])
    passed = failed = 0
    for key, want in ref.items():
        got = other.get(key)
        if got is None:
            print('FAIL  notice %s is missing' % key)
            failed += 1
            continue
        for fact, value in want.items():
            if fact == 'tables':
                continue
            if fact == 'items' and tables_from_text and want['tables']:
                print('SKIP  %s items: it holds a table, read from tab stops in text only' % key)
                continue
            if got[fact] == value:
                passed += 1
                continue
            failed += 1
            if fact == 'items':
                at = next((i for i, (a, b) in enumerate(zip(value, got[fact])) if a != b), min(len(value), len(got[fact])))
                print('FAIL  %s items differ at %d (%d vs %d): %r / %r' % (
                    key, at, len(value), len(got[fact]), value[at] if at < len(value) else None,
                    got[fact][at] if at < len(got[fact]) else None))
            else:
                print('FAIL  %s %s: %r, want %r' % (key, fact, got[fact], value))
    extra = sorted(set(other) - set(ref))
    for key in extra:
        print('FAIL  notice %s is extra' % key)
    failed += len(extra)
    print('%d passed, %d failed' % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
