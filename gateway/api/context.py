"""What every request handler needs, built once per application: settings, the engine and the core.
The core is built on first use so the API starts (and serves its own routes) even before the
order core is importable, and answers 503 with a clear problem for routes that need it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from sqlalchemy import Engine

from gateway.api.problems import Problem
from gateway.api.settings import ApiSettings


@dataclass
class ApiContext:
    settings: ApiSettings
    engine: Engine
    _core: Any = field(default=None, repr=False)
    _rules: Any = field(default=None, repr=False)

    @property
    def core(self) -> Any:
        if self._core is None:
            try:
                from core.bootstrap import bootstrap
            except ImportError as exc:
                raise Problem(503, "Order core unavailable", f"the order core is not installed ({exc})",
                              kind="core-unavailable") from None
            self._core = bootstrap(home=self.settings.home, engine=self.engine) if self.settings.home \
                else bootstrap(engine=self.engine)
        return self._core


    @property
    def rules(self) -> Any:
        """The sourcing rules of the home (or the core's defaults), read once."""
        if self._rules is None:
            from core.inventory.rules import load_rules

            path = None
            if self.settings.home is not None:
                from core.config import Home

                path = Home(self.settings.home).sourcing_path
            self._rules = load_rules(path)
        return self._rules


def get_context(request: Request) -> ApiContext:
    return request.app.state.context
