"""NFR-2 for usage statistics (issue 15, items 4 and 5): the figures and people of school B and district Y
stay out of reach of every role of school A and district X, whatever id is put in a URL, through the API,
the pages and the export; every refusal has the one error shape, and no response carries a full ID
number (the foundation matrix's reader). A city or province admin above both reaches both."""

from __future__ import annotations

import pytest

from tests.accounts.test_scope_matrix import ROLES_ABOVE_BOTH, ROLES_OF_A, Reader
from tests.factories import as_user
from tests.platform.test_scope_matrix_messaging import assert_refused
from tests.stats.helpers import catch_up, log_in


@pytest.fixture
def reader(client, world):
    return Reader(client, world)


@pytest.fixture
def counted(world):
    log_in(world.student_b)
    log_in(world.parent_b)
    catch_up()
    return world


READS = {
    "district Y": "/api/v1/stats/regions/{district_y}",
    "school B": "/api/v1/stats/schools/{school_b}",
    "class B1's people": "/api/v1/stats/classes/{class_b1}/people",
    "school B export": "/api/v1/stats/schools/{school_b}/export",
    "class B1 export": "/api/v1/stats/classes/{class_b1}/export",
}
PAGES = ["/stats/regions/{district_y}/", "/stats/schools/{school_b}/", "/stats/classes/{class_b1}/",
         "/stats/classes/{class_b1}/?export=xlsx"]


def _ids(world) -> dict[str, int]:
    return {"district_y": world.district_y.pk, "school_b": world.school_b.pk, "class_b1": world.class_b1.pk}


@pytest.mark.parametrize("what", READS)
@pytest.mark.parametrize("role", ROLES_OF_A)
def test_role_of_a_cannot_read_b_statistics(reader, counted, role, what):
    response = reader.api(role, READS[what].format(**_ids(counted)))
    # Students, parents and teachers see no statistics at all (403); admins of A are told "not found".
    assert_refused(response, (403, 404))
    if role in ("school_admin_a", "district_admin_x"):
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_role_of_a_cannot_open_b_statistics_pages(client, counted, role):
    as_user(client, getattr(counted, role))
    for page in PAGES:
        assert client.get(page.format(**_ids(counted))).status_code in (403, 404)


@pytest.mark.parametrize("role", ROLES_ABOVE_BOTH)
def test_admins_above_both_reach_b(reader, counted, role):
    body = reader.api(role, READS["class B1's people"].format(**_ids(counted))).json()
    assert {p["account_id"] for p in body["people"]} == {counted.student_b.pk, counted.parent_b.pk}
