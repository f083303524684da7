"""``dangjian intel train|evaluate|list|activate`` from the console."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from dangjian.intel import classify
from dangjian.intel.models import ClassifierVersion
from dangjian.intel.tests import samples


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("intel", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def history(tmp_path: Any) -> str:
    return str(
        samples.write_xlsx(tmp_path / "history.xlsx", samples.rows(("留言主题", "留言详情", "一级分类")))
    )


def test_train_stores_and_activates_a_version(db: Any, history: str) -> None:
    out = run("train", history, "--holdout", "0.25")
    assert "训练样本 32 条" in out
    assert "分类模型 v1 已保存（已启用）" in out
    assert out.strip().splitlines()[-2].startswith("macro_f1=")
    v = ClassifierVersion.objects.get()
    assert v.active and v.source == "history.xlsx"
    p = classify.predict("拖欠工资", "老板拖欠工资")
    assert p is not None and p.model_version == v.pk
    listing = run("list")
    assert "v1" in listing and "启用" in listing and "history.xlsx" in listing


def test_evaluate_prints_the_table_the_matrix_and_macro_f1_last(db: Any, history: str) -> None:
    out = run("evaluate", history, "--folds", "4")
    lines = out.rstrip("\n").splitlines()
    assert lines[0].startswith("4 折分层交叉验证")
    assert any(line.startswith("01") and "城乡建设" in line for line in lines)
    assert any("混淆矩阵" in line for line in lines)
    matrix_at = next(i for i, line in enumerate(lines) if "混淆矩阵" in line)
    header = lines[matrix_at + 1].split()
    assert header == sorted(header) and len(header) == 4
    rows = [lines[matrix_at + 2 + i].split() for i in range(4)]
    assert sum(int(v) for row in rows for v in row[1:]) == 32  # every case predicted once
    assert "ECE" in out and "Brier" in out
    last = lines[-1]
    assert last.startswith("macro_f1=") and len(last) == len("macro_f1=0.000")
    assert 0.0 <= float(last.split("=")[1]) <= 1.0
    assert not ClassifierVersion.objects.exists()  # evaluating stores nothing


def test_evaluate_on_a_separate_test_file(db: Any, history: str, tmp_path: Any) -> None:
    test = samples.write_xlsx(
        tmp_path / "test.xlsx",
        [
            ["标题", "内容", "分类"],
            ["讨薪", "公司欠了三个月工资不发", "劳动和社会保障"],
            ["油烟", "饭店油烟熏人", "环境保护"],
        ],
    )
    out = run("evaluate", history, "--test", str(test))
    assert "留出文件评估" in out and out.strip().splitlines()[-1].startswith("macro_f1=")


def test_a_missing_column_is_named_in_chinese_and_nothing_is_stored(db: Any, tmp_path: Any) -> None:
    path = samples.write_xlsx(tmp_path / "bad.xlsx", [["主题", "详情"], ["路灯", "路灯坏了"]])
    with pytest.raises(CommandError, match="缺少列：类别"):
        run("train", str(path))
    assert not ClassifierVersion.objects.exists()


def test_unknown_labels_are_listed_unless_skipped(db: Any, tmp_path: Any) -> None:
    rows = samples.rows() + [["外星人", "看到不明飞行物", "天文地理"]]
    path = samples.write_xlsx(tmp_path / "odd.xlsx", rows)
    with pytest.raises(CommandError, match="天文地理（1 行）"):
        run("train", str(path))
    assert not ClassifierVersion.objects.exists()
    out = run("train", str(path), "--skip-unknown", "--holdout", "0.25")
    assert "已跳过未知类别：天文地理（1 行）" in out
    assert ClassifierVersion.objects.get().training_size == 32


def test_train_needs_a_file_or_cases_and_a_known_variant(db: Any, history: str) -> None:
    with pytest.raises(CommandError, match="请给出训练文件"):
        run("train")
    with pytest.raises(CommandError, match="未知的模型变体"):
        run("train", history, "--variant", "bert")
    with pytest.raises(CommandError, match="没有可用于训练的已标注诉求"):
        run("train", "--from-cases")


def test_activate_switches_versions(db: Any, history: str) -> None:
    run("train", history, "--holdout", "0.25")
    run("train", history, "--holdout", "0.25")
    assert "已启用分类模型 v1" in run("activate", "1")
    assert list(ClassifierVersion.objects.filter(active=True).values_list("version", flat=True)) == [1]
    with pytest.raises(CommandError, match="没有版本 v9"):
        run("activate", "9")
