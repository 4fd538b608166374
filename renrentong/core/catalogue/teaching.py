"""Teaching (ADM-2): course arrangement, the teaching grid and teachers' own classes; who can fix each
refusal. The Jiangxi back office (002) has the school admin set 课程安排 before teachers choose."""

from renrentong.core.errors import ErrorSpec, Fixer

ENTRIES = {
    "teaching.not_allowed": ErrorSpec(
        403,
        "只有学校管理员可以安排课程和任课教师。教师可在“我的任教”中设置自己的班级和学科。",
        "Only the school admin arranges courses and teachers. A teacher sets their own classes and subjects "
        "under “My teaching”.",
        Fixer.SCHOOL_ADMIN,
    ),
    "teaching.teachers_only": ErrorSpec(
        403,
        "只有教师身份可以设置自己的任教班级和学科。请切换到教师身份。",
        "Only a teacher identity sets its own classes and subjects. Switch to your teacher identity.",
        Fixer.SELF,
    ),
    "teaching.invalid_subject": ErrorSpec(
        400,
        "学科名称“{subject}”无效:须为 1 到 {limit} 个字。",
        "The subject name “{subject}” is not valid: it must have 1 to {limit} characters.",
        Fixer.SELF,
    ),
    "teaching.subject_not_arranged": ErrorSpec(
        409,
        "{school_class}没有安排“{subject}”课程。请学校管理员先在“课程安排”中为该班添加这门学科。",
        "{school_class} has no “{subject}” course. The school admin adds the subject to the class under "
        "“Course arrangement” first.",
        Fixer.SCHOOL_ADMIN,
    ),
    "teaching.class_not_found": ErrorSpec(
        404,
        "没有找到该班级,或该班级不属于你的学校。",
        "No such class, or it is not a class of your school.",
        Fixer.SCHOOL_ADMIN,
    ),
    "teaching.teacher_not_found": ErrorSpec(
        404,
        "没有找到该教师,或该教师不在本校任教。教师须先由学校管理员添加或导入。",
        "No such teacher, or the teacher is not at this school. The school admin adds or imports teachers first.",
        Fixer.SCHOOL_ADMIN,
    ),
    "teaching.teacher_unavailable": ErrorSpec(
        409,
        "教师 {name} 当前状态为“{state}”,不能安排任课或担任班主任。",
        "The teacher {name} is “{state}” now and cannot be given classes or be a class head teacher.",
        Fixer.SCHOOL_ADMIN,
    ),
    "teaching.taken": ErrorSpec(
        409,
        "{school_class}的“{subject}”已由 {teacher} 任教。如需调整,请联系学校管理员在任课安排中修改。",
        "{teacher} already teaches “{subject}” in {school_class}. Ask the school admin to change the "
        "teaching grid.",
        Fixer.SCHOOL_ADMIN,
    ),
    "teaching.already_yours": ErrorSpec(
        409,
        "你已经在{school_class}任教“{subject}”。",
        "You already teach “{subject}” in {school_class}.",
        Fixer.SELF,
    ),
    "teaching.not_yours": ErrorSpec(
        404,
        "你没有在{school_class}任教“{subject}”。",
        "You do not teach “{subject}” in {school_class}.",
        Fixer.SELF,
    ),
    "teaching.too_many_cells": ErrorSpec(
        400,
        "一次最多保存 {limit} 个单元格,请按年级分批保存。",
        "At most {limit} cells at a time: save one grade at a time.",
        Fixer.SELF,
    ),
    # Teacher import rows (rosters/teachers.py): one teacher per class and subject unless the school's
    # policy allows co-teaching; the preview and the result name whose course a row takes over.
    "row.replaces_teacher": ErrorSpec(
        409,  # a row's note, never an HTTP answer: the row is applied
        "将替换原任课教师:{replaced}。一个班级的一门学科只有一位任课教师;如本校允许多位教师合教,请学校在设置中开启“合作教学”。",
        "Replaces the current teacher: {replaced}. A class's subject has one teacher; if the school has "
        "teachers share a subject, the school turns on co-teaching in its settings.",
        Fixer.SCHOOL_ADMIN,
    ),
    "row.course_twice_in_file": ErrorSpec(
        400,
        "{school_class}的“{subject}”已由第 {first_row} 行的教师任教;一门学科只有一位任课教师,请删去其中一行。",
        "{school_class}'s “{subject}” is already taught by the teacher of row {first_row}; a subject has one "
        "teacher, so remove one of the rows.",
        Fixer.SCHOOL_ADMIN,
    ),
}
