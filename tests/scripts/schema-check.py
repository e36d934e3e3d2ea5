#!/usr/bin/env python3
"""Validates what convert writes against the JSON Schemas in docs/schema/.

Converts every sample (samples/*.txt), the input of every layout spec
(tests/spec/*.txt, with its === args) and the shared issue (when
${GAZETTE_SHARED:-SOURCE_DIR/../shared} holds it) with --format json, and
checks issue.json against issue.schema.json and every other file of the
folder against notice.schema.json (with the date format checked); and the
rows of notices.jsonl of a batch of the samples against
notices-row.schema.json (open: rows may gain keys). With
PyYAML, the same inputs with --format yaml: every file read as YAML must pass
the same schemas and be the same data as the JSON file. With pango-view and
pdfunite, one sample typeset as a PDF (typeset.py) too: the keys only PDF
input has (place, pages, source.txt). Then that the schemas are not vacuous:
copies of one real output altered the ways a change to the writer would alter
it (a key added to a node, a key misspelt, a wrong type, an item without its
marker, a date not in ISO form) must each be rejected.

Usage: schema-check.py GAZETTE SOURCE_DIR
Exit status 0 when all passes, 1 when not, 77 (skip) without python3-jsonschema.
"""
import copy
import glob
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

try:
    import jsonschema
except ImportError:
    print("SKIP: python3-jsonschema is missing")
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))


def load_spec_parser():
    """parse_spec of spec-check.py, the one reader of the spec format."""
    spec = importlib.util.spec_from_file_location("spec_check", os.path.join(HERE, "spec-check.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.parse_spec


def validators(schema_dir):
    """Draft 2020-12 validators for the issue file, the notice file and a
    notices.jsonl row, their references to defs.schema.json resolved from the
    folder (by $id)."""
    schemas = {}
    for name in ("defs", "issue", "notice", "notices-row"):
        with open(os.path.join(schema_dir, name + ".schema.json"), encoding="utf-8") as f:
            schemas[name] = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schemas[name])
    formats = jsonschema.Draft202012Validator.FORMAT_CHECKER
    try:  # jsonschema 4.18 and later
        import referencing
        registry = referencing.Registry().with_resources(
            (s["$id"], referencing.Resource.from_contents(s)) for s in schemas.values())
        make = lambda s: jsonschema.Draft202012Validator(s, registry=registry, format_checker=formats)
    except ImportError:  # Debian 12's 4.10
        store = {s["$id"]: s for s in schemas.values()}
        make = lambda s: jsonschema.Draft202012Validator(
            s, resolver=jsonschema.RefResolver.from_schema(s, store=store), format_checker=formats)
    return make(schemas["issue"]), make(schemas["notice"]), make(schemas["notices-row"])


def errors(validator, document):
    return ["/".join(str(p) for p in e.absolute_path) + ": " + e.message
            for e in validator.iter_errors(document)]


class Check:
    def __init__(self, gazette, issue_v, notice_v, row_v):
        self.gazette, self.issue_v, self.notice_v, self.row_v = gazette, issue_v, notice_v, row_v
        self.failures, self.files = [], 0

    def fail(self, message):
        print("FAIL  " + message)
        self.failures.append(message)

    def convert(self, name, input_path, out, fmt, args=()):
        run = subprocess.run([self.gazette, "convert", input_path, "-q", "--format", fmt, "-o", out] + list(args),
                             capture_output=True, text=True)
        if run.returncode != 0:
            self.fail(f"{name}: convert --format {fmt} exited {run.returncode}: {run.stderr.strip()}")
            return False
        return True

    def folder(self, name, out, ext, read):
        """Validates every file of a folder convert wrote; returns them read."""
        issue_file = "issue." + ext
        docs = {}
        for f in sorted(os.listdir(out)):
            if f == "source.txt":
                continue
            if not f.endswith("." + ext):
                self.fail(f"{name}: convert wrote {f}, a file docs/schema.md does not name")
                continue
            with open(os.path.join(out, f), encoding="utf-8") as fh:
                docs[f] = read(fh)
            validator = self.issue_v if f == issue_file else self.notice_v
            self.files += 1
            for e in errors(validator, docs[f]):
                self.fail(f"{name}/{f}: {e}")
        listed = {e.get("file") for e in (docs.get(issue_file) or {}).get("notices") or []}
        if issue_file not in docs:
            self.fail(f"{name}: no {issue_file}")
        elif set(docs) - {issue_file} != listed:
            self.fail(f"{name}: the notice files are not those {issue_file} lists")
        text_file = docs.get(issue_file, {}).get("source", {}).get("text_file", "")
        if bool(text_file) != os.path.exists(os.path.join(out, "source.txt")):
            self.fail(f"{name}: source.text_file says {text_file!r}, the folder differs")
        return docs

    def issue(self, name, input_path, work, args=(), yaml=None):
        out = os.path.join(work, name + ".json")
        if not self.convert(name, input_path, out, "json", args):
            return None
        as_json = self.folder(name, out, "json", json.load)
        if yaml is not None:
            out_yaml = os.path.join(work, name + ".yaml")
            if self.convert(name, input_path, out_yaml, "yaml", args):
                as_yaml = self.folder(name + " (yaml)", out_yaml, "yaml", yaml.safe_load)
                # The same data: the file names aside, which end in .yaml.
                renamed = {k[:-len("yaml")] + "json": v for k, v in as_yaml.items()}
                for e in renamed.get("issue.json", {}).get("notices", []):
                    e["file"] = e["file"][:-len("yaml")] + "json"
                if renamed != as_json:
                    differ = sorted(k for k in set(renamed) | set(as_json) if renamed.get(k) != as_json.get(k))
                    self.fail(f"{name}: the YAML files carry other data than the JSON files: {differ}")
        return out


    def tenths(self, out):
        """Boxes are written to 0.1, as docs/schema.md says (a float rounded in
        float is written with its binary tail: 100.80000305175781)."""
        values = []
        for f in glob.glob(os.path.join(out, "*.json")):
            with open(f, encoding="utf-8") as fh:
                text = fh.read()
            values += re.findall(r'"box": \[([^\]]*)\]', text)
        numbers = [v.strip() for row in values for v in row.split(",")]
        long = [v for v in numbers if not re.fullmatch(r"-?[0-9]+\.[0-9]", v)]
        if not numbers or long:
            self.fail(f"the PDF's boxes are not written to 0.1: {len(numbers)} number(s), e.g. {long[:3]}")

    def batch(self, src, work):
        """The rows of notices.jsonl of a batch of the samples, one per notice
        file written."""
        out = os.path.join(work, "batch")
        run = subprocess.run([self.gazette, "batch", os.path.join(src, "samples"), "-q", "--format", "json",
                              "-o", out], capture_output=True, text=True)
        if run.returncode != 0:
            self.fail(f"batch of the samples exited {run.returncode}: {run.stderr.strip()}")
            return
        with open(os.path.join(out, "notices.jsonl"), encoding="utf-8") as f:
            rows = [json.loads(line) for line in f]
        for k, row in enumerate(rows, 1):
            for e in errors(self.row_v, row):
                self.fail(f"notices.jsonl:{k}: {e}")
        written = sorted(os.path.relpath(p, out) for p in glob.glob(os.path.join(out, "*", "*.json"))
                         if not p.endswith("/issue.json"))
        if sorted(r.get("file") for r in rows) != written:
            self.fail("the files notices.jsonl names are not the notice files the batch wrote")
        if rows:  # open to new keys, closed to a missing one
            if errors(self.row_v, dict(rows[0], references=[])):
                self.fail("the notices.jsonl schema refuses a row with a key added")
            if not errors(self.row_v, {k: v for k, v in rows[0].items() if k != "file"}):
                self.fail("the notices.jsonl schema accepts a row without its file")
        print(f"{len(rows)} row(s) of notices.jsonl checked")


def first_node(nodes, want):
    for n in nodes:
        if want(n):
            return n
        found = first_node(n.get("children", []), want)
        if found:
            return found
    return None


def alterations(check, folder):
    """Copies of one real output, each altered as a writer change would alter
    it, are rejected: the schema names every key and type."""
    with open(os.path.join(folder, "issue.json"), encoding="utf-8") as f:
        issue = json.load(f)
    notice = None
    for e in issue["notices"]:
        with open(os.path.join(folder, e["file"]), encoding="utf-8") as f:
            candidate = json.load(f)
        if first_node(candidate["body"], lambda n: n["type"] == "item" and n.get("children")):
            notice = candidate
            break
    if notice is None:
        check.fail("no notice with a nested item to alter")
        return

    def nested(doc):  # a node in an item's children: the schema recurses
        return first_node(doc["body"], lambda n: n["type"] == "item" and n.get("children"))["children"][0]

    def item(doc):
        return first_node(doc["body"], lambda n: n["type"] == "item")

    def paragraph(doc):
        return first_node(doc["body"], lambda n: n["type"] == "paragraph")

    cases = [
        ("a key added to a nested node", nested, lambda n: n.update(colour="red")),
        ("a nested node's line as a string", nested, lambda n: n.update(line=str(n["line"]))),
        ("a node's key misspelt (children → childs)", lambda d: first_node(d["body"], lambda n: "children" in n),
         lambda n: n.update(childs=n.pop("children"))),
        ("an item without its marker", item, lambda n: n.pop("marker")),
        ("a paragraph with a marker", paragraph, lambda n: n.update(marker="一、")),
        ("a node type the schema does not name", item, lambda n: n.update(type="heading")),
        ("a node id outside its container", item, lambda n: n.update(id="elsewhere/一")),
        ("the notice's key misspelt (docnum → doc_num)", lambda d: d, lambda d: d.update(doc_num=d.pop("docnum"))),
        ("a date not in ISO form", lambda d: d, lambda d: d.update(date="2023-4-7")),
        ("an impossible date", lambda d: d, lambda d: d.update(date="2023-02-30")),
        ("a key added to the docnum", lambda d: d["docnum"], lambda d: d.update(form="standard")),
        ("a year as a string", lambda d: d["docnum"], lambda d: d.update(year="2023")),
    ]
    for what, where, change in cases:
        altered = copy.deepcopy(notice)
        target = where(altered)
        if target is None:
            check.fail(f"alteration '{what}': nothing to alter in {notice['docnum']['text']}")
            continue
        change(target)
        if not errors(check.notice_v, altered):
            check.fail(f"the notice schema accepts {what}")
    for what, change in [("a key added to the issue", lambda d: d.update(extra=1)),
                         ("the issue's number as a string", lambda d: d.update(number="2")),
                         ("a notice entry without its file", lambda d: d["notices"][0].pop("file")),
                         ("a notice file against the issue schema", None)]:
        altered = copy.deepcopy(issue) if change else notice
        if change:
            change(altered)
        if not errors(check.issue_v, altered):
            check.fail(f"the issue schema accepts {what}")
    print(f"{len(cases) + 4} altered copies of {notice['docnum']['text']} and its issue rejected")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    gazette, src = os.path.abspath(sys.argv[1]), sys.argv[2]
    check = Check(gazette, *validators(os.path.join(src, "docs", "schema")))
    try:
        import yaml
    except ImportError:
        yaml = None
        print("SKIP (part): python3-yaml is missing; the YAML output is not checked")
    parse_spec = load_spec_parser()
    inputs = 0
    with tempfile.TemporaryDirectory(prefix="gazette-schema-") as work:
        first = None
        for sample in sorted(glob.glob(os.path.join(src, "samples", "*.txt"))):
            out = check.issue(os.path.basename(sample)[:-4], sample, work, yaml=yaml)
            first = first or out
            inputs += 1
        for path in sorted(glob.glob(os.path.join(src, "tests", "spec", "*.txt"))):
            spec = parse_spec(path)
            if "input" not in spec:
                continue  # an input-file spec reads a sample, checked above
            name = "spec-" + os.path.basename(path)[:-4]
            input_path = os.path.join(work, name + ".txt")
            with open(input_path, "w", encoding="utf-8") as f:
                f.write("\n".join(line for _, line in spec["input"]).rstrip("\n") + "\n")
            args = [a for _, line in spec.get("args", []) for a in line.split()]
            check.issue(name, input_path, work, args, yaml=yaml)
            inputs += 1
        shared = os.environ.get("GAZETTE_SHARED") or os.path.join(src, "..", "shared")
        shared_issue = os.path.join(shared, "corpus", "tumote-zuoqi-2023-02.txt")
        if os.path.exists(shared_issue):
            check.issue("shared", shared_issue, work, yaml=yaml)
            inputs += 1
        else:
            print(f"SKIP (part): no shared issue at {shared_issue}")
        if shutil.which("pango-view") and shutil.which("pdfunite"):
            sample = os.path.join(src, "samples", "state-council-2018-08.txt")
            pdf = os.path.join(work, "typeset.pdf")
            typeset = subprocess.run([sys.executable, os.path.join(HERE, "typeset.py"), sample, pdf],
                                     capture_output=True, text=True)
            if typeset.returncode != 0:
                check.fail(f"typesetting {sample} failed: {typeset.stderr.strip()}")
            else:
                out = check.issue("pdf", pdf, work, yaml=yaml)
                inputs += 1
                if out and not os.path.exists(os.path.join(out, "source.txt")):
                    check.fail("the PDF's folder has no source.txt: the PDF keys went unchecked")
                if out:
                    check.tenths(out)
        else:
            print("SKIP (part): pango-view or pdfunite is missing; no PDF output checked")
        check.batch(src, work)
        if first:
            alterations(check, first)
    print(f"{check.files} file(s) of {inputs} input(s) checked, {len(check.failures)} failure(s)")
    sys.exit(1 if check.failures else 0)


if __name__ == "__main__":
    main()
