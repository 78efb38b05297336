@apparel
Feature: Apparel settings (scenarios with mistakes in them)

  @C03 @case-qa-apparel-typo
  Scenario: A mistyped phrase
    Given a profesional seller "S1"
    And order "O1" from seller "S1" for 1 "SHIRT-M" in category "apparel", delivered on 2026-03-05 at 10:00:00
    When the buyer requests return "R1" of 1 "SHIRT-M" from order "O1" 3 days after delivery, reason "CR-DEFECTIVE"
    Then the return is authorized automatically

  @C10 @case-qa-apparel-bad-key
  Scenario: A mistyped setting
    Given a professional seller "S1" with settings:
      | setting     | value |
      | emial links | on    |
    Then the seller is registered
