# ruff: noqa: E501  (reference texts, one per line)
"""The 27 signs of degradation of Nghị quyết Trung ương 4 khóa XII (04-NQ/TW,
30/10/2016), three groups of nine, in short form. Seeded once by migration 0006;
administrators correct the wording in the app (“Danh mục 27 biểu hiện”)."""

SIGNS = {
    1: [
        "Phai nhạt lý tưởng cách mạng; dao động, giảm sút niềm tin vào mục tiêu độc lập dân tộc và chủ nghĩa xã hội; hoài nghi chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí Minh.",
        "Xa rời mục tiêu, lý tưởng của Đảng; không kiên định con đường đi lên chủ nghĩa xã hội; phụ họa theo nhận thức lệch lạc, quan điểm sai trái.",
        "Nhận thức sai về vai trò của lý luận; lười học tập chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí Minh, nghị quyết, chỉ thị của Đảng, chính sách, pháp luật của Nhà nước.",
        "Không chấp hành nghiêm các nguyên tắc tổ chức, sinh hoạt của Đảng; không thực hiện đúng nguyên tắc tập trung dân chủ.",
        "Thiếu trách nhiệm, không làm tròn chức trách, nhiệm vụ được giao; làm việc qua loa, đại khái, kém hiệu quả.",
        "Nói không đi đôi với làm; hứa nhiều làm ít; nói trong hội nghị khác, nói ngoài hội nghị khác.",
        "Trong phê bình thì nể nang, né tránh, ngại va chạm, thấy đúng không bảo vệ, thấy sai không đấu tranh; lợi dụng phê bình để nịnh bợ hoặc bôi nhọ người khác.",
        "Tự cao, tự đại, không chịu học hỏi, không chịu lắng nghe ý kiến góp ý; độc đoán, gia trưởng.",
        "Mắc bệnh thành tích, che giấu khuyết điểm, khuếch trương thành tích; báo cáo không trung thực.",
    ],
    2: [
        "Phai nhạt tinh thần phục vụ nhân dân, thờ ơ, vô cảm trước khó khăn, bức xúc của nhân dân.",
        "Sống ích kỷ, thực dụng, cơ hội, vụ lợi; ganh ghen, đố kỵ, so bì, không muốn người khác hơn mình.",
        "Cá nhân chủ nghĩa; chỉ lo vun vén cá nhân, không quan tâm đến lợi ích tập thể.",
        "Quan liêu, xa rời quần chúng, không sâu sát cơ sở, thiếu kiểm tra, đôn đốc.",
        "Vướng vào tham nhũng, lãng phí, tùy tiện; lợi dụng chức vụ, quyền hạn để trục lợi.",
        "Kéo bè kéo cánh, cục bộ, “lợi ích nhóm”; chạy chức, chạy quyền, chạy tội, chạy thi đua, khen thưởng.",
        "Bố trí người thân, người quen không đủ tiêu chuẩn vào vị trí lãnh đạo, quản lý.",
        "Sống xa hoa, lãng phí, hưởng lạc; ham mê cờ bạc, rượu chè, các hoạt động vui chơi không lành mạnh.",
        "Vi phạm chuẩn mực đạo đức, thuần phong mỹ tục, gia đình văn hóa; không gương mẫu nơi cư trú.",
    ],
    3: [
        "Phủ nhận, xuyên tạc chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí Minh, đường lối của Đảng.",
        "Phủ nhận vai trò lãnh đạo của Đảng; đòi thực hiện “đa nguyên chính trị, đa đảng đối lập”.",
        "Phụ họa với quan điểm “phi chính trị hóa” quân đội, công an; xa rời sự lãnh đạo của Đảng đối với lực lượng vũ trang.",
        "Xuyên tạc lịch sử, bôi nhọ lãnh tụ, anh hùng dân tộc; phủ nhận thành quả cách mạng.",
        "Móc nối, cấu kết với các thế lực thù địch, phản động, cơ hội chính trị để truyền bá tư tưởng, quan điểm đối lập.",
        "Viết bài, phát ngôn, tán phát tài liệu trái với quan điểm, đường lối của Đảng, chính sách, pháp luật của Nhà nước.",
        "Bất mãn, chống đối, kích động, lôi kéo người khác gây mất đoàn kết nội bộ.",
        "Tuyệt đối hóa “tự do, dân chủ”, đòi “xã hội dân sự”, “tam quyền phân lập” theo quan điểm sai trái.",
        "Thiếu trách nhiệm trong bảo vệ chủ quyền, lợi ích quốc gia; có tư tưởng dân tộc hẹp hòi, sùng bái nước ngoài.",
    ],
}

assert all(len(signs) == 9 for signs in SIGNS.values())  # nosec B101  # checks the table above, not input
