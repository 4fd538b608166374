"""The OpenID Connect provider's endpoints under /oauth/ (INT-1): the toolkit's views, our authorization page.
The toolkit's own application and token management pages are not mounted: apps are registered through
/api/v1/apps by province and city admins."""

from django.urls import path, re_path
from oauth2_provider import views

from renrentong.integration.oidc.views import AuthorizeView, ClaimsView, ClientTokenView, DiscoveryView, LogoutView

app_name = "oauth2_provider"  # the toolkit reverses its own names in this namespace (discovery, logout)

urlpatterns = [
    path("authorize/", AuthorizeView.as_view(), name="authorize"),
    path("token/", ClientTokenView.as_view(), name="token"),
    path("revoke_token/", views.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", views.IntrospectTokenView.as_view(), name="introspect"),
    re_path(r"^\.well-known/openid-configuration/?$", DiscoveryView.as_view(),
            name="oidc-connect-discovery-info"),
    path(".well-known/jwks.json", views.JwksInfoView.as_view(), name="jwks-info"),
    path("userinfo/", ClaimsView.as_view(), name="user-info"),
    path("logout/", LogoutView.as_view(), name="rp-initiated-logout"),
]
