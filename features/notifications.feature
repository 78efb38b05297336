@notifications
Feature: Notifications and email links
  Every request sends the seller an email with the buyer's reason, flagged when the
  request is out of policy. Sellers who turned email links on get links to act from
  the email: authorize, close or reply while the request waits for them, and only
  reply once it was authorized automatically. The buyer is told of every
  authorization (with the RMA, label and return address), every close, and every
  reply of the seller. Within one answer the seller's email comes first.

  Background:
    Given category "gift cards" is not returnable

  @C01 @R11 @case-notify-in-policy
  Scenario: An in-policy request: the seller is told the reason, then the buyer gets the authorization
    Given a professional seller "S1"
    And order "O1" from seller "S1" for 1 "TOY-1" in category "toys", delivered on 2026-03-05 at 10:00:00
    When the buyer requests return "R1" of 1 "TOY-1" from order "O1" 10 days after delivery, reason "CR-DEFECTIVE"
    Then these notifications are sent:
      | to     | about             |
      | seller | return requested  |
      | buyer  | return authorized |
    And the seller's email gives the reason "CR-DEFECTIVE"
    And the seller's email flags the request as in policy
    And the seller's email carries no links
    And the buyer gets the RMA, an Amazon prepaid label and return address "WH1"

  @C01 @C02 @R02 @R11 @case-notify-out-of-policy
  Scenario Outline: An out-of-policy request is flagged to the seller: <why>
    Given a professional seller "S1"
    And order "O1" by buyer "B1" from seller "S1", placed on 2026-03-01 at 09:00:00 and delivered on 2026-03-05 at 10:00:00, with items:
      | sku    | category   | quantity | unit price |
      | TOY-1  | toys       | 1        | 19.99      |
      | GIFT-1 | gift cards | 1        | 25.00      |
    When the buyer requests return "R1" of 1 "<sku>" from order "O1" <when>, reason "CR-FOUND_BETTER_PRICE"
    Then these notifications are sent:
      | to     | about            |
      | seller | return requested |
    And the seller's email gives the reason "CR-FOUND_BETTER_PRICE"
    And the seller's email flags the request as out of policy
    And the request is <policy>

    Examples:
      | case                    | why            | sku    | when                   | policy                        |
      | notify-out-of-policy-01 | window expired | TOY-1  | 31 days after delivery | out of policy: window expired |
      | notify-out-of-policy-02 | not returnable | GIFT-1 | 2 days after delivery  | out of policy: not returnable |

  @C12 @R11 @case-notify-links
  Scenario Outline: Email links: <links setting>, <request>
    Given an individual seller "S2" with settings:
      | setting       | value           |
      | authorization | <authorization> |
      | email links   | <links setting> |
    And order "O2" from seller "S2" for 1 "MUG-1" in category "kitchen", delivered on 2026-03-05 at 10:00:00
    When the buyer requests return "R2" of 1 "MUG-1" from order "O2" 1 day after delivery, reason "CR-UNWANTED_ITEM"
    Then the seller's email carries <links>

    Examples:
      | case            | links setting | authorization | request                  | links                                |
      | notify-links-01 | on            | manual        | waiting for the seller   | the links authorize, close and reply |
      | notify-links-02 | on            | automatic     | authorized automatically | the link reply                       |
      | notify-links-03 | off           | manual        | waiting for the seller   | no links                             |
      | notify-links-04 | off           | automatic     | authorized automatically | no links                             |

  @C12 @R11 @case-notify-links-professional
  Scenario: Email links for a professional seller's in-policy request authorized at once
    Given a professional seller "S1" with settings:
      | setting     | value |
      | email links | on    |
    And order "O1" from seller "S1" for 1 "TOY-1" in category "toys", delivered on 2026-03-05 at 10:00:00
    When the buyer requests return "R1" of 1 "TOY-1" from order "O1" 1 day after delivery, reason "CR-UNWANTED_ITEM"
    Then the seller's email carries the link reply

  @C12 @R11 @case-notify-links-updated
  Scenario: Turning email links on later applies to later requests
    Given an individual seller "S2" who authorizes returns manually
    And order "O2" from seller "S2" for 2 "MUG-1" in category "kitchen", delivered on 2026-03-05 at 10:00:00
    And the buyer requested return "R1" of 1 "MUG-1" from order "O2" 1 day after delivery, reason "CR-UNWANTED_ITEM"
    When seller "S2" changes its settings:
      | setting     | value |
      | email links | on    |
    And the buyer requests return "R2" of 1 "MUG-1" from order "O2" 2 days after delivery, reason "CR-UNWANTED_ITEM"
    Then the seller's email carries the links authorize, close and reply

  @C12 @R11 @case-notify-reply
  Scenario: The seller replies to the buyer; replying changes nothing else
    Given an individual seller "S2" who authorizes returns manually
    And order "O2" from seller "S2" for 1 "MUG-1" in category "kitchen", delivered on 2026-03-05 at 10:00:00
    And the buyer requested return "R2" of 1 "MUG-1" from order "O2" 1 day after delivery, reason "CR-UNWANTED_ITEM"
    When the seller replies to return "R2" 2 hours after the request: "Could you send a photo of the mug?"
    Then these notifications are sent:
      | to    | about        |
      | buyer | seller reply |
    And the buyer receives the seller's message "Could you send a photo of the mug?"
    And return "R2" is pending authorization
    And the seller must respond by 24 hours after the request

  @C12 @R11 @case-notify-reply-states
  Scenario: The seller can reply while a return is authorized or received, not once it is closed
    Given a professional seller "S1"
    And order "O1" from seller "S1" for 1 "TOY-1" in category "toys", delivered on 2026-03-05 at 10:00:00
    And the buyer requested return "R1" of 1 "TOY-1" from order "O1" 1 day after delivery, reason "CR-DEFECTIVE"
    When the seller replies to return "R1" 2 days after delivery: "Label is in your inbox."
    Then the buyer receives the seller's message "Label is in your inbox."
    Given seller "S1" received the package for return "R1" 5 days after delivery
    When the seller replies to return "R1" 5 days after delivery: "Got it, refund on its way."
    Then the buyer receives the seller's message "Got it, refund on its way."
    Given the seller closed return "R1" 6 days after delivery
    When the seller replies to return "R1" 7 days after delivery: "Anything else?"
    Then it is refused with "invalid_state"

  @C12 @R11 @error-invalid_time @case-notify-reply-is-an-event
  Scenario: A reply is an event of the return: nothing may be dated before it
    Given an individual seller "S2" who authorizes returns manually
    And order "O2" from seller "S2" for 1 "MUG-1" in category "kitchen", delivered on 2026-03-05 at 10:00:00
    And the buyer requested return "R2" of 1 "MUG-1" from order "O2" 1 day after delivery, reason "CR-UNWANTED_ITEM"
    When the seller replies to return "R2" 3 hours after the request: "Checking with the warehouse."
    And the seller closes return "R2" 2 hours after the request
    Then it is refused with "invalid_time"
    And the refusal details are:
      | field         | value                  |
      | at            | "2026-03-06T12:00:00Z" |
      | last_event_at | "2026-03-06T13:00:00Z" |
    And return "R2" is pending authorization

  @C12 @R11 @error-invalid_args @case-notify-reply-empty
  Scenario: A reply needs a message
    Given an individual seller "S2" who authorizes returns manually
    And order "O2" from seller "S2" for 1 "MUG-1" in category "kitchen", delivered on 2026-03-05 at 10:00:00
    And the buyer requested return "R2" of 1 "MUG-1" from order "O2" 1 day after delivery, reason "CR-UNWANTED_ITEM"
    When the seller replies to return "R2" 2 hours after the request: ""
    Then it is refused with "invalid_args"
    And return "R2" is unchanged

  @C07 @R11 @case-notify-close
  Scenario: The buyer is told when a return closes, and why
    Given a professional seller "S1"
    And order "O1" from seller "S1" for 1 "TOY-1" in category "toys", delivered on 2026-03-05 at 10:00:00
    And the buyer requested return "R1" of 1 "TOY-1" from order "O1" 1 day after delivery, reason "CR-DEFECTIVE"
    When the seller closes return "R1" 46 days after delivery
    Then these notifications are sent:
      | to    | about         |
      | buyer | return closed |
    And the buyer is told the return closed as not returned
