"""The static files storage of DEBUG=0 (docs/operations.md, "Static files")."""

from __future__ import annotations

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class GzipManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed names with a .gz beside each file, and never a .br: gzip is what nginx's gzip_static
    serves in `make cluster` too, and a brotli package that arrives as another library's dependency (locust's)
    must not change what the site sends."""

    def create_compressor(self, **kwargs) -> Compressor:
        return super().create_compressor(**{**kwargs, "use_brotli": False})
