"""The FAQ pages (HELP-2): the public FAQ with the nearest support contact, and the region admin's editor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from renrentong.core.errors import UserFacingError
from renrentong.core.web.refusals import on_refusal, render_page
from renrentong.orgs import selectors as orgs_selectors
from renrentong.orgs.help import selectors, services
from renrentong.orgs.help.forms import ContactForm, EntryForm, RegionChoiceForm


def faq_page(request: HttpRequest) -> HttpResponse:
    """Anyone: the FAQ of their region (a visitor picks one) and the nearest contact."""
    chosen = RegionChoiceForm(request.GET).valid_data()["region"]
    region = selectors.public_region(chosen) if chosen else selectors.region_of(getattr(request, "actor", None))
    if chosen and region is None:
        raise UserFacingError("scope.not_found")
    sections = selectors.help_for(region)
    return render_page(request, "orgs/help.html", {
        "region": region, "sections": sections, "has_entries": any(s.entries for s in sections),
        "contact": selectors.contact_of(sections), "regions": selectors.regions_to_choose(),
    })


def _editor_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    services.require_editor(actor)
    regions = orgs_selectors.visible_regions(actor)
    wanted = RegionChoiceForm(request.GET).valid_data()["region"]
    region = orgs_selectors.region_in_scope(actor, wanted) if wanted else (regions[0] if regions else None)
    sections = selectors.help_for(region) if region else []
    return render_page(request, "orgs/help_edit.html", {
        "regions": regions, "region": region, "entries": sections[0].entries if sections else [],
        "inherited": sections[1:], "form": request.POST,
    }, error)


@login_required
@on_refusal(_editor_page)
def editor_page(request: HttpRequest) -> HttpResponse:
    """Region admins: the FAQ entries and the support contact of their region and the regions below it."""
    if request.method != "POST":
        return _editor_page(request)
    actor = request.actor
    region = RegionChoiceForm(request.GET).valid_data()["region"]
    action = request.POST.get("action", "")
    if action == "contact":
        services.set_contact(actor, region, ContactForm(request.POST).valid_data()["contact"])
        messages.success(request, _("The support contact is saved."))
    else:
        data = EntryForm(request.POST).valid_data()
        if action == "delete":
            services.delete_entry(actor, data["entry"])
            messages.success(request, _("The entry is removed."))
        elif data["entry"]:
            services.update_entry(actor, data["entry"], data["category"], data["question"], data["answer"],
                                  data["position"])
            messages.success(request, _("The entry is saved."))
        else:
            services.add_entry(actor, region, data["category"], data["question"], data["answer"], data["position"])
            messages.success(request, _("The entry is added."))
    return redirect(f"{reverse('help_edit')}?region={region}")
