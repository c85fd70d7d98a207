"""Unit history (issue 10, part 1): a unit's name, place and parent are dated, every
print reads them as of its own date, and a reorganisation never changes an earlier
print or report."""

import itertools
from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select

from app.attendance import services as attendance
from app.audit.models import AuditEntry
from app.extensions import db
from app.meetings import services as meetings
from app.meetings.models import Meeting
from app.minutes import services as minutes_services
from app.org import services
from app.org.history import unit_as_of
from app.org.models import OrgUnit, UnitKind, UnitVersion
from app.org.queries import roster
from app.scoring import report
from tests.conftest import make_cell

_numbers = itertools.count(1)
TODAY = date.today()


def _commune(parent_id: int, name: str) -> OrgUnit:
    return services.create_unit(
        None, db.session.get(OrgUnit, parent_id), kind=UnitKind.commune, name=name, valid_from=date(2020, 1, 1)
    )


def _adopted_meeting(cell: OrgUnit, on: date) -> int:
    """A regular meeting held on `on` whose minutes are adopted, built through the services."""
    meeting = meetings.schedule_meeting(None, cell, kind="regular", planned_on=on, place="Nhà văn hóa thôn")
    meetings.mark_held(None, meeting, on, time(19, 30))
    people = [r.member for r in roster(cell, on)]
    attendance.mark_all_present(None, meeting)
    minutes = minutes_services.open_minutes(None, meeting)
    meeting.chair_id, meeting.minute_taker_id = people[0].id, people[1].id
    meeting.ended_at = time(21, 15)
    minutes.resolution = "Chi bộ thống nhất vận động nhân dân hiến đất làm đường."
    minutes.votes_for, minutes.votes_against, minutes.votes_other = len(people), 0, 0
    db.session.flush()
    minutes_services.adopt(None, minutes, meeting)
    return meeting.id


@pytest.fixture()
def tree(app, world):
    """A commune of its own under the demo district with two cells, the first with
    minutes adopted 40 days ago; a commune under the other district with a cell."""
    n = next(_numbers)
    with app.test_request_context():
        commune = _commune(world["district"], f"Đảng bộ xã Lịch Sử {n:03d}")
        cell = make_cell(commune.id, f"Chi bộ thôn Cũ {n:03d}")
        sibling = make_cell(commune.id, f"Chi bộ thôn Bên {n:03d}")
        elsewhere = _commune(world["other_district"], f"Đảng bộ xã Nơi Khác {n:03d}")
        far_cell = make_cell(elsewhere.id, f"Chi bộ thôn Xa {n:03d}")
        meeting_id = _adopted_meeting(cell, TODAY - timedelta(days=40))
        db.session.commit()
        return {
            "n": n,
            "commune": commune.id,
            "cell": cell.id,
            "sibling": sibling.id,
            "elsewhere": elsewhere.id,
            "far_cell": far_cell.id,
            "meeting": meeting_id,
        }


def _edit(client, unit_id, name, **extra):
    data = {"name": name, "place_name": "", "code": "", "cell_type": "residential", "meeting_day": ""}
    return client.post(f"/units/{unit_id}/edit", data=data | {"effective_on": TODAY.isoformat()} | extra)


def _retire(client, unit_id, successor_id=0, planned=None, confirm=True, on=TODAY):
    data = {"on": on.isoformat(), "successor_id": successor_id, "reason": "Sáp nhập theo đề án sắp xếp"}
    if planned:
        data["planned"] = planned
    if confirm:
        data["confirmed"] = "1"
    return client.post(f"/units/{unit_id}/retire", data=data)


def test_adopted_minutes_print_byte_for_byte_the_same_after_rename_move_merge_and_retire(app, client, login_as, tree):
    n = tree["n"]
    login_as("quantri")
    url = f"/meetings/{tree['meeting']}/print/minutes"
    before = client.get(url).get_data()
    text = before.decode()
    assert f"ĐẢNG BỘ XÃ LỊCH SỬ {n:03d}" in text and f"CHI BỘ THÔN CŨ {n:03d}" in text
    assert f"Lịch Sử {n:03d}, ngày" in text

    assert _edit(client, tree["cell"], f"Chi bộ khu phố Mới {n:03d}").status_code == 303
    assert client.get(url).get_data() == before
    response = _edit(client, tree["commune"], f"Đảng bộ phường Hợp Nhất {n:03d}", cell_type="")
    assert response.status_code == 303
    assert client.get(url).get_data() == before
    response = client.post(
        f"/units/{tree['cell']}/move", data={"parent_id": tree["elsewhere"], "on": TODAY.isoformat()}
    )
    assert response.status_code == 303
    assert client.get(url).get_data() == before
    # Merged into the cell of the other commune, then the emptied commune is retired.
    response = _retire(client, tree["cell"], successor_id=tree["far_cell"], planned="cancel")
    assert response.status_code == 303, response.get_data(as_text=True)
    assert client.get(url).get_data() == before
    assert _retire(client, tree["sibling"], successor_id=tree["far_cell"], planned="cancel").status_code == 303
    assert _retire(client, tree["commune"]).status_code == 303
    assert client.get(url).get_data() == before

    with app.app_context():
        cell, commune = db.session.get(OrgUnit, tree["cell"]), db.session.get(OrgUnit, tree["commune"])
        assert cell.is_retired and commune.is_retired and cell.parent_id == tree["elsewhere"]
        # Today the cell is what the changes made it.
        now = unit_as_of(cell, TODAY)
        assert now.name == f"Chi bộ khu phố Mới {n:03d}" and now.parent.name == f"Đảng bộ xã Nơi Khác {n:03d}"
        assert unit_as_of(commune, TODAY).place_name == f"Hợp Nhất {n:03d}"


def test_a_print_dated_after_the_change_uses_the_new_name_and_place(app, client, login_as, tree):
    n = tree["n"]
    login_as("quantri")
    _edit(client, tree["commune"], f"Đảng bộ phường Đổi Tên {n:03d}", cell_type="", place_name="Phố Hiến")
    with app.test_request_context():
        cell = db.session.get(OrgUnit, tree["cell"])
        later = meetings.schedule_meeting(None, cell, kind="extraordinary", planned_on=TODAY + timedelta(days=3))
        db.session.commit()
        later_id = later.id
    old = client.get(f"/meetings/{tree['meeting']}/print/agenda").get_data(as_text=True)
    new = client.get(f"/meetings/{later_id}/print/agenda").get_data(as_text=True)
    assert f"ĐẢNG BỘ XÃ LỊCH SỬ {n:03d}" in old and f"Lịch Sử {n:03d}, ngày" in old
    assert f"ĐẢNG BỘ PHƯỜNG ĐỔI TÊN {n:03d}" in new and "Phố Hiến, ngày" in new


def test_a_change_cannot_reach_back_over_adopted_minutes_or_into_the_future(app, client, login_as, tree):
    login_as("quantri")
    before = TODAY - timedelta(days=41)
    for unit_id in (tree["cell"], tree["commune"]):
        response = _edit(client, unit_id, "Chi bộ Đổi Lùi", effective_on=before.isoformat())
        assert response.status_code == 422
        assert "Đã có biên bản được thông qua ngày" in response.get_data(as_text=True)
    response = client.post(
        f"/units/{tree['cell']}/move", data={"parent_id": tree["elsewhere"], "on": before.isoformat()}
    )
    assert response.status_code == 422 and "Đã có biên bản được thông qua" in response.get_data(as_text=True)
    response = _edit(client, tree["cell"], "Chi bộ Tương Lai", effective_on=(TODAY + timedelta(days=1)).isoformat())
    assert response.status_code == 422 and "không được sau ngày hôm nay" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(OrgUnit, tree["cell"]).name.startswith("Chi bộ thôn Cũ")
        assert db.session.get(OrgUnit, tree["cell"]).parent_id == tree["commune"]
        assert db.session.scalar(select(func.count()).where(UnitVersion.unit_id == tree["cell"])) == 1


def test_the_print_header_costs_the_same_however_many_versions(app, client, login_as, tree, count_queries):
    login_as("quantri")
    url = f"/meetings/{tree['meeting']}/print/minutes"
    client.get(url)
    with app.app_context(), count_queries() as first:
        client.get(url)
    with app.test_request_context():
        for days, name in ((30, "Chi bộ Một"), (20, "Chi bộ Hai"), (10, "Chi bộ Ba")):
            cell = db.session.get(OrgUnit, tree["cell"])
            services.update_unit(
                None, cell, name=name, code=None, cell_type="residential", meeting_day=None, on=TODAY - timedelta(days)
            )
            commune = db.session.get(OrgUnit, tree["commune"])
            services.update_unit(
                None, commune, name=f"Đảng bộ xã {name}", code=None, cell_type=None, meeting_day=None,
                on=TODAY - timedelta(days),
            )  # fmt: skip
        db.session.commit()
    with app.app_context(), count_queries() as second:
        client.get(url)
    assert len(second) == len(first)


def _month_before(on: date) -> tuple[int, int]:
    return (on.year - 1, 12) if on.month == 1 else (on.year, on.month - 1)


def test_past_reports_keep_moved_and_retired_cells_where_they_were_that_month(app, tree, world):
    year, month = _month_before(TODAY)
    with app.test_request_context():
        cell, sibling = db.session.get(OrgUnit, tree["cell"]), db.session.get(OrgUnit, tree["sibling"])
        commune, elsewhere = db.session.get(OrgUnit, tree["commune"]), db.session.get(OrgUnit, tree["elsewhere"])
        held = db.session.get(Meeting, tree["meeting"]).held_on
        cell_name, sibling_name = cell.name, sibling.name
        services.move_unit(None, cell, elsewhere, TODAY)
        services.update_unit(None, cell, name="Chi bộ Sau Chuyển", code=None, cell_type="residential", meeting_day=None)
        services.retire_unit(
            None,
            sibling,
            on=TODAY.replace(day=1),
            successor=db.session.get(OrgUnit, tree["far_cell"]),
            reason="Sáp nhập",
        )
        db.session.flush()
        commune, elsewhere = db.session.get(OrgUnit, tree["commune"]), db.session.get(OrgUnit, tree["elsewhere"])

        past = {r.cell.id: r for r in report.rows(commune, year, month)}
        assert set(past) == {tree["cell"], tree["sibling"]}
        assert past[tree["cell"]].cell.name == cell_name and past[tree["sibling"]].cell.name == sibling_name
        that_month = {r.cell.id: r for r in report.rows(commune, held.year, held.month)}
        assert that_month[tree["cell"]].meeting.id == tree["meeting"]
        assert tree["cell"] not in {r.cell.id for r in report.rows(elsewhere, year, month)}
        # This month the moved cell is elsewhere (under its new name) and the retired one gone.
        assert {r.cell.id for r in report.rows(commune, TODAY.year, TODAY.month)} == set()
        now = {r.cell.id: r.cell.name for r in report.rows(elsewhere, TODAY.year, TODAY.month)}
        assert now[tree["cell"]] == "Chi bộ Sau Chuyển"

        # The district roll-ups agree: last month the commune had both cells, in its old district.
        district = db.session.get(OrgUnit, world["district"])
        rolled = {s.commune.id: s for s in report.rollup_for(district, year, month)}
        assert rolled[tree["commune"]].cells == 2
        assert rolled[tree["commune"]].commune.name == commune.name
        other = {
            s.commune.id: s for s in report.rollup_for(db.session.get(OrgUnit, world["other_district"]), year, month)
        }
        assert other[tree["elsewhere"]].cells == 1
        this_month = {s.commune.id: s for s in report.rollup_for(district, TODAY.year, TODAY.month)}
        assert tree["commune"] not in this_month
        db.session.rollback()


def test_reports_do_not_count_months_before_a_cell_existed(app, client, login_as, world):
    year, month = _month_before(TODAY)
    with app.test_request_context():
        commune = _commune(world["district"], f"Đảng bộ xã Mới Lập {next(_numbers):03d}")
        founded = services.create_unit(
            None, commune, kind=UnitKind.cell, name="Chi bộ thôn Mới Lập", cell_type="residential", valid_from=TODAY
        )
        db.session.commit()
        commune_id, founded_id = commune.id, founded.id
        assert founded_id not in {r.cell.id for r in report.rows(commune, year, month)}
        assert founded_id in {r.cell.id for r in report.rows(commune, TODAY.year, TODAY.month)}
        district = db.session.get(OrgUnit, world["district"])
        assert commune_id not in {s.commune.id for s in report.rollup_for(district, year, month)}
        assert {s.commune.id: s.cells for s in report.rollup_for(district, TODAY.year, TODAY.month)}[commune_id] == 1
    login_as("quantri")
    page = client.get(f"/units/{commune_id}/score-report/print?month={year}-{month}").get_data(as_text=True)
    assert "Chi bộ thôn Mới Lập" not in page and "Không có chi bộ nào" in page


def test_the_printed_report_of_a_past_month_names_units_as_they_were(app, client, login_as, tree):
    year, month = _month_before(TODAY)
    login_as("quantri")
    url = f"/units/{tree['commune']}/score-report/print?month={year}-{month}"
    before = client.get(url).get_data(as_text=True)
    _edit(client, tree["cell"], "Chi bộ Tên Mới Hẳn")
    _edit(client, tree["commune"], "Đảng bộ phường Tên Mới Hẳn", cell_type="")
    after = client.get(url).get_data(as_text=True)
    assert "Tên Mới Hẳn" not in after.upper() and "TÊN MỚI HẲN" not in after
    assert after == before
    sheet = client.get(f"/units/{tree['commune']}/score-report.xlsx?month={year}-{month}")
    assert sheet.status_code == 200 and "Tên Mới Hẳn".encode() not in sheet.data


# ---- retiring a cell with planned meetings ---------------------------------------


@pytest.fixture()
def planned(app, tree):
    """The cell has three planned meetings from tomorrow on (a chi ủy meeting among
    them); its successor already meets in the month of the second."""
    soon, later = TODAY + timedelta(days=2), TODAY + timedelta(days=35)
    with app.test_request_context():
        cell, successor = db.session.get(OrgUnit, tree["cell"]), db.session.get(OrgUnit, tree["sibling"])
        first = meetings.schedule_meeting(None, cell, kind="regular", planned_on=soon)
        # The chi ủy meeting comes the day before the meeting it prepares (the rule).
        chi_uy = meetings.schedule_meeting(
            None, cell, kind="committee", planned_on=soon - timedelta(days=1), prepares=first
        )
        second = meetings.schedule_meeting(None, cell, kind="regular", planned_on=later)
        meetings.schedule_meeting(None, successor, kind="regular", planned_on=later + timedelta(days=1))
        db.session.commit()
        return {"first": first.id, "chi_uy": chi_uy.id, "second": second.id}


def test_retire_form_asks_for_the_planned_meetings_and_a_confirmation(app, client, login_as, tree, planned):
    login_as("huyen")
    page = client.get(f"/units/{tree['cell']}/retire").get_data(as_text=True)
    assert "Hủy các buổi sinh hoạt đã lên lịch" in page
    assert "Chuyển các buổi sinh hoạt đã lên lịch sang chi bộ kế thừa" in page
    assert "3 buổi sinh hoạt đã lên lịch" in page

    response = _retire(client, tree["cell"], successor_id=tree["sibling"])
    assert response.status_code == 422
    refused = response.get_data(as_text=True)
    assert "hãy chọn hủy các buổi đó hay chuyển sang đơn vị kế thừa" in refused
    assert 'name="confirmed" type="hidden" value=""' in refused  # back to the form, not confirmed
    response = _retire(client, tree["cell"], planned="move", confirm=False)
    assert response.status_code == 422 and "đơn vị kế thừa" in response.get_data(as_text=True)
    # The first submit only shows what will happen.
    response = _retire(client, tree["cell"], successor_id=tree["sibling"], planned="move", confirm=False)
    shown = response.get_data(as_text=True)
    assert response.status_code == 200 and "Xin xác nhận" in shown and "Xác nhận giải thể/sáp nhập" in shown
    assert "2 đảng viên đang sinh hoạt sẽ chuyển sang" in shown and "3 buổi sinh hoạt" in shown
    with app.app_context():
        assert not db.session.get(OrgUnit, tree["cell"]).is_retired
        assert db.session.get(Meeting, planned["first"]).cell_id == tree["cell"]

    response = _retire(client, tree["cell"], successor_id=tree["sibling"], planned="move")
    assert response.status_code == 303
    with app.app_context():
        first, chi_uy, second = (db.session.get(Meeting, planned[k]) for k in ("first", "chi_uy", "second"))
        assert first.cell_id == tree["sibling"] and first.status == "planned"
        assert first.status_reason.startswith("Chuyển từ Chi bộ thôn Cũ")
        assert chi_uy.status == "cancelled" and "chi ủy của chi bộ không còn" in chi_uy.status_reason
        assert second.status == "cancelled" and "đã có lịch sinh hoạt tháng này" in second.status_reason
        retired = db.session.scalar(
            select(AuditEntry.summary).where(AuditEntry.action == "unit.retire", AuditEntry.object_id == tree["cell"])
        )
        moved = db.session.scalar(
            select(AuditEntry.summary).where(
                AuditEntry.action == "meeting.move", AuditEntry.object_id == planned["first"]
            )
        )
        assert "3 buổi sinh hoạt đã lên lịch: chuyển sang" in retired and "(1 buổi, hủy 2 buổi)" in retired
        assert "Chuyển từ Chi bộ thôn Cũ" in moved


def test_retire_can_cancel_the_planned_meetings_instead(app, client, login_as, tree, planned):
    login_as("huyen")
    assert _retire(client, tree["cell"], successor_id=tree["sibling"], planned="cancel").status_code == 303
    with app.app_context():
        for key in ("first", "chi_uy", "second"):
            meeting = db.session.get(Meeting, planned[key])
            assert meeting.cell_id == tree["cell"] and meeting.status == "cancelled"
            assert "hủy theo quyết định khi giải thể/sáp nhập" in meeting.status_reason
        summary = db.session.scalar(
            select(AuditEntry.summary).where(AuditEntry.action == "unit.retire", AuditEntry.object_id == tree["cell"])
        )
        assert "3 buổi sinh hoạt đã lên lịch: hủy" in summary


def test_the_migration_gives_every_existing_unit_its_first_version(app, tmp_path):
    from flask_migrate import upgrade
    from sqlalchemy import text

    from app import create_app
    from app.config import TestConfig

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("runs on a scratch SQLite database")
    fresh = create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite:///" + str(tmp_path / "old.db"), SECRET_KEY="x")
    with fresh.app_context():
        upgrade(revision="0006")
        db.session.execute(
            text(
                "INSERT INTO org_units (id, parent_id, kind, name, valid_from, valid_to, path, created_at) VALUES "
                "(1, NULL, 'province', 'Đảng bộ tỉnh Ninh Bình', '2015-01-01', NULL, '/1/', '2026-01-01 00:00:00'),"
                "(2, 1, 'commune', 'Đảng bộ xã Ninh Hải', '2018-05-01', NULL, '/1/2/', '2026-01-01 00:00:00'),"
                "(3, 2, 'cell', 'Chi bộ thôn An', '2019-01-01', '2025-07-01', '/1/2/3/', '2026-01-01 00:00:00')"
            )
        )
        db.session.commit()
        upgrade()
        versions = db.session.scalars(select(UnitVersion).order_by(UnitVersion.unit_id)).all()
        assert [(v.unit_id, v.name, v.place_name, v.parent_id, v.path) for v in versions] == [
            (1, "Đảng bộ tỉnh Ninh Bình", "Ninh Bình", None, "/1/"),
            (2, "Đảng bộ xã Ninh Hải", "Ninh Hải", 1, "/1/2/"),
            (3, "Chi bộ thôn An", "thôn An", 2, "/1/2/3/"),
        ]
        assert [(v.valid_from, v.valid_to) for v in versions][1:] == [
            (date(2018, 5, 1), None),
            (date(2019, 1, 1), date(2025, 7, 1)),
        ]
        cell = db.session.get(OrgUnit, 3)
        assert unit_as_of(cell, date(2020, 3, 5)).parent.place_name == "Ninh Hải"


def test_the_unit_page_lists_its_dated_names(app, client, login_as, tree):
    login_as("quantri")
    page = client.get(f"/units/{tree['cell']}").get_data(as_text=True)
    assert 'id="unit-history"' not in page  # one version: nothing to list
    _edit(client, tree["cell"], "Chi bộ tổ dân phố Số Một")
    page = client.get(f"/units/{tree['cell']}").get_data(as_text=True)
    assert "Tên gọi và trực thuộc qua các thời kỳ (2)" in page
    assert f"<td>01/01/2020</td><td>{TODAY:%d/%m/%Y}</td><td>Chi bộ thôn Cũ {tree['n']:03d}</td>" in page
    assert f"<td>{TODAY:%d/%m/%Y}</td><td>nay</td><td>Chi bộ tổ dân phố Số Một</td>" in page
    assert f"Đảng bộ xã Lịch Sử {tree['n']:03d}</td>" in page


def test_a_retired_unit_keeps_its_last_name_and_place(app, client, login_as, tree):
    login_as("quantri")
    assert _retire(client, tree["sibling"], successor_id=tree["cell"]).status_code == 303
    response = _edit(client, tree["sibling"], "Chi bộ Đã Giải Thể Đổi Tên")
    assert response.status_code == 422 and "đã giải thể/sáp nhập" in response.get_data(as_text=True)
    response = client.post(
        f"/units/{tree['sibling']}/move", data={"parent_id": tree["elsewhere"], "on": TODAY.isoformat()}
    )
    assert response.status_code in (403, 422)
    with app.app_context():
        sibling = db.session.get(OrgUnit, tree["sibling"])
        assert sibling.name.startswith("Chi bộ thôn Bên") and sibling.parent_id == tree["commune"]
