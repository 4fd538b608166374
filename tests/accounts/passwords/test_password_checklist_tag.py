from django.template import Context, Template

from renrentong.orgs.policy import EffectivePolicy


def test_hand_written_pages_add_the_checklist_with_one_tag():
    html = Template('{% load password_rules %}{% password_checklist policy "20000001" "new_password" "repeat_password" %}'
                    ).render(Context({"policy": EffectivePolicy(password_rule="S")}))
    assert 'id="new_password_rules"' in html and 'data-password-rules="new_password"' in html
    assert 'data-rule="alnum"' in html and 'data-value="20000001"' in html and 'data-other="repeat_password"' in html
