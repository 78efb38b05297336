@requests
Feature: Return requests: orders, delivery and quantities
  A buyer can only return what was delivered, from an order that exists, and no more
  than was ordered: the quantities of an item's returns, except those the seller
  declined, may not add up to more than the order's quantity.

  Background:
    Given a professional seller "S1"
    And order "O1" by buyer "B1" from seller "S1", placed on 2026-03-01 at 09:00:00 and delivered on 2026-03-05 at 10:00:00, with items:
      | sku    | category | quantity | unit price |
      | TOY-1  | toys     | 3        | 19.99      |
      | BOOK-1 | books    | 1        | 12.00      |

  @R10 @error-quantity_exceeds_order @case-qty
  Scenario Outline: Returning <first> then <second> of 3 toys
    Given the buyer requested return "R1" of <first> "TOY-1" from order "O1" 1 day after delivery, reason "CR-UNWANTED_ITEM"
    When the buyer requests return "R2" of <second> "TOY-1" from order "O1" 2 days after delivery, reason "CR-UNWANTED_ITEM"
    Then <result>

    Examples:
      | case   | first | second | result                                      |
      | qty-01 | 1     | 2      | the return is authorized automatically      |
      | qty-02 | 2     | 2      | it is refused with "quantity_exceeds_order" |
      | qty-03 | 3     | 1      | it is refused with "quantity_exceeds_order" |

  @R10 @error-quantity_exceeds_order @case-qty-details
  Scenario: The refusal counts what was ordered, what earlier requests hold and what is asked
    Given the buyer requested return "R1" of 2 "TOY-1" from order "O1" 1 day after delivery, reason "CR-UNWANTED_ITEM"
    When the buyer requests return "R2" of 2 "TOY-1" from order "O1" 2 days after delivery, reason "CR-UNWANTED_ITEM"
    Then it is refused with "quantity_exceeds_order"
    And the refusal details are:
      | field             | value |
      | ordered           | 3     |
      | already_requested | 2     |
      | requested         | 2     |

  @R10 @error-quantity_exceeds_order @case-qty-single
  Scenario: One request for more than was ordered
    When the buyer requests return "R1" of 4 "TOY-1" from order "O1" 1 day after delivery, reason "CR-UNWANTED_ITEM"
    Then it is refused with "quantity_exceeds_order"
    And return "R1" does not exist

  @C05 @R10 @case-qty-declined
  Scenario: A declined request frees its quantity; others still count, whatever their state
    Given an individual seller "S2" who authorizes returns manually
    And order "O2" from seller "S2" for 2 "MUG-1" in category "kitchen", delivered on 2026-03-05 at 10:00:00
    And the buyer requested return "R1" of 1 "MUG-1" from order "O2" 1 day after delivery, reason "CR-UNWANTED_ITEM"
    And the buyer requested return "R2" of 1 "MUG-1" from order "O2" 1 day after delivery, reason "CR-UNWANTED_ITEM"
    And the seller closed return "R1" 2 days after delivery
    When the buyer requests return "R3" of 1 "MUG-1" from order "O2" 3 days after delivery, reason "CR-UNWANTED_ITEM"
    Then the return is pending authorization
    When the buyer requests return "R4" of 1 "MUG-1" from order "O2" 3 days after delivery, reason "CR-UNWANTED_ITEM"
    Then it is refused with "quantity_exceeds_order"

  @R10 @case-qty-not-returned-counts
  Scenario: A return closed as not returned still counts
    Given the buyer requested return "R1" of 3 "TOY-1" from order "O1" 1 day after delivery, reason "CR-UNWANTED_ITEM"
    And the seller closed return "R1" 50 days after delivery
    When the buyer requests return "R2" of 1 "TOY-1" from order "O1" 51 days after delivery, reason "CR-UNWANTED_ITEM"
    Then it is refused with "quantity_exceeds_order"

  @R10 @error-not_delivered @case-not-delivered
  Scenario Outline: A request before delivery is refused: <when>
    When the buyer requests return "R1" of 1 "BOOK-1" from order "O1" <when>, reason "CR-UNWANTED_ITEM"
    Then <result>

    Examples:
      | case             | when                     | result                                 |
      | not-delivered-01 | 1 second before delivery | it is refused with "not_delivered"     |
      | not-delivered-02 | 0 seconds after delivery | the return is authorized automatically |

  @error-unknown_order @case-request-unknown-order
  Scenario: A request for an order that does not exist
    When the buyer requests return "R1" of 1 "TOY-1" from order "O404" on 2026-03-10 at 10:00:00, reason "CR-UNWANTED_ITEM"
    Then it is refused with "unknown_order"

  @error-unknown_sku @case-request-unknown-sku
  Scenario: A request for an item that is not in the order
    When the buyer requests return "R1" of 1 "LAMP-1" from order "O1" 2 days after delivery, reason "CR-UNWANTED_ITEM"
    Then it is refused with "unknown_sku"

  @error-duplicate_return @case-request-duplicate-return
  Scenario: A return id can be used only once
    Given the buyer requested return "R1" of 1 "TOY-1" from order "O1" 1 day after delivery, reason "CR-UNWANTED_ITEM"
    When the buyer requests return "R1" of 1 "BOOK-1" from order "O1" 2 days after delivery, reason "CR-UNWANTED_ITEM"
    Then it is refused with "duplicate_return"
    And return "R1" is unchanged

  @case-request-comment
  Scenario: A buyer may add a comment to the request
    When the buyer requests return "R1" of 1 "BOOK-1" from order "O1" 2 days after delivery, reason "AMZ-PG-BAD-DESC", commenting "The cover is not the one in the picture"
    Then the return is authorized automatically
    And the label is Amazon prepaid, paid by the seller

  @error-duplicate_order @case-order-duplicate
  Scenario: An order id can be used only once
    When the marketplace records order "O1" from seller "S1" for 1 "PEN-1" in category "office", placed on 2026-03-02 at 09:00:00 and delivered on 2026-03-06 at 10:00:00
    Then it is refused with "duplicate_order"

  @error-unknown_seller @case-order-unknown-seller
  Scenario: An order for a seller who is not registered
    When the marketplace records order "O2" from seller "S404" for 1 "PEN-1" in category "office", placed on 2026-03-02 at 09:00:00 and delivered on 2026-03-06 at 10:00:00
    Then it is refused with "unknown_seller"

  @error-invalid_time @case-order-delivered-before-placed
  Scenario: An order cannot be delivered before it was placed
    When the marketplace records order "O2" from seller "S1" for 1 "PEN-1" in category "office", placed on 2026-03-06 at 09:00:00 and delivered on 2026-03-02 at 10:00:00
    Then it is refused with "invalid_time"
