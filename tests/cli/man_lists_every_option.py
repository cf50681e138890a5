#!/usr/bin/python3
"""The man page describes every subcommand and every option the binary's --help lists.

Walks the subcommands as `newsmon --help` lists them (and their own subcommands). Each must
have an entry in daemon/cli/newsmon.1: a .TP paragraph whose first line begins with its words
("alert log", or "alert enable|disable|rm" for each of the three), and each of its options
must be in that paragraph, written as groff writes them (\\-\\-since). The options of newsmon
itself may be anywhere. Prints what is missing.

usage: man_lists_every_option.py NEWSMON_BINARY MAN_PAGE
"""
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor


def help_of(binary, path):
    return subprocess.run([binary, *path, "--help"], capture_output=True, text=True,
                          check=True).stdout


def section(text, title):
    """The lines of a --help section ("Subcommands:", "Options:") up to the next blank line."""
    match = re.search(rf"^{title}:\n((?:.+\n)*)", text, re.M)
    return match.group(1) if match else ""


def walk(binary):
    """Every subcommand path with its --help text, a level at a time, each level's --help run
    at once (a sanitized binary takes a while to start)."""
    found, level = [], [()]
    with ThreadPoolExecutor(max_workers=8) as pool:
        while level:
            texts = list(pool.map(lambda path: help_of(binary, path), level))
            found += zip(level, texts)
            level = [(*path, name) for path, text in zip(level, texts)
                     for name in re.findall(r"^  ([a-z][a-z-]*)\b", section(text, "Subcommands"),
                                            re.M)]
    return found


def entries(man):
    """Each .TP paragraph: its first line as plain words, and the whole paragraph."""
    for paragraph in re.split(r"^\.(?:TP|SH)\b.*\n", man, flags=re.M)[1:]:
        first = paragraph.split("\n", 1)[0]
        words = re.sub(r'^\.[BIR]+ |\\f[BIRP]|"', "", first).replace("\\-", "-")
        yield words.strip(), paragraph


def entry_of(man, path):
    # Earlier words as written; the last may be one of several ("enable|disable|rm").
    pattern = "".join(re.escape(word) + " " for word in path[:-1])
    pattern = rf"^{pattern}(?:[\w-]+\|)*{re.escape(path[-1])}(?=[|\s\[]|$)"
    # A subcommand may have several entries (alert add --query, alert add --spike).
    found = [paragraph for words, paragraph in entries(man) if re.match(pattern, words)]
    return "".join(found) if found else None


def main():
    binary, man_page = sys.argv[1], sys.argv[2]
    with open(man_page, encoding="utf-8") as file:
        man = file.read()
    missing = []
    for path, text in walk(binary):
        paragraph = entry_of(man, path) if path else man
        if paragraph is None:
            missing.append(" ".join(path))
            continue
        for option in re.findall(r"(?:^ +|,)(--[a-z][a-z-]*)", section(text, "Options"), re.M):
            if option != "--help" and option.replace("-", "\\-") not in paragraph:
                missing.append(f"{' '.join(path)} {option}".strip())
    for name in missing:
        print(f"newsmon.1 does not describe: {name}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
