"""WeChat pages: the official account's setup (district and city admins), the binding QR code (everyone,
phone width), OAuth inside WeChat, who follows (admins and teachers), the binding sheet, and the callback
URL WeChat's servers call (服务器配置)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from renrentong.accounts.login.second_factor import qr_data_uri
from renrentong.core.errors import UserFacingError
from renrentong.core.web.downloads import download
from renrentong.core.web.forms import valid
from renrentong.core.web.refusals import on_refusal, render_page

from renrentong.wechat import access, selectors, services
from renrentong.wechat.forms import ConfigForm, PlaceForm

WECHAT_BROWSER = "MicroMessenger"


# -- setup ---------------------------------------------------------------------------------------------------------

def _config_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    region, official = selectors.own_config(request.actor)
    initial = {}
    if official is not None:
        initial = {"appid": official.appid, "template_id": official.template_id,
                   "callback_token": official.callback_token, "aes_key": official.aes_key}
    form = ConfigForm(request.POST if request.method == "POST" else None, initial=initial)
    if error is not None:
        form.show_refusal(error)
    callback = request.build_absolute_uri(reverse("wechat:callback", args=[region.code]))
    return render_page(request, "wechat/config.html", {
        "region": region, "official": official, "form": form, "callback": callback,
        "config_fix": services.config_fix(official.config_error) if official and official.config_error else "",
        "saved": request.GET.get("saved") == "1",
        "secret_stored": bool(official and official.secret_cipher),
    }, error)


@login_required
@on_refusal(_config_page)
def config_page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _config_page(request)
    data = valid(ConfigForm(request.POST))
    services.save_config(request.actor, services.ConfigInput(
        appid=data["appid"], secret=data["secret"], template_id=data["template_id"],
        callback_token=data["callback_token"], aes_key=data["aes_key"]))
    return redirect(reverse("wechat:config") + "?saved=1")


# -- binding -------------------------------------------------------------------------------------------------------

@login_required
@require_GET
def bind_page(request: HttpRequest) -> HttpResponse:
    """The account's binding QR code; opened inside WeChat, the silent OAuth binds this WeChat directly."""
    actor = request.actor
    follower = selectors.follower_of(actor)
    official = selectors.official_account_for_region(selectors.region_of_account(actor.account, actor))
    in_wechat = WECHAT_BROWSER in request.headers.get("User-Agent", "")
    if (official is not None and in_wechat and not (follower and follower.following)
            and request.GET.get("qr") != "1"):
        return redirect("wechat:oauth_start")
    scene = qr = None
    problem = None
    if official is None:
        problem = UserFacingError("wechat.not_configured")
    elif not (follower and follower.following):
        try:
            scene = services.binding_scene(actor)
            qr = qr_data_uri(scene.url)
        except UserFacingError as error:  # WeChat unreachable: the page still opens and says so
            problem = error
    return render(request, "wechat/bind.html", {
        "follower": follower, "scene": scene, "qr": qr, "problem": problem, "official": official,
        "bound": request.GET.get("bound") == "1",
    })


@login_required
@require_GET
def oauth_start(request: HttpRequest) -> HttpResponse:
    return redirect(services.oauth_start(request.actor, request.session,
                                         request.build_absolute_uri(reverse("wechat:oauth_return"))))


@login_required
@require_GET
def oauth_return(request: HttpRequest) -> HttpResponse:
    services.oauth_finish(request.actor, request.session, request.GET.get("code", "")[:200],
                          request.GET.get("state", "")[:200])
    return redirect(reverse("wechat:bind") + "?bound=1")


# -- who follows ---------------------------------------------------------------------------------------------------

@login_required
@require_GET
def follows_page(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    place = valid(PlaceForm(request.GET))
    if access.sees_schools_of_region(actor) and place["school"] is None:
        return render(request, "wechat/follows_region.html", {"schools": selectors.follows_region(actor)})
    school, classes = selectors.follows_school(actor, place["school"])
    return render(request, "wechat/follows_school.html", {
        "school": school, "classes": classes, "region_admin": access.sees_schools_of_region(actor),
        "parents": sum(f.parents for f in classes), "following": sum(f.following for f in classes),
    })


@login_required
@require_GET
def class_follows_page(request: HttpRequest, class_id: int) -> HttpResponse:
    school_class, parents = selectors.class_parents(request.actor, class_id)
    show = request.GET.get("show", "not")
    rows = parents if show == "all" else [p for p in parents if not p.following]
    return render(request, "wechat/follows_class.html", {
        "school_class": school_class, "rows": rows, "show": show,
        "parents": len(parents), "following": sum(1 for p in parents if p.following),
    })


@login_required
@require_GET
def binding_sheet(request: HttpRequest) -> HttpResponse:
    place = valid(PlaceForm(request.GET))
    pdf = services.binding_sheet(request.actor, place["school"], place["class_id"])
    return download(pdf, "wechat-binding-codes.pdf", "application/pdf")


# -- WeChat's server -----------------------------------------------------------------------------------------------

@csrf_exempt
def callback(request: HttpRequest, key: str) -> HttpResponse:
    """GET: the URL check (echo echostr when the signature matches); POST: events, signature checked, in
    plaintext mode or, with the EncodingAESKey set, in compatible or safe mode (the Encrypt element)."""
    official = services.callback_account(key)
    if official is None:
        return HttpResponse(status=404)
    query = request.GET
    if not services.signature_ok(official, query.get("signature", ""), query.get("timestamp", ""),
                                 query.get("nonce", "")):
        return HttpResponse(status=403)
    if request.method == "GET":
        return HttpResponse(query.get("echostr", "")[:128], content_type="text/plain")
    if request.method != "POST":
        return HttpResponse(status=405)
    try:
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not length.isdigit() or int(length) > services.XML_LIMIT:
            raise services.BadMessage("too large")
        event = services.parse_event(request.body)
        if query.get("encrypt_type") == "aes" or ("Encrypt" in event and "MsgType" not in event):
            event = services.decrypt_event(official, event, query)  # safe mode
    except services.BadSignature:
        return HttpResponse(status=403)
    except services.BadMessage:
        return HttpResponse(status=400)
    services.handle_event(official, event)
    return HttpResponse("success", content_type="text/plain")
