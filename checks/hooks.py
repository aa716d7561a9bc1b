"""Schemathesis hooks for city-region-api (loaded by checks/run).

JSON Schema cannot say everything the API's rules say. The spec states the
rest in words, and these hooks teach schemathesis the same rules, so that
the cases it generates as *valid* are valid. Each repair below applies only
to positive cases (negative ones are left as generated) and only where a
rule depends on another field or on the database:

- a write's `If-Match` must carry an ETag the server issued (else 412), so
  positive cases send `*`;
- a `cursor` is opaque and made by the server (a forged one is a 400), so
  positive cases page from the start;
- a list's `from` is not after its `to`;
- `partner` and `thematic_area` filters name existing records;
- an event's `ends_on` is never before its `starts_on`;
- a partner's `latitude` and `longitude` come both or neither;
- related ids (`host_partner_id`, `partner_ids`, `thematic_area_ids`) must
  name existing records, so positive cases take ids the API lists now;
- a bulk create's records are repaired one by one; in the stateful phase a
  chain starts from a one-record create, since the spec's links read the
  new record's `id` from a one-record answer.

NDJSON request bodies (a bulk create) are written one object a line.

Nothing here changes what a check accepts. One check is added: every line
of an NDJSON response must match the spec's schema for it (schemathesis
validates JSON bodies only).
"""

from __future__ import annotations

import atexit
import json
from datetime import datetime
import os
import sys

import jsonschema
import referencing
import requests
import schemathesis
from schemathesis.generation.meta import TestPhase

BASE_URL = os.environ["CHECKS_BASE_URL"]
API_KEY = os.environ["CHECKS_API_KEY"]
_session = requests.Session()
_session.headers["Authorization"] = f"Bearer {API_KEY}"


def _positive(case) -> bool:
    meta = getattr(case, "meta", None)
    return meta is not None and meta.generation.mode.is_positive


def _listed(collection: str) -> list[dict]:
    """The records the API lists right now (first 100 by id)."""
    reply = _session.get(f"{BASE_URL}/api/v1/{collection}", params={"limit": 100, "sort": "id"})
    reply.raise_for_status()
    return reply.json()["data"]


def _existing_ids(collection: str) -> list[int]:
    ids = [row["id"] for row in _listed(collection)]
    if not ids and collection == "thematic-areas":
        # A recommendation needs one; the run may have deleted them all.
        made = _session.post(
            f"{BASE_URL}/api/v1/thematic-areas",
            json={"name": "Made by the schemathesis hooks", "slug": "checks-hooks-area"},
        )
        if made.status_code == 201:
            ids = [made.json()["id"]]
    return ids


def _whole(value) -> bool:
    """A JSON whole number (`3` or `3.0`)."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _existing(value, ids: list[int]):
    """`value` (an id or a list of ids) mapped onto `ids`."""
    if not ids:
        return value
    if _whole(value):
        return ids[int(value) % len(ids)]
    if isinstance(value, list) and all(_whole(v) for v in value):
        return [ids[int(v) % len(ids)] for v in value]
    return value


def _repair_event_dates(body: dict, is_patch: bool) -> None:
    starts, ends = body.get("starts_on"), body.get("ends_on")
    if is_patch:
        # The stored dates are unknown: send the pair whole.
        if isinstance(starts, str) and "ends_on" not in body:
            body["ends_on"] = None
        elif isinstance(ends, str) and not isinstance(starts, str):
            body["starts_on"] = ends
        starts, ends = body.get("starts_on"), body.get("ends_on")
    if isinstance(starts, str) and isinstance(ends, str) and ends < starts:
        body["starts_on"], body["ends_on"] = ends, starts


def _repair_coordinates(body: dict, is_patch: bool) -> None:
    present = [k for k in ("latitude", "longitude") if k in body]
    if not present:
        return
    if is_patch and len(present) == 1:
        other = "longitude" if present[0] == "latitude" else "latitude"
        body[other] = None if body[present[0]] is None else 0.0
    lat, lon = body.get("latitude"), body.get("longitude")
    if (lat is None) != (lon is None):
        if lat is None:
            body["latitude"] = 0.0
        else:
            body["longitude"] = 0.0


def _repair_query(query: dict) -> None:
    query.pop("cursor", None)
    for name, collection in (("partner", "partners"), ("thematic_area", "thematic-areas")):
        if name in query:
            keys = [row["slug"] for row in _listed(collection)]
            items = query[name] if isinstance(query[name], list) else str(query[name]).split(",")
            if keys:
                # One comma-separated value, as the spec's form style says.
                query[name] = ",".join(keys[len(str(item)) % len(keys)] for item in items)
    # `from` after `to` is a 400 (an empty range is a mistake, not a filter).
    start, end = query.get("from"), query.get("to")
    if isinstance(start, str) and isinstance(end, str) and _later(start, end):
        query["from"], query["to"] = end, start


def _later(a: str, b: str) -> bool:
    try:
        return datetime.fromisoformat(a) > datetime.fromisoformat(b)
    except ValueError:
        return a > b


def _repair(case) -> None:
    if case.headers and "If-Match" in case.headers:
        case.headers["If-Match"] = "*"
    if case.query:
        _repair_query(case.query)
    if case.method.upper() not in ("POST", "PUT", "PATCH"):
        return
    if isinstance(case.body, list):
        if case.meta.phase.name == TestPhase.STATEFUL and case.body:
            # The spec's links from a create take `id` from a one-record
            # answer (a bulk create answers an array): chains start with one.
            case.body = case.body[0]
        else:
            for record in case.body:
                if isinstance(record, dict):
                    _repair_body(case, record)
            return
    if isinstance(case.body, dict):
        _repair_body(case, case.body)


def _repair_body(case, body: dict) -> None:
    path = case.operation.path
    is_patch = case.method.upper() == "PATCH"
    if path.startswith("/api/v1/events"):
        _repair_event_dates(body, is_patch)
    if path.startswith("/api/v1/partners"):
        _repair_coordinates(body, is_patch)
    if any(k in body for k in ("host_partner_id", "partner_ids")):
        partners = _existing_ids("partners")
        for key in ("host_partner_id", "partner_ids"):
            if key in body:
                body[key] = _existing(body[key], partners)
    if "thematic_area_ids" in body:
        body["thematic_area_ids"] = _existing(body["thematic_area_ids"], _existing_ids("thematic-areas"))


@schemathesis.hook
def before_call(context, case, kwargs):
    # Runs just before every request of every phase (examples, coverage,
    # fuzzing and the stateful chains alike).
    if _positive(case):
        _repair(case)


# NDJSON request bodies (a bulk create): the spec's schema is one line's.
@schemathesis.serializer("application/x-ndjson")
def _ndjson_body(ctx, value):
    return (json.dumps(value) + "\n").encode("utf-8")


# NDJSON: each line against the spec's schema for the media type.

_spec = _session.get(f"{BASE_URL}/api-docs/openapi.json").json()
_registry = referencing.Registry().with_resource(
    "urn:spec", referencing.Resource.from_contents(_spec, default_specification=referencing.jsonschema.DRAFT202012)
)


def _ndjson_schema(case, status: int):
    responses = _spec["paths"][case.operation.path][case.method.lower()]["responses"]
    response = responses.get(str(status))
    if not response:
        return None
    media = response.get("content", {}).get("application/x-ndjson")
    return media and media.get("schema")


_checked_ndjson: list[str] = []


@schemathesis.check
def ndjson_lines_match_schema(ctx, response, case):
    content_type = response.headers.get("content-type") or response.headers.get("Content-Type") or ""
    if isinstance(content_type, list):
        content_type = content_type[0] if content_type else ""
    if not content_type.startswith("application/x-ndjson"):
        return None
    _checked_ndjson.append(case.operation.path)
    schema = _ndjson_schema(case, response.status_code)
    if schema is None:
        raise AssertionError(f"NDJSON answer with status {response.status_code} is not in the spec")
    schema = {"$ref": "urn:spec#/" + schema["$ref"].lstrip("#/")} if "$ref" in schema else schema
    validator = jsonschema.Draft202012Validator(schema, registry=_registry)
    # Lines end at "\n" only: str.splitlines() would also split inside a
    # JSON string at U+2028, U+0085 and the like, which JSON leaves raw.
    lines = [line for line in response.text.split("\n") if line]
    for number, line in enumerate(lines, start=1):
        errors = list(validator.iter_errors(json.loads(line)))
        if errors:
            raise AssertionError(f"NDJSON line {number} does not match the spec: {errors[0].message}")
    return True


print("checks/hooks.py loaded: positive-case repairs and the NDJSON line check", file=sys.stderr)


@atexit.register
def _report() -> None:
    print(f"checks/hooks.py: {len(_checked_ndjson)} NDJSON answers checked line by line", file=sys.stderr)
