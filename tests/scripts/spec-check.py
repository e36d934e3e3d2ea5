#!/usr/bin/env python3
"""Runs layout spec files (tests/spec/*.txt) against gazette.

A spec file holds one layout phenomenon: comment lines (# …), then an input
text and the facts a careful reader takes from it:

    # 第N号 printed alone under an order's heading
    === input
    江西省人民政府令
    第232号
    …
    === expect
    notices = 1
    notice[#1].docnum.text = 江西省人民政府令第232号
    notice[江西省人民政府令第232号].issuer = 江西省人民政府

`=== input-file PATH` (relative to the source tree) stands for an input kept
elsewhere, such as a sample in samples/. `=== args` holds extra options for
convert, one line.

A fact is `WHERE = VALUE`:
  notices                     the number of notices
  issue.PATH                  a key of issue.json
  notice[SEL].PATH            a key of a notice file; SEL is a 文号 as
                              printed or #N (N-th notice of issue.json)
  notice[SEL].item[TEXT].PATH the first node (body, then enclosures, depth
                              first) whose text or title holds TEXT
PATH is keys joined by dots; a number indexes a list, `#` is a length.
VALUE is JSON when it reads as JSON, else a bare string. Strings compare
after NFKC with white space removed (as the shared checkers do); an expected
object compares only the keys it names; `null` also matches a missing key.

Usage: spec-check.py GAZETTE SOURCE_DIR SPEC... ; exit 1 when a fact fails.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata


def norm(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def parse_spec(path):
    sections, name, body = {}, None, []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for number, line in enumerate(lines, 1):
        m = re.match(r"^=== (input-file|input|expect|args)\s*(.*)$", line)
        if m:
            if name:
                sections[name] = body
            name, body = m.group(1), []
            if name == "input-file":
                sections[name] = [(number, m.group(2).strip())]
                name = None
            continue
        if name:
            body.append((number, line))
        elif line.strip() and not line.startswith("#"):
            raise SystemExit(f"{path}:{number}: text before the first === section")
    if name:
        sections[name] = body
    return sections


def value_of(text):
    try:
        return json.loads(text)
    except ValueError:
        return text


def matches(expected, actual):
    if expected is None:
        return actual is None
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(matches(v, actual.get(k)) for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(actual, list) and len(expected) == len(actual) and all(
            matches(e, a) for e, a in zip(expected, actual))
    if isinstance(expected, str):
        return isinstance(actual, str) and norm(expected) == norm(actual)
    if isinstance(expected, bool) or actual is True or actual is False:
        return expected is actual
    return expected == actual


def walk_nodes(nodes):
    for n in nodes or []:
        if isinstance(n, dict):
            yield n
            yield from walk_nodes(n.get("children"))


def node_with(notice, text):
    want = norm(text)
    groups = [notice.get("body")] + [e.get("body") for e in notice.get("enclosures") or []]
    for nodes in groups:
        for n in walk_nodes(nodes):
            for key in ("text", "title"):
                if isinstance(n.get(key), str) and want in norm(n[key]):
                    return n
    raise LookupError(f"no node holds {text!r}")


def follow(obj, path):
    for key in [p for p in path.split(".") if p]:
        if key == "#":
            obj = len(obj) if obj is not None else 0
        elif isinstance(obj, list) and re.fullmatch(r"\d+", key):
            obj = obj[int(key)] if int(key) < len(obj) else None
        elif isinstance(obj, dict):
            obj = obj.get(key)
        else:
            raise LookupError(f"{key!r} of a {type(obj).__name__}")
    return obj


def actual_value(where, out_dir, issue, notices):
    if where == "notices":
        return len(issue.get("notices") or [])
    if where.startswith("issue."):
        return follow(issue, where[len("issue."):])
    m = re.match(r"^notice\[([^\]]+)\](.*)$", where)
    if not m:
        raise LookupError(f"cannot read {where!r}")
    sel, rest = m.group(1), m.group(2)
    entries = issue.get("notices") or []
    if sel.startswith("#"):
        k = int(sel[1:]) - 1
        if not 0 <= k < len(entries):
            raise LookupError(f"there is no notice {sel} (the issue has {len(entries)})")
        entry = entries[k]
    else:
        hits = [e for e in entries if norm(e.get("docnum") or "") == norm(sel)]
        if not hits:
            found = ", ".join(e.get("docnum") or "?" for e in entries)
            raise LookupError(f"no notice has 文号 {sel} (found: {found})")
        entry = hits[0]
    notice = notices[entry["file"]]
    m = re.match(r"^\.item\[([^\]]+)\](.*)$", rest)
    if m:
        return follow(node_with(notice, m.group(1)), m.group(2))
    return follow(notice, rest)


def run_spec(gazette, source_dir, path):
    spec = parse_spec(path)
    failures = []
    with tempfile.TemporaryDirectory(prefix="gazette-spec-") as tmp:
        if "input-file" in spec:
            input_path = os.path.join(source_dir, spec["input-file"][0][1])
        elif "input" in spec:
            input_path = os.path.join(tmp, "input.txt")
            with open(input_path, "w", encoding="utf-8") as f:
                f.write("\n".join(line for _, line in spec["input"]).rstrip("\n") + "\n")
        else:
            return [f"{path}: no === input section"]
        args = []
        for _, line in spec.get("args", []):
            args += line.split()
        out_dir = os.path.join(tmp, "out")
        run = subprocess.run([gazette, "convert", input_path, "-q", "--format", "json", "-o", out_dir] + args,
                             capture_output=True, text=True)
        if run.returncode != 0:
            return [f"{path}: convert exited {run.returncode}: {run.stderr.strip()}"]
        with open(os.path.join(out_dir, "issue.json"), encoding="utf-8") as f:
            issue = json.load(f)
        notices = {}
        for e in issue.get("notices") or []:
            with open(os.path.join(out_dir, e["file"]), encoding="utf-8") as f:
                notices[e["file"]] = json.load(f)
        facts = [(n, l) for n, l in spec.get("expect", []) if l.strip() and not l.startswith("#")]
        if not facts:
            return [f"{path}: no facts under === expect"]
        for number, line in facts:
            if " = " not in line:
                failures.append(f"{path}:{number}: a fact is WHERE = VALUE: {line}")
                continue
            where, text = line.split(" = ", 1)
            expected = value_of(text.strip())
            try:
                actual = actual_value(where.strip(), out_dir, issue, notices)
            except LookupError as e:
                failures.append(f"{path}:{number}: {where.strip()}: {e}")
                continue
            if not matches(expected, actual):
                failures.append(f"{path}:{number}: {where.strip()}: expected {json.dumps(expected, ensure_ascii=False)}, "
                                f"got {json.dumps(actual, ensure_ascii=False)}")
    return failures


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    gazette, source_dir = sys.argv[1], sys.argv[2]
    failed = 0
    for path in sys.argv[3:]:
        problems = run_spec(gazette, source_dir, path)
        for p in problems:
            print(p)
        failed += bool(problems)
    print(f"{len(sys.argv) - 3 - failed} spec file(s) passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
