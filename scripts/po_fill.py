"""Fill an app's English catalogue: `msgid<TAB>msgstr` lines on stdin (\\n for a line
break; `msgid<TAB>one<TAB>many` for a message with a plural) become translations of those
messages, fuzzy marks on them are cleared, and the
.mo file is compiled. Prints what is still untranslated.

    .venv/bin/python scripts/po_fill.py fangkong/registry < translations.tsv
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib


def main(app: str) -> int:
    path = Path(app) / "locale" / "en" / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(path), wrapwidth=79)
    given = {}
    for line in sys.stdin.read().splitlines():
        if "\t" in line:
            msgid, msgstr = line.split("\t", 1)
            given[msgid.replace("\\n", "\n")] = msgstr.replace("\\n", "\n")
    for entry in catalogue:
        if entry.msgid in given:
            value = given.pop(entry.msgid)
            if entry.msgid_plural:
                one, _, many = value.partition("\t")
                entry.msgstr_plural = {0: one, 1: many or one}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
                entry.previous_msgid = None
                entry.previous_msgid_plural = None  # a lone "#| msgid_plural" breaks msgmerge
    catalogue.save()
    catalogue.save_as_mofile(str(path.with_suffix(".mo")))
    for msgid in given:
        print(f"not in the catalogue: {msgid!r}", file=sys.stderr)
    left = [e.msgid for e in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]
    for msgid in left:
        print(f"untranslated: {msgid!r}")
    return 1 if left or given else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
