from flask import render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError

from app.db import utcnow
from app.extensions import db
from app.files import MAX_UPLOAD_MB
from app.org.access import Refused
from app.rules import StaleEdit
from app.web import security
from app.web.forms import STALE_MESSAGE

MESSAGES = {
    400: ("Yêu cầu không hợp lệ", "Dữ liệu gửi lên không hợp lệ."),
    422: ("Dữ liệu không hợp lệ", "Dữ liệu gửi lên không hợp lệ; hãy sửa rồi gửi lại."),
    403: ("Không có quyền", "Bạn không có quyền thực hiện thao tác này."),
    404: ("Không tìm thấy", "Trang hoặc dữ liệu bạn tìm không tồn tại hoặc bạn không có quyền xem."),
    405: ("Thao tác không được phép", "Phương thức yêu cầu không được hỗ trợ."),
    409: ("Dữ liệu vừa được người khác sửa", STALE_MESSAGE),
    413: ("Tệp quá lớn", f"Tệp tải lên vượt quá giới hạn {MAX_UPLOAD_MB} MB."),
    429: ("Quá nhiều yêu cầu", "Vui lòng thử lại sau ít phút."),
    500: ("Lỗi hệ thống", "Đã xảy ra lỗi. Thao tác chưa được ghi. Vui lòng thử lại hoặc báo quản trị."),
}


def _render(status: int, detail: str | None = None):
    title, message = MESSAGES[status]
    return render_template("errors/error.html", status=status, title=title, message=detail or message), status


def refuse(status: int, message: str):
    """Refuse a request with a message. An htmx request keeps its page (and what the
    user typed) and gets the message on top of it; any other request the error page."""
    if request.headers.get("HX-Request"):
        headers = {"HX-Retarget": "#main", "HX-Reswap": "afterbegin"}
        return render_template("errors/message.html", message=message), status, headers
    title = MESSAGES.get(status, MESSAGES[400])[0]
    return render_template("errors/error.html", status=status, title=title, message=message), status


def init_app(app):
    for status in MESSAGES.keys() - {500}:
        app.register_error_handler(status, lambda e, s=status: _render(s))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        # The CSRF check runs before the login check: a token refused because the
        # session behind it ended (logout in another tab, timeout) is an ended session.
        if not current_user.is_authenticated or security.is_expired(utcnow(), app):
            return security.session_expired()
        return _render(400, "Phiên biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại.")

    @app.errorhandler(Refused)
    def refused(error):
        db.session.rollback()
        return refuse(403, str(error))

    @app.errorhandler(StaleEdit)
    @app.errorhandler(StaleDataError)
    def stale_edit(error):
        # Forms answer their own 409 (app.web.forms); this is the net for any other write.
        db.session.rollback()
        return refuse(409, STALE_MESSAGE)

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return _render(500)
