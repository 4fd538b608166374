"""scripts/cluster.py's command line: a command's options may follow it (`make cluster` writes
`start --web $(WEB)`), and what follows `manage` is the management command's own."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "cluster.py"


@pytest.fixture
def cluster(monkeypatch, tmp_path):
    spec = importlib.util.spec_from_file_location("cluster_cli", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    calls = []
    monkeypatch.setattr(module, "start", lambda c, web, workers, scale: calls.append(("start", web, workers, scale)))
    monkeypatch.setattr(module, "restore", lambda c, target: calls.append(("restore", target)))
    monkeypatch.setattr(module.subprocess, "run", lambda argv, **kw: calls.append(("run", argv[2:])) or _Done())
    module.calls = calls
    module.folder = tmp_path
    return module


class _Done:
    returncode = 0


def test_the_options_after_start_are_the_ones_used(cluster):
    cluster.main(["--dir", str(cluster.folder), "--port", "0", "start", "--web", "1", "--workers", "3",
                  "--demo-scale", "5.13"])
    assert cluster.calls == [("start", 1, 3, 5.13)]


def test_options_before_the_command_count_too(cluster):
    cluster.main(["--web", "4", "--dir", str(cluster.folder), "start"])
    assert cluster.calls == [("start", 4, 2, 1.0)]


def test_what_follows_manage_is_passed_on_untouched(cluster):
    (cluster.folder / "cluster.json").write_text("{}")
    with pytest.raises(SystemExit) as exited:
        cluster.main(["--dir", str(cluster.folder), "manage", "shell", "-c", "print(1)", "--web", "3"])
    assert exited.value.code == 0
    assert cluster.calls == [("run", ["shell", "-c", "print(1)", "--web", "3"])]


def test_restore_takes_its_time_as_one_argument(cluster):
    (cluster.folder / "cluster.json").write_text("{}")
    cluster.main(["--dir", str(cluster.folder), "restore", "2026-12-05 22:30:00+08"])
    assert cluster.calls == [("restore", "2026-12-05 22:30:00+08")]
