"""Demo appeals for 北流市: about 600 cases over the last six months, through the real actions.

Every case is submitted, accepted, dispatched, acknowledged, fed back, verified, rated,
whistled, claimed, merged … by the same ``appeals.actions`` a user would call, as the
person who would do it (the grid worker of the grid, the street officer, the department
liaison, the reporter), so the Transition rows, audit rows, whistle tasks and counters are
all real. The actions stamp ``timezone.now()``; each case also carries a simulated clock
(working hours by ``core.workcal``) recording when each step *would* have happened.

DEMO-ONLY BACK-DATING (:func:`_Builder.backdate`): after the build, in the same
transaction, every case is moved onto its simulated clock — ``received_on``,
``created_at``/``updated_at``, the milestones, the Transition ``at`` times (in their
original order), progress notes, whistles and their tasks — and the deadlines are
recomputed from the shifted times with ``actions.response_due`` / ``actions.resolve_due``
(whistle tasks with the same working-hour rules as ``whistle_case``), so the on-time flags
mean what they say. Then ``stats.rebuild()`` rewrites the counters from a recount. What is
*not* back-dated: case numbers keep the date they were issued with (today — numbers are
issued once and never rewritten), and audit rows keep the build time (the audit log says
when the demo was made). The notification fan-out queued by the actions is dropped: it
would announce six months of history as new.

Accounts made here besides the demo table (``demo/accounts.py``), all without a usable
password (they exist so that the history names real people): a liaison for each stationed
department that has none, an account for each grid's full-time 网格员, a street officer
for 城南/城北街道, and accounts for some residents (reporters rate through them; a hotline
rating stands for the 12345 回访).
"""

from __future__ import annotations

import io
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from dangjian.accounts import actions as account_actions
from dangjian.accounts.models import User
from dangjian.appeals import actions as appeals
from dangjian.appeals import stats
from dangjian.appeals.choices import Event, Priority, Rating, Status
from dangjian.appeals.models import Case, CaseNote, Category, Follower, Transition, Whistle, WhistleTask
from dangjian.core import audit, workcal
from dangjian.demo import accounts as demo_accounts
from dangjian.people.models import GridWorker, Resident
from dangjian.territory import geo
from dangjian.territory.models import Node
from dangjian.units.models import Unit

SEED = 2026
CASES = 600
DAYS = 182  # six months

# The six stationed departments (街长制) as the demo names them.
DEPARTMENTS = {
    "公安": "北流市公安局",
    "交警": "北流市公安局交通管理大队",
    "消防": "北流市消防救援大队",
    "市场监管": "北流市市场监督管理局",
    "城管": "北流市城市管理局",
    "环卫": "北流市环境卫生管理站",
}
LIAISON_PHONES = {  # departments without a demo account get a liaison (no usable password)
    "公安": "18807751001",
    "交警": "18807751002",
    "消防": "18807751003",
    "市场监管": "18807751004",
    "城管": "18807751005",
    "环卫": "18807751006",
}
ROADS = (
    "新荣路",
    "城东路",
    "广场路",
    "北流大道",
    "金融路",
    "西外街",
    "东外街",
    "河堤路",
    "永丰路",
    "城南一路",
    "城北二路",
    "陵宁路",
    "松花路",
    "凤凰路",
    "荔园路",
    "圭江大道",
)


@dataclass(frozen=True)
class Topic:
    """What residents write about: a taxonomy leaf, who handles it, and how they put it."""

    path: tuple[str, str, str]
    weight: int
    dept: str  # short department name, "" when the grid/street handles it
    route: str  # "grid" (小事一格解决), "dept", "street"
    titles: tuple[str, ...]
    texts: tuple[str, ...]
    enterprise: bool = False


T = Topic
TOPICS: tuple[Topic, ...] = (
    # 交通出行
    T(
        ("政法", "交通管理", "交通安全管理"),
        7,
        "交警",
        "dept",
        ("{road}路口缺少红绿灯", "学校门口上下学时段拥堵严重", "{road}电动车逆行闯红灯太多"),
        (
            "{road}和{road2}交叉口每天早晚高峰车多人多，没有红绿灯也没有人指挥，上周又差点撞到骑车的学生，建议加装信号灯。",
            "{place}附近的小学放学时家长的车把路堵死了，公交车都过不去，能不能安排交警在放学时段疏导一下。",
            "{road}这段电动车逆行、闯红灯的特别多，晚上还不开灯，老人过马路很危险，希望加强整治。",
        ),
    ),
    T(
        ("政法", "交通管理", "其他"),
        6,
        "交警",
        "dept",
        ("{road}车辆乱停放", "{place}门口车辆长期占道停放", "僵尸车占用车位半年没人管"),
        (
            "{road}两边白天晚上都停满了车，有的直接停在人行道上，推婴儿车只能走到机动车道，太危险了。",
            "{place}大门口总有几辆车乱停，救护车上次都进不来，请交警来贴条处理。",
            "{place}旁边有一辆落满灰的面包车，轮胎都瘪了，停了半年多，占着公共车位，麻烦拖走。",
        ),
    ),
    T(
        ("交通运输", "建设管理", "设施维护"),
        4,
        "城管",
        "dept",
        ("{road}公交站台雨棚破损", "{road}人行道护栏被撞坏", "{road}减速带松动响声大"),
        (
            "{road}靠{place}这个公交站的雨棚玻璃碎了一块，下雨天等车都淋湿，碎玻璃也容易伤人。",
            "{road}中间的护栏被车撞歪了好几米，一直没人修，晚上看不清容易出事。",
            "{place}门口的减速带螺丝松了，车一压就哐哐响，半夜吵得睡不着。",
        ),
    ),
    # 纠纷矛盾
    T(
        ("政法", "仲裁与调解", "司法调解"),
        7,
        "",
        "grid",
        ("楼上漏水到我家协商不成", "邻居占用楼道堆放杂物引发矛盾", "楼上装修噪音扰民多次沟通无果"),
        (
            "我住{place}，楼上卫生间漏水把我家天花板泡坏了，找他们好几次都说不是他们的问题，希望网格员帮忙调解。",
            "{place}隔壁邻居在楼道堆了纸箱和旧家具，说了几次不但不搬还吵架，请社区出面协调。",
            "楼上装修一个多月了，周末早上七点就开始打电钻，家里有高三学生，去沟通被骂了回来，请帮忙调解。",
        ),
    ),
    T(
        ("城乡建设", "住房保障与房地产", "物业服务"),
        7,
        "",
        "grid",
        ("{place}电梯经常坏物业不修", "物业乱收停车费", "{place}物业服务差业主意见大"),
        (
            "{place}3栋的电梯这个月坏了三次，有一次把老人关在里面半小时，物业只会说在等配件，请社区督促。",
            "{place}物业今年突然把停车费从100涨到200，没开业主大会也没公示，大家都不认可。",
            "小区里绿化没人修剪、楼道灯坏了也不换，物业费照收，业主和物业吵了好几次，希望社区组织协商。",
        ),
    ),
    T(
        ("劳动和社会保障", "工资福利", "工资发放"),
        3,
        "",
        "street",
        ("工地拖欠农民工工资", "饭店老板拖欠工资不给", "装修队包工头跑路欠薪"),
        (
            "我们十几个人在{road}那边的工地干了三个月，工资一直拖着不发，快过年了家里等着用钱，请帮忙协调。",
            "我在{road}一家饭店做服务员，辞职两个月了老板还欠我两个月工资，打电话不接。",
            "给{place}做装修的包工头收了钱跑了，我们几个工人的工钱没着落，请政府帮帮我们。",
        ),
    ),
    # 城乡建设 / 市容
    T(
        ("城乡建设", "城市建设和市政管理", "城市公共设施"),
        7,
        "城管",
        "dept",
        ("{road}路灯不亮", "{place}门口路灯坏了好几天", "{road}一排路灯晚上全黑"),
        (
            "{road}靠近{place}那一段的路灯已经{days}天没亮了，晚上下班回来黑乎乎的，老人小孩走路容易摔，麻烦尽快修一下。",
            "每天晚上七点以后{place}门口这段路没有灯，电动车经常差点撞到人，希望有关部门抓紧维修。",
            "{road}从{road2}路口往东一排路灯都不亮，已经好几天了，夜里走路心里发慌。",
        ),
    ),
    T(
        ("城乡建设", "城市建设和市政管理", "城管执法"),
        8,
        "城管",
        "dept",
        ("{road}占道经营严重", "{place}门口流动摊贩堵路", "夜市烧烤摊占人行道油烟扰民"),
        (
            "每天早上六点到九点，{road}两边摆满了卖菜卖水果的摊子，车过不去，人也挤，希望城管管一管。",
            "{place}门口晚上有烧烤摊占了人行道，油烟大还吵，到十二点多都不收摊。",
            "{road}有几家店把货摆到店外两三米，人行道只剩一条缝，行人只能走马路。",
        ),
    ),
    T(
        ("城乡建设", "城市建设和市政管理", "环境卫生"),
        7,
        "环卫",
        "dept",
        ("{place}垃圾桶满了没人清", "{road}垃圾堆积发臭", "有人在路边乱倒建筑垃圾"),
        (
            "{place}旁边的垃圾桶已经{days}天没人清运了，天气热，臭味很大，苍蝇蚊子多。",
            "{road}路口有人乱倒建筑垃圾和旧家具，堆了一大堆，影响通行也影响市容。",
            "{road}靠近菜市场那段每天垃圾满地，环卫工人扫了下午又脏，建议增加清运次数。",
        ),
    ),
    T(
        ("城乡建设", "城市建设和市政管理", "基础设施"),
        5,
        "城管",
        "dept",
        ("{road}井盖缺失", "{road}路面坑洼一下雨就积水", "{place}旁下水道堵塞污水外溢"),
        (
            "{road}靠近{place}有个井盖不见了，只用一根树枝插着，晚上看不见很危险，请马上处理。",
            "{road}这段路面坑坑洼洼的，一下雨全是积水，电动车骑过去溅人一身泥。",
            "{place}旁边的下水道堵了好几天，污水漫到路面上，臭得不行。",
        ),
    ),
    T(
        ("城乡建设", "城市建设和市政管理", "园林绿化"),
        3,
        "",
        "grid",
        ("{road}行道树枝条挡住红绿灯", "{place}门口大树有断枝隐患", "绿化带被改成菜地"),
        (
            "{road}的行道树长得太茂盛，把红绿灯挡住了，开车到跟前才看见，建议修剪。",
            "台风过后{place}门口那棵大榕树有一根粗树枝裂开挂着，随时可能掉下来砸到人。",
            "{place}楼下的公共绿化带被几户人家开荒种了菜，还浇粪水，味道很大。",
        ),
    ),
    T(
        ("城乡建设", "城市建设和市政管理", "自来水供应"),
        3,
        "",
        "grid",
        ("{place}停水没有提前通知", "自来水发黄有异味", "{place}水压太低高层用不上水"),
        (
            "{place}今天早上突然停水，也没看到通知，家里老人做不了饭，请问什么时候来水。",
            "这几天家里水龙头放出来的水发黄，还有一股铁锈味，不敢给孩子喝。",
            "{place}每天晚上用水高峰期十楼以上几乎没水，洗澡都洗不了，已经持续一个多月。",
        ),
    ),
    # 环境
    T(
        ("环境保护", "环境污染", "噪音污染"),
        4,
        "城管",
        "dept",
        ("{road}工地夜间施工噪音扰民", "广场舞音响太大", "{place}楼下KTV噪音到凌晨"),
        (
            "{road}那个工地每天晚上十一点以后还在打桩，{place}的居民根本睡不着，请查一下有没有夜间施工许可。",
            "{place}旁边的小广场每天晚上广场舞音响开得特别大，家里孩子没法写作业，希望规定音量和时间。",
            "{place}楼下新开的KTV每天唱到凌晨两三点，报过几次警还是照旧。",
        ),
    ),
    T(
        ("环境保护", "环境污染", "大气污染"),
        3,
        "城管",
        "dept",
        ("有人露天焚烧垃圾", "{road}餐馆油烟直排", "搅拌站粉尘太大"),
        (
            "{place}后面的空地上经常有人烧垃圾和塑料，烟很呛，晚上窗户都不敢开。",
            "{road}一家餐馆的排烟管直接对着居民楼，油烟把我家窗户都熏黑了。",
            "城边那个搅拌站一刮风灰尘就飘过来，{place}的车上阳台上全是灰。",
        ),
    ),
    # 市场监管
    T(
        ("卫生计生", "食品药品监管", "食品安全"),
        3,
        "市场监管",
        "dept",
        ("{road}小餐馆卫生堪忧", "买到过期食品", "学校周边流动摊贩卖三无食品"),
        (
            "{road}有家快餐店后厨在门口露天洗菜切肉，苍蝇乱飞，吃完肚子疼了两天。",
            "在{place}附近的超市买的牛奶回家发现过期一个星期了，找店家只说给换一盒。",
            "学校门口放学时有流动摊卖辣条和饮料，都没有生产日期，孩子天天买，很担心。",
        ),
    ),
    T(
        ("商贸旅游", "市场监管", "物价监督"),
        2,
        "市场监管",
        "dept",
        ("菜市场缺斤短两", "{road}药店价格不明码标价", "停车场乱收费"),
        (
            "在菜市场买了两斤排骨，回家一称只有一斤六两，这种情况不是第一次了。",
            "{road}一家药店的药都不标价，结账时才说价格，比别家贵很多。",
            "{place}旁边的临时停车场没有收费公示，停两个小时收了二十块。",
        ),
    ),
    # 治安 / 消防
    T(
        ("政法", "社会治安", "治安案件"),
        3,
        "公安",
        "dept",
        ("{place}电动车电瓶被偷", "夜间有人在{road}聚集滋事", "小区外有人发放高息借贷传单"),
        (
            "{place}车棚这个月已经丢了好几个电瓶了，监控好像是坏的，请派出所来看看。",
            "最近晚上{road}大排档附近经常有年轻人喝酒吵架，有一次还打起来了，居民不敢出门。",
            "有人在{place}门口发高息借贷的传单，还拉着老人去听讲座，怀疑是诈骗。",
        ),
    ),
    T(
        ("政法", "社会治安", "消防安全"),
        3,
        "消防",
        "dept",
        ("楼道里电动车充电有火灾隐患", "{place}消防通道被占", "消防栓没水"),
        (
            "{place}2栋一楼楼道里每晚都有人拉线给电动车充电，电线乱搭，很怕着火。",
            "{place}的消防通道上常年停满了车，上次有户人家厨房着火，消防车差点进不来。",
            "我们小区做消防演练时发现好几个消防栓打开没水，万一真着火怎么办。",
        ),
    ),
    # 企业生产 (服务企业马上办)
    T(
        ("企业服务（服务企业马上办）", "企业生产", "用电用水用气"),
        4,
        "",
        "street",
        ("厂区频繁停电影响生产", "企业用水报装进度慢", "天然气管道迟迟不接通"),
        (
            "{company}这个月厂区已经停电四次，每次都没有提前通知，窑炉一停损失很大，希望协调供电部门。",
            "{company}新厂房两个月前申请了用水报装，到现在还没通水，影响设备调试。",
            "{company}的天然气管道已经铺到厂门口，燃气公司一直说排期，生产线等着投产。",
        ),
        enterprise=True,
    ),
    T(
        ("企业服务（服务企业马上办）", "企业生产", "周边施工影响"),
        3,
        "城管",
        "dept",
        ("门前道路施工挡住货车进出", "市政施工挖断企业排水管", "施工围挡占用企业出入口"),
        (
            "{company}门口的路开挖了一个多月，货车进不来，订单都要延期了，请协调施工单位留出通道。",
            "旁边市政工程施工把{company}的排水管挖断了，一下雨厂区就积水。",
            "施工方的围挡把{company}的大门挡了一半，消防车都进不来，请尽快调整。",
        ),
        enterprise=True,
    ),
    T(
        ("企业服务（服务企业马上办）", "营商环境", "涉企执法"),
        2,
        "市场监管",
        "dept",
        ("同一事项多头检查", "执法标准不一致", "希望推行首违不罚"),
        (
            "{company}这个月已经接待了三批检查，查的都是同样的内容，希望能统筹一下，减少对生产的干扰。",
            "{company}同样的包装标识，上次检查说合格，这次又说不合格要整改，希望统一标准。",
            "{company}第一次因为标签不规范被罚，已经马上整改了，希望能按首违不罚处理。",
        ),
        enterprise=True,
    ),
    T(
        ("企业服务（服务企业马上办）", "要素保障", "用工招聘"),
        2,
        "",
        "street",
        ("旺季招工难", "希望组织专场招聘会", "员工子女入学咨询"),
        (
            "{company}今年订单多，缺一线工人五十多人，希望街道帮忙对接劳务资源。",
            "{company}想参加春季招聘会，不知道怎么报名，希望街道给个联系方式。",
            "{company}有几个外地来的技术骨干，孩子想在附近上学，想咨询入学政策。",
        ),
        enterprise=True,
    ),
)

# Closing words the handlers and residents write.
PROGRESS = (
    "已到现场查看，情况属实，正在协调处理。",
    "已联系相关责任人，约定明天上午到现场。",
    "已拍照取证，正在安排人员和材料。",
    "已与当事双方沟通，初步达成处理意见。",
)
RESULTS = {
    "grid": (
        "网格员上门调解，双方达成一致意见，已签订调解协议。",
        "已协调物业和业主代表现场处理，问题已解决，反映人表示认可。",
        "已联系责任单位整改完毕，现场复查无问题。",
    ),
    "dept": (
        "已派执法人员现场处置，问题已整改到位，并纳入日常巡查。",
        "已安排维修，现已恢复正常，附现场照片。",
        "已约谈责任单位并责令限期整改，复查已整改完毕。",
    ),
    "street": (
        "街道已牵头协调相关单位，问题已解决，企业表示满意。",
        "已召集有关方面现场办公，明确了解决时间表并已落实。",
        "街道已对接相关部门，已按政策办理完毕。",
    ),
}
COMMENTS = {
    Rating.SATISFIED: ("处理很及时，谢谢！", "网格员很负责，点赞。", "问题解决了，很满意。", ""),
    Rating.BASIC: ("解决了，就是时间有点长。", "基本解决，希望以后多巡查。", ""),
    Rating.UNSATISFIED: ("问题还在，只是临时处理了一下。", "说修好了，实际上没修。", "没有人联系我。"),
}
RETURNS = ("现场复查仍未整改到位，请返工。", "照片与反映问题不符，请重新处置。")
REJECTS = ("反映内容不具体，无法核实，请补充具体位置后重新反映。", "属于个人民事纠纷，建议通过诉讼途径解决。")
NOT_OURS = ("该问题属于供电公司经营范围，已告知反映人联系95598。", "属于铁路部门管辖区域，已告知反映人。")
WHISTLE_DUTIES = {
    "城管": "负责现场执法，清理占道和违章搭建",
    "环卫": "负责清运垃圾、冲洗路面",
    "交警": "负责交通疏导，查处违停",
    "公安": "负责维护现场秩序，排查治安隐患",
    "消防": "负责消防安全检查，督促整改隐患",
    "市场监管": "负责检查经营资质和食品安全",
}
WHISTLE_PAIRS = (("城管", "环卫"), ("城管", "交警"), ("城管", "市场监管"), ("公安", "消防"), ("交警", "公安"))


@dataclass
class Sim:
    """A case's simulated clock: when each of its steps would have happened."""

    t: datetime
    times: list[datetime] = field(default_factory=list)  # one per Transition, in order
    notes: list[tuple[int, datetime]] = field(default_factory=list)
    whistles: dict[int, tuple[datetime, datetime | None]] = field(default_factory=dict)
    tasks: dict[int, tuple[datetime | None, datetime | None]] = field(default_factory=dict)
    follows: list[tuple[int, datetime]] = field(default_factory=list)

    def work(self, hours: float) -> datetime:
        self.t = workcal.add_working_hours(self.t, max(0.05, hours))
        return self.t

    def cal(self, hours: float) -> datetime:
        self.t = self.t + timedelta(hours=hours)
        return self.t

    def mark(self, n: int = 1) -> None:
        self.times.extend([self.t] * n)


@dataclass
class Plan:
    """One case to build: what it is about, where, who reports it, and how far it goes."""

    received: datetime
    outcome: str
    topic: Topic
    grid: Node | None
    street: Node
    channel: str
    reporter: Any = None  # User (with a person) or None
    rework: bool = False
    route: str = ""


@dataclass
class DemoAppeals:
    cases: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


OUTCOMES = (  # (outcome, share of the cases); "closed" takes the rest
    ("submitted", 0.08),
    ("accepted", 0.015),
    ("dispatched", 0.055),
    ("in_progress", 0.12),
    ("handled", 0.05),
    ("rejected", 0.015),
    ("duplicate", 0.015),
    ("not_ours", 0.007),
    ("cancelled", 0.004),
)
RECENT_DAYS = {  # how long ago an open case came in (days)
    "submitted": (0.05, 2),
    "closed_unrated": (3, 12),
    "accepted": (0.5, 4),
    "dispatched": (0.5, 5),
    "in_progress": (1, 18),
    "whistled": (2, 8),
    "handled": (1, 10),
}


class _Builder:
    def __init__(self, *, county: Node, seed: int, n: int, now: datetime) -> None:
        self.rng = random.Random(seed)
        self.county = county
        self.n = n
        self.now = now
        self.sims: dict[int, Sim] = {}
        self.categories = {
            (c.parent.parent.name, c.parent.name, c.name): c  # type: ignore[union-attr]
            for c in Category.objects.filter(level=3).select_related("parent__parent")
        }
        self.seq = 0
        self.overdue_left = True  # one open whistle keeps a department that never reported in

    # --- people -------------------------------------------------------------------------

    def _user(self, phone: str, name: str, person: Any = None) -> User:
        user = User.objects.create_user(phone, None, name=name, person=person)  # no usable password
        audit.record(None, "accounts.user.create", user)
        return user

    def accounts(self) -> None:
        demo = {a.phone: u for a, u in demo_accounts.existing()}
        by_role = {a.role: demo[a.phone] for a in demo_accounts.ACCOUNTS if a.phone in demo}
        self.admin = by_role["city_admin"]
        self.chief = by_role["street_chief"]
        self.community_worker = by_role["community_worker"]
        self.member = by_role["member"]
        self.resident = by_role["resident"]
        self.unit_admin = by_role["unit_admin"]
        self.cw_node_id = self.community_worker.assignments.values_list("node_id", flat=True).first()
        self.streets = {s.name: s for s in Node.objects.filter(parent=self.county, level="street")}
        self.street_officer: dict[int, User] = {}
        for a in demo_accounts.ACCOUNTS:
            if a.role == "street_officer" and a.phone in demo:
                self.street_officer[self.streets[a.scope_name].pk] = demo[a.phone]
        for k, (name, street) in enumerate(sorted(self.streets.items())):
            if street.pk not in self.street_officer:
                user = self._user(f"1880775120{k}", f"{name[:2]}街道综治中心")
                account_actions.assign_role(
                    user=user, role="street_officer", node=street, title="综治中心", acting_user=None
                )
                self.street_officer[street.pk] = user
        # Department liaisons.
        units = {u.name: u for u in Unit.objects.filter(node=self.county, kind="department")}
        self.depts: dict[str, Unit] = {}
        self.liaison: dict[str, User] = {}
        for short, name in DEPARTMENTS.items():
            unit = units.get(name)
            if unit is None:
                continue
            self.depts[short] = unit
            existing = User.objects.filter(
                assignments__unit=unit, assignments__role="department", assignments__active=True
            ).first()
            if existing is None:
                existing = self._user(LIAISON_PHONES[short], f"{short}联络员")
                account_actions.assign_role(
                    user=existing, role="department", node=self.county, unit=unit, acting_user=None
                )
            self.liaison[short] = existing
        # Grid workers: the demo account for its grid, an account for every other one.
        self.grids = {g.pk: g for g in Node.objects.filter(county=self.county, level="grid").order_by("code")}
        self.grid_user: dict[int, User] = {}
        demo_grid = next(a for a in demo_accounts.ACCOUNTS if a.role == "grid_worker")
        for g in self.grids.values():
            if g.name == demo_grid.scope_name and demo_grid.phone in demo:
                self.grid_user[g.pk] = demo[demo_grid.phone]
        posts = GridWorker.objects.filter(
            grid_node__in=list(self.grids), role="worker", full_time=True
        ).select_related("person")
        for k, post in enumerate(posts.order_by("grid_node__code")):
            if post.grid_node_id in self.grid_user:
                continue
            user = self._user(f"1770775{k:04d}", post.person.name, post.person)
            account_actions.assign_role(user=user, role="grid_worker", node=post.grid_node, acting_user=None)
            self.grid_user[post.grid_node_id] = user
        # Residents with an account (they reported on the mobile page; hotline callers are
        # matched to them so the 回访 rating has someone to give it).
        taken = set(User.objects.filter(person__isnull=False).values_list("person_id", flat=True))
        rows = (
            Resident.objects.filter(county=self.county)
            .exclude(person_id__in=taken)
            .select_related("person")
            .order_by("id")[:160]
        )
        self.reporters: list[User] = []
        self.reporters_in: dict[int, list[User]] = {}
        for k, r in enumerate(rows):
            user = self._user(f"1360775{k:04d}", r.person.name, r.person)
            self.reporters.append(user)
            if r.grid_id:
                self.reporters_in.setdefault(r.grid_id, []).append(user)
        if not self.reporters:
            self.reporters = [self.resident]

    def dispatcher(self, node: Node) -> User:
        """Who receives and dispatches at a node."""
        if node.level == "grid":
            return self.grid_user.get(node.pk) or self.street_officer[node.street_id or 0]
        if node.level == "community":
            if node.pk == self.cw_node_id:
                return self.community_worker
            return self.street_officer[node.street_id or 0]
        if node.level == "street":
            return self.street_officer[node.pk]
        return self.admin

    def verifier(self, case: Case) -> User:
        if case.tier in ("grid", "community") and case.community_id == self.cw_node_id:
            if self.rng.random() < 0.6:
                return self.community_worker
        if case.tier == "county" or case.street_id is None:
            return self.admin
        return self.street_officer[case.street_id]

    # --- where ----------------------------------------------------------------------------

    def point(self, grid: Node) -> tuple[float, float]:
        """A point inside the grid: its representative point plus a small jitter."""
        lng0, lat0 = grid.lng or 0.0, grid.lat or 0.0
        for _ in range(8):
            lng = round(lng0 + self.rng.uniform(-0.0018, 0.0018), 6)
            lat = round(lat0 + self.rng.uniform(-0.0018, 0.0018), 6)
            if geo.locate_id(lng, lat) == grid.pk:
                return lng, lat
        return lng0, lat0

    def place_name(self, grid: Node | None, street: Node) -> str:
        if grid is not None:
            compounds = self.compounds.get(grid.pk)
            if compounds and self.rng.random() < 0.75:
                return self.rng.choice(compounds)
            return f"{grid.parent.name if grid.parent else street.name}{self.rng.choice(ROADS)}段"
        return f"{street.name}{self.rng.choice(ROADS)}"

    # --- the plan -------------------------------------------------------------------------

    def plans(self) -> list[Plan]:
        rng = self.rng
        self.compounds: dict[int, list[str]] = {}
        for c in Node.objects.filter(county=self.county, level="compound").order_by("code"):
            if c.grid_id:
                self.compounds.setdefault(c.grid_id, []).append(c.name)
        self.companies: dict[int, list[str]] = {}
        for u in Unit.objects.filter(county=self.county, kind__in=["private", "soe"]).order_by("id"):
            if u.grid_id:
                self.companies.setdefault(u.grid_id, []).append(u.name)
        grids = list(self.grids.values())
        lingcheng = self.streets.get("陵城街道")
        home = next((g for g in grids if g.name == "桂塘第一网格"), grids[0])
        outcomes: list[str] = []
        for name, share in OUTCOMES:
            outcomes += [name] * round(self.n * share)
        outcomes += ["whistled"] * 5
        outcomes += ["closed"] * max(0, self.n - len(outcomes) - 7)
        rng.shuffle(outcomes)
        # The demo resident's own cases (我的诉求): one of each stage, one closed awaiting rating.
        mine = ["closed_unrated", "rated", "in_progress", "submitted", "dispatched", "rated"]
        topics = [t for t in TOPICS if not t.enterprise]
        weights = [t.weight for t in TOPICS]
        out: list[Plan] = []
        for k, outcome in enumerate(mine + outcomes):
            resident_case = k < len(mine)
            topic = rng.choice([t for t in topics if t.route != "street"]) if resident_case else None
            topic = topic or rng.choices(TOPICS, weights)[0]
            if topic.enterprise:
                grid: Node | None = rng.choice([g for g in grids if g.pk in self.companies] or grids)
                channel = "enterprise"
            elif resident_case:
                grid, channel = home, "resident"
            else:
                grid = rng.choice(grids)
                channel = rng.choices(["resident", "patrol", "hotline"], [55, 20, 25])[0]
            if channel == "patrol" and outcome in ("closed_unrated", "rejected", "cancelled", "duplicate"):
                channel = "resident"
            street = self.streets_by_id[grid.street_id or 0] if grid else self.county
            if channel == "hotline" and rng.random() < 0.15:
                grid = None  # an address only: the street's triage queue
            route = topic.route if grid is not None else "street"
            if outcome == "closed" and rng.random() < 0.03 and route != "street":
                route = "whistle"
            if outcome == "whistled":
                route = "whistle"
                grid = grid or rng.choice(grids)
            if (
                outcome in ("closed", "in_progress")
                and lingcheng
                and grid is not None
                and grid.street_id == lingcheng.pk
                and route == "grid"
                and rng.random() < 0.35
            ):
                route = "claim"
            if route == "whistle" and grid is None:
                route = "street"
            days = RECENT_DAYS.get(outcome)
            if days is None:
                ago = timedelta(days=rng.uniform(12, DAYS - 2))
            else:
                ago = timedelta(days=rng.uniform(*days))
            received = self.now - ago
            hour = rng.choices(range(7, 23), [2, 6, 9, 9, 7, 5, 6, 8, 8, 7, 5, 6, 6, 5, 3, 2])[0]
            received = received.astimezone(workcal.tz()).replace(
                hour=hour, minute=rng.randrange(60), second=rng.randrange(60)
            )
            if received > self.now - timedelta(minutes=20):
                received = self.now - timedelta(minutes=rng.randrange(20, 180))
            if resident_case:
                reporter: Any = self.resident
            elif channel == "patrol":
                reporter = None
            else:
                local = self.reporters_in.get(grid.pk, []) if grid else []
                reporter = rng.choice(local if local and rng.random() < 0.7 else self.reporters)
            out.append(
                Plan(
                    received=received,
                    outcome="closed" if outcome == "rated" else outcome,
                    topic=topic,
                    grid=grid,
                    street=street,
                    channel=channel,
                    reporter=reporter,
                    rework=outcome in ("closed", "in_progress", "handled") and rng.random() < 0.04,
                    route=route,
                )
            )
        out.sort(key=lambda p: p.received)
        return out

    # --- one case -------------------------------------------------------------------------

    def text(self, template: str, plan: Plan, place: str) -> str:
        rng = self.rng
        roads = rng.sample(ROADS, 2)
        company = rng.choice(self.companies.get(plan.grid.pk, ["本企业"]) if plan.grid else ["本企业"])
        return template.format(
            place=place, road=roads[0], road2=roads[1], days=rng.choice("两三四五"), company=company
        )

    def submit(self, plan: Plan, *, like: Case | None = None) -> tuple[Case, Sim]:
        rng = self.rng
        topic = plan.topic
        category = self.categories[topic.path]
        place = self.place_name(plan.grid, plan.street)
        if like is not None:
            title = f"{like.title}（再次反映）" if rng.random() < 0.5 else like.title
            description = f"{like.description} 之前有人反映过，现在还是老样子。"
        else:
            title = self.text(rng.choice(topic.titles), plan, place)
            description = self.text(rng.choice(topic.texts), plan, place)
        self.seq += 1
        kwargs: dict[str, Any] = {
            "channel": plan.channel,
            "category": category,
            "title": title[:120],
            "description": description,
            "idempotency_key": f"demo-appeal-{self.seq:05d}",
            "priority": rng.choices([Priority.NORMAL, Priority.URGENT, Priority.EMERGENCY], [88, 10, 2])[0],
        }
        if plan.grid is not None:
            if like is not None and like.lng is not None and like.lat is not None:
                kwargs["lng"], kwargs["lat"] = like.lng, like.lat
            else:
                kwargs["lng"], kwargs["lat"] = self.point(plan.grid)
            kwargs["address"] = f"北流市{plan.street.name}{place}"
        else:
            kwargs["node"] = plan.street
            kwargs["address"] = f"北流市{place}"
        reporter = plan.reporter
        if plan.channel == "patrol":
            assert plan.grid is not None
            kwargs["acting_user"] = self.grid_user[plan.grid.pk]
        elif plan.channel == "hotline":
            kwargs["acting_user"] = None  # imported from the 12345 work orders
            kwargs["reporter"] = reporter.person
            kwargs["contact_name"] = reporter.name
            kwargs["contact_phone"] = f"139{rng.randrange(10**8):08d}"
        else:
            kwargs["acting_user"] = reporter
            kwargs["reporter"] = reporter.person
            kwargs["anonymous"] = plan.channel == "resident" and rng.random() < 0.1
        # A resident's report comes in as 一般; the staff at its node raise it at intake.
        raised = kwargs["priority"] if kwargs["acting_user"] is reporter else Priority.NORMAL
        if raised != Priority.NORMAL:
            kwargs["priority"] = Priority.NORMAL
        case = appeals.submit_case(**kwargs).case
        if raised != Priority.NORMAL:
            case = appeals.set_priority(
                case, priority=raised, acting_user=self.dispatcher(case.handling_node)
            )
        sim = Sim(t=plan.received)
        sim.mark()
        self.sims[case.pk] = sim
        return case, sim

    def reporter_user(self, case: Case) -> User | None:
        if case.reporter_user_id and case.channel != "patrol":
            return case.reporter_user
        if case.reporter_id:
            return User.objects.filter(person_id=case.reporter_id).first()
        return None

    def response(self, case: Case, late: float = 0.08) -> float:
        """Working hours taken to acknowledge: mostly within the response time."""
        hours = max(1.0, case.category.response_hours * (1.0 if case.priority == "normal" else 0.5))
        if self.rng.random() < late:
            return hours * self.rng.uniform(1.2, 3.0)
        return hours * self.rng.uniform(0.1, 0.9)

    def resolution(self, case: Case, late: float = 0.1) -> float:
        """Working hours from acknowledging to the result: mostly within the resolve days."""
        hours = case.category.resolve_days * 8 * (1.0 if case.priority == "normal" else 0.5)
        if self.rng.random() < late:
            return hours * self.rng.uniform(1.05, 1.6)
        return hours * self.rng.uniform(0.1, 0.75)

    def run(self, plan: Plan, built: list[Case]) -> None:
        rng = self.rng
        outcome = plan.outcome
        main = None
        if outcome == "duplicate":
            candidates = [
                c for c in built[-80:] if c.grid_id and c.merged_into_id is None and c.channel != "patrol"
            ]
            main = rng.choice(candidates) if candidates else None
            if main is not None:
                plan.grid, plan.topic = (
                    self.grids[main.grid_id or 0],
                    next(t for t in TOPICS if self.categories[t.path].pk == main.category_id),
                )
                plan.route = "grid"
                plan.street = self.streets_by_id[main.street_id or 0]
                plan.channel = "enterprise" if main.channel == "enterprise" else "resident"
        case, sim = self.submit(plan, like=main)
        built.append(case)
        if outcome == "submitted":
            return
        desk = self.dispatcher(case.handling_node)
        if outcome in ("duplicate", "rejected", "not_ours", "cancelled"):
            sim.work(rng.uniform(0.3, 4))
            if outcome == "duplicate" and main is not None:
                appeals.merge_cases(case, into=main, acting_user=desk)
                sim.mark()
                sim.follows.append((main.pk, sim.t))
            elif outcome == "rejected" or (outcome == "duplicate"):
                appeals.reject_case(case, reason=rng.choice(REJECTS), acting_user=desk)
                sim.mark()
            elif outcome == "not_ours":
                appeals.close_case(
                    case, event=Event.CLOSE_NOT_OURS, reason=rng.choice(NOT_OURS), acting_user=desk
                )
                sim.mark()
            else:
                who = self.reporter_user(case) or desk
                appeals.close_case(
                    case, event=Event.CANCEL, reason="问题已自行解决，申请撤销。", acting_user=who
                )
                sim.mark()
            return
        route = plan.route
        # 受理: the grid worker for small matters, the street's desk for the rest.
        if route in ("dept", "whistle", "street") and case.street_id:
            desk = self.street_officer[case.street_id]
        sim.work(rng.uniform(0.2, 3))
        case = appeals.accept_case(case, acting_user=desk)
        sim.mark()
        if outcome == "accepted":
            return
        if route == "whistle":
            self.whistle(case, sim, desk, plan)
            return
        if route == "claim":
            sim.work(rng.uniform(0.1, 1))
            case = appeals.publish_case(case, acting_user=desk, note="发布给在职党员和共建单位认领")
            sim.mark()
            sim.work(rng.uniform(0.5, 6))
            claimer = self.member if case.grid_id != self.home_grid or rng.random() < 0.5 else self.unit_admin
            case = appeals.claim_case(case, acting_user=claimer, note="我来认领，马上联系反映人。")
            sim.mark()
            handler = claimer
        else:
            case, handler = self.dispatch(case, sim, desk, route, plan.topic)
            if outcome == "dispatched":
                return
            sim.work(self.response(case))
            case = appeals.acknowledge_case(case, acting_user=handler)
            sim.mark()
        self.handle(case, sim, handler, route, plan, outcome)

    def dispatch(self, case: Case, sim: Sim, desk: User, route: str, topic: Topic) -> tuple[Case, User]:
        sim.work(self.rng.uniform(0.1, 1.5))
        if route == "dept" and topic.dept in self.depts:
            case = appeals.dispatch_case(
                case, to_unit=self.depts[topic.dept], acting_user=desk, note="请按职责处置"
            )
            sim.mark()
            return case, self.liaison[topic.dept]
        if route == "grid" and case.grid_id and case.tier == "grid":
            worker = self.grid_user[case.grid_id]
            grid = self.grids[case.grid_id]
            case = appeals.dispatch_case(case, to_node=grid, to_user=worker, acting_user=desk)
            sim.mark()
            return case, worker
        # The street (or, one level up, the county) handles it itself.
        handler = self.dispatcher(case.handling_node)
        case = appeals.dispatch_case(case, to_user=handler, acting_user=desk, note="由本级直接办理")
        sim.mark()
        return case, handler

    def handle(self, case: Case, sim: Sim, handler: User, route: str, plan: Plan, outcome: str) -> None:
        rng = self.rng
        total = self.resolution(case)
        sim.work(total * rng.uniform(0.15, 0.4))
        note = appeals.add_progress(case, text=rng.choice(PROGRESS), acting_user=handler)
        sim.notes.append((note.pk, sim.t))
        if outcome == "in_progress" and not plan.rework:
            return
        results = RESULTS["grid" if route in ("grid", "claim") else route if route in RESULTS else "dept"]
        sim.work(total * rng.uniform(0.3, 0.6))
        case = appeals.feedback_case(case, result=rng.choice(results), acting_user=handler)
        sim.mark()
        verifier = self.verifier(case)
        if plan.rework:
            sim.work(rng.uniform(0.5, 6))
            case = appeals.verify_case(case, passed=False, note=rng.choice(RETURNS), acting_user=verifier)
            sim.mark()
            if outcome == "in_progress":
                return
            sim.work(rng.uniform(2, 12))
            case = appeals.feedback_case(case, result="已按核查意见返工整改到位。", acting_user=handler)
            sim.mark()
        if outcome == "handled":
            return
        sim.work(rng.uniform(0.5, 6))
        case = appeals.verify_case(case, passed=True, note="经核查，问题已解决", acting_user=verifier)
        sim.mark()
        self.rate(case, sim, plan)

    def rate(self, case: Case, sim: Sim, plan: Plan) -> None:
        rng = self.rng
        who = self.reporter_user(case)
        if who is None or plan.outcome == "closed_unrated" or rng.random() < 0.04:
            return
        rating = rng.choices([Rating.SATISFIED, Rating.BASIC, Rating.UNSATISFIED], [66, 19, 15])[0]
        sim.cal(rng.uniform(1, 60))
        case = appeals.rate_case(case, rating=rating, comment=rng.choice(COMMENTS[rating]), acting_user=who)
        sim.mark(2 if case.status == Status.ACCEPTED else 1)
        fate = rng.random()
        if case.status != Status.ACCEPTED or fate < 0.3:
            return  # left reopened, one level up, waiting to be dispatched again
        desk = self.dispatcher(case.handling_node)
        sim.work(rng.uniform(0.5, 4))
        case, handler = self.dispatch(case, sim, desk, "dept" if plan.topic.dept else "street", plan.topic)
        if fate < 0.55:
            return  # dispatched again, waiting to be acknowledged
        sim.work(self.response(case))
        case = appeals.acknowledge_case(case, acting_user=handler)
        sim.mark()
        sim.work(self.resolution(case) * 0.5)
        case = appeals.feedback_case(case, result="提级办理，已彻底整改。", acting_user=handler)
        sim.mark()
        sim.work(rng.uniform(0.5, 4))
        case = appeals.verify_case(case, passed=True, note="复查通过", acting_user=self.verifier(case))
        sim.mark()
        sim.cal(rng.uniform(2, 48))
        again = rng.choice([Rating.SATISFIED, Rating.BASIC])
        appeals.rate_case(case, rating=again, comment="重办后解决了。", acting_user=who)
        sim.mark()

    def whistle(self, case: Case, sim: Sim, desk: User, plan: Plan) -> None:
        """街道吹哨、部门报到 with two departments."""
        rng = self.rng
        outcome = plan.outcome
        pair = [d for d in rng.choice(WHISTLE_PAIRS) if d in self.depts]
        sim.work(rng.uniform(0.2, 2))
        whistle = appeals.whistle_case(
            case,
            summons=[appeals.Summons(self.depts[d], WHISTLE_DUTIES[d], self.liaison[d]) for d in pair],
            reason="涉及多个部门职责，单靠网格和社区解决不了，街道吹哨召集相关部门现场会商。",
            acting_user=desk,
        )
        sim.mark()
        convened = sim.t
        tasks = list(whistle.tasks.select_related("department").order_by("id"))
        overdue = outcome == "whistled" and self.overdue_left
        if overdue:
            self.overdue_left = False
        finished = []
        for k, task in enumerate(tasks):
            short = next(s for s, u in self.depts.items() if u.pk == task.department_id)
            who = self.liaison[short]
            if overdue and k == len(tasks) - 1:
                sim.tasks[task.pk] = (None, None)  # never reported in: overdue, the timers escalate it
                continue
            reported = workcal.add_working_hours(
                convened, rng.uniform(0.2, 1.8) if rng.random() < 0.9 else rng.uniform(2.2, 5)
            )
            appeals.report_in(task, acting_user=who, note="已报到，马上到现场")
            done = None
            if outcome != "whistled" or (k == 0 and rng.random() < 0.5):
                late = rng.random() < 0.1
                done = workcal.add_working_hours(
                    reported, rng.uniform(25, 40) if late else rng.uniform(3, 20)
                )
                appeals.complete_task(
                    task, result=f"{short}已按分工完成：{WHISTLE_DUTIES[short]}。", acting_user=who
                )
                finished.append((task, done))
            sim.tasks[task.pk] = (reported, done)
        if outcome == "whistled":
            sim.whistles[whistle.pk] = (convened, None)
            sim.t = max([sim.t, *(d for _, d in finished)])
            return
        sim.t = max(d for _, d in finished)
        street_user = self.chief if case.street_id == self.lingcheng_id else desk
        appeals.record_minutes(
            whistle,
            minutes="会商议定：各部门按分工同步处置，街道负责跟踪督办，三日内反馈结果。",
            acting_user=street_user,
        )
        for task, _ in finished:
            appeals.rate_department(
                task, score=rng.choices([5, 4, 3], [6, 3, 1])[0], comment="响应及时", acting_user=street_user
            )
        sim.work(rng.uniform(0.5, 4))
        case = appeals.close_whistle(
            case, result="各部门已按会商分工处置完毕，问题已解决。", acting_user=desk
        )
        sim.mark()
        sim.whistles[whistle.pk] = (convened, sim.t)
        sim.work(rng.uniform(0.5, 4))
        case = appeals.verify_case(
            case, passed=True, note="经核查，问题已解决", acting_user=self.verifier(case)
        )
        sim.mark()
        self.rate(case, sim, plan)

    # --- the build ------------------------------------------------------------------------

    def build(self) -> None:
        self.accounts()
        self.streets_by_id = {s.pk: s for s in self.streets.values()}
        self.lingcheng_id = self.streets["陵城街道"].pk if "陵城街道" in self.streets else 0
        self.home_grid = next((g.pk for g in self.grids.values() if g.name == "桂塘第一网格"), 0)
        built: list[Case] = []
        for plan in self.plans():
            self.run(plan, built)

    def backdate(self) -> None:
        """DEMO ONLY: move each case onto its simulated clock (see the module docstring)."""
        latest = self.now - timedelta(minutes=5)
        for sim in self.sims.values():
            last = max([sim.t, *sim.times])
            if last > latest:  # keep the gaps, end before now
                shift = last - latest
                sim.times = [t - shift for t in sim.times]
                sim.notes = [(pk, t - shift) for pk, t in sim.notes]
                sim.whistles = {
                    pk: (a - shift, b - shift if b else None) for pk, (a, b) in sim.whistles.items()
                }
                sim.tasks = {
                    pk: (a - shift if a else None, b - shift if b else None)
                    for pk, (a, b) in sim.tasks.items()
                }
                sim.follows = [(pk, t - shift) for pk, t in sim.follows]
        transitions: dict[int, list[Transition]] = {}
        for tr in Transition.objects.filter(case_id__in=list(self.sims)).order_by("id"):
            transitions.setdefault(tr.case_id, []).append(tr)
        changed: list[Transition] = []
        for case in Case.objects.filter(pk__in=list(self.sims)).select_related("category"):
            sim = self.sims[case.pk]
            rows = transitions[case.pk]
            assert len(rows) == len(sim.times), (case.number, [r.event for r in rows], len(sim.times))
            for tr, at in zip(rows, sim.times, strict=True):
                tr.at = at
            changed += rows
            Case.objects.filter(pk=case.pk).update(**self.milestones(case, rows))
        Transition.objects.bulk_update(changed, ["at"], batch_size=500)
        notes = [(pk, t) for sim in self.sims.values() for pk, t in sim.notes]
        for pk, t in notes:
            CaseNote.objects.filter(pk=pk).update(at=t)
        for sim in self.sims.values():
            for pk, (convened, closed) in sim.whistles.items():
                Whistle.objects.filter(pk=pk).update(convened_at=convened, closed_at=closed)
                WhistleTask.objects.filter(whistle_id=pk).update(
                    report_due=workcal.add_working_hours(convened, appeals.REPORT_IN_HOURS),
                    due=workcal.add_working_days(convened, appeals.TASK_DAYS),
                )
            for pk, (reported, done) in sim.tasks.items():
                WhistleTask.objects.filter(pk=pk).update(reported_at=reported, done_at=done)
            for main_pk, at in sim.follows:
                Follower.objects.filter(
                    case_id=main_pk, via_merge__isnull=False, created_at__gt=latest
                ).update(created_at=at)

    @staticmethod
    def milestones(case: Case, rows: list[Transition]) -> dict[str, Any]:
        def first(*events: str) -> Transition | None:
            return next((r for r in rows if r.event in events), None)

        def last(*events: str) -> Transition | None:
            return next((r for r in reversed(rows) if r.event in events), None)

        accepted, handled, closed = first(Event.ACCEPT), first(Event.FEEDBACK), first(Event.VERIFY_PASS)
        dispatched, acked = first(Event.DISPATCH, Event.CLAIM), last(Event.ACKNOWLEDGE, Event.CLAIM)
        rated, last_dispatch = last(Event.RATE), last(Event.DISPATCH)
        changes: dict[str, Any] = {
            "created_at": rows[0].at,
            "updated_at": rows[-1].at,
            "received_on": timezone.localdate(rows[0].at),
            "accepted_at": accepted.at if accepted else None,
            "dispatched_at": dispatched.at if dispatched else None,
            "acknowledged_at": acked.at if acked else None,
            "handled_at": handled.at if handled else None,
            "closed_at": closed.at if closed else None,
            "rated_at": rated.at if rated else None,
            "ack_due": appeals.response_due(case, last_dispatch.at) if last_dispatch else None,
            "resolve_due": appeals.resolve_due(case, accepted.at) if accepted else None,
        }
        first_ack = first(Event.ACKNOWLEDGE, Event.CLAIM)
        if first_ack is None:
            changes["ack_on_time"] = None
        elif first_ack.event == Event.CLAIM:
            changes["ack_on_time"] = True
        else:
            before = [r for r in rows if r.event == Event.DISPATCH and r.id < first_ack.id]
            due = appeals.response_due(case, before[-1].at) if before else None
            changes["ack_on_time"] = due is None or first_ack.at <= due
        resolve = changes["resolve_due"]
        changes["closed_on_time"] = (resolve is None or closed.at <= resolve) if closed else None
        return changes


def build(
    county: Node,
    *,
    seed: int = SEED,
    cases: int = CASES,
    now: datetime | None = None,
    log: Callable[[str], None] | None = None,
) -> DemoAppeals:
    """Build the demo appeals of ``county`` (北流市) in one transaction; see the module docstring."""
    started = time.perf_counter()
    say = log or (lambda _m: None)
    with transaction.atomic():
        for street in Node.objects.filter(parent=county, level="street").order_by("code"):
            call_command("seed_street_tasks", street.code, stdout=io.StringIO())
        queued = len(connection.run_on_commit)
        geo.invalidate()  # the grids were made in this transaction: index them
        builder = _Builder(county=county, seed=seed, n=cases, now=now or timezone.now())
        builder.build()
        builder.backdate()
        stats.rebuild()
        # The notification fan-out of six months of back-dated history would announce it all
        # as new: drop what this build queued (demo only; the timers take over from here).
        del connection.run_on_commit[queued:]
    mine = Case.objects.filter(county=county)
    by_status = {s: mine.filter(status=s).count() for s in Status.values}
    result = DemoAppeals(
        cases=mine.count(),
        by_status={k: v for k, v in by_status.items() if v},
        seconds=time.perf_counter() - started,
    )
    states = "、".join(f"{Status(k).label} {v}" for k, v in result.by_status.items())
    say(f"  诉求：{result.cases} 件（{states}），用时 {result.seconds:.1f} 秒")
    return result
