"""Stateful rap/1 command streams: a Hypothesis rule-based state machine over both engines.

Each example starts with ``reset``; each rule sends one request to the reference and to the
implementation (through :class:`sim.difftest.pairing.Pair`) and the first difference fails the
example, which Hypothesis then shrinks to fewer commands and simpler values. Bundles hold what
the reference accepted (sellers, orders, returns, RMAs), so most requests are valid and reach
deep states; about one in ten carries one defect (an unknown id, a bad value, a malformed
envelope). The machine learns times, windows and statuses from the reference's answers and
aims at their edges: the closing second, the last second of a holiday's ``return_by``, the
end of transit, the last event of a return.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, ClassVar

from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    multiple,
    precondition,
    rule,
)

from sim.core.timefmt import parse_date, parse_timestamp
from sim.core.values import DAY, HOUR
from sim.difftest import strategies as s
from sim.difftest.pairing import Differs, ImplementationBroke, Pair


class Stats:
    """What a run did so far (for the progress line and the final report); ``progress`` is
    called with it and the seconds since the start, at most twice a second."""

    def __init__(self, progress: Callable[[Stats, float], None] | None = None) -> None:
        self.examples = 0
        self.commands = 0
        self.broken: list[ImplementationBroke] = []
        self.started = time.monotonic()
        self._progress = progress
        self._shown = 0.0
        self.first_difference_s: float | None = None
        """Seconds from the start to the first failing example (before shrinking)."""

    def new_example(self) -> None:
        self.examples += 1
        now = time.monotonic()
        if self._progress is not None and now - self._shown >= 0.5:
            self._shown = now
            self._progress(self, now - self.started)


def _ok(answer: dict[str, Any] | None) -> bool:
    return answer is not None and answer.get("ok") is True


class Streams(RuleBasedStateMachine):
    """The rap/1 ops as rules; ``pair`` and ``stats`` are set on a subclass per run."""

    pair: ClassVar[Pair]
    stats: ClassVar[Stats]

    sellers = Bundle("sellers")
    orders = Bundle("orders")
    returns = Bundle("returns")
    rmas = Bundle("rmas")

    def __init__(self) -> None:
        super().__init__()
        self.policy: dict[str, Any] = {}
        self.seller_info: dict[str, dict[str, Any]] = {}
        self.order_info: dict[str, dict[str, Any]] = {}
        self.records: dict[str, dict[str, Any]] = {}
        self.last: dict[str, int] = {}
        self.broken = False
        self.stats.new_example()
        try:
            self.pair.restart()
        except ImplementationBroke as exc:
            self._broke(exc)

    def teardown(self) -> None:
        """Wait for the implementation's last answers (a difference fails the example)."""
        try:
            self.pair.drain()
        except ImplementationBroke as exc:
            self._broke(exc)
        except Differs:
            if self.stats.first_difference_s is None:
                self.stats.first_difference_s = time.monotonic() - self.stats.started
            raise

    # ------------------------------------------------------------------ sending

    def _broke(self, exc: ImplementationBroke) -> None:
        self.stats.broken.append(exc)
        self.broken = True

    def _send(self, data: st.DataObject, op: str, args: dict[str, Any],
              defects: bool = True) -> dict[str, Any] | None:
        """Send (now and then with one defect); the reference's answer, or None when the
        implementation broke (the rest of the example is then skipped)."""
        if self.broken:
            return None
        self.pair.seq += 1
        request: dict[str, Any] = {"seq": self.pair.seq, "op": op, "args": args}
        if defects and data.draw(st.integers(0, 11), label="defect") == 0:
            request = s.malformed(data.draw, request)
        self.stats.commands += 1
        try:
            answer = self.pair.send_request(request)
        except ImplementationBroke as exc:
            self._broke(exc)
            return None
        if _ok(answer):
            self._learn(answer["result"])
        return answer

    def _learn(self, result: dict[str, Any]) -> None:
        records = [result.get("return")] + [i.get("return") for i in result.get("results", [])]
        for record in records:
            if isinstance(record, dict):
                self.records[record["return_id"]] = record

    def _seldom(self, data: st.DataObject, n: int = 10) -> bool:
        return data.draw(st.integers(0, n - 1), label="seldom") == 0

    def _at(self, data: st.DataObject, return_id: str) -> int:
        """An op's time on a return: at or after its last event, at its window's or transit's
        edges, and now and then one second before its last event."""
        last = self.last.get(return_id, s.T0)
        record = self.records.get(return_id)
        picks = [last, last, last + 1, last + HOUR, last + DAY, last + 40 * DAY, last - 1]
        if record is not None:
            eligible = parse_timestamp(record["close_eligible_at"])
            closes = parse_timestamp(record["window_closes_at"])
            picks += [t for t in (closes, eligible - 1, eligible) if t >= last]
        return int(s.pick(data, picks, "at"))

    def _moved(self, return_id: str, at: int, answer: dict[str, Any] | None) -> None:
        if _ok(answer):
            self.last[return_id] = max(self.last.get(return_id, at), at)

    # ------------------------------------------------------------------ a start

    @initialize(data=st.data())
    def first_policy(self, data: st.DataObject) -> None:
        """Every stream starts with a policy, a seller and an order (in an order Hypothesis
        picks), so requests come early and orders can fall in a holiday."""
        self.set_policy(data)

    @initialize(target=sellers, data=st.data())
    def first_seller(self, data: st.DataObject) -> Any:
        return self.register_seller(data)

    @initialize(target=orders, seller=sellers, data=st.data())
    def first_order(self, seller: str, data: st.DataObject) -> Any:
        return self.place_order(seller, data)

    # ------------------------------------------------------------------ policy and sellers

    @rule(data=st.data())
    def change_settings(self, data: st.DataObject) -> None:
        """A new policy, or a seller's new settings (one rule: they are cheap to reach, and
        the ops on returns deserve most of the steps)."""
        update = bool(self.seller_info) and data.draw(s.BOOLS, label="update seller")
        if update:
            seller = s.pick(data, sorted(self.seller_info), "seller")
            self.update_seller(seller, data)
        else:
            self.set_policy(data)

    def set_policy(self, data: st.DataObject) -> None:
        answer = self._send(data, "set_policy", {"policy": data.draw(s.POLICIES)})
        if _ok(answer):
            assert answer is not None
            self.policy = answer["result"]["policy"]

    @precondition(lambda self: len(self.seller_info) < 3)
    @rule(target=sellers, data=st.data())
    def register_seller(self, data: st.DataObject) -> Any:
        seller_id = data.draw(s.among(s.SELLERS), label="seller_id")
        plan = data.draw(s.among(("professional", "individual")), label="plan")
        settings = s.settings(data.draw, plan, self.policy, full=True)
        defect = data.draw(st.integers(0, 14), label="seller defect")
        if seller_id in self.seller_info or defect < 5:
            self._generous(settings)
        if seller_id not in self.seller_info:
            s.seller_defect(settings, plan, defect)
        answer = self._send(data, "register_seller",
                            {"seller_id": seller_id, "plan": plan, "settings": settings})
        if not _ok(answer):
            return multiple()
        assert answer is not None
        self.seller_info[seller_id] = answer["result"]["seller"]
        return seller_id

    def _generous(self, settings: dict[str, Any]) -> None:
        windows = settings.get("return_window_days")
        if windows:
            settings["return_window_days"] = {
                c: max(d, s.marketplace_window(self.policy, c)) for c, d in windows.items()}

    def update_seller(self, seller: str, data: st.DataObject) -> None:
        plan = self.seller_info[seller]["plan"]
        settings = s.settings(data.draw, plan, self.policy, full=False)
        args: dict[str, Any] = {"seller_id": seller, "settings": settings}
        defect = data.draw(st.integers(0, 14), label="update defect")
        if defect < 6:
            self._generous(settings)
        if defect == 0:
            args["seller_id"] = s.UNKNOWN
        elif defect == 1:
            settings["return_addresses"] = []
            settings.pop("default_return_address_id", None)
        elif defect == 2:
            settings["default_return_address_id"] = data.draw(
                s.among((*s.ADDRESS_IDS, "A9")))
            settings.pop("return_addresses", None)
        elif defect == 3:
            args["plan"] = plan
        elif defect == 4:
            settings["exempt_mode" if plan == "individual" else "authorization"] = "auto"
        answer = self._send(data, "update_seller", args)
        if _ok(answer):
            assert answer is not None
            self.seller_info[seller] = answer["result"]["seller"]

    # ------------------------------------------------------------------ orders and requests

    @precondition(lambda self: len(self.order_info) < 4)
    @rule(target=orders, seller=sellers, data=st.data())
    def place_order(self, seller: str, data: st.DataObject) -> Any:
        order_id = data.draw(s.among(s.ORDERS), label="order_id")
        days = list(range(-10, 13))
        holiday = self.policy.get("holiday")
        if holiday:  # the holiday's bounds, and the days just outside
            first = (parse_date(holiday["ordered_from"]) - s.DAY0).days
            last = (parse_date(holiday["ordered_to"]) - s.DAY0).days
            days = [first - 1, first, last, last + 1, *days]
        ordered = s.T0 + days[data.draw(st.integers(0, len(days) - 1), label="order day")] * DAY
        ordered += data.draw(s.SECOND_OF_DAY, label="order second")
        delivered = ordered + data.draw(s.among((0, 1, DAY, 3 * DAY)), label="delivery")
        its = data.draw(s.ITEMS, label="items")
        defect = data.draw(st.integers(0, 14), label="order defect")
        if order_id not in self.order_info:
            if defect == 0:
                seller = s.UNKNOWN
            elif defect == 1:
                delivered = ordered - 1
            elif defect == 2:
                its.append(dict(its[0]))
            elif defect == 3:
                its[0]["quantity"] = 0
            elif defect == 4:
                its[0]["unit_price"] = -1
            elif defect == 5:
                its = []
        args = {"order_id": order_id, "seller_id": seller, "buyer_id": "B1",
                "ordered_at": s.ts(ordered), "delivered_at": s.ts(delivered), "items": its}
        answer = self._send(data, "place_order", args)
        if not _ok(answer):
            return multiple()
        assert answer is not None
        self.order_info[order_id] = answer["result"]["order"]
        return order_id

    @rule(target=returns, order=orders, data=st.data())
    def request_another(self, order: str, data: st.DataObject) -> Any:
        """Requests weigh twice (a second rule), as they are what the policy is about."""
        return self.request_return(order, data)

    @rule(target=returns, order=orders, data=st.data())
    def request_return(self, order: str, data: st.DataObject) -> Any:
        info = self.order_info[order]
        item = s.pick(data, info["items"], "item")
        delivered = parse_timestamp(info["delivered_at"])
        seller = self.seller_info.get(info["seller_id"], {})
        windows = {s.marketplace_window(self.policy, item["category"]),
                   self.policy.get("default_window_days", 30),
                   seller.get("settings", {}).get("return_window_days", {}).get(
                       item["category"], 0)}
        picks = [delivered - 1, delivered, delivered + 1, delivered + DAY]
        picks += [delivered + w * DAY + e for w in sorted(windows) if w for e in (-1, 0, 1)]
        holiday = self.policy.get("holiday")
        if holiday:
            end = s.T0 + (parse_date(holiday["return_by"]) - s.DAY0).days * DAY + DAY - 1
            picks += [end - 1, end, end + 1]
        requested = s.pick(data, picks, "requested_at")
        quantity = s.pick(data, (1, 1, 2, item["quantity"], item["quantity"] + 1), "quantity")
        args: dict[str, Any] = {
            "return_id": data.draw(s.among(s.RETURNS), label="return_id"),
            "order_id": s.UNKNOWN if self._seldom(data, 15) else order,
            "sku": "K9" if self._seldom(data, 15) else item["sku"], "quantity": quantity,
            "reason": data.draw(s.among(s.REASONS), label="reason"),
            "requested_at": s.ts(requested),
        }
        if self._seldom(data, 4):
            args["comment"] = data.draw(s.among((None, "too small", s.ODD[4])))
        answer = self._send(data, "request_return", args)
        if not _ok(answer):
            return multiple()
        self.last[args["return_id"]] = requested
        return args["return_id"]

    # ------------------------------------------------------------------ decisions

    @rule(target=rmas, return_id=returns, data=st.data())
    def authorize_again(self, return_id: str, data: st.DataObject) -> Any:
        """Authorizations weigh twice too."""
        return self.authorize(return_id, data)

    @rule(target=rmas, return_id=returns, data=st.data())
    def authorize(self, return_id: str, data: st.DataObject) -> Any:
        waiting = sorted(r for r, rec in self.records.items()
                         if rec["status"] == "pending_authorization")
        if waiting and data.draw(st.integers(0, 3), label="a waiting one") != 0:
            return_id = waiting[data.draw(st.integers(0, len(waiting) - 1), label="which")]
        at = self._at(data, return_id)
        args: dict[str, Any] = {"return_id": return_id, "at": s.ts(at)}
        if self._seldom(data, 15):
            args["return_id"] = s.UNKNOWN
        seller = self.records.get(return_id, {}).get("seller_id")
        known = self._known_rmas()
        used = [n for s_id, n in known if s_id == seller] or [n for _, n in known]
        rma = data.draw(s.among(("none", "custom", "used", "bad", "none")), label="rma")
        if rma == "custom":
            args["rma"] = data.draw(s.among(s.CUSTOM_RMAS))
        elif rma == "bad":
            args["rma"] = data.draw(s.among(s.BAD_RMAS))
        elif rma == "used" and used:
            args["rma"] = s.pick(data, used, "used rma")
        label = data.draw(s.LABELS, label="label")
        if label is not None:
            args["label"] = label
        where = data.draw(s.among(("default", "default", "saved", "new")), label="addr")
        if where == "saved":
            args["return_address_id"] = data.draw(s.among((*s.ADDRESS_IDS, "A9")))
        elif where == "new":
            args["return_address"] = s.addresses(data.draw)
        pending = self.records.get(return_id, {}).get("status") == "pending_authorization"
        if pending and at >= self.last.get(return_id, at) and self._seldom(data, 8):
            args.update(s.pick(data, s.OPTION_DEFECTS, "option defect"))
            args.pop("rma", None)
        answer = self._send(data, "authorize", args)
        self._moved(return_id, at, answer)
        if not _ok(answer):
            return multiple()
        assert answer is not None
        record = answer["result"]["return"]
        return (record["seller_id"], record["rma"]["number"])

    @rule(data=st.data(), first=returns)
    def authorize_batch(self, first: str, data: st.DataObject) -> None:
        known = sorted(self.records)
        others = [*known, s.UNKNOWN]
        more = data.draw(st.integers(0, 3), label="batch size")
        ids = [first, *(s.pick(data, others, "batch id") for _ in range(more))]
        at = self._at(data, first)
        answer = self._send(data, "authorize_batch", {"return_ids": ids, "at": s.ts(at)})
        if _ok(answer):
            assert answer is not None
            for item in answer["result"]["results"]:
                if item["ok"]:
                    self.last[item["return_id"]] = at

    @rule(return_id=returns, data=st.data())
    def close(self, return_id: str, data: st.DataObject) -> None:
        at = self._at(data, return_id)
        rid = s.UNKNOWN if self._seldom(data, 15) else return_id
        self._moved(return_id, at, self._send(data, "close", {"return_id": rid, "at": s.ts(at)}))

    @rule(return_id=returns, data=st.data())
    def reply(self, return_id: str, data: st.DataObject) -> None:
        at = self._at(data, return_id)
        message = data.draw(s.texts, label="message")
        args = {"return_id": return_id, "at": s.ts(at), "message": message}
        self._moved(return_id, at, self._send(data, "reply", args))

    @rule(rma=rmas, seller=sellers, data=st.data())
    def receive(self, rma: tuple[str, str], seller: str, data: st.DataObject) -> None:
        owner, number = rma
        seller_id = owner if data.draw(st.integers(0, 3), label="other seller") else seller
        if self._seldom(data, 15):
            number = data.draw(s.among(("RMA-404", s.UNKNOWN)))
        return_id = next((r for r, rec in self.records.items()
                          if (rec.get("rma") or {}).get("number") == rma[1]), "")
        at = self._at(data, return_id)
        answer = self._send(data, "receive", {"seller_id": seller_id, "rma": number,
                                              "at": s.ts(at)})
        self._moved(return_id, at, answer)

    @precondition(lambda self: any(r.get("rma") for r in self.records.values()))
    @rule(seller=sellers, data=st.data())
    def receive_any(self, seller: str, data: st.DataObject) -> None:
        """Receive by any RMA in use (automatic authorizations' too), now and then by another
        seller."""
        known = self._known_rmas()
        if known:
            self.receive(s.pick(data, known, "rma"), seller, data)

    def _known_rmas(self) -> list[tuple[str, str]]:
        return [(r["seller_id"], r["rma"]["number"]) for r in self.records.values()
                if r.get("rma")]

    @rule(return_id=returns, data=st.data())
    def get_return(self, return_id: str, data: st.DataObject) -> None:
        """A look-up; now and then ``hello`` instead."""
        if self._seldom(data, 8):
            self._send(data, "hello", {}, defects=False)
            return
        rid = s.UNKNOWN if self._seldom(data, 8) else return_id
        self._send(data, "get_return", {"return_id": rid})
