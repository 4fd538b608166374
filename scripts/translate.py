"""Fill translations into the zh_Hans catalogue: `python scripts/translate.py file.json`.

The JSON maps English msgids to Chinese; matching entries lose their fuzzy flag. Used after
`make messages` when new strings appear; `make messages` then compiles the result.
"""

import json
import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "locale/zh_Hans/LC_MESSAGES/django.po"


def quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def main(path: str) -> None:
    wanted = json.loads(Path(path).read_text(encoding="utf-8"))
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
        body = re.sub(r"msgstr (?:\".*\"\n?)+$", "msgstr " + quote(wanted[msgid]), body.rstrip("\n"))
        entries[i] = "\n".join(head + [body])
        done.add(msgid)
    PO.write_text("\n\n".join(entries), encoding="utf-8")
    missing = set(wanted) - done
    if missing:
        sys.exit(f"not in the catalogue: {sorted(missing)}")


if __name__ == "__main__":
    main(sys.argv[1])
