"""``dangjian intel train|evaluate|list|activate``: learn to classify appeal text.

train FILE.xlsx [--from-cases]   learn from a labelled history (主题, 详情, 类别 and synonyms)
                                 and/or the handled cases here; staff overrides are included;
                                 the new version is stored with its evaluation and activated
evaluate FILE.xlsx --folds 5     stratified cross-validation (or --test OTHER.xlsx: train on
                                 FILE, score on OTHER); prints per-class P/R/F1, the confusion
                                 matrix and, last, ``macro_f1=0.xxx``
list                             the stored versions
activate N                       use version N (rolling back is activating an older one)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangjian.core import crypto
from dangjian.intel import actions, dataset, learning, report, text
from dangjian.intel.models import ClassifierVersion


class Command(BaseCommand):
    help = "诉求文本智能分类：train 训练 / evaluate 交叉验证评估 / list 模型版本 / activate 启用版本"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        common = {
            "level": "标签级别（1=一级分类，默认）",
            "variant": f"模型变体：{'、'.join(learning.VARIANTS)}",
        }

        train = sub.add_parser("train", help="从已标注的历史诉求训练新版本并启用")
        train.add_argument("file", nargs="?", help="已标注的历史诉求（.xlsx，也可 .csv/.tsv）")
        train.add_argument("--from-cases", action="store_true", help="加入本平台已办理的诉求（含人工改判）")
        train.add_argument("--no-overrides", action="store_true", help="不加入工作人员的分类改判")
        train.add_argument("--skip-unknown", action="store_true", help="跳过无法对应到分类体系的标签")
        train.add_argument("--holdout", type=float, default=0.2, help="留出评估的比例（默认 0.2）")
        train.add_argument("--no-activate", action="store_true", help="只保存，不启用")
        train.add_argument(
            "--as", dest="as_phone", default="", help="以该手机号对应的用户身份训练（记入审计）"
        )
        train.add_argument("--level", type=int, default=1, help=common["level"])
        train.add_argument("--variant", default=learning.DEFAULT_VARIANT, help=common["variant"])

        ev = sub.add_parser("evaluate", help="分层交叉验证：各类 P/R/F1、混淆矩阵、macro_f1")
        ev.add_argument("file", help="已标注的诉求（.xlsx，也可 .csv/.tsv）")
        ev.add_argument("--folds", type=int, default=5, help="折数（默认 5）")
        ev.add_argument("--test", default="", help="改为：用 FILE 训练，在此留出文件上评估")
        ev.add_argument("--skip-unknown", action="store_true", help="跳过无法对应到分类体系的标签")
        ev.add_argument("--level", type=int, default=1, help=common["level"])
        ev.add_argument("--variant", default=learning.DEFAULT_VARIANT, help=common["variant"])

        sub.add_parser("list", help="列出模型版本")
        act = sub.add_parser("activate", help="启用指定版本")
        act.add_argument("version", type=int)

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, f"do_{opts['sub']}")(**opts)
        except (dataset.DataError, learning.TrainingError) as exc:
            raise CommandError(str(exc)) from exc

    # -- helpers -------------------------------------------------------------------------

    def _variant(self, variant: str) -> str:
        if variant not in learning.VARIANTS:
            raise CommandError(f"未知的模型变体：{variant}（可选：{'、'.join(learning.VARIANTS)}）")
        return variant

    def _load(self, path: str, taxonomy: dataset.Taxonomy, *, skip_unknown: bool) -> dataset.Labelled:
        data = dataset.from_file(Path(path), taxonomy)
        for note in data.notes:
            self.stdout.write(note)
        if data.unlabelled:
            self.stdout.write(f"{data.unlabelled} 行没有类别，已跳过")
        if data.unknown:
            listed = "、".join(f"{label}（{n} 行）" for label, n in data.unknown.most_common())
            if not skip_unknown:
                raise CommandError(
                    f"以下类别在分类体系中找不到（请用分类名称或编码，或加 --skip-unknown 跳过）：{listed}"
                )
            self.stdout.write(f"已跳过未知类别：{listed}")
        return data

    def _user(self, phone: str) -> Any:
        if not phone:
            return None
        user = (
            get_user_model()
            .objects.filter(
                phone_hash=crypto.lookup_hash("phone", crypto.normalise_phone(phone)), is_active=True
            )
            .first()
        )
        if user is None:
            raise CommandError(f"未找到手机号为 {phone} 的有效用户")
        return user

    # -- subcommands ---------------------------------------------------------------------

    def do_train(self, **opts: Any) -> None:
        variant = self._variant(opts["variant"])
        if not opts["file"] and not opts["from_cases"]:
            raise CommandError("请给出训练文件（.xlsx），或使用 --from-cases 从本平台已办理的诉求学习")
        taxonomy = dataset.Taxonomy(opts["level"])
        user = self._user(opts["as_phone"])
        sources = []
        data = dataset.Labelled()
        if opts["file"]:
            data = self._load(opts["file"], taxonomy, skip_unknown=opts["skip_unknown"])
            sources.append(Path(opts["file"]).name)
        if opts["from_cases"]:
            # Handled cases, with the category staff chose wherever they overrode the model.
            cases = dataset.from_cases(taxonomy)
            for t, d, c in zip(cases.titles, cases.texts, cases.codes, strict=True):
                data.add(t, d, c)
            data.overrides_used = cases.overrides_used
            sources.append(f"本平台已办理诉求 {len(cases)} 件")
        elif not opts["no_overrides"]:
            dataset.add_overrides(data, taxonomy)
        if not len(data):
            raise CommandError("没有可用于训练的已标注诉求")
        self.stdout.write(
            f"训练样本 {len(data)} 条（其中人工改判 {data.overrides_used} 条），{len(set(data.codes))} 个类别 …"
        )
        trained = actions.train_version(
            data=data,
            taxonomy=taxonomy,
            source="；".join(sources),
            acting_user=user,
            variant=variant,
            holdout=opts["holdout"],
            activate=not opts["no_activate"],
        )
        v = trained.version
        for line in report.lines(trained.scores, taxonomy.name, title=f"留出评估（{opts['holdout']:.0%}）："):
            self.stdout.write(line)
        state = "已启用" if v.active else "未启用"
        self.stdout.write(
            self.style.SUCCESS(
                f"分类模型 v{v.version} 已保存（{state}），训练 {trained.fit_seconds:.1f} 秒，阈值 {v.threshold:.2f}"
            )
        )

    def do_evaluate(self, **opts: Any) -> None:
        variant = self._variant(opts["variant"])
        taxonomy = dataset.Taxonomy(opts["level"])
        data = self._load(opts["file"], taxonomy, skip_unknown=opts["skip_unknown"])
        docs = [text.document(t, d) for t, d in zip(data.titles, data.texts, strict=True)]
        if opts["test"]:
            test = self._load(opts["test"], taxonomy, skip_unknown=opts["skip_unknown"])
            model = learning.fit(docs, data.codes, variant)
            test_docs = [text.document(t, d) for t, d in zip(test.titles, test.texts, strict=True)]
            scores = learning.evaluate_model(model, test_docs, test.codes)
            title = f"留出文件评估（{variant}）：训练 {len(data)} 条，评估 {len(test)} 条"
        else:
            folds = opts["folds"]
            if folds < 2:
                raise CommandError("折数至少为 2")
            scores = learning.cross_validate(docs, data.codes, variant=variant, folds=folds)
            title = f"{folds} 折分层交叉验证（{variant}）：{len(data)} 条，{len(scores.classes)} 个类别"
        for line in report.lines(scores, taxonomy.name, title=title):
            self.stdout.write(line)

    def do_list(self, **opts: Any) -> None:
        rows = ClassifierVersion.objects.defer("pipeline").select_related("trained_by")
        if not rows:
            self.stdout.write("尚无分类模型。用 dangjian intel train FILE.xlsx 训练。")
            return
        for v in rows:
            f1 = "—" if v.macro_f1 is None else f"{v.macro_f1:.3f}"
            self.stdout.write(
                f"v{v.version:<4} {'启用' if v.active else '    '} {v.trained_at:%Y-%m-%d %H:%M}  {v.variant:<4} "
                f"样本 {v.training_size:<6} 类别 {len(v.classes):<3} macro_f1 {f1}  阈值 {v.threshold:.2f}  {v.source}"
            )

    def do_activate(self, **opts: Any) -> None:
        version = ClassifierVersion.objects.filter(version=opts["version"]).first()
        if version is None:
            raise CommandError(f"没有版本 v{opts['version']}")
        actions.activate_version(version, acting_user=None)
        self.stdout.write(self.style.SUCCESS(f"已启用分类模型 v{version.version}"))
