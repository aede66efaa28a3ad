#!/usr/bin/env python3
"""Lists the public items of a crate whose docs have no code example.

Usage: doc-examples.py CRATE.json [TODO-FILE]

Reads rustdoc's JSON output (see ci/doc-examples.sh) and walks the crate
from its root the way a user sees it: modules, re-exports (`pub use`,
globs included), the inherent methods of public types, and the methods of
public traits. Items re-exported from other crates are checked where they
are defined. Prints one line per item without a "```" block in its docs.

With a TODO-FILE (one item path a line, `#` comments), items listed there
are tolerated; the check fails on any other item without an example, and
on a listed item that has one by now (so the list only shrinks).
"""
import json
import sys


def main(path, todo_path):
    doc = json.load(open(path))
    index = doc["index"]
    missing = []
    seen = set()

    def item(i):
        return index.get(str(i))

    def check(it, path):
        if "```" not in (it.get("docs") or ""):
            missing.append((path, f"{it['span']['filename']}:{it['span']['begin'][0]}"))

    def walk(i, path):
        it = item(i)
        if it is None or it["crate_id"] != 0:
            return  # defined in another crate: checked there
        kind, inner = next(iter(it["inner"].items()))
        if kind == "use":
            target = inner["id"]
            if target is None:
                return
            if inner["is_glob"]:
                t = item(target)
                if t is not None and "module" in t["inner"]:
                    for c in t["inner"]["module"]["items"]:
                        walk(c, path)
                return
            walk_named(target, f"{path}::{inner['name']}")
            return
        walk_named(i, f"{path}::{it['name']}" if path else it["name"])

    def walk_named(i, path):
        it = item(i)
        if it is None or it["crate_id"] != 0 or it["visibility"] != "public":
            return
        if "doc(hidden)" in json.dumps(it["attrs"]):
            return
        key = (i, path)
        if key in seen:
            return
        seen.add(key)
        kind, inner = next(iter(it["inner"].items()))
        if kind == "module":
            check(it, path)
            for c in inner["items"]:
                walk(c, path)
        elif kind in ("struct", "enum", "union"):
            check(it, path)
            for impl_id in inner["impls"]:
                imp = item(impl_id)
                if imp is None:
                    continue
                imp = imp["inner"]["impl"]
                if imp["trait"] is not None or imp["is_synthetic"] or imp["blanket_impl"]:
                    continue
                for m in imp["items"]:
                    mi = item(m)
                    if mi and mi["visibility"] == "public" and "function" in mi["inner"]:
                        if "doc(hidden)" not in json.dumps(mi["attrs"]):
                            check(mi, f"{path}::{mi['name']}")
        elif kind == "trait":
            check(it, path)
            for m in inner["items"]:
                mi = item(m)
                if mi and "function" in mi["inner"]:
                    check(mi, f"{path}::{mi['name']}")
        elif kind in ("function", "macro", "proc_macro", "type_alias", "constant", "static"):
            check(it, path)

    root = item(doc["root"])
    walk_named(doc["root"], "")
    crate = root["name"]
    missing = sorted(set((f"{crate}::{p}" if p else crate, loc) for p, loc in missing))
    if todo_path is None:
        for p, loc in missing:
            print(f"{p}  ({loc})")
        return 1 if missing else 0

    todo = set()
    for line in open(todo_path):
        line = line.split("#")[0].strip()
        if line:
            todo.add(line)
    todo = {t for t in todo if t == crate or t.startswith(crate + "::")}
    names = {p for p, _ in missing}
    failed = False
    for p, loc in missing:
        if p not in todo:
            print(f"no example: {p}  ({loc})")
            failed = True
    for t in sorted(todo - names):
        print(f"has an example now, remove it from {todo_path}: {t}")
        failed = True
    print(f"{crate}: {len(names)} public items without an example ({len(todo & names)} listed in {todo_path})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None))
