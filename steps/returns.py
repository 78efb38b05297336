"""Steps of the return's life: the buyer's request, and what the seller does with it."""

from __future__ import annotations

from collections.abc import Sequence

from pytest_bdd import given, parsers, when

from sim.conformance.steps import phrases
from sim.conformance.steps.world import World, wrong
from sim.core.values import Address, Authorization, LabelChoice, Outcome, ReturnRequest

REQUEST = (
    rf'the buyer (?P<tense>requests|requested) return "(?P<return_id>[^"]+)" of (?P<quantity>\d+) '
    rf'"(?P<sku>[^"]+)" from order "(?P<order_id>[^"]+)" (?P<when>{phrases.TIME}), '
    r'reason "(?P<reason>[^"]+)"'
)


def request_return(
    world: World, return_id: str, quantity: str, sku: str, order_id: str, when: str,
    reason: str, comment: str | None = None, *, given: bool,
) -> None:
    at = world.time(when, order_id=order_id)
    request = ReturnRequest(return_id, order_id, sku, int(quantity), reason, at, comment)

    def act() -> Outcome:
        return world.port.request_return(request)

    outcome = (
        world.require(f"requesting return {return_id!r}", act, at)
        if given else world.attempt(act, at)
    )
    if outcome is not None:
        world.took(outcome)


@given(parsers.re(REQUEST))
@when(parsers.re(REQUEST))
def buyer_requests(
    world: World, tense: str, return_id: str, quantity: str, sku: str, order_id: str,
    when: str, reason: str,
) -> None:
    request_return(world, return_id, quantity, sku, order_id, when, reason,
                   given=tense == "requested")


@when(parsers.re(REQUEST + r', commenting "(?P<comment>[^"]*)"'))
def buyer_requests_with_comment(
    world: World, tense: str, return_id: str, quantity: str, sku: str, order_id: str,
    when: str, reason: str, comment: str,
) -> None:
    request_return(world, return_id, quantity, sku, order_id, when, reason, comment,
                   given=tense == "requested")


# --------------------------------------------------------------------------- authorize

AUTHORIZATION_TABLE = phrases.TableSpec(
    ("choice", "value"),
    ("RMA", "label", "carrier", "tracking id", "return address", "new return address"),
)

AUTHORIZE = (
    r'the seller (?P<tense>authorizes|authorized) return "(?P<return_id>[^"]+)" '
    rf"(?P<when>{phrases.TIME})"
)


def authorize(
    world: World, return_id: str, when: str, *, given: bool, rma: str | None = None,
    label: LabelChoice | None = None, address_id: str | None = None,
    new_address: Address | None = None,
) -> None:
    at = world.time(when, return_id=return_id)

    def act() -> Outcome:
        return world.port.authorize(
            Authorization(return_id, at, rma, label, address_id, new_address)
        )

    outcome = (
        world.require(f"authorizing return {return_id!r}", act, at)
        if given else world.attempt(act, at)
    )
    if outcome is not None:
        world.took(outcome)
    else:
        world.current_return = return_id if return_id in world.returns else None


@given(parsers.re(AUTHORIZE))
@when(parsers.re(AUTHORIZE))
def seller_authorizes(world: World, tense: str, return_id: str, when: str) -> None:
    authorize(world, return_id, when, given=tense == "authorized")


@given(parsers.re(AUTHORIZE + " with:"))
@when(parsers.re(AUTHORIZE + " with:"))
@phrases.takes_table(AUTHORIZATION_TABLE)
def seller_authorizes_with(
    world: World, tense: str, return_id: str, when: str, datatable: Sequence[Sequence[object]]
) -> None:
    rows = phrases.table_rows(datatable, AUTHORIZATION_TABLE.header)
    choices = dict(rows)
    unknown = sorted(set(choices) - set(AUTHORIZATION_TABLE.keys))
    if unknown:
        raise phrases.PhraseError(
            f"unknown authorization choice {unknown[0]!r}", unknown=unknown[0],
            known=AUTHORIZATION_TABLE.keys, what="authorization choice",
        )
    label = None
    if "label" in choices:
        label = LabelChoice(
            phrases.label_type(choices["label"]), choices.get("carrier"),
            choices.get("tracking id"),
        )
    new_address = choices.get("new return address")
    authorize(
        world, return_id, when, given=tense == "authorized", rma=choices.get("RMA"),
        label=label, address_id=choices.get("return address"),
        new_address=phrases.address(new_address) if new_address else None,
    )


@when(parsers.re(AUTHORIZE + r', reusing the RMA of return "(?P<other>[^"]+)"'))
def seller_reuses_rma(world: World, tense: str, return_id: str, when: str, other: str) -> None:
    record = world.returns.get(other)
    if record is None or record.rma is None:
        wrong(f"return {other!r} has no RMA to reuse")
    authorize(world, return_id, when, given=tense == "authorized", rma=record.rma.number)


@when(parsers.re(
    rf"the seller authorizes returns (?P<ids>.+) together (?P<when>{phrases.TIME})"
))
def seller_authorizes_batch(world: World, ids: str, when: str) -> None:
    return_ids = phrases.names(ids)
    at = world.time(when, return_id=return_ids[0])
    answer = world.attempt(lambda: world.port.authorize_batch(return_ids, at), at)
    if answer is not None:
        world.batch = answer
        world.notifications = answer.notifications
        for item in answer.results:
            if item.return_ is not None:
                world.saw(item.return_)


@when(parsers.re(
    rf"the seller authorizes an empty list of returns together (?P<when>{phrases.TIME})"
))
def seller_authorizes_empty_batch(world: World, when: str) -> None:
    at = world.time(when)
    answer = world.attempt(lambda: world.port.authorize_batch((), at), at)
    if answer is not None:
        world.batch = answer


# --------------------------------------------------------------------------- close, reply


CLOSE = (
    r'the seller (?P<tense>closes|closed) return "(?P<return_id>[^"]+)" '
    rf"(?P<when>{phrases.TIME})"
)


@given(parsers.re(CLOSE))
@when(parsers.re(CLOSE))
def seller_closes(world: World, tense: str, return_id: str, when: str) -> None:
    at = world.time(when, return_id=return_id)

    def act() -> Outcome:
        return world.port.close(return_id, at)

    outcome = (
        world.require(f"closing return {return_id!r}", act, at)
        if tense == "closed" else world.attempt(act, at)
    )
    if outcome is not None:
        world.took(outcome)


@when(parsers.re(
    r'the seller replies to return "(?P<return_id>[^"]+)" '
    rf'(?P<when>{phrases.TIME}): "(?P<message>[^"]*)"'
))
def seller_replies(world: World, return_id: str, when: str, message: str) -> None:
    at = world.time(when, return_id=return_id)
    outcome = world.attempt(lambda: world.port.reply(return_id, at, message), at)
    if outcome is not None:
        world.took(outcome)


# --------------------------------------------------------------------------- receive


def receive(world: World, seller_id: str, rma: str, at: int, given: bool) -> None:
    def act() -> object:
        return world.port.receive(seller_id, rma, at)

    record = (
        world.require(f"receiving RMA {rma!r}", act, at) if given else world.attempt(act, at)
    )
    if record is not None:
        world.saw(record)  # type: ignore[arg-type]


RECEIVE_FOR = (
    r'seller "(?P<seller_id>[^"]+)" (?P<tense>receives|received) the package for return '
    rf'"(?P<return_id>[^"]+)" (?P<when>{phrases.TIME})'
)


@given(parsers.re(RECEIVE_FOR))
@when(parsers.re(RECEIVE_FOR))
def seller_receives_package_of(
    world: World, seller_id: str, tense: str, return_id: str, when: str
) -> None:
    record = world.returns.get(return_id)
    if record is None or record.rma is None:
        wrong(f"return {return_id!r} has no RMA to put on the packing slip")
    at = world.time(when, return_id=return_id)
    receive(world, seller_id, record.rma.number, at, given=tense == "received")


@when(parsers.re(
    r'seller "(?P<seller_id>[^"]+)" receives a package with RMA "(?P<rma>[^"]+)" '
    rf"(?P<when>{phrases.TIME})"
))
def seller_receives_rma(world: World, seller_id: str, rma: str, when: str) -> None:
    receive(world, seller_id, rma, world.time(when), given=False)

