"""The offices' oversight page: cadres against quota, unattended meetings, the matrix."""

from datetime import date

from app.extensions import db
from app.org.models import OrgUnit


def test_commune_office_sees_cadres_visits_and_the_matrix(app, client, login_as, world):
    login_as("xa")
    page = client.get(f"/units/{world['commune']}/oversight").get_data(as_text=True)
    assert "Phạm Quang Huy" in page and "Chỉ tiêu năm" in page
    assert "không có cấp ủy viên dự" in page
    with app.app_context():
        cell_name = db.session.get(OrgUnit, world["cell"]).name
    assert cell_name in page and 'class="table matrix"' in page
    assert 'class="unvisited"' in page  # the demo leaves one cell per commune unvisited


def test_district_rolls_up_and_others_cannot_see(client, login_as, world):
    login_as("huyen")
    page = client.get(f"/units/{world['district']}/oversight?year={date.today().year - 1}")
    assert page.status_code == 200
    login_as("xem")
    assert client.get(f"/units/{world['district']}/oversight").status_code == 200
    login_as("xa")
    assert client.get(f"/units/{world['other_commune']}/oversight").status_code == 404
    login_as("bithu")
    assert client.get(f"/units/{world['commune']}/oversight").status_code == 404
    assert client.get(f"/units/{world['cell']}/oversight").status_code == 404
    login_as("giamsat")
    assert client.get(f"/units/{world['commune']}/oversight").status_code == 404


def test_cadre_behind_quota_is_flagged(app, client, login_as, world):
    from app.supervision import oversight

    with app.test_request_context():
        commune = db.session.get(OrgUnit, world["commune"])
        rows = oversight.cadres(commune, date.today().year, date(date.today().year, 12, 31))
        quota = oversight.quotas_for(commune)["commune"]  # another test may have changed it
        assert rows and all(r.quota == quota for r in rows)
        assert all(r.on_track == (r.visits >= quota) for r in rows)  # judged at the end of the year
