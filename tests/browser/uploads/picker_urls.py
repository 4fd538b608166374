"""The site's URLs plus one form that embeds the picker, for the picker's browser test only (the notices
compose page is its first real user)."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from renrentong.urls import urlpatterns as site_patterns

FORM = engines["django"].from_string("""{% extends "base.html" %}{% block content %}
<form method="post" action="/picker-form/" data-testid="form">{% csrf_token %}
{% include "uploads/_picker.html" with name="file_ids" max=2 %}
<button type="submit" class="weui-btn weui-btn_primary" data-testid="send">Send</button>
</form>{% endblock %}""")


def picker_form(request):
    if request.method == "POST":
        return HttpResponse("ids=" + ",".join(request.POST.getlist("file_ids")), content_type="text/plain")
    return HttpResponse(FORM.render({}, request))


urlpatterns = [path("picker-form/", picker_form), *site_patterns]
