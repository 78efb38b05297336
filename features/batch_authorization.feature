@batch
Feature: Authorizing several requests at once
  A seller can authorize several pending requests in one go. Each is authorized as if
  authorized alone with no choices (Amazon RMA, Amazon unpaid label, default address).
  A request that cannot be authorized is reported on its own line and never stops the
  others.

  Background:
    Given an individual seller "S2" who authorizes returns manually
    And order "O1" by buyer "B1" from seller "S2", placed on 2026-03-01 at 09:00:00 and delivered on 2026-03-05 at 10:00:00, with items:
      | sku   | category | quantity | unit price |
      | TOY-1 | toys     | 5        | 19.99      |
    And the buyer requested return "R1" of 1 "TOY-1" from order "O1" 2 days after delivery, reason "CR-UNWANTED_ITEM"
    And the buyer requested return "R2" of 1 "TOY-1" from order "O1" 3 days after delivery, reason "CR-DEFECTIVE"
    And the buyer requested return "R3" of 1 "TOY-1" from order "O1" 4 days after delivery, reason "CR-UNWANTED_ITEM"

  @C11 @R06 @case-batch-all
  Scenario: Three pending requests authorized together
    When the seller authorizes returns "R1", "R2" and "R3" together 5 days after delivery
    Then the batch results are:
      | return | result     |
      | R1     | authorized |
      | R2     | authorized |
      | R3     | authorized |
    And return "R1" is authorized by the seller
    And return "R3" is authorized by the seller
    And the label is Amazon unpaid, paid by the customer
    And these notifications are sent:
      | to    | about             | return |
      | buyer | return authorized | R1     |
      | buyer | return authorized | R2     |
      | buyer | return authorized | R3     |

  @C11 @R06 @error-invalid_state @error-unknown_return @error-invalid_time @case-batch-failures
  Scenario: Failures are reported one by one and never stop the others
    Given the seller closed return "R2" 4 days after delivery
    And the buyer requested return "R4" of 1 "TOY-1" from order "O1" 6 days after delivery, reason "CR-UNWANTED_ITEM"
    When the seller authorizes returns "R1", "R2", "R404", "R4", "R3" and "R1" together 5 days after delivery
    Then the batch results are:
      | return | result                  |
      | R1     | authorized              |
      | R2     | refused: invalid_state  |
      | R404   | refused: unknown_return |
      | R4     | refused: invalid_time   |
      | R3     | authorized              |
      | R1     | refused: invalid_state  |
    And these notifications are sent:
      | to    | about             | return |
      | buyer | return authorized | R1     |
      | buyer | return authorized | R3     |
    And return "R3" is authorized by the seller
    And return "R4" is pending authorization

  @C11 @R06 @R07 @case-batch-rmas
  Scenario: Each request of a batch gets its own Amazon RMA and the default address
    When the seller authorizes returns "R1", "R2" and "R3" together 5 days after delivery
    Then returns "R1", "R2" and "R3" all have different Amazon RMAs
    And return "R2" goes back to address "WH1"

  @C11 @R06 @error-invalid_args @case-batch-empty
  Scenario: A batch must name at least one request
    When the seller authorizes an empty list of returns together 5 days after delivery
    Then it is refused with "invalid_args"
