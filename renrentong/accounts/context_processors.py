from renrentong.accounts.home.access import menu_for
from renrentong.accounts.selectors import identities_of


def actor(request):
    current = getattr(request, "actor", None)
    if current is None:
        return {"actor": None}
    return {"actor": current, "my_identities": list(identities_of(current.account)), "menu": menu_for(current)}
