"""A large, realistic diary for the benchmarks, made as a JSON export and loaded with `cramp-coach import`."""

from __future__ import annotations

import json
import os
import random
from datetime import datetime, timedelta
from pathlib import Path

from _pty import installed_script, run_plain

CHECKLIST_IDS = ["calf-stretch", "hamstring-stretch", "fluids", "easy-alcohol-caffeine", "loose-sheets", "electrolyte-food", "movement"]


def make_export(path: Path, years: int, night_years: int = 0, seed: int = 1) -> tuple[int, int]:
    """A JSON export with about 750 cramps a year for ``years`` years (about 15,000 over 20 years), and
    night records with checklist ticks on most nights of the last ``night_years`` years. Returns
    (cramps, nights)."""
    rng = random.Random(seed)
    end = datetime.now().astimezone().replace(microsecond=0) - timedelta(days=1)
    moment = end - timedelta(days=365 * years)
    cramps = []
    steps = ["calf-stretch", "calf-massage", "calf-stand", "foot-stretch", "on its own", None]
    while moment < end:
        moment += timedelta(hours=rng.uniform(1, 22))
        cramps.append({
            "id": f"b{len(cramps):011d}",
            "started_at": moment.replace(hour=rng.choice([0, 1, 2, 3, 4, 5, 22, 23])).isoformat(),
            "muscle": rng.choice(["calf", "calf", "calf", "foot", "hamstring", "quadriceps"]),
            "leg": rng.choice(["left", "right", "both"]),
            "intensity": rng.randint(2, 9),
            "duration_s": rng.randint(20, 600),
            "ended_by": rng.choice(steps),
            "tags": rng.sample(["alcohol", "caffeine", "hard exercise", "long sitting"], rng.randint(0, 2)),
            "note": rng.choice(["", "", "woke at 3", "after a long walk", "bad one"]),
        })
    cramps = [c for c in cramps if datetime.fromisoformat(c["started_at"]) < end]
    nights = []
    night = end.date() - timedelta(days=365 * night_years)
    while night_years and night < end.date():
        if rng.random() < 0.85:  # most nights recorded
            nights.append({
                "night": night.isoformat(),
                "sleep_quality": rng.randint(1, 5),
                "times_woken": rng.randint(0, 4),
                "note": "",
                "ticks": rng.sample(CHECKLIST_IDS, rng.randint(0, len(CHECKLIST_IDS))),
            })
        night += timedelta(days=1)
    path.write_text(json.dumps({"format": "cramp-coach-export", "schema": 2, "cramps": cramps, "nights": nights}))
    return len(cramps), len(nights)


def build_diary(home: Path, scratch: Path, years: int, night_years: int = 0) -> tuple[int, int, float]:
    """A diary in ``home`` made through the installed `cramp-coach import`; (cramps, nights, seconds)."""
    export = scratch / f"export-{years}-{night_years}.json"
    cramps, nights = make_export(export, years, night_years)
    env = dict(os.environ, CRAMP_COACH_HOME=str(home))
    seconds, _ = run_plain([installed_script(), "import", str(export)], env)
    if not (home / "diary.json").exists():
        raise SystemExit("cramp-coach import made no diary.json")
    return cramps, nights, seconds
