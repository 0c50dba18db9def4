"""The hostile-input battery's cases: each a name, the raw request, and the status class.

A request may name Ambition Institute's seeded records by a placeholder as long as a UUID
(`slot(name)`), which the battery fills in from the server's own lists without changing the
request's length.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from tests.sandbox.hostile.wire import head, request

DEEP = 50_000


def slot(name: str) -> str:
    """A placeholder for a seeded record's id, exactly as long as a UUID."""
    return "{" + name.ljust(34, "-") + "}"


APPLICATION, PARTICIPANT, DECLARATION = (
    slot("application"),
    slot("participant"),
    slot("declaration"),
)
HUGE = "9" * 5_000
OVERFLOW = "9999-12-31T23:59:59-23:59"
UNDERFLOW = "0001-01-01T00:00:00+23:59"
LISTS = (
    "/api/v3/npq-applications",
    "/api/v3/participants/npq",
    "/api/v3/participants/npq/outcomes",
    "/api/v3/participant-declarations",
    "/api/v3/statements",
    "/api/v3/delivery-partners",
    "/sandbox/journal",
)
SINCE = {
    "/api/v3/npq-applications": "updated_since",
    "/api/v3/participants/npq": "updated_since",
    "/api/v3/participants/npq/outcomes": "created_since",
    "/api/v3/participant-declarations": "updated_since",
    "/api/v3/statements": "updated_since",
    "/sandbox/journal": "since",
}
# Routes that read a JSON body, with the attribute each reads first.
WRITES = (
    ("POST", "/api/v3/participant-declarations", "participant_id"),
    ("POST", f"/api/v3/npq-applications/{APPLICATION}/accept", "schedule_identifier"),
    ("PUT", f"/api/v3/npq-applications/{APPLICATION}/change-funded-place", "funded_place"),
    ("PUT", f"/api/v3/participants/npq/{PARTICIPANT}/withdraw", "reason"),
    ("PUT", f"/api/v3/participants/npq/{PARTICIPANT}/defer", "reason"),
    ("PUT", f"/api/v3/participants/npq/{PARTICIPANT}/change-schedule", "schedule_identifier"),
    ("POST", f"/api/v3/participants/npq/{PARTICIPANT}/outcomes", "course_identifier"),
    ("PUT", f"/api/v3/participant-declarations/{DECLARATION}/change-delivery-partner", "x"),
    ("POST", "/sandbox/npq-applications", "full_name"),
    ("PUT", f"/sandbox/participant-declarations/{DECLARATION}/state", "state"),
    ("PUT", "/sandbox/clock", "now"),
    ("POST", "/sandbox/clock/advance", "seconds"),
    ("POST", "/sandbox/faults", "path"),
)


@dataclass(frozen=True)
class Case:
    """One hostile request; `ok` marks the few whose right answer is a JSON 200."""

    name: str
    raw: bytes
    ok: bool = False


def _attributes(**given: object) -> bytes:
    return json.dumps({"data": {"attributes": given}}).encode()


def _surrogate(name: str) -> bytes:
    # json.dumps writes the lone surrogate as the escape `\ud800`, which parses back into one.
    return _attributes(**{name: "\ud800"})


def _deep() -> bytes:
    return b'{"data": {"attributes": {"x": ' + b"[" * DEEP + b"]" * DEEP + b"}}}"


def _bodies() -> list[Case]:
    cases = []
    for method, path, name in WRITES:
        cases.append(Case(f"deep JSON {method} {path}", request(method, path, body=_deep())))
        cases.append(Case(f"lone surrogate {path}", request(method, path, body=_surrogate(name))))
    return cases


def _numbers() -> list[Case]:
    cases = [
        Case(f"huge page {p}", request("GET", f"{p}?page[page]={HUGE}"), ok=True) for p in LISTS
    ]
    cases += [
        Case("huge negative page", request("GET", f"{LISTS[0]}?page[page]=-{HUGE}")),
        Case(
            "page[page] of 30 digits", request("GET", f"{LISTS[1]}?page[page]={'9' * 30}"), ok=True
        ),
        Case("huge per_page", request("GET", f"{LISTS[3]}?page[per_page]={HUGE}"), ok=True),
        Case("unicode digit per_page", request("GET", f"{LISTS[4]}?page[per_page]=%C2%B2")),
        Case("huge cohort", request("GET", f"{LISTS[0]}?filter[cohort]={HUGE}"), ok=True),
        Case("30-digit cohort", request("GET", f"{LISTS[4]}?filter[cohort]={'9' * 30}"), ok=True),
        Case("unicode-digit cohort", request("GET", f"{LISTS[3]}?filter[cohort]=%C2%B2"), ok=True),
        Case("huge single cohort", request("GET", f"{LISTS[5]}?filter[cohort]={HUGE}"), ok=True),
    ]
    advance = "/sandbox/clock/advance"
    for name, value in (("seconds", HUGE[:400]), ("days", HUGE[:400]), ("days", "1e308")):
        raw = request(
            "POST", advance, body=f'{{"data":{{"attributes":{{"{name}":{value}}}}}}}'.encode()
        )
        cases.append(Case(f"clock advance {name}={value[:10]}", raw))
    cases.append(
        Case(
            "body number of 5000 digits", request("POST", advance, body=_raw_attr("seconds", HUGE))
        )
    )
    cases.append(
        Case(
            "fault times of 400 digits",
            request("POST", "/sandbox/faults", body=_raw_attr("times", HUGE[:400])),
        )
    )
    return cases


def _raw_attr(name: str, literal: str) -> bytes:
    return f'{{"data":{{"attributes":{{"{name}":{literal}}}}}}}'.encode()


def _times() -> list[Case]:
    cases = []
    for path, name in SINCE.items():
        cases.append(
            Case(f"overflowing {name} {path}", request("GET", f"{path}?filter[{name}]={OVERFLOW}"))
        )
    cases.append(
        Case("underflowing since", request("GET", f"{LISTS[0]}?filter[updated_since]={UNDERFLOW}"))
    )
    cases.append(
        Case(
            "underflowing journal since",
            request("GET", f"/sandbox/journal?filter[since]={UNDERFLOW}"),
        )
    )
    for value in (
        OVERFLOW,
        UNDERFLOW,
        "1999-12-31T23:59:59Z",
        "2100-01-01T00:00:00Z",
        "0001-01-01T00:00:00Z",
    ):
        header = {"X-With-Server-Date": value}
        cases.append(
            Case(f"server date {value} on a list", request("GET", LISTS[0], headers=header))
        )
        body = _attributes(participant_id=PARTICIPANT)
        raw = request("POST", "/api/v3/participant-declarations", body=body, headers=header)
        cases.append(Case(f"server date {value} on a write", raw))
    cases.append(
        Case(
            "server date on the clock",
            request("GET", "/sandbox/clock", headers={"X-With-Server-Date": OVERFLOW}),
        )
    )
    return cases


def _lengths() -> list[Case]:
    body = _attributes(participant_id="x")
    post = "/api/v3/participant-declarations"
    return [
        Case(
            "negative Content-Length",
            request("POST", post, body=body, headers={"Content-Length": "-1"}),
        ),
        Case(
            "negative Content-Length on the clock",
            request("PUT", "/sandbox/clock", body=body, headers={"Content-Length": "-5"}),
        ),
        Case(
            "negative Content-Length on a DELETE",
            head(
                "DELETE",
                "/sandbox/faults",
                {"Authorization": "Bearer ambition-token", "Content-Length": "-1"},
            ),
        ),
        Case(
            "Content-Length not a number",
            request("POST", post, body=body, headers={"Content-Length": "abc"}),
        ),
        Case(
            "Content-Length of 30 digits",
            request("POST", post, body=body, headers={"Content-Length": "9" * 30}),
        ),
        Case(
            "Content-Length past the body",
            request("POST", post, body=body, headers={"Content-Length": "5000"}),
        ),
        Case("body over 1 MiB", request("POST", post, body=b" " * (1024 * 1024 + 1))),
        Case(
            "bad chunk size",
            head(
                "POST",
                post,
                {
                    "Authorization": "Bearer ambition-token",
                    "Content-Type": "application/json",
                    "Transfer-Encoding": "chunked",
                },
            )
            + b"zz\r\n{}\r\n0\r\n\r\n",
        ),
        Case(
            "unknown transfer coding",
            head(
                "POST",
                post,
                {"Authorization": "Bearer ambition-token", "Transfer-Encoding": "gzip"},
            )
            + b"{}",
        ),
    ]


def _heads() -> list[Case]:
    auth = {"Authorization": "Bearer ambition-token"}
    many = {f"X-Filler-{i}": "x" for i in range(150)}
    return [
        Case(
            "request line of 70,000 characters", head("GET", f"{LISTS[0]}?x={'a' * 70_000}", auth)
        ),
        Case("header of 70,000 characters", head("GET", LISTS[0], {**auth, "X-Big": "a" * 70_000})),
        Case("150 headers", head("GET", LISTS[0], {**auth, **many})),
        Case("garbage request line", b"GARBAGE\r\n\r\n"),
        Case("bad HTTP version", b"GET /api/v3/statements HTTP/1.a\r\nHost: x\r\n\r\n"),
        Case("HTTP/3.0", b"GET /api/v3/statements HTTP/3.0\r\nHost: x\r\n\r\n"),
        Case("UTF-8 token", head("GET", LISTS[0], {"Authorization": "Bearer ámbition"})),
        Case(
            "server date of bytes",
            head("GET", LISTS[0], {**auth, "X-With-Server-Date": "\xff\xfe"}),
        ),
        Case(
            "authorization of 7,000 characters",
            head("GET", LISTS[0], {"Authorization": "Bearer " + "a" * 7_000}),
        ),
    ]


def _shapes() -> list[Case]:
    post = "/api/v3/participant-declarations"
    latin = '{"data":{"attributes":{"participant_id":"é"}}}'.encode("latin-1")
    utf16 = '{"data":{"attributes":{"participant_id":"x"}}}'.encode("utf-16")
    return [
        Case("truncated JSON", request("POST", post, body=b'{"data": ')),
        Case("array body", request("POST", post, body=b"[1, 2]")),
        Case("null body", request("PUT", "/sandbox/clock", body=b"null")),
        Case(
            "NaN seconds",
            request("POST", "/sandbox/clock/advance", body=_raw_attr("seconds", "NaN")),
        ),
        Case(
            "Infinity participant", request("POST", post, body=_raw_attr("participant_id", "1e999"))
        ),
        Case("attributes a list", request("POST", post, body=b'{"data": {"attributes": [1]}}')),
        Case("Latin-1 body", request("POST", post, body=latin)),
        Case(
            "UTF-16 body",
            request(
                "POST",
                post,
                body=utf16,
                headers={"Content-Type": "application/json; charset=utf-16"},
            ),
        ),
        Case("NUL in body", request("POST", post, body=b'{"data":\x00}')),
        Case("filter not an object", request("GET", f"{LISTS[0]}?filter=x")),
        Case("filter id not a UUID", request("GET", f"{LISTS[3]}?filter[participant_id]=%FF")),
        Case("page not a number", request("GET", f"{LISTS[0]}?page[page][x]=1")),
        Case("since of percent bytes", request("GET", f"{LISTS[0]}?filter[updated_since]=%FF%00")),
        Case("since of NUL", request("GET", "/sandbox/journal?filter[since]=%00")),
        Case("unknown id of 5000 characters", request("GET", f"{LISTS[0]}/{'a' * 5_000}")),
        Case(
            "surrogate in a key",
            request("POST", post, body=b'{"data":{"attributes":{"\\ud800":1}}}'),
        ),
        Case(
            "fault probability infinite",
            request("POST", "/sandbox/faults", body=_raw_attr("probability", "1e999")),
        ),
    ]


def all_cases() -> list[Case]:
    """Every case of the battery."""
    return [*_bodies(), *_numbers(), *_times(), *_lengths(), *_heads(), *_shapes()]
