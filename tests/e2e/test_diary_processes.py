"""The store under real processes: SIGKILLed writers and twenty at once."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

from cramp_coach.core.diary import Diary
from tests.e2e.conftest import console_script

WRITER = """
import sys
from datetime import datetime, timedelta
from pathlib import Path
from cramp_coach.core.diary import Diary
from cramp_coach.core.models import cramp_from_dict
diary = Diary(Path(sys.argv[1]))
start = datetime(2020, 1, 1, 3, 0).astimezone()
n = 0
while True:
    n += 1
    c = cramp_from_dict({"started_at": (start + timedelta(minutes=n)).isoformat(), "muscle": "calf", "leg": "left",
                         "intensity": n % 11, "note": "x" * 200})
    diary.add_cramp(c)
    print(c.id, flush=True)
"""


def test_sigkilled_writers_never_lose_a_reported_entry_or_tear_the_file(hermetic_home):
    hermetic_home.mkdir(parents=True)
    rng = random.Random(7)
    reported: set[str] = set()
    for _ in range(25):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(hermetic_home)], stdout=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.15, 0.5))
        os.kill(writer.pid, signal.SIGKILL)
        out, _ = writer.communicate()
        reported.update(line for line in out.split() if line)
        text = (hermetic_home / "diary.json").read_text()
        json.loads(text)  # never torn
        stored = {c.id for c in Diary(hermetic_home).cramps()}
        missing = reported - stored
        assert not missing, f"{len(missing)} entries reported saved are gone"
    assert len(reported) > 25
    Diary(hermetic_home)  # a new start clears leftover temp files
    assert not list(hermetic_home.glob(".diary-*.tmp"))


def test_twenty_processes_logging_at_once_lose_nothing(hermetic_home):
    env = dict(os.environ, CRAMP_COACH_HOME=str(hermetic_home))
    processes = [
        subprocess.Popen(
            [console_script(), "log", "--muscle", "calf", "--leg", "right", "--intensity", str(i % 11),
             "--at", f"2026-11-{(i % 20) + 1:02d}T03:{i:02d}", "--note", f"process {i}"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )
        for i in range(20)
    ]
    ids = []
    for process in processes:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        ids.append(out.strip())
    stored = Diary(hermetic_home).cramps()
    assert sorted(c.id for c in stored) == sorted(ids)
    assert sorted(c.note for c in stored) == sorted(f"process {i}" for i in range(20))
