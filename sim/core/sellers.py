"""Sellers' settings: the defaults of each plan and how a patch applies (C04, C05, C13, C14).

Kept apart from the engine's state keeping: a patch is validated whole and merged into a new
:class:`SellerSettings` before the engine stores anything, so a refusal changes nothing.
"""

from __future__ import annotations

from sim.core import policy as rules
from sim.core.errors import EngineError, ErrorCode, show_value
from sim.core.values import Mode, Plan, Policy, SellerSettings, SettingsPatch


def defaults(plan: Plan) -> SellerSettings:
    """A new seller's settings before its patch: by hand everywhere, no address yet (the
    registration's patch must bring one)."""
    professional = plan is Plan.PROFESSIONAL
    return SellerSettings(
        return_addresses=(),
        default_return_address_id="",
        authorization=None if professional else Mode.MANUAL,
        out_of_policy=Mode.MANUAL if professional else None,
        exempt_skus=() if professional else None,
        exempt_mode=Mode.MANUAL if professional else None,
    )


def merge_settings(policy: Policy, old: SellerSettings, patch: SettingsPatch) -> SellerSettings:
    """Apply a patch (validated whole before anything is kept)."""
    addresses = old.return_addresses
    if patch.return_addresses is not None:
        addresses = patch.return_addresses
    if not addresses:
        raise EngineError(
            ErrorCode.MISSING_RETURN_ADDRESS,
            "settings.return_addresses: a seller needs at least one return address",
            {"field": "settings.return_addresses"},
        )
    ids = [a.address_id for a in addresses]
    default = old.default_return_address_id
    if patch.default_return_address_id is not None:
        default = patch.default_return_address_id
        if default not in ids:
            raise EngineError(
                ErrorCode.UNKNOWN_ADDRESS,
                f"settings.default_return_address_id: no return address {show_value(default)}",
                {"field": "settings.default_return_address_id", "address_id": default},
            )
    elif default not in ids:
        default = ids[0]
    windows = old.return_window_days
    if patch.return_window_days is not None:
        windows = dict(patch.return_window_days)
        problem = rules.less_generous_windows(policy, windows)
        if problem is not None:
            raise problem
    exempt_skus = old.exempt_skus
    if patch.exempt_skus is not None:
        exempt_skus = tuple(patch.exempt_skus)
    return SellerSettings(
        return_addresses=tuple(addresses),
        default_return_address_id=default,
        email_links=old.email_links if patch.email_links is None else patch.email_links,
        return_window_days=windows,
        authorization=patch.authorization or old.authorization,
        out_of_policy=patch.out_of_policy or old.out_of_policy,
        exempt_skus=exempt_skus,
        exempt_mode=patch.exempt_mode or old.exempt_mode,
    )

