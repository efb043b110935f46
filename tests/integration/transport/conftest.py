"""Fixtures for the transport tests: a partner account on the real sshd and a cutting proxy."""
from __future__ import annotations

import itertools
from typing import Iterator

import pytest

from tests.integration.transport.proxy import CuttingProxy

_counter = itertools.count()


@pytest.fixture()
def account(sshd_running):  # type: ignore[no-untyped-def]
    """A fresh partner login with empty folders (a new user per test keeps tests independent)."""
    acc = sshd_running.add_partner(f"t{next(_counter)}")
    yield acc


@pytest.fixture()
def cutting_proxy(sshd_running) -> Iterator:  # type: ignore[no-untyped-def]
    proxies: list[CuttingProxy] = []

    def make(**kwargs: object) -> CuttingProxy:
        proxy = CuttingProxy(sshd_running.port, **kwargs)  # type: ignore[arg-type]
        proxies.append(proxy)
        return proxy
    yield make
    for proxy in proxies:
        proxy.close()
