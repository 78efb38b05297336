"""Sellers: registration defaults, updates (merge and replace), addresses, plan-only settings,
policy_less_generous and missing_return_address."""

from __future__ import annotations

from typing import Any

import pytest
from engine_fixtures import World, addr

from sim.core.errors import ErrorCode
from sim.core.values import Address, Mode, Plan, Policy, Seller, SellerSettings, SettingsPatch


def test_professional_defaults() -> None:
    w = World()
    s = w.seller("S1", Plan.PROFESSIONAL)
    assert s == Seller(
        "S1",
        Plan.PROFESSIONAL,
        SellerSettings(
            return_addresses=(addr("A1"),),
            default_return_address_id="A1",
            email_links=False,
            return_window_days={},
            authorization=None,
            out_of_policy=Mode.MANUAL,
            exempt_skus=(),
            exempt_mode=Mode.MANUAL,
        ),
    )


def test_individual_defaults() -> None:
    w = World()
    s = w.seller("S1", Plan.INDIVIDUAL)
    assert s == Seller(
        "S1",
        Plan.INDIVIDUAL,
        SellerSettings(
            return_addresses=(addr("A1"),),
            default_return_address_id="A1",
            email_links=False,
            return_window_days={},
            authorization=Mode.MANUAL,
            out_of_policy=None,
            exempt_skus=None,
            exempt_mode=None,
        ),
    )


def test_default_address_is_the_first_unless_named() -> None:
    w = World()
    s = w.seller("S1", addresses=(addr("A1"), addr("A2")))
    assert s.settings.default_return_address_id == "A1"
    s2 = w.seller("S2", addresses=(addr("A1"), addr("A2")), default_return_address_id="A2")
    assert s2.settings.default_return_address_id == "A2"


def test_settings_given_at_registration_are_kept() -> None:
    w = World()
    s = w.seller(
        "S1",
        email_links=True,
        return_window_days={"toys": 45},
        out_of_policy=Mode.AUTO,
        exempt_skus=("X", "Y"),
        exempt_mode=Mode.AUTO,
    )
    assert s.settings.email_links is True
    assert dict(s.settings.return_window_days) == {"toys": 45}
    assert (s.settings.out_of_policy, s.settings.exempt_skus, s.settings.exempt_mode) == (
        Mode.AUTO,
        ("X", "Y"),
        Mode.AUTO,
    )
    assert w.seller_state("S1") == s


def test_duplicate_seller_is_refused() -> None:
    w = World()
    w.seller("S1")
    w.refuses(ErrorCode.DUPLICATE_SELLER, lambda: w.seller("S1", Plan.INDIVIDUAL))


def test_empty_seller_id_is_invalid_args() -> None:
    w = World()
    err = w.refuses(ErrorCode.INVALID_ARGS, lambda: w.seller(""))
    assert err.details.get("field") == "seller_id"


@pytest.mark.parametrize(
    ("plan", "setting", "value"),
    [
        (Plan.INDIVIDUAL, "out_of_policy", Mode.AUTO),
        (Plan.INDIVIDUAL, "exempt_skus", ("X",)),
        (Plan.INDIVIDUAL, "exempt_mode", Mode.AUTO),
        (Plan.PROFESSIONAL, "authorization", Mode.AUTO),
    ],
)
def test_a_setting_of_the_other_plan_is_invalid_args(
    plan: Plan, setting: str, value: object
) -> None:
    w = World()
    given: dict[str, Any] = {setting: value}
    err = w.refuses(ErrorCode.INVALID_ARGS, lambda: w.seller("S1", plan, **given))
    assert err.details.get("field") == f"settings.{setting}"
    w.seller("S1", plan)
    err = w.refuses(
        ErrorCode.INVALID_ARGS,
        lambda: w.engine.update_seller("S1", SettingsPatch(**given)),
    )
    assert err.details.get("field") == f"settings.{setting}"


def test_an_empty_exempt_sku_list_is_still_a_professional_setting() -> None:
    w = World()
    w.refuses(ErrorCode.INVALID_ARGS, lambda: w.seller("S1", Plan.INDIVIDUAL, exempt_skus=()))


# --------------------------------------------------------------------------- addresses


def test_registration_without_addresses_is_missing_return_address() -> None:
    w = World()
    w.refuses(
        ErrorCode.MISSING_RETURN_ADDRESS,
        lambda: w.engine.register_seller("S1", Plan.PROFESSIONAL, SettingsPatch()),
    )
    w.refuses(ErrorCode.MISSING_RETURN_ADDRESS, lambda: w.seller("S1", addresses=()))
    # Nothing was registered.
    assert w.seller("S1").seller_id == "S1"


def test_update_to_no_addresses_is_missing_return_address() -> None:
    w = World()
    w.seller("S1")
    w.refuses(
        ErrorCode.MISSING_RETURN_ADDRESS,
        lambda: w.engine.update_seller("S1", SettingsPatch(return_addresses=())),
    )


def test_duplicate_address_id_is_invalid_args() -> None:
    w = World()
    twins = (addr("A1"), addr("A1", name="Other"))
    w.refuses(ErrorCode.INVALID_ARGS, lambda: w.seller("S1", addresses=twins))
    w.seller("S1")
    w.refuses(
        ErrorCode.INVALID_ARGS,
        lambda: w.engine.update_seller("S1", SettingsPatch(return_addresses=twins)),
    )


def test_default_naming_no_address_is_unknown_address() -> None:
    w = World()
    w.refuses(ErrorCode.UNKNOWN_ADDRESS, lambda: w.seller("S1", default_return_address_id="A9"))
    w.seller("S1")
    w.refuses(
        ErrorCode.UNKNOWN_ADDRESS,
        lambda: w.engine.update_seller("S1", SettingsPatch(default_return_address_id="A9")),
    )


def test_update_replacing_addresses_moves_a_lost_default_to_the_first() -> None:
    w = World()
    w.seller("S1", addresses=(addr("A1"), addr("A2")), default_return_address_id="A2")
    s = w.engine.update_seller("S1", SettingsPatch(return_addresses=(addr("B1"), addr("B2"))))
    assert s.settings.return_addresses == (addr("B1"), addr("B2"))
    assert s.settings.default_return_address_id == "B1"


def test_update_replacing_addresses_keeps_a_default_still_present() -> None:
    w = World()
    w.seller("S1", addresses=(addr("A1"), addr("A2")), default_return_address_id="A2")
    s = w.engine.update_seller("S1", SettingsPatch(return_addresses=(addr("A3"), addr("A2"))))
    assert s.settings.default_return_address_id == "A2"


def test_update_addresses_and_default_together() -> None:
    w = World()
    w.seller("S1")
    s = w.engine.update_seller(
        "S1",
        SettingsPatch(return_addresses=(addr("B1"), addr("B2")), default_return_address_id="B2"),
    )
    assert s.settings.default_return_address_id == "B2"


def test_update_default_to_an_address_dropped_in_the_same_update_is_unknown_address() -> None:
    w = World()
    w.seller("S1", addresses=(addr("A1"), addr("A2")))
    w.refuses(
        ErrorCode.UNKNOWN_ADDRESS,
        lambda: w.engine.update_seller(
            "S1", SettingsPatch(return_addresses=(addr("B1"),), default_return_address_id="A2")
        ),
    )


# --------------------------------------------------------------------------- updates


def test_update_merges_top_level_settings() -> None:
    w = World()
    w.seller("S1", email_links=True, exempt_skus=("X",), out_of_policy=Mode.AUTO)
    s = w.engine.update_seller("S1", SettingsPatch(exempt_mode=Mode.AUTO))
    assert s.settings.email_links is True
    assert s.settings.exempt_skus == ("X",)
    assert s.settings.out_of_policy == Mode.AUTO
    assert s.settings.exempt_mode == Mode.AUTO
    assert s.plan == Plan.PROFESSIONAL


def test_update_replaces_maps_and_lists_whole() -> None:
    w = World()
    w.seller("S1", return_window_days={"toys": 45, "books": 60}, exempt_skus=("X", "Y"))
    s = w.engine.update_seller(
        "S1", SettingsPatch(return_window_days={"shoes": 50}, exempt_skus=("Z",))
    )
    assert dict(s.settings.return_window_days) == {"shoes": 50}
    assert s.settings.exempt_skus == ("Z",)
    assert w.seller_state("S1") == s


def test_update_individual_authorization() -> None:
    w = World()
    w.individual("S1")
    s = w.engine.update_seller("S1", SettingsPatch(authorization=Mode.AUTO))
    assert s.settings.authorization == Mode.AUTO
    assert s.plan == Plan.INDIVIDUAL


def test_update_unknown_seller_is_unknown_seller() -> None:
    w = World()
    w.refuses(
        ErrorCode.UNKNOWN_SELLER,
        lambda: w.engine.update_seller("S404", SettingsPatch(email_links=True)),
    )


def test_settings_apply_to_later_requests() -> None:
    w = World()
    w.individual("S1")
    w.engine.update_seller("S1", SettingsPatch(authorization=Mode.AUTO))
    w.order("O1")
    assert w.request("R1").return_.authorization == Mode.AUTO


def test_update_default_address_is_used_by_later_authorizations() -> None:
    w = World()
    w.seller("S1", addresses=(addr("A1"), addr("A2")))
    w.engine.update_seller("S1", SettingsPatch(default_return_address_id="A2"))
    w.order("O1")
    assert w.request("R1").return_.return_address == addr("A2")


# --------------------------------------------------------------------------- policy_less_generous


def test_seller_window_shorter_than_default_is_policy_less_generous() -> None:
    w = World()
    err = w.refuses(
        ErrorCode.POLICY_LESS_GENEROUS, lambda: w.seller("S1", return_window_days={"toys": 29})
    )
    assert err.details == {
        "category": "toys",
        "seller_window_days": 29,
        "marketplace_window_days": 30,
    }


def test_seller_window_shorter_than_category_window_is_policy_less_generous() -> None:
    w = World(Policy(category_window_days={"baby": 90}))
    err = w.refuses(
        ErrorCode.POLICY_LESS_GENEROUS, lambda: w.seller("S1", return_window_days={"baby": 60})
    )
    assert err.details == {
        "category": "baby",
        "seller_window_days": 60,
        "marketplace_window_days": 90,
    }


def test_seller_window_may_exceed_a_short_category_window() -> None:
    w = World(Policy(category_window_days={"electronics": 15}))
    s = w.seller("S1", return_window_days={"electronics": 20})
    assert dict(s.settings.return_window_days) == {"electronics": 20}


def test_update_to_a_shorter_window_is_policy_less_generous_and_keeps_the_old() -> None:
    w = World()
    s = w.seller("S1", return_window_days={"toys": 45})
    err = w.refuses(
        ErrorCode.POLICY_LESS_GENEROUS,
        lambda: w.engine.update_seller("S1", SettingsPatch(return_window_days={"toys": 10})),
    )
    assert err.details["seller_window_days"] == 10
    assert w.seller_state("S1") == s


def test_generosity_is_checked_against_the_policy_in_force() -> None:
    w = World(Policy(default_window_days=10))
    s = w.seller("S1", return_window_days={"toys": 20})
    w.engine.set_policy(Policy(default_window_days=30))
    # The registered seller keeps its settings ...
    assert w.seller_state("S1") == s
    # ... but a new registration or an update with the same window is now refused.
    w.refuses(
        ErrorCode.POLICY_LESS_GENEROUS, lambda: w.seller("S2", return_window_days={"toys": 20})
    )
    w.refuses(
        ErrorCode.POLICY_LESS_GENEROUS,
        lambda: w.engine.update_seller("S1", SettingsPatch(return_window_days={"toys": 20})),
    )


def test_individual_sellers_must_be_as_generous_too() -> None:
    w = World()
    w.refuses(
        ErrorCode.POLICY_LESS_GENEROUS,
        lambda: w.seller("S1", Plan.INDIVIDUAL, return_window_days={"toys": 1}),
    )


def test_address_with_optional_line2_is_kept() -> None:
    w = World()
    a = Address("A1", "Dock", "1 Road", "Reno", "NV", "89501", "US", line2="Bay 7")
    assert w.seller("S1", addresses=(a,)).settings.return_addresses == (a,)


def test_seller_window_of_zero_days_is_policy_less_generous() -> None:
    """A well-formed window shorter than the marketplace's is policy_less_generous
    (interpretations: invalid_args is only for what does not fit the schema, and the schema
    allows any integer here)."""
    w = World()
    err = w.refuses(
        ErrorCode.POLICY_LESS_GENEROUS, lambda: w.seller("S1", return_window_days={"toys": 0})
    )
    assert err.details == {
        "category": "toys",
        "seller_window_days": 0,
        "marketplace_window_days": 30,
    }


def test_address_with_an_empty_field_is_invalid_args() -> None:
    w = World()
    bad = Address("A1", "Dock", "1 Road", "", "NV", "89501", "US")
    err = w.refuses(ErrorCode.INVALID_ARGS, lambda: w.seller("S1", addresses=(bad,)))
    assert err.details.get("field") == "settings.return_addresses[0].city"
