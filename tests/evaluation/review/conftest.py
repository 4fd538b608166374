import pytest

from tests.evaluation.helpers import call, item, write
from tests.factories import open_evaluation_windows


def submit(account, code: str, text: str = "参加社区垃圾分类宣传", **fields) -> int:
    record = write(account, text, item_id=item(code).pk, **fields)
    response = call("post", "/submissions", account, {"record_ids": [record["id"]]})
    assert response.status_code == 200, response.content
    return record["id"]


@pytest.fixture
def pending(world, catalogue):
    """Submitted records: A1's student (volunteer service) and parent (reading), A2's student (reading),
    B1's student (reading)."""
    open_evaluation_windows(world)
    return {"a1": submit(world.student_a, "volunteer_service"), "a1_parent": submit(world.parent_a, "reading"),
            "a2": submit(world.student_a2, "reading"), "b1": submit(world.student_b, "reading")}
