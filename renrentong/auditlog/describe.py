"""The audit log in words (AUTH-5): who (name, account, identity), whose (masked), what and how, for the
verbs of every app. Names of people are masked; ID numbers never appear."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renrentong.core.masking import mask_name
from renrentong.core.models import AuditEvent
from renrentong.orgs.policy import RULE_LABELS

from renrentong.accounts.models import Account, Guardianship, Identity, Person


def describe(events: list[AuditEvent]) -> list[dict]:
    """Who (name, account, identity), whose (masked name and account), when and how, in a few queries."""
    account_ids = {e.actor_account_id for e in events if e.actor_account_id}
    account_ids |= {e.target_id for e in events if e.target_type == "account"}
    accounts = Account.objects.select_related("person").in_bulk(account_ids)
    person_ids = {e.target_id for e in events if e.target_type == "person"}
    people = Person.objects.in_bulk(person_ids)
    numbers = dict(Account.objects.filter(person_id__in=person_ids).values_list("person_id", "number"))
    identities = Identity.objects.select_related("school", "region").in_bulk(
        {e.actor_identity_id for e in events if e.actor_identity_id})
    targets = describe_targets(events)
    rows = []
    for event in events:
        who = accounts.get(event.actor_account_id)
        identity = identities.get(event.actor_identity_id)
        whose_name, whose_number = "", ""
        if event.target_type == "account" and event.target_id in accounts:
            target = accounts[event.target_id]
            whose_name = target.person.name if target.person_id else ""
            whose_number = target.number
        elif event.target_type == "person" and event.target_id in people:
            whose_name = people[event.target_id].name
            whose_number = numbers.get(event.target_id, "")
        if event.target_type in ("account", "person") and event.target_id and not (whose_name or whose_number):
            whose_name = ""
            gone = _("%(what)s (deleted)") % {"what": _("Account") if event.target_type == "account" else _("Person")}
        else:
            gone = ""
        who_name = who.person.name if who and who.person_id else ""
        rows.append({
            "id": event.pk,
            "at": event.at,
            "verb": event.verb,
            "kind": str(EVENT_KINDS.get(event.verb, event.verb)),
            "who_name": who_name,
            "who_account": who.number if who else "",
            "who_identity": identity.label() if identity else "",
            "whose_name": mask_name(whose_name),
            "whose_account": whose_number,
            "target": gone or ("" if whose_number or whose_name
                               else targets.get((event.target_type, event.target_id), "")),
            "how": how_of(event),
            "school_id": event.school_id,
        })
    return rows


# What a record concerns, in words, for targets that are neither a person nor an account (issue 10:
# the page said "schoolclass#2"). Names of people are masked; ID numbers never appear.
TARGET_WORDS = {
    "school": gettext_lazy("School"),
    "region": gettext_lazy("Region"),
    "campus": gettext_lazy("Campus"),
    "stage": gettext_lazy("Stage"),
    "cohort": gettext_lazy("Grade"),
    "schoolclass": gettext_lazy("Class"),
    "identity": gettext_lazy("Identity"),
    "policy": gettext_lazy("Account settings"),
    "faqentry": gettext_lazy("FAQ entry"),
    "importjob": gettext_lazy("Roster import"),
    "importrow": gettext_lazy("Roster import row"),
    "transferrequest": gettext_lazy("Transfer request"),
    "keyinfochange": gettext_lazy("Key information change"),
    "registrycomparison": gettext_lazy("Comparison with the official registry"),
    "registryentry": gettext_lazy("Real-name registry entry"),
    "binding": gettext_lazy("Real-name verification"),
    "registrationapplication": gettext_lazy("Teacher registration"),
    "systemchangerequest": gettext_lazy("School system change request"),
    "adminapplication": gettext_lazy("School admin application"),
    "rolloverrun": gettext_lazy("School year rollover"),
    "activity": gettext_lazy("Activity"),
    "signup": gettext_lazy("Activity sign-up"),
    "peerswitch": gettext_lazy("Peer evaluation switch"),
    "reviewerappointment": gettext_lazy("Evaluation reviewer"),
    "publicdisplay": gettext_lazy("Public display of evaluation material"),
    "displayobjection": gettext_lazy("Objection to the public display"),
    "practicequestion": gettext_lazy("Practice question"),
    "practicepaper": gettext_lazy("Practice paper"),
    "practiceattempt": gettext_lazy("Practice attempt"),
}


def _in_school(text: str, school: Any) -> str:
    return f"{text} ({school.name})" if school is not None else text


def _person_words(person: Any) -> str:
    return mask_name(person.name) if person is not None else ""


def _describe_one(kind: str, obj: Any) -> str:
    word = str(TARGET_WORDS.get(kind, _("Record")))
    if kind in ("school", "region"):
        return obj.name
    if kind == "campus":
        return _in_school(f"{word} {obj.name}", obj.school)
    if kind == "stage":
        return _in_school(str(obj.get_level_display()), obj.campus.school)
    if kind == "cohort":
        school = obj.stage.campus.school
        return _in_school(obj.grade_name(school.school_year), school)
    if kind == "schoolclass":
        return _in_school(obj.display_name(), obj.school)
    if kind == "identity":
        return obj.label()
    if kind == "policy":
        return f"{word} ({(obj.school or obj.region).name})" if (obj.school_id or obj.region_id) else word
    if kind == "importjob":
        return _in_school(f"{word} {obj.file_name}".strip(), obj.school or obj.region)
    if kind in ("transferrequest", "keyinfochange"):
        return f"{word}: {_person_words(obj.person)}"
    if kind == "registrycomparison":
        return _in_school(f"{word} {obj.file_name}".strip(), obj.school)
    if kind == "registryentry":
        return _in_school(f"{word}: {mask_name(obj.name)}", obj.school)
    if kind in ("binding", "adminapplication", "registrationapplication"):
        person = obj.account.person if obj.account.person_id else None
        return _in_school(f"{word}: {_person_words(person)}", getattr(obj, "school", None))
    if kind == "systemchangerequest":
        return _in_school(word, obj.school)
    if kind == "rolloverrun":
        return _in_school(f"{word} {obj.from_year}→{obj.to_year}", obj.school)
    return word


_TARGET_MODELS = {
    "school": ("orgs.School", ()), "region": ("orgs.Region", ()), "campus": ("orgs.Campus", ("school",)),
    "stage": ("orgs.Stage", ("campus__school",)), "cohort": ("orgs.Cohort", ("stage__campus__school",)),
    "schoolclass": ("orgs.SchoolClass", ("school", "cohort__stage")),
    "identity": ("accounts.Identity", ("school", "region")),
    "policy": ("orgs.Policy", ("school", "region")), "importjob": ("rosters.ImportJob", ("school", "region")),
    "transferrequest": ("schooladmin.TransferRequest", ("person",)),
    "keyinfochange": ("keyinfo.KeyInfoChange", ("person",)),
    "registrycomparison": ("keyinfo.RegistryComparison", ("school",)),
    "registryentry": ("realname.RegistryEntry", ("school",)),
    "binding": ("realname.Binding", ("account__person",)),
    "registrationapplication": ("realname.RegistrationApplication", ("account__person", "school")),
    "systemchangerequest": ("orgs.SystemChangeRequest", ("school",)),
    "adminapplication": ("orgs.AdminApplication", ("account__person", "school")),
    "rolloverrun": ("rollover.RolloverRun", ("school",)),
    "peerswitch": ("evaluation.PeerSwitch", ()),
}


def describe_targets(events: list[AuditEvent]) -> dict[tuple[str, int | None], str]:
    """{(target_type, target_id): words} for the events' non-person targets, one query per kind. A
    target deleted since is named by its kind ("班级(已删除)"), never by an internal id."""
    wanted: dict[str, set[int]] = {}
    for event in events:
        if event.target_type and event.target_type not in ("account", "person"):
            wanted.setdefault(event.target_type, set()).add(event.target_id)
    found: dict[tuple[str, int | None], str] = {}
    for kind, ids in wanted.items():
        model, related = _TARGET_MODELS.get(kind, (None, ()))
        objects = {}
        if model:
            objects = apps.get_model(model).objects.select_related(*related).in_bulk(
                {i for i in ids if i is not None})
        for target_id in ids:
            obj = objects.get(target_id)
            word = str(TARGET_WORDS.get(kind, _("Record")))
            found[(kind, target_id)] = (_describe_one(kind, obj) if obj is not None
                                        else _("%(what)s (deleted)") % {"what": word})
    return found


def how_of(event: AuditEvent) -> str:
    details = event.details or {}
    how = details.get("how", "")
    if event.verb == "password.reset":
        label = {"default": _("to the default password"), "custom": _("to a password the admin typed"),
                 "parent": _("new password set by a parent")}.get(how, how)
        if how == "default" and details.get("rule") in RULE_LABELS:
            label = f"{label} ({RULE_LABELS[details['rule']]})"
        batch = details.get("batch", 1)
        if batch and batch > 1:
            return f"{label} · " + _("batch of %(n)s") % {"n": batch}
        return str(label)
    if event.verb == "evaluation.peer_switch":
        state = _("on") if details.get("on") else _("off")
        return f"{details.get('school_year', '')} · {state}"
    if event.verb == "evaluation.peer_criteria":
        return f"{details.get('school_year', '')} · " + "、".join(details.get("criteria", []))
    if event.verb == "evaluation.peer_rate":
        return _("rated %(n)s classmates") % {"n": details.get("classmates", 0)}
    if event.verb == "children.unlink":
        return _("removed by the school") if details.get("by") == "school" else _("by the parent")
    if event.verb == "audit.export":
        shown = _("%(n)s records") % {"n": details.get("rows", 0)}
        kind = details.get("kind", "")
        chosen = [str(EVENT_KINDS.get(kind, kind)) if kind else "", details.get("date_from", ""),
                  details.get("date_to", "")]
        return " · ".join([shown] + [c for c in chosen if c])
    if event.verb == "users.export":
        shown = _("%(n)s records") % {"n": details.get("rows", 0)}
        return f"{shown} · " + _("chosen rows") if details.get("chosen") else shown
    if event.verb in ("children.link", "children.link_requested"):
        return {"id_number": _("by name and ID number"), "account": _("by student account and password")}.get(
            how, how)
    parts = []
    if details.get("relation"):
        relation = details["relation"]
        label = Guardianship.Relation(relation).label if relation in Guardianship.Relation.values else relation
        parts.append(_("Relation: %(relation)s") % {"relation": label})
    if event.verb in ("children.link_confirmed", "children.link_refused"):
        by = {"guardian": _("decided by a parent already linked"), "teacher": _("decided by the class head teacher"),
              "school_admin": _("decided by the school admin")}.get(details.get("by", ""))
        if by:
            parts.append(by)
    parts += [f"{k}={v}" for k, v in details.items() if k in ("how", "changes")]
    return " · ".join(str(p) for p in parts)[:200]


EVENT_KINDS = {
    "audit.export": gettext_lazy("Audit log exported"),
    "password.reset": gettext_lazy("Password reset by someone else"),
    "password.change": gettext_lazy("Password changed by its owner"),
    "person.reveal_id_number": gettext_lazy("Full ID number viewed"),
    "person.reveal_phone": gettext_lazy("Full phone number viewed"),
    "export.start": gettext_lazy("Export started"),
    "export.retry": gettext_lazy("Export made again"),
    "export.download": gettext_lazy("Export file downloaded"),
    "help.contact": gettext_lazy("Support contact changed"),
    "help.faq_add": gettext_lazy("FAQ entry added"),
    "help.faq_update": gettext_lazy("FAQ entry changed"),
    "help.faq_delete": gettext_lazy("FAQ entry removed"),
    "apps.register": gettext_lazy("App registered for platform sign-in"),
    "apps.suspend": gettext_lazy("App suspended"),
    "apps.resume": gettext_lazy("App resumed"),
    "oidc.authorize": gettext_lazy("Signed in to an app through the platform"),
    "oidc.code_reused": gettext_lazy("An app's sign-in code was used twice: its tokens were revoked"),
    "oidc.logout": gettext_lazy("Signed out of the apps opened with a sign-in"),
    "oidc.consent_withdrawn": gettext_lazy("Withdrew an app's permission to sign in without asking"),
    "oneroster.export": gettext_lazy("OneRoster roster package exported"),
    "import.accounts_download": gettext_lazy("New accounts of an import downloaded"),
    "person.reveal_national_student_number": gettext_lazy("Full national student number viewed"),
    "children.link": gettext_lazy("Child linked to a parent"),
    "children.unlink": gettext_lazy("Child unlinked from a parent"),
    "children.link_requested": gettext_lazy("Parent asked to link a child"),
    "children.link_confirmed": gettext_lazy("Link of a parent confirmed"),
    "children.link_refused": gettext_lazy("Link of a parent refused"),
    "children.link_cancelled": gettext_lazy("Link request withdrawn"),
    "policy.update": gettext_lazy("Account settings changed"),
    "admin_roles.apply": gettext_lazy("Applied to be school admin"),
    "admin_roles.appoint": gettext_lazy("School admin appointed"),
    "admin_roles.remove": gettext_lazy("School admin role removed"),
    "class_change.approve": gettext_lazy("Class change approved"),
    "class_change.refuse": gettext_lazy("Class change refused"),
    "class_change.request": gettext_lazy("Class change requested"),
    "class_change.withdraw": gettext_lazy("Class change request withdrawn"),
    "import.upload": gettext_lazy("Roster file uploaded"),
    "import.commit": gettext_lazy("Roster import committed"),
    "import.cancel": gettext_lazy("Roster import cancelled"),
    "import.undo": gettext_lazy("Roster import undone"),
    "import.rejected_download": gettext_lazy("Rows that did not go in downloaded"),
    "keyinfo.decide": gettext_lazy("Key information change decided"),
    "keyinfo.export_incomplete": gettext_lazy("Incomplete key information exported"),
    "keyinfo.propose": gettext_lazy("Key information change proposed"),
    "keyinfo.registry_compare": gettext_lazy("Compared with the official registry"),
    "keyinfo.reveal_proposed_id_number": gettext_lazy("Proposed ID number viewed in full"),
    "keyinfo.reveal_proposed_national_student_number": gettext_lazy("Proposed national student number viewed in full"),
    "keyinfo.update": gettext_lazy("Key information changed by the school"),
    "password.recover": gettext_lazy("Password recovered by its owner"),
    "phone.change": gettext_lazy("Phone bound or changed"),
    "phone.unbind": gettext_lazy("Phone unbound by an admin"),
    "realname.add": gettext_lazy("Registry entry added"),
    "realname.correct_name": gettext_lazy("Registry name corrected"),
    "realname.import": gettext_lazy("Registry imported"),
    "realname.lookup_holder": gettext_lazy("Looked up who holds an ID number"),
    "realname.replace_id_number": gettext_lazy("Registry ID number replaced"),
    "realname.reveal_id_number": gettext_lazy("Registry ID number viewed in full"),
    "realname.unbind": gettext_lazy("Real-name verification removed"),
    "realname.verify": gettext_lazy("Real-name verification"),
    "registration.approve": gettext_lazy("Teacher registration approved"),
    "registration.refuse": gettext_lazy("Teacher registration refused"),
    "registration.resubmit": gettext_lazy("Teacher registration submitted again"),
    "registration.submit": gettext_lazy("Teacher registration submitted"),
    "rollover.run": gettext_lazy("School year rollover"),
    "rollover.undo": gettext_lazy("School year rollover undone"),
    "roster.export": gettext_lazy("Roster exported"),
    "import.list_export": gettext_lazy("Roster imports list exported"),
    "transfer.export": gettext_lazy("Decided transfers exported"),
    "keyinfo.table_export": gettext_lazy("Key information table exported"),
    "realname.registry_export": gettext_lazy("Real-name registry exported"),
    "registration.export": gettext_lazy("Teacher registrations exported"),
    "second_factor.totp_enrolled": gettext_lazy("Authenticator app added"),
    "slips.print": gettext_lazy("Account slips printed"),
    "structure.campus_create": gettext_lazy("Campus created"),
    "structure.class_delete": gettext_lazy("Class deleted"),
    "structure.classes_add": gettext_lazy("Classes added"),
    "structure.grade_add": gettext_lazy("Grade added"),
    "structure.naming": gettext_lazy("Grade and class naming changed"),
    "structure.stage_add": gettext_lazy("Stage added"),
    "teaching.assign": gettext_lazy("Teaching assignments changed"),
    "teaching.courses": gettext_lazy("Course arrangement changed"),
    "teaching.drop": gettext_lazy("Teacher dropped a class"),
    "teaching.take": gettext_lazy("Teacher took a class"),
    "tenant.register": gettext_lazy("School registered"),
    "tenant.system_request": gettext_lazy("School system change requested"),
    "tenant.system_set": gettext_lazy("School system set"),
    "transfer.approve": gettext_lazy("Transfer approved"),
    "transfer.complete": gettext_lazy("Transfer completed"),
    "transfer.refuse": gettext_lazy("Transfer refused"),
    "transfer.request": gettext_lazy("Transfer requested"),
    "transfer.withdraw": gettext_lazy("Transfer withdrawn"),
    "users.class_change": gettext_lazy("Class changed"),
    "users.create": gettext_lazy("User added"),
    "users.delete": gettext_lazy("User deleted to the recycle bin"),
    "users.export": gettext_lazy("User table exported"),
    "users.freeze": gettext_lazy("User frozen"),
    "users.leave": gettext_lazy("Marked as left school"),
    "users.reinstate": gettext_lazy("User reinstated"),
    "users.remove_from_class": gettext_lazy("Removed from class"),
    "users.restore": gettext_lazy("User restored from the recycle bin"),
    "users.unfreeze": gettext_lazy("User unfrozen"),
    "users.update": gettext_lazy("User edited"),
    # Issue 13: notices, class groups, posts and spaces, push, WeChat.
    "notice.send": gettext_lazy("Notice sent"),
    "notice.recall": gettext_lazy("Notice recalled"),
    "notice.cancel": gettext_lazy("Scheduled notice cancelled"),
    "notice.correct": gettext_lazy("Notice corrected"),
    "notice.remind": gettext_lazy("Unread readers reminded"),
    "notice.unread_export": gettext_lazy("Unread readers exported"),
    "class_message.send": gettext_lazy("Class group message sent"),
    "classgroup.file": gettext_lazy("Class group file shared"),
    "classgroup.join_request": gettext_lazy("Asked to join a class group"),
    "classgroup.join_approve": gettext_lazy("Class group join approved"),
    "classgroup.join_refuse": gettext_lazy("Class group join refused"),
    "classgroup.remove": gettext_lazy("Removed from a class group"),
    "classgroup.reply": gettext_lazy("Class group reply"),
    "classgroup.setting": gettext_lazy("Class group setting changed"),
    "evaluation.catalogue_install": gettext_lazy("Evaluation items set up for a school year"),
    "evaluation.dimension_add": gettext_lazy("Evaluation dimension added"),
    "evaluation.dimension_rename": gettext_lazy("Evaluation dimension renamed"),
    "evaluation.item_add": gettext_lazy("Evaluation item added"),
    "evaluation.item_rename": gettext_lazy("Evaluation item renamed"),
    "evaluation.item_retire": gettext_lazy("Evaluation item retired"),
    "evaluation.item_restore": gettext_lazy("Evaluation item used again"),
    "evaluation.window_set": gettext_lazy("Submission dates set"),
    "evaluation.record_create": gettext_lazy("Written record created"),
    "evaluation.record_update": gettext_lazy("Written record edited"),
    "evaluation.record_delete": gettext_lazy("Written record deleted"),
    "evaluation.submit": gettext_lazy("Evaluation material submitted"),
    "evaluation.withdraw": gettext_lazy("Evaluation material withdrawn"),
    "evaluation.reopen": gettext_lazy("Approved material reopened"),
    "evaluation.approve": gettext_lazy("Evaluation material approved"),
    "evaluation.fail": gettext_lazy("Evaluation material not approved"),
    "evaluation.progress_remind": gettext_lazy("Students with nothing submitted reminded"),
    "evaluation.progress_export": gettext_lazy("Evaluation progress exported"),
    "evaluation.records_export": gettext_lazy("Written records exported"),
    "evaluation.archive_pdf": gettext_lazy("Student's evaluation archive downloaded"),
    "evaluation.archive_export": gettext_lazy("Evaluation archives exported"),
    "evaluation.record_file": gettext_lazy("Evaluation material filed from an activity"),
    "evaluation.review_file": gettext_lazy("Evaluation material's file opened by a reviewer"),
    "evaluation.review_export": gettext_lazy("Evaluation review list exported"),
    "stats.export": gettext_lazy("Usage statistics exported"),
    "evaluation.review_setting": gettext_lazy("Head teachers' review setting changed"),
    "evaluation.reviewer_appoint": gettext_lazy("Evaluation reviewer appointed"),
    "evaluation.reviewer_end": gettext_lazy("Evaluation reviewer's appointment ended"),
    "evaluation.display_open": gettext_lazy("Public display of evaluation material opened"),
    "evaluation.display_close": gettext_lazy("Public display of evaluation material ended"),
    "evaluation.objection": gettext_lazy("Objection to displayed material lodged"),
    "evaluation.objection_uphold": gettext_lazy("Objection to displayed material upheld"),
    "evaluation.objection_dismiss": gettext_lazy("Objection to displayed material dismissed"),
    "evaluation.objections_export": gettext_lazy("Objections to the public display exported"),
    "post.create": gettext_lazy("Post published"),
    "post.approve": gettext_lazy("Held post approved"),
    "post.delete": gettext_lazy("Post deleted by its author"),
    "post.remove": gettext_lazy("Post removed"),
    "post.report": gettext_lazy("Post reported"),
    "spaces.class_admin_appoint": gettext_lazy("Class space admin appointed"),
    "spaces.class_admin_dismiss": gettext_lazy("Class space admin dismissed"),
    "spaces.class_space_update": gettext_lazy("Class space edited"),
    "spaces.school_space_update": gettext_lazy("School space edited"),
    "spaces.word_add": gettext_lazy("Word added to the word list"),
    "spaces.word_remove": gettext_lazy("Word removed from the word list"),
    "push.subscribe": gettext_lazy("Browser notifications turned on"),
    "push.unsubscribe": gettext_lazy("Browser notifications turned off"),
    "wechat.config_saved": gettext_lazy("WeChat official account settings saved"),
    "wechat.sheet_printed": gettext_lazy("WeChat binding codes printed"),
    # Issue 14: activities (ACT-1).
    "activity.publish": gettext_lazy("Activity published"),
    "activity.update": gettext_lazy("Activity edited"),
    "activity.sign_up": gettext_lazy("Child signed up for an activity"),
    "activity.cancel": gettext_lazy("Activity sign-up cancelled"),
    "activity.move_up": gettext_lazy("Child moved up from the waiting list"),
    "activity.approve": gettext_lazy("Activity sign-up approved"),
    "activity.refuse": gettext_lazy("Activity sign-up refused"),
    "activity.attendance": gettext_lazy("Activity attendance confirmed"),
    "activity.export": gettext_lazy("Activity sign-ups exported"),
    # Issue 14: peer evaluation (EVA-5). A rating is recorded as "rated 1 classmate", never whom.
    "evaluation.peer_switch": gettext_lazy("Peer evaluation switch turned on or off"),
    "evaluation.peer_criteria": gettext_lazy("Peer evaluation criteria set"),
    "evaluation.peer_rate": gettext_lazy("Rated classmates in peer evaluation"),
    "evaluation.peer_export": gettext_lazy("Peer evaluation summary exported"),
    "activity.file_material": gettext_lazy("Attended activity filed as evaluation material"),
    # Academic scores (EVA-6): the imports themselves are audited as import.* by the machinery.
    "evaluation.scores_export": gettext_lazy("Academic scores exported"),
    # Lesson preparation (RES-4); catalogue imports are audited as import.* by the machinery.
    "resources.textbook_create": gettext_lazy("Textbook added to the catalogue"),
    "resources.textbook_update": gettext_lazy("Textbook changed"),
    "resources.textbook_retire": gettext_lazy("Textbook retired"),
    "resources.textbook_restore": gettext_lazy("Textbook restored"),
    "resources.chapter_add": gettext_lazy("Textbook chapter added"),
    "resources.chapter_rename": gettext_lazy("Textbook chapter renamed"),
    "resources.chapter_delete": gettext_lazy("Textbook chapter deleted"),
    "resources.lesson_save": gettext_lazy("Prepared lesson saved"),
    "resources.lesson_comment": gettext_lazy("Prepared lesson commented on"),
    "resources.checker_name": gettext_lazy("Prep checker named"),
    "resources.checker_end": gettext_lazy("Prep checker's role ended"),
    "resources.prep_export": gettext_lazy("Lesson preparation overview exported"),
    "resources.catalogue_export": gettext_lazy("Textbook catalogue exported"),
    "resources.missing_report": gettext_lazy("Missing textbook reported"),
    "resources.missing_accept": gettext_lazy("Missing textbook report accepted"),
    "resources.missing_decline": gettext_lazy("Missing textbook report declined"),
    # Issue 15: the smart classroom (RES-1, RES-3).
    "classroom.create": gettext_lazy("Learning resource added"),
    "classroom.update": gettext_lazy("Learning resource edited"),
    "classroom.delete": gettext_lazy("Learning resource deleted"),
    "classroom.take_down": gettext_lazy("Learning resource taken down by the school"),
    "classroom.recommend": gettext_lazy("Course recommended"),
    "classroom.unrecommend": gettext_lazy("Course recommendation withdrawn"),
    "classroom.export": gettext_lazy("Learning resources exported"),
    # Issue 15: online practice (RES-2) and practising weak points (RES-1). Saved answers are not audited one by
    # one; the submit that grades them is.
    "practice.question_create": gettext_lazy("Practice question added"),
    "practice.question_update": gettext_lazy("Practice question edited"),
    "practice.question_retire": gettext_lazy("Practice question retired"),
    "practice.paper_create": gettext_lazy("Practice paper assembled"),
    "practice.paper_update": gettext_lazy("Practice paper's questions changed"),
    "practice.publish": gettext_lazy("Practice paper published to classes"),
    "practice.attempt_open": gettext_lazy("Practice paper opened"),
    "practice.submit": gettext_lazy("Practice answers submitted and graded"),
    "practice.weak_points": gettext_lazy("Weak-point practice set made"),
    "practice.results_export": gettext_lazy("Practice results exported"),
    "practice.bank_export": gettext_lazy("Practice question bank exported"),
}
