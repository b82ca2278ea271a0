"""Amounts in words and identifiers digit by digit, as a listener needs them (issue 17, item 5)."""
from __future__ import annotations

import pytest

from kiosk.speech.words import digits, speakable, yuan, zh_number


@pytest.mark.parametrize("n,words", [(0, "零"), (10, "十"), (12, "十二"), (105, "一百零五"), (110, "一百一十"),
                                     (1005, "一千零五"), (10010, "一万零一十"), (12000, "一万二千"),
                                     (100005, "十万零五")])
def test_whole_numbers_are_chinese_words_with_zero_for_a_gap(n, words):
    assert zh_number(n) == words


@pytest.mark.parametrize("fen,zh,en", [(1000, "十元", "10 yuan"), (1250, "十二元五角", "12 yuan 50 fen"),
                                       (5, "五分", "5 fen"), (1005, "十元零五分", "10 yuan 5 fen"),
                                       (2000000, "二万元", "20000 yuan")])
def test_an_amount_is_said_in_yuan_not_read_as_decimals(fen, zh, en):
    assert yuan(fen, "zh_CN") == zh
    assert yuan(fen, "en_US") == en


def test_a_phone_number_is_said_digit_by_digit_in_both_languages():
    assert digits("13800138000", "zh_CN") == "一 三 八 零 零 一 三 八 零 零 零"
    assert digits("138", "en_US") == "one three eight"


def test_an_acceptance_number_keeps_its_letters_and_drops_separators():
    assert digits("SZ2026-01", "zh_CN") == "S Z 二 零 二 六 零 一"


def test_a_notice_s_amount_and_long_numbers_become_speakable_but_short_numbers_stay():
    assert speakable("支付成功（10.00 元），正在提交申请", "zh_CN") == "支付成功（十元），正在提交申请"
    assert speakable("Paid (CNY 10.00): submitting", "en_US") == "Paid (10 yuan): submitting"
    assert speakable("应缴￥12.50", "zh_CN") == "应缴十二元五角"
    assert "一 三 八 零 零 一 三 八 零 零 零" in speakable("请拨打 138 0013 8000", "zh_CN")
    assert speakable("2026年 第3页", "zh_CN") == "2026年 第3页"
