"""In Chromium (issue 13): pages, htmx fragments and static files arrive compressed,
htmx swaps still work, and a second page takes the static files from the cache."""

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_compressed_pages_and_fragments_work_and_static_files_come_from_the_cache(page, live_url):
    encodings, searches = {}, []

    def seen(response):
        path = response.url[len(live_url) :].split("?")[0]
        encodings[path] = (response.all_headers().get("content-encoding"), response.all_headers())
        if path == "/members/search" and response.request.method == "POST":
            searches.append(encodings[path][0])

    page.on("response", seen)
    login(page, live_url, "xa")
    # Chromium offers brotli over HTTPS and to localhost (a plain-HTTP LAN address: gzip).
    unit_page = page.url[len(live_url) :]
    assert encodings[unit_page][0] == "br"
    for asset in ("/static/vendor/htmx.min.js", "/static/js/app.js", "/static/css/app.css"):
        encoding, headers = encodings[asset]
        assert encoding == "br" and headers["cache-control"] == "public, max-age=31536000, immutable"

    page.click("nav >> text=Tìm đảng viên")
    page.wait_for_selector("#member-search")
    page.type("#member-search", "nguyen", delay=20)
    page.wait_for_selector("#search-results li")  # the fragment was swapped in
    assert all("Nguyễn" in text for text in page.locator("#search-results li").all_inner_texts())
    assert "br" in searches  # fragments under 500 bytes go as they are

    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cached, fetched = set(), {}
    cdp.on("Network.requestServedFromCache", lambda event: cached.add(event["requestId"]))
    cdp.on(
        "Network.responseReceived",
        lambda event: fetched.update({event["requestId"]: (event["response"]["url"], event["response"])}),
    )
    page.goto(f"{live_url}/members/search")  # a full load of another page, not an htmx swap
    page.wait_for_selector("#member-search")
    from_network = [url for key, (url, r) in fetched.items() if key not in cached and not r.get("fromDiskCache")]
    assert any("/members/search" in url for url in from_network)
    assert not [url for url in from_network if "/static/" in url], from_network
    assert len([url for url, _ in fetched.values() if "/static/" in url]) >= 4
    assert page.console_errors == []
