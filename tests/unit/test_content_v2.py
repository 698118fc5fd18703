"""Clinical content v2: every step carries its safety line, every line its source, and nothing
suggests quinine (checked on the bundled assets, as data)."""

from __future__ import annotations

import re

import pytest

from cramp_coach.core.checklist import load_default_items
from cramp_coach.core.content import CAUTION_KINDS, LOCAL_EMERGENCY, fill_emergency, load_library
from cramp_coach.core.paths import assets_dir
from cramp_coach.core.safety import TriageFlow, load_red_flags, load_triage
from cramp_coach.core.settings import parse_settings

LIBRARY = load_library()
STEPS = [step for routine in LIBRARY.routines.values() for step in routine.steps]


@pytest.mark.parametrize("step", [s for s in STEPS if s.kind == "massage"], ids=lambda s: s.id)
def test_every_massage_step_warns_about_a_clot(step):
    assert step.caution is not None
    assert "swollen, warm, red or darker" in step.caution.text and "Don't rub it: press !" in step.caution.text
    assert "gently" in step.instruction.lower()  # as the source (Mayo) says
    assert "thrombosis" in step.caution.source.title.lower()


@pytest.mark.parametrize("step", [s for s in STEPS if s.kind == "warmth"], ids=lambda s: s.id)
def test_every_warmth_step_says_warm_not_hot(step):
    assert step.caution is not None
    for words in ("Warm, not hot", "test it with your hand", "Numb feet", "no heat", "Never sleep on a heating pad"):
        assert words in step.caution.text
    assert "if they are safe for you" in step.tip


@pytest.mark.parametrize("step", [s for s in STEPS if s.kind == "weight" or "Hold a chair" in s.instruction], ids=lambda s: s.id)
def test_every_standing_step_says_sit_first(step):
    assert step.caution is not None and "Sit on the edge of the bed for a few breaths first" in step.caution.text
    assert "dizzy, stay seated" in step.caution.text


@pytest.mark.parametrize("step", [s for s in STEPS if s.kind == "stretch"], ids=lambda s: s.id)
def test_stretches_are_a_steady_pull_held_until_released(step):
    assert "a steady pull, never a jerk" in step.instruction
    assert step.until_release and "press n" in step.instruction


def test_the_standing_quadriceps_stretch_has_a_lying_alternative():
    stretch = LIBRARY.routines["quadriceps"].steps[0]
    assert "lying on your side" in stretch.tip


def test_every_kind_that_needs_a_safety_line_has_one():
    assert {s.kind for s in STEPS if s.caution is None} <= {"stretch"}
    assert set(CAUTION_KINDS) <= {s.kind for s in STEPS}


def test_every_piece_of_guidance_has_a_source():
    sources = [s.source for s in STEPS] + [s.caution.source for s in STEPS if s.caution]
    sources += [a.source for a in LIBRARY.guidance.values()]
    sources += [i.source for i in load_default_items()]
    flags = load_red_flags()
    sources += [f.source for f in (*flags.urgent, *flags.soon)]
    triage = load_triage()
    sources += [q.source for q in triage.questions.values()] + [o.source for o in triage.outcomes.values()]
    assert sources and all(s is not None and s.title and s.url.startswith("https://") for s in sources)


def test_quinine_is_never_suggested():
    for path in assets_dir().rglob("*.toml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "quinine" in line.lower() and not line.lstrip().startswith(("#", "id =", "[quinine]")):
                assert re.search(r"never suggests quinine|do not stop it|already prescribed quinine|quinine \(qualaquin\)", line, re.I), line


def test_emergency_help_names_the_local_number_or_the_persons_own():
    flags = load_red_flags().with_emergency()
    chest = next(f for f in flags.urgent if f.id == "chest")
    assert LOCAL_EMERGENCY in chest.action and "{emergency}" not in chest.action
    own = load_red_flags().with_emergency("0800 123")
    assert "0800 123 (your emergency number)" in next(f for f in own.urgent if f.id == "stroke").action
    escalation = LIBRARY.guidance["escalation"].text
    assert "{emergency}" in escalation and "911, 999, 112, 000" in fill_emergency(escalation)
    settings, warnings = parse_settings('emergency_number = "999"\n', assets_dir() / "config.toml")
    assert settings.emergency_number == "999" and not warnings
    settings, warnings = parse_settings('emergency_number = "[@click=app.quit]"\n', assets_dir() / "config.toml")
    assert settings.emergency_number == "" and "emergency_number must be a phone number" in warnings[0]


def test_red_flags_cover_the_brief():
    flags = load_red_flags()
    urgent = {f.id for f in flags.urgent}
    soon = {f.id for f in flags.soon}
    assert {"chest", "stroke", "dvt", "cold-foot", "long-cramp", "pregnancy-leg", "weakness"} <= urgent
    assert {"often", "claudication", "neuropathy", "wasting", "fluid-loss", "new-medicine", "quinine", "pregnancy"} <= soon
    chest = next(f for f in flags.urgent if f.id == "chest")
    assert "coughing up blood" in chest.title and "fainting" in chest.title and "{emergency}" in chest.action


@pytest.mark.parametrize(
    ("answers", "outcome"),
    [
        ([False, False, False, False, True, False], "relief"),
        ([False, False, False, False, False, True], "restless"),
        ([False, False, False, False, False, False, True], "soon"),        # pain when walking: claudication
        ([False, False, False, False, False, False, False, True], "soon"),  # numbness, tingling: neuropathy
        ([False, False, False, False, False, False, False, False], "unclear"),
        ([False, False, True], "redflag"),                                  # one-sided weakness, face, speech
        ([False, False, False, True], "redflag"),                           # a cold, pale foot
    ],
)
def test_triage_paths(answers, outcome):
    flow = TriageFlow(load_triage())
    for answer in answers:
        flow.answer(answer)
    assert flow.outcome is not None and flow.outcome.id == outcome


def test_checklist_items_say_what_the_evidence_is():
    items = {item.id: item for item in load_default_items()}
    assert "another did not (Coppin 2005)" in items["calf-stretch"].detail
    assert "low evidence" in items["loose-sheets"].detail
    assert "A clinician's limit wins" in items["electrolyte-food"].detail
    assert "that limit wins" in items["fluids"].detail


def test_pregnancy_quinine_and_other_options_are_there():
    assert "midwife" in LIBRARY.guidance["pregnancy"].text and "same-day" in LIBRARY.guidance["pregnancy"].text
    assert "do not stop it without advice" in LIBRARY.guidance["quinine"].text
    assert "ice massage" in LIBRARY.guidance["other_options"].text and "No trial" in LIBRARY.guidance["other_options"].text


def test_every_triage_flag_names_a_red_flag():
    flags = load_red_flags()
    ids = {f.id for f in (*flags.urgent, *flags.soon)}
    triage = load_triage()
    pointed = {q.flag for q in triage.questions.values() if q.flag}
    assert pointed and pointed <= ids
    for question in triage.questions.values():
        if question.yes == "redflag":
            assert question.flag, f"{question.id}: a yes that leads to the red flags names which one"


def test_every_named_piece_of_guidance_is_there():
    from cramp_coach.core.content import AdviceKey

    assert {key.value for key in AdviceKey} <= set(LIBRARY.guidance)
