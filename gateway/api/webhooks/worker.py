"""A background webhook sender for `ordergate api`: calls `deliver_due` every few seconds in a
daemon thread until stopped. The scheduler of `ordergate run` may call `deliver_due` as well: the
conditional claim makes sure a delivery is sent by one of them only."""
from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

from gateway.api.settings import WebhookSettings

log = logging.getLogger("ordergate.api.webhooks")


class DeliveryWorker:
    def __init__(self, engine: Engine, settings: WebhookSettings, every_seconds: float) -> None:
        self.engine = engine
        self.settings = settings
        self.every = every_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="webhook-delivery", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        from gateway.api.webhooks.delivery import deliver_due

        while not self._stop.is_set():
            try:
                report = deliver_due(self.engine, settings=self.settings)
                if report.delivered or report.failed or report.dead:
                    log.info("webhooks: %s", report.to_json())
            except Exception:  # noqa: BLE001 - logged with its traceback; the next round retries
                log.exception("webhook delivery round failed; retrying in %.0f s", self.every)
            self._stop.wait(self.every)
