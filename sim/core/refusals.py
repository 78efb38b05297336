"""What each of the engine's refusals says: the code, a message for people (values spelled as
JSON, times as rap/1 writes them) and the details for programs.

Kept apart from the state machine so the engine reads as its rules; the texts are part of the
contract's examples (docs/protocol.md), so they change only on purpose.
"""

from __future__ import annotations

from sim.core.errors import EngineError, ErrorCode, show_value
from sim.core.timefmt import format_timestamp as format_instant
from sim.core.values import Instant, Order, OrderItem, ReturnRecord, ReturnRequest, Seller


def duplicate_seller(seller_id: str) -> EngineError:
    return EngineError(
        ErrorCode.DUPLICATE_SELLER,
        f"seller {show_value(seller_id)} is already registered",
        {"seller_id": seller_id},
    )


def duplicate_order(order: Order) -> EngineError:
    return EngineError(
        ErrorCode.DUPLICATE_ORDER,
        f"order {show_value(order.order_id)} already exists",
        {"order_id": order.order_id},
    )


def delivered_before_ordered(order: Order) -> EngineError:
    return EngineError(
        ErrorCode.INVALID_TIME,
        f"delivered_at {format_instant(order.delivered_at)} is before ordered_at "
        f"{format_instant(order.ordered_at)}",
        {"field": "delivered_at", "value": format_instant(order.delivered_at)},
    )


def duplicate_return(request: ReturnRequest) -> EngineError:
    return EngineError(
        ErrorCode.DUPLICATE_RETURN,
        f"return {show_value(request.return_id)} already exists",
        {"return_id": request.return_id},
    )


def unknown_order(request: ReturnRequest) -> EngineError:
    return EngineError(
        ErrorCode.UNKNOWN_ORDER,
        f"no order {show_value(request.order_id)}",
        {"order_id": request.order_id},
    )


def unknown_sku(order: Order, request: ReturnRequest) -> EngineError:
    return EngineError(
        ErrorCode.UNKNOWN_SKU,
        f"order {show_value(order.order_id)} has no sku {show_value(request.sku)}",
        {"order_id": order.order_id, "sku": request.sku},
    )


def not_delivered(order: Order, request: ReturnRequest) -> EngineError:
    return EngineError(
        ErrorCode.NOT_DELIVERED,
        f"requested_at {format_instant(request.requested_at)} is before delivery at "
        f"{format_instant(order.delivered_at)}",
        {"delivered_at": format_instant(order.delivered_at)},
    )


def quantity_exceeds(item: OrderItem, request: ReturnRequest, claimed: int) -> EngineError:
    return EngineError(
        ErrorCode.QUANTITY_EXCEEDS_ORDER,
        f"quantity {request.quantity} plus {claimed} already requested exceeds the "
        f"{item.quantity} ordered of {show_value(request.sku)}",
        {"ordered": item.quantity, "already_requested": claimed,
         "requested": request.quantity},
    )


def unknown_address(seller: Seller, return_address_id: str) -> EngineError:
    return EngineError(
        ErrorCode.UNKNOWN_ADDRESS,
        f"return_address_id: seller {show_value(seller.seller_id)} has no address "
        f"{show_value(return_address_id)}",
        {"return_address_id": return_address_id},
    )


def too_early(return_id: str, eligible: str) -> EngineError:
    return EngineError(
        ErrorCode.TOO_EARLY,
        f"return {show_value(return_id)} stays open until {eligible} "
        "(window plus transit)",
        {"close_eligible_at": eligible},
    )


def unknown_rma(seller_id: str, rma: str) -> EngineError:
    return EngineError(
        ErrorCode.UNKNOWN_RMA,
        f"seller {show_value(seller_id)} has no return with rma {show_value(rma)}",
        {"seller_id": seller_id, "rma": rma},
    )


def unknown_return(return_id: str) -> EngineError:
    return EngineError(
        ErrorCode.UNKNOWN_RETURN, f"no return {show_value(return_id)}",
        {"return_id": return_id},
    )


def unknown_seller(seller_id: str) -> EngineError:
    return EngineError(
        ErrorCode.UNKNOWN_SELLER, f"no seller {show_value(seller_id)}",
        {"seller_id": seller_id},
    )


def before_last_event(at: Instant, last: Instant) -> EngineError:
    return EngineError(
        ErrorCode.INVALID_TIME,
        f"at {format_instant(at)} is before the return's last event at "
        f"{format_instant(last)}",
        {"at": format_instant(at), "last_event_at": format_instant(last)},
    )


def invalid_state(return_id: str, record: ReturnRecord, op: str) -> EngineError:
    return EngineError(
        ErrorCode.INVALID_STATE,
        f"cannot {op} return {show_value(return_id)}: it is {record.status.value}",
        {"return_id": return_id, "status": record.status.value},
    )
