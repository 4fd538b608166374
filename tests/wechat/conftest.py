import pytest

from renrentong.wechat import selectors
from tests.factories import as_user
from tests.wechat.fake_server import FakeWeChat

APPID = "wx0123456789abcdef"
SECRET = "s" * 32
TOKEN = "cbtoken123"


@pytest.fixture(autouse=True)
def _fresh_memo():
    selectors.forget_memo()
    yield
    selectors.forget_memo()


@pytest.fixture
def fake(settings):
    with FakeWeChat() as server:
        settings.RRT_WECHAT_API = server.url
        settings.RRT_WECHAT_OPEN = "https://open.weixin.qq.com"
        yield server


def configure(client, admin, **overrides):
    data = {"appid": APPID, "secret": SECRET, "template_id": "TPL-1", "callback_token": TOKEN, "aes_key": ""}
    data.update(overrides)
    return as_user(client, admin).post("/wechat/config/", data, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def official(world, fake, client):
    """District X's official account, set up by its admin on the config page."""
    response = configure(client, world.district_admin_x)
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    from renrentong.wechat.models import OfficialAccount

    return OfficialAccount.objects.get(region=world.district_x)
