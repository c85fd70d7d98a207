"""Vietnamese names and places for demo data (frequencies roughly as in real rosters)."""

FAMILY = ["Nguyễn"] * 8 + ["Trần"] * 3 + ["Lê"] * 3 + ["Phạm"] * 2 + [
    "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
    "Đinh", "Trịnh", "Đoàn", "Lương", "Mai", "Tạ", "Cao", "Lại", "Quách", "Ông", "Âu"]
MIDDLE_MALE = ["Văn"] * 4 + ["Đức", "Minh", "Quang", "Hữu", "Công", "Thanh", "Xuân", "Ngọc", "Đình", "Mạnh",
                              "Tiến", "Trọng", "Bá", "Duy", "Anh"]
MIDDLE_FEMALE = ["Thị"] * 5 + ["Thu", "Ngọc", "Thanh", "Hồng", "Minh", "Kim", "Phương", "Bích", "Thúy", "Mỹ"]
GIVEN_MALE = ["An", "Ân", "Anh", "Bình", "Cường", "Chiến", "Dũng", "Đạt", "Định", "Giang", "Hải", "Hào",
              "Hiếu", "Hòa", "Hùng", "Hưng", "Khải", "Khánh", "Kiên", "Lâm", "Long", "Lợi", "Minh", "Nam",
              "Nghĩa", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài", "Thắng", "Thành", "Thịnh", "Toàn",
              "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Ước", "Ý"]
GIVEN_FEMALE = ["Ánh", "Bích", "Chi", "Dung", "Đào", "Giang", "Hà", "Hằng", "Hạnh", "Hoa", "Huệ", "Hương",
                "Lan", "Liên", "Linh", "Loan", "Mai", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương",
                "Quyên", "Tâm", "Thảo", "Thơm", "Thủy", "Trang", "Uyên", "Vân", "Xuân", "Yến"]
ETHNICITIES = ["Kinh"] * 30 + ["Mường", "Tày", "Thái", "Nùng"]

VILLAGES = ["Đông Hạ", "Văn Lâm", "Khê Thượng", "Phong Phú", "Tràng An", "Yên Thành", "Đam Khê",
            "Thượng Phúc", "Hạ Đoài", "Chi Phong", "Tân Mỹ", "Bình Hòa", "Đồng Tâm", "Hưng Long",
            "Phú Lộc", "Xuân Áng", "An Ninh", "Cổ Loan", "Kỳ Lão", "Đông Thịnh"]
AGENCIES = ["Cơ quan Đảng ủy - Ủy ban nhân dân", "Trường Tiểu học", "Trường THCS", "Trạm Y tế",
            "Trường Mầm non", "Công an xã"]
STATE_ENTERPRISES = ["Điện lực", "Công ty Thủy nông", "Bưu điện văn hóa", "Chi nhánh Ngân hàng Nông nghiệp"]
OTHER_ENTERPRISES = ["Hợp tác xã Nông nghiệp", "Công ty TNHH May Thành Công", "Hợp tác xã Dịch vụ Du lịch",
                     "Công ty Cổ phần Xi măng"]
