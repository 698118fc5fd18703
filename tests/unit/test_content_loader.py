"""Loading guidance from assets and from the user's own routine files."""

from __future__ import annotations

from pathlib import Path

import pytest

from cramp_coach.core.content import MUSCLES, load_library, parse_routine
from cramp_coach.core.files import ContentError

GOOD = """
id = "mine"
muscle = "calf"
title = "My calf routine"

[[steps]]
id = "s1"
kind = "stretch"
title = "Stretch"
instruction = "Pull the toes up."
seconds = 20
source = { title = "Mayo Clinic", url = "https://www.mayoclinic.org/" }
"""


def test_bundled_routines_cover_every_muscle_and_cite_sources():
    library = load_library()
    assert library.warnings == []
    for muscle in MUSCLES:
        routine = library.routine_for(muscle)
        assert routine.steps
        assert {step.kind for step in routine.steps} >= {"stretch", "massage", "warmth"}
        for step in routine.steps:
            assert step.source.url.startswith("https://")
    calf = library.routine_for("calf")
    assert "toward your shin" in calf.steps[0].instruction
    assert calf.steps[0].until_release


@pytest.mark.parametrize(
    ("broken", "step", "field", "words"),
    [
        (GOOD.replace("seconds = 20", 'seconds = "abc"'), "1 (s1)", "seconds", "whole number of seconds from 5 to 600"),
        (GOOD.replace("seconds = 20", "seconds = 4000"), "1 (s1)", "seconds", "from 5 to 600"),
        (GOOD.replace('kind = "stretch"', 'kind = "jump"'), "1 (s1)", "kind", "stretch, massage"),
        (GOOD.replace('instruction = "Pull the toes up."\n', ""), "1 (s1)", "instruction", "missing"),
        (GOOD.replace('source = { title = "Mayo Clinic", url = "https://www.mayoclinic.org/" }\n', ""), "1 (s1)", "source", "missing"),
        (GOOD.replace('url = "https://www.mayoclinic.org/"', 'url = "mayo"'), "1 (s1)", "source", "https://"),
        (GOOD.replace('muscle = "calf"', 'muscle = "neck"'), None, "muscle", "calf, foot, hamstring, quadriceps"),
        (GOOD.split("[[steps]]")[0], None, "steps", "at least one"),
        (GOOD.replace("seconds = 20", "seconds = 20\ncolour = 3"), "1 (s1)", "colour", "not a step field"),
        (GOOD + GOOD.split("title = \"My calf routine\"")[1], "2 (s1)", "id", "used twice"),
        (GOOD.replace("seconds = 20", "seconds = 20\nuntil_release = \"yes\""), "1 (s1)", "until_release", "true or false"),
    ],
)
def test_broken_routine_names_file_step_and_field(broken, step, field, words):
    with pytest.raises(ContentError) as caught:
        parse_routine(Path("routines/mine.toml"), broken)
    error = caught.value
    assert error.file == "routines/mine.toml"
    assert error.step == step
    assert error.field == field
    assert words in str(error)


def test_not_toml_at_all():
    with pytest.raises(ContentError, match="mine.toml: is not valid TOML"):
        parse_routine(Path("mine.toml"), "id = = 3")


def test_user_routines_are_loaded_and_broken_ones_left_out_with_a_warning(hermetic_home: Path):
    folder = hermetic_home / "routines"
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text(GOOD)
    (folder / "broken.toml").write_text(GOOD.replace('id = "mine"', 'id = "other"').replace("seconds = 20", "seconds = -1"))
    (folder / "binary.toml").write_bytes(b"\xff\xfe\x00")
    library = load_library(hermetic_home)
    assert library.routine_for("calf").id == "mine"
    assert "other" not in library.routines
    assert len(library.warnings) == 2
    assert any("broken.toml: step 1 (s1): field 'seconds'" in w for w in library.warnings)
    assert any("binary.toml" in w for w in library.warnings)
    assert library.routine_for("foot").origin == "bundled"


def test_unknown_step_ids_names_only_steps_no_routine_has(tmp_path):
    from cramp_coach.core.content import step_titles, unknown_step_ids

    bundled = sorted(step_titles())[:3]
    assert unknown_step_ids(bundled) == []
    assert unknown_step_ids([*bundled, "gone-step", "[@click=app.quit]", ""]) == ["[@click=app.quit]", "gone-step"]
    assert unknown_step_ids(["calf"]) == ["calf"]  # a routine's own id is not a step
