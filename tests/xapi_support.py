"""Statements as the site writes them, the sample's people, and a real LRS (Ralph) for the tests."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from generator.xapi import VERBS, activity_id, fingerprint_extension, version_extension

SITE = "https://learn.jua-energy.example/"
REPO = Path(__file__).resolve().parent.parent
RALPH_VENV = Path(os.environ.get("PORTAL_RALPH_VENV", REPO / ".venv-lrs"))
RALPH_USER, RALPH_PASSWORD = "portal", "portal-test-secret"

ROSTER = """\
email,name,role,start_date,language,manager
amina@jua-energy.example,Amina Odhiambo,receptionist,2026-11-02,sw,grace@jua-energy.example
baraka@jua-energy.example,Baraka Mwangi,receptionist,2026-11-02,en,grace@jua-energy.example
chen@jua-energy.example,Chen Wei,engineer,2026-11-30,zh,omar@jua-energy.example
"""


def statement(email: str, verb: str, kind: str, item: str, *, part: str | None = None, when: str,
              fingerprint: str | None = None, result: dict[str, Any] | None = None,
              version: str | None = None) -> dict[str, Any]:
    extensions: dict[str, Any] = {}
    if fingerprint:
        extensions[fingerprint_extension(SITE)] = fingerprint
    if version:
        extensions[version_extension(SITE)] = version
    made: dict[str, Any] = {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{email}{verb}{kind}{item}{part}{when}")),
        "timestamp": when,
        "actor": {"objectType": "Agent", "mbox": f"mailto:{email}"},
        "verb": {"id": VERBS[verb], "display": {"en": verb}},
        "object": {"objectType": "Activity", "id": activity_id(SITE, kind, item, part)},
    }
    if extensions:
        made["context"] = {"extensions": extensions}
    if result:
        made["result"] = result
    return made


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ralph_available() -> bool:
    return (RALPH_VENV / "bin" / "python").exists()


@contextmanager
def ralph(folder: Path, *, port: int | None = None, cors: list[str] | None = None) -> Iterator[str]:
    """Ralph on a free loopback port with one basic-auth user; yields its xAPI base URL.

    Stopping it (leaving the block) keeps what it stored in ``folder``: starting it again on the
    same folder serves the same statements.
    """
    python = RALPH_VENV / "bin" / "python"
    folder.mkdir(parents=True, exist_ok=True)
    auth = folder / "auth.json"
    if not auth.exists():
        hashed = subprocess.run(
            [str(python), "-c", "import bcrypt,sys; print(bcrypt.hashpw(sys.argv[1].encode(), "
             "bcrypt.gensalt(rounds=4)).decode())", RALPH_PASSWORD],
            check=True, capture_output=True, text=True).stdout.strip()
        auth.write_text(json.dumps([{"username": RALPH_USER, "hash": hashed, "scopes": ["all"],
                                     "agent": {"mbox": "mailto:portal@jua-energy.example"}}]), "utf-8")
    port = port or free_port()
    env = {**os.environ, "RALPH_RUNSERVER_BACKEND": "mongo", "RALPH_AUTH_FILE": str(auth),
           "RALPH_APP_DIR": str(folder)}
    if cors:
        env["RALPH_RUNSERVER_CORS_ALLOW_ORIGINS"] = json.dumps(cors)
    log = (folder / "ralph.log").open("ab")
    process = subprocess.Popen(
        [str(python), str(REPO / "tests" / "servers" / "ralph_server.py"), str(port), str(folder / "store.json")],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}/xAPI/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/__lbheartbeat__", timeout=2):
                    break
            except OSError as error:
                if process.poll() is not None or time.monotonic() > deadline:
                    tail = (folder / "ralph.log").read_text("utf-8")[-2000:]
                    raise RuntimeError("Ralph did not start: " + tail) from error
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def post_statements(base: str, statements: list[dict[str, Any]]) -> int:
    import base64

    request = urllib.request.Request(
        base + "statements", data=json.dumps(statements).encode(), method="POST",
        headers={"Content-Type": "application/json", "X-Experience-API-Version": "1.0.3",
                 "Authorization": "Basic " + base64.b64encode(f"{RALPH_USER}:{RALPH_PASSWORD}".encode()).decode()})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


def all_statements(base: str) -> list[dict[str, Any]]:
    from generator.statements import read_lrs

    return list(read_lrs(base, f"{RALPH_USER}:{RALPH_PASSWORD}"))


__all__ = ["ROSTER", "SITE", "all_statements", "free_port", "post_statements", "ralph", "ralph_available",
           "statement"]


NGINX = Path("/usr/sbin/nginx")


def readme_nginx_server() -> str:
    """The nginx server block exactly as the README documents it."""
    text = (REPO / "README.md").read_text("utf-8")
    block = text.split("<!-- nginx-config -->", 1)[1].split("<!-- /nginx-config -->", 1)[0]
    return block.split("```nginx\n", 1)[1].split("```", 1)[0]


@contextmanager
def nginx(folder: Path, site: Path, lrs_base: str, credential: str) -> Iterator[str]:
    """nginx with the README's server block, pointed at ``site`` and the LRS; yields the portal's URL.

    Only what differs on a test machine is replaced: the port, the site folder, the LRS's address
    and its credential. The main context around the block is the test's own (no daemon, files in
    ``folder``).
    """
    import base64
    import urllib.parse

    port = free_port()
    lrs = urllib.parse.urlsplit(lrs_base)
    server = readme_nginx_server()
    replacements = {
        "listen 80;": f"listen 127.0.0.1:{port};",
        "root /srv/portal/site;": f"root {site};",
        "proxy_pass http://127.0.0.1:8100/xAPI/;": f"proxy_pass http://{lrs.netloc}{lrs.path};",
        "Basic cG9ydGFsOmNoYW5nZS1tZQ==": "Basic " + base64.b64encode(credential.encode()).decode(),
    }
    for old, new in replacements.items():
        assert old in server, f"the README's nginx block no longer has {old!r}"
        server = server.replace(old, new)
    folder.mkdir(parents=True, exist_ok=True)
    temp = folder / "temp"
    temp.mkdir(exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the test's private folders
    conf = folder / "nginx.conf"
    conf.write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'};\n"
        "events { worker_connections 64; }\n"
        "http {\n  include /etc/nginx/mime.types;\n  access_log off;\n"
        f"  client_body_temp_path {temp}/body;\n  proxy_temp_path {temp}/proxy;\n"
        f"  fastcgi_temp_path {temp}/fastcgi;\n  uwsgi_temp_path {temp}/uwsgi;\n  scgi_temp_path {temp}/scgi;\n"
        + server + "\n}\n", "utf-8")
    process = subprocess.Popen([str(NGINX), "-c", str(conf), "-p", str(folder)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    assert process.stderr is not None  # opened with stderr=PIPE
                    raise RuntimeError("nginx did not start: " + process.stderr.read().decode()) from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.communicate(timeout=20)
