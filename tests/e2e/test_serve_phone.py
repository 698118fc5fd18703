"""A phone at the bedside: `cramp-coach serve` in headless Chromium at phone size, driven by taps.

The terminal is drawn on a canvas, so where to tap comes from the same app laid out at the same
size in a test harness (the page tells the server its size in cells), results are checked in
the diary file, and a screenshot is kept; a swipe must scroll a long page. Every request the page
makes must stay on this machine.
Needs Debian's `chromium` (.ci/run installs it) and pip `playwright`; skipped without them.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import console_script

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 412, "height": 915}
LINK = re.compile(r"(https?://\S+/pair/[A-Za-z0-9_-]+)")
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
WAIT = 15.0

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium; .ci/run does)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def _pairing_link(server: asyncio.subprocess.Process) -> str:
    assert server.stdout is not None
    seen = []
    while True:
        line = (await asyncio.wait_for(server.stdout.readline(), WAIT)).decode()
        if not line:
            pytest.fail(f"cramp-coach serve ended before printing a pairing link: {''.join(seen)}")
        seen.append(line)
        if LINK.fullmatch(line.strip()):
            return line.strip()


async def _tap_targets(cols: int, rows: int, home: Path) -> dict[str, tuple[float, float]]:
    """Where each button the phone taps is, in cells, for the app at this size: "Cramp now", then
    relief's pause and next, "it's gone", and the summary's pain 7, right leg and save.

    The same app runs in Textual's test harness at the phone's size with its own fresh data
    folder, and is tapped in the same order, so its screens are laid out exactly as the served one's.
    """
    from textual.widgets import Button
    from textual.widgets._footer import FooterKey

    from cramp_coach.app import make_app

    def centre(region) -> tuple[float, float]:
        right = min(region.right, cols)  # a footer key may run past the edge: tap what shows
        return (region.x + right) / 2, region.y + region.height / 2

    def target(screen, button_ids: tuple[str, ...], action: str) -> tuple[float, float]:
        for button in screen.query(Button):
            if button.id in button_ids and button.region.width:
                return centre(button.region)
        for key in screen.query(FooterKey):
            if key.action == action and key.region.x < cols - 2:
                return centre(key.region)
        pytest.fail(f"{type(screen).__name__} has nothing to tap for {action!r} at {cols}x{rows}")

    from cramp_coach.screens.relief import ReliefScreen

    targets = {}
    app = make_app(home)
    guard, ReliefScreen.GONE_GUARD_SECONDS = ReliefScreen.GONE_GUARD_SECONDS, 0.0  # taps at once here (layout only)
    try:
        await _tap_through(app, cols, rows, targets, target)
    finally:
        ReliefScreen.GONE_GUARD_SECONDS = guard
    return targets


async def _tap_through(app, cols: int, rows: int, targets: dict[str, tuple[float, float]], target) -> None:
    async with app.run_test(size=(cols, rows)) as pilot:
        await pilot.pause(0.2)
        steps = [
            ("cramp now", ("cramp-now",), "relief"),
            ("pause", ("tap-pause",), "toggle_pause"),
            ("next", ("tap-next",), "next_step"),
            ("it's gone", ("gone", "its-gone"), "gone"),
            ("pain 7", ("pain-7",), "intensity"),
            ("right leg", ("leg-right",), "side"),
            ("save", ("save",), "save"),
        ]
        for name, button_ids, action in steps:
            targets[name] = target(app.screen, button_ids, action)
            x, y = targets[name]
            await pilot.click(offset=(int(x), int(y)))
            await pilot.pause(0.3)


async def test_a_phone_pairs_and_saves_a_cramp_by_touch(tmp_path: Path, hermetic_home: Path) -> None:
    playwright_api = pytest.importorskip("playwright.async_api", reason="needs pip playwright (the test extra)")
    phone_home = tmp_path / "phone-home"
    port = _free_port()
    server = await asyncio.create_subprocess_exec(
        console_script(), "serve", "--port", str(port),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        env={**os.environ, "CRAMP_COACH_HOME": str(phone_home)},
    )
    requests: list[str] = []
    sent: list[str] = []
    console: list[str] = []
    received = bytearray()
    try:
        link = await _pairing_link(server)
        assert urlsplit(link).netloc == f"127.0.0.1:{port}"
        async with playwright_api.async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            try:
                # A scale factor of 1: headless Chromium's emulated 2x does not reach the canvas
                # (ResizeObserver reports CSS pixels), which a real phone's screen does.
                context = await browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=1)
                page = await context.new_page()
                page.on("request", lambda request: requests.append(request.url))
                page.on("console", lambda message: console.append(message.text))

                def watch(websocket) -> None:
                    websocket.on("framesent", lambda payload: sent.append(payload if isinstance(payload, str) else ""))
                    websocket.on("framereceived", lambda payload: received.extend(payload if isinstance(payload, bytes) else b""))

                page.on("websocket", watch)
                await page.goto(link)
                await page.wait_for_selector("body.-first-byte", timeout=WAIT * 1000)
                cols, rows = await _terminal_size(sent)
                box = await page.locator(".xterm-screen").bounding_box()
                assert box is not None
                cell_w, cell_h = box["width"] / cols, box["height"] / rows
                assert 38 <= cols <= 48, f"a phone should get about 40 columns, got {cols}"
                targets = await _tap_targets(cols, rows, hermetic_home)

                async def tap(name: str, then: bytes) -> None:
                    x, y = targets[name]
                    received.clear()
                    await page.touchscreen.tap(box["x"] + x * cell_w, box["y"] + y * cell_h)
                    await _wait_for(lambda: then in received, f"the app to answer the tap on {name!r}")

                await _wait_for(lambda: b"Cramp now" in received, "the home screen")
                await _quiet(received)  # the home screen's first frames settle
                # A long page scrolls with a finger, as with a mouse wheel.
                await page.focus(".xterm-helper-textarea")  # where xterm.js takes keys
                await page.keyboard.press("!")
                await _wait_for(lambda: b"Red flags" in received, "the red-flag page")
                await _quiet(received)
                before = await page.screenshot()
                await _swipe_up(context, page, box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.8, box["y"] + box["height"] * 0.3)
                await _quiet(received)
                scrolled = await page.screenshot() != before
                assert scrolled, "a swipe did not scroll the red-flag page"
                await page.keyboard.press("Escape")
                await _wait_for(lambda: b"Cramp now" in received, "the home screen again")
                await _quiet(received)
                await tap("cramp now", b"Step 1 of")
                await _quiet(received)  # relief's buttons come just after its first frame
                await page.screenshot(path=str(tmp_path / "phone-relief.png"))
                await tap("pause", b"go on")
                await tap("next", b"Stand on it")  # step 2 is on, and step 3 is next
                await asyncio.sleep(1.6)  # "it's gone" does nothing in a run's first 1.5 s (a second tap or enter from home)
                await tap("it's gone", b"Save to diary")
                await _quiet(received)
                await tap("pain 7", b"Pain 7/10")
                await tap("right leg", b"leg right")
                await page.screenshot(path=str(tmp_path / "phone-summary.png"))
                # Meanwhile at the terminal: the same diary, written through the same lock.
                logged = await asyncio.create_subprocess_exec(
                    console_script(), "log", "--muscle", "foot", "--leg", "left", "--intensity", "3",
                    stdout=asyncio.subprocess.DEVNULL, env={**os.environ, "CRAMP_COACH_HOME": str(phone_home)},
                )
                assert await asyncio.wait_for(logged.wait(), WAIT) == 0
                await tap("save", b"Saved")
                await page.screenshot(path=str(tmp_path / "phone-saved.png"))
            finally:
                await browser.close()
        await _wait_for(lambda: len(_saved_cramps(phone_home)) == 2, "the phone's cramp in the diary file")
        assert sorted(cramp.muscle for cramp in _saved_cramps(phone_home)) == ["calf", "foot"]
        (tapped,) = [cramp for cramp in _saved_cramps(phone_home) if cramp.muscle == "calf"]
        assert (tapped.intensity, tapped.leg, tapped.ended_by) == (7, "right", "calf-massage")
        assert (tmp_path / "phone-saved.png").stat().st_size > 1000
        assert requests, "the page made no requests at all?"
        away = [url for url in requests if urlsplit(url).hostname not in LOCAL_HOSTS]
        assert not away, f"the page asked another host for: {away}"
        refused = [text for text in console if "Content Security Policy" in text or "Failed to load" in text]
        assert not refused, f"the page broke its own rules: {refused}"
        # Another device: p then Enter prints a fresh link; q then Enter stops and signs everyone out.
        assert server.stdin is not None
        server.stdin.write(b"p\n")
        await server.stdin.drain()
        second = await _pairing_link(server)
        assert second != link and urlsplit(second).netloc == urlsplit(link).netloc
        server.stdin.write(b"q\n")
        await server.stdin.drain()
        rest = (await asyncio.wait_for(server.stdout.read(), WAIT)).decode()
        assert "signed out" in rest
        await asyncio.wait_for(server.wait(), WAIT)
    finally:
        if server.returncode is None:
            server.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(server.wait(), 10)
            except TimeoutError:
                server.kill()
    assert server.returncode == 0


async def _swipe_up(context, page, x: float, start_y: float, end_y: float) -> None:
    """A finger dragged up the screen (Playwright has taps but no swipes: the DevTools protocol does)."""
    cdp = await context.new_cdp_session(page)
    steps = 10
    await cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": start_y}]})
    for step in range(1, steps + 1):
        y = start_y + (end_y - start_y) * step / steps
        await cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    await cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    await cdp.detach()


def _saved_cramps(home: Path) -> list:
    from cramp_coach.core.diary import Diary

    if not (home / "diary.json").exists():
        return []
    return Diary(home).cramps()


async def _terminal_size(sent: list[str]) -> tuple[int, int]:
    """The size in cells the page told the server (its last resize message)."""

    def last_resize():
        for frame in reversed(sent):
            if '"resize"' in frame:
                return json.loads(frame)[1]
        return None

    await _wait_for(lambda: last_resize() is not None, "the page to send its size")
    size = last_resize()
    return size["width"], size["height"]


async def _quiet(received: bytearray, still: float = 0.2, timeout: float = 5.0) -> None:
    """Wait until the app has sent nothing new for ``still`` seconds: its frames have settled."""
    deadline = time.monotonic() + timeout
    size, since = len(received), time.monotonic()
    while time.monotonic() < deadline:
        await asyncio.sleep(0.05)
        if len(received) != size:
            size, since = len(received), time.monotonic()
        elif time.monotonic() - since >= still:
            return


async def _wait_for(condition, what: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)
