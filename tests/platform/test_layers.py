"""The layers of ARCHITECTURE.md hold (issue 11): import-linter's contracts in .importlinter pass with
no ignored import, and no module of renrentong imports itself through others (no cycle)."""

from __future__ import annotations

import configparser
import re
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / ".importlinter"


def _graph() -> grimp.ImportGraph:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return grimp.build_graph("renrentong", cache_dir=None, exclude_type_checking_imports=True)


def test_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--config", str(CONFIG), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and " 0 broken" in result.stdout


def test_no_import_is_ignored():
    config = configparser.ConfigParser()
    config.read(CONFIG)
    contracts = [name for name in config.sections() if name.startswith("importlinter:contract:")]
    assert contracts
    ignored = {name: config[name]["ignore_imports"].split() for name in contracts if config.has_option(name, "ignore_imports")}
    assert ignored == {}


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_itself_through_others():
    graph = _graph()
    modules = {name for name in graph.modules if ".migrations" not in name}
    edges = {name: graph.find_modules_directly_imported_by(name) & modules for name in modules}
    assert _cycles(edges) == []


def _matches(expression: str, module: str) -> bool:
    pattern = re.escape(expression).replace(r"\*\*", ".+").replace(r"\*", "[^.]+")
    return re.fullmatch(pattern, module) is not None


def test_every_page_module_is_held_by_its_apps_contract():
    """A views, api or urls module or a template tag library is a source of its app's pages contract."""
    config = configparser.ConfigParser()
    config.read(CONFIG)
    missing = []
    for name in sorted(_graph().modules):
        parts = name.split(".")
        if len(parts) < 3 or not (parts[-1] in ("views", "api", "urls") or "templatetags" in parts[2:-1]):
            continue
        section = f"importlinter:contract:pages-{parts[1]}"
        sources = config[section]["source_modules"].split() if config.has_section(section) else []
        if not any(_matches(expression, name) for expression in sources):
            missing.append(name)
    assert missing == []
