"""A throwaway client that sends nothing and reports every step done (stdlib only)."""

from __future__ import annotations

import json
import os

with open(os.environ["NPQ_INSTRUCTIONS"]) as file:
    steps = json.load(file)["instructions"]
with open(os.environ["NPQ_RESULTS"], "w") as file:
    json.dump({"results": [{"id": s["id"], "outcome": "done"} for s in steps], "view": {}}, file)
