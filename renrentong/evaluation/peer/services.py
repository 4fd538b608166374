"""The verbs of peer evaluation (学生互评, EVA-5): the city admin and the school admins turn their switches, a
graduating grade-9 student rates a classmate of their own class once on every criterion. Each verb checks,
changes in one transaction and is audited; a rating's audit record says "rated 1 classmate", never whom."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError

from renrentong.evaluation import selectors as evaluation
from renrentong.evaluation.models import PeerCriterion, PeerRating, PeerSwitch
from renrentong.evaluation.peer import access, selectors
from renrentong.evaluation.peer.standard import GRADES, STANDARD_CRITERIA


def install_criteria(city_id: int, school_year: int) -> int:
    """Give a city's year the standard criteria unless it has some; returns how many were added. Runs when
    the city admin first turns the year's switch on, in the same transaction."""
    if PeerCriterion.objects.filter(region_id=city_id, school_id__isnull=True, school_year=school_year).exists():
        return 0
    PeerCriterion.objects.bulk_create([
        PeerCriterion(region_id=city_id, school_year=school_year, code=code, label=label, hint=hint, position=n)
        for n, (code, label, hint) in enumerate(STANDARD_CRITERIA)])
    return len(STANDARD_CRITERIA)


def set_switch(actor: Actor, school_year: int, on: bool) -> PeerSwitch:
    """The city admin turns the city's switch, a school admin their school's; students rate only while both
    are on. Turning the city's on for a year with no criteria gives it the standard ones."""
    if not access.sets_switch(actor):
        raise UserFacingError("evaluation.peer_switch_not_yours")
    if not 2000 <= school_year <= 2100:
        raise UserFacingError("field.invalid", field="school_year")
    if access.sets_city_switch(actor):
        city = evaluation.city_above(actor.identity.region)
        place = {"region_id": city.pk, "school_id": None}
    else:
        place = {"region_id": None, "school_id": actor.identity.school_id}
    with transaction.atomic():
        switch, _ = PeerSwitch.objects.update_or_create(
            **place, school_year=school_year,
            defaults={"is_on": on, "set_by": actor.account, "updated_at": timezone.now()})
        added = install_criteria(place["region_id"], school_year) if on and place["region_id"] else 0
        audit.record(actor, "evaluation.peer_switch", switch,
                     {"school_year": school_year, "on": on, "level": "city" if place["region_id"] else "school",
                      **({"criteria_added": added} if added else {})}, school_id=place["school_id"])
    return switch


MAX_CRITERIA = 10


def _checked_criteria(criteria: list[tuple[str, str]]) -> list[tuple[str, str]]:
    cleaned = [(label.strip(), hint.strip()) for label, hint in criteria if label.strip() or hint.strip()]
    if not 1 <= len(cleaned) <= MAX_CRITERIA:
        raise UserFacingError("evaluation.peer_criteria_count", limit=MAX_CRITERIA)
    seen: set[str] = set()
    for n, (label, hint) in enumerate(cleaned, start=1):
        if not 1 <= len(label) <= 32:
            raise UserFacingError("evaluation.peer_criterion_label", n=n)
        if len(hint) > 100:
            raise UserFacingError("evaluation.peer_criterion_hint", n=n)
        if label in seen:
            raise UserFacingError("evaluation.peer_criterion_duplicate", label=label)
        seen.add(label)
    return cleaned


def set_criteria(actor: Actor, school_year: int, criteria: list[tuple[str, str]]) -> list[PeerCriterion]:
    """The city admin sets the year's criteria (name and hint, in order) until the first rating: after it, a
    changed criterion would make the grades already given stand for something else. Rows are kept in place by
    position (new ones added, surplus ones removed), so a rating racing this change meets a protected row
    instead of a dangling one."""
    if not access.sets_criteria(actor):
        raise UserFacingError("evaluation.peer_criteria_not_yours")
    if not 2000 <= school_year <= 2100:
        raise UserFacingError("field.invalid", field="school_year")
    wanted = _checked_criteria(criteria)
    city = evaluation.city_above(actor.identity.region)
    with transaction.atomic():
        existing = list(PeerCriterion.objects.select_for_update().filter(
            region_id=city.pk, school_id__isnull=True, school_year=school_year).order_by("position", "pk"))
        if selectors.criteria_in_use(existing):
            raise UserFacingError("evaluation.peer_criteria_in_use", year=school_year)
        for position, (row, (label, hint)) in enumerate(zip(existing, wanted)):
            row.label, row.hint, row.position = label, hint, position
            row.save(update_fields=["label", "hint", "position"])
        taken = {row.code for row in existing}
        for position, (label, hint) in enumerate(wanted[len(existing):], start=len(existing)):
            code = next(f"criterion_{n}" for n in range(1, 100) if f"criterion_{n}" not in taken)
            taken.add(code)
            PeerCriterion.objects.create(region_id=city.pk, school_year=school_year, code=code, label=label,
                                         hint=hint, position=position)
        try:
            with transaction.atomic():
                PeerCriterion.objects.filter(pk__in=[row.pk for row in existing[len(wanted):]]).delete()
        except IntegrityError:  # a rating landed meanwhile on a criterion being removed
            raise UserFacingError("evaluation.peer_criteria_in_use", year=school_year) from None
        audit.record(actor, "evaluation.peer_criteria", city,
                     {"school_year": school_year, "criteria": [label for label, _ in wanted]}, school_id=None)
    return selectors.criteria_of(city.pk, school_year)


def rate(actor: Actor, classmate_id: int, grades: dict[int, str]) -> int:
    """Rate one classmate on every criterion at once (criterion id -> "A".."D"). Final: a pair is rated once
    (the unique key holds it when two submits race), and a rating is never changed. Returns how many
    classmates the student has rated now."""
    found = selectors.standing(actor)
    if found.closed is not None:
        raise found.closed
    if classmate_id == found.person.pk:
        raise UserFacingError("evaluation.peer_not_yourself")
    classmate = next((c for c in found.classmates if c.person.pk == classmate_id), None)
    if classmate is None:
        raise UserFacingError("evaluation.peer_not_classmate")
    if classmate.rated:
        raise UserFacingError("evaluation.peer_already_rated")
    known = {c.pk for c in found.criteria}
    if set(grades) - known:
        raise UserFacingError("evaluation.peer_criterion_unknown")
    if set(grades) != known or any(g not in GRADES for g in grades.values()):
        raise UserFacingError("evaluation.peer_grades_incomplete")
    rows = [PeerRating(school_id=found.school.pk, class_id=found.school_class.pk, school_year=found.school_year,
                       rater=found.person, ratee=classmate.person, criterion_id=criterion_id, grade=grade)
            for criterion_id, grade in sorted(grades.items())]
    try:
        with transaction.atomic():
            PeerRating.objects.bulk_create(rows)
            # "Rated 1 classmate": the audit log holds that the student took part, never whom they rated.
            audit.record(actor, "evaluation.peer_rate", None,
                         {"school_year": found.school_year, "classmates": 1, "criteria": len(rows)},
                         school_id=found.school.pk)
    except IntegrityError:
        raise UserFacingError("evaluation.peer_already_rated") from None
    return found.rated_count + 1
