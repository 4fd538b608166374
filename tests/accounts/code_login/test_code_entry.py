"""Every page that asks for a code uses the one code-entry block, its length from CODE_LENGTH."""

import re

from renrentong.verification.constants import CODE_LENGTH


def test_the_code_entry_of_the_recovery_and_code_login_pages_takes_code_length_digits(client, world):
    session = client.session
    session["code_login"] = {"token": "t", "masked_target": "138****0000"}
    session["recovery"] = {"token": "t", "masked_target": "138****0000"}
    session.save()
    for url in ("/accounts/code-login/", "/accounts/recover/code/"):
        page = client.get(url).content.decode()
        field = re.search(r'<input id="code" name="code"[^>]*>', page)
        assert field is not None, url
        assert f'maxlength="{CODE_LENGTH}"' in field.group(0)
        assert 'autocomplete="one-time-code"' in field.group(0)
