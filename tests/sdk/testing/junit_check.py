#!/usr/bin/env python3
"""Reads a JUnit XML file with Python's XML parser and prints its structure as JSON, so that the
C++ test checks what a real XML consumer sees (escaping included)."""
import json
import sys
import xml.etree.ElementTree as ET


def counts(element):
    return {k: element.get(k) for k in ("name", "tests", "failures", "errors", "skipped", "time")}


def main():
    root = ET.parse(sys.argv[1]).getroot()
    out = {"tag": root.tag, **counts(root), "suites": []}
    for suite in root:
        props = {p.get("name"): p.get("value") for p in suite.iter("property")}
        cases = []
        for case in suite.iter("testcase"):
            entry = {"classname": case.get("classname"), "name": case.get("name"),
                     "time": case.get("time"), "outcome": "passed"}
            for child in case:
                entry["outcome"] = child.tag
                entry["message"] = child.get("message")
                entry["type"] = child.get("type")
                entry["text"] = child.text
            cases.append(entry)
        out["suites"].append({"tag": suite.tag, **counts(suite), "properties": props,
                              "cases": cases})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
