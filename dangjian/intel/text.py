"""Text normalisation before the character n-grams: generic, never per category.

Citizen messages carry a lot that says nothing about the category — greetings (您好、尊敬的
领导), closing formulas (望领导重视、盼复、谢谢), phone numbers, dates, times, house numbers,
amounts and the names of places. Left in, a classifier trained on one city learns that
"陵城街道" means 城乡建设 because that street happened to complain about roads; on
another city's messages it then fails. So:

* numbers in their common shapes become one placeholder token each (phone, date, time,
  money, amount, house number), so the *kind* of thing survives (a wage dispute mentions
  money; a road complaint a house number) but not its value;
* names of administrative places (…市/县/区/镇/乡/街道/社区/村/屯, …路/街/大道/巷 with a
  name in front) collapse to a token keeping the suffix's kind, so "某村" still hints at
  rural matters, "某路" at streets;
* courtesy formulas common to all categories are removed.

The lists below are about *how people write to a government*, the same for every
category; the classifier learns everything about categories from the data.
"""

from __future__ import annotations

import re
import unicodedata

_PHONE = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{3,4}-\d{7,8}|12345)(?!\d)")
_DATE = re.compile(
    r"(?:\d{2,4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*[日号]|\d{4}\s*年(?:\s*\d{1,2}\s*月)?|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
)
_TIME = re.compile(r"(?:凌晨|晚上|早上|中午|下午|上午|夜里)?\s*\d{1,2}\s*[:：点时]\s*(?:半|\d{1,2}\s*分?)?")
_MONEY = re.compile(r"\d+(?:\.\d+)?\s*(?:万元|千元|元|块钱|块|万)")
_HOUSE = re.compile(r"\d+\s*(?:号楼|栋|幢|单元|号|室|楼|层|弄|组|队)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# A name of two characters (most Chinese place names) in front of an administrative or street
# suffix. Without word segmentation a longer name would swallow the words before it.
_PLACE = re.compile(
    r"(?P<name>[\u4e00-\u9fff]{2})(?P<suffix>自治区|自治县|街道办|街道|社区|新区|开发区|工业园|市|县|区|镇|乡|村委|村|屯"
    r"|大道|路|街|巷|小区|花园|公寓|广场)"
)
_PLACE_TOKEN = {
    "自治区": "某省",
    "市": "某市",
    "县": "某县",
    "自治县": "某县",
    "区": "某区",
    "新区": "某区",
    "开发区": "某园区",
    "工业园": "某园区",
    "镇": "某镇",
    "乡": "某镇",
    "街道": "某街道",
    "街道办": "某街道",
    "社区": "某社区",
    "村委": "某村",
    "村": "某村",
    "屯": "某村",
    "大道": "某路",
    "路": "某路",
    "街": "某路",
    "巷": "某路",
    "小区": "某小区",
    "花园": "某小区",
    "公寓": "某小区",
    "广场": "某广场",
}
# Common words that end like a place but are no name ("马路", "超市", "农村" …) are kept.
_NOT_PLACE_WORDS = (
    "马路 道路 公路 走路 出路 铁路 线路 水路 电路 思路 山路 小路 大路 土路 一路 进路 过路 上路 半路 拦路 修路 "
    "城区 市区 郊区 景区 园区 校区 辖区 片区 社区 老区 山区 灾区 矿区 城市 超市 菜市 夜市 股市 都市 集市 "
    "城镇 乡镇 农村 乡村 山村 本村 全村 邻村 外村 隔村 进村 回村 出村 全县 本县 全市 本市 全区 本区 全镇 本镇 "
    "大街 老街 上街 逛街 临街 沿街 满街 步行街 下乡 回乡 家乡 老乡 城乡 本乡"
)
_NOT_PLACE = frozenset(_NOT_PLACE_WORDS.split(" "))
_COURTESY = re.compile(
    r"尊敬的[\u4e00-\u9fff]{0,8}?(?:领导|书记|市长|县长|主任|同志|工作人员)(?:们)?(?:您好|你好)?"
    r"|(?:各位)?领导(?:们)?(?:您好|你好)|您好|你好|领导好|大家好"
    r"|(?:恳请|希望|望|请|敬请|盼)(?:有关|相关)?(?:部门|领导)?(?:高度)?(?:重视|关注|尽快处理|早日解决|给予解决|帮忙解决)"
    r"|盼复|望回复|请回复|望答复|请答复|期待回复|谢谢(?:您|你们|领导)?|感谢(?:领导|政府|您)?|万分感谢|此致敬礼|此致|敬礼"
    r"|麻烦(?:领导|你们|您)?(?:了)?|辛苦了"
)
_SPACE = re.compile(r"\s+")


def _place(m: re.Match[str]) -> str:
    name, suffix = m.group("name"), m.group("suffix")
    if (name + suffix)[-len(suffix) - 1 :] in _NOT_PLACE or name + suffix in _NOT_PLACE:
        return m.group(0)
    return " " + _PLACE_TOKEN[suffix] + " "


def normalise(text: str) -> str:
    """Normalised text for the n-grams (idempotent enough; pure, fast)."""
    s = unicodedata.normalize("NFKC", text or "")
    s = _COURTESY.sub(" ", s)
    s = _PHONE.sub(" 〈电话〉 ", s)
    s = _DATE.sub(" 〈日期〉 ", s)
    s = _TIME.sub(" 〈时间〉 ", s)
    s = _MONEY.sub(" 〈金额〉 ", s)
    s = _HOUSE.sub(" 〈门牌〉 ", s)
    s = _NUMBER.sub("〈数〉", s)
    s = _PLACE.sub(_place, s)
    return _SPACE.sub(" ", s).strip()


def document(title: str, text: str) -> str:
    """The string the classifier sees: title twice (it is the summary) and the details."""
    t = normalise(title)
    return f"{t} 。{t} 。{normalise(text)}"
