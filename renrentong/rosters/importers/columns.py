"""The columns of the roster templates and the header spellings accepted for each (IMP-1).

Headers are compared after normalize_text and lower-casing, so "身份证 号" and "ID Number" match.
"""

STUDENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "school": ("学校", "学校名称", "学校代码", "school", "schoolname", "schoolcode"),
    "name": ("姓名", "学生姓名", "name", "studentname"),
    # The key of an export meant for re-import (issue 10 item 10): the row names this account's student.
    "account": ("账号", "学生账号", "登录账号", "account", "accountnumber", "account_number"),
    "sex": ("性别", "sex", "gender"),
    "id_number": ("身份证号", "身份证号码", "证件号码", "学生身份证号", "idnumber", "id_number", "idcard"),
    "local_student_number": ("学籍号", "市网学籍号", "本地学籍号", "localstudentnumber", "local_student_number"),
    "national_student_number": ("全国学籍号", "全国学籍号码", "nationalstudentnumber", "national_student_number"),
    "grade": ("年级", "grade"),
    "class": ("班级", "班级名称", "class", "classname"),
    "class_code": ("班级编码", "班级代码", "classcode", "class_code"),
    "parent1_name": ("家长1姓名", "家长姓名", "parent1name", "parent1_name"),
    "parent1_relation": ("家长1关系", "家长关系", "与学生关系", "parent1relation", "parent1_relation"),
    "parent1_phone": ("家长1手机号", "家长1电话", "家长手机号", "家长电话", "parent1phone", "parent1_phone"),
    "parent2_name": ("家长2姓名", "parent2name", "parent2_name"),
    "parent2_relation": ("家长2关系", "parent2relation", "parent2_relation"),
    "parent2_phone": ("家长2手机号", "家长2电话", "parent2phone", "parent2_phone"),
}

# (header in the template, field, required, text-formatted, note)
STUDENT_TEMPLATE = [
    ("姓名", "name", True, True, "学生真实姓名"),
    ("性别", "sex", True, True, "男 / 女"),
    ("身份证号", "id_number", False, True, "18位;请保持文本格式,勿转成数字"),
    ("市网学籍号", "local_student_number", False, True, ""),
    ("全国学籍号", "national_student_number", False, True, "通常为 G + 身份证号"),
    ("年级", "grade", True, True, "如 三年级、初一、高二"),
    ("班级", "class", True, True, "如 1班"),
    ("家长1姓名", "parent1_name", False, True, ""),
    ("家长1关系", "parent1_relation", False, True, "父亲 / 母亲 / 其他监护人"),
    ("家长1手机号", "parent1_phone", False, True, "家长用此手机号登录"),
    ("家长2姓名", "parent2_name", False, True, ""),
    ("家长2关系", "parent2_relation", False, True, ""),
    ("家长2手机号", "parent2_phone", False, True, ""),
]

TEACHER_COLUMNS: dict[str, tuple[str, ...]] = {
    "school": STUDENT_COLUMNS["school"],
    "name": ("姓名", "教师姓名", "name", "teachername"),
    "sex": ("性别", "sex", "gender"),
    "phone": ("手机号", "手机号码", "电话", "phone", "mobile"),
    "id_number": STUDENT_COLUMNS["id_number"],
    "subjects": ("任教学科", "学科", "subjects", "subject"),
    "classes": ("任教班级", "classes", "classestaught"),
    "head_of": ("班主任班级", "担任班主任", "headof", "headteacherof"),
}

TEACHER_TEMPLATE = [
    ("姓名", "name", True, True, ""),
    ("性别", "sex", False, True, "男 / 女"),
    ("手机号", "phone", True, True, "教师用此手机号登录"),
    ("身份证号", "id_number", False, True, "18位;请保持文本格式"),
    ("任教学科", "subjects", False, True, "多个学科用顿号或逗号分隔,如 语文、数学"),
    ("任教班级", "classes", False, True, "如 三年级1班、三年级2班"),
    ("班主任班级", "head_of", False, True, "如 三年级1班"),
]

RELATIONS = {
    "父亲": "father", "爸爸": "father", "父": "father", "father": "father", "dad": "father",
    "母亲": "mother", "妈妈": "mother", "母": "mother", "mother": "mother", "mom": "mother",
    "监护人": "guardian", "guardian": "guardian",
}
SEXES = {"男": "M", "m": "M", "male": "M", "女": "F", "f": "F", "female": "F"}
