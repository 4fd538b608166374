"""Moderation through the API (SPC-1): removal with a reason the author sees, reports, the region word list
holding posts for review, the review queue; everything audited."""

from renrentong.core.models import AuditEvent
from tests.spaces.helpers import call, feed_ids, post


def test_head_teacher_removes_a_class_post_and_the_author_sees_why(world):
    made = post(world.student_a, "不当内容")
    refused = call("post", f"/posts/{made['id']}/removal", world.teacher_a, {"reason": "x"})
    assert refused.status_code == 403  # teaches the class, does not head it
    assert call("post", f"/posts/{made['id']}/removal", world.school_admin_b, {"reason": "x"}).status_code == 404
    assert call("post", f"/posts/{made['id']}/removal", world.head_teacher_a, {"reason": " "}).status_code == 400
    removed = call("post", f"/posts/{made['id']}/removal", world.head_teacher_a, {"reason": "含不文明用语"})
    assert removed.status_code == 200 and removed.json()["status"] == "removed"
    assert made["id"] not in feed_ids(world.parent_a, feed="class")
    assert call("get", f"/posts/{made['id']}", world.parent_a).status_code == 404
    own = call("get", f"/posts/{made['id']}", world.student_a).json()
    assert own["status"] == "removed" and own["removed_reason"] == "含不文明用语"
    assert AuditEvent.objects.filter(verb="post.remove", target_id=made["id"]).exists()


def test_school_admin_removes_school_content_but_not_another_schools(world):
    made = post(world.teacher_a, "校园新闻", visibility="school")
    assert call("post", f"/posts/{made['id']}/removal", world.head_teacher_a, {"reason": "x"}).status_code == 403
    assert call("post", f"/posts/{made['id']}/removal", world.school_admin_b, {"reason": "x"}).status_code == 404
    assert call("post", f"/posts/{made['id']}/removal", world.school_admin_a, {"reason": "重复"}).status_code == 200


def test_reports_reach_the_school_admins_review_queue(world):
    made = post(world.student_a)
    assert call("post", f"/posts/{made['id']}/reports", world.student_a, {"reason": "x"}).status_code == 400
    assert call("post", f"/posts/{made['id']}/reports", world.student_b, {"reason": "x"}).status_code == 404
    assert call("post", f"/posts/{made['id']}/reports", world.parent_a, {"reason": "广告"}).status_code == 201
    again = call("post", f"/posts/{made['id']}/reports", world.parent_a, {"reason": "广告"})
    assert again.status_code == 409
    queue = call("get", "/review", world.school_admin_a).json()
    assert [(p["id"], p["reports"]) for p in queue] == [(made["id"], ["广告"])]
    assert call("get", "/review", world.school_admin_b).json() == []
    assert call("get", "/review", world.head_teacher_a).status_code == 403
    kept = call("post", f"/posts/{made['id']}/approval", world.school_admin_a)
    assert kept.status_code == 200
    assert call("get", "/review", world.school_admin_a).json() == []
    assert AuditEvent.objects.filter(verb="post.report").exists()
    assert AuditEvent.objects.filter(verb="post.approve").exists()


def test_word_list_holds_matching_posts_until_approved(world):
    assert call("post", "/words", world.school_admin_a, {"word": "赌博"}).status_code == 403
    assert call("post", "/words", world.district_admin_y, {"word": "赌博"}).status_code == 201
    assert call("post", "/words", world.city_admin, {"word": "ＡＢＣ"}).status_code == 201
    assert call("post", "/words", world.city_admin, {"word": "abc"}).status_code == 409
    # District Y's word does not hold a post in district X; the city's word holds it after normalisation.
    free = post(world.student_a, "赌博不好")
    assert free["status"] == "published"
    held = post(world.student_a, "来 a b c 看看")
    assert held["status"] == "held"
    assert held["id"] in feed_ids(world.student_a, feed="class")
    assert held["id"] not in feed_ids(world.parent_a, feed="class")
    queue = call("get", "/review", world.school_admin_a).json()
    assert [p["id"] for p in queue] == [held["id"]] and queue[0]["held_words"] == ["abc"]
    assert call("post", f"/posts/{held['id']}/approval", world.school_admin_a).status_code == 200
    assert held["id"] in feed_ids(world.parent_a, feed="class")
    words = call("get", "/words", world.district_admin_x).json()
    assert [(w["word"], w["own"]) for w in words] == [("ＡＢＣ", False)]
    word_id = call("get", "/words", world.city_admin).json()[0]["id"]
    assert call("delete", f"/words/{word_id}", world.district_admin_x).status_code == 404
    assert call("delete", f"/words/{word_id}", world.city_admin).status_code == 204
    assert AuditEvent.objects.filter(verb="spaces.word_add").count() == 2
