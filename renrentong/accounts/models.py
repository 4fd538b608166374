"""People, accounts and identities (ACC-1..ACC-5), with the links that give identities their scope."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from renrentong.core.bulk import among, chunks
from renrentong.core.crypto import (
    open_id_number, open_national_student_number, sealed_id_fields, sealed_national_student_number_fields,
)
from renrentong.orgs.models import Region, School, SchoolClass

from renrentong.accounts.people.pinyin import INITIALS_LIMIT, PINYIN_LIMIT, pinyin_of

PINYIN_FIELDS = ("name_pinyin", "name_initials")


class PersonQuerySet(models.QuerySet):
    """Keeps a person's name and its pinyin together on every write that goes around save() (issue 12):
    `update(name=...)` and `bulk_update(..., ["name"])` write the pinyin too, and bulk_create fills it."""

    def update(self, **kwargs):
        if isinstance(kwargs.get("name"), str):
            kwargs["name_pinyin"], kwargs["name_initials"] = pinyin_of(kwargs["name"])
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        if "name" in fields:
            for person in objs:
                person.fill_pinyin()
            fields = [*fields, *(f for f in PINYIN_FIELDS if f not in fields)]
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for person in objs:
            person.fill_pinyin()
        return super().bulk_create(objs, *args, **kwargs)


class Person(models.Model):
    """A real human. The ID number is kept encrypted, with a keyed digest for lookups (NFR-1)."""

    class Sex(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")
        UNKNOWN = "", _("Unknown")

    name = models.CharField(max_length=64)
    # The name's pinyin and initials (accounts/people/pinyin.py), kept with the name by save() and by
    # PersonQuerySet, for prefix search: "dinglijia" and "dlj" find 丁丽佳 (issue 12). Indexed for
    # prefix matching (on PostgreSQL, db_index adds the varchar_pattern_ops index LIKE 'x%' uses).
    name_pinyin = models.CharField(max_length=PINYIN_LIMIT, blank=True, default="", db_index=True)
    name_initials = models.CharField(max_length=INITIALS_LIMIT, blank=True, default="", db_index=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True, default="")
    birth_date = models.DateField(null=True, blank=True)
    id_number_key = models.CharField(max_length=16, blank=True)
    id_number_cipher = models.BinaryField(null=True, blank=True)
    id_number_digest = models.CharField(max_length=64, null=True, blank=True)  # unique: Meta
    id_number_masked = models.CharField(max_length=18, blank=True)
    local_student_number = models.CharField(max_length=32, null=True, blank=True)  # unique: Meta
    # The national student number (全国学籍号) is usually "G" + the ID number: sealed like it (NFR-1).
    national_student_number_key = models.CharField(max_length=16, blank=True)
    national_student_number_cipher = models.BinaryField(null=True, blank=True)
    national_student_number_digest = models.CharField(max_length=64, null=True, blank=True)  # unique: Meta
    national_student_number_masked = models.CharField(max_length=32, blank=True)
    # The import job that created this row, so that undoing the import finds it set-based (IMP-4).
    created_by_import = models.BigIntegerField(null=True, blank=True, db_index=True)
    # Where the person's rows live (the partition-ready schema, docs/scaling.md): its account's home school,
    # kept equal to it by Account.save and sync_person_schools; none for a region's person.
    school_id = models.BigIntegerField(null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        # Unique as constraints, not as `unique=True`: on PostgreSQL Django gives a unique text field a second
        # index for LIKE (varchar_pattern_ops), which no query of a digest or number uses and every insert of a
        # person maintained (243,911 of them in a 100,000-student OneRoster import).
        constraints = [models.UniqueConstraint(fields=[name], name=f"one_person_per_{name}") for name in
                       ("id_number_digest", "local_student_number", "national_student_number_digest")]

    def fill_pinyin(self) -> None:
        """Set the pinyin columns from the name (save() and the bulk writes call it)."""
        self.name_pinyin, self.name_initials = pinyin_of(self.name)

    def save(self, *args, **kwargs):
        self.fill_pinyin()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, *PINYIN_FIELDS}
        super().save(*args, **kwargs)

    @staticmethod
    def id_number_fields(id_number: str | None) -> dict:
        """The columns a valid ID number sets (sealed, with the birth date it gives), or clears for none:
        for rows written in bulk; set_id_number sets the same on one person."""
        fields = sealed_id_fields(id_number)
        if id_number:
            fields["birth_date"] = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
        return fields

    def set_id_number(self, id_number: str | None) -> None:
        """Seal a valid ID number onto the person, or clear it (caller saves); the birth date follows."""
        for name, value in self.id_number_fields(id_number).items():
            setattr(self, name, value)

    def reveal_id_number(self) -> str:
        """The full number; callers go through services that audit the read."""
        if not self.id_number_cipher:
            return ""
        return open_id_number(self.id_number_key, self.id_number_cipher)

    def set_national_student_number(self, number: str | None) -> None:
        """Seal a canonical national student number onto the person, or clear it (caller saves)."""
        for name, value in sealed_national_student_number_fields(number).items():
            setattr(self, name, value)

    def reveal_national_student_number(self) -> str:
        """The full number; callers go through services that audit the read."""
        if not self.national_student_number_cipher:
            return ""
        return open_national_student_number(self.national_student_number_key,
                                            bytes(self.national_student_number_cipher))

    def __str__(self) -> str:
        return self.name


class AccountManager(BaseUserManager):
    use_in_migrations = True


class Account(AbstractBaseUser):
    """One login. A student's number is 8 or 9 digits; a parent logs in with the phone (ACC-2, ACC-3)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PENDING = "pending", _("Pending approval")
        FROZEN = "frozen", _("Frozen")
        LEFT = "left", _("Left school")
        GRADUATED = "graduated", _("Graduated")
        DELETED = "deleted", _("Deleted")

    number = models.CharField(max_length=16, unique=True)
    person = models.OneToOneField(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="account")
    phone = models.CharField(max_length=11, null=True, blank=True)  # unique: Meta
    email = models.EmailField(null=True, blank=True)  # unique: Meta
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)  # indexed: Meta
    status_changed_at = models.DateTimeField(default=timezone.now)
    # ACC-5: the state a frozen or deleted account returns to when it is unfrozen or restored.
    previous_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    # The school that answers for this account (its admin restores, resets, unfreezes).
    home_school = models.ForeignKey(School, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # AUTH-2: while an initial password is outstanding, `password` is unusable and this keyed digest
    # verifies it in microseconds; the rule says how it was made (shown on the admin settings page).
    initial_password_rule = models.CharField(max_length=24, blank=True)
    initial_password_digest = models.CharField(max_length=64, blank=True)
    initial_password_issued_at = models.DateTimeField(null=True, blank=True)
    # A random initial password is also kept sealed until first use, so account slips can be printed
    # again; a rule-derived one is recomputed from its rule.
    initial_password_sealed = models.BinaryField(null=True, blank=True)
    # Bumped by every password change or reset: ends other sessions, tokens and login locks (AUTH-8).
    credentials_epoch = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    # The import job that created this row, so that undoing the import finds it set-based (IMP-4).
    created_by_import = models.BigIntegerField(null=True, blank=True, db_index=True)

    USERNAME_FIELD = "number"
    objects = AccountManager()

    class Meta:
        # As Person's: without the LIKE indexes of `unique=True` and `db_index=True` (the number keeps its own:
        # an admin finds accounts by the number's first digits).
        constraints = [models.UniqueConstraint(fields=["phone"], name="one_account_per_phone"),
                       models.UniqueConstraint(fields=["email"], name="one_account_per_email")]
        indexes = [models.Index(fields=["status"], name="account_status")]

    @property
    def has_initial_password(self) -> bool:
        return bool(self.initial_password_digest)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if self.person_id and (update_fields is None or {"home_school", "home_school_id", "person"} & {*update_fields}):
            # The person's copy of the home school moves with it; an unchanged one is not written again.
            Person.objects.filter(pk=self.person_id).exclude(school_id=self.home_school_id).update(
                school_id=self.home_school_id)

    def get_session_auth_hash(self) -> str:
        return salted_hmac(
            "renrentong.accounts.Account.session",
            f"{self.password}:{self.credentials_epoch}",
            algorithm="sha256",
        ).hexdigest()

    def __str__(self) -> str:
        return self.number


REGION_ADMIN_LABELS = {
    Region.Kind.PROVINCE: _("Province admin"),
    Region.Kind.CITY: _("City admin"),
    Region.Kind.DISTRICT: _("District admin"),
}


class Identity(models.Model):
    """What an account can act as (ACC-1). A guardian identity covers all of the person's children."""

    class Kind(models.TextChoices):
        STUDENT = "student", _("Student")
        GUARDIAN = "guardian", _("Parent")
        TEACHER = "teacher", _("Teacher")
        SCHOOL_ADMIN = "school_admin", _("School admin")
        REGION_ADMIN = "region_admin", _("Region admin")

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="identities")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT, related_name="identities")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="identities")
    created_at = models.DateTimeField(default=timezone.now)
    # The import job that created this row, so that undoing the import finds it set-based (IMP-4).
    created_by_import = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name_plural = "identities"
        constraints = [
            models.UniqueConstraint(
                "account", "kind", Coalesce("school", Value(0)), Coalesce("region", Value(0)),
                name="one_identity_per_kind_and_place",
            )
        ]

    def label(self) -> str:
        """e.g. “Teacher · No. 1 Middle School”, shown in the identity switcher."""
        if self.kind == self.Kind.REGION_ADMIN and self.region_id:
            return f"{REGION_ADMIN_LABELS[self.region.kind]} · {self.region.name}"
        place = self.school.name if self.school_id else ""
        return f"{self.get_kind_display()} · {place}" if place else str(self.get_kind_display())


class Enrollment(models.Model):
    """A person in a class from a date to a date; history is rows, never overwritten (ARCHITECTURE)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="enrollments")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.PROTECT, related_name="enrollments")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=32, blank=True)
    # The import job that created this row, so that undoing the import finds it set-based (IMP-4).
    created_by_import = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(ended_on__isnull=True), name="one_open_enrollment"
            )
        ]
        indexes = [models.Index(fields=["school_class", "ended_on"]), models.Index(fields=["school", "ended_on"])]


class SchoolRowQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        self.model.fill_school(objs)
        return super().bulk_create(objs, *args, **kwargs)


class SchoolRow(models.Model):
    """A row that carries the school it belongs to (the partition-ready schema, docs/scaling.md), found from
    the row it hangs off by `fill_school` when it is saved or bulk-created, so no writer has to look it up."""

    school_id = models.BigIntegerField()

    objects = SchoolRowQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def fill_school(cls, rows) -> None:
        raise NotImplementedError

    def save(self, *args, **kwargs):
        if self.school_id is None:
            type(self).fill_school([self])
        super().save(*args, **kwargs)


class ClassRow(SchoolRow):
    """A row of one class: its class's school."""

    class Meta:
        abstract = True

    @classmethod
    def fill_school(cls, rows) -> None:
        missing = {row.school_class_id for row in rows if row.school_id is None}
        if missing:
            schools = dict(SchoolClass.objects.filter(pk__in=missing).values_list("pk", "school_id"))
            for row in rows:
                if row.school_id is None:
                    row.school_id = schools.get(row.school_class_id)


def sync_person_schools(account_ids) -> None:
    """Each person's school_id set to its account's home school, for the writers that move home schools
    set-based (QuerySet.update and bulk inserts skip Account.save)."""
    home = Account.objects.filter(person_id=models.OuterRef("pk")).values("home_school_id")[:1]
    for chunk in chunks(sorted(set(account_ids))):
        Person.objects.filter(account__in=chunk).update(school_id=models.Subquery(home))


def current_schools(person_ids) -> dict[int, int]:
    """Each student's current school: of the open enrollment, else of the latest ended one."""
    schools: dict[int, int] = {}
    for chunk in chunks(sorted(set(person_ids))):  # a bulk_create of a whole import's links
        for person_id, school_id in Enrollment.objects.filter(among("person_id", chunk)).order_by(
                models.F("ended_on").desc(nulls_first=True), "-pk").values_list("person_id", "school_id"):
            schools.setdefault(person_id, school_id)
    return schools


class StudentRow(SchoolRow):
    """A row about one student: the student's current school, 0 for a person never enrolled (a region's row);
    it follows the student to a new school (accounts.following)."""

    class Meta:
        abstract = True

    @classmethod
    def fill_school(cls, rows) -> None:
        missing = [row for row in rows if row.school_id is None]
        if missing:
            schools = current_schools(row.student_id for row in missing)
            for row in missing:
                row.school_id = schools.get(row.student_id, 0)


class Guardianship(StudentRow):
    class Relation(models.TextChoices):
        FATHER = "father", _("Father")
        MOTHER = "mother", _("Mother")
        GUARDIAN = "guardian", _("Guardian")
        OTHER = "other", _("Other")
        # A parent whose father-or-mother the school was not told (a OneRoster package says only "parent").
        PARENT = "parent", _("Parent")

    guardian = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="wards")
    student = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="guardianships")
    relation = models.CharField(max_length=16, choices=Relation.choices, default=Relation.GUARDIAN)
    # The import job that created this row, so that undoing the import finds it set-based (IMP-4).
    created_by_import = models.BigIntegerField(null=True, blank=True, db_index=True)

    # A link the school made by hand (a parent added to a student on the users page); with
    # created_by_import it marks the school's own links, whose guardians set a child's password for good.
    added_by_school = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["guardian", "student", "school_id"], name="one_guardianship")]

    @property
    def made_by_school(self) -> bool:
        return self.created_by_import is not None or self.added_by_school


class LinkRequest(StudentRow):
    """A link asked for by a child's name and ID number: both can be known to strangers, so it gives
    nothing until an existing guardian confirms it, or the class head teacher or school admin does
    when the child has none. Kept apart from Guardianship so that no reader of links can see it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        REFUSED = "refused", _("Refused")
        CANCELLED = "cancelled", _("Withdrawn")

    guardian = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="link_requests")
    student = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    relation = models.CharField(max_length=16, choices=Guardianship.Relation.choices,
                                default=Guardianship.Relation.GUARDIAN)
    how = models.CharField(max_length=16, default="id_number")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_as = models.CharField(max_length=16, blank=True)  # guardian | teacher | school_admin | self
    guardianship = models.ForeignKey(Guardianship, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["guardian", "student", "school_id"],
                                    condition=models.Q(status="pending"), name="one_pending_link_request")
        ]


class TeachingAssignment(ClassRow):
    teacher = models.ForeignKey(Identity, on_delete=models.CASCADE, related_name="teaching")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="teaching")
    subject = models.CharField(max_length=32)
    # The import job that created this row, so that undoing the import finds it set-based (IMP-4).
    created_by_import = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["teacher", "school_class", "subject", "school_id"], name="one_assignment")
        ]


class CourseArrangement(ClassRow):
    """A subject a class has (课程安排, ADM-2): the teaching grid offers a teacher cell for each one."""

    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="courses")
    subject = models.CharField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school_class", "subject", "school_id"],
                                               name="one_course_per_subject")]


class HeadTeacher(ClassRow):
    """The class head teacher (班主任) of a class."""

    school_class = models.OneToOneField(SchoolClass, on_delete=models.CASCADE, related_name="head_teacher")
    teacher = models.ForeignKey(Identity, on_delete=models.CASCADE, related_name="headed_classes")
    # The import job that created this row, so that undoing the import finds it set-based (IMP-4).
    created_by_import = models.BigIntegerField(null=True, blank=True, db_index=True)


class LoginEvent(models.Model):
    """Every login, failure and lock (AUTH-7). The identifier is kept masked, never in full (NFR-1)."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    account = models.ForeignKey(Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The account's home school at the time (None: a region's account, or nobody matched the identifier).
    school_id = models.BigIntegerField(null=True, blank=True)
    identifier = models.CharField(max_length=32, blank=True)
    source = models.GenericIPAddressField(null=True, blank=True)
    channel = models.CharField(max_length=8, default="web")
    outcome = models.CharField(max_length=32)


class ApiToken(models.Model):
    """A bearer token for mobile clients. Only its SHA-256 is stored."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="tokens")
    school_id = models.BigIntegerField(null=True, blank=True)  # the account's home school when issued
    identity = models.ForeignKey(Identity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    digest = models.CharField(max_length=64, unique=True)
    epoch = models.PositiveIntegerField()
    must_change_password = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()


class LoginCounter(models.Model):
    """A login throttling counter in the database (AUTH-7): durable across a Redis restart or flush,
    and raised by one atomic upsert so parallel workers can never read the same value (throttle.py).
    `window_start` is a Unix time in seconds; a counter older than its window starts again at 1."""

    key = models.CharField(max_length=160, unique=True)
    count = models.IntegerField(default=0)
    window_start = models.BigIntegerField(default=0)


class SchoolNetwork(models.Model):
    """A public address or CIDR a school's network logs in from (its NAT), with a higher per-source
    threshold before a challenge is asked: hundreds of children behind one address are not a spray."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="networks")
    network = models.CharField(max_length=64)  # normalised, e.g. "101.6.8.0/28" or "101.6.8.7/32"
    # The /24 (IPv6: /48) holding the network (networks.block_of): a login looks up its own block only.
    block = models.CharField(max_length=64, db_index=True, default="")
    threshold = models.PositiveIntegerField()
    note = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "network"], name="school_network_unique")]

    def save(self, *args, **kwargs):
        import ipaddress

        network = ipaddress.ip_network(self.network, strict=False)
        widest = 24 if network.version == 4 else 48  # networks.WIDEST_V4, WIDEST_V6
        self.block = str(ipaddress.ip_network(f"{network.network_address}/{widest}", strict=False))
        super().save(*args, **kwargs)
