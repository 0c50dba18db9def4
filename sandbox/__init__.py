"""npq-sandbox: a local, faithful copy of DfE's NPQ Lead Provider API v3.

The public face, for users and for the conformance kit: build an app (`create_app`) from
`Settings` (a `Database`, or a path; the answer cache, the journal, a rate `Limit`), seed it
(`seed_database`), and name lead providers (`LEAD_PROVIDERS`, `find_provider`) and the
administrator (`ADMIN_TOKEN`, unless `Settings.admin_token` sets another); DfE's texts are
`messages`.
"""

from __future__ import annotations

from npq_sandbox.app import create_app
from npq_sandbox.domain import messages
from npq_sandbox.domain.reference import LEAD_PROVIDERS, LeadProvider, find_provider
from npq_sandbox.seeding import SeedSummary, seed_database
from npq_sandbox.settings import ADMIN_TOKEN, Limit, Settings
from npq_sandbox.store.db import MEMORY, Database

__all__ = [
    "ADMIN_TOKEN",
    "LEAD_PROVIDERS",
    "MEMORY",
    "Database",
    "LeadProvider",
    "Limit",
    "SeedSummary",
    "Settings",
    "create_app",
    "find_provider",
    "messages",
    "seed_database",
]
