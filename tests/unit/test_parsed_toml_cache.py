"""Parsed TOML is remembered in the data folder, and never stands in for a file that changed."""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path

import pytest

from cramp_coach.core.files import PARSED_TOML_CACHE, ContentError, keep_parsed_toml_in, parse_toml
from cramp_coach.services import default_services

HOSTILE = 'title = "[/] [@click=app.quit]x[/] \\u001b[31m red"\nnote = "' + "x" * 10_000 + '"\n'


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    keep_parsed_toml_in(folder)
    return folder


def refuse_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    def parser_called(text: str) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(tomllib, "loads", parser_called)


def test_a_second_parse_of_the_same_text_comes_from_the_cache(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = parse_toml("calf.toml", HOSTILE)
    keep_parsed_toml_in(folder)  # as a new process would: read back from the file
    refuse_parser(monkeypatch)
    again = parse_toml("calf.toml", HOSTILE)
    assert again == first and again["note"] == "x" * 10_000 and "\x1b[31m" in again["title"]
    cache = folder / PARSED_TOML_CACHE
    assert stat.S_IMODE(os.stat(cache).st_mode) == 0o600


def test_changed_text_is_parsed_again(folder: Path) -> None:
    assert parse_toml("a.toml", "x = 1\n") == {"x": 1}
    assert parse_toml("a.toml", "x = 2\n") == {"x": 2}
    keep_parsed_toml_in(folder)
    assert parse_toml("a.toml", "x = 1\n") == {"x": 1}


def test_each_caller_gets_its_own_objects(folder: Path) -> None:
    parse_toml("a.toml", "steps = [1, 2]\n")
    parse_toml("a.toml", "steps = [1, 2]\n")["steps"].append(3)
    assert parse_toml("a.toml", "steps = [1, 2]\n") == {"steps": [1, 2]}


def test_a_garbled_cache_only_means_parsing(folder: Path) -> None:
    parse_toml("a.toml", "x = 1\n")
    cache = folder / PARSED_TOML_CACHE
    cache.write_bytes(cache.read_bytes()[:-5] + b"\x00garbage")
    keep_parsed_toml_in(folder)
    assert parse_toml("a.toml", "x = 1\n") == {"x": 1}
    cache.write_bytes(b"\x1b[2J not a cache at all\n")
    keep_parsed_toml_in(folder)
    assert parse_toml("a.toml", "x = 1\n") == {"x": 1}


def test_dates_and_bad_toml_are_never_cached(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert str(parse_toml("s.toml", "night_start = 21:00:00\n")["night_start"]) == "21:00:00"
    with pytest.raises(ContentError, match="b.toml: is not valid TOML"):
        parse_toml("b.toml", "x = [")
    keep_parsed_toml_in(folder)
    refuse_parser(monkeypatch)
    with pytest.raises(AssertionError):
        parse_toml("s.toml", "night_start = 21:00:00\n")


def test_a_folder_that_cannot_be_written_still_parses(tmp_path: Path) -> None:
    keep_parsed_toml_in(tmp_path / "missing")
    assert parse_toml("a.toml", "x = 1\n") == {"x": 1}
    assert not (tmp_path / "missing").exists()


def test_relief_starts_from_the_cache_in_the_data_folder(hermetic_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hermetic_home.mkdir(mode=0o700)
    default_services().routine_for("calf")
    assert (hermetic_home / PARSED_TOML_CACHE).exists()
    refuse_parser(monkeypatch)
    assert default_services().routine_for("calf").muscle == "calf"
