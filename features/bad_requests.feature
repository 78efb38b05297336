@protocol
Feature: Bad requests, and how an implementation answers
  Whatever the transport, an implementation answers every request with the same
  sequence number, refuses what does not fit the contract with a code that says why
  (naming the field at fault), and a refusal never changes anything. Policies whose
  values make no sense are refused too. These scenarios send requests the typed steps
  cannot express: unknown operations, wrong types, malformed times.

  @protocol-hello @case-proto-hello
  Scenario: The implementation says which protocol it speaks
    When a client asks the implementation who it is
    Then it speaks protocol "rap/1"
    And it names itself and its version, and lists its optional features

  @protocol-reset @case-proto-reset
  Scenario: Reset forgets everything and restores the default policy
    Given the marketplace return window is 60 days
    And a professional seller "S1"
    And order "O1" from seller "S1" for 1 "TOY-1" in category "toys", delivered on 2026-03-05 at 10:00:00
    And the buyer requested return "R1" of 1 "TOY-1" from order "O1" 1 day after delivery, reason "CR-DEFECTIVE"
    When the marketplace is reset
    Then return "R1" does not exist
    And seller "S1" is not registered
    Given a professional seller "S1"
    And order "O1" from seller "S1" for 1 "TOY-1" in category "toys", delivered on 2026-03-05 at 10:00:00
    When the buyer requests return "R1" of 1 "TOY-1" from order "O1" 1 day after delivery, reason "CR-DEFECTIVE"
    Then the return window closes 30 days after delivery

  @protocol-policy @case-proto-policy-replaces
  Scenario: Setting a policy replaces the whole policy; what it leaves out takes the default
    Given the transit allowance is 20 days
    When the marketplace sets its policy to:
      | setting        | value   |
      | default window | 40 days |
    Then the policy in force is:
      | setting                    | value                                                                                                                                                                          |
      | default window             | 40 days                                                                                                                                                                        |
      | category windows           | none                                                                                                                                                                           |
      | not returnable             | none                                                                                                                                                                           |
      | transit                    | 15 days                                                                                                                                                                        |
      | holiday                    | none                                                                                                                                                                           |
      | exempt from prepaid labels | none                                                                                                                                                                           |
      | response time              | 24 hours                                                                                                                                                                       |
      | seller-fault reasons       | CR-DEFECTIVE, CR-DAMAGED_BY_FC, CR-DAMAGED_BY_CARRIER, CR-SWITCHEROO, CR-MISSING_PARTS, CR-MISSED_ESTIMATED_DELIVERY, CR-EXTRA_ITEM, CR-UNAUTHORIZED_PURCHASE, AMZ-PG-BAD-DESC |

  @protocol-policy @error-invalid_policy @case-proto-invalid-policy
  Scenario Outline: A policy that makes no sense is refused and the old one stays: <problem>
    Given the marketplace return window is 60 days
    When the marketplace sets its policy to:
      | setting   | value   |
      | <setting> | <value> |
    Then it is refused with "invalid_policy"
    And the refusal names the field "<field>"
    Given a professional seller "S1"
    And order "O1" from seller "S1" for 1 "TOY-1" in category "toys", delivered on 2026-03-05 at 10:00:00
    When the buyer requests return "R1" of 1 "TOY-1" from order "O1" 1 day after delivery, reason "CR-DEFECTIVE"
    Then the return window closes 60 days after delivery

    Examples:
      | case                    | problem                          | setting           | value                                      | field                            |
      | proto-invalid-policy-01 | a window of no days              | default window    | 0 days                                     | policy.default_window_days       |
      | proto-invalid-policy-02 | a category window of no days     | window for "baby" | 0 days                                     | policy.category_window_days.baby |
      | proto-invalid-policy-03 | negative transit                 | transit           | -1 days                                    | policy.transit_days              |
      | proto-invalid-policy-04 | no time to respond               | response time     | 0 hours                                    | policy.manual_response_hours     |
      | proto-invalid-policy-05 | holiday range backwards          | holiday           | 2026-12-31 to 2026-11-01, until 2027-01-31 | policy.holiday.ordered_from      |
      | proto-invalid-policy-06 | holiday return by before its end | holiday           | 2026-11-01 to 2026-12-31, until 2026-12-30 | policy.holiday.return_by         |

  @protocol-envelope @error-unknown_op @case-proto-unknown-op
  Scenario: An operation the contract does not define
    When a client sends request number 7 for the operation "teleport"
    Then the answer to request number 7 is a refusal "unknown_op"

  @protocol-envelope @case-proto-seq
  Scenario: Every answer carries the sequence number of its request
    Given a professional seller "S1"
    And order "O1" from seller "S1" for 1 "TOY-1" in category "toys", delivered on 2026-03-05 at 10:00:00
    And the buyer requested return "R1" of 1 "TOY-1" from order "O1" 1 day after delivery, reason "CR-DEFECTIVE"
    When a client sends request number 41 asking for return "R1"
    Then the answer to request number 41 is a success
    When a client sends request number 42 asking for return "R404"
    Then the answer to request number 42 is a refusal "unknown_return"

  @protocol-envelope @case-proto-record-fields
  Scenario: A return record lists every field, absent values as empty, never missing
    Given an individual seller "S2" who authorizes returns manually
    And order "O2" from seller "S2" for 1 "MUG-1" in category "kitchen", delivered on 2026-03-05 at 10:00:00
    And the buyer requested return "R2" of 1 "MUG-1" from order "O2" 1 day after delivery, reason "CR-UNWANTED_ITEM"
    When a client sends request number 5 asking for return "R2"
    Then the record in the answer has every field of the contract
    And in the record, these fields are empty: authorization, authorized_at, rma, label, return_address, received_at, closed_at, close_reason

  @protocol-args @error-invalid_args @case-proto-invalid-args
  Scenario Outline: A request that does not fit the contract: <action>, <defect>
    Given a professional seller "S1"
    And order "O1" from seller "S1" for 2 "TOY-1" in category "toys", delivered on 2026-03-05 at 10:00:00
    When a client sends a request to <action> where <defect>
    Then it is refused with "invalid_args"
    And the refusal names the field "<field>"
    And nothing changed

    Examples:
      | case                  | action            | defect                                           | field                      |
      | proto-invalid-args-01 | place an order    | the item quantity is the text "two"              | items[0].quantity          |
      | proto-invalid-args-02 | place an order    | the item quantity is true                        | items[0].quantity          |
      | proto-invalid-args-03 | place an order    | the item quantity is 0                           | items[0].quantity          |
      | proto-invalid-args-04 | place an order    | the unit price is -1                             | items[0].unit_price        |
      | proto-invalid-args-05 | place an order    | the delivery time is "2026-03-05 10:00:00"       | delivered_at               |
      | proto-invalid-args-06 | place an order    | the delivery time is "2026-03-05T10:00:00+01:00" | delivered_at               |
      | proto-invalid-args-07 | place an order    | the delivery time is "2026-03-05T10:00:00.5Z"    | delivered_at               |
      | proto-invalid-args-08 | place an order    | the items are missing                            | items                      |
      | proto-invalid-args-09 | place an order    | the items are an empty list                      | items                      |
      | proto-invalid-args-10 | request a return  | the reason is missing                            | reason                     |
      | proto-invalid-args-11 | request a return  | the request time is "2026-02-30T10:00:00Z"       | requested_at               |
      | proto-invalid-args-12 | request a return  | the quantity is 1.5                              | quantity                   |
      | proto-invalid-args-13 | request a return  | the return id is ""                              | return_id                  |
      | proto-invalid-args-14 | register a seller | the plan is "enterprise"                         | plan                       |
      | proto-invalid-args-15 | register a seller | the email links setting is "yes"                 | settings.email_links       |
      | proto-invalid-args-16 | register a seller | the exempt mode setting is "sometimes"           | settings.exempt_mode       |
      | proto-invalid-args-17 | set the policy    | the default window is the text "30"              | policy.default_window_days |
      | proto-invalid-args-18 | set the policy    | the holiday return date is "2027-1-31"           | policy.holiday.return_by   |

  @protocol-args @error-invalid_args @case-proto-unknown-field
  Scenario Outline: A field the contract does not know is refused, not ignored: <where>
    Given a professional seller "S1"
    And order "O1" from seller "S1" for 2 "TOY-1" in category "toys", delivered on 2026-03-05 at 10:00:00
    When a client sends a request to <action> where it has an extra field "<extra>"
    Then it is refused with "invalid_args"
    And the refusal names the field "<extra>"
    And nothing changed

    Examples:
      | case                   | where            | action            | extra            |
      | proto-unknown-field-01 | in the arguments | request a return  | colour           |
      | proto-unknown-field-02 | in the settings  | register a seller | settings.vip     |
      | proto-unknown-field-03 | in the policy    | set the policy    | policy.surcharge |
      | proto-unknown-field-04 | in an order item | place an order    | items[0].colour  |

  @protocol-envelope @transport-raw @error-invalid_json @case-proto-invalid-json
  Scenario: A line that is not JSON is refused and the implementation keeps serving
    When a client sends a line that is not JSON
    Then the answer is a refusal "invalid_json" with no sequence number
    When a client asks the implementation who it is
    Then it speaks protocol "rap/1"
