"""Issue 11 item 4 for orgs and rollover: only access modules (and models, migrations) compare identity
kinds; pages, endpoints, services, selectors, tags and templates ask the access predicates."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import renrentong

ROOT = Path(renrentong.__file__).parent
ROOMS = [ROOT / "orgs", ROOT / "rollover"]
KINDS = {"student", "guardian", "teacher", "school_admin", "region_admin"}
ALLOWED = {"access.py", "models.py"}


def _is_identity_kind(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and node.value in KINDS:
        return True
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return any(_is_identity_kind(e) for e in node.elts)
    text = ast.unparse(node)
    return "Identity.Kind." in text or text.endswith(("identity.kind", "scope.kind"))


def comparisons(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and any(_is_identity_kind(n) for n in [node.left, *node.comparators]):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_identity_kind_is_compared_outside_access_modules():
    offending = []
    for room in ROOMS:
        for path in room.rglob("*.py"):
            if path.name in ALLOWED or "migrations" in path.parts:
                continue
            offending += comparisons(path)
    assert offending == []


def test_no_template_compares_an_identity_kind():
    pattern = re.compile(r"kind\s*(==|!=|in)\s*['\"](%s)['\"]" % "|".join(KINDS))
    offending = [str(p.relative_to(ROOT)) for room in ROOMS for p in room.rglob("*.html")
                 if pattern.search(p.read_text(encoding="utf-8"))]
    assert offending == []
