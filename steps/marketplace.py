"""Steps that set the scene: the marketplace policy, sellers and their settings, orders."""

from __future__ import annotations

from collections.abc import Sequence

from pytest_bdd import given, parsers, then, when

from sim.conformance.steps import phrases
from sim.conformance.steps.world import World, check, wrong
from sim.core.values import Order, OrderItem, Plan, Seller, SettingsPatch

DATE_TIME = r"\d{4}-\d{2}-\d{2} at \d{2}:\d{2}:\d{2}"
_PLAN = {"professional": Plan.PROFESSIONAL, "individual": Plan.INDIVIDUAL}

# --------------------------------------------------------------------------- policy


@given(parsers.re(r"the marketplace return window is (?P<n>\d+) days"))
@when(parsers.re(r"the marketplace return window becomes (?P<n>\d+) days"))
def default_window(world: World, n: str) -> None:
    world.change_policy(default_window_days=int(n))


@given(parsers.re(
    r'the marketplace return window for category "(?P<category>[^"]+)" is (?P<n>\d+) days'
))
def category_window(world: World, category: str, n: str) -> None:
    windows = dict(world.policy.category_window_days)
    windows[category] = int(n)
    world.change_policy(category_window_days=windows)


@given(parsers.re(r'category "(?P<category>[^"]+)" is not returnable'))
def not_returnable(world: World, category: str) -> None:
    world.change_policy(
        non_returnable_categories=(*world.policy.non_returnable_categories, category)
    )


@given(parsers.re(r'category "(?P<category>[^"]+)" is exempt from prepaid labels'))
def prepaid_exempt(world: World, category: str) -> None:
    world.change_policy(
        prepaid_exempt_categories=(*world.policy.prepaid_exempt_categories, category)
    )


@given(parsers.re(r"the transit allowance is (?P<n>\d+) days"))
def transit(world: World, n: str) -> None:
    world.change_policy(transit_days=int(n))


@given(parsers.re(r"sellers must respond to requests within (?P<n>\d+) hours"))
def response_hours(world: World, n: str) -> None:
    world.change_policy(manual_response_hours=int(n))


@given(parsers.re(
    r"the holiday rule: orders placed from (?P<start>\S+) to (?P<end>\S+) "
    r"are returnable until (?P<until>\S+)"
))
def holiday_rule(world: World, start: str, end: str, until: str) -> None:
    world.change_policy(holiday=phrases.holiday(f"{start} to {end}, until {until}"))


@given(parsers.re(r"the seller-fault reasons are (?P<reasons>.+)"))
def seller_fault_reasons(world: World, reasons: str) -> None:
    world.change_policy(seller_fault_reasons=phrases.names(reasons))


@when("the marketplace sets its policy to:")
@phrases.takes_table(phrases.POLICY_TABLE)
def set_policy_table(world: World, datatable: Sequence[Sequence[object]]) -> None:
    rows = phrases.table_rows(datatable, ("setting", "value"))
    world.set_policy(phrases.policy_from_table(rows), given=False)


@then("the policy in force is:")
@phrases.takes_table(phrases.POLICY_TABLE)
def policy_in_force(world: World, datatable: Sequence[Sequence[object]]) -> None:
    rows = phrases.table_rows(datatable, ("setting", "value"))
    if world.policy_answer is None:
        world.refusal()  # fails with the refusal, if that is what happened
        wrong("no policy was answered")
    check("the policy in force", world.policy_answer, phrases.policy_from_table(rows))


@when("the marketplace is reset")
def reset(world: World) -> None:
    world.attempt(world.port.reset)
    world.policy = type(world.policy)()
    world.sellers.clear()
    world.orders.clear()


# --------------------------------------------------------------------------- sellers


def register(world: World, seller_id: str, plan: str, patch: SettingsPatch, given: bool) -> None:
    world.seller_in_focus = seller_id
    def act() -> Seller:
        return world.port.register_seller(seller_id, _PLAN[plan], patch)

    seller = (
        world.require(f"registering seller {seller_id!r}", act) if given else world.attempt(act)
    )
    if seller is not None:
        world.sellers[seller_id] = world.seller = seller


@given(parsers.re(r'an? (?P<plan>professional|individual) seller "(?P<seller_id>[^"]+)"'))
def seller_with_defaults(world: World, plan: str, seller_id: str) -> None:
    register(world, seller_id, plan, phrases.settings_patch([], default_address=True), True)


@given(parsers.re(
    r'an individual seller "(?P<seller_id>[^"]+)" who authorizes returns '
    r"(?P<how>manually|automatically)"
))
def individual_seller(world: World, seller_id: str, how: str) -> None:
    rows = [["authorization", "manual" if how == "manually" else "automatic"]]
    register(world, seller_id, "individual", phrases.settings_patch(rows, True), True)


@given(parsers.re(
    r'an? (?P<plan>professional|individual) seller "(?P<seller_id>[^"]+)" with settings:'
))
@phrases.takes_table(phrases.SELLER_SETTINGS_TABLE)
def seller_with_settings(
    world: World, plan: str, seller_id: str, datatable: Sequence[Sequence[object]]
) -> None:
    rows = phrases.table_rows(datatable, ("setting", "value"))
    register(world, seller_id, plan, phrases.settings_patch(rows, default_address=True), True)


@when(parsers.re(
    r'an? (?P<plan>professional|individual) seller "(?P<seller_id>[^"]+)" registers with settings:'
))
@phrases.takes_table(phrases.SELLER_SETTINGS_TABLE)
def seller_registers(
    world: World, plan: str, seller_id: str, datatable: Sequence[Sequence[object]]
) -> None:
    rows = phrases.table_rows(datatable, ("setting", "value"))
    register(world, seller_id, plan, phrases.settings_patch(rows, default_address=True), False)


@when(parsers.re(r'seller "(?P<seller_id>[^"]+)" changes its settings:'))
@phrases.takes_table(phrases.SELLER_SETTINGS_TABLE)
def seller_changes(world: World, seller_id: str, datatable: Sequence[Sequence[object]]) -> None:
    rows = phrases.table_rows(datatable, ("setting", "value"))
    patch = phrases.settings_patch(rows, default_address=False)
    world.seller_in_focus = seller_id
    seller = world.attempt(lambda: world.port.update_seller(seller_id, patch))
    if seller is not None:
        world.sellers[seller_id] = world.seller = seller


@then("the seller is registered")
def seller_registered(world: World) -> None:
    if world.seller is None:
        world.refusal()
        wrong("no seller was answered")


@then(parsers.re(r'seller "(?P<seller_id>[^"]+)" is not registered'))
def seller_not_registered(world: World, seller_id: str) -> None:
    # An empty update changes nothing; it only asks whether the seller exists.
    world.attempt(lambda: world.port.update_seller(seller_id, SettingsPatch()))
    check(f"asking for seller {seller_id!r}", _code(world), "unknown_seller")


@then("the seller's settings are:")
@phrases.takes_table(phrases.SELLER_EXPECTATIONS_TABLE)
def seller_settings_are(world: World, datatable: Sequence[Sequence[object]]) -> None:
    rows = phrases.table_rows(datatable, ("setting", "value"))
    if world.seller is None:
        world.refusal()
        wrong("no seller was answered")
    settings = world.seller.settings
    for name, expected in phrases.seller_settings_expectations(rows).items():
        actual: object = getattr(settings, name)
        if name == "return_addresses":
            actual = tuple(a.address_id for a in settings.return_addresses)
            for a in settings.return_addresses:
                check(f"saved address {a.address_id}", a, phrases.address(a.address_id))
        elif name == "return_window_days":
            actual = dict(settings.return_window_days)
        elif name == "exempt_skus" and actual is not None:
            actual = tuple(actual)  # type: ignore[arg-type]
        check(f"the seller's setting {name}", actual, expected)


@then(parsers.re(
    r'the seller\'s return window for "(?P<category>[^"]+)" is still (?P<n>\d+) days'
))
def seller_window_still(world: World, category: str, n: str) -> None:
    seller_id = world.seller_in_focus
    if seller_id is None:
        wrong("no seller has been named in this scenario")
    seller = world.require(
        f"reading seller {seller_id!r}",
        lambda: world.port.update_seller(seller_id, SettingsPatch()),
    )
    check(f"the seller's window for {category!r}",
          seller.settings.return_window_days.get(category), int(n))


def _code(world: World) -> str | None:
    return None if world.error is None else world.error.code.value


# --------------------------------------------------------------------------- orders


def place(world: World, order: Order, given: bool) -> None:
    def act() -> Order:
        return world.port.place_order(order)

    placed = (
        world.require(f"placing order {order.order_id!r}", act) if given else world.attempt(act)
    )
    if placed is not None:
        world.orders[placed.order_id] = placed
        world.current_order = placed.order_id


def _items(datatable: Sequence[Sequence[object]]) -> tuple[OrderItem, ...]:
    rows = phrases.table_rows(datatable, ("sku", "category", "quantity", "unit price"))
    return tuple(OrderItem(sku, cat, int(qty), float(price)) for sku, cat, qty, price in rows)


@given(parsers.re(
    r'order "(?P<order_id>[^"]+)" by buyer "(?P<buyer_id>[^"]+)" from seller '
    rf'"(?P<seller_id>[^"]+)", placed on (?P<placed>{DATE_TIME}) and delivered on '
    rf"(?P<delivered>{DATE_TIME}), with items:"
))
@phrases.takes_table(phrases.ITEMS_TABLE)
def order_with_items(
    world: World, order_id: str, buyer_id: str, seller_id: str, placed: str, delivered: str,
    datatable: Sequence[Sequence[object]],
) -> None:
    order = Order(
        order_id, seller_id, buyer_id, phrases.instant(placed, phrases.Anchors()),
        phrases.instant(delivered, phrases.Anchors()), _items(datatable),
    )
    place(world, order, given=True)


SHORT_ORDER = (
    r'order "(?P<order_id>[^"]+)" from seller "(?P<seller_id>[^"]+)" for (?P<quantity>\d+) '
    r'"(?P<sku>[^"]+)" in category "(?P<category>[^"]+)"'
)


@given(parsers.re(SHORT_ORDER + rf", delivered on (?P<delivered>{DATE_TIME})"))
def short_order(
    world: World, order_id: str, seller_id: str, quantity: str, sku: str, category: str,
    delivered: str,
) -> None:
    """An order placed three days before it was delivered, by buyer B1, at 10.00 an item."""
    delivered_at = phrases.instant(delivered, phrases.Anchors())
    order = Order(
        order_id, seller_id, "B1", delivered_at - 3 * 86_400, delivered_at,
        (OrderItem(sku, category, int(quantity), 10.0),),
    )
    place(world, order, given=True)


@when(parsers.re(
    r"the marketplace records " + SHORT_ORDER
    + rf", placed on (?P<placed>{DATE_TIME}) and delivered on (?P<delivered>{DATE_TIME})"
))
def record_order(
    world: World, order_id: str, seller_id: str, quantity: str, sku: str, category: str,
    placed: str, delivered: str,
) -> None:
    order = Order(
        order_id, seller_id, "B1", phrases.instant(placed, phrases.Anchors()),
        phrases.instant(delivered, phrases.Anchors()),
        (OrderItem(sku, category, int(quantity), 10.0),),
    )
    place(world, order, given=False)
