"""An approved record with a file, for the archive and transfer tests."""

from __future__ import annotations

from tests.evaluation.helpers import call, item, upload, write


def approved_record(student, admin, text="参加社区垃圾分类宣传", code="volunteer_service", **fields) -> dict:
    """A record the student writes with a photo, classifies and submits, and the school admin passes."""
    photo = upload(student, name="宣传照片.png")
    record = write(student, text, item_id=item(code).pk, file_ids=[photo["id"]], **fields)
    response = call("post", "/submissions", student, {"record_ids": [record["id"]]})
    assert response.status_code == 200, response.content
    response = call("post", f"/records/{record['id']}/decision", admin, {"approve": True})
    assert response.status_code == 200, response.content
    return response.json()
