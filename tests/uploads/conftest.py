import pytest


@pytest.fixture(autouse=True)
def file_store(settings, tmp_path):
    """Each test keeps its files in its own directory (the filesystem backend of `make run`)."""
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "files")}}}
    return tmp_path / "files"
