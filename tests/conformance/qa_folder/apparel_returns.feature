@apparel
Feature: Apparel returns (a QA team's own scenarios)
  Written in a folder of their own with the packaged phrases, and run with
  `returns-sim conform --features tests/conformance/qa_folder`.

  Background:
    Given a professional seller "S1"
    And order "O1" from seller "S1" for 2 "SHIRT-M" in category "apparel", delivered on 2026-03-05 at 10:00:00

  @C03 @case-qa-apparel-in-policy
  Scenario: A shirt returned in time is authorized at once
    When the buyer requests return "R1" of 1 "SHIRT-M" from order "O1" 10 days after delivery, reason "CR-DEFECTIVE"
    Then the request is in policy
    And the return is authorized automatically
    And the label is Amazon prepaid, paid by the seller

  @C04 @case-qa-apparel-window
  Scenario Outline: The 30-day window for apparel: <when>
    When the buyer requests return "R1" of 1 "SHIRT-M" from order "O1" <when>, reason "CR-DEFECTIVE"
    Then the request is <standing>

    Examples:
      | case              | when                                | standing                     |
      | qa-apparel-window-01 | 30 days after delivery              | in policy                    |
      | qa-apparel-window-02 | 30 days and 1 second after delivery | out of policy: window expired |
