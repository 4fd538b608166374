import pytest


@pytest.fixture(autouse=True)
def stored_files_in_tmp(settings, tmp_path):
    """Uploaded images go to a temporary directory, never the working tree."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
