"""The demo city: 北流市 (GB/T 2260 450981, under 玉林市 450900) as seed 000 describes it.

Everything is created through the ordinary actions (territory, party, people, units,
venues, accounts) with ``acting_user=None``, so the data passes the same validation as
real input and every record has its audit row. A fixed seed makes the city the same on
every machine.

Seed 000 numbers reproduced: 3 streets, 33 communities, 97 全科网格, 78 小区 each with a
小区党支部 (and a 网格党支部 per grid), 140+ 专兼职网格员, 1 city + 3 street + 33 community
+ 15 compound 党群服务中心 (every community centre ≥ 500 m² with 一厅六室两栏两中心),
三官一律 serving every community, 大工委/大党委 with part-time members from resident units,
and hierarchical, community and industry alliances (seed 000 陆川).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from dangjian.accounts import actions as account_actions
from dangjian.accounts.models import User
from dangjian.core import audit
from dangjian.demo import accounts as demo_accounts
from dangjian.demo.geometry import Lattice, gilbert_order
from dangjian.demo.names import Uniques, cn_number, compound_names, credit_code, person_name, split
from dangjian.demo.payscale import seed_pay_scale
from dangjian.party import actions as party
from dangjian.party.models import Organization
from dangjian.people import actions as people
from dangjian.people.models import Person
from dangjian.territory import actions as territory
from dangjian.territory.models import Node
from dangjian.units import actions as units
from dangjian.units.models import Unit
from dangjian.venues import actions as venues
from dangjian.venues.choices import ONE_HALL_SIX_ROOMS

SEED = 2021
YULIN = "450900"
BEILIU = "450981"
CENTRE = (110.35, 22.71)  # GCJ-02, Beiliu's urban area
LATTICE = (10, 10)  # cells; 97 are used
CELL_M = 550.0  # ≈ 5.5 km × 5.5 km of town

STREETS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "陵城街道",
        ("桂塘", "城中", "城东", "西埌", "河堤", "新荣", "东湖", "古城", "陵宁", "圭江", "水埠"),
    ),
    (
        "城南街道",
        ("滨江", "城南", "江南", "南环", "平政", "金湖", "银湖", "凤凰", "松花", "玉博", "富民"),
    ),
    (
        "城北街道",
        ("城北", "北珠", "三角", "赖山", "荔园", "西湖", "万福", "永丰", "丽园", "新圩", "大里"),
    ),
)
GRIDS = 97
COMPOUNDS = 78
SHOWCASE_COMPOUNDS = {"东湖一号小区": "桂塘第一网格", "滨江华府小区": "滨江第一网格"}
COMPOUND_CENTRES = 15
PART_TIME_GRID_WORKERS = 12


# (name, kind, where) — "county" stands at the county node, else a street name.
UNITS: tuple[tuple[str, str, str], ...] = (
    *(
        (f"北流市{n}", "department", "county")
        for n in (
            "公安局",
            "公安局交通管理大队",
            "消防救援大队",
            "市场监督管理局",
            "城市管理局",
            "环境卫生管理站",
        )
    ),
    *(
        (f"北流市{n}", "agency", "陵城街道")
        for n in (
            "人民政府办公室",
            "发展和改革局",
            "财政局",
            "民政局",
            "住房和城乡建设局",
            "教育局",
            "卫生健康局",
            "人力资源和社会保障局",
            "自然资源局",
            "司法局",
            "人民法院",
            "人民检察院",
        )
    ),
    *(
        (f"北流市{n}", "institution", s)
        for n, s in (
            ("图书馆", "陵城街道"),
            ("文化馆", "陵城街道"),
            ("不动产登记中心", "城南街道"),
            ("融媒体中心", "城北街道"),
            ("疾病预防控制中心", "城南街道"),
            ("社会福利院", "城北街道"),
        )
    ),
    *(
        (f"北流市{n}", "school", s)
        for n, s in (
            ("高级中学", "城北街道"),
            ("第一中学", "陵城街道"),
            ("第二中学", "城南街道"),
            ("实验中学", "城北街道"),
            ("城南小学", "城南街道"),
            ("城北小学", "城北街道"),
            ("陵城小学", "陵城街道"),
            ("桂塘小学", "陵城街道"),
            ("东湖小学", "陵城街道"),
            ("新荣小学", "陵城街道"),
            ("第一幼儿园", "城南街道"),
            ("职业教育中心", "城北街道"),
        )
    ),
    *(
        (f"北流市{n}", "hospital", s)
        for n, s in (
            ("人民医院", "陵城街道"),
            ("中医医院", "城南街道"),
            ("妇幼保健院", "城北街道"),
            ("红十字会医院", "城南街道"),
            ("第二人民医院", "城北街道"),
        )
    ),
    *(
        (n, "soe", s)
        for n, s in (
            ("北流市城市投资开发集团有限公司", "陵城街道"),
            ("广西电网北流供电局", "城南街道"),
            ("北流市自来水有限公司", "城北街道"),
            ("中国移动北流分公司", "陵城街道"),
            ("中国工商银行北流支行", "陵城街道"),
            ("广西北流农村商业银行", "城南街道"),
            ("北流市公共交通有限公司", "城北街道"),
            ("北流市国有资产投资经营有限公司", "城南街道"),
        )
    ),
    *(
        (f"北流市{n}有限公司", "private", s)
        for n, s in (
            ("瓷都陶瓷", "城北街道"),
            ("荔乡食品", "城南街道"),
            ("圭江建材", "城北街道"),
            ("日用陶瓷", "城北街道"),
            ("电子商务产业园管理", "城南街道"),
            ("荔枝农业开发", "城北街道"),
            ("新荣商贸", "陵城街道"),
            ("桂东物流", "城南街道"),
            ("陵城百货", "陵城街道"),
            ("城南农贸市场管理", "城南街道"),
            ("凤凰建筑工程", "城南街道"),
            ("北珠服装", "城北街道"),
            ("玉博医药连锁", "陵城街道"),
            ("信达房地产开发", "城南街道"),
            ("智联网络科技", "城北街道"),
            ("金湖酒店管理", "城南街道"),
        )
    ),
    *(
        (f"北流市{n}", "social_org", s)
        for n, s in (
            ("志愿者协会", "陵城街道"),
            ("义工联合会", "城南街道"),
            ("社区社会组织服务中心", "陵城街道"),
            ("老年人协会", "城北街道"),
            ("律师协会", "陵城街道"),
            ("慈善总会", "城南街道"),
            ("青年商会", "城北街道"),
            ("陶瓷行业协会", "城北街道"),
        )
    ),
    *(
        (f"北流市{n}物业服务有限公司", "property", s)
        for n, s in (
            ("红管家", "陵城街道"),
            ("东湖", "陵城街道"),
            ("滨江", "城南街道"),
            ("碧桂园", "城南街道"),
            ("恒信", "城北街道"),
            ("安居", "城北街道"),
            ("金港湾", "城南街道"),
            ("御景", "陵城街道"),
            ("荔园", "城北街道"),
            ("锦绣", "城南街道"),
            ("和美", "陵城街道"),
            ("佳美", "城北街道"),
        )
    ),
)
VENUE_KINDS = {
    "school": ("运动场", ["文体活动室"], "周末及寒暑假 7:00–21:00"),
    "hospital": ("健康小屋", ["心理辅导室"], "工作日 8:00–17:30"),
    "agency": ("会议室", ["议事协商室"], "预约开放"),
    "institution": ("阅览室", ["图书室", "儿童阅览室"], "9:00–21:00"),
    "soe": ("职工之家", ["职工之家"], "预约开放"),
}
LEADER_TITLES = (
    "市委常委",  # the demo leader account
    "市委书记",
    "市长",
    "市委副书记",
    "市委常委、组织部部长",
    "市委常委、政法委书记",
    "市委常委、宣传部部长",
    "市人大常委会主任",
    "市政协主席",
    "副市长",
)


@dataclass
class DemoCity:
    """What the build made, for the command's summary and for tests."""

    county: Node
    streets: dict[str, Node] = field(default_factory=dict)
    communities: dict[str, Node] = field(default_factory=dict)
    grids: dict[str, Node] = field(default_factory=dict)
    compounds: dict[str, Node] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    orgs: dict[str, Organization] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


class _Builder:
    def __init__(self, *, residents: int, seed: int, log: Callable[[str], None]) -> None:
        self.rng = random.Random(seed)
        self.uniq = Uniques(self.rng, reserved_phones=set(demo_accounts.PHONES))
        self.residents = residents
        self.log = log
        self.lattice = Lattice(CENTRE[0], CENTRE[1], *LATTICE, cell_m=CELL_M, seed=seed)
        self.cell: dict[int, tuple[int, int]] = {}  # grid node id → lattice cell
        self.account_phone = {a.person: a.phone for a in demo_accounts.ACCOUNTS if a.person}
        self.unit_leaders: dict[int, Person] = {}
        self.unit_orgs: dict[int, Organization] = {}
        self.compound_branch: dict[int, Organization] = {}
        self.grid_of_compound: dict[int, Node] = {}

    # --- helpers ----------------------------------------------------------------------

    def person(
        self,
        home: Node | None,
        *,
        name: str = "",
        born: tuple[int, int] = (1955, 2000),
        phone: str | None = None,
        address: str = "",
        key: str = "",
    ) -> Person:
        if key and key in self.account_phone:
            phone = self.account_phone[key]
        p = people.create_person(
            name=name or person_name(self.rng),
            home=home,
            id_number=self.uniq.id_number(BEILIU, born_from=born[0], born_to=born[1]),
            phone=phone if phone is not None else self.uniq.phone(),
            address=address,
            acting_user=None,
        )
        return p

    def since(self, years: int = 10) -> date:
        return date(2021, 6, 30) - timedelta(days=self.rng.randrange(365 * years))

    # --- the build --------------------------------------------------------------------

    def build(self) -> DemoCity:
        started = time.perf_counter()
        seed_pay_scale(acting_user=None)
        city = Node.objects.filter(code=YULIN).first() or territory.create_node(
            parent=None, level="city", name="玉林市", code=YULIN, acting_user=None
        )
        county = territory.create_node(
            parent=city, level="county", name="北流市", code=BEILIU, acting_user=None
        )
        demo = DemoCity(county=county)
        self.territory(demo)
        self.log(
            f"  区域：3 个街道、{len(demo.communities)} 个社区、{len(demo.grids)} 个网格、{len(demo.compounds)} 个小区"
        )
        self.organisations(demo)
        self.log(f"  党组织：{Organization.objects.filter(node__path__startswith=county.path).count()} 个")
        self.workers(demo)
        self.positions(demo)
        self.alliances(demo)
        self.population(demo)
        self.accounts(demo)
        demo.seconds = time.perf_counter() - started
        return demo

    def territory(self, demo: DemoCity) -> None:
        rng = self.rng
        for street_name, _ in STREETS:
            demo.streets[street_name] = territory.create_node(
                parent=demo.county, level="street", name=street_name, acting_user=None
            )
        shorts = [(s, c) for s, cs in STREETS for c in cs]
        per_community = split(GRIDS, len(shorts), rng, spread=0.4)
        cells = gilbert_order(*LATTICE)[:GRIDS]
        # Which grids hold compounds: the showcase ones, 63 more, and 13 of them hold two.
        grid_names = [
            f"{c}第{cn_number(k + 1)}网格"
            for (_, c), n in zip(shorts, per_community, strict=True)
            for k in range(n)
        ]
        special = set(SHOWCASE_COMPOUNDS.values())
        others = [g for g in grid_names if g not in special]
        with_one = sorted(special) + rng.sample(others, 63)
        with_two = set(rng.sample(with_one, COMPOUNDS - len(with_one)))
        generated = iter(compound_names(rng, COMPOUNDS, taken=set(SHOWCASE_COMPOUNDS)))
        showcase_at = {g: c for c, g in SHOWCASE_COMPOUNDS.items()}
        plan: dict[str, list[tuple[str, int]]] = {}
        for g in grid_names:
            names: list[str] = []
            if g in with_one:
                names.append(showcase_at.get(g) or next(generated))
            if g in with_two:
                names.append(next(generated))
            plan[g] = [(n, rng.randrange(240, 1600, 10)) for n in names]
        grid_households = {g: sum(h for _, h in cs) + rng.randrange(60, 400, 10) for g, cs in plan.items()}

        cell_iter = iter(cells)
        names_iter = iter(grid_names)
        for (street_name, short), n in zip(shorts, per_community, strict=True):
            mine = [next(names_iter) for _ in range(n)]
            community = territory.create_node(
                parent=demo.streets[street_name],
                level="community",
                name=f"{short}社区",
                households=sum(grid_households[g] for g in mine),
                acting_user=None,
            )
            demo.communities[community.name] = community
            for g in mine:
                i, j = next(cell_iter)
                grid = territory.create_node(
                    parent=community,
                    level="grid",
                    name=g,
                    grid_type="general",
                    boundary=self.lattice.polygon(i, j),
                    households=grid_households[g],
                    acting_user=None,
                )
                demo.grids[g] = grid
                self.cell[grid.pk] = (i, j)
                for k, (cname, households) in enumerate(plan[g]):
                    fx, fy = ((-0.12, 0.1), (0.14, -0.12))[k]
                    lng, lat = self.lattice.point(i, j, fx, fy)
                    compound = territory.create_node(
                        parent=grid,
                        level="compound",
                        name=cname,
                        households=households,
                        lng=lng,
                        lat=lat,
                        acting_user=None,
                    )
                    demo.compounds[cname] = compound
                    self.grid_of_compound[compound.pk] = grid
        for node in demo.streets.values():
            kids = Node.objects.filter(parent=node).values_list("households", flat=True)
            territory.update_node(node, households=sum(kids), acting_user=None)
        territory.update_node(
            demo.county,
            households=sum(s.households for s in Node.objects.filter(parent=demo.county)),
            acting_user=None,
        )
        # Two showcase compounds have buildings (楼宇党小组, 党员中心户 below).
        for cname in SHOWCASE_COMPOUNDS:
            compound = demo.compounds[cname]
            for b in range(1, 7):
                territory.create_node(
                    parent=compound,
                    level="building",
                    name=f"{b}栋",
                    households=compound.households // 6,
                    lng=compound.lng,
                    lat=compound.lat,
                    acting_user=None,
                )

    def organisations(self, demo: DemoCity) -> None:
        rng = self.rng
        county = demo.county
        top = party.create_organization(
            name="中共北流市委员会",
            kind="committee",
            node=county,
            founded_on=date(1949, 12, 1),
            acting_user=None,
        )
        organs = party.create_organization(
            name="中共北流市直属机关工作委员会",
            kind="work_committee",
            node=county,
            parent=top,
            acting_user=None,
        )
        demo.orgs["市委"], demo.orgs["机关工委"] = top, organs
        for street_name, street in demo.streets.items():
            demo.orgs[street_name] = party.create_organization(
                name=f"中共北流市{street_name}工作委员会",
                kind="work_committee",
                node=street,
                parent=top,
                is_joint=True,
                acting_user=None,
            )
        for k, (cname, community) in enumerate(demo.communities.items()):
            street_name = community.parent.name if community.parent else ""
            demo.orgs[cname] = party.create_organization(
                name=f"中共{cname}委员会",
                kind="committee",
                node=community,
                parent=demo.orgs[street_name],
                is_joint=k % 3 != 2,  # two in three communities run a 大党委
                founded_on=date(2016, 1, 1) + timedelta(days=rng.randrange(1500)),
                acting_user=None,
            )
        for gname, grid in demo.grids.items():
            community_name = grid.parent.name if grid.parent else ""
            demo.orgs[gname] = party.create_organization(
                name=f"{gname}党支部",
                kind="branch",
                node=grid,
                parent=demo.orgs[community_name],
                acting_user=None,
            )
        for cname, compound in demo.compounds.items():
            community_name = self.grid_of_compound[compound.pk].parent.name  # type: ignore[union-attr]
            branch = party.create_organization(
                name=f"{cname}党支部",
                kind="branch",
                node=compound,
                parent=demo.orgs[community_name],
                founded_on=date(2019, 1, 1) + timedelta(days=rng.randrange(900)),
                acting_user=None,
            )
            demo.orgs[cname] = branch
            self.compound_branch[compound.pk] = branch
        # 社区党委—小区党支部—楼宇党小组—党员中心户 (seed 002) in 东湖一号小区.
        dh = demo.compounds["东湖一号小区"]
        for building in Node.objects.filter(parent=dh).order_by("code")[:3]:
            group = party.create_organization(
                name=f"东湖一号小区{building.name}党小组",
                kind="group",
                node=building,
                parent=demo.orgs["东湖一号小区"],
                acting_user=None,
            )
            demo.orgs[f"东湖一号小区{building.name}"] = group
        territory.create_micro_grid(
            kind="branch_area",
            name="东湖一号片区",
            area=dh,
            organization=demo.orgs["东湖一号小区"],
            acting_user=None,
        )
        # Resident units and their party organisations.
        grids_by_street: dict[str, list[Node]] = {}
        for grid in demo.grids.values():
            street_name = demo.communities[grid.parent.name].parent.name  # type: ignore[union-attr]
            grids_by_street.setdefault(street_name, []).append(grid)
        for name, kind, where in UNITS:
            if name == "北流市人民医院":
                node = demo.grids["桂塘第一网格"]
            else:
                node = county if where == "county" else rng.choice(grids_by_street[where])
            unit = units.create_unit(
                name=name,
                kind=kind,
                node=node,
                credit_code=credit_code(rng, BEILIU, dept="1" if kind in ("agency", "department") else "9"),
                address=f"北流市{node.parent.name if node.parent else '城区'}{rng.randint(1, 300)}号",
                contact_name=person_name(rng),
                contact_phone=f"0775-6{rng.randrange(10**6):06d}",
                employees=rng.randrange(20, 1500) if kind != "social_org" else rng.randrange(5, 60),
                acting_user=None,
            )
            demo.units[name] = unit
            public = kind in ("agency", "department", "institution", "school", "hospital", "soe")
            parent = organs if public else demo.orgs[where if where != "county" else "机关工委"]
            big = kind == "hospital" or unit.employees > 800
            org = party.create_organization(
                name=f"中共{name}{'委员会' if big else '支部委员会'}",
                kind="committee" if big else "branch",
                node=node,
                parent=parent,
                unit=unit,
                acting_user=None,
            )
            self.unit_orgs[unit.pk] = org
            demo.orgs[name] = org
        self.seats(demo)

    def unit_leader(self, unit: Unit, home: Node) -> Person:
        if unit.pk not in self.unit_leaders:
            self.unit_leaders[unit.pk] = self.person(home, born=(1965, 1985))
        return self.unit_leaders[unit.pk]

    def seats(self, demo: DemoCity) -> None:
        """大工委 / 大党委: part-time members (兼职委员) from resident units."""
        rng = self.rng
        units_by_street: dict[str, list[Unit]] = {}
        for unit in demo.units.values():
            if unit.street_id:
                units_by_street.setdefault(str(unit.street_id), []).append(unit)
        for street_name, street in demo.streets.items():
            wc = demo.orgs[street_name]
            secretary = self.person(street, born=(1970, 1985))
            party.add_seat(
                organization=wc, person=secretary, title="secretary", since=self.since(5), acting_user=None
            )
            for unit in rng.sample(units_by_street[str(street.pk)], 3):
                party.add_seat(
                    organization=wc,
                    person=self.unit_leader(unit, street),
                    title="part_time",
                    from_unit=unit,
                    since=self.since(4),
                    acting_user=None,
                )
        for community in demo.communities.values():
            org = demo.orgs[community.name]
            if not org.is_joint:
                continue
            pool = units_by_street[str(community.street_id)]
            for unit in rng.sample(pool, min(2, len(pool))):
                party.add_seat(
                    organization=org,
                    person=self.unit_leader(unit, community),
                    title="part_time",
                    from_unit=unit,
                    since=self.since(4),
                    acting_user=None,
                )

    def workers(self, demo: DemoCity) -> None:
        rng = self.rng
        # Community workers (三岗十八级) and the committee seats they hold.
        for community in demo.communities.values():
            org = demo.orgs[community.name]
            posts = [("principal", "党委书记、居委会主任")]
            posts += [("deputy", "党委副书记"), ("deputy", "居委会副主任")]
            posts += [("staff", t) for t in ("社区专职工作者", "网格专干", "党务专干", "民政专干")]
            for k, (post, title) in enumerate(posts):
                key = "community_worker" if community.name == "桂塘社区" and k == 0 else ""
                p = self.person(community, born=(1970, 1998), key=key)
                if key:
                    demo.people[key] = p
                people.hire_community_worker(
                    person=p,
                    community=community,
                    post=post,
                    level=rng.randint(1, 6),
                    position_title=title,
                    since=self.since(12),
                    acting_user=None,
                )
                seat = {0: "secretary", 1: "deputy", 3: "member", 5: "member"}.get(k)
                if seat:
                    party.add_seat(
                        organization=org, person=p, title=seat, since=self.since(5), acting_user=None
                    )
        # Grid workers: one full-time 网格员 per grid, a 网格长 per community, part-timers.
        first_grid: dict[str, Node] = {}
        for gname, grid in demo.grids.items():
            key = "grid_worker" if gname == "桂塘第一网格" else ""
            p = self.person(grid, born=(1975, 2000), key=key)
            if key:
                demo.people[key] = p
            people.assign_grid_worker(
                person=p, grid=grid, role="worker", since=self.since(5), acting_user=None
            )
            first_grid.setdefault(grid.parent.name, grid)  # type: ignore[union-attr]
        for grid in first_grid.values():
            p = self.person(grid, born=(1968, 1990))
            people.assign_grid_worker(
                person=p, grid=grid, role="chief", since=self.since(6), acting_user=None
            )
        for grid in rng.sample(list(demo.grids.values()), PART_TIME_GRID_WORKERS):
            p = self.person(grid, born=(1955, 1995))
            people.assign_grid_worker(
                person=p, grid=grid, role="worker", full_time=False, since=self.since(3), acting_user=None
            )
        # Leaders linked to communities (玉林: 28 for the city; 北流: 10).
        communities = list(demo.communities.values())
        for k, title in enumerate(LEADER_TITLES):
            key = "leader" if k == 0 else ""
            p = self.person(None, born=(1962, 1978), key=key, name="梁振华" if key else "")
            if key:
                demo.people[key] = p
            people.link_leader(
                person=p, title=title, community=communities[0 if k == 0 else (k * 3) % 33], acting_user=None
            )
        # 三官一律: a 社区民警 per community; a judge, a prosecutor and two lawyers per street.
        for community in communities:
            people.assign_legal_officer(
                person=self.person(community, born=(1975, 1995)),
                kind="police",
                employer=f"北流市公安局{community.parent.name[:2]}派出所",  # type: ignore[union-attr]
                serving=community,
                acting_user=None,
            )
        for street in demo.streets.values():
            for kind, employer in (
                ("judge", "北流市人民法院"),
                ("prosecutor", "北流市人民检察院"),
                ("lawyer", "广西圭江律师事务所"),
                ("lawyer", "广西陵城律师事务所"),
            ):
                people.assign_legal_officer(
                    person=self.person(street, born=(1970, 1992)),
                    kind=kind,
                    employer=employer,
                    serving=street,
                    acting_user=None,
                )

    def positions(self, demo: DemoCity) -> None:
        rng = self.rng
        venues.create_position(
            name="北流市党群服务中心",
            level="county",
            node=demo.county,
            floor_area=2800,
            functions=[*ONE_HALL_SIX_ROOMS, "职工之家", "青年之家", "妇女之家", "心理辅导室"],
            opening_hours="周一至周日 8:30–21:00",
            address="北流市城区",
            acting_user=None,
        )
        for name, street in demo.streets.items():
            venues.create_position(
                name=f"{name}党群服务中心",
                level="street",
                node=street,
                floor_area=rng.randrange(800, 1600, 10),
                functions=[*ONE_HALL_SIX_ROOMS, "职工之家", "青年之家", "妇女之家"],
                opening_hours="工作日 8:00–18:00，周末 9:00–17:00",
                acting_user=None,
            )
        for name, community in demo.communities.items():
            venues.create_position(
                name=f"{name}党群服务中心",
                level="community",
                node=community,
                floor_area=rng.randrange(500, 1200, 10),
                functions=ONE_HALL_SIX_ROOMS,
                opening_hours="工作日 8:00–18:00，周末轮值",
                acting_user=None,
            )
        # 15 compound centres: ten meet the standard, five fall short so the check shows.
        showcase = [demo.compounds[c] for c in SHOWCASE_COMPOUNDS]
        rest = [c for c in demo.compounds.values() if c not in showcase]
        chosen = showcase + rng.sample(rest, COMPOUND_CENTRES - len(showcase))
        for k, compound in enumerate(chosen):
            need = min(30 * compound.households / 100, 300)
            area = need + rng.randrange(0, 160, 5) if k < 10 else max(40, need * rng.uniform(0.4, 0.85))
            venues.create_position(
                name=f"{compound.name}党群服务站",
                level="compound",
                node=compound,
                floor_area=round(area),
                functions=["党员活动室", "议事协商室", "儿童阅览室", "党务公开栏"][: 2 + k % 3],
                opening_hours="9:00–21:00",
                acting_user=None,
            )
        # Shared activity places (共享活动场所) and unit venues opened to residents.
        for community in rng.sample(list(demo.communities.values()), 24):
            venues.create_position(
                name=f"{community.name[:-2]}{rng.choice(['老年活动中心', '文体广场', '邻里中心', '红色驿站'])}",
                kind="shared",
                node=community,
                floor_area=rng.randrange(80, 600, 10),
                functions=["文体活动室"],
                opening_hours="7:00–21:30",
                acting_user=None,
            )
        opened = [u for u in demo.units.values() if u.kind in VENUE_KINDS]
        for unit in rng.sample(opened, 22):
            label, functions, hours = VENUE_KINDS[unit.kind]
            venues.create_position(
                name=f"{unit.name}{label}",
                kind="unit_venue",
                node=unit.node,
                unit=unit,
                floor_area=rng.randrange(60, 2000, 10),
                functions=functions,
                opening_hours=hours,
                acting_user=None,
            )

    def alliances(self, demo: DemoCity) -> None:
        o = demo.orgs
        county_alliance = party.create_alliance(
            name="北流市城市基层党建联盟",
            kind="hierarchical",
            tier="county",
            node=demo.county,
            lead=o["市委"],
            members=[o[s] for s in demo.streets],
            acting_user=None,
        )
        street_alliances = {}
        for name, street in demo.streets.items():
            street_alliances[name] = party.create_alliance(
                name=f"{name}党建联盟",
                kind="hierarchical",
                tier="town",
                node=street,
                lead=o[name],
                parent=county_alliance,
                members=[o[c.name] for c in demo.communities.values() if c.parent_id == street.pk],
                acting_user=None,
            )
        gt = demo.communities["桂塘社区"]
        gt_alliance = party.create_alliance(
            name="桂塘社区党建联盟",
            kind="hierarchical",
            tier="community",
            node=gt,
            lead=o["桂塘社区"],
            parent=street_alliances["陵城街道"],
            members=[o["东湖一号小区"]],
            acting_user=None,
        )
        dh = party.create_alliance(
            name="东湖一号小区党建联盟",
            kind="hierarchical",
            tier="compound",
            node=demo.compounds["东湖一号小区"],
            lead=o["东湖一号小区"],
            parent=gt_alliance,
            members=[o["北流市东湖物业服务有限公司"]],
            acting_user=None,
        )
        party.create_alliance(
            name="东湖一号小区1栋党建联盟",
            kind="hierarchical",
            tier="building",
            node=demo.compounds["东湖一号小区"],
            lead=o["东湖一号小区1栋"],
            parent=dh,
            acting_user=None,
        )
        for cname in ("桂塘社区", "滨江社区"):
            community = demo.communities[cname]
            neighbours = [o[u.name] for u in demo.units.values() if u.street_id == community.street_id][:8]
            party.create_alliance(
                name=f"{cname}“大党委”共建联盟",
                kind="community",
                tier="community",
                node=community,
                lead=o[cname],
                members=neighbours,
                acting_user=None,
            )
        party.create_alliance(
            name="北流市卫生健康行业党建联盟",
            kind="industry",
            node=demo.county,
            lead=o["北流市卫生健康局"],
            members=[o[u.name] for u in demo.units.values() if u.kind == "hospital"],
            acting_user=None,
        )
        party.create_alliance(
            name="北流市住建行业（红色物业）党建联盟",
            kind="industry",
            node=demo.county,
            lead=o["北流市住房和城乡建设局"],
            members=[o[u.name] for u in demo.units.values() if u.kind == "property"],
            acting_user=None,
        )

    def population(self, demo: DemoCity) -> None:
        """Residents of the compounds; about two in five are party members."""
        rng = self.rng
        compounds = list(demo.compounds.values())
        buildings: dict[int, list[Node]] = {}
        for b in Node.objects.filter(level="building", parent__in=compounds).order_by("code"):
            buildings.setdefault(b.parent_id or 0, []).append(b)
        weights = [c.households for c in compounds]
        counts = [0] * len(compounds)
        for k in rng.choices(range(len(compounds)), weights=weights, k=max(0, self.residents - 2)):
            counts[k] += 1
        dh = demo.compounds["东湖一号小区"]
        counts[compounds.index(dh)] += 2  # the demo resident and the demo member live here
        hospital = demo.units["北流市人民医院"]
        public_units = [u for u in demo.units.values() if u.kind != "department"]
        made, next_report = 0, 1000
        for compound, n in zip(compounds, counts, strict=True):
            for k in range(n):
                key = ""
                if compound.pk == dh.pk and k < 2:
                    key = ("resident", "member")[k]
                house = rng.choice(buildings[compound.pk]) if compound.pk in buildings else compound
                b = int(house.name[:-1]) if house.level == "building" else rng.randint(1, 18)
                address = f"{compound.name}{b}栋{rng.randint(1, 26)}{rng.randint(1, 4):02d}"
                p = self.person(compound, born=(1940, 2015), address=address, key=key)
                age = 2021 - (p.birth_date.year if p.birth_date else 1980)
                tags = ["elderly"] if age >= 65 else []
                if age >= 75 and rng.random() < 0.3:
                    tags.append("empty_nest")
                if rng.random() < 0.02:
                    tags.append(rng.choice(["disabled", "low_income", "veteran"]))
                people.register_resident(
                    person=p,
                    household=house,
                    residence_type=rng.choices(["registered", "permanent", "floating"], [70, 20, 10])[0],
                    is_head=rng.random() < 0.35,
                    tags=tags,
                    acting_user=None,
                )
                if key:
                    demo.people[key] = p
                made += 1
                if key == "resident" or not (key == "member" or (age >= 18 and rng.random() < 0.4)):
                    continue
                if key == "member":
                    category, unit = "in_service", hospital
                elif age >= 60:
                    category, unit = "retired", None
                else:
                    category = rng.choices(["in_service", "mobile", "pocket"], [86, 9, 5])[0]
                    unit = rng.choice(public_units) if category == "in_service" else None
                org = self.unit_orgs[unit.pk] if unit is not None else self.compound_branch[compound.pk]
                born = p.birth_date or date(1980, 1, 1)
                joined = born + timedelta(days=365 * 18 + rng.randrange(max(1, 365 * (age - 18))))
                party.register_member(
                    person=p,
                    organization=org,
                    category=category,
                    status="probationary" if rng.random() < 0.03 else "full",
                    joined_on=min(joined, date(2021, 6, 1)),
                    work_unit=unit,
                    acting_user=None,
                )
            if made >= next_report:
                self.log(f"  居民：{made:,}/{self.residents:,}")
                next_report += 1000

    def accounts(self, demo: DemoCity) -> None:
        nodes = {
            (n.level, n.name): n
            for n in [demo.county, *demo.streets.values(), *demo.communities.values(), *demo.grids.values()]
        }
        for a in demo_accounts.ACCOUNTS:
            person = demo.people.get(a.person) if a.person else None
            if a.role == "superuser":
                user = User.objects.create_superuser(a.phone, demo_accounts.PASSWORD, name=a.name)
                audit.record(None, "accounts.user.create", user)
                continue
            user = account_actions.create_user(
                phone=a.phone, password=demo_accounts.PASSWORD, name=a.name, person=person, acting_user=None
            )
            if a.scope_level:
                account_actions.assign_role(
                    user=user,
                    role=a.role,
                    node=nodes[(a.scope_level, a.scope_name)],
                    unit=demo.units[a.unit] if a.unit else None,
                    title=a.title,
                    acting_user=None,
                )


def build(
    *,
    residents: int = 5000,
    cases: int | None = None,
    seed: int = SEED,
    classifier: str = "worker",
    log: Callable[[str], None] | None = None,
) -> DemoCity:
    """Build 北流市 in one transaction. ``residents`` and ``cases`` only change volumes.

    ``classifier="now"`` trains the demo classifier here and proposes dispatches; "worker"
    (the default) leaves both to ``demo.tasks.train_demo_classifier``, queued on commit for
    ``db_worker``, so that the server starts most of a minute sooner.
    """
    if classifier not in ("now", "worker"):
        raise ValueError(f"classifier: {classifier!r}")
    from dangjian.demo import appeals as demo_appeals

    with transaction.atomic():
        demo = _Builder(residents=residents, seed=seed, log=log or (lambda _m: None)).build()
        # Appeals last: ~600 cases through the loop, back-dated over six months (demo/appeals.py).
        n_cases = demo_appeals.CASES if cases is None else cases
        demo.seconds += demo_appeals.build(demo.county, cases=n_cases, log=log).seconds
        # The classifier for 分类派遣: written corpus + the handled demo cases (intel/demo.py),
        # here or in the worker after the commit (demo/tasks.py).
        from dangjian.demo import dispatch as demo_dispatch
        from dangjian.demo import tasks as demo_tasks
        from dangjian.intel import demo as intel_demo

        now = classifier == "now"
        if now:
            demo.seconds += intel_demo.build(log=log)
        else:
            county_id = demo.county.pk
            transaction.on_commit(lambda: demo_tasks.train_demo_classifier.enqueue(county_id))
            (log or (lambda _m: None))(
                "  诉求分类模型：服务启动后由后台任务训练（约一分钟），训练前派遣由人工判断"
            )
        # Smart dispatch: routing table, signatures, decisions, hotspots (demo/dispatch.py).
        demo_dispatch.build(demo.county, decide=now, log=log)
        # 双报到, posts, teams and service records (demo/service.py).
        from dangjian.demo import service as demo_service

        demo.seconds += demo_service.build(demo.county, log=log).seconds
        # 为民红绳 / 微心愿 in 桂塘社区 through the five orders (demo/needs.py).
        from dangjian.demo import needs as demo_needs

        demo.seconds += demo_needs.build(demo.county, log=log).seconds
    demo.counts = counts(demo.county)
    return demo


def counts(county: Node) -> dict[str, int]:
    """Headline figures under ``county`` (for the summary and the tests)."""
    from dangjian.appeals.models import Case
    from dangjian.party.models import Alliance, PartyMember
    from dangjian.people.models import CommunityWorker, GridWorker, Leader, LegalOfficer, Resident
    from dangjian.venues.models import ServicePosition

    under = {"county_id": county.pk}
    nodes = Node.objects.filter(**under)
    return {
        "街道": nodes.filter(level="street").count(),
        "社区": nodes.filter(level="community").count(),
        "网格": nodes.filter(level="grid").count(),
        "小区": nodes.filter(level="compound").count(),
        "党组织": Organization.objects.filter(**under).count(),
        "小区党支部": Organization.objects.filter(**under, node__level="compound", kind="branch").count(),
        "党建联盟": Alliance.objects.filter(**under).count(),
        "驻区单位": Unit.objects.filter(**under).count(),
        "网格员": GridWorker.objects.filter(**under).count(),
        "社区工作者": CommunityWorker.objects.filter(**under).count(),
        "联系社区领导": Leader.objects.filter(**under).count(),
        "三官一律": LegalOfficer.objects.filter(**under).count(),
        "党群服务中心": ServicePosition.objects.filter(**under, kind="center").count(),
        "服务阵地(全部)": ServicePosition.objects.filter(**under).count(),
        "居民": Resident.objects.filter(**under).count(),
        "党员": PartyMember.objects.filter(**under).count(),
        "人员": Person.objects.filter(**under).count(),
        "诉求": Case.objects.filter(**under).count(),
    }


def exists() -> bool:
    return Node.objects.filter(code=BEILIU).exists()


def format_counts(values: dict[str, Any]) -> str:
    return "、".join(f"{k} {v:,}" for k, v in values.items())
