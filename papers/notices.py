"""Notices generated from a series' terms: the notice of issuance and the notice of the amount paid.

Every clause is filled from the series' fields (and its planned allotments, clause (15)), following the
board's notice of the 3rd series (clauses (1)-(16)). English and Japanese are written out in full here
rather than through the translation catalogue: a notice is a legal text with its own wording in each
language, not an interface label.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from equityplan.templatetags.dates import to_japanese
from grants.models import AllotmentCategory, Series

LANGUAGES = ("en", "ja")

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def number_words(n: int) -> str:
    """English words for a whole number below a billion: 200 -> 'two hundred'."""
    if n < 0:
        return "minus " + number_words(-n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" {number_words(rest)}" if rest else "")
    for size, word in ((1_000_000, "million"), (1000, "thousand")):
        if n >= size:
            big, rest = divmod(n, size)
            return f"{number_words(big)} {word}" + (f" {number_words(rest)}" if rest else "")
    raise AssertionError("unreachable")


def spelled(n: int) -> str:
    """'two hundred (200)', the notice's way of writing a number."""
    return f"{number_words(n)} ({n:,})"


def yen_en(amount: Decimal) -> str:
    if amount == amount.to_integral_value():
        return f"{spelled(int(amount))} yen"
    return f"{amount:,} yen"


def yen_ja(amount: Decimal) -> str:
    if amount == amount.to_integral_value():
        return f"{int(amount):,}円"
    return f"{amount:,}円"


def date_en(d: date) -> str:
    return f"{d.strftime('%B')} {d.day}, {d.year}"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def years_text_en(term: Decimal) -> str:
    return f"{term.normalize():f} years"


@dataclass(frozen=True)
class Clause:
    number: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    table: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Notice:
    language: str
    title: str
    preamble: list[str]
    clauses: list[Clause]

    def as_text(self) -> str:
        """The whole notice as plain text (for tests and for copying into a release)."""
        lines = [self.title, ""] + self.preamble + [""]
        for clause in self.clauses:
            lines.append(f"{clause.number} {clause.title}".strip())
            lines.extend(clause.paragraphs)
            lines.extend(f"{i}. {item}" for i, item in enumerate(clause.items, start=1))
            lines.extend("  ".join(row) for row in clause.table)
            lines.append("")
        return "\n".join(lines)


def _initial_shares_per_right(series: Series) -> int:
    history = sorted(series.share_adjustments.all(), key=lambda a: a.applies_from)
    return history[0].shares_per_right if history else 0


def _planned(series: Series) -> list:
    order = {AllotmentCategory.DIRECTOR: 0, AllotmentCategory.EXECUTIVE_OFFICER: 1}
    return sorted(series.planned_allotments.all(), key=lambda p: order.get(p.category, 9))


def _company_short(series: Series) -> str:
    return series.company.name


def issuance_notice(series: Series, language: str) -> Notice:
    if language == "ja":
        return _issuance_ja(series)
    return _issuance_en(series)


def _volatility_en(series: Series) -> str:
    start = series.volatility_window_start
    end = "the day before " if series.volatility_window_end == Series.VolatilityWindowEnd.DAY_BEFORE else ""
    allot = date_en(series.allotment_date)
    if series.volatility_frequency == Series.VolatilityFrequency.WEEKLY:
        basis = "the closing price of the common stock of the Company in regular trading for the last trading date of each week"
    else:
        basis = "the daily closing price of the common stock of the Company in regular trading"
    window = (
        f"between {date_en(start)} to {end}{allot}"
        if start
        else f"over the {years_text_en(series.valuation_term_years)} up to {end}{allot}"
    )
    return f"Volatility (σ): volatility of share price computed based on {basis} {window}."


def _spot_en(series: Series) -> str:
    allot = date_en(series.allotment_date)
    if series.valuation_spot_rule == Series.SpotRule.PREVIOUS_DAY_CLOSE:
        return (
            "Share price (S): the closing price (base price when there is no closing price) of the common "
            f"stock of the Company in regular trading on the Tokyo Stock Exchange on the trading day before {allot}"
        )
    return (
        "Share price (S): the closing price (base price for the next trading day when there is no closing "
        "price) of the common stock of the Company in regular trading on the Tokyo Stock Exchange on "
        f"{allot}"
    )


def _rate_en(series: Series) -> str:
    if series.rate_rule == Series.RateRule.NEAREST:
        return (
            "Risk-free interest rate (r): The interest rate on Japanese government bonds with the published "
            "remaining years nearest to the expected remaining period."
        )
    return (
        "Risk-free interest rate (r): The interest rate on super-long-term Japanese government bonds with "
        "remaining years corresponding to the expected remaining period."
    )


def _dividend_en(series: Series) -> str:
    if series.dividend_rule == Series.DividendRule.ZERO:
        return "Dividend yield (q): zero (0)."
    fy = series.dividend_fiscal_year_end
    year = f"the fiscal year ended {fy.strftime('%B')}, {fy.year}" if fy else "the last fiscal year"
    splits = [a for a in series.share_adjustments.all() if a.cause != "initial"]
    text = (
        f"Dividend yield (q): Dividend per share (amount of dividend per share paid for {year}) divided "
        "by the share price as set forth in 2) above."
    )
    if splits or fy:
        text += (
            " Dividends per share are retroactively adjusted to reflect any stock split in the fiscal year."
        )
    return text


def _rounding_en(series: Series) -> str:
    if series.rounding_rule == Series.Rounding.PER_SHARE_CEIL:
        return "with the option price per share rounded up to the nearest yen, multiplied by the Number of Shares Granted"
    if series.rounding_rule == Series.Rounding.PER_SHARE_HALF_UP:
        return "with the option price per share rounded to the nearest yen (half up), multiplied by the Number of Shares Granted"
    return "multiplied by the Number of Shares Granted, with fractions of less than one yen being rounded up to the nearest yen"


def _issuance_en(series: Series) -> Notice:
    company = _company_short(series)
    shares = _initial_shares_per_right(series)
    price = yen_en(series.exercise_price_per_share_yen)
    planned = _planned(series)
    category_en = {
        AllotmentCategory.DIRECTOR: (
            "Directors (excluding Part-time and Outside Directors) of the Company",
            "Directors",
        ),
        AllotmentCategory.EXECUTIVE_OFFICER: ("Executive Officers of the Company", "Executive Officers"),
    }
    clauses = [
        Clause("(1)", "Name of the stock acquisition rights", [series.name]),
        Clause(
            "(2)",
            f"Maximum number of stock acquisition rights: {series.max_rights:,}",
            [
                "The maximum number as described above is the number of planned allotments. If the maximum "
                "number of the stock acquisition rights to be allotted is decreased due to no subscription "
                "for some of the rights, etc, then the maximum number of the stock acquisition rights to be "
                "issued shall be equal to the maximum number of the stock acquisition right to be allotted."
            ],
        ),
        Clause(
            "(3)",
            "Class and number of shares to be issued upon exercise of stock acquisition rights",
            [
                f"The class of shares to be issued upon exercise of stock acquisition rights shall be "
                f"{series.share_class} of the Company. The number of shares to be issued upon exercise of each "
                f'stock acquisition right (hereinafter referred as "Number of Shares Granted") shall be '
                f"{spelled(shares)}. However, in case the Company carries out a share split or share "
                "consolidation after the date of allotment of the stock acquisition rights (hereinafter "
                'referred to as the "Allotment Date") as defined in (13), the Number of Shares Granted shall '
                "be adjusted according to the following formula, with the resulting fractions of less than "
                "one share occurring upon such adjustment rounded down.",
                "Number of Shares Granted after adjustment = Number of Shares Granted before adjustment × "
                "Ratio of share split or share consolidation",
                "In the case of a share split, the Number of Shares Granted after adjustment shall apply from "
                "the day after the record date of the said share split. Whereas, in the case of a share "
                "consolidation, the Number of Shares Granted after adjustment shall apply from the day the "
                "share consolidation becomes effective. Provided, however, that in cases where the Company "
                "conducts a share split conditional on approval at a General Meeting of Shareholders of the "
                "Company of a proposal to reduce surplus and increase capital stock and capital reserve, and "
                "the record date for the share split shall be the day prior to the day on which said "
                "shareholders' meeting closes, the Number of Shares Granted after adjustment shall "
                "retroactively apply from the day after the day the applicable shareholders' meeting closes "
                "and the day following the applicable record date.",
                "In case the Company carries out a merger, demerger or the like that makes it necessary to "
                "adjust the Number of Shares Granted, the Company may make appropriate adjustment to the "
                "Number of Shares Granted within a reasonable range.",
            ],
        ),
        Clause(
            "(4)",
            "Value of assets to be contributed upon exercise of stock acquisition rights",
            [
                "The value of assets to be contributed upon exercise of stock acquisition rights shall be "
                "determined by multiplying the price to be paid per share upon exercise of each stock "
                'acquisition right (the "exercise price") by the Number of Shares Granted, and the exercise '
                f"price shall be {price}."
            ],
        ),
        Clause(
            "(5)",
            "Exercise period of stock acquisition rights",
            [f"From {date_en(series.exercise_period_start)} to {date_en(series.exercise_period_end)}"],
        ),
        Clause(
            "(6)",
            "Matters concerning increase in capital stock and capital reserve by the issuance of shares upon "
            "exercise of stock acquisition rights",
            items=[
                "Amount of increase in capital stock by issuing shares upon exercise of stock acquisition "
                "rights shall be half of the upper limit of capital increase as calculated pursuant to the "
                "provisions of Article 17, Paragraph 1 of the Ordinance for Corporate Accounting, with the "
                "resulting fractions of less than one (1) yen occurring upon such calculation shall be "
                "rounded up to the nearest yen.",
                "Amount of increase in capital reserve by issuing shares upon exercise of stock acquisition "
                "rights shall be the upper limit of capital increase as described in 1) above less the "
                "amount of increase in capital set out therein.",
            ],
        ),
        Clause(
            "(7)",
            "Restriction on acquisition of stock acquisition rights by transfer",
            [
                "Any acquisition of stock acquisition rights by transfer shall be subject to the approval by "
                "resolution of the Board of Directors of the Company."
                if series.transfer_requires_board_approval
                else "There is no restriction on acquisition of stock acquisition rights by transfer."
            ],
        ),
    ]
    if series.company_may_acquire_without_contribution:
        clauses.append(
            Clause(
                "(8)",
                "Conditions for acquisition of stock acquisition rights",
                [
                    "In case that a resolution for the approval of any of the proposals 1) or 2) below is "
                    "adopted at the General Meeting of Shareholders of the Company (or at a meeting of the "
                    "Board of Directors of the Company if resolution at a General Meeting of Shareholders is "
                    "not required), the Company may acquire the stock acquisition rights as at the date "
                    "specifically determined by the Board of Directors of the Company without contribution."
                ],
                items=[
                    "Proposal for approval of a merger agreement under which the Company shall be merged",
                    "Proposal for approval of a share exchange agreement or share transfer plan under which "
                    "the Company shall be a wholly-owned subsidiary",
                ],
            )
        )
    else:
        clauses.append(Clause("(8)", "Conditions for acquisition of stock acquisition rights", ["None."]))
    if series.successor_rights_on_restructuring:
        clauses.append(
            Clause(
                "(9)",
                "Matters concerning the details of the issuance of stock acquisition rights undergoing "
                "Organizational Restructuring",
                [
                    "In the event the Company merges (limited to cases wherein the Company becomes a "
                    "dissolving company), performs an absorption-type demerger or an incorporation-type "
                    "demerger (only if the Company becomes the split company), or conducts a share exchange "
                    "or a share transfer (only if the Company becomes a wholly-owned subsidiary) (hereinafter "
                    'collectively referred to as "Organizational Restructuring"), stock acquisition rights of '
                    "a corporation described in Article 236, Paragraph 1, Items 8.1 through 8.5 of the "
                    'Corporation Law of Japan (hereinafter "Restructured Company") shall be granted to each '
                    'Stock Acquisition Right Holder remaining unexercised (hereinafter "Remaining Stock '
                    'Acquisition Rights") immediately before the date when Organizational Restructuring takes '
                    "effect, provided that the delivery of stock acquisition rights of the Restructured Company "
                    "according to the following conditions is stipulated in the agreement or plan."
                ],
                items=[
                    "Number of stock acquisition rights of the Restructured Company to be delivered: the "
                    "number of stock acquisition rights held by the holder of the Remaining Stock "
                    "Acquisition Rights.",
                    f"Class of shares of the Restructured Company to be issued upon exercise: "
                    f"{series.share_class} of the Restructured Company.",
                    "Number of shares of the Restructured Company to be issued upon exercise: to be decided "
                    "according to (3) above after taking into consideration the conditions etc. of the "
                    "Organizational Restructuring.",
                    "Value of the assets to be contributed upon exercise: the amount to be paid after "
                    "restructuring multiplied by the number of shares determined in accordance with 3) above; "
                    f"the amount to be paid after restructuring shall be {price} per share of the "
                    "Restructured Company.",
                    "Exercise period: starting from the later of either the commencement date of the exercise "
                    "period as stipulated in (5) above, or the date on which the Organizational "
                    "Restructuring becomes effective and ending on the expiration date for the exercise of "
                    "stock acquisition rights as stipulated in (5) above.",
                    "Matters concerning increase in capital stock and capital reserve: to be determined in "
                    "accordance with (6) above.",
                    "Restriction on acquisition by transfer: any acquisition by transfer shall be subject to "
                    "the approval by resolution of the Board of Directors of the Restructured Company.",
                    "Conditions for acquisition of stock acquisition rights: to be determined in accordance "
                    "with (8) above.",
                    "Other terms and conditions of exercising stock acquisition rights: to be determined in "
                    "accordance with (11) below.",
                ],
            )
        )
    else:
        clauses.append(
            Clause(
                "(9)",
                "Matters concerning the details of the issuance of stock acquisition rights undergoing "
                "Organizational Restructuring",
                ["No stock acquisition rights of a Restructured Company will be delivered."],
            )
        )
    conditions = ["Partial execution of each stock acquisition rights is not allowed."]
    if series.all_at_once_exercise:
        conditions.append("All stock acquisition rights held shall be exercised at once.")
    conditions.append(
        "A person granted the stock acquisition rights may exercise its rights only within "
        f"{spelled(series.departure_window_days)} days from the day following the day the person loses his "
        "or her position as a Director or Executive Officer of the Company, except for losing his or her "
        "position by passing away."
        + (
            " However, this does not apply if his or her legal heir who inherit the stock acquisition rights "
            "as described in the following paragraph exercise the rights."
            if series.heir_allowed
            else ""
        )
    )
    if series.heir_allowed:
        conditions.append(
            "If a person granted the stock acquisition rights passes away, only one of his or her legal heir "
            'is permitted to inherit the granted stock acquisition rights (hereinafter referred as "Grantee"). '
            f"The Grantee can exercise only within {spelled(series.heir_window_months)} months after "
            "inheriting the new shares acquisition rights. If the Grantee passes away, the stock acquisition "
            "rights cannot be passed on to the legal heir of the Grantee."
        )
    else:
        conditions.append("The stock acquisition rights cannot be inherited.")
    if series.transfer_prohibited_by_allotment_terms:
        conditions.append(
            "The Share Purchase Warrants shall not be transferred to third-party, offered for pledge or "
            "disposed of in any other way."
        )
    conditions.append(
        series.other_conditions
        or "Matters concerning other conditions for the exercise of stock acquisition rights, other than the "
        "items prescribed above, shall be determined at the meeting of the Board of Directors when the "
        "terms and conditions of offering of stock acquisition rights are determined."
    )
    clauses += [
        Clause(
            "(10)",
            "Rules pertaining to fractions of less than one share arising from the exercise of stock "
            "acquisition rights",
            [
                "Fractions of less than one share in the number of shares to be granted to Stock Acquisition "
                "Right Holders who exercised stock acquisition rights shall be rounded down."
            ],
        ),
        Clause("(11)", "Other terms and conditions of exercising stock acquisition rights", items=conditions),
        Clause(
            "(12)",
            "Method for calculating the amount to be paid upon allocation of stock acquisition rights",
            [
                "The amount to be paid upon allocation of each stock acquisition rights shall be the option "
                "price per share calculated based on the following figures from 2) to 7) according to the "
                f"formula of the Black-Scholes model, {_rounding_en(series)}.",
                "C = S e^(-qT) N(d1) - X e^(-rT) N(d2), d1 = (ln(S/X) + (r - q + σ²/2) T) / (σ √T), "
                "d2 = d1 - σ √T",
            ],
            items=[
                "Option price per share (C)",
                _spot_en(series),
                f"Exercise price (X): {price}",
                f"Expected remaining period (T): {years_text_en(series.valuation_term_years)}",
                _volatility_en(series),
                _rate_en(series),
                _dividend_en(series),
                "Cumulative distribution function of the standard normal distribution (N(・))",
            ],
        ),
    ]
    clauses[-1].paragraphs.append(
        "The option price to be calculated as described above is a fair value of the stock acquisition "
        "rights. Accordingly, the issuance of the stock acquisition rights is not an issuance of shares with "
        "favorable terms."
        + (
            " The monetary remuneration claims of the person who will be allotted the stock acquisition "
            "rights against the Company and their obligations to pay for the allotment of the stock "
            "acquisition rights will be offset."
            if series.payment_by_setoff
            else ""
        )
    )
    clauses += [
        Clause("(13)", "Date of allotment of the stock acquisition rights", [date_en(series.allotment_date)]),
        Clause(
            "(14)",
            "Date of payment of consideration in exchange of the stock acquisition rights",
            [date_en(series.payment_date)],
        ),
        Clause(
            "(15)",
            "Persons to be allotted stock acquisition rights, number of persons, and number of stock "
            "acquisition rights to be allotted",
            table=[
                (
                    category_en.get(p.category, (p.get_category_display(),) * 2)[0],
                    f"{p.persons} {category_en.get(p.category, (p.get_category_display(),) * 2)[1]}",
                    f"{p.rights:,} rights",
                )
                for p in planned
            ],
        ),
        Clause(
            "(16)",
            "Details in case of issuance of stock acquisition rights certificates",
            [
                "Stock acquisition rights certificates will be issued."
                if series.certificates_issued
                else "There will be no issuance of stock acquisition rights certificates."
            ],
        ),
    ]
    resolved = (
        f"{company}'s Board of Directors resolved on {date_en(series.resolution_date)}"
        if series.resolution_date
        else f"{company}'s Board of Directors is to resolve"
    )
    preamble = [
        f"{resolved} that stock-compensation-type stock options (Stock Acquisition Rights) be issued to "
        "Directors and Executive Officers of the Company, in accordance with the provisions of Article 236 "
        "Paragraph 1, Article 238 Paragraphs 1 and 2 and Article 240 Paragraph 1 of the Companies Act, as "
        "follows.",
        f"Details of Issuance of Stock Acquisition Rights ({ordinal(series.number)} series)",
    ]
    return Notice(
        language="en",
        title="Notice Regarding Issuance of Stock-Compensation-Type Stock Options (Stock Acquisition Rights)",
        preamble=preamble,
        clauses=clauses,
    )


def _issuance_ja(series: Series) -> Notice:
    shares = _initial_shares_per_right(series)
    price = yen_ja(series.exercise_price_per_share_yen)
    share_class = "普通株式" if series.share_class.strip().lower() == "common stock" else series.share_class
    name = series.name_ja or series.name
    company = series.company.name_ja or series.company.name
    planned = _planned(series)
    category_ja = {
        AllotmentCategory.DIRECTOR: ("当社取締役（非常勤取締役及び社外取締役を除く）", "名"),
        AllotmentCategory.EXECUTIVE_OFFICER: ("当社執行役員", "名"),
    }
    start = series.volatility_window_start
    vol_basis = (
        "各週最終取引日の当社普通株式の普通取引の終値"
        if series.volatility_frequency == Series.VolatilityFrequency.WEEKLY
        else "各取引日の当社普通株式の普通取引の終値"
    )
    vol_end = (
        f"{to_japanese(series.allotment_date)}の前日"
        if series.volatility_window_end == Series.VolatilityWindowEnd.DAY_BEFORE
        else to_japanese(series.allotment_date)
    )
    vol_window = (
        f"{to_japanese(start)}から{vol_end}まで" if start else f"{vol_end}までの予想残存期間に相当する期間"
    )
    spot = (
        f"{to_japanese(series.allotment_date)}の前取引日の東京証券取引所における当社普通株式の普通取引の終値（終値がない場合は基準値段）"
        if series.valuation_spot_rule == Series.SpotRule.PREVIOUS_DAY_CLOSE
        else f"{to_japanese(series.allotment_date)}の東京証券取引所における当社普通株式の普通取引の終値（終値がない場合は翌取引日の基準値段）"
    )
    fy = series.dividend_fiscal_year_end
    dividend = (
        "配当利回り（q）：0"
        if series.dividend_rule == Series.DividendRule.ZERO
        else f"配当利回り（q）：1株当たりの配当金（{f'{fy.year}年{fy.month}月期' if fy else '直近事業年度'}の配当実績）÷上記2)に定める株価"
        "（株式分割が行われた場合は遡及修正した配当金による）"
    )
    rounding_texts: dict[str, str] = {
        Series.Rounding.PER_SHARE_CEIL: "1株当たりのオプション価格（1円未満の端数は切り上げる）に付与株式数を乗じた金額",
        Series.Rounding.PER_SHARE_HALF_UP: "1株当たりのオプション価格（1円未満の端数は四捨五入する）に付与株式数を乗じた金額",
    }
    rounding = rounding_texts.get(
        series.rounding_rule, "1株当たりのオプション価格に付与株式数を乗じた金額（1円未満の端数は切り上げる）"
    )
    conditions = ["各新株予約権の一部行使はできないものとする。"]
    if series.all_at_once_exercise:
        conditions.append("保有する新株予約権の全部を一括して行使しなければならないものとする。")
    conditions.append(
        f"新株予約権者は、当社の取締役及び執行役員のいずれの地位をも喪失した日の翌日から{series.departure_window_days}日以内"
        "（死亡により地位を喪失した場合を除く）に限り、新株予約権を行使できるものとする。"
        + (
            "ただし、次項に定める相続人が新株予約権を行使する場合はこの限りではない。"
            if series.heir_allowed
            else ""
        )
    )
    conditions.append(
        "新株予約権者が死亡した場合、その相続人のうち1名に限り新株予約権を承継することができる（以下「権利承継者」という）。"
        f"権利承継者は、承継した日から{series.heir_window_months}ヶ月以内に限り新株予約権を行使できるものとする。"
        "権利承継者が死亡した場合、権利承継者の相続人は新株予約権を承継することができない。"
        if series.heir_allowed
        else "新株予約権の相続は認めない。"
    )
    if series.transfer_prohibited_by_allotment_terms:
        conditions.append("新株予約権の譲渡、質入れその他一切の処分は認めない。")
    conditions.append(
        series.other_conditions
        or "その他の新株予約権の行使の条件は、新株予約権の募集事項を決定する取締役会において定める。"
    )
    clauses = [
        Clause("(1)", "新株予約権の名称", [name]),
        Clause(
            "(2)",
            f"新株予約権の総数：{series.max_rights:,}個",
            [
                "上記総数は割当予定数であり、引受けの申込みがなされなかった場合等、割り当てる新株予約権の総数が減少したときは、割り当てる新株予約権の総数をもって発行する新株予約権の総数とする。"
            ],
        ),
        Clause(
            "(3)",
            "新株予約権の目的である株式の種類及び数",
            [
                f"新株予約権の目的である株式の種類は当社{share_class}とし、各新株予約権の目的である株式の数（以下「付与株式数」という）は{shares:,}株とする。"
                "ただし、新株予約権の割当日（(13)に定める。以下「割当日」という）後、当社が株式分割又は株式併合を行う場合は、次の算式により付与株式数を調整し、調整の結果生じる1株未満の端数は切り捨てる。",
                "調整後付与株式数 ＝ 調整前付与株式数 × 分割又は併合の比率",
                "調整後付与株式数は、株式分割の場合は当該株式分割の基準日の翌日以降、株式併合の場合はその効力発生日以降、これを適用する。"
                "ただし、剰余金の額を減少して資本金又は準備金を増加する議案が株主総会において承認されることを条件として株式分割が行われる場合で、"
                "当該株主総会の終結の日以前の日を株式分割のための基準日とする場合は、調整後付与株式数は、当該株主総会の終結の日の翌日以降、当該基準日の翌日に遡及してこれを適用する。",
                "また、当社が合併、会社分割その他これらに準じて付与株式数の調整を必要とする場合には、当社は合理的な範囲で付与株式数を適切に調整することができる。",
            ],
        ),
        Clause(
            "(4)",
            "新株予約権の行使に際して出資される財産の価額",
            [
                f"各新株予約権の行使に際して出資される財産の価額は、新株予約権の行使により交付を受けることができる株式1株当たりの払込金額（以下「行使価額」という）に付与株式数を乗じた金額とし、行使価額は{price}とする。"
            ],
        ),
        Clause(
            "(5)",
            "新株予約権を行使することができる期間",
            [f"{to_japanese(series.exercise_period_start)}から{to_japanese(series.exercise_period_end)}まで"],
        ),
        Clause(
            "(6)",
            "新株予約権の行使により株式を発行する場合において増加する資本金及び資本準備金に関する事項",
            items=[
                "新株予約権の行使により株式を発行する場合において増加する資本金の額は、会社計算規則第17条第1項に従い算出される資本金等増加限度額の2分の1の金額とし、計算の結果生じる1円未満の端数は、これを切り上げるものとする。",
                "新株予約権の行使により株式を発行する場合において増加する資本準備金の額は、上記1)記載の資本金等増加限度額から上記1)に定める増加する資本金の額を減じた額とする。",
            ],
        ),
        Clause(
            "(7)",
            "譲渡による新株予約権の取得の制限",
            [
                "譲渡による新株予約権の取得については、当社取締役会の決議による承認を要するものとする。"
                if series.transfer_requires_board_approval
                else "譲渡による新株予約権の取得の制限はない。"
            ],
        ),
        Clause(
            "(8)",
            "新株予約権の取得条項",
            [
                "以下の1)又は2)の議案につき当社株主総会で承認された場合（株主総会決議が不要の場合は、当社取締役会決議がなされた場合）は、当社取締役会が別途定める日に、当社は無償で新株予約権を取得することができる。"
            ]
            if series.company_may_acquire_without_contribution
            else ["定めない。"],
            items=[
                "当社が消滅会社となる合併契約承認の議案",
                "当社が完全子会社となる株式交換契約又は株式移転計画承認の議案",
            ]
            if series.company_may_acquire_without_contribution
            else [],
        ),
        Clause(
            "(9)",
            "組織再編成行為時における新株予約権の取扱い",
            [
                "当社が、合併（当社が合併により消滅する場合に限る）、吸収分割若しくは新設分割（それぞれ当社が分割会社となる場合に限る）、又は株式交換若しくは株式移転（それぞれ当社が完全子会社となる場合に限る）（以上を総称して以下「組織再編成行為」という）をする場合において、組織再編成行為の効力発生日の直前において残存する新株予約権（以下「残存新株予約権」という）の新株予約権者に対し、それぞれの場合につき、会社法第236条第1項第8号イからホまでに掲げる株式会社（以下「再編成対象会社」という）の新株予約権を、以下の条件に基づきそれぞれ交付することとする。ただし、以下の条件に沿って再編成対象会社の新株予約権を交付する旨を、吸収合併契約、新設合併契約、吸収分割契約、新設分割計画、株式交換契約又は株式移転計画において定めた場合に限るものとする。"
            ]
            if series.successor_rights_on_restructuring
            else ["再編成対象会社の新株予約権は交付しない。"],
            items=[
                "交付する再編成対象会社の新株予約権の数：残存新株予約権の新株予約権者が保有する新株予約権の数と同一の数をそれぞれ交付する。",
                f"新株予約権の目的である再編成対象会社の株式の種類：再編成対象会社の{share_class}とする。",
                "新株予約権の目的である再編成対象会社の株式の数：組織再編成行為の条件等を勘案のうえ、上記(3)に準じて決定する。",
                f"新株予約権の行使に際して出資される財産の価額：再編成後行使価額に上記3)に従って決定される株式の数を乗じた額とする。再編成後行使価額は、交付される各新株予約権を行使することにより交付を受けることができる再編成対象会社の株式1株当たり{price}とする。",
                "新株予約権を行使することができる期間：上記(5)に定める期間の開始日と組織再編成行為の効力発生日のうちいずれか遅い日から、上記(5)に定める期間の満了日までとする。",
                "増加する資本金及び資本準備金に関する事項：上記(6)に準じて決定する。",
                "譲渡による新株予約権の取得の制限：譲渡による新株予約権の取得については、再編成対象会社の取締役会の決議による承認を要するものとする。",
                "新株予約権の取得条項：上記(8)に準じて決定する。",
                "その他の新株予約権の行使の条件：下記(11)に準じて決定する。",
            ]
            if series.successor_rights_on_restructuring
            else [],
        ),
        Clause(
            "(10)",
            "新株予約権の行使により発生する1株に満たない端数の切捨て",
            [
                "新株予約権を行使した新株予約権者に交付する株式の数に1株に満たない端数がある場合には、これを切り捨てるものとする。"
            ],
        ),
        Clause("(11)", "その他の新株予約権の行使の条件", items=conditions),
        Clause(
            "(12)",
            "新株予約権の払込金額の算定方法",
            [
                f"各新株予約権の払込金額は、次式のブラック・ショールズ・モデルにより以下の2)から7)の基礎数値に基づき算定した{rounding}とする。",
                "C = S e^(-qT) N(d1) - X e^(-rT) N(d2)、d1 = (ln(S/X) + (r - q + σ²/2) T) / (σ √T)、d2 = d1 - σ √T",
                "なお、上記により算出される金額は新株予約権の公正価額であり、有利発行には該当しない。"
                + (
                    "新株予約権の割当てを受ける者は、当該払込金額の払込みに代えて、当社に対する報酬債権と相殺するものとする。"
                    if series.payment_by_setoff
                    else ""
                ),
            ],
            items=[
                "1株当たりのオプション価格（C）",
                f"株価（S）：{spot}",
                f"行使価格（X）：{price}",
                f"予想残存期間（T）：{series.valuation_term_years.normalize():f}年",
                f"株価変動性（σ）：{vol_window}の{vol_basis}に基づき算出した株価変動率",
                "無リスクの利子率（r）：残存年数が予想残存期間に対応する超長期国債の利子率"
                if series.rate_rule == Series.RateRule.INTERPOLATE
                else "無リスクの利子率（r）：残存年数が予想残存期間に最も近い国債の利子率",
                dividend,
                "標準正規分布の累積分布関数（N(・)）",
            ],
        ),
        Clause("(13)", "新株予約権の割当日", [to_japanese(series.allotment_date)]),
        Clause("(14)", "新株予約権と引換えにする金銭の払込みの期日", [to_japanese(series.payment_date)]),
        Clause(
            "(15)",
            "新株予約権の割当てを受ける者及びその人数並びに割り当てる新株予約権の数",
            table=[
                (
                    category_ja.get(p.category, (p.get_category_display(), "名"))[0],
                    f"{p.persons}名",
                    f"{p.rights:,}個",
                )
                for p in planned
            ],
        ),
        Clause(
            "(16)",
            "新株予約権証券を発行する場合の取扱い",
            ["新株予約権証券を発行する。" if series.certificates_issued else "新株予約権証券は発行しない。"],
        ),
    ]
    resolved = (
        f"{company}は、{to_japanese(series.resolution_date)}開催の取締役会において"
        if series.resolution_date
        else f"{company}は、取締役会において"
    )
    return Notice(
        language="ja",
        title="株式報酬型ストックオプション（新株予約権）の発行に関するお知らせ",
        preamble=[
            f"{resolved}、会社法第236条、第238条第1項及び第2項並びに第240条第1項の規定に基づき、当社取締役及び執行役員に対し、"
            "株式報酬型ストックオプションとして新株予約権を発行することを決議いたしましたので、下記のとおりお知らせいたします。",
            f"新株予約権の発行要項（第{series.number}回）",
        ],
        clauses=clauses,
    )


# --- Notice of the amount paid per right (clause (12)) -------------------------------------------


def _first_attr(obj, *names):
    for name in names:
        value = getattr(obj, name, None)
        if value is not None and value != "":
            return value
    return None


@dataclass(frozen=True)
class AmountInput:
    symbol: str
    label: str
    value: str
    source: str


def _fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def _pct(value) -> str:
    if value is None:
        return "—"
    return f"{Decimal(str(value)) * 100:.4f}%"


def amount_notice(series: Series, valuation, language: str) -> Notice:
    """The amount paid per right as determined by the final valuation: inputs S, σ, r, q, T and result."""
    ja = language == "ja"
    valuation_date = _first_attr(valuation, "valuation_date", "as_of", "date") or series.allotment_date
    spot = _first_attr(valuation, "spot_yen", "spot_price_yen", "share_price_yen", "spot", "s")
    sigma = _first_attr(valuation, "volatility", "sigma")
    rate = _first_attr(valuation, "risk_free_rate", "rate", "r")
    dividend = _first_attr(valuation, "dividend_yield", "q")
    term = _first_attr(valuation, "term_years", "t_years", "term") or series.valuation_term_years
    strike = _first_attr(valuation, "strike_yen", "exercise_price_yen", "exercise_price_per_share_yen")
    if strike is None:
        strike = series.exercise_price_per_share_yen
    option_price = _first_attr(valuation, "option_price_per_share", "option_price_per_share_yen")
    amount = _first_attr(valuation, "amount_per_right_yen", "amount_paid_per_right_yen")
    shares = _first_attr(valuation, "shares_per_right") or _initial_shares_per_right(series)

    sources = getattr(valuation, "sources", None) or {}

    def source(name: str) -> str:
        """The recorded source of an input, as one line of text in the notice's language."""
        value = sources.get(name) if isinstance(sources, dict) else None
        if isinstance(value, dict) and ("detail" in value or "detail_message" in value):
            # Written by the valuation service: its description and method, translated now.
            from django.utils import translation

            from valuations.models import source_detail_text, source_method_text

            with translation.override(language):
                parts = [source_detail_text(value), source_method_text(value)]
                if value.get("entered_by_hand"):
                    parts.insert(0, f"{translation.gettext('entered by hand')}: {value.get('reason', '')}")
            return ("；" if ja else "; ").join(part for part in parts if part)
        if isinstance(value, dict):
            return "; ".join(
                f"{k}: {v}"
                for k, v in value.items()
                if isinstance(v, str | int | float | Decimal) and v != ""
            )
        return "" if value is None else str(value)

    inputs = [
        AmountInput(
            "S", "株価" if ja else "Share price", f"{_fmt(spot)}{'円' if ja else ' yen'}", source("spot_yen")
        ),
        AmountInput(
            "X",
            "行使価格" if ja else "Exercise price",
            f"{_fmt(strike)}{'円' if ja else ' yen'}",
            source("strike_yen"),
        ),
        AmountInput(
            "T",
            "予想残存期間" if ja else "Expected remaining period",
            f"{_fmt(term)}{'年' if ja else ' years'}",
            source("term_years"),
        ),
        AmountInput("σ", "株価変動性" if ja else "Volatility", _pct(sigma), source("volatility")),
        AmountInput("r", "無リスクの利子率" if ja else "Risk-free interest rate", _pct(rate), source("rate")),
        AmountInput("q", "配当利回り" if ja else "Dividend yield", _pct(dividend), source("dividend_yield")),
    ]
    table = [(i.symbol + " " + i.label, i.value, i.source) for i in inputs]
    if ja:
        clauses = [
            Clause("1.", "算定の基礎数値", table=table),
            Clause(
                "2.",
                "算定結果",
                [
                    f"1株当たりのオプション価格（C）：{_fmt(option_price)}円",
                    f"付与株式数：{shares:,}株",
                    f"新株予約権1個当たりの払込金額：{int(amount):,}円"
                    if amount is not None
                    else "新株予約権1個当たりの払込金額：—",
                ],
            ),
        ]
        return Notice(
            language="ja",
            title=f"{series.name_ja or series.name}の払込金額確定に関するお知らせ",
            preamble=[
                f"{to_japanese(series.resolution_date) if series.resolution_date else ''}開催の取締役会において決議した標記新株予約権につき、"
                f"{to_japanese(valuation_date)}を基準として払込金額が下記のとおり確定いたしましたので、お知らせいたします。"
            ],
            clauses=clauses,
        )
    clauses = [
        Clause("1.", "Figures used in the calculation", table=table),
        Clause(
            "2.",
            "Result",
            [
                f"Option price per share (C): {_fmt(option_price)} yen",
                f"Number of Shares Granted: {shares:,}",
                f"Amount to be paid per stock acquisition right: {int(amount):,} yen"
                if amount is not None
                else "Amount to be paid per stock acquisition right: —",
            ],
        ),
    ]
    resolved = f" resolved on {date_en(series.resolution_date)}" if series.resolution_date else ""
    return Notice(
        language="en",
        title=f"Notice Regarding Determination of the Amount to be Paid for {series.name}",
        preamble=[
            f"The amount to be paid for the stock acquisition rights{resolved} has been determined as of "
            f"{date_en(valuation_date)} as follows."
        ],
        clauses=clauses,
    )
