@settings
Feature: Seller settings, and "match or exceed"
  Sellers register with a plan (professional or individual) and settings. Every seller
  needs at least one return address; the first one is the default unless another is
  chosen. A seller's own return window must match or exceed the marketplace's for that
  category. Settings belong to a plan: individual sellers choose how every request is
  authorized; professional sellers choose for out-of-policy and exempt requests. A
  change of settings keeps what it does not mention.

  @C10 @case-settings-defaults
  Scenario: A professional seller registered with only an address gets the defaults
    When a professional seller "S1" registers with settings:
      | setting          | value    |
      | return addresses | WH1, WH2 |
    Then the seller's settings are:
      | setting                | value    |
      | return addresses       | WH1, WH2 |
      | default return address | WH1      |
      | email links            | off      |
      | out-of-policy requests | manual   |
      | exempt requests        | manual   |
      | exempt SKUs            | none     |
      | return windows         | none     |

  @C05 @C13 @case-settings-individual-defaults
  Scenario: An individual seller authorizes by hand unless they choose otherwise
    When an individual seller "S2" registers with settings:
      | setting          | value |
      | return addresses | WH1   |
    Then the seller's settings are:
      | setting                | value  |
      | authorization          | manual |
      | default return address | WH1    |
      | email links            | off    |

  @C04 @R01 @error-policy_less_generous @case-settings-less-generous
  Scenario Outline: A seller's own window must match or exceed the marketplace's: <category> <days> days
    Given the marketplace return window is 30 days
    And the marketplace return window for category "baby" is 90 days
    When a professional seller "S1" registers with settings:
      | setting                        | value       |
      | return window for "<category>" | <days> days |
    Then <result>

    Examples:
      | case                      | category | days | result                                    |
      | settings-less-generous-01 | toys     | 29   | it is refused with "policy_less_generous" |
      | settings-less-generous-02 | toys     | 30   | the seller is registered                  |
      | settings-less-generous-03 | baby     | 89   | it is refused with "policy_less_generous" |
      | settings-less-generous-04 | baby     | 90   | the seller is registered                  |
      | settings-less-generous-05 | baby     | 100  | the seller is registered                  |

  @C04 @error-policy_less_generous @case-settings-less-generous-details
  Scenario: The refusal says which category and by how much
    Given the marketplace return window for category "baby" is 90 days
    When an individual seller "S2" registers with settings:
      | setting                  | value   |
      | return window for "baby" | 60 days |
    Then it is refused with "policy_less_generous"
    And the refusal names category "baby", the seller's 60 days and the marketplace's 90 days
    And seller "S2" is not registered

  @C04 @error-policy_less_generous @case-settings-less-generous-update
  Scenario: A seller cannot shorten their window below the marketplace's later either
    Given a professional seller "S1" with settings:
      | setting                  | value   |
      | return window for "toys" | 45 days |
    When seller "S1" changes its settings:
      | setting                  | value   |
      | return window for "toys" | 20 days |
    Then it is refused with "policy_less_generous"
    And the seller's return window for "toys" is still 45 days

  @C10 @case-settings-merge
  Scenario: A change of settings keeps what it does not mention
    Given a professional seller "S1" with settings:
      | setting                | value     |
      | return addresses       | WH1, WH2  |
      | default return address | WH2       |
      | out-of-policy requests | automatic |
      | exempt SKUs            | LAMP-1    |
    When seller "S1" changes its settings:
      | setting     | value |
      | email links | on    |
    Then the seller's settings are:
      | setting                | value     |
      | return addresses       | WH1, WH2  |
      | default return address | WH2       |
      | email links            | on        |
      | out-of-policy requests | automatic |
      | exempt SKUs            | LAMP-1    |
      | exempt requests        | manual    |

  @C10 @case-settings-new-default
  Scenario: The default return address applies to automatic authorizations from then on
    Given a professional seller "S1" with settings:
      | setting          | value    |
      | return addresses | WH1, WH2 |
    And order "O1" from seller "S1" for 2 "TOY-1" in category "toys", delivered on 2026-03-05 at 10:00:00
    And the buyer requested return "R1" of 1 "TOY-1" from order "O1" 1 day after delivery, reason "CR-DEFECTIVE"
    When seller "S1" changes its settings:
      | setting                | value |
      | default return address | WH2   |
    And the buyer requests return "R2" of 1 "TOY-1" from order "O1" 2 days after delivery, reason "CR-DEFECTIVE"
    Then the return goes back to address "WH2"
    And return "R1" goes back to address "WH1"

  @C10 @error-missing_return_address @case-settings-no-address
  Scenario: A seller needs at least one return address
    When a professional seller "S1" registers with settings:
      | setting          | value |
      | return addresses | none  |
    Then it is refused with "missing_return_address"
    And seller "S1" is not registered

  @C10 @error-missing_return_address @case-settings-remove-addresses
  Scenario: A seller cannot remove all their return addresses
    Given a professional seller "S1"
    When seller "S1" changes its settings:
      | setting          | value |
      | return addresses | none  |
    Then it is refused with "missing_return_address"

  @C10 @error-unknown_address @case-settings-unknown-default
  Scenario: The default return address must be one of the seller's addresses
    When a professional seller "S1" registers with settings:
      | setting                | value    |
      | return addresses       | WH1, WH2 |
      | default return address | WH3      |
    Then it is refused with "unknown_address"

  @C05 @C13 @C14 @error-invalid_args @case-settings-wrong-plan
  Scenario Outline: A setting of the other plan is refused: <plan> seller with "<setting>"
    When <article> <plan> seller "S1" registers with settings:
      | setting   | value   |
      | <setting> | <value> |
    Then it is refused with "invalid_args"
    And the refusal names the field "settings.<field>"
    And seller "S1" is not registered

    Examples:
      | case                   | article | plan         | setting                | value     | field         |
      | settings-wrong-plan-01 | a       | professional | authorization          | automatic | authorization |
      | settings-wrong-plan-02 | an      | individual   | out-of-policy requests | automatic | out_of_policy |
      | settings-wrong-plan-03 | an      | individual   | exempt SKUs            | LAMP-1    | exempt_skus   |
      | settings-wrong-plan-04 | an      | individual   | exempt requests        | automatic | exempt_mode   |

  @error-duplicate_seller @case-settings-duplicate-seller
  Scenario: A seller id can be registered only once
    Given a professional seller "S1"
    When an individual seller "S1" registers with settings:
      | setting          | value |
      | return addresses | WH5   |
    Then it is refused with "duplicate_seller"

  @error-unknown_seller @case-settings-unknown-seller
  Scenario: Changing the settings of a seller who is not registered
    When seller "S404" changes its settings:
      | setting     | value |
      | email links | on    |
    Then it is refused with "unknown_seller"

  @C14 @R03 @case-settings-exempt-update
  Scenario: Exempt SKUs listed later apply to later requests
    Given a professional seller "S1"
    And order "O1" from seller "S1" for 2 "LAMP-1" in category "home", delivered on 2026-03-05 at 10:00:00
    And the buyer requested return "R1" of 1 "LAMP-1" from order "O1" 1 day after delivery, reason "CR-UNWANTED_ITEM"
    When seller "S1" changes its settings:
      | setting     | value  |
      | exempt SKUs | LAMP-1 |
    And the buyer requests return "R2" of 1 "LAMP-1" from order "O1" 2 days after delivery, reason "CR-UNWANTED_ITEM"
    Then the return is pending authorization
    And return "R1" is authorized automatically
