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
