"""A client that keeps its state between runs and syncs from a cursor of its own choosing.

Real integrations keep what they synced in a database: this one keeps the careful client's view
and cursors in `--state DIR`, one file per scenario, and forgets them when `NPQ_FRESH=1`. Its
next `filter[updated_since]` is its own clock at the start of a sync less `--margin` seconds
(`--cursor own-clock`, what many integrations do against DfE's live service), or the newest
`updated_at` it was shown (`--cursor server`). A negative margin is a clock running fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parents[3] / "examples" / "clients"))
import careful

KEPT = ("applications", "enrolments", "course_of", "declarations")


class OwnCursorClient(careful.Client):
    """The careful client, but with a cursor of its own and a state kept on disk."""

    def __init__(self, api: careful.Api, cursor: str, margin: timedelta) -> None:
        super().__init__(api)
        self.cursor, self.margin = cursor, margin

    def sync(self, resources: list[str] | None = None) -> None:
        """Read what changed since the cursor (everything the first time); move the cursor."""
        for resource in resources or list(careful.LISTS):
            started = datetime.now(UTC)
            since = self.synced_up_to.get(resource)
            filters = {"filter[updated_since]": careful.utc_z(since)} if since else {}
            records = self.api.list_all(careful.LISTS[resource], **filters)
            for record in records:
                self.remember(resource, record)
            shown = [datetime.fromisoformat(r["attributes"]["updated_at"]) for r in records]
            if self.cursor == "own-clock":
                self.synced_up_to[resource] = started - self.margin
            elif shown or since:
                self.synced_up_to[resource] = max([*shown, *([since] if since else [])])

    def load(self, path: Path) -> None:
        """Take back the view and cursors a run before kept."""
        kept = json.loads(path.read_text())
        for name in KEPT:
            setattr(self, name, kept[name])
        self.synced_up_to = {k: datetime.fromisoformat(v) for k, v in kept["cursors"].items()}

    def save(self, path: Path) -> None:
        """Keep the view and cursors for the next run."""
        kept: dict[str, Any] = {name: getattr(self, name) for name in KEPT}
        kept["cursors"] = {k: v.isoformat() for k, v in self.synced_up_to.items()}
        path.write_text(json.dumps(kept))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--state", type=Path, required=True)
    parser.add_argument("--cursor", choices=("own-clock", "server"), default="own-clock")
    parser.add_argument("--margin", type=float, default=60.0)
    args = parser.parse_args()
    state = args.state / f"{os.environ['NPQ_SCENARIO']}.json"
    api = careful.Api(os.environ["NPQ_API_BASE_URL"], os.environ["NPQ_API_TOKEN"])
    client = OwnCursorClient(api, args.cursor, timedelta(seconds=args.margin))
    if os.environ.get("NPQ_FRESH") != "1" and state.exists():
        client.load(state)
    with open(os.environ["NPQ_INSTRUCTIONS"]) as file:
        results = [client.perform(i) for i in json.load(file)["instructions"]]
    client.save(state)
    with open(os.environ["NPQ_RESULTS"], "w") as file:
        json.dump({"results": results, "view": client.view()}, file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
