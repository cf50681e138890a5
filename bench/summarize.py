#!/usr/bin/env python3
"""bench/summarize.py DIR: one table of every benchmark's figure beside its in-run reference
and its target, from the Google Benchmark JSON files and the summary rows that bench/run left
in DIR. Prints Markdown, as the README's performance section shows it."""

import json
import os
import sys


def load_benchmarks(path):
    """Each benchmark by name: the median of its repetitions when it was repeated."""
    if not os.path.exists(path):
        return {}
    with open(path) as source:
        report = json.load(source)
    found = {}
    for b in report["benchmarks"]:
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") == "median":
            found[b["run_name"]] = b
        elif b.get("run_type") == "iteration" and b.get("repetitions", 1) <= 1:
            found.setdefault(b["name"], b)
    return found


def megabytes(benchmark):
    return benchmark["bytes_per_second"] / 1e6


def rows_from(directory):
    rows = []
    parse = load_benchmarks(os.path.join(directory, "parse.json"))
    for size, label in (("40960", "40 KB"), ("614400", "600 KB"), ("10485760", "10 MB")):
        full, bare = parse.get(f"BM_FullParse/{size}"), parse.get(f"BM_BarePugixml/{size}")
        if full and bare:
            rows.append((f"feed parse, {label}", megabytes(full), "MB/s",
                         "bare pugixml load and walk", megabytes(bare), ">= 50%"))
    memory = parse.get("BM_FullParsePeakMemory/10485760/iterations:1")
    if memory:
        rows.append(("feed parse, peak heap", memory["peak_heap_per_input_byte"],
                     "x input", "-", None, "< 4x"))
    tag = load_benchmarks(os.path.join(directory, "tag.json"))
    split = tag.get("BM_SplitAndFold")
    for name, label in (("BM_TagShippedTopics", "tagging, shipped topics"),
                        ("BM_TagThousandTerms", "tagging, 1,121 terms")):
        if name in tag and split:
            rows.append((label, megabytes(tag[name]), "MB/s", "word splitting alone",
                         megabytes(split), ">= 200 MB/s"))
    alerts = load_benchmarks(os.path.join(directory, "alerts.json"))
    if "BM_MatchThousandRules" in alerts and "BM_TagSameArticles" in alerts:
        rows.append(("alert matching, 1,000 rules", alerts["BM_MatchThousandRules"]
                     ["items_per_second"], "articles/s", "tagger on the same articles",
                     alerts["BM_TagSameArticles"]["items_per_second"], ">= 2,000 articles/s"))
    extract = load_benchmarks(os.path.join(directory, "extract.json"))
    if "BM_ExtractArticle" in extract and "BM_GumboParseOnly" in extract:
        rows.append(("article extraction", megabytes(extract["BM_ExtractArticle"]), "MB/s",
                     "gumbo's bare parse", megabytes(extract["BM_GumboParseOnly"]),
                     ">= 67% (adds <= 50% to the parse)"))
    summary = os.path.join(directory, "summary.jsonl")
    if os.path.exists(summary):
        with open(summary) as lines:
            for line in lines:
                row = json.loads(line)
                reference = row["reference_figure"] if row["reference"] != "-" else None
                rows.append((row["workload"], row["figure"], row["unit"], row["reference"],
                             reference, row["target"]))
    return rows


def number(value):
    if value is None:
        return "-"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def main():
    directory = sys.argv[1]
    print("| workload | figure | reference (same run) | ratio | target |")
    print("|---|---|---|---|---|")
    for workload, figure, unit, reference, reference_figure, target in rows_from(directory):
        ratio = "-"
        shown_reference = reference
        if reference_figure:
            shown_reference = f"{reference}: {number(reference_figure)} {unit}"
            ratio = f"{100 * figure / reference_figure:.0f}%"
        print(f"| {workload} | {number(figure)} {unit} | {shown_reference} | {ratio} | {target} |")


if __name__ == "__main__":
    main()
