"""Uses a client generated from openapi/openapi.json by openapi-python-client
(checks/run generates it as the package `city_region_client`): lists
partners, creates and deletes a thematic area with a key, and gets a typed
422 for a bad one. Exits non-zero, saying why, when anything differs."""

from __future__ import annotations

import os
import sys

from city_region_client import AuthenticatedClient
from city_region_client.api.partners import list_partners
from city_region_client.api.thematic_areas import (
    create_thematic_area,
    delete_thematic_area,
    get_thematic_area,
)
from city_region_client.models import PagePartnerView, Problem, ThematicArea, ThematicAreaInput


def expect(condition: bool, what: str) -> None:
    if not condition:
        sys.exit(f"client check failed: {what}")


def main() -> None:
    client = AuthenticatedClient(base_url=os.environ["CHECKS_BASE_URL"], token=os.environ["CHECKS_API_KEY"])

    page = list_partners.sync_detailed(client=client, limit=100)
    expect(page.status_code == 200, f"list partners: {page.status_code}")
    expect(isinstance(page.parsed, PagePartnerView), f"list partners parsed as {type(page.parsed)}")
    slugs = [partner.slug for partner in page.parsed.data]
    expect(page.parsed.meta.total >= 1 and slugs, "the partner list is empty")
    print(f"listed {len(slugs)} partners (total {page.parsed.meta.total})")

    created = create_thematic_area.sync_detailed(
        client=client, body=ThematicAreaInput(name="Housing (client check)", position=9)
    )
    expect(created.status_code == 201, f"create: {created.status_code} {created.content!r}")
    area = created.parsed
    expect(isinstance(area, ThematicArea), f"create parsed as {type(area)}")
    expect(area.name == "Housing (client check)" and area.position == 9, f"created {area}")
    print(f"created thematic area {area.id} '{area.slug}'")

    deleted = delete_thematic_area.sync_detailed(str(area.id), client=client)
    expect(deleted.status_code == 204, f"delete: {deleted.status_code} {deleted.content!r}")
    gone = get_thematic_area.sync_detailed(str(area.id), client=client)
    expect(gone.status_code == 404 and isinstance(gone.parsed, Problem), f"after delete: {gone.status_code}")
    print(f"deleted it; GET now answers {gone.status_code}")

    bad = create_thematic_area.sync_detailed(client=client, body=ThematicAreaInput(name="Housing", position=-1))
    expect(bad.status_code == 422, f"bad create: {bad.status_code}")
    problem = bad.parsed
    expect(isinstance(problem, Problem), f"422 parsed as {type(problem)}")
    fields = [error.field for error in problem.errors]
    expect(fields == ["position"], f"422 names {fields}")
    print(f"bad create: typed {type(problem).__name__} {problem.status}: {problem.errors[0].field} {problem.errors[0].message}")


if __name__ == "__main__":
    main()
