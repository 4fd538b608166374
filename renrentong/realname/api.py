"""/api/v1/realname: real-name verification, the registry (admins), teacher self-registration and its
approval queue (RN-1..RN-4, ACC-4). Thin: parse, call the service or selector, shape the answer."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import File, Form, Path, Query, Router, Status
from ninja.files import UploadedFile

from renrentong.realname.registration import services as registration
from renrentong.core.web.client import client_address
from renrentong.core.masking import refuse_number_in_url
from renrentong.core.schemas import ERRORS, MAX_ID

from renrentong.realname import selectors, services
from renrentong.realname.schemas import (
    ApplicantIn, ApplicationOut, BindingOut, CodeIn, CodeOut, EntryIn, EntryOut, EntryPage, EntryPatch,
    EntrySearchIn, HolderOut, HolderQueryIn, ImportOut, QueueItemOut, RealnameIdNumberOut, RealnameRefuseIn,
    RealnameSchoolOut, ReapplyIn, RegistrationIn, ReplaceIn, VerifyIn,
)

router = Router(tags=["realname"])
ERRORS_409 = {**ERRORS, 409: ERRORS[400], 413: ERRORS[400]}


def binding_out(binding) -> BindingOut:
    entry = binding.entry
    return BindingOut(id=binding.pk, role=binding.role, name=entry.name, id_number=entry.id_number_masked,
                      school_id=entry.school_id, school=entry.school.name, created_at=binding.created_at,
                      ended_at=binding.ended_at, end_reason=binding.end_reason)


def entry_out(entry, verified_by: str = "") -> EntryOut:
    return EntryOut(id=entry.pk, school_id=entry.school_id, role=entry.role, name=entry.name,
                    id_number=entry.id_number_masked, number=entry.number, class_id=entry.school_class_id,
                    class_name=entry.school_class.display_name() if entry.school_class_id else entry.class_text,
                    class_exists=entry.school_class_id is not None or not selectors.is_student_entry(entry),
                    retired=entry.retired_at is not None, replaced_by=entry.replaced_by_id, verified_by=verified_by)


def application_out(application) -> ApplicationOut:
    return ApplicationOut(id=application.pk, account_name=application.account.number, status=application.status,
                          reason=application.reason, school_id=application.school_id, school=application.school.name,
                          created_at=application.created_at, decided_at=application.decided_at)


# ---- Users: verification ----

@router.post("/verify", response={201: BindingOut, **ERRORS_409},
             summary="Verify my account with name + ID number (+ certificate or student number)")
def verify(request: HttpRequest, body: VerifyIn):
    binding = services.verify(request.auth, services.VerifyInput(**body.dict()), source=client_address(request))
    return Status(201, binding_out(binding))


@router.get("/bindings", response={200: list[BindingOut], **ERRORS}, summary="My verifications")
def my_bindings(request: HttpRequest):
    return [binding_out(b) for b in selectors.my_bindings(request.auth)]


@router.post("/bindings/{binding_id}/unbind", response={200: BindingOut, **ERRORS_409},
             summary="Undo my parent verification (e.g. a teacher who verified as a parent by mistake)")
def unbind(request: HttpRequest, binding_id: int = Path(..., ge=1, le=MAX_ID)):
    return binding_out(services.unbind(request.auth, binding_id))


# ---- Admins: the registry ----

@router.get("/entries", response={200: EntryPage, **ERRORS},
            summary="Search the registry of my schools (an ID number is searched with POST /entries/search)")
def entries(request: HttpRequest, q: str = Query("", max_length=64), role: str = Query("", max_length=8),
            class_id: int | None = Query(None, ge=1, le=MAX_ID), school_id: int | None = Query(None, ge=1, le=MAX_ID),
            retired: bool = False, page: int = Query(1, ge=1, le=100_000)):
    refuse_number_in_url(q, "/api/v1/realname/entries/search")
    return _entry_page(request, q, role, class_id, school_id, retired, page)


# POST, though it reads: an ID number searched for travels in the body, never in a URL (NFR-1).
@router.post("/entries/search", response={200: EntryPage, **ERRORS},
             summary="The same search as GET /entries, in the body (for ID numbers)")
def search_entries(request: HttpRequest, body: EntrySearchIn):
    return _entry_page(request, body.q, body.role, body.class_id, body.school_id, body.retired, body.page)


def _entry_page(request: HttpRequest, q: str, role: str, class_id: int | None, school_id: int | None,
                retired: bool, page: int) -> EntryPage:
    found = selectors.search_entries(request.auth, query=q, role=role, class_id=class_id, school_id=school_id,
                                     retired=retired)
    total = found.count()
    items = list(found[(page - 1) * selectors.PAGE: page * selectors.PAGE])
    bound = selectors.live_bindings(items)
    return EntryPage(total=total, page=page, items=[
        entry_out(e, bound[e.pk].account.number if e.pk in bound else "") for e in items])


@router.post("/entries", response={201: EntryOut, **ERRORS_409}, summary="Add a person to a school's registry")
def add_entry(request: HttpRequest, body: EntryIn):
    entry = services.add_entry(request.auth, services.EntryInput(
        role=body.role, name=body.name, id_number=body.id_number, number=body.number, class_text=body.class_name,
    ), school_id=body.school_id)
    return Status(201, entry_out(entry))


@router.patch("/entries/{entry_id}", response={200: EntryOut, **ERRORS_409},
              summary="Correct the name of an entry (an ID number is refused: replace it instead)")
def correct_name(request: HttpRequest, body: EntryPatch, entry_id: int = Path(..., ge=1, le=MAX_ID)):
    return entry_out(services.correct_entry(request.auth, entry_id, name=body.name, id_number=body.id_number))


@router.post("/entries/{entry_id}/replace", response={201: EntryOut, **ERRORS_409},
             summary="Replace a wrong ID number: a new entry, the old one retired and its accounts unbound")
def replace(request: HttpRequest, body: ReplaceIn, entry_id: int = Path(..., ge=1, le=MAX_ID)):
    return Status(201, entry_out(services.replace_id_number(request.auth, entry_id, body.id_number, body.name)))


@router.get("/entries/{entry_id}/id-number", response={200: RealnameIdNumberOut, **ERRORS},
            summary="The full ID number of an entry (admins; every read is audited)")
def entry_id_number(request: HttpRequest, entry_id: int = Path(..., ge=1, le=MAX_ID)):
    return RealnameIdNumberOut(id_number=services.reveal_id_number(request.auth, entry_id))


# POST, though it reads: the ID number travels in the body, never in a URL that access logs keep (NFR-1).
@router.post("/holders", response={200: list[HolderOut], **ERRORS}, summary="Which account holds an ID number")
def holders(request: HttpRequest, body: HolderQueryIn):
    return [HolderOut(account_number=h.account_number, name=h.name, phone=h.phone, status=h.status, how=h.how,
                      entry_id=h.entry.pk if h.entry else None)
            for h in selectors.holders_of(request.auth, body.id_number)]


@router.post("/imports", response={200: ImportOut, **ERRORS_409},
             summary="Import a spreadsheet (.xlsx, .xls, .csv) into a school's registry")
def import_entries(request: HttpRequest, file: UploadedFile = File(...),
                   school_id: int | None = Form(None, ge=1, le=MAX_ID)):
    report = services.import_entries(request.auth, file.chunks(), file.name or "", school_id=school_id)
    return ImportOut(created=report.created, unchanged=report.unchanged, rejected=report.rejected,
                     problems=[p.__dict__ for p in report.problems])


# ---- Teacher self-registration (no login) ----

@router.get("/registration/schools", auth=None, response={200: list[RealnameSchoolOut], **ERRORS},
            summary="Registered schools by name or code, to register at")
def schools(request: HttpRequest, q: str = Query("", max_length=64)):
    return [RealnameSchoolOut(id=s.pk, code=s.code, name=s.name) for s in registration.search_schools(q)]


@router.post("/registration/code", auth=None, response={201: CodeOut, **ERRORS_409},
             summary="Send the phone code for a teacher registration")
def registration_code(request: HttpRequest, body: CodeIn):
    challenge = registration.send_registration_code(body.phone, source=client_address(request), school=body.school)
    return Status(201, CodeOut(token=challenge.token, masked_phone=challenge.masked_target,
                               expires_at=challenge.expires_at, resend_at=challenge.resend_at))


@router.post("/registration", auth=None, response={201: ApplicationOut, **ERRORS_409},
             summary="Register as a teacher; the account waits for the school admin's approval")
def register(request: HttpRequest, body: RegistrationIn):
    application = registration.register(registration.RegistrationForm(**body.dict()), source=client_address(request))
    return Status(201, application_out(application))


@router.post("/registration/status", auth=None, response={200: ApplicationOut, **ERRORS},
             summary="Where my registration stands (with the reason if it was refused)")
def registration_status(request: HttpRequest, body: ApplicantIn):
    return application_out(registration.application_status(body.identifier, body.password,
                                                            source=client_address(request)))


@router.post("/registration/reapply", auth=None, response={201: ApplicationOut, **ERRORS_409},
             summary="Send a refused registration again, to the same or another school")
def reapply(request: HttpRequest, body: ReapplyIn):
    application = registration.reapply(body.identifier, body.password, body.school, source=client_address(request))
    return Status(201, application_out(application))


# ---- School admins: the approval queue ----

@router.get("/applications", response={200: list[QueueItemOut], **ERRORS},
            summary="Teacher registrations of my schools (pending by default)")
def applications(request: HttpRequest, status: str = Query("pending", max_length=8)):
    return [QueueItemOut(**application_out(v.application).dict(), name=v.name, id_number=v.id_number,
                         phone=v.phone, in_registry=v.in_registry)
            for v in registration.queue(request.auth, status)]


@router.post("/applications/{application_id}/approve", response={200: ApplicationOut, **ERRORS_409},
             summary="Approve: the applicant becomes a teacher of the school")
def approve(request: HttpRequest, application_id: int = Path(..., ge=1, le=MAX_ID)):
    return application_out(registration.approve(request.auth, application_id))


@router.post("/applications/{application_id}/refuse", response={200: ApplicationOut, **ERRORS_409},
             summary="Refuse with a reason the applicant sees")
def refuse(request: HttpRequest, body: RealnameRefuseIn, application_id: int = Path(..., ge=1, le=MAX_ID)):
    return application_out(registration.refuse(request.auth, application_id, body.reason))
