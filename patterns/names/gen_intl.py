#!/usr/bin/env python3
"""Regenerate the international given-name lists in patterns/names/.

Outputs (written next to this script):
    given-intl.txt         Latin-script given names, lowercase (`théo`, `džan`)
    given-intl-native.txt  non-Latin-script given names as written
                           (Cyrillic/Greek lowercased: `мария`, `μαρία`, `陽翔`)

Source (CC0 1.0, independent of Python Faker):

    GitHub repository sigpwned/popular-names-by-country-dataset, file
    common-forenames-by-country.csv (commit
    c7d018f1f3197f6a6cb71cb2c4895be3d6ffdbb8), scraped by the dataset author
    from the English Wikipedia article "List of most popular given names"
    the week of 8 July 2023; 2,480 rows, 106 country codes.

    curl -LO https://raw.githubusercontent.com/sigpwned/popular-names-by-country-dataset/c7d018f1f3197f6a6cb71cb2c4895be3d6ffdbb8/common-forenames-by-country.csv

Then:

    python3 patterns/names/gen_intl.py /path/to/common-forenames-by-country.csv

Python 3.11, standard library only.  The output is deterministic (same input,
same bytes).  The SHA-256 of the input, taken after CRLF -> LF, is checked so
that a different upstream file is noticed; --force skips that check.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))

SOURCE_REPO = "github.com/sigpwned/popular-names-by-country-dataset"
SOURCE_FILE = "common-forenames-by-country.csv"
SOURCE_COMMIT = "c7d018f1f3197f6a6cb71cb2c4895be3d6ffdbb8"
# SHA-256 of the file's text with CRLF line ends turned into LF (upstream
# uses CRLF; 122,134 characters with CRLF, no newline at the end).
SOURCE_SHA256_LF = "19cf46759a956c0c64c17ce02afdaa5783655f009932ea8ebd918e0eaaf8ca63"

OUT_LATIN = "given-intl.txt"
OUT_NATIVE = "given-intl-native.txt"

# --------------------------------------------------------------------------
# Tunables
# --------------------------------------------------------------------------

# An entry needs at least this many letters (combining marks, apostrophes
# and hyphens do not count).  Applies to both files, so one-character
# Han names (蒼, 凪, 蓮, ...) are left out of the native list.
MIN_LEN = 2
MIN_LEN_NATIVE = 2

# Scrape artefacts of the upstream CSV: the letters "na" were deleted from
# some names (Fernando -> Ferndo, Bernardo -> Berrdo, Leonardo -> Leordo,
# Nathaniel -> thaniel, Nathan -> than).  They are dropped, not repaired
# (leonardo, nathaniel and nathan come in from other rows anyway).
ARTEFACTS = {"ferndo", "berrdo", "leordo", "thaniel", "than"}

# Cyrillic letters that look like Latin ones.  The Mongolian rows spell
# "Batkhaаn", "Baаtar", "Sukhbaаtar" with a Cyrillic "а" (U+0430) inside a
# Latin word; in an otherwise-Latin word these are folded to Latin.
CYRILLIC_CONFUSABLES = {
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x",
    "і": "i", "ј": "j", "ѕ": "s", "А": "A", "В": "B", "Е": "E", "К": "K",
    "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X",
}

# Scripts whose names are written with a capital first letter.  A word of
# such a script that starts in lower case is not a name: a particle
# (`del` in "María del Carmen") or an artefact (`than`).
CASED_SCRIPTS = {"LATIN", "CYRILLIC", "GREEK"}

APOSTROPHES = {"'", "\u2019"}
HYPHENS = {"-"}


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def script_of(ch: str) -> str | None:
    """Script of a letter, from its Unicode name (LATIN, CYRILLIC, CJK, ...)."""
    if not unicodedata.category(ch).startswith("L"):
        return None
    name = unicodedata.name(ch, "")
    first = name.split(" ", 1)[0]
    if first in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL"):
        return "CJK"
    return first or "UNKNOWN"


def letters(word: str) -> list[str]:
    return [c for c in word if unicodedata.category(c).startswith("L")]


def well_formed(word: str) -> bool:
    """Letters (optionally with combining marks), with apostrophes and
    hyphens only inside the word and never two in a row."""
    if not word:
        return False
    prev_sep = True  # start of word counts as a separator
    for c in word:
        cat = unicodedata.category(c)
        if cat.startswith("L"):
            prev_sep = False
        elif cat == "Mn":
            if prev_sep:
                return False
        elif c in APOSTROPHES or c in HYPHENS:
            if prev_sep:
                return False
            prev_sep = True
        else:
            return False  # digit, bracket, comma, dot, anything else
    return not prev_sep


def fold_confusables(word: str) -> str:
    """Fold Cyrillic look-alikes into Latin when the rest of the word is Latin."""
    scripts = {script_of(c) for c in word} - {None}
    if "LATIN" in scripts and scripts <= {"LATIN", "CYRILLIC"}:
        if all(c in CYRILLIC_CONFUSABLES for c in word if script_of(c) == "CYRILLIC"):
            return "".join(CYRILLIC_CONFUSABLES.get(c, c) for c in word)
    return word


def lower(word: str) -> str:
    # Turkish/Azeri dotted capital I: str.lower() gives "i" + U+0307
    # (combining dot above); the letter is a plain "i" in lower case.
    word = word.replace("\u0130", "i")
    return unicodedata.normalize("NFC", word.lower())


def sort_key(s: str) -> bytes:
    return s.encode("utf-8")


# --------------------------------------------------------------------------
# Main work
# --------------------------------------------------------------------------


def read_rows(path: str, force: bool) -> list[dict[str, str]]:
    with open(path, "rb") as f:
        raw = f.read()
    text = raw.decode("utf-8-sig")
    digest = hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8")).hexdigest()
    if digest != SOURCE_SHA256_LF:
        msg = (
            f"{path}: SHA-256 (after CRLF->LF) is {digest},\n"
            f"expected {SOURCE_SHA256_LF} ({SOURCE_FILE} at {SOURCE_COMMIT})."
        )
        if not force:
            sys.exit(msg + "\nUse --force to build from this file anyway.")
        print("warning: " + msg, file=sys.stderr)
    rows = list(csv.DictReader(text.splitlines(), strict=True))
    need = {"Country", "Romanization", "Localized Name", "Romanized Name"}
    if not rows or not need <= set(rows[0]):
        sys.exit(f"{path}: not the expected CSV header (need {sorted(need)})")
    return rows


def build(rows: list[dict[str, str]]):
    latin: set[str] = set()
    native: set[str] = set()
    dropped: dict[str, set[str]] = {}

    def drop(reason: str, word: str) -> None:
        dropped.setdefault(reason, set()).add(word)

    def add_latin(word: str) -> None:
        word = lower(word)
        # The name detector looks an ASCII word up without its
        # apostrophes (`O'Brien` as `obrien`), as given.txt spells it.
        if word.isascii():
            word = word.replace("'", "")
        if len(letters(word)) >= MIN_LEN:
            latin.add(word)
        else:
            drop(f"fewer than {MIN_LEN} letters", word)

    for row in rows:
        for field in ("Romanized Name", "Localized Name"):
            value = unicodedata.normalize("NFC", (row.get(field) or "").strip())
            if not value:
                drop("empty field", f"{row.get('Country')}:{field}")
                continue
            for word in value.split():
                word = fold_confusables(word)
                if not well_formed(word):
                    drop("not letters/marks/'/- (digits, brackets, ...)", word)
                    continue
                scripts = {script_of(c) for c in word} - {None}
                if len(scripts) != 1:
                    drop("mixed scripts", word)
                    continue
                script = scripts.pop()
                first = letters(word)[0]
                if script in CASED_SCRIPTS and not first.isupper():
                    drop("starts in lower case (particle or artefact)", word)
                    continue
                if lower(word) in ARTEFACTS:
                    drop("known scrape artefact", word)
                    continue
                if script == "LATIN":
                    add_latin(word)
                    parts = word.split("-")
                    if len(parts) > 1:
                        for part in parts:
                            add_latin(part)
                elif field == "Localized Name":
                    w = lower(word)
                    if len(letters(w)) >= MIN_LEN_NATIVE:
                        native.add(w)
                    else:
                        drop(f"native: fewer than {MIN_LEN_NATIVE} letters", w)
                else:
                    drop("non-Latin romanized name", word)
    return latin, native, dropped


HEADER_COMMON = [
    f"# Source: {SOURCE_REPO}, file {SOURCE_FILE}",
    f"# (commit {SOURCE_COMMIT}); 106 country codes.",
    "# Licence: CC0 1.0 Universal (public domain dedication).",
    '# Upstream: English Wikipedia "List of most popular given names", scraped',
    "# the week of 8 July 2023. Independent of Python Faker.",
]


def header_latin(count: int) -> list[str]:
    return [
        "# International given names, Latin script, lowercase, one per line,",
        "# sorted (UTF-8 byte order), deduplicated.",
        *HEADER_COMMON,
        "# Filter: every word of every Romanized Name and of every Latin-script",
        "# Localized Name; words are letters (+ combining accents) with ' or -",
        "# inside; a hyphenated word is kept whole and also as each part;",
        f"# >= {MIN_LEN} letters; lower-case particles (del) and scrape artefacts",
        "# (ferndo, berrdo, leordo, thaniel, than) dropped; Cyrillic look-alike",
        "# letters inside Latin words folded to Latin; Unicode lowercase, NFC.",
        f"# Count: {count}",
        "# Generated by patterns/names/gen_intl.py; do not edit by hand (see patterns/README.md).",
    ]


def header_native(count: int) -> list[str]:
    return [
        "# International given names in non-Latin scripts (Arabic, Cyrillic,",
        "# Greek, Georgian, Han, Hangul, Hiragana), as written, one per line,",
        "# sorted (UTF-8 byte order), deduplicated.",
        *HEADER_COMMON,
        "# Filter: every space-separated word of every Localized Name not",
        "# written in Latin script; Cyrillic and Greek lowercased (caseless",
        f"# scripts unchanged), NFC; >= {MIN_LEN_NATIVE} letters, so one-character Han",
        "# names are left out.",
        f"# Count: {count}",
        "# Generated by patterns/names/gen_intl.py; do not edit by hand (see patterns/README.md).",
    ]


def write(path: str, header: list[str], entries: set[str]) -> None:
    body = sorted(entries, key=sort_key)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(header + body) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("csv", help=f"local copy of {SOURCE_FILE}")
    ap.add_argument("--force", action="store_true", help="skip the SHA-256 check")
    ap.add_argument("--verbose", "-v", action="store_true", help="list dropped words")
    args = ap.parse_args()

    rows = read_rows(args.csv, args.force)
    latin, native, dropped = build(rows)

    write(os.path.join(HERE, OUT_LATIN), header_latin(len(latin)), latin)
    write(os.path.join(HERE, OUT_NATIVE), header_native(len(native)), native)

    print(f"{len(rows)} rows, {len({r['Country'] for r in rows})} countries")
    print(f"{OUT_LATIN}: {len(latin)} entries")
    print(f"{OUT_NATIVE}: {len(native)} entries")
    for reason in sorted(dropped):
        words = sorted(dropped[reason], key=sort_key)
        shown = " ".join(words) if args.verbose else " ".join(words[:12])
        more = "" if args.verbose or len(words) <= 12 else f" ... (+{len(words) - 12})"
        print(f"dropped, {reason}: {len(words)}: {shown}{more}")


if __name__ == "__main__":
    main()
