"""`partner check --connect` against a real OpenSSH server: login works with the pinned host key,
and a wrong pinned key is refused (never retried, never trusted on first use)."""

from __future__ import annotations

import json
import subprocess

import pytest
import yaml

from gateway.partners.samples import demo_850s

pytestmark = pytest.mark.sshd


def write_profile(home, account, **transport):
    profile = {
        "id": "acme", "name": "Acme Stores", "role": "customer",
        "x12": {"partner": {"isa_qualifier": "ZZ", "isa_id": "ACME"}},
        "documents": [{"type": "850", "direction": "in"}, {"type": "855", "direction": "out"}],
        "transport": account.profile_transport(**transport),
    }
    (home / "partners" / "acme.yaml").write_text(yaml.safe_dump(profile))


def test_connect_with_pinned_host_key(home, run, sshd_server):
    account = sshd_server.add_partner("acmecheck")
    account.drop_file("po1.edi", demo_850s(1)[0])
    write_profile(home, account)
    code, out, err = run("partner", "check", "acme", "--home", home, "--connect", "--json")
    assert code == 0, out + err
    connect = next(f for f in json.loads(out)["findings"] if f["check"] == "connect")
    assert connect["severity"] == "ok" and "sftp login works" in connect["message"]
    assert "1 file(s)" in connect["message"]


def test_connect_refuses_a_wrong_host_key(home, run, sshd_server, tmp_path):
    account = sshd_server.add_partner("acmecheck")
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / "k")],
                   check=True)
    key_type, key = (tmp_path / "k.pub").read_text().split()[:2]
    write_profile(home, account, host_key=f"[{account.host}]:{account.port} {key_type} {key}")
    code, out, err = run("partner", "check", "acme", "--home", home, "--connect", "--json")
    assert code == 1
    connect = next(f for f in json.loads(out)["findings"] if f["check"] == "connect")
    assert connect["severity"] == "error" and connect["key_path"] == "transport.host_key"
    assert "Traceback" not in out + err
