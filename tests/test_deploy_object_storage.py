"""The object-storage deploy (.github/workflows/deploy-object-storage.yml, catalog/deploy.md):
main only or by hand, no pull-request code, least privilege, and its sync script run for real with
the AWS CLI against a local S3 server (moto), with a stored key and with the OIDC role: cache
headers by kind, pages uploaded after what they link to, stale files deleted.

The schema, zizmor and pinning checks of every workflow are in tests/test_github_files.py."""

from __future__ import annotations

import http.server
import json
import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_github_files import GITHUB, load, steps, tool, triggers

WORKFLOW = GITHUB / "workflows" / "deploy-object-storage.yml"
YEAR = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"
PAGE = "public, max-age=0, must-revalidate"


def test_runs_from_main_only_with_least_privilege() -> None:
    workflow = load(WORKFLOW)
    assert triggers(workflow) == {"push": {"branches": ["main"]}, "workflow_dispatch": None}
    assert workflow["permissions"] == {}
    assert workflow["concurrency"] == {"group": "object-storage", "cancel-in-progress": False}
    [job] = workflow["jobs"].values()
    assert job["if"] == "github.ref == 'refs/heads/main' && vars.SITE_BUCKET != ''"
    assert job["permissions"] == {"contents": "read", "id-token": "write"}
    assert job["environment"]["name"] == "object-storage"
    uses = [step["uses"].split("@")[0] for step in steps(workflow) if "uses" in step]
    assert uses == ["actions/checkout", "actions/setup-python"]  # the pins deploy.yml has
    assert _pins(WORKFLOW) <= _pins(GITHUB / "workflows" / "deploy.yml")
    build = [s["run"] for s in steps(workflow) if s.get("name") == "Build the site"]
    assert build == ["make build"]


def _pins(path: Path) -> set[str]:
    return {line.split("uses: ")[1] for line in path.read_text().splitlines() if "uses: " in line}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def s3() -> Iterator[str]:
    """A local S3 and STS API (moto's server) on a free port."""
    port = _free_port()
    server = subprocess.Popen(
        [tool("moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(10)


class _Token(http.server.BaseHTTPRequestHandler):
    """The runner's OIDC token endpoint: a token for the bearer of the request token."""

    def do_GET(self) -> None:
        ok = self.headers["Authorization"] == "bearer request-token"
        ok = ok and self.path.endswith("&audience=sts.amazonaws.com")
        body = json.dumps({"value": "oidc-jwt"}).encode()
        self.send_response(200 if ok else 403)
        self.end_headers()
        self.wfile.write(body if ok else b"")

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _client(url: str) -> Any:
    """A boto3 client of the local S3, to set up and read the bucket the script syncs."""
    import boto3

    keys = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    return boto3.client("s3", endpoint_url=url, region_name="us-east-1", **keys)


def _keys() -> dict[str, str]:
    return {
        "PATH": f"{Path(tool('aws')).parent}:/usr/bin:/bin",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "HOME": "/nonexistent",
    }


SITE = {
    "index.html": "<p>home</p>",
    "404.html": "<p>not found</p>",
    "agents/mira/parla/index.html": "<p>parla</p>",
    "agents/mira/old-name/index.html": '<meta http-equiv="refresh" content="0; url=../parla/">',
    "assets/javascripts/bundle.0a1b2c3d.min.js": "var a;",
    "assets/stylesheets/main.4e5f6a7b.min.css": "a{}",
    "assets/stylesheets/catalog.css": "b{}",
    "search/index.json": '{"build":"x"}',
    "search/t/ma.json": '{"marginalia":[0,10]}',
}


@pytest.mark.parametrize("credentials", ["key", "oidc"])
def test_sync_uploads_by_kind_and_deletes_stale_files(
    tmp_path: Path, s3: str, credentials: str
) -> None:
    bucket = f"catalog-{credentials}"
    client = _client(s3)
    client.create_bucket(Bucket=bucket)
    client.put_object(Bucket=bucket, Key="agents/gone/index.html", Body=b"")
    for rel, text in SITE.items():
        (tmp_path / "site" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "site" / rel).write_text(text)
        # S3 keeps whole seconds: a file written in the second of its upload looks newer than
        # its copy. Dated ahead, every file looks so, and no pass may upload it a second time.
        ahead = time.time() + 30
        os.utime(tmp_path / "site" / rel, (ahead, ahead))
    [step] = [s for s in steps(load(WORKFLOW)) if s.get("name") == "Sync the site to the bucket"]
    env = {
        **_keys(),
        "BUCKET": bucket,
        "ENDPOINT_URL": s3,
        "AWS_REGION": "us-east-1",
        "ROLE_ARN": "",
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_RUN_ID": "7",
    }
    server = None
    if credentials == "oidc":  # no key: the CLI must assume the role with the run's token
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Token)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.server_address[1]
        env |= {
            "ROLE_ARN": "arn:aws:iam::123456789012:role/catalog-deploy",
            "AWS_ACCESS_KEY_ID": "",
            "AWS_SECRET_ACCESS_KEY": "",
            "AWS_ENDPOINT_URL_STS": s3,
            "ACTIONS_ID_TOKEN_REQUEST_URL": f"http://127.0.0.1:{port}/token?api-version=2.0",
            "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "request-token",
        }
    try:
        done = subprocess.run(
            ["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=env, capture_output=True, text=True
        )
    finally:
        if server:
            server.shutdown()
    assert done.returncode == 0, done.stdout + done.stderr
    listed = client.list_objects_v2(Bucket=bucket)["Contents"]
    assert sorted(o["Key"] for o in listed) == sorted(SITE)  # agents/gone/ deleted
    headers = {key: client.head_object(Bucket=bucket, Key=key) for key in SITE}
    cache = {key: h["CacheControl"] for key, h in headers.items()}
    assert cache == {
        "index.html": PAGE,
        "404.html": PAGE,
        "agents/mira/parla/index.html": PAGE,
        "agents/mira/old-name/index.html": PAGE,
        "assets/javascripts/bundle.0a1b2c3d.min.js": YEAR,
        "assets/stylesheets/main.4e5f6a7b.min.css": YEAR,
        "assets/stylesheets/catalog.css": SHORT,
        "search/index.json": PAGE,
        "search/t/ma.json": SHORT,
    }
    assert headers["index.html"]["ContentType"] == "text/html"
    assert headers["search/t/ma.json"]["ContentType"] == "application/json"
    assert not (tmp_path / "oidc-token").exists()
