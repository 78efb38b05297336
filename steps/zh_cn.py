"""The Chinese (``# language: zh-CN``) wording of the core steps, for cross-border seller teams.

Each step says in Chinese what an English step says, and does it through the same helpers,
so both languages check exactly the same thing.
"""

from __future__ import annotations

import re

from pytest_bdd import given, parsers, then, when

from sim.conformance.steps import phrases
from sim.conformance.steps.marketplace import place, register
from sim.conformance.steps.outcomes import (
    expect_state,
    label_is,
    refused_with,
    request_standing,
    respond_by,
    rma_is_amazon,
    rma_is_own,
    stays_open_until,
    window_closes,
)
from sim.conformance.steps.returns import authorize, request_return
from sim.conformance.steps.world import World
from sim.core.values import DAY, Order, OrderItem

T = phrases.TIME_ZH


@given(parsers.re(r'专业卖家 "(?P<seller_id>[^"]+)"'))
def professional(world: World, seller_id: str) -> None:
    register(world, seller_id, "professional", phrases.settings_patch([], True), True)


@given(parsers.re(r'专业卖家 "(?P<seller_id>[^"]+)"，政策外请求自动授权'))
def professional_auto_out_of_policy(world: World, seller_id: str) -> None:
    patch = phrases.settings_patch([["out-of-policy requests", "automatic"]], True)
    register(world, seller_id, "professional", patch, True)


@given(parsers.re(r'个人卖家 "(?P<seller_id>[^"]+)"，(?P<how>手动|自动)授权退货'))
def individual(world: World, seller_id: str, how: str) -> None:
    setting = "automatic" if how == "自动" else "manual"
    patch = phrases.settings_patch([["authorization", setting]], True)
    register(world, seller_id, "individual", patch, True)


@given(parsers.re(r"平台某类别的退货期：(?P<windows>.+)"))
def category_windows(world: World, windows: str) -> None:
    found = dict(world.policy.category_window_days)
    for category, days in re.findall(r'类别 "([^"]+)" 为 (\d+) 天', windows):
        found[category] = int(days)
    world.change_policy(category_window_days=found)


@given(parsers.re(
    r'卖家 "(?P<seller_id>[^"]+)" 的订单 "(?P<order_id>[^"]+)"：(?P<quantity>\d+) 件类别为 '
    r'"(?P<category>[^"]+)" 的 "(?P<sku>[^"]+)"，于 (?P<day>\d{4}-\d{2}-\d{2}) '
    r"(?P<clock>\d{2}:\d{2}:\d{2}) 送达"
))
def order(
    world: World, seller_id: str, order_id: str, quantity: str, category: str, sku: str,
    day: str, clock: str,
) -> None:
    delivered = phrases.instant(f"{day} at {clock}", phrases.Anchors())
    items = (OrderItem(sku, category, int(quantity), 10.0),)
    place(world, Order(order_id, seller_id, "B1", delivered - 3 * DAY, delivered, items), True)


REQUEST = (
    rf'买家(?P<tense>已?)在(?P<when>{T})申请退货 "(?P<return_id>[^"]+)"：'
    r'订单 "(?P<order_id>[^"]+)" '
    r'中的 (?P<quantity>\d+) 件 "(?P<sku>[^"]+)"，原因 "(?P<reason>[^"]+)"'
)


@given(parsers.re(REQUEST))
@when(parsers.re(REQUEST))
def buyer_requests(
    world: World, tense: str, when: str, return_id: str, order_id: str, quantity: str,
    sku: str, reason: str,
) -> None:
    request_return(world, return_id, quantity, sku, order_id, when, reason, given=tense == "已")


AUTHORIZE = (
    rf'卖家(?P<tense>已?)在(?P<when>{T})(?:以自己的 RMA "(?P<rma>[^"]+)" )?'
    r'授权退货 "(?P<return_id>[^"]+)"'
)


@given(parsers.re(AUTHORIZE))
@when(parsers.re(AUTHORIZE))
def seller_authorizes(
    world: World, tense: str, when: str, rma: str | None, return_id: str
) -> None:
    authorize(world, return_id, when, given=tense == "已", rma=rma)


@when(parsers.re(rf'卖家在(?P<when>{T})关闭退货 "(?P<return_id>[^"]+)"'))
def seller_closes(world: World, when: str, return_id: str) -> None:
    at = world.time(when, return_id=return_id)
    outcome = world.attempt(lambda: world.port.close(return_id, at), at)
    if outcome is not None:
        world.took(outcome)


@then(parsers.re(r"(?P<standing>请求在政策内|请求不在政策内：.+)"))
def standing(world: World, standing: str) -> None:
    request_standing(world, standing)


@then(parsers.re(r"退货(?P<state>已自动授权|待卖家授权|已由卖家授权|已关闭，原因为.+)"))
def state(world: World, state: str) -> None:
    expect_state(world.record(), state)


@then(parsers.re(r"退货标签为 (?P<label>.+)"))
def label(world: World, label: str) -> None:
    label_is(world, label)


@then("RMA 为亚马逊生成的 RMA")
def amazon_rma(world: World) -> None:
    rma_is_amazon(world)


@then(parsers.re(r'RMA 为卖家自己的 "(?P<number>[^"]+)"'))
def own_rma(world: World, number: str) -> None:
    rma_is_own(world, number)


@then(parsers.re(r'请求被拒绝，错误代码为 "(?P<code>[a-z_]+)"'))
def refused(world: World, code: str) -> None:
    refused_with(world, code)


@then(parsers.re(rf"卖家须在(?P<when>{T})内答复"))
def respond_within(world: World, when: str) -> None:
    respond_by(world, when)


@then(parsers.re(rf"退货期于(?P<when>{T})结束"))
def window_ends(world: World, when: str) -> None:
    window_closes(world, when)


@then(parsers.re(rf"退货保持打开直到(?P<when>{T})"))
def open_until(world: World, when: str) -> None:
    stays_open_until(world, when)
