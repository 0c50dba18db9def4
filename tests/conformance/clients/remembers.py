"""A throwaway client with a database: its view and sync marks live in a state file between runs.

`python remembers.py STATE [--ignore-fresh]` syncs and voids declarations (stdlib only). On
`NPQ_FRESH=1` it forgets its state file, as the protocol asks; with `--ignore-fresh` it does
not, so a second pass of a scenario starts from the records of the first.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

BASE, TOKEN = os.environ["NPQ_API_BASE_URL"], os.environ["NPQ_API_TOKEN"]
LISTS = {"declarations": "/participant-declarations"}
MARGIN = timedelta(seconds=60)


def call(method: str, path: str) -> Any:
    request = urllib.request.Request(BASE + path, method=method)
    request.add_header("Authorization", f"Bearer {TOKEN}")
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def sync(state: dict[str, Any], resource: str) -> None:
    """Every page of a list, or only what changed since the last sync this state saw."""
    query, since = "", state["since"].get(resource)
    if since:
        query = "&filter[updated_since]=" + since
    page, newest = 1, []
    while records := call("GET", f"{LISTS[resource]}?page[page]={page}{query}")["data"]:
        for record in records:
            state["view"].setdefault(resource, {})[record["id"]] = record["attributes"]["state"]
            newest.append(datetime.fromisoformat(record["attributes"]["updated_at"]))
        page += 1
    if newest:
        state["since"][resource] = (max(newest) - MARGIN).strftime("%Y-%m-%dT%H:%M:%SZ")


def void(state: dict[str, Any], declaration_id: str) -> dict[str, str]:
    answer = call("PUT", f"/participant-declarations/{declaration_id}/void")["data"]
    state["view"].setdefault("declarations", {})[answer["id"]] = answer["attributes"]["state"]
    return {"id": answer["id"], "state": answer["attributes"]["state"]}


def main(stored: Path, ignore_fresh: bool) -> None:
    print(f"run {os.environ['NPQ_RUN']}, fresh: {os.environ.get('NPQ_FRESH', 'unset')}")
    if os.environ.get("NPQ_FRESH") == "1" and not ignore_fresh:
        stored.unlink(missing_ok=True)  # the world was reset: what we stored is gone
    state = json.loads(stored.read_text()) if stored.exists() else {"since": {}, "view": {}}
    with open(os.environ["NPQ_INSTRUCTIONS"]) as file:
        instructions = json.load(file)["instructions"]
    reported: list[dict[str, Any]] = []
    for step in instructions:
        result: dict[str, Any] = {"id": step["id"], "outcome": "done"}
        if step["action"] == "sync":
            for resource in step.get("resources") or ["declarations"]:
                sync(state, resource)
        else:
            result["record"] = void(state, step["declaration_id"])
        reported.append(result)
    stored.write_text(json.dumps(state))
    with open(os.environ["NPQ_RESULTS"], "w") as file:
        json.dump({"results": reported, "view": state["view"]}, file)


if __name__ == "__main__":
    main(Path(sys.argv[1]), "--ignore-fresh" in sys.argv[2:])
