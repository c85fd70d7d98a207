"""Form fields shared by every domain: dates typed the Vietnamese way or from a picker."""

from datetime import date, datetime

from wtforms import DateField as _DateField


class DateField(_DateField):
    """Accepts 2026-02-05 (the browser's date picker) and 05/02/2026 (typed)."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", ["%Y-%m-%d", "%d/%m/%Y"])
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        text = valuelist[0].strip()
        for fmt in self.format:
            try:
                self.data = datetime.strptime(text, fmt).date()
            except ValueError:
                continue
            if not date(1900, 1, 1) <= self.data <= date(2100, 12, 31):
                self.data = None
                raise ValueError("Ngày nằm ngoài khoảng cho phép.")
            return
        self.data = None
        raise ValueError("Ngày không hợp lệ (nhập theo dạng ngày/tháng/năm).")

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return self.data.isoformat() if self.data else ""
