"""The demo's policy: the 2020 rules of the source document."""

from __future__ import annotations

from fangkong.policy.services import policy_seed_2020


def load_demo() -> str:
    policy = policy_seed_2020()
    return f"demo policy: “{policy.label}”"
