"""`read_text` opens a file before it asks what it is (issue 13): whatever it meets (a link,
dangling or not, a folder, a FIFO, a socket, a device, an unreadable or too large file, bytes
that are not UTF-8, a name no file can have) it answers exactly as `read_checked`, which looks
before it opens: the same text, or the same rule, message, hint, line and column. `inside`
takes a plain file name as it is, as its parsing path would."""

from __future__ import annotations

import os
import pickle
import socket
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.checks import files
from generator.checks.files import inside, inside_parsed, read_checked, read_text
from generator.checks.source import SourceError

Outcome = tuple[object, ...]
LIMIT = 1000
NOBODY = 65534


def outcome(read: Callable[[Path, int], str], path: Path, limit: int = LIMIT) -> Outcome:
    try:
        return ("text", read(path, limit))
    except SourceError as err:
        return ("error", err.rule, err.message, err.hint, err.line, err.col)


def same(path: Path, limit: int = LIMIT) -> Outcome:
    """What both readers give for `path`: the same, or the test fails."""
    fast = outcome(read_text, path, limit)
    assert fast == outcome(read_checked, path, limit), path
    assert fast == outcome(read_text, str(path), limit) == outcome(read_checked, str(path), limit)
    return fast


MISSING = ("error", "file-missing", "file not found", "", 0, 0)
LINK = ("error", "symlink", "is a symbolic link", "commit the file itself; links are not followed")
NOT_FILE = ("error", "file-type", "is not a regular file", "replace it with a regular file", 0, 0)


@pytest.fixture
def here() -> Iterator[Path]:
    """A short folder anyone may enter: a socket's path is at most 107 bytes, and a check run
    as another user must reach the files."""
    folder = Path(tempfile.mkdtemp(prefix="reads-", dir="/tmp"))
    folder.chmod(0o755)
    yield folder
    for path in sorted(folder.rglob("*"), key=lambda p: -len(p.parts)):
        if path.is_dir() and not path.is_symlink():
            path.rmdir()
        else:
            path.unlink()
    folder.rmdir()


def test_a_regular_file_is_read_as_before(here: Path) -> None:
    (here / "a.yaml").write_bytes("name: Ünïcode ✓\r\nx: 1\n".encode())
    (here / "empty").write_bytes(b"")
    assert same(here / "a.yaml") == ("text", "name: Ünïcode ✓\r\nx: 1\n")
    assert same(here / "empty") == ("text", "")


def test_missing_files_and_folders_are_missing(here: Path) -> None:
    (here / "file").write_text("x", "utf-8")
    assert same(here / "nothing") == MISSING
    assert same(here / "no" / "folder" / "x") == MISSING
    assert same(here / "file" / "under-a-file") == MISSING  # ENOTDIR


def test_links_are_refused_dangling_or_not_and_followed_in_the_folders_above(here: Path) -> None:
    (here / "real").mkdir()
    (here / "real" / "agent.yaml").write_text("name: x\n", "utf-8")
    (here / "to-file").symlink_to(here / "real" / "agent.yaml")
    (here / "to-folder").symlink_to(here / "real")
    (here / "dangling").symlink_to(here / "gone")
    (here / "loop").symlink_to(here / "loop")
    for name in ("to-file", "to-folder", "dangling", "loop"):
        assert same(here / name)[:4] == LINK, name
    # The last step alone is refused as a link: `inside` refuses linked folders itself.
    assert same(here / "to-folder" / "agent.yaml") == ("text", "name: x\n")
    assert same(here / "dangling" / "agent.yaml") == MISSING


def test_folders_fifos_sockets_and_devices_are_not_regular_files(here: Path) -> None:
    (here / "folder").mkdir()
    os.mkfifo(here / "fifo")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(here / "sock"))
        for name in ("folder", "fifo", "sock"):
            assert same(here / name) == NOT_FILE, name
    finally:
        server.close()
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert same(Path("/dev/null")) == NOT_FILE


def test_a_fifo_without_a_writer_never_blocks_the_read(here: Path) -> None:
    fifo = here / "fifo"
    os.mkfifo(fifo)
    seen: list[Outcome] = []
    reader = threading.Thread(target=lambda: seen.append(outcome(read_text, fifo)), daemon=True)
    reader.start()
    reader.join(10)
    if reader.is_alive():  # let the blocked open go before failing
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    assert seen == [NOT_FILE]


def test_size_limit_and_encoding_are_judged_as_before(here: Path) -> None:
    (here / "big").write_bytes(b"x" * 1001)
    (here / "full").write_bytes(b"x" * 1000)
    (here / "latin").write_bytes(b"ok\nname: caf\xe9\n")
    assert same(here / "big") == (
        "error",
        "file-too-large",
        "is 1,001 bytes, over the 1,000-byte limit",
        "shorten it",
        0,
        0,
    )
    assert same(here / "full") == ("text", "x" * 1000)
    assert same(here / "latin") == (
        "error",
        "not-utf8",
        "byte 0xe9 is not valid UTF-8",
        "save the file as UTF-8",
        2,
        10,
    )


def test_names_no_file_can_have(here: Path) -> None:
    assert same(here / "nul\0byte") == (
        "error",
        "file-missing",
        "no file can have this name (embedded null byte)",
        "",
        0,
        0,
    )
    too_long = ("error", "file-missing", "no file can have this name (File name too long)")
    assert same(here / ("n" * 256))[:3] == too_long
    assert same(here.joinpath(*["d" * 200] * 25))[:3] == too_long  # past PATH_MAX


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="no /proc")
def test_a_file_longer_than_its_stated_size_is_read_whole() -> None:
    """A file that grew after `fstat` gives more bytes than its size: the one read asks one
    byte more, sees it and reads again. /proc's files state a size of 0 and hold more."""
    path = Path("/proc/self/cmdline")
    assert path.stat().st_size == 0
    text = same(path)
    assert text[0] == "text" and len(str(text[1])) > 0


def _as_nobody(paths: list[Path]) -> list[tuple[Outcome, Outcome]]:
    """Both readers' answers, from a forked child that gave up root (root reads anything)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the child)
        try:
            os.close(read_end)
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            found = [(outcome(read_text, p), outcome(read_checked, p)) for p in paths]
            with os.fdopen(write_end, "wb") as out:
                out.write(pickle.dumps(found))
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as got:
        data = got.read()
    os.waitpid(pid, 0)
    answers: list[tuple[Outcome, Outcome]] = pickle.loads(data)
    return answers


def test_unreadable_files_and_folders_are_refused_as_before(here: Path) -> None:
    (here / "secret").write_text("x", "utf-8")
    (here / "secret").chmod(0)
    (here / "closed").mkdir()
    (here / "closed" / "agent.yaml").write_text("x", "utf-8")
    (here / "closed").chmod(0)
    paths = [here / "secret", here / "closed" / "agent.yaml"]
    if os.geteuid() == 0:
        answers = _as_nobody(paths)
    else:
        answers = [(outcome(read_text, p), outcome(read_checked, p)) for p in paths]
    (here / "closed").chmod(0o755)
    assert [fast for fast, _ in answers] == [slow for _, slow in answers]
    assert answers[0][0] == (
        "error",
        "file-type",
        "cannot be read (Permission denied)",
        "commit a readable regular file",
        0,
        0,
    )
    assert answers[1][0][:3] == (
        "error",
        "file-missing",
        "no file can have this name (Permission denied)",
    )


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=64), slack=st.integers(-2, 2))
def test_any_bytes_around_the_limit_read_as_before(here: Path, content: bytes, slack: int) -> None:
    path = here / "file"
    path.write_bytes(content)
    limit = max(0, len(content) + slack)
    assert outcome(read_text, path, limit) == outcome(read_checked, path, limit)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    relative=st.lists(
        st.sampled_from(["a", ".", "/", "\\", ":", "\0", "é", "😀", " ", "json"])
    ).map("".join)
    | st.builds(lambda n, c: c * n, st.integers(60, 70), st.sampled_from(["a", "é", "😀"]))
)
def test_inside_takes_a_plain_name_as_the_parsing_path_would(here: Path, relative: str) -> None:
    (here / "sub").mkdir(exist_ok=True)
    if not (here / "link").is_symlink():
        (here / "link").symlink_to(here / "sub")

    def where(resolve: Callable[[Path, str], Path]) -> object:
        try:
            return resolve(here, relative)
        except SourceError as err:
            return (err.rule, err.message, err.hint, err.line, err.col)

    assert where(inside) == where(inside_parsed)


def test_plain_names_skip_the_parse() -> None:
    assert files._plain_name("character.json") and files._plain_name("😀" * 63)
    assert not any(
        files._plain_name(name)
        for name in ("", ".", "..", "a/b.json", "a\\b", "C:x", "x\0", "😀" * 64, "/abs")
    )
