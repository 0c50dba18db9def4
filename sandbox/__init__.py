"""npq-sandbox: a local, faithful copy of DfE's NPQ Lead Provider API v3."""

from __future__ import annotations

from sandbox.app import create_app

__all__ = ["create_app"]
