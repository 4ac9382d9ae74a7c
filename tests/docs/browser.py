"""Headless Chromium driven over the DevTools protocol, for tests of the HTML site.

One browser per test session; each :class:`Page` is a fresh tab that records console
errors, uncaught exceptions and failed loads.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import websocket

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
    "--remote-allow-origins=*",
)
_LISTENING = re.compile(r"DevTools listening on (ws://\S+)")
_CLEANUP_ATTEMPTS = 10


class BrowserError(Exception):
    """The browser did not start or did not answer."""


class Chromium:
    """A headless Chromium process with a fresh profile."""

    def __init__(self, binary: Path, timeout: float = 60.0) -> None:
        self._profile = tempfile.TemporaryDirectory(prefix="dbarch-chromium-")
        self.timeout = timeout
        self._log = Path(self._profile.name) / "stderr.log"
        profile = Path(self._profile.name) / "profile"
        with self._log.open("w") as log:
            self.process = subprocess.Popen(
                [str(binary), *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,  # its helper processes share its process group
            )
        self.endpoint = self._wait_for_endpoint()
        self._browser = Session(self.endpoint, timeout)

    def _wait_for_endpoint(self) -> str:
        deadline = time.monotonic() + self.timeout
        text = ""
        while time.monotonic() < deadline and self.process.poll() is None:
            text = self._log.read_text(errors="replace")
            match = _LISTENING.search(text)
            if match:
                return match.group(1)
            time.sleep(0.05)
        self.close()
        raise BrowserError("Chromium did not start:\n" + text[-2000:])

    def page(self) -> Page:
        """A new tab."""
        target = self._browser.call("Target.createTarget", url="about:blank")["targetId"]
        host = self.endpoint.split("/devtools/")[0]
        return Page(Session(f"{host}/devtools/page/{target}", self.timeout))

    def close(self) -> None:
        """Stop the browser and its helper processes, and remove its profile."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        # renderers and the crash handler can outlive the browser, still writing the profile
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        for _ in range(_CLEANUP_ATTEMPTS - 1):
            try:
                self._profile.cleanup()
                return
            except OSError:
                time.sleep(0.2)
        self._profile.cleanup()


class Session:
    """One DevTools websocket: commands with replies, events kept in order."""

    def __init__(self, url: str, timeout: float) -> None:
        self.socket = websocket.create_connection(url, timeout=timeout, suppress_origin=True)
        self.events: list[dict[str, Any]] = []
        self._ids = itertools.count(1)

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send a command and return its result (events arriving meanwhile are kept)."""
        ident = next(self._ids)
        self.socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait_for(self, method: str, timeout: float) -> dict[str, Any]:
        """The next event ``method`` (kept ones first)."""
        for index, event in enumerate(self.events):
            if event["method"] == method:
                return self.events.pop(index)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = json.loads(self.socket.recv())
            if message.get("method") == method:
                return message
            if "method" in message:
                self.events.append(message)
        raise BrowserError(f"no {method} within {timeout} s")


class Page:
    """A tab: open a URL, run JavaScript, type text, collect its errors."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.errors: list[str] = []
        for domain in ("Page", "Runtime", "Log"):
            session.call(f"{domain}.enable")

    def __enter__(self) -> Page:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.session.socket.close()

    def open(self, url: str, timeout: float = 30.0) -> None:
        """Load ``url`` and wait for its load event."""
        self._drain()
        self.session.events.clear()
        result = self.session.call("Page.navigate", url=url)
        if result.get("errorText"):
            self.errors.append(f"{url}: {result['errorText']}")
            return
        self.session.wait_for("Page.loadEventFired", timeout)

    def run(self, expression: str, *, wait: bool = False) -> Any:
        """The value of a JavaScript ``expression`` (awaited when ``wait``)."""
        result = self.session.call(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=wait
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"{expression[:60]}...: {text}")
        return result["result"].get("value")

    def type(self, selector: str, text: str) -> None:
        """Focus the element ``selector`` and type ``text`` into it as a user would."""
        self.run(f"document.querySelector({json.dumps(selector)}).focus()")
        self.session.call("Input.insertText", text=text)

    def problems(self) -> list[str]:
        """Console errors and warnings, uncaught exceptions and failed loads so far."""
        self._drain()
        return list(self.errors)

    def _drain(self) -> None:
        self.session.call("Runtime.evaluate", expression="0")
        for event in self.session.events:
            params = event.get("params", {})
            if event["method"] == "Runtime.consoleAPICalled" and params["type"] in (
                "error",
                "warning",
                "assert",
            ):
                args = " ".join(str(a.get("value", a.get("description"))) for a in params["args"])
                self.errors.append(f"console.{params['type']}: {args}")
            elif event["method"] == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                text = details.get("exception", {}).get("description") or details.get("text")
                self.errors.append(f"exception: {text}")
            elif event["method"] == "Log.entryAdded" and params["entry"]["level"] in (
                "error",
                "warning",
            ):
                entry = params["entry"]
                self.errors.append(f"{entry['level']}: {entry['text']} {entry.get('url', '')}")
        self.session.events = [
            e
            for e in self.session.events
            if e["method"]
            not in ("Runtime.consoleAPICalled", "Runtime.exceptionThrown", "Log.entryAdded")
        ]
