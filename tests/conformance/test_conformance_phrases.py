"""The business phrases of the features mean one thing each, in both languages, and a phrase
the steps do not know is an error, never a guess."""

from __future__ import annotations

import pytest

from sim.conformance.steps import phrases
from sim.conformance.steps.raw import break_request
from sim.core.values import DAY, HOUR, LabelType, Payer, Violation

DELIVERED = 1_772_704_800  # 2026-03-05T10:00:00Z
ANCHORS = phrases.Anchors(delivery=DELIVERED, request=DELIVERED + DAY, window=DELIVERED + 30 * DAY)


@pytest.mark.parametrize(("text", "seconds"), [
    ("30 days after delivery", 30 * DAY),
    ("30 days and 1 second after delivery", 30 * DAY + 1),
    ("45 days minus 1 second after delivery", 45 * DAY - 1),
    ("1 second before delivery", -1),
    ("0 seconds after delivery", 0),
    ("24 hours after the request", DAY + 24 * HOUR),
    ("15 days after the window closes", 45 * DAY),
    ("送达后 30 天零 1 秒", 30 * DAY + 1),
    ("送达后 45 天减 1 秒", 45 * DAY - 1),
    ("申请后 2 小时", DAY + 2 * HOUR),
    ("on 2026-03-05 at 10:00:00", 0),
    ("2026-03-05 at 10:00:01", 1),
    ("于 2026-03-05 10:00:00", 0),
])
def test_time_phrases(text: str, seconds: int) -> None:
    assert phrases.instant(text, ANCHORS) == DELIVERED + seconds


@pytest.mark.parametrize("text", [
    "30 dayz after delivery", "soon", "30 days after lunch", "on 2026-02-30 at 10:00:00",
])
def test_unknown_time_phrases_fail(text: str) -> None:
    with pytest.raises(phrases.PhraseError):
        phrases.instant(text, ANCHORS)


def test_a_relative_time_needs_its_anchor() -> None:
    with pytest.raises(phrases.PhraseError, match="no request time is known"):
        phrases.instant("1 hour after the request", phrases.Anchors(delivery=DELIVERED))


def test_labels_states_and_standing() -> None:
    assert phrases.label("Amazon prepaid, paid by the seller") == (
        LabelType.AMAZON_PREPAID, Payer.SELLER)
    assert phrases.label("亚马逊未付费标签，由买家支付") == (
        LabelType.AMAZON_UNPAID, Payer.CUSTOMER)
    assert phrases.label("none") is None
    assert phrases.policy_standing("out of policy: window expired, not returnable") == (
        Violation.WINDOW_EXPIRED, Violation.NON_RETURNABLE)
    assert phrases.policy_standing("请求不在政策内：退货期已过") == (Violation.WINDOW_EXPIRED,)
    for bad in ("Amazon free, paid by the seller", "out of policy: too ugly", "authorized maybe"):
        with pytest.raises(phrases.PhraseError):
            phrases.label(bad) if "paid" in bad else (
                phrases.policy_standing(bad) if "policy" in bad else phrases.expected_state(bad))


def test_settings_tables() -> None:
    patch = phrases.settings_patch([
        ["return addresses", "WH1, WH2"], ["exempt SKUs", "LAMP-1"],
        ['return window for "toys"', "45 days"], ["email links", "on"],
    ], default_address=True)
    assert [a.address_id for a in patch.return_addresses or ()] == ["WH1", "WH2"]
    assert patch.exempt_skus == ("LAMP-1",) and patch.email_links is True
    assert patch.return_window_days == {"toys": 45}
    assert phrases.settings_patch([], default_address=True).return_addresses == (
        phrases.address("WH1"),)
    with pytest.raises(phrases.PhraseError, match="unknown seller setting 'colour'"):
        phrases.settings_patch([["colour", "red"]], default_address=False)
    with pytest.raises(phrases.PhraseError, match="'on' or 'off'"):
        phrases.settings_patch([["email links", "yes"]], default_address=False)


def test_broken_requests_break_exactly_one_thing() -> None:
    request = break_request("place an order", 'the item quantity is the text "two"')
    assert request["args"]["items"][0]["quantity"] == "two"
    assert break_request("request a return", "the reason is missing")["args"].keys() == {
        "return_id", "order_id", "sku", "quantity", "requested_at"}
    assert break_request("set the policy", 'it has an extra field "policy.surcharge"')[
        "args"]["policy"]["surcharge"] == "x"
    assert break_request("place an order", "the unit price is -1")["args"]["items"][0][
        "unit_price"] == -1
    with pytest.raises(ValueError, match="unknown field 'colour'"):
        break_request("place an order", "the colour is 3")
