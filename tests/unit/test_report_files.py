"""The report's and the daily log's downloads (issue 15): the Excel workbook holds the CSV's
rows, numbers as numbers; a text stays text in the workbook whatever it begins with."""

from __future__ import annotations

from datetime import UTC, datetime

from caseflow.services.reports import log_csv, log_xlsx, report_csv, report_xlsx
from domain.complaint.report import Breakdown, CaseFacts, ComplaintReport, Figures
from tests.sheets import csv_rows, workbook_rows

FIGURES = Figures(received=4, closed=3, open=1, resolved_on_spot=1, replied_in_time=1,
                  extended=1, breached=0, reopened=0, satisfied=1, withdrawn=1, no_response=0,
                  handling_days_average=2.5, handling_days_p90=None)


def test_the_workbook_holds_the_csvs_rows_and_never_a_formula() -> None:
    formula = '=HYPERLINK("http://example.invalid","x")'
    report = ComplaintReport(calendar_version="c", policy_version="p", total=FIGURES,
                             breakdowns=tuple(Breakdown(dimension="handler", value=v,
                                                        figures=FIGURES)
                                              for v in ("银行卡", formula, "-1+2")))
    rows = workbook_rows(report_xlsx(report))
    assert rows == csv_rows(report_csv(report))
    assert rows[1] == ["total", None, 4, 3, 1, 1, 1, 1, 0, 0, 1, 1, 0, 2.5, None]
    assert [r[1] for r in rows[2:]] == ["银行卡", formula, "-1+2"]  # texts, not formulas

    received = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
    cases = [CaseFacts(case_id="C-1", outlet="o", handler=None, category="loans", cause="fees",
                       channel="letter", received_at=received, replied_at=None,
                       closed_at=received, close_reason="withdrawn", extended=True,
                       ever_breached=False, reopened=2)]
    log = workbook_rows(log_xlsx(cases))
    assert log == csv_rows(log_csv(cases))
    assert log[1][-3:] == [True, False, 2] and log[1][6] == "2026-11-02 02:00:00+00:00"
    assert workbook_rows(log_xlsx([])) == [list(CaseFacts.model_fields)]
