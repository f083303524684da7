"""A Yulin-sized city for benchmarks (seed 001), generated reproducibly and fast.

The actions create one record at a time with an audit row each; a city of a million
residents needs bulk inserts instead. This generator writes rows of exactly the shape the
actions produce — placement columns filled by ``place()``, tree paths and 15-digit grid
codes, personal data sealed with ``core.crypto.seal`` (AES-GCM + blind index + mask), an
``OrgTransfer`` per member — with explicit primary keys (so paths are known before the
insert), in ``bulk_create`` batches inside transactions. One audit row records the run.

City scale (seed 001): 7 counties, 35 streets, 175 communities, 750 grids, 1,500 compounds,
2,108 units, 225,000 in-service party members (plus retired, mobile and pocket members),
1,000,000 residents in about 360,000 households.
"""

from __future__ import annotations

import math
import os
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction

from dangjian.core import crypto
from dangjian.core.models import AuditEvent
from dangjian.demo.geometry import Lattice, gilbert_order, lattice_shape
from dangjian.demo.names import Uniques, cn_number, compound_names, credit_code, person_name, split
from dangjian.demo.payscale import seed_pay_scale
from dangjian.party.models import Alliance, Organization, OrgTransfer, PartyMember
from dangjian.people.models import CommunityWorker, GridWorker, Person, Resident
from dangjian.territory import geo
from dangjian.territory.models import Node
from dangjian.units.models import Unit
from dangjian.venues.choices import ONE_HALL_SIX_ROOMS
from dangjian.venues.models import ServicePosition

YULIN_CENTRE = (110.16, 22.64)
YULIN_COUNTIES = (
    ("玉州区", "02"),
    ("北流市", "81"),
    ("福绵区", "03"),
    ("容县", "21"),
    ("陆川县", "22"),
    ("博白县", "23"),
    ("兴业县", "24"),
)
STREET_WORDS = [
    "城东",
    "城西",
    "城南",
    "城北",
    "名山",
    "大塘",
    "南江",
    "玉城",
    "茂林",
    "仁东",
    "仁厚",
    "新桥",
    "石和",
    "陵城",
    "沙田",
    "温泉",
    "松山",
    "民乐",
    "容州",
    "杨梅",
    "水鸣",
    "博白",
    "龙潭",
    "东平",
    "石南",
    "山心",
    "福绵",
    "成均",
    "樟木",
    "新民",
    "兴业",
    "葵阳",
    "沙坪",
    "大里",
    "马坡",
    "清湾",
]
COMMUNITY_WORDS = [
    "桂塘",
    "城中",
    "城东",
    "西埌",
    "河堤",
    "新荣",
    "东湖",
    "古城",
    "滨江",
    "江南",
    "南环",
    "平政",
    "金湖",
    "银湖",
    "凤凰",
    "松花",
    "玉博",
    "富民",
    "北珠",
    "三角",
    "赖山",
    "荔园",
    "西湖",
    "万福",
    "永丰",
    "丽园",
    "新圩",
    "五里桥",
    "金桂",
    "丽湾",
    "乾隆",
    "同德",
    "东光",
    "文昌",
    "新洲",
    "人民",
    "解放",
    "中山",
    "民主",
    "建设",
    "和平",
    "胜利",
    "朝阳",
    "育才",
    "光明",
    "龙泉",
    "锦华",
    "绣江",
    "岭南",
    "秀水",
]
UNIT_KINDS = (  # kind, share of all units
    ("agency", 0.20),
    ("institution", 0.14),
    ("school", 0.18),
    ("hospital", 0.04),
    ("soe", 0.08),
    ("private", 0.22),
    ("social_org", 0.06),
    ("property", 0.08),
)
UNIT_STEMS = {
    "agency": "发展和改革局 财政局 民政局 住房和城乡建设局 教育局 卫生健康局 人力资源和社会保障局 自然资源局 司法局 "
    "交通运输局 农业农村局 商务局 文化广电体育和旅游局 应急管理局 生态环境局 水利局 统计局 审计局 医疗保障局 "
    "退役军人事务局 行政审批局 税务局 供销合作社 档案馆",
    "institution": "图书馆 文化馆 不动产登记中心 融媒体中心 疾病预防控制中心 社会福利院 就业服务中心 政务服务中心 "
    "住房公积金管理中心 公共资源交易中心",
    "school": "小学 中学 实验小学 实验中学 幼儿园 高级中学 职业技术学校",
    "hospital": "人民医院 中医医院 妇幼保健院 社区卫生服务中心 卫生院",
    "soe": "城市投资开发集团有限公司 供电局 自来水有限公司 公共交通有限公司 国有资产投资经营有限公司 农村商业银行支行",
    "private": "陶瓷有限公司 食品有限公司 建材有限公司 商贸有限公司 物流有限公司 建筑工程有限公司 服装有限公司 "
    "医药连锁有限公司 房地产开发有限公司 网络科技有限公司 酒店管理有限公司 机械制造有限公司",
    "social_org": "志愿者协会 义工联合会 老年人协会 慈善会 青年商会 个体劳动者协会 社会工作服务中心",
    "property": "物业服务有限公司",
}


def unit_name(rng: random.Random, kind: str, county: str, word: str) -> str:
    stem = rng.choice(UNIT_STEMS[kind].split())
    if kind in ("agency", "institution", "soe"):
        return f"{county}{stem}"
    return f"{county}{word}{stem}"


PERSONS_PER_HOUSEHOLD = 2.8


@dataclass(frozen=True)
class Scale:
    name: str
    counties: int
    streets: int
    communities: int
    grids: int
    compounds: int
    buildings_per_compound: int
    residents: int
    units: int
    in_service: int
    retired: int
    mobile: int
    pocket: int
    community_workers: int = 8  # per community (三岗十八级)
    compound_centre_share: float = 0.16
    unit_venue_share: float = 0.33  # seed 001: 700+ of 2,108 units open their venues
    cell_m: float = 500.0

    @property
    def members(self) -> int:
        return self.in_service + self.retired + self.mobile + self.pocket


SCALES: dict[str, Scale] = {
    "city": Scale("city", 7, 35, 175, 750, 1500, 10, 1_000_000, 2108, 225_000, 30_000, 4_000, 1_000),
    "small": Scale("small", 2, 4, 12, 15, 30, 6, 20_000, 42, 4_500, 600, 80, 20),
    "tiny": Scale("tiny", 1, 2, 3, 6, 8, 2, 300, 6, 60, 15, 4, 2),
}


def grids_only(grids: int) -> Scale:
    """Territory down to grids and nothing else (the locate benchmark)."""
    communities = max(1, grids // 10)
    return Scale(
        f"grids-{grids}", 1, max(1, communities // 20), communities, grids, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    )


@dataclass
class Report:
    scale: str
    seed: int
    seconds: float = 0.0
    totals: dict[str, int] = field(default_factory=dict)
    db_bytes: int | None = None


def database_size() -> int | None:
    """Bytes used by the default database (SQLite file + WAL, or pg_database_size)."""
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        if not os.path.exists(name):  # in-memory (tests)
            return None
        if not connection.in_atomic_block:
            with connection.cursor() as cur:  # fold the write-ahead log into the file first
                cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return sum(os.path.getsize(p) for p in (name, name + "-wal") if os.path.exists(p))
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_database_size(current_database())")
            return int(cur.fetchone()[0])
    return None


_LEVELS = ("city", "county", "street", "community", "grid", "compound")
_PLACED = tuple(f"{lvl}_id" for lvl in _LEVELS)


class _Rows:
    """Rows for one model as tuples, written with ``executemany`` in the model's columns.

    Values are given by attribute name; a missing one takes the field's default, and
    ``auto_now``/``auto_now_add`` columns get the flush time — what ``save()`` would do.
    Values that need the backend's adaptation (dates, JSON) go through
    ``field.get_db_prep_save`` so the same rows are correct on SQLite and PostgreSQL.
    """

    _NATIVE = (
        models.CharField,
        models.TextField,
        models.IntegerField,
        models.BooleanField,
        models.ForeignKey,
    )

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.attname for f in self.fields]
        self.auto_now = {
            i
            for i, f in enumerate(self.fields)
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        }
        self.defaults = [
            f.get_default() if f.has_default() else (None if f.null else "") for f in self.fields
        ]
        self.adapt = [
            i for i, f in enumerate(self.fields) if i not in self.auto_now and not isinstance(f, self._NATIVE)
        ]
        table = connection.ops.quote_name(model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        # Table and column names come from the model's own metadata, never from input.
        self.sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"  # noqa: S608
        self.rows: list[dict[str, Any]] = []

    def add(self, **values: Any) -> None:
        self.rows.append(values)

    def flush(self) -> None:
        if not self.rows:
            return
        from django.utils import timezone

        stamp = {i: self.fields[i].get_db_prep_save(timezone.now(), connection) for i in self.auto_now}
        out = []
        for values in self.rows:
            row = [values.get(c, d) for c, d in zip(self.columns, self.defaults, strict=True)]
            for i, v in stamp.items():
                row[i] = v
            for i in self.adapt:
                row[i] = self.fields[i].get_db_prep_save(row[i], connection)
            out.append(row)
        with connection.cursor() as cur:
            cur.executemany(self.sql, out)
        self.rows.clear()


class _Ids:
    """Explicit primary keys: the next free id per model, known before the insert."""

    def __init__(self) -> None:
        self._next: dict[type[models.Model], int] = {}

    def take(self, model: type[models.Model]) -> int:
        if model not in self._next:
            top = model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0
            self._next[model] = top + 1
        pk = self._next[model]
        self._next[model] = pk + 1
        return pk


class Generator:
    def __init__(
        self,
        scale: Scale,
        *,
        seed: int = 1,
        city_code: str = "450900",
        city_name: str = "玉林市",
        batch: int = 5000,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.scale = scale
        self.seed = seed
        self.rng = random.Random(seed)
        self.uniq = Uniques(self.rng)
        self.city_code = city_code
        self.city_name = city_name
        self.batch = batch
        self.progress = progress or (lambda _n: None)
        self.ids = _Ids()
        self.nodes: list[Node] = []
        self.counties: list[Node] = []
        self.streets: list[Node] = []
        self.communities: list[Node] = []
        self.grids: list[Node] = []
        self.compounds: list[Node] = []
        self.buildings: dict[int, list[Node]] = {}
        self.compound_residents: dict[int, int] = {}
        self.orgs: list[Organization] = []
        self.org_of: dict[tuple[str, int], Organization] = {}  # (level, node id) → org
        self.units: list[Unit] = []
        self.unit_org: dict[int, Organization] = {}
        self.units_by_county: dict[int, list[Unit]] = {}

    # --- tree helpers -----------------------------------------------------------------

    def node(self, *, parent: Node | None, level: str, name: str, code: str, **extra: Any) -> Node:
        n = Node(id=self.ids.take(Node), level=level, name=name, code=code, parent=parent, **extra)
        if parent is not None:
            n.place(parent)
        n.depth = parent.depth + 1 if parent else 0
        n.path = f"{parent.path if parent else '/'}{n.pk}/"
        if level in ("city", "county", "street", "community", "grid", "compound"):
            setattr(n, f"{level}_id", n.pk)
        return n

    def org(
        self,
        *,
        name: str,
        kind: str,
        node: Node,
        parent: Organization | None,
        unit: Unit | None = None,
        **extra: Any,
    ) -> Organization:
        o = Organization(
            id=self.ids.take(Organization), name=name, kind=kind, node=node, parent=parent, unit=unit, **extra
        )
        o.place(node)
        o.depth = parent.depth + 1 if parent else 0
        o.path = f"{parent.path if parent else '/'}{o.pk}/"
        self.orgs.append(o)
        return o

    # --- phases -----------------------------------------------------------------------

    def run(self) -> Report:
        started = time.perf_counter()
        seed_pay_scale(acting_user=None)
        with transaction.atomic():
            self.territory()
            self.organisations()
            self.positions()
        self.population()
        with transaction.atomic():
            self._reset_sequences()
            AuditEvent.objects.create(
                action="demo.gen_city",
                model="territory.node",
                object_id=str(self.counties[0].city_id if self.counties else ""),
                object_repr=f"生成{self.city_name}（{self.scale.name}，种子 {self.seed}）",
                after={"scale": self.scale.name, "seed": self.seed},
            )
        transaction.on_commit(geo.invalidate)
        geo.invalidate()
        report = Report(scale=self.scale.name, seed=self.seed, seconds=time.perf_counter() - started)
        report.totals = self.totals()
        report.db_bytes = database_size()
        return report

    def territory(self) -> None:
        s, rng = self.scale, self.rng
        city = self.node(parent=None, level="city", name=self.city_name, code=self.city_code)
        self.nodes.append(city)
        cols, rows = lattice_shape(s.grids)
        lattice = Lattice(*YULIN_CENTRE, cols, rows, cell_m=s.cell_m, seed=self.seed)
        cells = iter(gilbert_order(cols, rows)[: s.grids])
        streets_per_county = split(s.streets, s.counties)
        communities_per_street = split(s.communities, s.streets)
        grids_per_community = split(s.grids, s.communities, rng, spread=0.3)
        compounds_per_grid = split(s.compounds, s.grids, rng, spread=0.5) if s.compounds else [0] * s.grids
        residents_per_compound = (
            split(s.residents, s.compounds, rng, spread=0.6)
            if s.compounds and s.residents
            else [0] * s.compounds
        )
        names = iter(compound_names(rng, s.compounds)) if s.compounds else iter(())
        street_iter, community_iter = iter(streets_per_county), iter(communities_per_street)
        grid_iter, compound_iter, resident_iter = (
            iter(grids_per_community),
            iter(compounds_per_grid),
            iter(residents_per_compound),
        )
        for c in range(s.counties):
            cname, csuffix = YULIN_COUNTIES[c % len(YULIN_COUNTIES)]
            if c >= len(YULIN_COUNTIES):
                cname, csuffix = f"{cname}{c // len(YULIN_COUNTIES) + 1}", f"{30 + c:02d}"
            county = self.node(parent=city, level="county", name=cname, code=self.city_code[:4] + csuffix)
            self.counties.append(county)
            for st in range(next(street_iter)):
                word = STREET_WORDS[(len(self.streets)) % len(STREET_WORDS)]
                street = self.node(
                    parent=county, level="street", name=f"{word}街道", code=f"{county.code}{st + 1:03d}"
                )
                self.streets.append(street)
                for cm in range(next(community_iter)):
                    word = COMMUNITY_WORDS[len(self.communities) % len(COMMUNITY_WORDS)]
                    suffix = (
                        ""
                        if len(self.communities) < len(COMMUNITY_WORDS)
                        else cn_number(len(self.communities) // len(COMMUNITY_WORDS) + 1)
                    )
                    community = self.node(
                        parent=street,
                        level="community",
                        name=f"{word}{suffix}社区",
                        code=f"{street.code}{cm + 1:03d}",
                    )
                    self.communities.append(community)
                    for g in range(next(grid_iter)):
                        i, j = next(cells)
                        grid = self.node(
                            parent=community,
                            level="grid",
                            name=f"{word}{suffix}第{cn_number(g + 1)}网格",
                            code=f"{community.code}{g + 1:03d}",
                            grid_type="general",
                        )
                        boundary = lattice.polygon(i, j)
                        ring = boundary["coordinates"][0]
                        grid.boundary = boundary
                        grid.min_lng = min(p[0] for p in ring)
                        grid.max_lng = max(p[0] for p in ring)
                        grid.min_lat = min(p[1] for p in ring)
                        grid.max_lat = max(p[1] for p in ring)
                        grid.lng, grid.lat = lattice.point(i, j)
                        self.grids.append(grid)
                        for k in range(next(compound_iter)):
                            residents = next(resident_iter)
                            households = max(1, math.ceil(residents / PERSONS_PER_HOUSEHOLD))
                            fx, fy = rng.uniform(-0.25, 0.25), rng.uniform(-0.25, 0.25)
                            lng, lat = lattice.point(i, j, fx, fy)
                            compound = self.node(
                                parent=grid,
                                level="compound",
                                name=next(names),
                                code=f"{grid.code}{k + 1:03d}",
                                households=households,
                                lng=lng,
                                lat=lat,
                            )
                            self.compounds.append(compound)
                            self.compound_residents[compound.pk] = residents
                            self.buildings[compound.pk] = [
                                self.node(
                                    parent=compound,
                                    level="building",
                                    name=f"{b + 1}栋",
                                    code=f"{compound.code}{b + 1:03d}",
                                    households=hh,
                                    lng=lng,
                                    lat=lat,
                                )
                                for b, hh in enumerate(split(households, s.buildings_per_compound))
                            ]
        # Household counts roll up from compounds.
        by_id = {n.pk: n for n in [city, *self.counties, *self.streets, *self.communities, *self.grids]}
        for compound in self.compounds:
            up: Node | None = by_id[compound.parent_id]  # type: ignore[index]
            while up is not None:
                up.households += compound.households
                up = by_id.get(up.parent_id)  # type: ignore[arg-type]
        self.nodes += self.counties + self.streets + self.communities + self.grids + self.compounds
        for bs in self.buildings.values():
            self.nodes += bs
        self._bulk(Node, self.nodes)

    def organisations(self) -> None:
        s, rng = self.scale, self.rng
        city_node = self.nodes[0]
        city_org = self.org(name=f"中共{self.city_name}委员会", kind="committee", node=city_node, parent=None)
        organs: dict[int, Organization] = {}
        for county in self.counties:
            co = self.org(name=f"中共{county.name}委员会", kind="committee", node=county, parent=city_org)
            self.org_of[("county", county.pk)] = co
            organs[county.pk] = self.org(
                name=f"中共{county.name}直属机关工作委员会", kind="work_committee", node=county, parent=co
            )
        for street in self.streets:
            self.org_of[("street", street.pk)] = self.org(
                name=f"中共{street.name}工作委员会",
                kind="work_committee",
                node=street,
                parent=self.org_of[("county", street.county_id)],  # type: ignore[index]
                is_joint=True,
            )
        for k, community in enumerate(self.communities):
            self.org_of[("community", community.pk)] = self.org(
                name=f"中共{community.name}委员会",
                kind="committee",
                node=community,
                parent=self.org_of[("street", community.street_id)],  # type: ignore[index]
                is_joint=k % 3 != 2,
            )
        for grid in self.grids:
            self.org_of[("grid", grid.pk)] = self.org(
                name=f"{grid.name}党支部",
                kind="branch",
                node=grid,
                parent=self.org_of[("community", grid.community_id)],  # type: ignore[index]
            )
        for compound in self.compounds:
            self.org_of[("compound", compound.pk)] = self.org(
                name=f"{compound.name}党支部",
                kind="branch",
                node=compound,
                parent=self.org_of[("community", compound.community_id)],  # type: ignore[index]
                founded_on=date(2018, 1, 1) + timedelta(days=rng.randrange(1200)),
            )
        # Units: agencies … property companies, each with its party organisation.
        kinds = [k for k, share in UNIT_KINDS for _ in range(max(1, round(share * s.units)))][: s.units]
        kinds += ["private"] * (s.units - len(kinds))
        codes: set[str] = set()
        for kind in kinds:
            grid = rng.choice(self.grids)
            county = next(c for c in self.counties if c.pk == grid.county_id)
            code = credit_code(rng, county.code, dept="1" if kind == "agency" else "9")
            while code in codes:
                code = credit_code(rng, county.code)
            codes.add(code)
            phone = f"0775{rng.randrange(2_000_000, 9_999_999)}"
            unit = Unit(
                id=self.ids.take(Unit),
                name=unit_name(rng, kind, county.name, grid.name[:2]),
                kind=kind,
                credit_code=code,
                node=grid,
                address=f"{county.name}{grid.name[:-4]}路{rng.randint(1, 300)}号",
                contact_name=person_name(rng),
                contact_phone_enc=crypto.encrypt(phone),
                contact_phone_hash=crypto.lookup_hash("phone", phone),
                contact_phone_masked=crypto.mask_phone(phone),
                employees=rng.randrange(10, 1200),
            )
            unit.place(grid)
            self.units.append(unit)
            self.units_by_county.setdefault(county.pk, []).append(unit)
        self._bulk(Unit, self.units)
        for unit in self.units:
            public = unit.kind in ("agency", "institution", "school", "hospital", "soe")
            parent = organs[unit.county_id] if public else self.org_of[("street", unit.street_id)]  # type: ignore[index]
            big = unit.employees > 800
            self.unit_org[unit.pk] = self.org(
                name=f"中共{unit.name}{'委员会' if big else '支部委员会'}",
                kind="committee" if big else "branch",
                node=unit.node,
                parent=parent,
                unit=unit,
            )
        self._bulk(Organization, self.orgs)
        # One hierarchical alliance per county, the street 大工委 as members.
        through = Alliance.members.through
        links = []
        alliances = []
        for county in self.counties:
            a = Alliance(
                id=self.ids.take(Alliance),
                name=f"{county.name}城市基层党建联盟",
                kind="hierarchical",
                tier="county",
                node=county,
                lead=self.org_of[("county", county.pk)],
            )
            a.place(county)
            alliances.append(a)
            links.append(through(alliance_id=a.pk, organization_id=a.lead_id))
            for street in self.streets:
                if street.county_id == county.pk:
                    links.append(
                        through(alliance_id=a.pk, organization_id=self.org_of[("street", street.pk)].pk)
                    )
        self._bulk(Alliance, alliances)
        through.objects.bulk_create(links, batch_size=self.batch)

    def positions(self) -> None:
        s, rng = self.scale, self.rng
        rows: list[ServicePosition] = []

        def add(name: str, node: Node, area: float, **extra: Any) -> None:
            p = ServicePosition(
                id=self.ids.take(ServicePosition),
                name=name,
                node=node,
                floor_area=Decimal(round(area)),
                lng=node.lng,
                lat=node.lat,
                **extra,
            )
            p.place(node)
            rows.append(p)

        for county in self.counties:
            add(
                f"{county.name}党群服务中心",
                county,
                rng.randrange(1500, 3600),
                level="county",
                functions=ONE_HALL_SIX_ROOMS,
            )
        for street in self.streets:
            add(
                f"{street.name}党群服务中心",
                street,
                rng.randrange(800, 1600),
                level="street",
                functions=ONE_HALL_SIX_ROOMS,
            )
        for community in self.communities:
            add(
                f"{community.name}党群服务中心",
                community,
                rng.randrange(500, 1200),
                level="community",
                functions=ONE_HALL_SIX_ROOMS,
            )
        for compound in rng.sample(self.compounds, round(len(self.compounds) * s.compound_centre_share)):
            need = min(30 * compound.households / 100, 300)
            area = need * rng.uniform(1.0, 1.5) if rng.random() < 0.8 else need * rng.uniform(0.4, 0.9)
            add(
                f"{compound.name}党群服务站",
                compound,
                max(20, area),
                level="compound",
                functions=["党员活动室"],
            )
        for unit in rng.sample(self.units, round(len(self.units) * s.unit_venue_share)):
            add(
                f"{unit.name}开放场所",
                unit.node,
                rng.randrange(60, 2000),
                kind="unit_venue",
                level="",
                unit=unit,
                functions=["文体活动室"],
            )
        self._bulk(ServicePosition, rows)

    def population(self) -> None:
        """Households, people, residents, members and workers, streamed in batches.

        These are the million-row tables, so rows are tuples written with ``executemany``
        (see :class:`_Rows`) rather than model instances; the columns are the models' own
        and the placement tuple is what ``place()`` would copy from the household.
        """
        s, rng = self.scale, self.rng
        if not s.residents:
            return
        roles = [*"i" * s.in_service, *"r" * s.retired, *"m" * s.mobile, *"p" * s.pocket]
        roles += ["-"] * (s.residents - len(roles))
        rng.shuffle(roles)
        role_iter = iter(roles)
        born_range = {
            "i": (1962, 2002),
            "r": (1935, 1962),
            "m": (1970, 2002),
            "p": (1970, 2002),
            "-": (1940, 2020),
        }
        category = {"i": "in_service", "r": "retired", "m": "mobile", "p": "pocket"}
        tables = {
            "node": _Rows(Node),
            "person": _Rows(Person),
            "resident": _Rows(Resident),
            "member": _Rows(PartyMember),
            "transfer": _Rows(OrgTransfer),
        }
        workers: list[models.Model] = []
        need_workers: dict[int, int] = {}  # grid id → persons still wanted as workers
        seen_communities: set[int] = set()
        for grid in self.grids:
            first = grid.community_id not in seen_communities
            seen_communities.add(grid.community_id)  # type: ignore[arg-type]
            need_workers[grid.pk] = 1 + (1 + s.community_workers if first else 0)
        grids_by_id = {g.pk: g for g in self.grids}
        communities_by_id = {c.pk: c for c in self.communities}
        posts = ["principal"] + ["deputy"] * 2 + ["staff"] * max(0, s.community_workers - 3)
        titles = {"principal": "党委书记、居委会主任", "deputy": "副书记", "staff": "社区专职工作者"}
        counters: dict[int, int] = {}
        county_code = {c.pk: c.code for c in self.counties}
        today = date(2021, 6, 30)
        kinds_cum = (70, 90, 100)
        kinds = ("registered", "permanent", "floating")
        pending = 0
        for compound in self.compounds:
            grid = grids_by_id[compound.grid_id]  # type: ignore[index]
            branch = self.org_of[("compound", compound.pk)]
            county_units = self.units_by_county.get(compound.county_id, []) or self.units  # type: ignore[arg-type]
            area = county_code[compound.county_id]  # type: ignore[index]
            placed = (
                compound.city_id,
                compound.county_id,
                compound.street_id,
                compound.community_id,
                grid.pk,
                compound.pk,
            )
            left = self.compound_residents[compound.pk]
            households: list[tuple[int, str, str]] = []  # (id, code, address prefix)
            for building in self.buildings[compound.pk]:
                for h in range(building.households):
                    if len(households) * PERSONS_PER_HOUSEHOLD >= left + PERSONS_PER_HOUSEHOLD:
                        break
                    floor, room = divmod(h, 4)
                    pk = self.ids.take(Node)
                    code = f"{building.code}{h + 1:04d}"
                    name = f"{floor + 1}{room + 1:02d}室"
                    tables["node"].add(
                        id=pk,
                        level="household",
                        name=name,
                        code=code,
                        parent_id=building.pk,
                        path=f"{building.path}{pk}/",
                        depth=building.depth + 1,
                        **dict(zip(_PLACED, placed, strict=True)),
                    )
                    households.append((pk, code, f"{compound.name}{building.name}{name[:-1]}"))
            sizes = split(left, len(households)) if households else []
            for (hh_id, _code, address), size in zip(households, sizes, strict=True):
                for k in range(size):
                    role = next(role_iter)
                    lo, hi = born_range[role]
                    idn = self.uniq.id_number(area, born_from=lo, born_to=hi)
                    sid = crypto.seal("id_number", idn)
                    sph = crypto.seal("phone", self.uniq.phone())
                    sad = crypto.seal("address", address)
                    born = date(int(idn[6:10]), int(idn[10:12]), int(idn[12:14]))
                    person_id = self.ids.take(Person)
                    place = dict(zip(_PLACED, placed, strict=True))
                    tables["person"].add(
                        id=person_id,
                        name=person_name(rng),
                        gender="M" if int(idn[16]) % 2 else "F",
                        birth_date=born,
                        id_number_enc=sid.enc,
                        id_number_hash=sid.hash,
                        id_number_masked=sid.masked,
                        phone_enc=sph.enc,
                        phone_hash=sph.hash,
                        phone_masked=sph.masked,
                        address_enc=sad.enc,
                        address_masked=sad.masked,
                        home_id=hh_id,
                        **place,
                    )
                    age = (today - born).days // 365
                    tables["resident"].add(
                        id=self.ids.take(Resident),
                        person_id=person_id,
                        household_id=hh_id,
                        residence_type=rng.choices(kinds, cum_weights=kinds_cum)[0],
                        is_head=k == 0,
                        tags=["elderly"] if age >= 65 else [],
                        **place,
                    )
                    pending += 1
                    if role != "-":
                        unit = rng.choice(county_units) if role == "i" else None
                        org = self.unit_org[unit.pk] if unit is not None else branch
                        joined = born + timedelta(days=365 * 18 + rng.randrange(365 * max(1, age - 18)))
                        member_id = self.ids.take(PartyMember)
                        tables["member"].add(
                            id=member_id,
                            person_id=person_id,
                            organization_id=org.pk,
                            category=category[role],
                            status="probationary" if rng.random() < 0.03 else "full",
                            joined_on=min(joined, today),
                            work_unit_id=unit.pk if unit is not None else None,
                            **{f"{lvl}_id": getattr(org, f"{lvl}_id") for lvl in _LEVELS},
                        )
                        tables["transfer"].add(
                            id=self.ids.take(OrgTransfer),
                            member_id=member_id,
                            from_org_id=None,
                            to_org_id=org.pk,
                            reason="建立档案",
                        )
                    elif 22 <= age <= 58 and need_workers[grid.pk] > 0:
                        need_workers[grid.pk] -= 1
                        n = counters.get(grid.pk, 0)
                        counters[grid.pk] = n + 1
                        since = today - timedelta(days=rng.randrange(3650))
                        w: models.Model
                        if n < 2:
                            w = GridWorker(
                                id=self.ids.take(GridWorker),
                                person_id=person_id,
                                grid_node=grid,
                                role=("worker", "chief")[n],
                                since=since,
                            )
                            w.place(grid)
                        else:
                            community = communities_by_id[grid.community_id]  # type: ignore[index]
                            post = posts[(n - 2) % len(posts)]
                            w = CommunityWorker(
                                id=self.ids.take(CommunityWorker),
                                person_id=person_id,
                                community_node=community,
                                post=post,
                                level=rng.randint(1, 6),
                                position_title=titles[post],
                                since=since,
                            )
                            w.place(community)
                        workers.append(w)
            if pending >= self.batch:
                self._flush_rows(tables, workers)
                self.progress(pending)
                pending = 0
        self._flush_rows(tables, workers)
        self.progress(pending)

    # --- writing ----------------------------------------------------------------------

    def _flush_rows(self, tables: dict[str, _Rows], workers: list[models.Model]) -> None:
        with transaction.atomic():
            for rows in tables.values():  # parents before children
                rows.flush()
            for model in (GridWorker, CommunityWorker):
                mine = [w for w in workers if isinstance(w, model)]
                if mine:
                    self._bulk(model, mine)
            workers.clear()

    def _bulk(self, model: type[models.Model], rows: Iterable[Any]) -> None:
        model._default_manager.bulk_create(list(rows), batch_size=self.batch)

    def _reset_sequences(self) -> None:
        sql = connection.ops.sequence_reset_sql(
            no_style(),
            [
                Node,
                Organization,
                Unit,
                Alliance,
                ServicePosition,
                Person,
                Resident,
                PartyMember,
                OrgTransfer,
                GridWorker,
                CommunityWorker,
            ],
        )
        with connection.cursor() as cur:
            for statement in sql:
                cur.execute(statement)

    def totals(self) -> dict[str, int]:
        city_id = self.nodes[0].pk
        under = {"city_id": city_id}
        nodes = Node.objects.filter(**under)
        return {
            "县(市、区)": nodes.filter(level="county").count(),
            "街道": nodes.filter(level="street").count(),
            "社区": nodes.filter(level="community").count(),
            "网格": nodes.filter(level="grid").count(),
            "小区": nodes.filter(level="compound").count(),
            "楼栋": nodes.filter(level="building").count(),
            "户": nodes.filter(level="household").count(),
            "单位": Unit.objects.filter(**under).count(),
            "党组织": Organization.objects.filter(**under).count(),
            "服务阵地": ServicePosition.objects.filter(**under).count(),
            "人员": Person.objects.filter(**under).count(),
            "居民": Resident.objects.filter(**under).count(),
            "党员": PartyMember.objects.filter(**under).count(),
            "在职党员": PartyMember.objects.filter(**under, category="in_service").count(),
            "网格员": GridWorker.objects.filter(**under).count(),
            "社区工作者": CommunityWorker.objects.filter(**under).count(),
        }


def generate(scale: Scale | str, *, seed: int = 1, **kwargs: Any) -> Report:
    if isinstance(scale, str):
        scale = SCALES[scale]
    return Generator(scale, seed=seed, **kwargs).run()
