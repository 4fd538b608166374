from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Count

from renrentong.demo.services import DEMO_PASSWORD
from renrentong.accounts.models import Account, Guardianship, HeadTeacher, Identity
from renrentong.accounts.passwords.services import current_initial_password
from renrentong.orgs.policy import policy_for_school
from renrentong.orgs.models import School


def _password(account: Account) -> str:
    """What logs in now: the outstanding initial password by the school's rule (random ones are kept
    sealed for the slip), or the demo password the administrators were given."""
    if account.initial_password_digest and account.home_school_id:
        return current_initial_password(account, policy_for_school(account.home_school)) or DEMO_PASSWORD
    return DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print one demo login for each role; with --sms PHONE, the newest text message to that phone."

    def add_arguments(self, parser):
        parser.add_argument("--sms", metavar="PHONE", help="print the newest development SMS (outbox) to PHONE")

    def handle(self, *args, **options):
        if options.get("sms"):
            # The development SMS outbox stands in for the phone: region admins read their login codes here.
            from renrentong.verification.models import OutboxMessage

            message = OutboxMessage.objects.filter(target=options["sms"]).order_by("-created_at", "-pk").first()
            self.stdout.write(message.body if message else f"No text message to {options['sms']}.")
            return
        rows = []

        def show(role: str, account: Account | None, login: str | None = None) -> None:
            if account is None:
                return
            note = " (initial: change at first login)" if account.initial_password_digest else ""
            rows.append((role, account.person.name if account.person_id else "", login or account.number,
                         _password(account) + note))

        for region_kind, role in (("province", "province admin"), ("city", "city admin"),
                                  ("district", "district admin")):
            ident = Identity.objects.filter(kind="region_admin", region__kind=region_kind).order_by("pk").first()
            show(role, ident and ident.account, ident and ident.account.phone)
        school = School.objects.filter(registered=True).order_by("pk").first()
        admin = Identity.objects.filter(kind="school_admin", school=school).select_related("account").first()
        show("school admin + teacher", admin and admin.account, admin and admin.account.phone)
        head = (
            HeadTeacher.objects.filter(school_class__school=school).exclude(teacher__account=admin.account)
            .select_related("teacher__account").first()
        )
        show("class head teacher", head and head.teacher.account, head and head.teacher.account.phone)
        both = Identity.objects.filter(kind="guardian", account__identities__kind="teacher").select_related(
            "account").first()
        show("teacher + parent", both and both.account, both and both.account.phone)
        student = Identity.objects.filter(kind="student", school=school).select_related("account").first()
        show("student", student and student.account)
        link = Guardianship.objects.filter(student=student.account.person).select_related("guardian__account").first()
        show("parent", link and link.guardian.account, link and link.guardian.account.phone)
        siblings = (
            Guardianship.objects.values("guardian").annotate(n=Count("id"))
            .filter(n__gt=1).order_by("guardian").first()
        )
        if siblings:
            parent = Account.objects.get(person_id=siblings["guardian"])
            show("parent of two children", parent, parent.phone)
        other = Identity.objects.filter(kind="student", school__registered=False).select_related("account").first()
        show("student of an unregistered school", other and other.account)

        self.stdout.write(f"\nDemo logins ({settings.RRT_PUBLIC_URL.rstrip('/')}/):")
        width = max(len(r[0]) for r in rows)
        for role, name, login, password in rows:
            self.stdout.write(f"  {role:<{width}}  {name:<6}  login: {login:<12}  password: {password}")
        self.stdout.write("  Region admins confirm each login with a second factor: a code goes to their phone.")
        self.stdout.write("  In development read it with `python manage.py demo_logins --sms PHONE`.")
        self.stdout.write("")
