"""The OneRoster benchmark's core (bench/bench_oneroster.py) on SQLite with a small district: the two bulk
exports (the first fills the directory, the second finds nothing changed), the baseline's rows against the
package's, and the REST service's first and deep pages with an app's client-credentials token."""

import pytest

from tests.benches import load_bench


@pytest.mark.django_db
def test_the_oneroster_benchmark_exports_twice_matches_its_baseline_and_pages_the_rest_service():
    bench = load_bench("bench_oneroster")
    bench.generate_evaluation.generate(bench.shape(0.002))
    world = bench.prepare()
    assert world.students >= 200
    actor = bench.district_admin(world)

    first = bench.export_once(actor)
    assert first.changed == first.objects > 0  # every object got its sourcedId and row
    again = bench.export_once(actor)
    assert again.changed == 0  # nothing changed: no row dated again
    assert (again.objects, again.users, again.roles, again.enrollments) == \
        (first.objects, first.users, first.roles, first.enrollments)
    assert first.peak > 0 and first.queries > 0

    copy = bench.copy_same_rows(world.district_id)
    assert copy.lines == again.users + again.roles + again.enrollments  # the same rows, one line each

    app = bench.register_rest_app(world)
    send = bench.in_process_send()
    paging = bench.rest_paging(send, bench.client_token(send, app), repeat=2, warmup=1)
    assert paging.total == again.users == bench.directory_users()
    assert paging.deep_offset == paging.total - bench.PAGE and len(paging.deep) == len(paging.first) == 2

    export = bench.export_line(world.students, first, again, copy)
    assert export.startswith(f"oneroster export {world.students} students: first ")
    assert " | COPY of the same rows (" in export
    assert bench.paging_line(paging).startswith(f"oneroster rest paging offset {paging.deep_offset}: median ")
