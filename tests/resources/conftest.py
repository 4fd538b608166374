import pytest

from renrentong.exports import services, worker


@pytest.fixture
def big_exports(monkeypatch, tmp_path):
    """Every export with a row counts as big (as a long list would), and its files go to this test's own storage."""
    monkeypatch.setattr(services, "SYNC_ROWS", 0)
    monkeypatch.setattr(worker, "EXPORT_DIR", tmp_path / "exports")
