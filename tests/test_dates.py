from datetime import date, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from equityplan.templatetags.dates import era_of, ldate, wareki


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2026, 11, 25), "令和8年11月25日"),
        (date(2013, 7, 11), "平成25年7月11日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1926, 12, 25), "昭和元年12月25日"),
        (date(1926, 12, 24), "大正15年12月24日"),
        (datetime(2043, 7, 11, 9, 0), "令和25年7月11日"),
    ],
)
def test_wareki(d, expected):
    assert wareki(d) == expected


def test_wareki_of_nothing_and_before_meiji():
    assert wareki(None) == "" and wareki("") == ""
    assert wareki(date(1800, 1, 1)) == "1800-01-01"
    with pytest.raises(ValueError):
        era_of(date(1800, 1, 1))


def test_ldate_follows_the_language():
    d = date(2013, 7, 11)
    with translation.override("en"):
        assert ldate(d) == "2013-07-11"
        assert ldate(d, "long") == "11 July 2013"
        assert ldate(d, "era") == "2013-07-11"
    with translation.override("ja"):
        assert ldate(d) == "2013年7月11日"
        assert ldate(d, "era") == "2013年7月11日（平成25年）"


def test_filters_in_a_template():
    template = Template("{{ d|wareki }} {{ d|ldate }}")
    with translation.override("ja"):
        assert template.render(Context({"d": date(2026, 11, 25)})) == "令和8年11月25日 2026年11月25日"
