"""Run cramp_coach as `python -m cramp_coach`."""

from cramp_coach.cli import main

raise SystemExit(main())
