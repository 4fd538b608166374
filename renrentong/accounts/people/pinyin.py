"""The pinyin of a person's name, stored beside it so that "dlj" and "dinglijia" find 丁丽佳 (issue 12).

Each character is read by pypinyin's default, its most common reading (no heteronyms), one character
at a time: pypinyin's phrases are words of running text, and a name read as one goes wrong (于思 is
read as the word yusai, "bearded"; read by character it is yusi), while a character's reading is
looked up once per process instead of segmenting each name (~5 µs a name instead of ~35). pypinyin has
no surname mode (python-pinyin issues #120 and #297), so the surnames whose reading as a surname differs
from the common one are read from a table first: 单 shan, 曾 zeng, 区 ou, and the compound surnames
(单于 chanyu, 尉迟 yuchi, 万俟 moqi).

The stored forms are lowercase ASCII letters and digits only: the full pinyin without tones or spaces
("dinglijia", ü written v as input methods type it: 吕 "lv") and the initials, the first letter of
each syllable ("dlj"). Letters of a Latin name are kept (lowercased, accents dropped); anything else
(the dot of "阿依古丽·买买提", a character pypinyin does not know) is left out.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

PINYIN_LIMIT = 384  # 64 characters of 6 letters at most
INITIALS_LIMIT = 64

# Compound surnames whose reading differs from the characters' common ones, or that read as one word.
COMPOUND_SURNAMES = {
    "单于": ("chan", "yu"), "尉迟": ("yu", "chi"), "万俟": ("mo", "qi"), "长孙": ("zhang", "sun"),
    "澹台": ("tan", "tai"), "乐正": ("yue", "zheng"), "子车": ("zi", "ju"), "仉督": ("zhang", "du"),
    "令狐": ("ling", "hu"), "亓官": ("qi", "guan"), "句龙": ("gou", "long"),
}
# Single surnames read otherwise as a surname than as a common word (issue #297's list, trimmed to
# the ones pypinyin reads wrong).
SURNAMES = {
    "单": "shan", "曾": "zeng", "区": "ou", "仇": "qiu", "解": "xie", "朴": "piao", "查": "zha",
    "盖": "ge", "缪": "miao", "翟": "zhai", "乐": "yue", "覃": "qin", "繁": "po", "召": "shao",
    "种": "chong", "秘": "bi", "冼": "xian", "洗": "xian", "过": "guo", "纪": "ji", "燕": "yan",
    "华": "hua", "尉": "wei", "员": "yun", "贠": "yun", "句": "gou", "谌": "chen", "宓": "mi",
    "眭": "sui", "蕃": "pi", "禚": "zhuo", "那": "na", "都": "du", "薄": "bo", "藏": "zang",
    "折": "she", "卜": "bu", "宿": "su", "沈": "shen", "石": "shi", "贾": "jia", "柏": "bai",
    "阚": "kan", "任": "ren", "隗": "wei", "粘": "nian", "难": "nan", "佴": "nai", "重": "chong",
    "么": "yao", "幺": "yao", "能": "nai", "朝": "chao",
}


def _ascii(piece: str) -> str:
    """A syllable or a run of other text as lowercase ASCII letters and digits ("" if none)."""
    if piece.isascii():
        folded = piece.lower()
    else:
        folded = unicodedata.normalize("NFKD", piece).encode("ascii", "ignore").decode().lower()
    return "".join(ch for ch in folded if ch.isalnum())


# One Han character (the CJK blocks pypinyin covers), or a run of anything else (a Latin name, digits, dots).
_PIECES = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]|[^\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]+")


@lru_cache(maxsize=None)  # bounded by the characters there are: tens of thousands at most
def _reading(piece: str) -> str:
    """One character's reading in lowercase ASCII ("" for a character pypinyin does not know), or a run
    of other text folded to ASCII letters and digits."""
    return _ascii(lazy_pinyin(piece, style=Style.NORMAL)[0] if len(piece) == 1 else piece)


def name_syllables(name: str) -> tuple[str, ...]:
    """The name's syllables in lowercase ASCII, the surname read as a surname ("曾乐" → zeng, le)."""
    name = name or ""
    head: tuple[str, ...] = ()
    if name[:2] in COMPOUND_SURNAMES:
        head, name = COMPOUND_SURNAMES[name[:2]], name[2:]
    elif name[:1] in SURNAMES:
        head, name = (SURNAMES[name[0]],), name[1:]
    return head + tuple(s for s in map(_reading, _PIECES.findall(name)) if s)


def pinyin_of(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name, as stored on Person: ("dinglijia", "dlj") for 丁丽佳."""
    syllables = name_syllables(name)
    return "".join(syllables)[:PINYIN_LIMIT], "".join(s[0] for s in syllables)[:INITIALS_LIMIT]


def name_fields(name: str) -> dict[str, str]:
    """The columns a name sets on a person: the name and its pinyin (for rows written in bulk)."""
    full, initials = pinyin_of(name)
    return {"name": name, "name_pinyin": full, "name_initials": initials}


# The syllables of Mandarin as pypinyin writes them without tones (ü as v; interjections such as hm left
# out), for reading a typed query like "dinglj" as syllables and initials.
SYLLABLES = frozenset("""
    a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin bing bo bong bu ca cai
    can cang cao ce cei cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai
    chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den deng di
    dia dian diao die din ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng
    fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo ha
    hai han hang hao he hei hen heng hng hong hou hu hua huai huan huang hui hun huo ji jia jian jiang
    jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken keng kong kou ku kua kuai
    kuan kuang kui kun kuo la lai lan lang lao le lei len leng li lia lian liang liao lie lin ling liu
    lo long lou lu luan lun luo lv lve ma mai man mang mao me mei men meng mi mian miao mie min ming miu
    mo mou mu na nai nan nang nao ne nei nen neng ni nia nian niang niao nie nin ning niu nong nou nu
    nuan nun nuo nv nve o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia
    qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru rua
    ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao she shei shen sheng shi
    shou shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang tao
    te tei teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wong
    wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo
    yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen
    zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo
""".split())


def query_syllables(key: str) -> list[str]:
    """A pinyin query read left to right as syllables, each the longest that fits, or else one letter
    taken as an initial: "dinglj" → ding, l, j; "dinglij" → ding, li, j."""
    pieces, rest = [], key
    while rest:
        size = next((n for n in range(min(6, len(rest)), 1, -1) if rest[:n] in SYLLABLES), 1)
        pieces.append(rest[:size])
        rest = rest[size:]
    return pieces


def search_key(query: str) -> str:
    """A typed query as it compares with the stored pinyin: "Ding Li-jia" → "dinglijia", "lü" → "lv"
    ("" when the query is not pinyin: Chinese characters, digits only, or nothing left)."""
    text = unicodedata.normalize("NFKC", query or "").lower().replace("ü", "v").replace("u:", "v")
    if not text.isascii():
        return ""
    key = "".join(ch for ch in text if ch.isalpha())
    # A query with digits in it is an account, phone or student number, not a name.
    if not key or any(ch.isdigit() for ch in text):
        return ""
    return key
