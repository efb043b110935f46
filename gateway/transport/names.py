"""Remote names are data from the partner: check them before they touch a path.

paramiko filters only `.` and `..` from listings; a hostile or broken server can return names with
slashes, NUL bytes or `..` that would write outside the folder. A name is accepted only when it is a
single, printable path component. Temporary names (a leading dot, `.part`, `.tmp`, ...) are names a
sender is still writing under; they are never picked up.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

from gateway.transport.errors import UnsafeNameError

TEMPORARY_SUFFIXES = (".part", ".tmp", ".filepart", ".partial", ".uploading", ".inprogress")
MAX_NAME_LENGTH = 255


def unsafe_reason(name: str) -> str | None:
    """Why `name` is not a safe single file name, or None when it is."""
    if not name or name in {".", ".."}:
        return "empty or a directory reference"
    # surrogatepass: a lone surrogate (no file system makes one, a server's listing might) is
    # measured here and refused below, instead of failing the encoding
    if len(name.encode("utf-8", "surrogatepass")) > MAX_NAME_LENGTH:
        return f"longer than {MAX_NAME_LENGTH} bytes"
    if "/" in name or "\\" in name:
        return "contains a path separator"
    # printable ASCII has no control character: the look-up per character is for the rest
    if not (name.isascii() and name.isprintable()) and any(
            unicodedata.category(ch) in {"Cc", "Cs"} for ch in name):
        return "contains a control character"
    if name.strip() != name:
        return "leading or trailing white space"
    return None


def check_name(name: str, **where: object) -> str:
    """Return `name` when safe; raise `UnsafeNameError` naming it otherwise."""
    reason = unsafe_reason(name)
    if reason:
        raise UnsafeNameError(f"refused remote name {name!r}: {reason}", name=name,
                              hint="ask the partner to use plain file names", **where)  # type: ignore[arg-type]
    return name


def is_temporary(name: str) -> bool:
    """A name a sender is still writing under (never picked up)."""
    lowered = name.lower()
    return name.startswith(".") or lowered.endswith(TEMPORARY_SUFFIXES) or name.startswith("~")


def inside(folder: Path, name: str) -> Path:
    """The local path for `name` in `folder`, proven to stay inside it."""
    check_name(name)
    root = folder.resolve()
    target = (root / name).resolve()
    if target.parent != root:
        raise UnsafeNameError(f"refused name {name!r}: resolves outside {root}", name=name)
    return target
