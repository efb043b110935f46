"""Installing the demo partners into a home (called by the core's ``ordergate init``)."""

from __future__ import annotations

import shutil
from pathlib import Path

from gateway.partners.loader import PARTNERS_DIR, load_profile_file
from gateway.partners.profile import TransportType

REPO_PARTNERS = Path(__file__).resolve().parents[2] / "partners"
DEMO_PARTNERS = ("demo-retailer", "demo-vendor")


def install_demo_partners(home: Path | str, *, overwrite: bool = False) -> list[Path]:
    """Copy the demo profiles into HOME/partners and create their local mailboxes.

    Existing profiles are kept unless ``overwrite`` (an admin may have edited them). Returns the
    profile files now in place. Mailboxes: HOME/mailboxes/<partner>/inbound and /outbound.
    """
    home = Path(home)
    target_dir = home / PARTNERS_DIR
    target_dir.mkdir(parents=True, exist_ok=True)
    (home / "mappings").mkdir(exist_ok=True)
    installed = []
    for partner_id in DEMO_PARTNERS:
        source = REPO_PARTNERS / f"{partner_id}.yaml"
        target = target_dir / source.name
        if overwrite or not target.exists():
            shutil.copyfile(source, target)
        profile = load_profile_file(target)
        if profile.transport.type == TransportType.LOCAL:
            for folder in (profile.transport.inbound_dir, profile.transport.outbound_dir,
                           profile.transport.processed_dir):
                if folder:
                    (home / folder).mkdir(parents=True, exist_ok=True)
        installed.append(target)
    return installed
