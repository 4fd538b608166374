"""Permission decisions live in access modules (issue 11 item 4).

No page, endpoint, service, template or template tag compares identity kinds itself: it asks a predicate of
an `access.py` module (`can_reset(actor, account)`), or a template gets the decision as a context boolean or
through the `access` filter. This test walks the source and fails on every such comparison outside
`access.py`, `models.py` and migrations.

A comparison, in Python, is a Compare node (==, !=, in, not in, is, is not) or a `match` whose subject or
pattern is one of:
- a member of `Identity.Kind` (`Identity.Kind.TEACHER`), alone or in a tuple, list or set;
- one of the five identity kind strings ("student", "guardian", "teacher", "school_admin", "region_admin"),
  alone or in a container;
- an attribute `.kind` read from an identity, an actor or an account (`identity.kind`, `request.actor.kind`,
  `account.identity.kind`), whatever the other side is;
- any other `.kind` attribute, when the other side is one of the two above.
Building rows (`Identity(kind=Identity.Kind.TEACHER)`), query filters (`.filter(kind=...)`) and keyword
arguments are no comparisons. Region, school and class kinds are no identity kinds and are left alone.

In templates, a `{% if %}`/`{% elif %}` (or any tag) that compares a `kind` with ==, !=, in or not in
is flagged when the kind is an identity's/actor's/account's, or the other side is one of the five strings.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "renrentong"
KINDS = {"student", "guardian", "teacher", "school_admin", "region_admin"}
KIND_MEMBERS = {kind.upper() for kind in KINDS}
ALLOWED_FILES = {"access.py", "models.py"}
# Owners whose `.kind` is an identity kind (the name right before `.kind`): identity, current_identity,
# require_identity(), actor, request.actor, account. `identity.region.kind` is a region's kind, not flagged.
IDENTITY_OWNER = re.compile(r"(identit|actor|account)", re.IGNORECASE)

APPS = sorted([p.name for p in SOURCE.iterdir() if p.is_dir() and (p / "__init__.py").exists()] + ["renrentong"])


def _dotted(node: ast.AST) -> str | None:
    """`a.b.c` for a chain of names and attributes (calls and subscripts are skipped over), else None."""
    parts = []
    while True:
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            parts.append(node.id)
            return ".".join(reversed(parts))
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            return None


def _is_identity_kind_value(node: ast.AST) -> bool:
    """Identity.Kind.X or one of the five strings, or a container holding only such values."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and node.value in KINDS
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return bool(node.elts) and any(_is_identity_kind_value(e) for e in node.elts)
    dotted = _dotted(node) if isinstance(node, ast.Attribute) else None
    if dotted:
        # Identity.Kind.TEACHER, or Kind.TEACHER where Identity.Kind was imported as Kind.
        parts = dotted.split(".")
        return len(parts) >= 2 and parts[-2] == "Kind" and parts[-1] in KIND_MEMBERS \
            and (len(parts) == 2 or parts[-3] == "Identity")
    return False


def _is_kind_attribute(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "kind"


def _is_identity_kind_attribute(node: ast.AST) -> bool:
    if not _is_kind_attribute(node):
        return False
    owner = _dotted(node.value) or ""
    return bool(IDENTITY_OWNER.search(owner.split(".")[-1]))


def _flags(left: ast.AST, right: ast.AST) -> bool:
    for side, other in ((left, right), (right, left)):
        if _is_identity_kind_attribute(side):
            return True
        if _is_identity_kind_value(side):
            return True
        if _is_kind_attribute(side) and _is_identity_kind_value(other):
            return True
    return False


def _python_hits(path: Path) -> list[tuple[int, str]]:
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text, filename=str(path))
    lines = text.splitlines()
    hits = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(_flags(a, b) for a, b in zip(operands, operands[1:])):
                hits.append((node.lineno, lines[node.lineno - 1].strip()))
        elif isinstance(node, ast.Match):
            patterns = [c.pattern for c in node.cases]
            values = []
            for pattern in patterns:
                values += [p.value for p in ast.walk(pattern) if isinstance(p, ast.MatchValue)]
            if _is_identity_kind_attribute(node.subject) or any(_flags(node.subject, v) for v in values):
                hits.append((node.lineno, lines[node.lineno - 1].strip()))
    return hits


TEMPLATE_TAG = re.compile(r"{%(.*?)%}", re.DOTALL)
TEMPLATE_COMPARISON = re.compile(
    r"(?P<left>[\w.\"']+)\s*(?P<op>==|!=|\bnot\s+in\b|\bin\b)\s*(?P<right>[\w.\"']+)"
)


def _template_side_is_identity_kind(side: str) -> bool:
    stripped = side.strip("\"'")
    if side != stripped and stripped in KINDS:
        return True
    parts = side.split(".")
    return parts[-1] == "kind" and len(parts) >= 2 and bool(IDENTITY_OWNER.search(parts[-2]))


def _template_hits(path: Path) -> list[tuple[int, str]]:
    text = path.read_text(encoding="utf-8")
    hits = []
    for tag in TEMPLATE_TAG.finditer(text):
        body = tag.group(1)
        if "kind" not in body:
            continue
        for comparison in TEMPLATE_COMPARISON.finditer(body):
            left, right = comparison.group("left"), comparison.group("right")
            sides = (left, right)
            kind_side = any(s == "kind" or s.endswith(".kind") for s in sides)
            if not kind_side:
                continue
            if any(_template_side_is_identity_kind(s) for s in sides):
                line = text.count("\n", 0, tag.start()) + 1
                hits.append((line, tag.group(0).strip()))
                break
    return hits


def _app_of(path: Path) -> str:
    relative = path.relative_to(SOURCE)
    return relative.parts[0] if len(relative.parts) > 1 and (SOURCE / relative.parts[0]).is_dir() \
        and relative.parts[0] != "templates" else "renrentong"


def comparisons() -> dict[str, list[str]]:
    """Every identity-kind comparison outside access modules, as "path:line: code", grouped by file."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted(SOURCE.rglob("*.py")):
        if path.name in ALLOWED_FILES or "migrations" in path.parts:
            continue
        for line, code in _python_hits(path):
            found[str(path.relative_to(ROOT))].append(f"{line}: {code}")
    for path in sorted(SOURCE.rglob("*.html")):
        if "templates" not in path.parts:
            continue
        for line, code in _template_hits(path):
            found[str(path.relative_to(ROOT))].append(f"{line}: {code}")
    return dict(found)


def _report(found: dict[str, list[str]]) -> str:
    count = sum(len(v) for v in found.values())
    lines = [f"{count} identity-kind comparisons outside access modules (ask a can_...() predicate instead):"]
    for file, hits in found.items():
        lines.append(f"{file} ({len(hits)}):")
        lines += [f"    {hit}" for hit in hits]
    return "\n".join(lines)


def _files_of(app: str, found: dict[str, list[str]]) -> dict[str, list[str]]:
    return {file: hits for file, hits in found.items() if _app_of(ROOT / file) == app}


def test_no_identity_kind_comparison_outside_access_modules():
    found = comparisons()
    assert not found, _report(found)


@pytest.mark.parametrize("app", APPS)
def test_no_identity_kind_comparison_in_app(app):
    found = _files_of(app, comparisons())
    assert not found, _report(found)


# The detector itself: what it flags and what it leaves alone.

FLAGGED = [
    "x = identity.kind == Identity.Kind.TEACHER",
    "x = actor.kind in (Identity.Kind.SCHOOL_ADMIN, Identity.Kind.REGION_ADMIN)",
    "x = request.actor.identity.kind != 'student'",
    "x = 'guardian' == who.kind",
    "x = obj.kind in {'teacher', 'school_admin'}",
    "x = account.identity.kind is Identity.Kind.STUDENT",
    "x = row.kind == 'region_admin'",
    "x = kind == Identity.Kind.TEACHER",
    "x = kind in ('student', 'guardian')",
    "x = identity.kind != Kind.REGION_ADMIN",
    "x = actor.require_identity().kind not in ADMIN_KINDS",
    "match identity.kind:\n    case Identity.Kind.TEACHER:\n        pass",
]
NOT_FLAGGED = [
    "x = Identity(kind=Identity.Kind.TEACHER)",
    "x = Identity.objects.filter(kind=Identity.Kind.TEACHER)",
    "x = region.kind == Region.Kind.DISTRICT",
    "x = school.kind in SCHOOL_KINDS",
    "x = f(kind='student')",
    "x = name == 'primary'",
    "x = identity.region.kind != Region.Kind.PROVINCE",
    "x = actor.scope.kind in ('school', 'region')",
]


@pytest.mark.parametrize("code", FLAGGED)
def test_detector_flags(tmp_path, code):
    path = tmp_path / "views.py"
    path.write_text(code)
    assert _python_hits(path)


@pytest.mark.parametrize("code", NOT_FLAGGED)
def test_detector_leaves_alone(tmp_path, code):
    path = tmp_path / "views.py"
    path.write_text(code)
    assert not _python_hits(path)


@pytest.mark.parametrize("tag, flagged", [
    ("{% if identity.kind == 'teacher' %}", True),
    ('{% if request.actor.kind in "school_admin region_admin" %}', True),
    ("{% elif kind != 'student' %}", True),
    ("{% if region.kind == 'district' %}", False),
    ("{% include 'x.html' with kind='student' %}", False),
    ("{% if actor|access:'can_reset' %}", False),
])
def test_template_detector(tmp_path, tag, flagged):
    path = tmp_path / "page.html"
    path.write_text(f"<p>\n{tag}x{{% endif %}}</p>")
    assert bool(_template_hits(path)) is flagged
