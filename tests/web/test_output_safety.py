"""Output safety (issue 12, part 6): spreadsheets carry no live formula, and member
search keeps the names typed out of URLs and the access log."""

import io
import zipfile
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import update

from app.extensions import db
from app.org.models import OrgUnit, UnitVersion

PAYLOAD = '=HYPERLINK("http://evil.example/x","Bấm xem")'


def _last_month():
    today = date.today()
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


def _rename(app, unit_id, name):
    """Every version of the unit takes the name (the report reads names of the month)."""
    with app.app_context():
        db.session.execute(update(OrgUnit).where(OrgUnit.id == unit_id).values(name=name))
        db.session.execute(update(UnitVersion).where(UnitVersion.unit_id == unit_id).values(name=name))
        db.session.commit()


def _sheet_xml(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()


def test_v4_a_unit_named_like_a_formula_is_exported_as_text(app, client, login_as, world):
    """V4: a cell named =HYPERLINK(…) was a live formula in the report sent upward."""
    year, month = _last_month()
    _rename(app, world["cell"], PAYLOAD)
    login_as("xa")
    response = client.get(f"/units/{world['commune']}/score-report.xlsx?month={year}-{month}")
    assert response.status_code == 200
    xml = _sheet_xml(response.data)
    assert "<f>" not in xml and "HYPERLINK" in xml
    sheet = load_workbook(io.BytesIO(response.data)).active
    names = [row[1] for row in sheet.iter_rows(min_row=5, values_only=True)]
    assert PAYLOAD in names  # the name as typed, shown as text


def test_v4_district_rollup_and_its_title_row_are_text_too(app, client, login_as, world):
    year, month = _last_month()
    _rename(app, world["commune"], "@SUM(1+1)*cmd|' /C calc'!A0")
    _rename(app, world["district"], "=1+1")
    login_as("huyen")
    response = client.get(f"/units/{world['district']}/score-report.xlsx?month={year}-{month}")
    xml = _sheet_xml(response.data)
    assert "<f>" not in xml
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet["A2"].value == "=1+1" and sheet["A2"].quotePrefix
    commune_cells = [c for c in sheet["B"] if c.value == "@SUM(1+1)*cmd|' /C calc'!A0"]
    assert commune_cells and all(c.quotePrefix for c in commune_cells)


# ---- member search: names never in a URL -------------------------------------------

NAME = "Nguyễn Văn"


def _search_forms(body: str) -> list[str]:
    return [part.split(">", 1)[0] for part in body.split('<form class="search-inline"')[1:]]


def test_search_forms_send_the_name_in_a_post_body(client, login_as, world):
    """Every search box on the site posts (form and htmx alike): nothing puts the name
    typed into an address, a history entry or the access log."""
    login_as("xa")
    for page in ("/members/search", f"/members/search?unit={world['commune']}", f"/units/{world['commune']}"):
        body = client.get(page).get_data(as_text=True)
        forms = _search_forms(body)
        assert forms, page
        for form in forms:
            assert 'method="post"' in form and "hx-post=" in form, (page, form)
        assert 'hx-get="/members/search' not in body and "hx-replace-url" not in body
        assert 'name="csrf_token"' in body.split('<form class="search-inline"')[1].split("</form>")[0]


def test_the_search_is_a_post_and_a_name_in_the_address_is_ignored(client, login_as):
    login_as("quantri")
    found = client.post("/members/search", data={"q": NAME})
    assert found.status_code == 200 and found.get_data(as_text=True).count("<li>") > 0
    # An old bookmark or a hand-made link with a name searches nothing and echoes nothing.
    ignored = client.get("/members/search?q=tran+thi").get_data(as_text=True)
    assert "<li>" not in ignored.split('id="search-results"')[1] and "tran thi" not in ignored


def test_search_answers_htmx_with_the_results_only(client, login_as, world):
    login_as("xa")
    fragment = client.post(
        "/members/search", data={"q": "nguyen", "unit": world["commune"]}, headers={"HX-Request": "true"}
    )
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and "<li>" in text
    assert fragment.headers["HX-Push-Url"] == "false"  # the address stays /members/search
    page = client.post("/members/search", data={"q": "nguyen", "unit": world["commune"]}).get_data(as_text=True)
    assert "<html" in page and 'value="nguyen"' in page and "<li>" in page  # works without JavaScript


def test_search_outside_the_users_scope_is_404(client, login_as, world):
    login_as("xa")
    assert client.post("/members/search", data={"q": "nguyen", "unit": world["other_commune"]}).status_code == 404


def test_search_writes_nothing(app, client, login_as, count_queries):
    login_as("quantri")
    with app.app_context(), count_queries() as statements:
        assert client.post("/members/search", data={"q": NAME}).status_code == 200
    assert statements and all(s.lstrip().upper().startswith("SELECT") for s in statements), statements
