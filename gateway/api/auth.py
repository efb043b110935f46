"""Bearer-key authentication and scope checks, as FastAPI dependencies.

`Authorization: Bearer og_xxxxxxxx_...`; a missing or unknown key is 401, a key without the scope a
route needs is 403. Routes declare `key: ApiKey = Depends(require(Scope.WRITE))` and pass
`key.actor` ("api:<name>") to the core so the order history names who made each change.
"""
from __future__ import annotations

from typing import Callable

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from gateway.api.context import ApiContext, get_context
from gateway.api.keys import ApiKey, authenticate
from gateway.api.problems import Problem
from gateway.api.scopes import Scope, allows

bearer = HTTPBearer(auto_error=False, scheme_name="ApiKey",
                    description="An API key made by `ordergate api-key create`.")
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="ordergate"'}


def require(scope: Scope) -> Callable[..., ApiKey]:
    def dependency(request: Request,
                   credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
                   context: ApiContext = Depends(get_context)) -> ApiKey:
        if credentials is None or credentials.scheme.lower() != "bearer":
            raise Problem(401, "Unauthorized", "send an API key as `Authorization: Bearer KEY` "
                          "(create one with `ordergate api-key create`)", kind="unauthorized",
                          headers=CHALLENGE)
        key = authenticate(context.engine, credentials.credentials)
        if key is None:
            raise Problem(401, "Unauthorized", "the API key is unknown or revoked; ask an admin for a "
                          "new one", kind="unauthorized", headers=CHALLENGE)
        if not allows(key.scopes, scope):
            raise Problem(403, "Forbidden", f"this route needs the {scope.value!r} scope; key "
                          f"{key.name!r} has {sorted(s.value for s in key.scopes)}",
                          kind="insufficient-scope", required_scope=scope.value)
        request.state.api_key = key
        return key

    dependency.__name__ = f"require_{scope.value}"
    return dependency


read_key = require(Scope.READ)
write_key = require(Scope.WRITE)
admin_key = require(Scope.ADMIN)
