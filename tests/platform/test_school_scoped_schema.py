"""Partition-ready schema (issue 16 item 4, docs/scaling.md): every model is a school-scoped table that carries
its school, a reference table, or a table kept local; a school-scoped table's unique keys include its school,
or the key is a platform-wide one that moves to the directory. A new model or key fails here until it says
which it is; each exception below must still be true, so fixing one means removing it here."""

from __future__ import annotations

from django.apps import apps
from django.db import models

# Small, read by every school, written rarely: a full copy on every node (docs/scaling.md, "Reference tables").
REFERENCE = {
    "orgs_region", "orgs_school", "orgs_campus", "orgs_stage", "orgs_cohort", "orgs_schoolclass", "orgs_policy",
    "orgs_faqentry",
    "evaluation_dimension", "evaluation_evidenceitem", "evaluation_peercriterion", "evaluation_submissionwindow",
    "evaluation_peerswitch", "resources_textbook", "resources_chapter", "spaces_blockedword",
    "activities_activity", "wechat_officialaccount", "push_channelpause", "integration_app",
}
# Kept on the coordinator: platform-wide counters, jobs and bookkeeping (docs/scaling.md).
LOCAL = {
    "accounts_logincounter", "verification_challenge", "verification_sendlock", "push_smsbudgetuse",
    "verification_outboxmessage", "rosters_importjob", "exports_exportjob", "stats_watermark",
    "core_auditchainbase",  # one row per audit chain, written by the owner's partition maintenance
    # OAuth grants and tokens, found by their checksum from any school's app (integration/models.py)
    "integration_grant", "integration_accesstoken", "integration_refreshtoken", "integration_idtoken",
    "integration_consent",  # read with the grant it skips, by account and app
    # The OneRoster directory: sourcedIds are platform-wide, looked up by value from any school's package
    "integration_rosterid",
}
# The school under another name.
SCHOOL_COLUMN = {
    "accounts_account": "home_school_id",  # the school that answers for the account
    "schooladmin_transferrequest": "from_school_id",  # the request lives with the student's old school
}
# School-scoped tables still without their school (docs/scaling.md, "The school on every school-scoped row").
WITHOUT_SCHOOL: dict[str, str] = {}
# Unique keys of school-scoped tables that do not hold the school, and why. A platform-wide key moves to the
# directory, a reference table (docs/scaling.md); a one-to-one field's key is the field alone in Django; a
# table whose school changes meaning first is listed in docs/scaling.md ("changes meaning").
PLATFORM_WIDE = "platform-wide: moves to the directory"
ONE_TO_ONE = "a one-to-one field: (field, school) once it is a foreign key with its own unique constraint"
CHANGES_MEANING = "its school_id changes meaning first (the reader's home school, 0 for a region's row)"
MIXED = "a mixed table: its region rows move to a reference table, then the key holds the school"
EXCUSED = {
    ("accounts_account", "number"): PLATFORM_WIDE, ("accounts_account", "one_account_per_phone"): PLATFORM_WIDE,
    ("accounts_account", "one_account_per_email"): PLATFORM_WIDE, ("accounts_account", "person"): PLATFORM_WIDE,
    ("accounts_person", "one_person_per_id_number_digest"): PLATFORM_WIDE,
    ("accounts_person", "one_person_per_national_student_number_digest"): PLATFORM_WIDE,
    ("accounts_person", "one_person_per_local_student_number"):
        PLATFORM_WIDE + " (the province's local student number)",
    ("accounts_enrollment", "one_open_enrollment"): PLATFORM_WIDE + " (one school at a time)",
    ("accounts_apitoken", "digest"): PLATFORM_WIDE + " until the token names its school",
    ("realname_registryentry", "one_live_registry_entry_per_id"): PLATFORM_WIDE + " (one entry per ID number)",
    ("realname_registrationapplication", "one_pending_application_per_account"): PLATFORM_WIDE,
    ("schooladmin_keyinfochange", "one_pending_key_info_change"): PLATFORM_WIDE + " (per person)",
    ("uploads_storedfile", "one_file_per_upload_key"): PLATFORM_WIDE + " (per uploader)",
    ("uploads_storedfile", "storage_name"): PLATFORM_WIDE + " (the object store's names)",
    ("wechat_follower", "wechat_one_account_per_openid"): PLATFORM_WIDE,
    ("wechat_follower", "wechat_one_openid_per_account"): PLATFORM_WIDE,
    ("wechat_bindingscene", "scene"): PLATFORM_WIDE + " (a QR scene is looked up by its value alone)",
    ("push_pushsubscription", "one_subscription_per_endpoint"): PLATFORM_WIDE + " (a browser's endpoint)",
    ("accounts_headteacher", "school_class"): ONE_TO_ONE,
    ("classgroups_groupmessage", "notice"): ONE_TO_ONE,
    ("activities_attendance", "sign_up"): ONE_TO_ONE,
    ("verification_totpdevice", "account"): ONE_TO_ONE,
    ("realname_binding", "one_live_own_binding_per_account"): PLATFORM_WIDE + " (an account is verified as one person)",
    ("notices_inboxitem", "one_inbox_item"): CHANGES_MEANING, ("push_delivery", "one_delivery"): CHANGES_MEANING,
    ("notices_noticeattachment", "one_attachment_per_file"): CHANGES_MEANING,
    ("notices_noticerecipient", "one_recipient_row"): CHANGES_MEANING,
    ("notices_noticetally", "notice"): CHANGES_MEANING,
    ("rosters_importrow", "one_row_per_number"): "numbered in its job; the row's school is empty until it is known",
    ("resources_recommendedcourse", "one_region_recommendation"): MIXED,
    ("resources_practicepoint", "one_practice_point"): MIXED,
}


def our_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if model.__module__.startswith("renrentong.")]


def unique_keys(model) -> dict[str, set[str]]:
    """Each unique key's name (a constraint's, or the field's for a unique field) and the columns it holds."""
    keys: dict[str, set[str]] = {}
    for field in model._meta.concrete_fields:
        if field.unique and not field.primary_key:
            keys[field.name] = {field.column}
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            columns = {model._meta.get_field(name).column for name in constraint.fields}
            columns |= {ref for expression in constraint.expressions for ref in _columns_in(model, expression)}
            keys[constraint.name] = columns
    for together in model._meta.unique_together:
        keys["+".join(together)] = {model._meta.get_field(name).column for name in together}
    return keys


def _columns_in(model, expression) -> set[str]:
    if isinstance(expression, models.F):
        return {model._meta.get_field(expression.name).column}
    return {column for source in expression.get_source_expressions() for column in _columns_in(model, source)}


def school_scoped() -> list[type[models.Model]]:
    return [model for model in our_models() if model._meta.db_table not in REFERENCE | LOCAL]


def test_every_model_is_school_scoped_reference_or_local_and_the_lists_name_real_tables():
    tables = {model._meta.db_table for model in our_models()}
    named = REFERENCE | LOCAL | set(SCHOOL_COLUMN) | set(WITHOUT_SCHOOL)
    named |= {table for table, _key in EXCUSED}
    assert named <= tables, f"no such table: {sorted(named - tables)}"
    assert not REFERENCE & LOCAL
    keys = {(model._meta.db_table, name) for model in our_models() for name in unique_keys(model)}
    assert set(EXCUSED) <= keys, f"no such key: {sorted(set(EXCUSED) - keys)}"


def test_every_school_scoped_table_carries_its_school():
    missing = {}
    for model in school_scoped():
        table = model._meta.db_table
        columns = {field.column for field in model._meta.concrete_fields}
        has = SCHOOL_COLUMN.get(table, "school_id") in columns
        if has == (table in WITHOUT_SCHOOL):
            missing[table] = "has its school now: take it off WITHOUT_SCHOOL" if has else "no school_id column"
    assert not missing, missing


def test_every_unique_key_of_a_school_scoped_table_includes_its_school():
    wrong = {}
    for model in school_scoped():
        table = model._meta.db_table
        if table in WITHOUT_SCHOOL:
            continue
        school = SCHOOL_COLUMN.get(table, "school_id")
        for name, columns in unique_keys(model).items():
            excused = (table, name) in EXCUSED
            if (school in columns) == excused:
                wrong[f"{table}.{name}"] = "holds the school now: drop its exception" if excused else sorted(columns)
    assert not wrong, wrong
