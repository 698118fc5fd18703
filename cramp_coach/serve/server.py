"""The web server behind ``cramp-coach serve``: pairing, sessions, strict headers, and the app.

A phone becomes a paired device by opening a one-time link (``/pair/<token>``): the token is
exchanged for a random session cookie (HttpOnly, SameSite=Strict, Secure under TLS). Every other
request, every static file and the websocket need that cookie (403 without it), and only the Host
names this server announced are answered (no DNS rebinding). The websocket also refuses any
Origin but the page's own. Tokens and sessions live in this process only, so stopping the server
signs every device out.

Each websocket runs ``python -m cramp_coach`` through textual-serve's ``AppService`` (the real app
with Textual's web driver), with this process's environment, so ``CRAMP_COACH_HOME`` is shared
and the terminal app and phones write the same diary through the store's lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import hmac
import html
import ipaddress
import json
import os
import secrets
import shlex
import socket
import ssl
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from string import Template
from typing import TextIO

from aiohttp import WSMsgType, web

from cramp_coach.core.text import one_line

COOKIE_NAME = "cramp_session"
PAIR_PREFIX = "/pair/"
PAIR_LINK_SECONDS = 15 * 60  # an unused pairing link stops working after this
MAX_SESSIONS = 8  # paired devices at once; pairing more forgets the oldest
MAX_APPS = 4  # app processes (open pages) at once
MAX_TOKEN_CHARS = 128
MAX_MESSAGE_BYTES = 64 * 1024
MAX_CELLS = 500  # terminal width or height a page may ask for
STOP_SECONDS = 5.0  # how long an app process gets to quit before it is killed

_HERE = Path(__file__).resolve().parent


def _textual_serve_static() -> Path:
    return Path(str(resources.files("textual_serve") / "static"))


def static_files() -> dict[str, Path]:
    """The only files the page may load, by the name it uses (textual-serve's and our own)."""
    upstream, ours = _textual_serve_static(), _HERE / "static"
    return {
        "textual.js": upstream / "js" / "textual.js",
        "xterm.css": upstream / "css" / "xterm.css",
        "RobotoMono.ttf": upstream / "fonts" / "RobotoMono-VariableFont_wght.ttf",
        "RobotoMono-Italic.ttf": upstream / "fonts" / "RobotoMono-Italic-VariableFont_wght.ttf",
        "page.css": ours / "page.css",
        "page.js": ours / "page.js",
    }


def app_command() -> str:
    """The command each page runs: this cramp-coach, with the same Python."""
    return f"{shlex.quote(sys.executable)} -m cramp_coach"


def _same(candidate: str, secret: str) -> bool:
    return hmac.compare_digest(candidate.encode("utf-8", "replace"), secret.encode("utf-8", "replace"))


def _matching(candidate: str, secrets_held: list[str]) -> str | None:
    """The held secret equal to ``candidate``, compared in constant time with every one of them."""
    found = None
    if not candidate or len(candidate) > MAX_TOKEN_CHARS:
        return None
    for secret in secrets_held:
        if _same(candidate, secret):
            found = secret
    return found


class Pairing:
    """One-time pairing tokens and the sessions they became, kept in memory only."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, link_seconds: float = PAIR_LINK_SECONDS) -> None:
        self._clock = clock
        self._link_seconds = link_seconds
        self._tokens: dict[str, float] = {}  # token -> when it was made
        self._sessions: list[str] = []
        self._lock = threading.Lock()

    def new_token(self) -> str:
        """A fresh one-time token for a pairing link."""
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = self._clock()
        return token

    def redeem(self, token: str) -> str | None:
        """Use up ``token``: a new session id, or None if the token is unknown, used or too old."""
        with self._lock:
            now = self._clock()
            for held, made in list(self._tokens.items()):
                if now - made > self._link_seconds:
                    del self._tokens[held]
            found = _matching(token, list(self._tokens))
            if found is None:
                return None
            del self._tokens[found]
            session = secrets.token_urlsafe(32)
            self._sessions.append(session)
            del self._sessions[:-MAX_SESSIONS]
            return session

    def is_session(self, value: str | None) -> bool:
        """Whether ``value`` is the cookie of a paired device."""
        with self._lock:
            return _matching(value or "", self._sessions) is not None

    def end_all(self) -> None:
        """Forget every token and session (the server is stopping)."""
        with self._lock:
            self._tokens.clear()
            self._sessions.clear()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_any_address(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def _host_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def lan_address() -> str | None:
    """This machine's address on the local network, found without sending anything.

    ``connect`` on a UDP socket only picks the route: no packet leaves the machine.
    """
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("10.255.255.255", 1))
        address = probe.getsockname()[0]
        if not _is_loopback(address) and not _is_any_address(address):
            return address
    with contextlib.suppress(OSError):
        address = socket.gethostbyname(socket.gethostname())
        if not _is_loopback(address):
            return address
    return None


@dataclass(frozen=True)
class ServeOptions:
    """Where to listen and how: what ``cramp-coach serve`` was given."""

    host: str = "127.0.0.1"
    port: int = 8765
    public_host: str = ""  # the name in links; the LAN address when bound to every interface
    tls: ssl.SSLContext | None = None
    command: str = field(default_factory=app_command)

    @property
    def link_host(self) -> str:
        return self.public_host or self.host

    @property
    def scheme(self) -> str:
        return "https" if self.tls else "http"

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{_host_port(self.link_host, self.port)}"

    def allowed_hosts(self) -> frozenset[str]:
        """Host headers this server answers: the announced name (and, on loopback, its other names)."""
        names = {self.link_host}
        if _is_loopback(self.host) or _is_any_address(self.host):
            names |= {"127.0.0.1", "localhost"}
        if self.host in ("::1", "::"):
            names.add("::1")
        return frozenset(_host_port(name, self.port) for name in names)


def _template(name: str) -> Template:
    return Template((_HERE / "templates" / name).read_text(encoding="utf-8"))


def _html(text: str) -> str:
    return html.escape(text, quote=True)


class CrampServer:
    """The aiohttp application for one run of ``cramp-coach serve``."""

    def __init__(self, options: ServeOptions, pairing: Pairing | None = None, tell: Callable[[str], None] | None = None) -> None:
        self.options = options
        self.pairing = pairing or Pairing()
        self._tell = tell or (lambda text: None)  # a line for the person at the server's terminal
        self._hosts = options.allowed_hosts()
        # Cookies are shared by every port of a host: a name per port keeps two servers apart.
        self.cookie_name = f"{COOKIE_NAME}_{options.port}"
        self._files = static_files()
        self._sockets: set[web.WebSocketResponse] = set()
        self._app_tasks: set[asyncio.Task] = set()  # the websocket handlers, each running an app
        self._stopping: set[asyncio.Future] = set()  # apps being stopped after their page went away
        self._page = _template("page.html")
        self._message = _template("message.html")

    def pair_link(self) -> str:
        """A new one-time pairing link."""
        return f"{self.options.base_url}{PAIR_PREFIX}{self.pairing.new_token()}"

    def make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard], client_max_size=MAX_MESSAGE_BYTES)
        app.router.add_get("/", self.handle_page)
        app.router.add_get(PAIR_PREFIX + "{token}", self.handle_pair)
        app.router.add_get("/static/{name}", self.handle_static)
        app.router.add_get("/ws", self.handle_websocket)
        app.on_response_prepare.append(self._add_headers)
        app.on_shutdown.append(self._close_sockets)
        return app

    # -- every request ---------------------------------------------------------------------------
    def _refusal(self, status: int, title: str, text: str) -> web.Response:
        body = self._message.substitute(title=_html(title), text=_html(text), refresh="", more="")
        return web.Response(status=status, text=body, content_type="text/html")

    @web.middleware
    async def _guard(self, request: web.Request, handler) -> web.StreamResponse:
        if request.host not in self._hosts:
            return web.Response(status=403, text="This server answers only at its own address.\n")
        if not request.path.startswith(PAIR_PREFIX) and not self.pairing.is_session(request.cookies.get(self.cookie_name)):
            return self._refusal(
                403,
                "Not paired",
                "This device is not paired with cramp coach. Open a pairing link from the terminal "
                "running `cramp-coach serve` (press p then Enter there for a new one).",
            )
        return await handler(request)

    def _csp(self, request: web.Request) -> str:
        """Only this server, for everything; inline styles only because xterm.js injects its own."""
        host = request.host if request.host in self._hosts else _host_port(self.options.link_host, self.options.port)
        socket_url = f"{'wss' if self.options.tls else 'ws'}://{host}"
        return (
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            f"font-src 'self'; connect-src 'self' {socket_url}; object-src 'none'; base-uri 'none'; "
            "form-action 'none'; frame-ancestors 'none'"
        )

    async def _add_headers(self, request: web.Request, response: web.StreamResponse) -> None:
        headers = response.headers
        headers["Content-Security-Policy"] = self._csp(request)
        headers["Referrer-Policy"] = "no-referrer"
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Cross-Origin-Resource-Policy"] = "same-origin"
        headers["Cache-Control"] = "no-store"
        headers["Server"] = "cramp-coach"

    # -- routes ----------------------------------------------------------------------------------
    async def handle_pair(self, request: web.Request) -> web.Response:
        session = self.pairing.redeem(request.match_info["token"])
        if session is None:
            self._tell("A pairing link was opened that was already used, expired or never made: refused.")
            return self._refusal(
                403,
                "Link already used",
                "This pairing link was already used, has expired, or is not one this server made. "
                "Press p then Enter in the terminal running `cramp-coach serve` for a new one.",
            )
        # A page that moves on by itself (not a redirect): the next request starts on this site, so
        # the SameSite=Strict cookie goes with it even when the link was opened from a QR scanner.
        body = self._message.substitute(
            title="Paired",
            text="This device is paired. Opening cramp coach...",
            refresh='<meta http-equiv="refresh" content="0; url=/">',
            more='<p><a href="/">Open cramp coach</a></p>',
        )
        self._tell(f"A device paired at {time.strftime('%H:%M')}.")
        response = web.Response(text=body, content_type="text/html")
        response.set_cookie(
            self.cookie_name, session, path="/", httponly=True, samesite="Strict", secure=self.options.tls is not None
        )
        return response

    async def handle_page(self, request: web.Request) -> web.Response:
        scheme = "wss" if self.options.tls else "ws"
        body = self._page.substitute(socket_url=_html(f"{scheme}://{request.host}/ws"))
        return web.Response(text=body, content_type="text/html")

    async def handle_static(self, request: web.Request) -> web.StreamResponse:
        path = self._files.get(request.match_info["name"])
        if path is None or not path.is_file():
            raise web.HTTPNotFound()
        return web.FileResponse(path)

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        if request.headers.get("Origin") != f"{self.options.scheme}://{request.host}":
            return web.Response(status=403, text="This page may not open the app.\n")
        if len(self._sockets) >= MAX_APPS:
            return web.Response(status=503, text="Too many pages are open; close one and reload.\n")
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE_BYTES)
        await websocket.prepare(request)
        self._sockets.add(websocket)
        task = asyncio.current_task()
        if task is not None:
            self._app_tasks.add(task)
        try:
            await self._run_app(websocket, _cells(request.query.get("width"), 80), _cells(request.query.get("height"), 24))
        finally:
            self._sockets.discard(websocket)
            self._app_tasks.discard(task)
        return websocket

    @staticmethod
    def _closer(websocket: web.WebSocketResponse) -> Callable[[], Awaitable[None]]:
        """What textual-serve calls to close the page's websocket (it wants a coroutine of None)."""

        async def close() -> None:
            await websocket.close()

        return close

    async def _run_app(self, websocket: web.WebSocketResponse, width: int, height: int) -> None:
        from textual_serve.app_service import AppService
        from textual_serve.download_manager import DownloadManager

        service = AppService(
            self.options.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=self._closer(websocket),
            download_manager=DownloadManager(),
        )
        await service.start(width, height)
        try:
            await _relay(websocket, service)
        finally:
            # The handler is cancelled when the page goes away: the app is still stopped, in full.
            stopping = asyncio.ensure_future(_stop_app(service))
            self._stopping.add(stopping)
            stopping.add_done_callback(self._stopping.discard)
            await asyncio.shield(stopping)

    async def _close_sockets(self, app: web.Application) -> None:
        """The server is stopping: sign everyone out, close every page, and let each app quit."""
        self.pairing.end_all()
        for websocket in list(self._sockets):
            await websocket.close(code=1001, message=b"cramp-coach serve stopped")
        if self._app_tasks:
            await asyncio.wait(list(self._app_tasks), timeout=2 * STOP_SECONDS)
        if self._stopping:
            await asyncio.wait(list(self._stopping), timeout=2 * STOP_SECONDS)


def _cells(value: str | None, default: int) -> int:
    try:
        return max(1, min(MAX_CELLS, int(value or default)))
    except ValueError:
        return default


async def _relay(websocket: web.WebSocketResponse, service) -> None:
    """Pass the page's keys, taps and size to the app; anything malformed is ignored."""
    async for message in websocket:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            envelope = json.loads(message.data)
            kind = envelope[0]
        except (ValueError, TypeError, IndexError, KeyError):
            continue
        if kind == "stdin" and len(envelope) > 1 and isinstance(envelope[1], str):
            await service.send_bytes(envelope[1].encode("utf-8", "replace"))
        elif kind == "resize" and len(envelope) > 1 and isinstance(envelope[1], dict):
            size = envelope[1]
            await service.set_terminal_size(_cells(str(size.get("width")), 80), _cells(str(size.get("height")), 24))
        elif kind == "ping" and len(envelope) > 1:
            await websocket.send_json(["pong", str(envelope[1])[:32]])
        elif kind == "blur":
            await service.blur()
        elif kind == "focus":
            await service.focus()


async def _stop_app(service) -> None:
    """Ask the app to quit; kill it if it has not within a few seconds, and wait for it to end."""
    process = getattr(service, "_process", None)
    try:
        await asyncio.wait_for(service.stop(), STOP_SECONDS)
    except (TimeoutError, OSError, RuntimeError):
        pass
    if process is None:
        return
    if process.returncode is None:
        try:
            await asyncio.wait_for(process.wait(), STOP_SECONDS)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
    transport = getattr(process, "_transport", None)  # asyncio leaves it open after the process ends
    if transport is not None:
        transport.close()


# -- running it ------------------------------------------------------------------------------------
class ServeError(Exception):
    """The server could not start: one plain line."""


def tls_context(cert: Path, key: Path) -> ssl.SSLContext:
    """A server TLS context from a certificate and key file (PEM)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        context.load_cert_chain(certfile=cert, keyfile=key)
    except ssl.SSLError:
        reason = "they are not a certificate and its private key in PEM form"
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
    else:
        return context
    files = f"--tls-cert {one_line(os.fsdecode(cert))} and --tls-key {one_line(os.fsdecode(key))}"
    raise ServeError(f"{files} cannot be used: {reason}")


def announce(server: CrampServer, out: TextIO, lan: bool, diary_folder: str = "") -> None:
    """The pairing link on its own line, its QR code, and what the address means."""
    options = server.options
    link = server.pair_link()
    out.write("cramp coach is being served. Open this link once on your phone (or scan the code):\n\n")
    out.write(f"{link}\n\n")
    draw_qr(link, out)
    if lan:
        out.write(
            f"\nOn your home network: any device on this network can reach {options.base_url}, but only a paired\n"
            "device can open the app. "
            + (
                "The connection is encrypted (TLS).\n"
                if options.tls
                else "This is plain HTTP, not encrypted: someone on the same network could read\n"
                "what passes between the phone and this machine (what the app shows, diary entries you open\n"
                "included). Use --tls-cert and --tls-key if you have a certificate; use --lan only at home.\n"
            )
        )
    elif _is_loopback(options.host):
        out.write("\nOnly this machine can open this address. For a phone on your home network, start with --lan.\n")
    if diary_folder:
        out.write(f"Every device uses the diary in {one_line(diary_folder)}, as the terminal app does.\n")
    out.write(
        f"The link works once and for {PAIR_LINK_SECONDS // 60} minutes. Press p then Enter here for a link for another\n"
        "device; Ctrl+C (or q then Enter) stops the server and signs every device out.\n"
    )
    out.flush()


def draw_qr(link: str, out: TextIO) -> None:
    """``link`` as a QR code in the terminal (skipped quietly if it cannot be drawn)."""
    try:
        import segno

        segno.make(link, error="m", micro=False).terminal(out=out, compact=True)
    except (ImportError, ValueError, UnicodeError, OSError):
        out.write("(the QR code cannot be shown here; type the link instead)\n")


def _watch_stdin(loop: asyncio.AbstractEventLoop, on_line: Callable[[str], None]) -> None:
    """Read commands typed on the server's terminal (p: new link, q: stop) without blocking the loop."""

    def read() -> None:
        try:
            for line in sys.stdin:
                loop.call_soon_threadsafe(on_line, line.strip().lower())
        except (OSError, ValueError, RuntimeError):
            pass

    if sys.stdin is not None and not sys.stdin.closed:
        threading.Thread(target=read, name="serve-stdin", daemon=True).start()


async def serve(options: ServeOptions, out: TextIO = sys.stdout, lan: bool = False, diary_folder: str = "") -> None:
    """Run the server until Ctrl+C, SIGTERM or ``q``; every session ends with it."""
    import signal

    def tell(text: str) -> None:
        out.write(text + "\n")
        out.flush()

    server = CrampServer(options, tell=tell)
    runner = web.AppRunner(server.make_app(), handle_signals=False, access_log=None, shutdown_timeout=STOP_SECONDS)
    await runner.setup()
    site = web.TCPSite(runner, options.host, options.port, ssl_context=options.tls)
    try:
        await site.start()
    except OSError as error:
        await runner.cleanup()
        reason = "the port is in use (choose another with --port)" if error.errno == errno.EADDRINUSE else (error.strerror or str(error)).lower()
        raise ServeError(f"cannot listen on {_host_port(options.host, options.port)}: {reason}") from None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signal_number, stop.set)

    def on_line(command: str) -> None:
        if command == "p":
            link = server.pair_link()
            out.write(f"A new pairing link (works once):\n\n{link}\n\n")
            draw_qr(link, out)
            out.flush()
        elif command == "q":
            stop.set()

    announce(server, out, lan, diary_folder)
    _watch_stdin(loop, on_line)
    try:
        await stop.wait()
    finally:
        server.pairing.end_all()
        await runner.cleanup()
        out.write("Stopped: every paired device is signed out.\n")
        out.flush()
