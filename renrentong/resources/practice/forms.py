"""Page input of online practice: the question form (the key typed as letters, lines or a number), the
paper form, publishing, and one answer as the take page's autosave sends it."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from renrentong.core.web.forms import IdField
from renrentong.resources.models import PracticeQuestion
from renrentong.resources.practice.services import AnswerDraft, QuestionDraft

SPLIT = re.compile(r"[,，、;；\s]+")


def _letters(text: str) -> list[int]:
    """"A, C" or "ac" as option indexes; anything else as -1, which the service refuses."""
    letters = [ch for ch in "".join(SPLIT.split(text.strip().upper()))]
    return [ord(ch) - ord("A") if "A" <= ch <= "Z" else -1 for ch in letters]


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PracticeQuestion.Kind.choices)
    chapter_id = forms.TypedChoiceField(label=_("Chapter"), coerce=int, choices=())
    stem = forms.CharField(label=_("Question"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    options = forms.CharField(label=_("Options, one a line (choice questions)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 4}))
    answer = forms.CharField(label=_("Right answer"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Choice: the letters (A or A,C). True or false: T or F. Fill-in: one line "
                                         "per blank, accepted answers separated by /. Numeric: the number."))
    tolerance = forms.CharField(label=_("Tolerance (numeric, plus or minus)"), required=False, max_length=40)
    knowledge_points = forms.CharField(label=_("Knowledge points, separated by commas"), required=False,
                                       max_length=700)
    explanation = forms.CharField(label=_("Explanation"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    shared = forms.BooleanField(label=_("Share with the district's schools"), required=False)

    def __init__(self, *args, chapters=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chapter_id"].choices = [(c.pk, f"{c.textbook} · {c.number} {c.title}") for c in chapters]

    def draft(self) -> QuestionDraft:
        data = self.cleaned_data
        kind, answer = data["kind"], data["answer"].strip()
        if kind == "single":
            letters = _letters(answer)
            key = letters[0] if len(letters) == 1 else -1
        elif kind == "multiple":
            key = _letters(answer)
        elif kind == "true_false":
            key = {"T": True, "F": False, "TRUE": True, "FALSE": False, "对": True, "错": False}.get(answer.upper(), None)
        elif kind == "fill":
            key = [[a.strip() for a in line.split("/")] for line in answer.splitlines() if line.strip()]
        else:
            key = {"value": answer, "tolerance": data["tolerance"].strip() or "0"}
        return QuestionDraft(
            chapter_id=data["chapter_id"], kind=kind, stem=data["stem"],
            options=[line for line in data["options"].splitlines() if line.strip()], key=key,
            knowledge_points=[p for p in SPLIT.split(data["knowledge_points"]) if p], explanation=data["explanation"],
            shared=data["shared"])

    @staticmethod
    def initial_of(q: PracticeQuestion) -> dict:
        if q.kind in ("single", "multiple"):
            answer = ",".join(chr(ord("A") + i) for i in ([q.key] if q.kind == "single" else q.key))
        elif q.kind == "true_false":
            answer = "T" if q.key else "F"
        elif q.kind == "fill":
            answer = "\n".join(" / ".join(accepted) for accepted in q.key)
        else:
            answer = q.key["value"]
        return {"kind": q.kind, "chapter_id": q.chapter_id, "stem": q.stem, "options": "\n".join(q.options),
                "answer": answer, "tolerance": q.key.get("tolerance", "") if q.kind == "numeric" else "",
                "knowledge_points": ", ".join(q.knowledge_points), "explanation": q.explanation, "shared": q.shared}


class PaperForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    question_ids = forms.TypedMultipleChoiceField(label=_("Questions"), coerce=int, choices=())

    def __init__(self, *args, questions=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["question_ids"].choices = [(q.pk, q.stem) for q in questions]


class PublishForm(forms.Form):
    class_ids = forms.TypedMultipleChoiceField(label=_("Classes"), coerce=int, choices=())

    def __init__(self, *args, classes=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["class_ids"].choices = list(classes)


class BankFilterForm(forms.Form):
    chapter_id = IdField(label=_("Chapter"))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", "")] + PracticeQuestion.Kind.choices)
    point = forms.CharField(label=_("Knowledge point"), required=False, max_length=64)


class WrongBookForm(forms.Form):
    by = forms.ChoiceField(label=_("Group by"), required=False, choices=[("chapter", _("Chapter")),
                                                                        ("point", _("Knowledge point"))])


class WeakForm(forms.Form):
    points = forms.MultipleChoiceField(label=_("Knowledge points"), required=False, choices=())

    def __init__(self, *args, points=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["points"].choices = [(p, p) for p in points]


def _index(text: str) -> int | None:
    """An option's index as posted; junk becomes 99, which the service refuses as no option."""
    if not text:
        return None
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 2 else 99


ANSWERED = re.compile(r"^q(\d{1,18})-shown$")


def answer_from_post(data, question_id: int) -> AnswerDraft:
    """One question's answer as the take page posts it (q<id>-choice, -choices, -truth, -blank repeated,
    -number); the service reads the field of the question's kind."""
    name = f"q{question_id}-"
    blanks = data.getlist(name + "blank")[:10]
    return AnswerDraft(choice=_index(data.get(name + "choice", "")),
                       choices=[i for i in (_index(t) for t in data.getlist(name + "choices")[:26]) if i is not None],
                       truth={"true": True, "false": False}.get(data.get(name + "truth", "")),
                       blanks=[b[:200] for b in blanks] if blanks else None, number=data.get(name + "number", "")[:40])


def answers_from_post(data) -> dict[int, AnswerDraft]:
    """Every question the take page showed (each posts q<id>-shown), with its answer as it stands."""
    shown = [int(m.group(1)) for key in list(data.keys())[:500] if (m := ANSWERED.match(key))]
    return {pk: answer_from_post(data, pk) for pk in shown[:100]}
