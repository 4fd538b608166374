"""Posts and feeds through the API (SPC-1): who reads what, the scope matrix, paging, children's public posts."""

from datetime import date

from renrentong.core.models import AuditEvent
from renrentong.orgs.models import Policy
from renrentong.spaces.models import Post
from tests.factories import make_parent, make_student
from tests.spaces.helpers import call, feed_ids, post


def test_class_post_reaches_classmates_parents_and_teachers_but_never_another_class(world):
    made = post(world.student_a, visibility="class")
    assert made["class_id"] == world.class_a1.pk and made["status"] == "published"
    classmate = make_student(world.class_a1, "王小丽")
    classmate_parent = make_parent(classmate, name="王妈妈")
    for reader in (classmate, classmate_parent, world.parent_a, world.teacher_a, world.head_teacher_a):
        assert made["id"] in feed_ids(reader, feed="class", class_id=world.class_a1.pk), reader
        assert call("get", f"/posts/{made['id']}", reader).status_code == 200
    # Another class of the same school, another school, a school admin's feed: nothing.
    for reader in (world.student_a2, world.student_b, world.parent_b, world.teacher_b):
        assert call("get", f"/posts/{made['id']}", reader).status_code == 404, reader
        assert made["id"] not in feed_ids(reader, feed="school")
    assert made["id"] not in feed_ids(world.school_admin_a, feed="school")


def test_a_class_feed_of_another_class_is_not_found(world):
    for reader, foreign in ((world.student_a, world.class_a2), (world.parent_a, world.class_b1),
                            (world.teacher_a, world.class_a2), (world.student_b, world.class_a1)):
        response = call("get", "/posts", reader, feed="class", class_id=foreign.pk)
        assert response.status_code == 404, reader
    huge = call("get", "/posts", world.student_a, feed="class", class_id=2**70)
    assert huge.status_code == 400


def test_school_posts_reach_the_whole_school_only(world):
    made = post(world.teacher_a, "运动会照片", visibility="school", kind="news")
    assert made["class_id"] is None
    for reader in (world.student_a, world.student_a2, world.parent_a, world.head_teacher_a, world.school_admin_a):
        assert made["id"] in feed_ids(reader, feed="school"), reader
    for reader in (world.student_b, world.parent_b, world.school_admin_b):
        assert made["id"] not in feed_ids(reader, feed="school")
        assert call("get", f"/posts/{made['id']}", reader).status_code == 404
    assert call("get", "/posts", world.student_b, feed="school", school_id=world.school_a.pk).status_code == 404


def test_only_me_posts_stay_with_their_author(world):
    made = post(world.student_a, "秘密", visibility="only_me")
    assert made["id"] in feed_ids(world.student_a, feed="mine")
    assert made["id"] not in feed_ids(world.parent_a, feed="class", class_id=world.class_a1.pk)
    assert call("get", f"/posts/{made['id']}", world.parent_a).status_code == 404
    assert call("get", "/posts", world.parent_a, feed="person", author_id=world.student_a.pk).status_code == 404


def test_parent_posts_to_the_childs_class_and_cannot_name_another(world):
    made = post(world.parent_a, "家长分享", visibility="class")
    assert made["class_id"] == world.class_a1.pk
    assert made["id"] in feed_ids(world.student_a, feed="class")
    refused = call("post", "/posts", world.parent_a, {"text": "x", "class_id": world.class_a2.pk})
    assert refused.status_code == 404
    refused = call("post", "/posts", world.parent_a, {"text": "x", "class_id": world.class_b1.pk})
    assert refused.status_code == 404


def test_admins_do_not_post(world):
    response = call("post", "/posts", world.school_admin_a, {"text": "x", "visibility": "school"})
    assert response.status_code == 403 and response.json()["code"] == "spaces.not_allowed"


def test_child_under_14_cannot_post_publicly_until_the_region_allows(world):
    person = world.student_a.person
    person.birth_date = date(2016, 3, 1)
    person.save()
    refused = call("post", "/posts", world.student_a, {"text": "大家好", "visibility": "public"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "spaces.public_not_allowed"
    assert "district admin" in refused.json()["who_can_fix"]
    Policy.objects.create(region=world.district_x, values={"public_posts_under_14": True})
    from renrentong.orgs.policy import policy_changed

    policy_changed()
    made = post(world.student_a, "大家好", visibility="public")
    assert made["id"] in feed_ids(world.student_b, feed="person", author_id=world.student_a.pk)
    # A 14-year-old posts publicly anywhere.
    person_b = world.student_b.person
    person_b.birth_date = date(2000, 1, 1)
    person_b.save()
    post(world.student_b, "公开", visibility="public")


def test_feeds_are_newest_first_with_keyset_paging(world):
    ids = [post(world.student_a, f"第{i}条")["id"] for i in range(25)]
    first = call("get", "/posts", world.parent_a, feed="class").json()
    assert [p["id"] for p in first["items"]] == ids[::-1][:20]
    second = call("get", "/posts", world.parent_a, feed="class", before=first["next_before"]).json()
    assert [p["id"] for p in second["items"]] == ids[::-1][20:]
    assert second["next_before"] is None


def test_author_deletes_own_post_only(world):
    made = post(world.student_a)
    assert call("delete", f"/posts/{made['id']}", world.parent_a).status_code == 403
    assert call("delete", f"/posts/{made['id']}", world.student_b).status_code == 404
    assert call("delete", f"/posts/{made['id']}", world.student_a).status_code == 204
    assert call("get", f"/posts/{made['id']}", world.student_a).status_code == 404
    assert AuditEvent.objects.filter(verb="post.delete", target_id=made["id"]).exists()


def test_images_are_the_authors_own_uploads(world):
    from renrentong.accounts.access import actor_for
    from renrentong.uploads.services import store_upload
    from tests.spaces.helpers import png

    mine = store_upload(actor_for(world.student_a, world.student_a.identities.get()), png(), "a.png",
                        purpose="post", school_id=world.school_a.pk)
    theirs = store_upload(actor_for(world.student_a2, world.student_a2.identities.get()), png(), "b.png",
                          purpose="post", school_id=world.school_a.pk)
    refused = call("post", "/posts", world.student_a, {"text": "图", "file_ids": [theirs.pk]})
    assert refused.status_code == 404
    made = post(world.student_a, "图", file_ids=[mine.pk])
    assert len(made["images"]) == 1
    seen = call("get", f"/posts/{made['id']}", world.parent_a).json()
    assert seen["images"][0].startswith("/files/")
    too_many = call("post", "/posts", world.student_a, {"text": "图", "file_ids": list(range(1, 11))})
    assert too_many.status_code == 400
    assert Post.objects.count() == 1


def test_parent_reads_only_the_childs_school_feed(world):
    assert call("get", "/posts", world.parent_a, feed="school", school_id=world.school_b.pk).status_code == 404
    made = post(world.teacher_b, "天心新闻", visibility="school")
    assert made["id"] not in feed_ids(world.parent_a, feed="school")
    assert made["id"] in feed_ids(world.parent_b, feed="school")


def test_teacher_posts_to_a_class_they_teach_only(world):
    refused = call("post", "/posts", world.teacher_a, {"text": "作业", "visibility": "class"})
    assert refused.status_code == 400 and refused.json()["code"] == "spaces.choose_class"
    assert call("post", "/posts", world.teacher_a, {"text": "作业", "class_id": world.class_a2.pk}).status_code == 404
    made = post(world.teacher_a, "作业", class_id=world.class_a1.pk)
    assert made["id"] in feed_ids(world.student_a, feed="class")
    assert made["id"] not in feed_ids(world.student_a2, feed="school")
