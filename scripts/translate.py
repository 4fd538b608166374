"""Fill translations into the zh_Hans catalogue: `python scripts/translate.py [file.json ...]`.

Each JSON file maps English msgids to Chinese; matching entries lose their fuzzy flag. Without
arguments every map in locale/maps/ is applied (one per feature, so features never edit the same
file). `make messages` runs this between makemessages and compilemessages.
"""

import json
import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "locale/zh_Hans/LC_MESSAGES/django.po"


def quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def main(wanted: dict[str, str]) -> None:
    entries = PO.read_text(encoding="utf-8").split("\n\n")
    done = set()
    for i, entry in enumerate(entries):
        match = re.search(r'^msgid ((?:".*"\n?)+)', entry, re.M)
        if not match:
            continue
        msgid = "".join(json.loads(part) for part in re.findall(r'".*"', match.group(1)))
        if msgid not in wanted:
            continue
        lines = [ln for ln in entry.split("\n") if not ln.startswith("#|")]
        lines = [ln.replace("#, fuzzy, ", "#, ").replace(", fuzzy", "") for ln in lines if ln != "#, fuzzy"]
        head = [ln for ln in lines if ln.startswith("#") or ln.startswith("msgctxt")]
        body = "\n".join(lines[len(head):])
        # Chinese has one plural form (nplurals=1): a plural entry's msgstr[0] takes the map's text.
        body = re.sub(r"(msgstr(?:\[0\])?) (?:\".*\"\n?)+$", lambda m: m.group(1) + " " + quote(wanted[msgid]),
                      body.rstrip("\n"))
        entries[i] = "\n".join(head + [body])
        done.add(msgid)
    PO.write_text("\n\n".join(entries), encoding="utf-8")
    missing = set(wanted) - done
    if missing:  # a string since removed from the code, or mistyped in a map: worth a look, not a stop
        print(f"not in the catalogue: {sorted(missing)}", file=sys.stderr)


if __name__ == "__main__":
    paths = sys.argv[1:] or sorted(str(p) for p in (PO.parents[2] / "maps").glob("*.json"))
    wanted: dict[str, str] = {}
    for path in paths:
        wanted.update(json.loads(Path(path).read_text(encoding="utf-8")))
    main(wanted)
