"""Reading a city's labelled history: column synonyms, missing columns, label mapping."""

from __future__ import annotations

from typing import Any

import pytest

from dangjian.appeals.models import Category
from dangjian.intel import dataset
from dangjian.intel.tests import samples


def top(name: str) -> str:
    return Category.objects.get(level=1, name=name).code


@pytest.mark.parametrize(
    "headers",
    [
        ("主题", "详情", "类别"),
        ("留言主题", "留言详情", "一级分类"),
        ("诉求标题", "诉求内容", "诉求分类"),
        ("标题 *", "内容", "分类"),
    ],
)
def test_it_accepts_the_common_column_names(db: Any, headers: tuple[str, str, str]) -> None:
    data = dataset.from_rows(samples.rows(headers), dataset.Taxonomy(1))
    assert len(data) == 32
    assert data.titles[0] == "小区路灯坏了"
    assert set(data.codes) == {top(n) for n in samples.SAMPLES}


def test_it_names_the_missing_label_column_in_chinese(db: Any) -> None:
    rows = [["留言主题", "留言详情", "备注"], ["路灯坏了", "小区路灯不亮", ""]]
    with pytest.raises(dataset.DataError) as err:
        dataset.from_rows(rows, dataset.Taxonomy(1))
    message = str(err.value)
    assert "缺少列：类别" in message
    assert "一级分类" in message  # it says which names would do
    assert "表头为：留言主题、留言详情、备注" in message


def test_it_names_both_text_columns_when_there_is_no_text(db: Any) -> None:
    with pytest.raises(dataset.DataError) as err:
        dataset.from_rows([["编号", "类别"], ["1", "城乡建设"]], dataset.Taxonomy(1))
    assert "缺少列：主题" in str(err.value) and "缺少列：详情" in str(err.value)


def test_a_file_without_titles_trains_on_the_details_and_says_so(db: Any) -> None:
    data = dataset.from_rows([["内容", "类别"], ["小区路灯不亮", "城乡建设"]], dataset.Taxonomy(1))
    assert data.titles == [""] and data.texts == ["小区路灯不亮"]
    assert any("未找到“主题”列" in note for note in data.notes)


def test_it_maps_labels_by_name_code_and_path_and_rolls_them_up(db: Any) -> None:
    leaf = Category.objects.filter(level=3, parent__parent__name="环境保护").order_by("code").first()
    assert leaf is not None
    path = f"{leaf.parent.parent.name}/{leaf.parent.name}/{leaf.name}"  # type: ignore[union-attr]
    rows = [
        ["主题", "详情", "类别"],
        ["a", "x", "城乡建设"],
        ["b", "x", top("政法")],
        ["c", "x", leaf.code],
        ["d", "x", path],
        ["e", "x", "  环境保护 "],
    ]
    data = dataset.from_rows(rows, dataset.Taxonomy(1))
    assert data.codes == [top("城乡建设"), top("政法"), top("环境保护"), top("环境保护"), top("环境保护")]


def test_it_lists_unknown_labels_and_counts_unlabelled_rows(db: Any) -> None:
    rows = [
        ["主题", "详情", "类别"],
        ["a", "x", "城乡建设"],
        ["b", "x", "天文地理"],
        ["c", "x", "天文地理"],
        ["d", "x", "其他"],  # a name many second levels share: ambiguous, so unknown
        ["e", "x", ""],
    ]
    data = dataset.from_rows(rows, dataset.Taxonomy(1))
    assert len(data) == 1
    assert data.unknown == {"天文地理": 2, "其他": 1}
    assert data.unlabelled == 1


def test_it_reads_xlsx_and_refuses_other_files(db: Any, tmp_path: Any) -> None:
    path = samples.write_xlsx(tmp_path / "history.xlsx", samples.rows(("留言主题", "留言详情", "一级分类")))
    assert len(dataset.from_file(path, dataset.Taxonomy(1))) == 32
    other = tmp_path / "history.doc"
    other.write_text("x")
    with pytest.raises(dataset.DataError, match="不支持的文件类型"):
        dataset.from_file(other, dataset.Taxonomy(1))
    with pytest.raises(dataset.DataError, match="文件不存在"):
        dataset.from_file(tmp_path / "none.xlsx", dataset.Taxonomy(1))
