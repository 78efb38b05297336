@receiving
Feature: Receiving returns by the RMA on the packing slip
  The buyer puts the packing slip, which carries the RMA, in the package. When the
  package arrives, the seller finds the return by that RMA. Only an authorized return
  can be received; a received return then closes as completed.

  Background:
    Given a professional seller "S1"
    And order "O1" by buyer "B1" from seller "S1", placed on 2026-03-01 at 09:00:00 and delivered on 2026-03-05 at 10:00:00, with items:
      | sku   | category | quantity | unit price |
      | TOY-1 | toys     | 2        | 19.99      |
    And the buyer requested return "R1" of 1 "TOY-1" from order "O1" 10 days after delivery, reason "CR-DEFECTIVE"

  @C08 @R09 @case-receive-amazon-rma
  Scenario: The package with an Amazon RMA arrives
    When seller "S1" receives the package for return "R1" 14 days after delivery
    Then the return is received
    And the return was received 14 days after delivery

  @C06 @C08 @R09 @case-receive-own-rma
  Scenario: The package with the seller's own RMA arrives
    Given an individual seller "S2" who authorizes returns manually
    And order "O2" from seller "S2" for 1 "MUG-1" in category "kitchen", delivered on 2026-03-05 at 10:00:00
    And the buyer requested return "R2" of 1 "MUG-1" from order "O2" 1 day after delivery, reason "CR-UNWANTED_ITEM"
    And the seller authorized return "R2" 1 hour after the request with:
      | choice | value       |
      | RMA    | MUG-RET-001 |
    When seller "S2" receives a package with RMA "MUG-RET-001" 5 days after delivery
    Then return "R2" is received

  @C08 @R08 @R09 @case-receive-then-complete
  Scenario: A received return closes as completed, even before the transit allowance ends
    Given seller "S1" received the package for return "R1" 14 days after delivery
    When the seller closes return "R1" 15 days after delivery
    Then return "R1" is closed as completed
    And the buyer is told the return closed as completed

  @C08 @R09 @error-unknown_rma @case-receive-unknown-rma
  Scenario: A package whose RMA matches none of the seller's returns
    When seller "S1" receives a package with RMA "DXXXXXXXRRMA" 14 days after delivery
    Then it is refused with "unknown_rma"

  @C08 @R09 @error-unknown_rma @case-receive-other-seller
  Scenario: A seller cannot receive a package that belongs to another seller's return
    Given a professional seller "S9"
    When seller "S9" receives the package for return "R1" 14 days after delivery
    Then it is refused with "unknown_rma"
    And return "R1" is unchanged

  @C08 @R09 @error-invalid_state @case-receive-twice
  Scenario: The same package cannot be received twice
    Given seller "S1" received the package for return "R1" 14 days after delivery
    When seller "S1" receives the package for return "R1" 15 days after delivery
    Then it is refused with "invalid_state"
    And return "R1" is unchanged

  @C08 @R09 @error-invalid_state @case-receive-closed
  Scenario: A closed return cannot be received
    Given the seller closed return "R1" 45 days after delivery
    When seller "S1" receives the package for return "R1" 46 days after delivery
    Then it is refused with "invalid_state"

  @C08 @R09 @error-invalid_time @case-receive-backwards
  Scenario: A package cannot arrive before the return was authorized
    When seller "S1" receives the package for return "R1" 9 days after delivery
    Then it is refused with "invalid_time"
    And return "R1" is unchanged

  @C08 @R09 @error-unknown_seller @case-receive-unknown-seller
  Scenario: A package for a seller who is not registered
    When seller "S404" receives a package with RMA "DXXXXXXXRRMA" 14 days after delivery
    Then it is refused with "unknown_seller"
