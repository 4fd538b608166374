"""Pages for posts and spaces (SPC-1, SPC-2): feeds, compose, a post, personal/class/school spaces on the phone;
the review queue, the word list and statistics in the console. Parse, call a service or selector, render."""

from __future__ import annotations

import functools

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from renrentong.core.errors import UserFacingError
from renrentong.core.schemas import MAX_ID
from renrentong.core.web.refusals import on_refusal, render_page
from renrentong.orgs.policy import policy_for_region

from renrentong.spaces import access, selectors, services
from renrentong.spaces.forms import (
    AppointForm, FeedForm, PolicyForm, PostForm, ReasonForm, SpaceHeaderForm, StatsForm, WordForm,
)

MAX_UPLOAD_FILES = services.MAX_IMAGES


def bounded(view):
    """An id in the path beyond what a row can have names nothing: "not found", never a database overflow."""
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if any(isinstance(v, int) and v > MAX_ID for v in kwargs.values()):
            raise UserFacingError("scope.not_found")
        return view(request, *args, **kwargs)

    return wrapped


def _cards(actor, posts) -> list[dict]:
    links = selectors.image_links(actor, posts)
    return [{"post": p, "images": links.get(p.pk, []), "own": access.is_author(actor, p),
             "may_remove": access.may_moderate(actor, p)} for p in posts]


def _uploads(request: HttpRequest, name: str = "images") -> list[tuple[str, bytes]]:
    files = request.FILES.getlist(name)
    if len(files) > MAX_UPLOAD_FILES:
        raise UserFacingError("spaces.too_many_images")
    return [(f.name, f.read()) for f in files]


@login_required
def feed_page(request: HttpRequest) -> HttpResponse:
    """校园动态 and 班级动态: the reader's school feed, or a class feed of a class they belong to."""
    actor = request.actor
    params = FeedForm(request.GET).valid_data()
    classes = selectors.member_classes(actor)
    which = params["feed"] or ("class" if classes else "school")
    if which == "class":
        page = selectors.class_feed(actor, params["class_id"], params["before"])
    else:
        page = selectors.school_feed(actor, params["school_id"], params["before"])
    more = None
    if page.next_before:
        extra = f"&class_id={page.extra['class_id']}" if which == "class" else f"&school_id={page.extra['school_id']}"
        more = f"{reverse('spaces:feed')}?feed={which}{extra}&before={page.next_before}"
    return render_page(request, "spaces/feed.html", {
        "which": which, "cards": _cards(actor, page.posts), "more": more, "classes": classes,
        "class_id": page.extra.get("class_id"), "school_id": page.extra.get("school_id") or
        selectors.default_school_id(actor), "may_post": access.may_post(actor),
    })


def _compose(request: HttpRequest, error: UserFacingError | None = None, form: PostForm | None = None) -> HttpResponse:
    actor = request.actor
    classes = selectors.member_classes(actor)
    if form is None:
        form = PostForm(request.POST or None, classes=classes)
    if error is not None:
        form.show_refusal(error)
    return render_page(request, "spaces/compose.html", {"form": form, "max_images": MAX_UPLOAD_FILES}, error)


@login_required
@on_refusal(_compose)
def compose_page(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    if not access.may_post(actor):
        raise UserFacingError("spaces.not_allowed")
    if request.method != "POST":
        return _compose(request)
    form = PostForm(request.POST, classes=selectors.member_classes(actor))
    if not form.is_valid():
        return _compose(request, form.first_refusal(), form)
    data = form.cleaned_data
    post = services.create_post(actor, services.PostDraft(
        text=data["text"], kind=data["kind"], visibility=data["visibility"], class_id=data["class_id"],
        uploads=_uploads(request)))
    return redirect("spaces:post", post.pk)


def _post(request: HttpRequest, post_id: int, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    post = selectors.post_for_reader(actor, post_id)
    return render_page(request, "spaces/post.html", {"card": _cards(actor, [post])[0]}, error)


@login_required
@bounded
def post_page(request: HttpRequest, post_id: int) -> HttpResponse:
    return _post(request, post_id)


def _reason(request: HttpRequest) -> str:
    return ReasonForm(request.POST).valid_data()["reason"]


@login_required
@bounded
@require_POST
@on_refusal(_post)
def post_report(request: HttpRequest, post_id: int) -> HttpResponse:
    services.report_post(request.actor, post_id, _reason(request))
    return redirect(reverse("spaces:post", args=[post_id]) + "?reported=1")


@login_required
@bounded
@require_POST
@on_refusal(_post)
def post_remove(request: HttpRequest, post_id: int) -> HttpResponse:
    services.remove_post(request.actor, post_id, _reason(request))
    return redirect(request.POST.get("next") == "review" and "spaces:review" or reverse("spaces:post", args=[post_id]))


@login_required
@bounded
@require_POST
def post_approve(request: HttpRequest, post_id: int) -> HttpResponse:
    services.approve_post(request.actor, post_id)
    return redirect("spaces:review")


@login_required
@bounded
@require_POST
def post_delete(request: HttpRequest, post_id: int) -> HttpResponse:
    services.delete_post(request.actor, post_id)
    return redirect("spaces:mine")


@login_required
def my_space(request: HttpRequest) -> HttpResponse:
    return person_space(request, request.actor.account.pk)


@login_required
@bounded
def person_space(request: HttpRequest, account_id: int) -> HttpResponse:
    actor = request.actor
    before = FeedForm(request.GET).valid_data()["before"]
    page = selectors.person_feed(actor, account_id, before)
    own = account_id == actor.account.pk
    school_id, class_id = services.personal_space_place(account_id)
    if school_id is None and own:
        school_id = selectors.default_school_id(actor)
        class_id = selectors.default_class_id(actor) if access.acting_school_id(actor) is None else None
    if school_id is not None:
        services.record_visit(actor, services.PERSONAL_SPACE, account_id, school_id, class_id)
    person = actor.account.person if own else None
    name = (person.name if person else actor.account.number) if own else page.posts[0].author_label
    more = f"?before={page.next_before}" if page.next_before else None
    return render_page(request, "spaces/person.html", {
        "name": name, "own": own, "cards": _cards(actor, page.posts), "more": more,
        "may_post": own and access.may_post(actor)})


@login_required
@bounded
def class_space_page(request: HttpRequest, class_id: int) -> HttpResponse:
    actor = request.actor
    school_class, space = selectors.class_space(actor, class_id)
    before = FeedForm(request.GET).valid_data()["before"]
    page = selectors.class_posts(actor, class_id, before)
    services.record_visit(actor, services.CLASS_SPACE, class_id, school_class.school_id, class_id)
    return render_page(request, "spaces/class_space.html", {
        "school_class": school_class, "space": space, "cover": selectors.cover_link(actor, space),
        "cards": _cards(actor, page.posts), "more": f"?before={page.next_before}" if page.next_before else None,
        "manages": access.may_manage_class_space(actor, class_id)})


def _class_manage(request: HttpRequest, class_id: int, error: UserFacingError | None = None,
                  form: SpaceHeaderForm | None = None) -> HttpResponse:
    actor = request.actor
    school_class, space = selectors.class_space(actor, class_id)
    if not access.may_manage_class_space(actor, class_id):
        raise UserFacingError("spaces.not_space_manager")
    form = form or SpaceHeaderForm(initial={"title": space.title if space else "", "intro": space.intro if space else ""})
    if error is not None:
        form.show_refusal(error)
    appoints = access.may_appoint_class_admins(actor, class_id)
    return render_page(request, "spaces/class_manage.html", {
        "school_class": school_class, "form": form, "appoints": appoints,
        "admins": selectors.class_space_admins(class_id) if appoints else []}, error)


@login_required
@bounded
@on_refusal(_class_manage)
def class_space_manage(request: HttpRequest, class_id: int) -> HttpResponse:
    if request.method != "POST":
        return _class_manage(request, class_id)
    form = SpaceHeaderForm(request.POST, request.FILES)
    if not form.is_valid():
        return _class_manage(request, class_id, form.first_refusal(), form)
    cover = request.FILES.get("cover")
    services.update_class_space(request.actor, class_id, title=form.cleaned_data["title"],
                                intro=form.cleaned_data["intro"], cover=(cover.name, cover.read()) if cover else None)
    return redirect("spaces:class_space", class_id)


@login_required
@bounded
@require_POST
@on_refusal(_class_manage)
def class_admin_add(request: HttpRequest, class_id: int) -> HttpResponse:
    services.appoint_class_admin(request.actor, class_id, AppointForm(request.POST).valid_data()["account_number"])
    return redirect("spaces:class_space_manage", class_id)


@login_required
@bounded
@require_POST
def class_admin_dismiss(request: HttpRequest, class_id: int, admin_id: int) -> HttpResponse:
    services.dismiss_class_admin(request.actor, class_id, admin_id)
    return redirect("spaces:class_space_manage", class_id)


@login_required
@bounded
def school_space_page(request: HttpRequest, school_id: int) -> HttpResponse:
    actor = request.actor
    school, space = selectors.school_space(actor, school_id)
    before = FeedForm(request.GET).valid_data()["before"]
    page = selectors.school_posts(actor, school_id, before)
    services.record_visit(actor, services.SCHOOL_SPACE, school_id, school_id, None)
    return render_page(request, "spaces/school_space.html", {
        "school": school, "space": space, "cover": selectors.cover_link(actor, space),
        "cards": _cards(actor, page.posts), "more": f"?before={page.next_before}" if page.next_before else None,
        "manages": access.may_manage_school_space(actor, school_id)})


def _school_manage(request: HttpRequest, school_id: int, error: UserFacingError | None = None,
                   form: SpaceHeaderForm | None = None) -> HttpResponse:
    actor = request.actor
    school, space = selectors.school_space(actor, school_id)
    if not access.may_manage_school_space(actor, school_id):
        raise UserFacingError("spaces.not_space_manager")
    form = form or SpaceHeaderForm(initial={"title": space.title if space else "", "intro": space.intro if space else ""})
    if error is not None:
        form.show_refusal(error)
    return render_page(request, "spaces/school_manage.html", {"school": school, "form": form}, error)


@login_required
@bounded
@on_refusal(_school_manage)
def school_space_manage(request: HttpRequest, school_id: int) -> HttpResponse:
    if request.method != "POST":
        return _school_manage(request, school_id)
    form = SpaceHeaderForm(request.POST, request.FILES)
    if not form.is_valid():
        return _school_manage(request, school_id, form.first_refusal(), form)
    cover = request.FILES.get("cover")
    services.update_school_space(request.actor, school_id, title=form.cleaned_data["title"],
                                 intro=form.cleaned_data["intro"], cover=(cover.name, cover.read()) if cover else None)
    return redirect("spaces:school_space", school_id)


@login_required
def review_page(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    posts = selectors.review_queue(actor)
    cards = _cards(actor, posts)
    for card in cards:
        card["reports"] = card["post"].report_reasons
    return render_page(request, "spaces/review.html", {"cards": cards})


def _words(request: HttpRequest, error: UserFacingError | None = None, form: WordForm | None = None) -> HttpResponse:
    actor = request.actor
    own, inherited = selectors.word_list(actor)
    form = form or WordForm()
    if error is not None:
        form.show_refusal(error)
    return render_page(request, "spaces/words.html", {
        "own": own, "inherited": inherited, "form": form,
        "children_public": policy_for_region(actor.identity.region).public_posts_under_14}, error)


@login_required
@on_refusal(_words)
def words_page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _words(request)
    form = WordForm(request.POST)
    if not form.is_valid():
        return _words(request, form.first_refusal(), form)
    services.add_word(request.actor, form.cleaned_data["word"])
    return redirect("spaces:words")


@login_required
@bounded
@require_POST
def word_delete(request: HttpRequest, word_id: int) -> HttpResponse:
    services.remove_word(request.actor, word_id)
    return redirect("spaces:words")


@login_required
@require_POST
def children_public_policy(request: HttpRequest) -> HttpResponse:
    services.set_public_posts_under_14(request.actor, PolicyForm(request.POST).valid_data()["allowed"])
    return redirect("spaces:words")


@login_required
def stats_page(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    school, rows = selectors.space_stats(actor, StatsForm(request.GET).valid_data()["school_id"])
    return render_page(request, "spaces/stats.html", {
        "school": school, "rows": rows, "per_school": school is None,
        "back": access.sees_region_stats(actor) and school is not None,
        "totals": {"spaces_opened": sum(r.spaces_opened for r in rows), "posts": sum(r.posts for r in rows),
                   "visits": sum(r.visits for r in rows)}})
