"""Page edges of recovery, code login and the second factor that a browser rarely meets: a step opened
out of order, an expired challenge, starting over."""

from django.core.cache import cache

from tests.verification_helpers import last_code


def test_steps_opened_out_of_order_send_back_to_the_start(client, world):
    assert client.get("/accounts/recover/code/")["Location"] == "/accounts/recover/"
    assert client.get("/accounts/recover/reset/")["Location"] == "/accounts/recover/"
    assert client.get("/accounts/second-factor/")["Location"] == "/accounts/login/"
    assert client.get("/accounts/second-factor/setup/")["Location"].startswith("/accounts/login/")


def test_an_expired_second_factor_says_log_in_again(client, world):
    admin = world.district_admin_x
    answer = client.post("/accounts/login/", {"identifier": admin.number, "password": f"Pw{admin.number[-6:]}@"})
    assert answer["Location"] == "/accounts/second-factor/"
    # Ten minutes later the pending login is gone from the cache (the session, itself maybe in the cache,
    # stays).
    from renrentong.accounts.login.second_factor import _key

    cache.delete(_key(client.session["second_factor"]["challenge"]))
    page = client.get("/accounts/second-factor/")
    assert page.status_code == 400
    body = page.content.decode()
    assert 'data-code="second_factor.expired"' in body and 'data-testid="sms-form"' not in body
    # The session holds no login.
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_second_factor_keeps_the_next_page(client, world):
    admin = world.district_admin_x
    client.post("/accounts/login/", {"identifier": admin.number, "password": f"Pw{admin.number[-6:]}@",
                                      "next": "/orgs/schools/"})
    done = client.post("/accounts/second-factor/", {"method": "sms", "code": last_code(admin.phone)})
    # The initial password must be changed first, and then the user goes on where they were going.
    assert done["Location"] == "/accounts/password/?next=%2Forgs%2Fschools%2F"


def test_code_login_can_start_over_with_another_phone(client, world):
    client.post("/accounts/code-login/", {"action": "send", "phone": world.parent_a.phone})
    assert 'name="code"' in client.get("/accounts/code-login/").content.decode()
    fresh = client.get("/accounts/code-login/?restart=1").content.decode()
    assert 'name="phone"' in fresh and 'name="code"' not in fresh


def test_recovery_page_keeps_what_was_typed_and_lists_destinations(client, world):
    from tests.factories import make_parent

    make_parent(world.student_a, name="王妈妈")
    page = client.post("/accounts/recover/", {"identifier": world.student_a.number}).content.decode()
    assert page.count('data-testid="destination"') == 2 and world.student_a.number in page
    sent = client.post("/accounts/recover/", {"identifier": world.student_a.number, "destination": "0"})
    assert sent["Location"] == "/accounts/recover/code/"


# --- Issue 10 #9 and #10 --------------------------------------------------------------------------


def test_a_destination_that_is_a_unicode_digit_is_refused_not_a_500(client, world):
    from tests.factories import make_parent

    make_parent(world.student_a, name="王妈妈")
    page = client.post("/accounts/recover/", {"identifier": world.student_a.number, "destination": "²"})
    assert page.status_code == 200 and page.content.decode().count('data-testid="destination"') == 2
    student = client.post("/accounts/recover/student/", {
        "name": "李小明", "id_number": world.student_a.person.reveal_id_number(), "school": world.school_a.name,
        "destination": "²"})
    assert student.status_code in (200, 302)


def test_a_phone_serving_a_parent_and_a_child_preselects_nobody_and_names_whose_password_changed(client, world):
    parent = world.parent_a
    client.post("/accounts/recover/", {"identifier": parent.phone})
    client.post("/accounts/recover/code/", {"code": last_code(parent.phone)})
    page = client.get("/accounts/recover/reset/").content.decode()
    assert "checked" not in page
    assert "本人（家长 李大明）" in page and "孩子 李小明（三年级1班）" in page
    password = {"new_password": "Xk9#mPq2vL", "repeat_password": "Xk9#mPq2vL"}
    unchosen = client.post("/accounts/recover/reset/", password)
    assert unchosen.status_code == 400 and 'data-code="recovery.account_not_chosen"' in unchosen.content.decode()
    done = client.post("/accounts/recover/reset/", {**password, "account_id": str(world.student_a.pk)})
    body = done.content.decode()
    assert 'data-testid="recovery-done-who"' in body and "孩子 李小明（三年级1班）" in body


def test_recovery_by_account_says_when_the_phone_given_is_not_that_accounts(client, world):
    from tests.factories import make_phone

    teacher = world.teacher_a
    wrong = make_phone()
    page = client.post("/accounts/recover/", {"identifier": teacher.number, "phone": wrong})
    body = page.content.decode()
    assert page.status_code == 400 and 'data-code="recovery.phone_not_this_accounts"' in body
    assert teacher.phone[:3] + "****" + teacher.phone[-4:] in body and teacher.phone not in body
    right = client.post("/accounts/recover/", {"identifier": teacher.number, "phone": teacher.phone})
    assert right["Location"] == "/accounts/recover/code/"
