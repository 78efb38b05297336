@decisions
Feature: Authorization decisions
  When a buyer asks to return an item, the marketplace decides at once: either it
  authorizes the return itself (with a label and an RMA), or the request waits for
  the seller. What decides is the seller's plan, whether the request is within the
  return policy, whether the item is exempt from prepaid labels, and the seller's
  settings. In-policy returns of professional sellers get an Amazon prepaid label;
  every other automatic authorization gets Amazon's unpaid label.

  Background:
    Given category "handmade" is exempt from prepaid labels
    And category "gift cards" is not returnable

  @C03 @C05 @C13 @C14 @R02 @R03 @R04 @R07 @case-dec-pro
  Scenario Outline: Professional seller, <request>, out-of-policy requests <out of policy>, exempt requests <exempt>
    Given a professional seller "S1" with settings:
      | setting                | value           |
      | out-of-policy requests | <out of policy> |
      | exempt requests        | <exempt>        |
      | exempt SKUs            | LAMP-1          |
    And order "O1" by buyer "B1" from seller "S1", placed on 2026-03-01 at 09:00:00 and delivered on 2026-03-05 at 10:00:00, with items:
      | sku    | category   | quantity | unit price |
      | TOY-1  | toys       | 1        | 19.99      |
      | LAMP-1 | home       | 1        | 35.00      |
      | VASE-1 | handmade   | 1        | 80.00      |
      | GIFT-1 | gift cards | 1        | 25.00      |
    When the buyer requests return "R1" of 1 "<sku>" from order "O1" <when>, reason "CR-UNWANTED_ITEM"
    Then the request is <policy>
    And the return is <outcome>
    And the label is <label>

    Examples:
      | case       | request                         | sku    | when                   | out of policy | exempt    | policy                                        | outcome                  | label                                |
      | dec-pro-01 | in policy, regular item         | TOY-1  | 10 days after delivery | manual        | manual    | in policy                                     | authorized automatically | Amazon prepaid, paid by the customer |
      | dec-pro-02 | in policy, regular item         | TOY-1  | 10 days after delivery | automatic     | automatic | in policy                                     | authorized automatically | Amazon prepaid, paid by the customer |
      | dec-pro-03 | in policy, SKU listed as exempt | LAMP-1 | 10 days after delivery | automatic     | manual    | in policy                                     | pending authorization    | none                                 |
      | dec-pro-04 | in policy, SKU listed as exempt | LAMP-1 | 10 days after delivery | manual        | automatic | in policy                                     | authorized automatically | Amazon unpaid, paid by the customer  |
      | dec-pro-05 | in policy, exempt category      | VASE-1 | 10 days after delivery | automatic     | manual    | in policy                                     | pending authorization    | none                                 |
      | dec-pro-06 | in policy, exempt category      | VASE-1 | 10 days after delivery | manual        | automatic | in policy                                     | authorized automatically | Amazon unpaid, paid by the customer  |
      | dec-pro-07 | window expired                  | TOY-1  | 31 days after delivery | manual        | automatic | out of policy: window expired                 | pending authorization    | none                                 |
      | dec-pro-08 | window expired                  | TOY-1  | 31 days after delivery | automatic     | manual    | out of policy: window expired                 | authorized automatically | Amazon unpaid, paid by the customer  |
      | dec-pro-09 | non-returnable category         | GIFT-1 | 10 days after delivery | manual        | automatic | out of policy: not returnable                 | pending authorization    | none                                 |
      | dec-pro-10 | non-returnable category         | GIFT-1 | 10 days after delivery | automatic     | manual    | out of policy: not returnable                 | authorized automatically | Amazon unpaid, paid by the customer  |
      | dec-pro-11 | exempt SKU, window expired      | LAMP-1 | 40 days after delivery | manual        | automatic | out of policy: window expired                 | pending authorization    | none                                 |
      | dec-pro-12 | exempt SKU, window expired      | LAMP-1 | 40 days after delivery | automatic     | manual    | out of policy: window expired                 | authorized automatically | Amazon unpaid, paid by the customer  |
      | dec-pro-13 | late and non-returnable         | GIFT-1 | 45 days after delivery | automatic     | automatic | out of policy: window expired, not returnable | authorized automatically | Amazon unpaid, paid by the customer  |

  @C05 @C13 @R02 @R03 @R07 @case-dec-ind
  Scenario Outline: Individual seller authorizing <authorization>, <request>
    Given an individual seller "S2" with settings:
      | setting       | value           |
      | authorization | <authorization> |
    And order "O2" by buyer "B2" from seller "S2", placed on 2026-03-01 at 09:00:00 and delivered on 2026-03-05 at 10:00:00, with items:
      | sku    | category   | quantity | unit price |
      | TOY-1  | toys       | 1        | 19.99      |
      | VASE-1 | handmade   | 1        | 80.00      |
      | GIFT-1 | gift cards | 1        | 25.00      |
    When the buyer requests return "R2" of 1 "<sku>" from order "O2" <when>, reason "<reason>"
    Then the request is <policy>
    And the return is <outcome>
    And the label is <label>

    Examples:
      | case       | authorization | request                 | sku    | when                   | reason           | policy                        | outcome                  | label                               |
      | dec-ind-01 | manual        | in policy               | TOY-1  | 10 days after delivery | CR-UNWANTED_ITEM | in policy                     | pending authorization    | none                                |
      | dec-ind-02 | automatic     | in policy               | TOY-1  | 10 days after delivery | CR-UNWANTED_ITEM | in policy                     | authorized automatically | Amazon unpaid, paid by the customer |
      | dec-ind-03 | automatic     | in policy, seller fault | TOY-1  | 10 days after delivery | CR-DEFECTIVE     | in policy                     | authorized automatically | Amazon unpaid, paid by the customer |
      | dec-ind-04 | manual        | window expired          | TOY-1  | 31 days after delivery | CR-UNWANTED_ITEM | out of policy: window expired | pending authorization    | none                                |
      | dec-ind-05 | automatic     | window expired          | TOY-1  | 31 days after delivery | CR-UNWANTED_ITEM | out of policy: window expired | authorized automatically | Amazon unpaid, paid by the customer |
      | dec-ind-06 | automatic     | non-returnable category | GIFT-1 | 10 days after delivery | CR-UNWANTED_ITEM | out of policy: not returnable | authorized automatically | Amazon unpaid, paid by the customer |
      | dec-ind-07 | automatic     | exempt category         | VASE-1 | 10 days after delivery | CR-UNWANTED_ITEM | in policy                     | authorized automatically | Amazon unpaid, paid by the customer |

  @C03 @C09 @R04 @case-payer
  Scenario Outline: Who pays the prepaid label of a professional seller's in-policy return: reason <reason>
    Given a professional seller "S1"
    And order "O1" from seller "S1" for 1 "TOY-1" in category "toys", delivered on 2026-03-05 at 10:00:00
    When the buyer requests return "R1" of 1 "TOY-1" from order "O1" 3 days after delivery, reason "<reason>"
    Then the return is authorized automatically
    And the label is <label>

    Examples:
      | case     | reason                       | label                                |
      | payer-01 | CR-DEFECTIVE                 | Amazon prepaid, paid by the seller   |
      | payer-02 | CR-DAMAGED_BY_FC             | Amazon prepaid, paid by the seller   |
      | payer-03 | CR-DAMAGED_BY_CARRIER        | Amazon prepaid, paid by the seller   |
      | payer-04 | CR-SWITCHEROO                | Amazon prepaid, paid by the seller   |
      | payer-05 | CR-MISSING_PARTS             | Amazon prepaid, paid by the seller   |
      | payer-06 | CR-MISSED_ESTIMATED_DELIVERY | Amazon prepaid, paid by the seller   |
      | payer-07 | CR-EXTRA_ITEM                | Amazon prepaid, paid by the seller   |
      | payer-08 | CR-UNAUTHORIZED_PURCHASE     | Amazon prepaid, paid by the seller   |
      | payer-09 | AMZ-PG-BAD-DESC              | Amazon prepaid, paid by the seller   |
      | payer-10 | CR-UNWANTED_ITEM             | Amazon prepaid, paid by the customer |
      | payer-11 | CR-FOUND_BETTER_PRICE        | Amazon prepaid, paid by the customer |
      | payer-12 | AMZ-PG-APP-TOO-SMALL         | Amazon prepaid, paid by the customer |

  @C09 @R04 @case-payer-own-list
  Scenario: The marketplace decides which reasons are the seller's fault
    Given the seller-fault reasons are CR-UNWANTED_ITEM
    And a professional seller "S1"
    And order "O1" from seller "S1" for 2 "TOY-1" in category "toys", delivered on 2026-03-05 at 10:00:00
    When the buyer requests return "R1" of 1 "TOY-1" from order "O1" 3 days after delivery, reason "CR-UNWANTED_ITEM"
    Then the label is Amazon prepaid, paid by the seller
    When the buyer requests return "R2" of 1 "TOY-1" from order "O1" 3 days after delivery, reason "CR-DEFECTIVE"
    Then the label is Amazon prepaid, paid by the customer

  @C03 @C07 @C10 @R07 @case-dec-auto-details
  Scenario: An automatic authorization carries an Amazon RMA, the default return address and the request time
    Given a professional seller "S1" with settings:
      | setting                | value    |
      | return addresses       | WH1, WH2 |
      | default return address | WH2      |
    And order "O1" from seller "S1" for 1 "TOY-1" in category "toys", delivered on 2026-03-05 at 10:00:00
    When the buyer requests return "R1" of 1 "TOY-1" from order "O1" 2 days after delivery, reason "CR-DEFECTIVE"
    Then the return is authorized automatically
    And the RMA is an Amazon RMA
    And the return goes back to address "WH2"
    And the return was authorized 2 days after delivery
    And the seller has no response deadline
