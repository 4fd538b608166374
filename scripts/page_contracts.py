"""Regenerate the per-app "pages" contracts of .importlinter: an app's pages and endpoints (views, api,
urls modules and template tags) import no other app's. Run after adding an app or a views/api/urls module:
`.venv/bin/python scripts/page_contracts.py` (tests/platform/test_layers.py checks every such module is held)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / ".importlinter"
PACKAGE = ROOT / "renrentong"
# home is the top feature layer: all of it counts as pages (its nav and context processor read the others).
WHOLE_APP = {"home"}


def _modules(app: Path) -> set[str]:
    found = set()
    for path in app.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return found


def expressions(app: str) -> list[str]:
    if app in WHOLE_APP:
        return [f"renrentong.{app}.**"]
    modules = _modules(PACKAGE / app)
    found = []
    for name in ("views", "api", "urls"):
        if f"renrentong.{app}.{name}" in modules:
            found.append(f"renrentong.{app}.{name}")
        found.append(f"renrentong.{app}.**.{name}")
    found.append(f"renrentong.{app}.templatetags.**")
    return found


def apps() -> list[str]:
    pages = re.compile(r"(^|/)(views|api|urls)\.py$|/templatetags/")
    return sorted(
        app.name for app in PACKAGE.iterdir()
        if app.is_dir() and (app / "apps.py").exists()
        and any(pages.search(str(p.relative_to(PACKAGE))) for p in app.rglob("*.py"))
    )


def contract(app: str, everyone: list[str]) -> str:
    sources = "\n".join(f"    {e}" for e in expressions(app))
    forbidden = "\n".join(f"    {e}" for other in everyone if other != app for e in expressions(other))
    return (f"[importlinter:contract:pages-{app}]\n"
            f"name = {app}'s pages and endpoints import no other app's pages or endpoints\n"
            f"type = forbidden\nsource_modules =\n{sources}\nforbidden_modules =\n{forbidden}\n"
            f"allow_indirect_imports = True\n")


def main() -> None:
    text = CONFIG.read_text()
    sections = re.split(r"(?m)^(?=\[importlinter)", text)
    kept = [s for s in sections if not re.match(r"\[importlinter:contract:pages-(?!no-models\])", s)]
    everyone = apps()
    generated = [contract(app, everyone) for app in everyone]
    CONFIG.write_text("".join(kept).rstrip("\n") + "\n\n" + "\n".join(generated))
    print(f"{len(generated)} page contracts: {', '.join(everyone)}")


if __name__ == "__main__":
    main()
