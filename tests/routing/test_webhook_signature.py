"""The Ombudsman webhook's signature covers a timestamp with the body (``t=…,v1=…``), so a
captured delivery cannot be replayed later, and the README's receiver-side verifier agrees with
``routing.webhooks.verify_signature``."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from routing.webhooks import SIGNATURE_TOLERANCE_SECONDS, signature, verify_signature

SECRET = "rahasia-bersama"
BODY = b'{"event": "escalated", "tracking_number": "LPR-2026-000001"}'
README = Path(__file__).resolve().parents[2] / "README.md"


def test_signature_header_carries_the_timestamp_and_a_v1_mac():
    header = signature(BODY, SECRET, timestamp=1_790_000_000)
    assert re.fullmatch(r"t=1790000000,v1=[0-9a-f]{64}", header)
    # The timestamp is signed: the same body at another moment has another MAC.
    assert header.split(",v1=")[1] != signature(BODY, SECRET, timestamp=1_790_000_001).split(
        ",v1="
    )[1]


def test_a_fresh_delivery_is_accepted():
    now = time.time()
    assert verify_signature(SECRET, signature(BODY, SECRET), BODY, now=now)
    assert verify_signature(SECRET, signature(BODY, SECRET, timestamp=int(now) - 299), BODY,
                            now=now)


def test_a_replayed_old_delivery_is_refused():
    sent = 1_790_000_000
    header = signature(BODY, SECRET, timestamp=sent)
    assert verify_signature(SECRET, header, BODY, now=sent + 60)
    assert not verify_signature(SECRET, header, BODY, now=sent + SIGNATURE_TOLERANCE_SECONDS + 1)
    assert not verify_signature(SECRET, header, BODY, now=sent + 86_400)
    # Nor one dated in the future beyond the tolerance.
    assert not verify_signature(SECRET, header, BODY, now=sent - SIGNATURE_TOLERANCE_SECONDS - 1)


def test_a_replay_with_a_new_timestamp_but_the_old_mac_is_refused():
    sent = 1_790_000_000
    mac = signature(BODY, SECRET, timestamp=sent).split(",v1=")[1]
    forged = f"t={sent + 3600},v1={mac}"
    assert not verify_signature(SECRET, forged, BODY, now=sent + 3600)


def test_a_tampered_body_or_another_secret_is_refused():
    now = time.time()
    header = signature(BODY, SECRET)
    assert not verify_signature(SECRET, header, BODY.replace(b"000001", b"000002"), now=now)
    assert not verify_signature("another-secret", header, BODY, now=now)


@pytest.mark.parametrize(
    "header",
    ["", "sha256=abc", "t=,v1=abc", "t=abc,v1=00", "v1=" + "0" * 64, "t=1790000000",
     "t=-1790000000,v1=" + "0" * 64],
)
def test_a_malformed_header_is_refused(header):
    assert not verify_signature(SECRET, header, BODY, now=1_790_000_000)


def test_the_readme_verifier_agrees_with_ours():
    """The function published in the README for receivers, run as it stands there."""
    text = README.read_text(encoding="utf-8")
    match = re.search(r"```python\n(# Receiver-side check of X-Lapor-Signature.*?)```", text,
                      re.S)
    assert match, "the README publishes the receiver's verifier"
    namespace: dict = {}
    exec(compile(match.group(1), "README.md", "exec"), namespace)  # noqa: S102
    verify = namespace["verify_lapor_signature"]
    sent = 1_790_000_000
    header = signature(BODY, SECRET, timestamp=sent)
    assert verify(SECRET, header, BODY, now=sent + 10)
    assert not verify(SECRET, header, BODY, now=sent + 301)
    assert not verify(SECRET, header, BODY + b" ", now=sent + 10)
    assert not verify(SECRET, "sha256=deadbeef", BODY, now=sent)
