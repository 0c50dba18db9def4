"""Arrange a case, then run a protocol client on it: `arranged.py CASE CMD...` (stdlib only).

For `npq-conformance watch` tests of the reference clients, which follow the kit's protocol:
the case is arranged through the control plane (unjournaled, as the kit arranges scenarios),
its instructions are written to a file, and CMD runs with `NPQ_INSTRUCTIONS` and `NPQ_RESULTS`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from mistaken import accepted_participant, call, declaration

Json = dict[str, Any]


def syncs() -> list[Json]:
    return [{"id": "1", "action": "sync"}, {"id": "2", "action": "sync"}]


def lost() -> list[Json]:
    participant, partner = accepted_participant()
    fault = {"method": "POST", "path": "/api/v3/participant-declarations", "lost_response": True}
    call("POST", "/sandbox/faults", fault)
    return [{"id": "1", "action": "submit_declaration", **declaration(participant, partner)}]


def throttled() -> list[Json]:
    fault = {"method": "GET", "path": "/api/v3/npq-applications", "status": 429, "retry_after": 2}
    call("POST", "/sandbox/faults", fault)
    return [{"id": "1", "action": "sync", "resources": ["applications"]}]


def deferred() -> list[Json]:
    participant, partner = accepted_participant()
    call("POST", "/participant-declarations", declaration(participant, partner), kit=True)
    course = {"participant_id": participant, "course_identifier": "npq-headship"}
    later = declaration(participant, partner, "retained-1", "02")
    return [
        {"id": "1", "action": "defer_participant", **course, "reason": "other"},
        {"id": "2", "action": "submit_declaration", **later},
    ]


CASES = {"syncs": syncs, "lost": lost, "throttled": throttled, "deferred": deferred}

if __name__ == "__main__":
    steps = CASES[sys.argv[1]]()
    with tempfile.TemporaryDirectory() as folder:
        given = Path(folder) / "instructions.json"
        given.write_text(json.dumps({"scenario": sys.argv[1], "instructions": steps}))
        files = {"NPQ_INSTRUCTIONS": str(given), "NPQ_RESULTS": str(Path(folder) / "results.json")}
        sys.exit(subprocess.call(sys.argv[2:], env={**os.environ, **files, "NPQ_FRESH": "1"}))
