from app.org.vietnamese import fold, sort_key, split_name


def test_fold_removes_diacritics_case_and_extra_spaces():
    assert fold("  Nguyễn   Văn ÂN ") == "nguyen van an"
    assert fold("Đặng Thị Ước") == "dang thi uoc"


def test_split_name_family_middle_given():
    assert split_name("Nguyễn Thị Thu Hà") == ("Nguyễn", "Thị Thu", "Hà")
    assert split_name("Lê An") == ("Lê", "", "An")


def test_sorted_by_given_name_then_middle_then_family():
    names = ["Trần Văn Bình", "Nguyễn Văn An", "Lê Thị An", "Nguyễn An"]
    assert sorted(names, key=sort_key) == ["Nguyễn An", "Lê Thị An", "Nguyễn Văn An", "Trần Văn Bình"]


def test_vietnamese_letter_order():
    # a ă â … d đ … o ô ơ … u ư: base letters first, tones only break ties.
    given = ["Ước", "Uyên", "Đạt", "Dũng", "Ân", "Ánh", "An", "Ơn", "Ông", "Oanh"]
    ordered = sorted((f"Nguyễn Văn {g}" for g in given), key=sort_key)
    assert [n.split()[-1] for n in ordered] == ["An", "Ánh", "Ân", "Dũng", "Đạt", "Oanh", "Ông", "Ơn", "Uyên", "Ước"]


def test_tones_order_ngang_huyen_hoi_nga_sac_nang():
    given = ["Hạ", "Há", "Hã", "Hả", "Hà", "Ha"]
    assert sorted(given, key=sort_key) == ["Ha", "Hà", "Hả", "Hã", "Há", "Hạ"]


def test_key_is_ascii_digits_only_so_any_collation_agrees():
    assert sort_key("Nguyễn Thị Ánh").isdigit()
