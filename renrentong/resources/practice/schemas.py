"""API types of online practice (RES-2); names start with Practice so they stay unique in the OpenAPI schema.
A student's types (PracticeTakerQuestionOut, PracticeAttemptOut before submit) have no field for a key or an
explanation: they cannot leak what they do not hold."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Field

from renrentong.core.schemas import Id, Schema

Text200 = Annotated[str, Field(max_length=200)]


class PracticeQuestionIn(Schema):
    chapter_id: Id
    kind: Literal["single", "multiple", "true_false", "fill", "numeric"]
    stem: str = Field(..., max_length=2000)
    options: list[Text200] = Field(default_factory=list, max_length=8, description="Choices, in order (A, B, ...)")
    key: Any = Field(..., description="single: the right option's index (0 = A); multiple: a list of indexes; "
                     "true_false: true or false; fill: per blank, a list of accepted answers; numeric: "
                     '{"value": "3.14", "tolerance": "0.01"}')
    knowledge_points: list[Annotated[str, Field(max_length=64)]] = Field(default_factory=list, max_length=10)
    explanation: str = Field("", max_length=4000)
    shared: bool = Field(False, description="A teacher's question offered to the district's schools")


class PracticeQuestionOut(Schema):
    """A question as its keepers see it, key and explanation included."""

    id: int
    school_id: int | None
    region_id: int | None
    shared: bool
    chapter_id: int
    chapter: str
    subject: str
    kind: str
    stem: str
    options: list[str]
    key: Any
    knowledge_points: list[str]
    explanation: str
    retired: bool
    editable: bool


class PracticePaperIn(Schema):
    title: str = Field(..., max_length=100)
    question_ids: list[Id] = Field(..., max_length=100)


class PracticePaperQuestionsIn(Schema):
    question_ids: list[Id] = Field(..., max_length=100)


class PracticePublishIn(Schema):
    class_ids: list[Id] = Field(..., min_length=1, max_length=100)


class PracticeCountOut(Schema):
    count: int


class PracticePublicationOut(Schema):
    class_id: int
    class_name: str
    published_at: datetime


class PracticePaperOut(Schema):
    """A paper as its school's teachers see it."""

    id: int
    title: str
    subject: str
    created_at: datetime
    questions: list[PracticeQuestionOut]
    publications: list[PracticePublicationOut]


class PracticeTakerQuestionOut(Schema):
    id: int
    number: int
    kind: str
    stem: str
    options: list[str]
    blanks: int = Field(description="fill: how many blanks")


class PracticeAttemptSummaryOut(Schema):
    id: int
    number: int
    state: str
    started_at: datetime
    submitted_at: datetime | None
    correct: int
    total: int


class PracticeStudentPaperOut(Schema):
    id: int
    kind: str
    title: str
    subject: str
    questions: int
    attempts: list[PracticeAttemptSummaryOut]


class PracticeGradedOut(Schema):
    question_id: int
    number: int
    kind: str
    stem: str
    options: list[str]
    response: Any
    your_answer: str
    correct: bool
    right_answer: str
    explanation: str


class PracticeAttemptOut(Schema):
    id: int
    paper_id: int
    title: str
    number: int
    state: str
    started_at: datetime
    submitted_at: datetime | None
    correct: int
    total: int
    questions: list[PracticeTakerQuestionOut] = Field(description="Before submit: the questions to answer "
                                                      "(after submit empty: `graded` holds them)")
    saved: dict[str, Any] = Field(description="question id -> the answer saved so far")
    graded: list[PracticeGradedOut] | None = Field(None, description="After submit: each answer graded")


class PracticeAnswerIn(Schema):
    """Only the field of the question's kind is read; all empty clears the saved answer."""

    choice: int | None = Field(None, ge=0, le=25, description="single: the option's index (0 = A)")
    choices: list[Annotated[int, Field(ge=0, le=25)]] | None = Field(None, max_length=26, description="multiple")
    truth: bool | None = Field(None, description="true_false")
    blanks: list[Annotated[str, Field(max_length=200)]] | None = Field(None, max_length=10, description="fill")
    number: str | None = Field(None, max_length=40, description="numeric: as typed; a decimal point, no comma")


class PracticeAnswerItemIn(PracticeAnswerIn):
    question_id: Id


class PracticeSubmitIn(Schema):
    answers: list[PracticeAnswerItemIn] = Field(default_factory=list, max_length=100,
                                                description="Answers not saved yet; saved ones need not be sent")


class PracticeAnswerSavedOut(Schema):
    question_id: int
    response: Any
    saved: bool


class PracticeQuestionResultOut(Schema):
    question_id: int
    number: int
    kind: str
    stem: str
    answered: int
    correct: int
    correct_rate: float | None
    common_wrong: list[tuple[str, int]]


class PracticeClassResultsOut(Schema):
    paper_id: int
    class_id: int
    class_name: str
    students: int
    submitted: int
    questions: list[PracticeQuestionResultOut]


class PracticeWrongOut(Schema):
    question_id: int
    stem: str
    kind: str
    your_answer: str
    right_answer: str
    explanation: str
    knowledge_points: list[str]
    times_wrong: int


class PracticeWrongGroupOut(Schema):
    label: str
    entries: list[PracticeWrongOut]


class PracticeWeakPointOut(Schema):
    point: str
    wrong: int


class PracticeWeakIn(Schema):
    points: list[Annotated[str, Field(max_length=64)]] = Field(default_factory=list, max_length=10)
