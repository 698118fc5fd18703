"""`cramp-coach serve` lets in only a paired device: every refusal, and the headers on every answer.

The real aiohttp application runs on 127.0.0.1 with aiohttp's test client; the page's websocket
would run the app, so where a test needs it to open, the command is a Python that exits at once.
"""

from __future__ import annotations

import socket
import ssl
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http.cookies import SimpleCookie

import pytest
from aiohttp import DummyCookieJar, WSServerHandshakeError
from aiohttp.test_utils import TestClient, TestServer

from cramp_coach import cli
from cramp_coach.serve import server as serve_server
from cramp_coach.serve.server import PAIR_LINK_SECONDS, CrampServer, Pairing, ServeOptions, static_files

HOSTILE = ["[/]", "\x1b]0;title\x07", "\x9bc1", "x" * 10_000, "\u202eright-to-left\u202c", "emoji 🦵💥", "\udcff", "a|b\nc", "=1+1"]
QUICK_APP = f"{sys.executable} -c pass"  # stands in for the app where a websocket must open


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served:
    """A running server, its test client, and every response seen (for the header checks)."""

    def __init__(self, server: CrampServer, client: TestClient) -> None:
        self.server, self.client = server, client
        self.port = server.options.port
        self.origin = f"http://127.0.0.1:{self.port}"
        self.responses = []

    async def get(self, path: str, cookie: str | None = None, **headers: str):
        if cookie is not None:
            headers["Cookie"] = f"{self.server.cookie_name}={cookie}"
        response = await self.client.get(path, headers=headers, allow_redirects=False)
        await response.read()
        self.responses.append(response)
        return response

    async def pair(self) -> str:
        """Open a fresh pairing link; the session cookie it gave."""
        link = self.server.pair_link()
        response = await self.get(link.removeprefix(self.origin))
        assert response.status == 200
        return SimpleCookie(response.headers["Set-Cookie"])[self.server.cookie_name].value

    async def websocket_status(self, cookie: str | None, origin: str | None) -> int:
        headers = {}
        if cookie is not None:
            headers["Cookie"] = f"{self.server.cookie_name}={cookie}"
        if origin is not None:
            headers["Origin"] = origin
        try:
            socket_ = await self.client.ws_connect("/ws?width=40&height=20", headers=headers, origin=origin)
        except WSServerHandshakeError as error:
            return error.status
        await socket_.close()
        return 101


@asynccontextmanager
async def serving(**options) -> AsyncIterator[Served]:
    port = _free_port()
    server = CrampServer(ServeOptions(host="127.0.0.1", port=port, command=QUICK_APP, **options))
    client = TestClient(TestServer(server.make_app(), host="127.0.0.1", port=port), cookie_jar=DummyCookieJar())
    await client.start_server()
    try:
        yield Served(server, client)
    finally:
        await client.close()


def assert_strict_headers(response, port: int) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    assert directives["default-src"] == ["'self'"], csp
    assert directives["connect-src"] == ["'self'", f"ws://127.0.0.1:{port}"], csp
    assert directives["script-src"] == ["'self'"], csp
    assert directives["frame-ancestors"] == ["'none'"], csp
    sources = [source for values in directives.values() for source in values]
    assert all(source.startswith("'") or source in ("data:", f"ws://127.0.0.1:{port}") for source in sources), csp
    assert response.headers.get("Referrer-Policy") == "no-referrer"
    assert response.headers.get("X-Content-Type-Options") == "nosniff"


async def test_nothing_opens_without_a_session_and_every_answer_has_strict_headers() -> None:
    async with serving() as served:
        for path in ["/", "/ws", "/favicon.ico", "/static/", "/../../etc/passwd", *(f"/static/{name}" for name in static_files())]:
            response = await served.get(path)
            assert response.status == 403, path
            assert "pairing link" in await response.text()
        assert await served.websocket_status(None, served.origin) == 403
        cookie = await served.pair()
        assert (await served.get("/", cookie)).status == 200
        for name in static_files():
            response = await served.get(f"/static/{name}", cookie)
            assert response.status == 200, name
        assert (await served.get("/static/server.py", cookie)).status == 404
        assert (await served.get("/nowhere", cookie)).status == 404
        assert len(served.responses) > 20
        for response in served.responses:
            assert_strict_headers(response, served.port)


async def test_a_pairing_link_works_once_and_gives_a_strict_cookie() -> None:
    async with serving() as served:
        told = []
        served.server._tell = told.append
        link = served.server.pair_link().removeprefix(served.origin)
        assert link.startswith("/pair/") and len(link) > len("/pair/") + 40
        first = await served.get(link)
        assert first.status == 200
        cookie = SimpleCookie(first.headers["Set-Cookie"])[served.server.cookie_name]
        assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/"
        assert not cookie["secure"]  # plain HTTP: a Secure cookie would never come back
        assert len(cookie.value) >= 40 and cookie.value not in link
        assert '<meta http-equiv="refresh" content="0; url=/">' in await first.text()
        again = await served.get(link)
        assert again.status == 403 and "Set-Cookie" not in again.headers
        assert "already used" in await again.text()
        assert [line.split(" at ")[0] for line in told] == ["A device paired", "A pairing link was opened that was already used, expired or never made: refused."]
        assert (await served.get("/", cookie.value)).status == 200


async def test_made_up_links_and_cookies_are_refused() -> None:
    async with serving() as served:
        cookie = await served.pair()
        used_token = "never-made-" + "a" * 32
        for token in [used_token, "", "%00", "x" * 500, cookie]:
            response = await served.get(f"/pair/{token}")
            assert response.status in (403, 404), token
            assert "Set-Cookie" not in response.headers
        for bad in ["", "nope", cookie[:-1], cookie + "x", cookie.upper() if cookie.upper() != cookie else cookie + "A", "z" * 5000]:
            assert (await served.get("/", bad)).status == 403, bad
            assert await served.websocket_status(bad, served.origin) == 403


def test_hostile_cookies_and_tokens_are_refused_without_a_crash() -> None:
    pairing = Pairing()
    pairing.new_token()
    for text in HOSTILE:
        assert pairing.redeem(text) is None
        assert not pairing.is_session(text)


async def test_the_websocket_opens_only_for_the_pages_own_origin() -> None:
    async with serving() as served:
        cookie = await served.pair()
        other_port = served.port + 1 if served.port < 65535 else served.port - 1
        for origin in [None, "null", "http://evil.example", f"http://127.0.0.1:{other_port}", f"https://127.0.0.1:{served.port}",
                       f"http://127.0.0.1:{served.port}.evil.example", "http://localhost.evil.example"]:
            assert await served.websocket_status(cookie, origin) == 403, origin
        assert await served.websocket_status(cookie, served.origin) == 101


async def test_requests_for_another_host_name_are_refused() -> None:
    """A page elsewhere that points its own name at this machine (DNS rebinding) gets nothing."""
    async with serving() as served:
        cookie = await served.pair()
        for host in ["evil.example", f"evil.example:{served.port}", f"192.168.1.9:{served.port}"]:
            assert (await served.get("/", cookie, Host=host)).status == 403, host
        assert (await served.get("/", cookie, Host=f"localhost:{served.port}")).status == 200


async def test_the_page_is_our_own_phone_page_with_nothing_from_elsewhere() -> None:
    async with serving() as served:
        cookie = await served.pair()
        page = await (await served.get("/", cookie)).text()
        assert '<meta name="viewport" content="width=device-width' in page
        assert f'data-session-websocket-url="ws://127.0.0.1:{served.port}/ws"' in page
        assert "googleapis" not in page and "https://" not in page
        script = await (await served.get("/static/page.js", cookie)).text()
        assert "navigator.wakeLock.request" in script
        style = await (await served.get("/static/page.css", cookie)).text()
        assert "@font-face" in style and "https://" not in style and "http://" not in style


async def test_sessions_end_with_the_server() -> None:
    async with serving() as served:
        cookie = await served.pair()
        unused = served.server.pair_link().removeprefix(served.origin)
        pairing = served.server.pairing
        assert pairing.is_session(cookie)
    assert not pairing.is_session(cookie)
    assert pairing.redeem(unused.removeprefix("/pair/")) is None
    async with serving() as restarted:  # a new server knows nobody
        assert (await restarted.get("/", cookie)).status == 403


async def test_a_secure_cookie_and_wss_under_tls() -> None:
    async with serving(tls=ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)) as served:
        response = await served.get(served.server.pair_link().split(str(served.port), 1)[1])
        cookie = SimpleCookie(response.headers["Set-Cookie"])[served.server.cookie_name]
        assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Strict"
        assert f"connect-src 'self' wss://127.0.0.1:{served.port}" in response.headers["Content-Security-Policy"]
        assert served.server.pair_link().startswith(f"https://127.0.0.1:{served.port}/pair/")
        assert await served.websocket_status(cookie.value, served.origin) == 403  # http:// is not the page's origin


def test_tokens_and_sessions_are_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    compared = []
    real = serve_server.hmac.compare_digest
    monkeypatch.setattr(serve_server.hmac, "compare_digest", lambda a, b: compared.append((a, b)) or real(a, b))
    pairing = Pairing()
    token = pairing.new_token()
    session = pairing.redeem(token)
    assert session and compared
    compared.clear()
    assert pairing.is_session(session) and not pairing.is_session("x" * len(session))
    assert len(compared) == 2


def test_a_pairing_link_expires_and_old_devices_make_room() -> None:
    now = [0.0]
    pairing = Pairing(clock=lambda: now[0])
    late = pairing.new_token()
    now[0] += PAIR_LINK_SECONDS + 1
    assert pairing.redeem(late) is None
    sessions = [pairing.redeem(pairing.new_token()) for _ in range(serve_server.MAX_SESSIONS + 1)]
    assert not pairing.is_session(sessions[0]) and all(pairing.is_session(s) for s in sessions[1:])


def test_serve_options_are_checked(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["serve", "--lan", "--host", "0.0.0.0"], ["serve", "--tls-cert", "cert.pem"], ["serve", "--port", "0"],
                 ["serve", "--port", "70000"], ["serve", "--port", "http"]):
        assert cli.main(argv) == 2, argv
        assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_a_port_in_use_is_one_plain_line(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert cli.main(["serve", "--port", str(taken.getsockname()[1])]) == 1
    error = capsys.readouterr().err
    assert "in use" in error and "Traceback" not in error and len(error.strip().splitlines()) == 1


def test_the_lan_address_is_found_without_sending_anything() -> None:
    import ipaddress

    address = serve_server.lan_address()
    assert address is None or not ipaddress.ip_address(address).is_loopback
