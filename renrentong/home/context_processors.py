"""What every page's shell needs: the actor, their identities, which shell, and its navigation."""

from renrentong.accounts.selectors import identities_of
from renrentong.home import access, nav


def shell(request):
    current = getattr(request, "actor", None)
    kind = access.shell_for(current, request.META.get("HTTP_USER_AGENT", ""))
    if current is not None and getattr(request, "console_page", False):
        kind = access.CONSOLE  # a desk page (evaluation's written records) for students and parents too
    context = {"actor": current, "shell": kind, "shell_template": f"shell/{kind}.html"}
    if current is None:
        return context
    if getattr(request, "focused_page", False):
        # A step of a flow that leads elsewhere (an app's sign-in): the frame without navigation away from it or a
        # switch of identity under it, and without the reads they cost.
        context["focused"] = True
        return context
    context["my_identities"] = list(identities_of(current.account))
    context["personal_menu"] = access.personal_menu_for(current)
    if kind == access.CONSOLE:
        groups = nav.sidebar(request, current)
        context["sidebar"] = groups
        context["breadcrumbs"] = nav.breadcrumbs(request, groups)
        context["header_inbox"] = nav.header_inbox(current)
    elif kind == access.PHONE:
        context["tabs"] = nav.tabs(request, current)
    return context
