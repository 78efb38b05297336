@closing
Feature: Closing requests, and the transit allowance
  A request waiting for the seller can be closed (declined) at any time. Once
  authorized, a request stays open until its window closes plus the transit
  allowance (15 days by default), so the buyer has time to send the item back; only
  then can it be closed as not returned. A received return closes as completed. A
  closed request cannot be closed again.

  Background:
    Given a professional seller "S1"
    And order "O1" by buyer "B1" from seller "S1", placed on 2026-03-01 at 09:00:00 and delivered on 2026-03-05 at 10:00:00, with items:
      | sku   | category | quantity | unit price |
      | TOY-1 | toys     | 2        | 19.99      |
    And the buyer requested return "R1" of 1 "TOY-1" from order "O1" 10 days after delivery, reason "CR-DEFECTIVE"

  @C16 @R08 @case-close-eligible
  Scenario: An authorized request stays open until the window closes plus 15 days of transit
    Then the return window closes 30 days after delivery
    And the return stays open until 45 days after delivery

  @C16 @R08 @error-too_early @case-close-transit
  Scenario Outline: Closing an authorized request that was never sent back, <when>
    When the seller closes return "R1" <when>
    Then <result>

    Examples:
      | case             | when                                  | result                                |
      | close-transit-01 | 45 days minus 1 second after delivery | it is refused with "too_early"        |
      | close-transit-02 | 45 days after delivery                | return "R1" is closed as not returned |
      | close-transit-03 | 31 days after delivery                | it is refused with "too_early"        |
      | close-transit-04 | 60 days after delivery                | return "R1" is closed as not returned |

  @C16 @R08 @error-too_early @case-close-too-early-details
  Scenario: The refusal tells when the request can be closed
    When the seller closes return "R1" 20 days after delivery
    Then it is refused with "too_early"
    And the refusal says the return can be closed from 45 days after delivery
    And return "R1" is unchanged

  @C16 @R08 @case-close-transit-setting
  Scenario Outline: The marketplace sets the transit allowance: <days> days
    Given the transit allowance is <days> days
    When the buyer requests return "R2" of 1 "TOY-1" from order "O1" 10 days after delivery, reason "CR-DEFECTIVE"
    Then the return stays open until <open until>

    Examples:
      | case                     | days | open until             |
      | close-transit-setting-01 | 0    | 30 days after delivery |
      | close-transit-setting-02 | 20   | 50 days after delivery |

  @C05 @R08 @case-close-declined
  Scenario: A request waiting for the seller can be declined at any time
    Given an individual seller "S2" who authorizes returns manually
    And order "O2" from seller "S2" for 1 "MUG-1" in category "kitchen", delivered on 2026-03-05 at 10:00:00
    And the buyer requested return "R2" of 1 "MUG-1" from order "O2" 1 day after delivery, reason "CR-UNWANTED_ITEM"
    When the seller closes return "R2" 1 minute after the request
    Then return "R2" is closed as declined
    And the seller has no response deadline
    And these notifications are sent:
      | to    | about         |
      | buyer | return closed |
    And the buyer is told the return closed as declined

  @R08 @error-invalid_state @case-close-twice
  Scenario: A closed request cannot be closed again
    Given the seller closed return "R1" 45 days after delivery
    When the seller closes return "R1" 46 days after delivery
    Then it is refused with "invalid_state"
    And return "R1" is unchanged

  @R08 @error-invalid_time @case-close-backwards
  Scenario: A close dated before the request is refused
    When the seller closes return "R1" 9 days after delivery
    Then it is refused with "invalid_time"

  @R08 @error-unknown_return @case-close-unknown
  Scenario: Closing a return that does not exist
    When the seller closes return "R404" 50 days after delivery
    Then it is refused with "unknown_return"
