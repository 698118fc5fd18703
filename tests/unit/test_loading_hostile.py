"""Relief always opens: hostile settings, routine files, stored checklist items and data folders.

Every case here once crashed or hung the app at start (issue 8). Now each one gives the defaults or
the bundled routine, and a plain one-line warning that names the file and says what is allowed.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from cramp_coach.core import paths
from cramp_coach.core.checklist import ChecklistBook, apply_changes, check_title, load_default_items
from cramp_coach.core.content import MUSCLES, load_library, parse_routine, step_titles
from cramp_coach.core.files import MAX_FILE_BYTES, ContentError, quote, read_user_file
from cramp_coach.core.paths import assets_dir, ensure_private_dir, folder_warnings
from cramp_coach.core.safety import load_red_flags, load_triage
from cramp_coach.core.settings import Settings, load_settings, parse_settings
from cramp_coach.core.text import has_controls
from cramp_coach.services import Services, default_services
from tests.corpus import HOSTILE  # noqa: E402 - the shared corpus

DEEP = "x = " + "[" * 5000 + "]" * 5000 + "\n"


def routine_text(routine_id: str = "mine", muscle: str = "calf", title: str = "My calf routine", **step: str) -> str:
    fields = {"id": '"s1"', "kind": '"stretch"', "title": '"Stretch"', "instruction": '"Pull the toes up."', **step}
    lines = [f"{key} = {value}" for key, value in fields.items()]
    return (
        f'id = "{routine_id}"\nmuscle = "{muscle}"\ntitle = {toml_string(title)}\n\n[[steps]]\n'
        + "\n".join(lines)
        + '\nseconds = 20\nsource = { title = "Mayo Clinic", url = "https://www.mayoclinic.org/" }\n'
    )


def toml_string(value: str) -> str:
    """``value`` as a TOML basic string (control codes as \\u escapes)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(f"\\u{ord(c):04x}" if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F else c for c in escaped) + '"'


def assert_plain(warnings: list[str]) -> None:
    """Warnings a toast or a terminal can show as they are: one line, no control codes, not huge."""
    for warning in warnings:
        assert isinstance(warning, str)
        assert not has_controls(warning) and "\n" not in warning, warning
        assert len(warning) < 600, warning[:200]


def user_routine(home: Path, name: str, text: str | bytes) -> Path:
    folder = home / "routines"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def finishes_quickly(work, seconds: float = 2.0):
    """Run ``work`` in a thread and fail (instead of hanging) if it has not returned in time."""
    result: list = []
    errors: list[BaseException] = []

    def run():
        try:
            result.append(work())
        except BaseException as error:  # reported below
            errors.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "loading blocked"
    if errors:
        raise errors[0]
    return result[0]


def relief_opens(services: Services) -> None:
    """What the relief screen needs at start: a routine with steps for every muscle."""
    assert isinstance(services, Services)
    for muscle in MUSCLES:
        assert services.library.routine_for(muscle).steps
    assert_plain(services.warnings)


# --- config.toml ---------------------------------------------------------------------------------


def test_a_fifo_config_is_refused_without_blocking(hermetic_home):
    hermetic_home.mkdir()
    os.mkfifo(hermetic_home / "config.toml")
    settings, warnings = finishes_quickly(lambda: load_settings(hermetic_home))
    assert settings == Settings()
    assert len(warnings) == 1 and "config.toml: is not a regular file" in warnings[0]
    relief_opens(finishes_quickly(default_services))


def test_a_config_linked_to_dev_zero_is_refused(hermetic_home):
    hermetic_home.mkdir()
    (hermetic_home / "config.toml").symlink_to("/dev/zero")
    settings, warnings = finishes_quickly(lambda: load_settings(hermetic_home))
    assert settings == Settings() and "is not a regular file" in warnings[0]


def test_a_config_that_is_a_folder_is_refused(hermetic_home):
    (hermetic_home / "config.toml").mkdir(parents=True)
    settings, warnings = load_settings(hermetic_home)
    assert settings == Settings() and "is not a regular file" in warnings[0]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (DEEP.encode(), "nested too deeply"),
        (b"# " + b"x" * (2 * 1024 * 1024), f"larger than {MAX_FILE_BYTES // 1024} KiB"),
        (b'theme = "\xff\xfe"\n', "is not UTF-8"),
        (b"theme = [", "is not valid TOML"),
    ],
    ids=["5000-deep", "2MB", "invalid-utf8", "bad-toml"],
)
def test_a_config_that_cannot_be_used_gives_the_defaults_and_one_warning(hermetic_home, content, words):
    hermetic_home.mkdir()
    (hermetic_home / "config.toml").write_bytes(content)
    settings, warnings = load_settings(hermetic_home)
    assert settings == Settings()
    assert len(warnings) == 1 and words in warnings[0] and "config.toml" in warnings[0]
    assert warnings[0].endswith("using the default settings")
    assert_plain(warnings)


@pytest.mark.parametrize("value", ["99999999999999999999:00", "24:00", "7:60", "07:5", "٠٧:٠٠", " : ", "21:00:00:00"])
def test_an_impossible_night_start_names_the_key_and_what_is_allowed(value):
    settings, warnings = parse_settings(f'night_start = "{value}"\n', Path("config.toml"))
    assert settings.night_start == Settings().night_start
    assert len(warnings) == 1
    assert warnings[0].startswith("config.toml: night_start must be a time of day like \"21:00\" (hours 0-23, minutes 00-59)")
    assert warnings[0].endswith("using 21:00")


def test_night_hours_in_range_are_read():
    settings, warnings = parse_settings('night_start = "7:05"\nnight_end = "23:59"\n', Path("config.toml"))
    assert warnings == [] and settings.night_start.hour == 7 and settings.night_end.minute == 59


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_theme_is_a_plain_warning_and_the_default_is_used(value):
    settings, warnings = parse_settings(f"theme = {toml_string(value)}\n", Path("config.toml"))
    assert settings.theme == "auto"
    assert len(warnings) == 1 and warnings[0].startswith("config.toml: theme must be one of auto, night, day, high-contrast, got ")
    assert_plain(warnings)


def test_hostile_keys_and_durations_are_quoted_plainly():
    text = "".join(f"{toml_string(value)} = 1\n" for value in HOSTILE[:8]) + "[durations]\n" + "".join(
        f"{toml_string(value)} = {toml_string(value)}\n" for value in HOSTILE
    )
    settings, warnings = parse_settings(text, Path("config.toml"))
    assert settings.durations == {}
    assert any("more unknown keys; ignored" in w for w in warnings)
    assert any("more values that are not usable" in w for w in warnings)
    assert_plain(warnings)


@hypothesis_settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_parse_settings_never_raises(text):
    settings, warnings = parse_settings(text, Path("config.toml"))
    assert isinstance(settings, Settings)
    assert_plain(warnings)


# --- routines ------------------------------------------------------------------------------------


def test_a_fifo_and_a_dev_zero_link_in_the_routines_folder_are_left_out(hermetic_home):
    folder = hermetic_home / "routines"
    folder.mkdir(parents=True)
    os.mkfifo(folder / "x.toml")
    (folder / "zero.toml").symlink_to("/dev/zero")
    library = finishes_quickly(lambda: load_library(hermetic_home))
    assert len(library.warnings) == 2
    assert all("is not a regular file" in w for w in library.warnings)
    assert library.routine_for("calf").origin == "bundled"
    assert finishes_quickly(lambda: step_titles(hermetic_home))["calf-stretch"] == "Stretch the calf"


def test_a_deep_a_huge_and_a_binary_routine_are_left_out(hermetic_home):
    user_routine(hermetic_home, "deep.toml", DEEP)
    user_routine(hermetic_home, "huge.toml", routine_text() + "# " + "x" * MAX_FILE_BYTES)
    user_routine(hermetic_home, "binary.toml", b"id = \"\xff\"")
    library = load_library(hermetic_home)
    assert sorted(library.routines) == sorted(MUSCLES)
    assert any("deep.toml: is not valid TOML here: it is nested too deeply" in w for w in library.warnings)
    assert any("huge.toml: is larger than 256 KiB" in w for w in library.warnings)
    assert any("binary.toml: is not UTF-8" in w for w in library.warnings)
    assert_plain(library.warnings)


@pytest.mark.parametrize("kind", ["[/]", "[@click=app.quit]tap[/]", "\x1b[2J"])
def test_a_step_with_a_hostile_kind_is_a_plain_warning(hermetic_home, kind):
    user_routine(hermetic_home, "mine.toml", routine_text(kind=toml_string(kind)))
    library = load_library(hermetic_home)
    assert "mine" not in library.routines
    assert len(library.warnings) == 1
    assert "mine.toml: step 1 (s1): field 'kind': must be one of stretch, massage" in library.warnings[0]
    assert_plain(library.warnings)
    assert library.routine_for("calf").origin == "bundled"


def test_a_user_routine_with_a_bundled_id_is_left_out_and_calf_stays(hermetic_home):
    user_routine(hermetic_home, "calf.toml", routine_text(routine_id="calf", muscle="foot"))
    library = load_library(hermetic_home)
    calf = library.routines["calf"]
    assert calf.origin == "bundled" and calf.steps[0].id == "calf-stretch"
    assert library.routine_for("calf") is calf
    assert library.routine_for("foot").origin == "bundled"
    assert library.warnings == [
        f"Routine left out: {hermetic_home / 'routines' / 'calf.toml'}: field 'id': "
        "id 'calf' is a bundled routine's id; give yours another id"
    ]


def test_a_user_step_with_a_bundled_step_id_is_left_out(hermetic_home):
    user_routine(hermetic_home, "mine.toml", routine_text(id='"calf-stretch"', title='"Mine"'))
    library = load_library(hermetic_home)
    assert "mine" not in library.routines
    assert "step 1 (calf-stretch): field 'id': id 'calf-stretch' is a bundled step's id; give yours another id" in library.warnings[0]
    assert step_titles(hermetic_home)["calf-stretch"] == "Stretch the calf"


def test_two_user_routines_with_one_id_keep_the_first(hermetic_home):
    user_routine(hermetic_home, "a.toml", routine_text())
    user_routine(hermetic_home, "b.toml", routine_text(id='"s2"'))
    library = load_library(hermetic_home)
    assert library.routines["mine"].steps[0].id == "s1"
    assert "b.toml: field 'id': id 'mine' is already used by another of your routines" in library.warnings[0]


def test_a_valid_user_routine_for_a_muscle_is_preferred_and_the_bundled_one_kept(hermetic_home):
    user_routine(hermetic_home, "mine.toml", routine_text())
    library = load_library(hermetic_home)
    assert library.warnings == []
    assert library.routine_for("calf").id == "mine"
    assert library.routines["calf"].origin == "bundled"


def test_hostile_titles_are_kept_as_written_without_control_codes(hermetic_home):
    for number, value in enumerate(HOSTILE):
        text = routine_text(routine_id=f"r{number}", muscle=MUSCLES[number % 4], title=value, id=f'"r{number}-s1"')
        text = text.replace('title = "Stretch"', f"title = {toml_string(value)}")
        text = text.replace('instruction = "Pull the toes up."', f"instruction = {toml_string(value)}")
        user_routine(hermetic_home, f"r{number:02}.toml", text)
    library = load_library(hermetic_home)
    assert_plain(library.warnings)
    click = library.routines[f"r{HOSTILE.index('[@click=app.quit]tap[/]')}"]
    assert click.title == "[@click=app.quit]tap[/]" and click.steps[0].title == "[@click=app.quit]tap[/]"
    escape = library.routines[f"r{HOSTILE.index(chr(27) + ']0;title' + chr(7))}"]
    assert escape.title == "]0;title" and escape.steps[0].instruction == "]0;title"
    long = library.routines[f"r{HOSTILE.index('x' * 10_000)}"]
    assert len(long.title) == 80 and len(long.steps[0].title) == 80 and len(long.steps[0].instruction) == 1000
    long_warnings = [w for w in library.warnings if f"r{HOSTILE.index('x' * 10_000):02}.toml" in w]
    assert len(long_warnings) == 3
    assert any("step 1 (r10-s1): field 'instruction': is longer than 1000 characters; shortened" in w for w in long_warnings)
    assert any("field 'title': is longer than 80 characters; shortened" in w for w in long_warnings)
    for routine in library.routines.values():
        for text in (routine.title, *(s.title for s in routine.steps), *(s.instruction for s in routine.steps)):
            assert not has_controls(text)
    titles = step_titles(hermetic_home)
    assert titles["r4-s1"] == "[@click=app.quit]tap[/]" and len(titles["r10-s1"]) == 80
    assert not any(has_controls(title) for title in titles.values())


@hypothesis_settings(max_examples=150, deadline=None)
@given(st.text(max_size=400) | st.sampled_from([routine_text(), DEEP]))
def test_parse_routine_raises_only_content_error(text):
    try:
        parse_routine(Path("mine.toml"), text, "yours", [])
    except ContentError as error:
        assert str(error).startswith("mine.toml")
        assert_plain([str(error)])


def test_read_user_file_reads_at_most_the_limit(tmp_path):
    small = tmp_path / "small.toml"
    small.write_text("é" * 10, encoding="utf-8")
    assert read_user_file(small, limit=20) == "é" * 10
    with pytest.raises(ContentError, match="larger than 0 KiB"):
        read_user_file(small, limit=19)
    with pytest.raises(FileNotFoundError):
        read_user_file(tmp_path / "missing.toml")


def test_quote_is_short_and_plain():
    assert quote("calf") == "'calf'"
    for value in HOSTILE + [[["x"] * 1000], {"a": "\x1b"}]:
        shown = quote(value)
        assert len(shown) <= 64 and not has_controls(shown) and "\n" not in shown


def test_routine_for_never_raises_even_without_the_bundled_files(tmp_path, hermetic_home):
    broken = tmp_path / "assets"
    (broken / "routines").mkdir(parents=True)
    (broken / "routines" / "calf.toml").write_text("id = ")
    library = load_library(hermetic_home, assets=broken)
    for muscle in MUSCLES:
        routine = library.routine_for(muscle)
        assert routine.steps and routine.steps[0].source.url.startswith("https://")
    assert any("calf.toml: is not valid TOML" in w for w in library.warnings)
    assert any("guidance.toml: is missing" in w for w in library.warnings)
    with pytest.raises(KeyError):
        library.routine_for("neck")


# --- checklist -----------------------------------------------------------------------------------


def test_check_title_cleans_control_codes_and_folds_lines():
    assert check_title("  Stretch\x1b[2J [/] done\x07\nnow ") == "Stretch[2J [/] done now"
    with pytest.raises(ValueError, match="must not be empty"):
        check_title("\x1b\x07")
    with pytest.raises(ValueError, match="at most 80"):
        check_title("x" * 10_000)


class StoredSettings:
    """A diary stand-in that only holds the checklist's kept value."""

    def __init__(self, stored):
        self.stored = stored

    def kept_value(self, key, default=None):
        return self.stored if key == "checklist_items" else default


def test_any_stored_checklist_json_gives_a_usable_list():
    defaults = load_default_items()
    first = defaults[0].id
    stored = [
        5, None, "x", [first], {"id": 7}, {"id": None}, {"no": "id"}, {"id": "\x1b[2J"}, {"id": "y" * 10_000, "custom": True, "title": "t"},
        {"id": first, "title": "\x1b]0;pwned\x07Stretch [/] done", "hidden": "yes"},
        {"id": "own-1", "custom": True, "title": "x" * 10_000},
        {"id": "own-2", "custom": True, "title": ["not", "text"]},
        {"id": "own-3", "custom": "yes", "title": "not really custom"},
        {"id": "own-4", "custom": True, "title": "\x07\x1b"},
        {"id": "own-5", "custom": True, "title": "[@click=app.quit]tap[/]", "hidden": True},
        {"id": first, "title": "twice"},
    ]
    items = ChecklistBook(StoredSettings(stored), defaults).items()
    by_id = {item.id: item for item in items}
    assert items[0].id == first and items[0].title == "]0;pwnedStretch [/] done" and not items[0].hidden
    assert len(by_id["own-1"].title) == 80
    assert by_id["own-5"].title == "[@click=app.quit]tap[/]" and by_id["own-5"].hidden
    assert not {"own-2", "own-3", "own-4", "\x1b[2J", "y" * 10_000} & set(by_id)
    assert {item.id for item in defaults} <= set(by_id)
    for item in items:
        assert not has_controls(item.title) and len(item.title) <= 80
    for odd in (None, 5, "text", {"id": first}, [[[]]]):
        assert [item.id for item in apply_changes(defaults, odd)] == [item.id for item in defaults]


def test_a_broken_checklist_asset_names_the_file(tmp_path):
    (tmp_path / "checklist.toml").write_text("items = 5\n")
    with pytest.raises(ContentError, match="checklist.toml: field 'items'"):
        load_default_items(tmp_path)
    (tmp_path / "checklist.toml").write_text("[[items]]\nid = 3\n")
    with pytest.raises(ContentError, match=r"checklist.toml: step 1 \(3\): field 'id'"):
        load_default_items(tmp_path)


# --- safety content ------------------------------------------------------------------------------


def triage_assets(tmp_path: Path, change) -> Path:
    folder = tmp_path / "assets"
    folder.mkdir(exist_ok=True)
    text = (assets_dir() / "triage.toml").read_text(encoding="utf-8")
    (folder / "triage.toml").write_text(change(text), encoding="utf-8")
    return folder


def test_a_triage_cycle_is_refused(tmp_path):
    folder = triage_assets(tmp_path, lambda text: text.replace('no = "knot"', 'no = "swollen"', 1))
    with pytest.raises(ContentError, match="leads back to question 'swollen'"):
        load_triage(folder)


def test_a_triage_answer_to_nowhere_is_refused(tmp_path):
    folder = triage_assets(tmp_path, lambda text: text.replace('no = "knot"', 'no = "nowhere"', 1))
    with pytest.raises(ContentError, match="leads to 'nowhere', which is neither a question nor an outcome"):
        load_triage(folder)


@pytest.mark.parametrize(
    "change",
    [
        lambda text: "questions = 5\n" + text.split("[[questions]]")[0].replace('start = "swollen"', 'start = "x"'),
        lambda text: text.replace("[[questions]]", "[[questions]]\nid = 3\n[[questions]]", 1),
        lambda text: text.split("[outcomes")[0],
        lambda text: DEEP,
        lambda text: "questions = [1, 2]\n",
    ],
)
def test_broken_triage_content_is_a_content_error(tmp_path, change):
    with pytest.raises(ContentError, match="triage.toml"):
        load_triage(triage_assets(tmp_path, change))


def test_broken_red_flags_are_a_content_error(tmp_path):
    (tmp_path / "redflags.toml").write_text('intro = "x"\nurgent = [1, 2]\n')
    with pytest.raises(ContentError, match="redflags.toml"):
        load_red_flags(tmp_path)
    (tmp_path / "redflags.toml").unlink()
    with pytest.raises(ContentError, match="redflags.toml: is missing"):
        load_red_flags(tmp_path)


# --- data folder ---------------------------------------------------------------------------------


def test_a_shared_1777_folder_is_not_chmodded_and_is_warned_about(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    monkeypatch.setenv("CRAMP_COACH_HOME", str(shared))
    assert ensure_private_dir(shared) == shared
    services = default_services()
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    assert services.home == shared
    assert f"Your data folder {shared} is writable by other users; use a folder of your own, or chmod 700 it if it is yours" in services.warnings
    relief_opens(services)


def test_a_data_folder_that_cannot_be_created_still_lets_relief_run(hermetic_home, monkeypatch):
    def refuse(create: bool = True):
        raise PermissionError(13, "Permission denied", str(hermetic_home))

    monkeypatch.setattr("cramp_coach.services.data_dir", refuse)
    services = default_services()
    assert services.home == hermetic_home
    assert (
        f"Your data folder {hermetic_home} cannot be used (permission denied): relief works, but nothing can be saved until this is fixed"
        in services.warnings
    )
    relief_opens(services)


def test_a_data_folder_that_cannot_be_written_is_warned_about(hermetic_home, monkeypatch):
    hermetic_home.mkdir(mode=0o500)
    hermetic_home.chmod(0o500)
    monkeypatch.setattr(paths.os, "access", lambda path, mode: False)  # the tests run as root
    services = default_services()
    assert any("cannot be used (permission denied): relief works" in w for w in services.warnings)
    relief_opens(services)


def test_a_data_folder_owned_by_someone_else_is_warned_about(hermetic_home, monkeypatch):
    hermetic_home.mkdir(mode=0o700)
    monkeypatch.setattr(paths.os, "getuid", lambda: os.stat(hermetic_home).st_uid + 1)
    assert folder_warnings(hermetic_home) == [
        f"Your data folder {hermetic_home} belongs to another user; use a folder of your own (set CRAMP_COACH_HOME)"
    ]


def test_a_file_where_the_data_folder_should_be_still_lets_relief_run(hermetic_home):
    hermetic_home.write_text("not a folder")
    services = default_services()
    assert any("cannot be used (a file is in the way where a folder should be)" in w for w in services.warnings)
    relief_opens(services)


def test_everything_hostile_at_once_still_opens_relief(hermetic_home):
    hermetic_home.mkdir(mode=0o700)
    (hermetic_home / "config.toml").write_text('theme = "[/]"\nnight_start = "99999999999999999999:00"\n')
    user_routine(hermetic_home, "calf.toml", routine_text(routine_id="calf"))
    user_routine(hermetic_home, "kind.toml", routine_text(routine_id="k", kind='"[/]"'))
    os.mkfifo(hermetic_home / "routines" / "fifo.toml")
    user_routine(hermetic_home, "deep.toml", DEEP)
    services = finishes_quickly(default_services)
    relief_opens(services)
    assert services.library.routine_for("calf").origin == "bundled"
    words = ["a bundled routine's id", "field 'kind'", "not a regular file", "nested too deeply", "theme must be", "night_start must"]
    assert len(services.warnings) == len(words)
    for word in words:
        assert any(word in warning for warning in services.warnings), word
