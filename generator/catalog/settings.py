"""Site settings from mkdocs.yml, the one place site_url, repo_url and site_name are written."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from generator.catalog.model import Site

CONFIG = "mkdocs.yml"
DEFAULT_NAME = "Public Agents Catalog"


class SettingsError(Exception):
    """mkdocs.yml is missing or lacks a setting the generator needs."""


class _TolerantLoader(yaml.SafeLoader):
    """A safe loader that reads mkdocs' custom tags (`!!python/name:`, `!ENV`) as plain None.

    The generator only needs three plain strings; it must not import what the tags name.
    """


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)
_TolerantLoader.add_multi_constructor("!", _ignore_tag)


def read_config(root: Path) -> dict[str, Any]:
    """The mkdocs.yml mapping of the catalog at `root`."""
    path = root / CONFIG
    try:
        data = yaml.load(path.read_text("utf-8"), Loader=_TolerantLoader)
    except OSError as err:
        raise SettingsError(f"{path}: cannot read ({err.strerror})") from None
    except yaml.YAMLError as err:
        raise SettingsError(f"{path}: not valid YAML ({err})") from None
    if not isinstance(data, dict):
        raise SettingsError(f"{path}: expected a mapping of settings")
    return data


def read_site(root: Path, build_date: datetime | None = None) -> Site:
    """`Site` from mkdocs.yml; build_date defaults to SOURCE_DATE_EPOCH when it is set."""
    data = read_config(root)
    site_url, repo_url = data.get("site_url"), data.get("repo_url")
    for key, value in (("site_url", site_url), ("repo_url", repo_url)):
        if not isinstance(value, str) or not value.startswith(("https://", "http://")):
            raise SettingsError(f"{root / CONFIG}: set {key} to an absolute https URL")
    assert isinstance(site_url, str) and isinstance(repo_url, str)
    name = data.get("site_name")
    return Site(
        site_url=site_url.rstrip("/") + "/",
        repo_url=repo_url.rstrip("/"),
        name=name if isinstance(name, str) and name else DEFAULT_NAME,
        build_date=build_date or source_date_epoch(),
    )


def source_date_epoch() -> datetime | None:
    """The reproducible-builds clock (SOURCE_DATE_EPOCH), when set."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "")
    return datetime.fromtimestamp(int(raw), UTC) if raw.isdigit() else None
