@apparel
Feature: Apparel labels (a scenario that expects the wrong label)

  @C03 @case-qa-apparel-wrong-label
  Scenario: The QA engineer expects the unpaid label for an in-policy return
    Given a professional seller "S1"
    And order "O1" from seller "S1" for 1 "SHIRT-M" in category "apparel", delivered on 2026-03-05 at 10:00:00
    When the buyer requests return "R1" of 1 "SHIRT-M" from order "O1" 3 days after delivery, reason "CR-DEFECTIVE"
    Then the label is Amazon unpaid, paid by the customer
    And the return is authorized automatically
    And the request is in policy
