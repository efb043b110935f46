"""Integration fixtures: the unit fixtures (real home from `ordergate init`, keys, client) reused."""
from tests.unit.api.conftest import (admin, app, client, engine, home, reader, settings,  # noqa: F401
                                     template_home, writer)
