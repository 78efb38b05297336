@manual
Feature: Manual authorization: RMA, label and return address
  A request that waits for the seller is authorized by hand. The seller may let Amazon
  generate the RMA or give their own; may send Amazon's unpaid label (the default) or
  their own prepaid label; and may send the return to the default address, to another
  saved address, or to a new address (which is then saved). The buyer is told the RMA,
  the label and the address. Sellers are expected to answer within 24 hours.

  Background:
    Given an individual seller "S2" with settings:
      | setting                | value    |
      | authorization          | manual   |
      | return addresses       | WH1, WH2 |
      | default return address | WH1      |
    And order "O1" by buyer "B1" from seller "S2", placed on 2026-03-01 at 09:00:00 and delivered on 2026-03-05 at 10:00:00, with items:
      | sku    | category | quantity | unit price |
      | TOY-1  | toys     | 3        | 19.99      |
      | BOOK-1 | books    | 1        | 12.00      |
    And the buyer requested return "R1" of 1 "TOY-1" from order "O1" 10 days after delivery, reason "CR-DEFECTIVE"

  @C05 @R03 @case-manual-pending
  Scenario: A request waiting for the seller has a response deadline and nothing else yet
    Then return "R1" is pending authorization
    And the seller must respond by 24 hours after the request
    And the return has no RMA
    And the label is none
    And the return has no return address yet

  @C05 @case-manual-response-hours
  Scenario: The marketplace sets how long sellers have to respond
    Given sellers must respond to requests within 48 hours
    When the buyer requests return "R2" of 1 "BOOK-1" from order "O1" 3 days after delivery, reason "CR-UNWANTED_ITEM"
    Then the seller must respond by 48 hours after the request

  @C06 @C07 @C09 @C10 @R05 @R07 @case-manual-defaults
  Scenario: Authorizing with no choices: Amazon RMA, Amazon unpaid label, default address
    When the seller authorizes return "R1" 1 day after the request
    Then the return is authorized by the seller
    And the RMA is an Amazon RMA
    And the label is Amazon unpaid, paid by the customer
    And the return goes back to address "WH1"
    And the return was authorized 1 day after the request
    And the seller has no response deadline
    And these notifications are sent:
      | to    | about             |
      | buyer | return authorized |
    And the buyer gets the RMA, an Amazon unpaid label and return address "WH1"

  @C06 @R05 @case-manual-own-rma
  Scenario: The seller gives their own RMA
    When the seller authorizes return "R1" 2 hours after the request with:
      | choice | value       |
      | RMA    | SHOP-2026_1 |
    Then the return is authorized by the seller
    And the RMA is the seller's own "SHOP-2026_1"
    And the buyer gets the RMA, an Amazon unpaid label and return address "WH1"

  @C06 @R05 @error-invalid_rma @case-manual-invalid-rma
  Scenario Outline: A seller's own RMA must be 1 to 32 letters, digits, "_" or "-": <why>
    When the seller authorizes return "R1" 2 hours after the request with:
      | choice | value |
      | RMA    | <rma> |
    Then it is refused with "invalid_rma"
    And return "R1" is unchanged

    Examples:
      | case                  | why                  | rma                               |
      | manual-invalid-rma-01 | a space              | MY RMA                            |
      | manual-invalid-rma-02 | a slash              | RMA/7                             |
      | manual-invalid-rma-03 | 33 characters        | ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456 |
      | manual-invalid-rma-04 | a letter outside A-Z | RMAÄ1                             |

  @C06 @R05 @case-manual-rma-32
  Scenario: A 32-character RMA of letters, digits, "_" and "-" is accepted
    When the seller authorizes return "R1" 2 hours after the request with:
      | choice | value                            |
      | RMA    | A-b_C-d_0123456789012345678901ZZ |
    Then the RMA is the seller's own "A-b_C-d_0123456789012345678901ZZ"

  @C06 @R05 @error-duplicate_rma @case-manual-duplicate-rma
  Scenario: A seller cannot use the same RMA twice
    Given the seller authorized return "R1" 1 hour after the request with:
      | choice | value    |
      | RMA    | SHOP-001 |
    And the buyer requested return "R2" of 1 "BOOK-1" from order "O1" 11 days after delivery, reason "CR-DEFECTIVE"
    When the seller authorizes return "R2" 1 hour after the request with:
      | choice | value    |
      | RMA    | SHOP-001 |
    Then it is refused with "duplicate_rma"
    And return "R2" is unchanged

  @C06 @R05 @error-duplicate_rma @case-manual-duplicate-rma-details
  Scenario: duplicate_rma names the RMA and the return that already carries it
    Given the seller authorized return "R1" 1 hour after the request with:
      | choice | value    |
      | RMA    | SHOP-001 |
    And the buyer requested return "R2" of 1 "BOOK-1" from order "O1" 11 days after delivery, reason "CR-DEFECTIVE"
    When the seller authorizes return "R2" 1 hour after the request with:
      | choice | value    |
      | RMA    | SHOP-001 |
    Then it is refused with "duplicate_rma"
    And the refusal details are:
      | field     | value      |
      | rma       | "SHOP-001" |
      | return_id | "R1"       |

  @C06 @R05 @error-duplicate_rma @case-manual-duplicate-amazon-rma
  Scenario: A seller cannot reuse an Amazon RMA of one of their returns as their own
    Given the seller authorized return "R1" 1 hour after the request
    And the buyer requested return "R2" of 1 "BOOK-1" from order "O1" 11 days after delivery, reason "CR-DEFECTIVE"
    When the seller authorizes return "R2" 1 hour after the request, reusing the RMA of return "R1"
    Then it is refused with "duplicate_rma"

  @C06 @R05 @case-manual-rma-other-seller
  Scenario: Two sellers may each use the same RMA of their own
    Given an individual seller "S3" who authorizes returns manually
    And order "O3" from seller "S3" for 1 "MUG-1" in category "kitchen", delivered on 2026-03-05 at 10:00:00
    And the buyer requested return "R3" of 1 "MUG-1" from order "O3" 2 days after delivery, reason "CR-UNWANTED_ITEM"
    And the seller authorized return "R1" 1 hour after the request with:
      | choice | value    |
      | RMA    | SHOP-001 |
    When the seller authorizes return "R3" 1 hour after the request with:
      | choice | value    |
      | RMA    | SHOP-001 |
    Then the return is authorized by the seller
    And the RMA is the seller's own "SHOP-001"

  @C07 @C09 @R04 @R05 @case-manual-seller-label
  Scenario: The seller sends their own prepaid label and pays for it
    When the seller authorizes return "R1" 1 day after the request with:
      | choice | value          |
      | label  | seller prepaid |
    Then the label is seller prepaid, paid by the seller
    And the buyer gets the RMA, a seller prepaid label and return address "WH1"

  @C09 @R05 @optional-label_details @case-manual-label-details
  Scenario: The seller's own label keeps its carrier and tracking id
    When the seller authorizes return "R1" 1 day after the request with:
      | choice      | value          |
      | label       | seller prepaid |
      | carrier     | UPS            |
      | tracking id | 1Z999AA10123   |
    Then the label is seller prepaid, paid by the seller
    And the label's carrier is "UPS" with tracking id "1Z999AA10123"

  @C10 @R05 @case-manual-saved-address
  Scenario: The seller picks another saved address
    When the seller authorizes return "R1" 1 day after the request with:
      | choice         | value |
      | return address | WH2   |
    Then the return goes back to address "WH2"
    And the buyer gets the RMA, an Amazon unpaid label and return address "WH2"

  @C10 @R05 @error-unknown_address @case-manual-unknown-address
  Scenario: The seller picks an address they never saved
    When the seller authorizes return "R1" 1 day after the request with:
      | choice         | value |
      | return address | WH7   |
    Then it is refused with "unknown_address"
    And return "R1" is unchanged

  @C10 @R05 @case-manual-new-address
  Scenario: A new address given at authorization is used and saved for later
    When the seller authorizes return "R1" 1 day after the request with:
      | choice             | value |
      | new return address | WH9   |
    Then the return goes back to address "WH9"
    And the buyer gets the RMA, an Amazon unpaid label and return address "WH9"
    Given the buyer requested return "R2" of 1 "BOOK-1" from order "O1" 12 days after delivery, reason "CR-DEFECTIVE"
    When the seller authorizes return "R2" 1 hour after the request with:
      | choice         | value |
      | return address | WH9   |
    Then the return goes back to address "WH9"

  @C10 @R05 @error-invalid_args @case-manual-address-twice
  Scenario: A saved address and a new address cannot both be chosen
    When the seller authorizes return "R1" 1 day after the request with:
      | choice             | value |
      | return address     | WH2   |
      | new return address | WH9   |
    Then it is refused with "invalid_args"
    And return "R1" is unchanged

  @C06 @R05 @error-invalid_state @case-manual-not-pending
  Scenario: Only a pending request can be authorized
    Given the seller authorized return "R1" 1 hour after the request
    When the seller authorizes return "R1" 2 hours after the request
    Then it is refused with "invalid_state"
    And return "R1" is unchanged

  @C06 @error-invalid_state @case-manual-options-not-pending
  Scenario: Choices given for a return that is no longer pending are refused for its state
    Given the seller closed return "R1" 1 hour after the request
    When the seller authorizes return "R1" 2 hours after the request with:
      | choice | value    |
      | RMA    | bad rma! |
    Then it is refused with "invalid_state"

  @C06 @error-invalid_time @case-manual-time-backwards
  Scenario: A seller cannot act before the last thing that happened to the return
    When the seller authorizes return "R1" 1 second before the request
    Then it is refused with "invalid_time"
    And return "R1" is unchanged

  @C06 @case-manual-same-second
  Scenario: Acting in the same second as the request is fine
    When the seller authorizes return "R1" 0 seconds after the request
    Then the return is authorized by the seller

  @C06 @error-unknown_return @case-manual-unknown-return
  Scenario: Authorizing a return that does not exist
    When the seller authorizes return "R404" 12 days after delivery
    Then it is refused with "unknown_return"

  @C06 @R07 @case-manual-rma-unique
  Scenario: Amazon RMAs are unique across the marketplace
    Given a professional seller "S1"
    And order "O5" from seller "S1" for 5 "PEN-1" in category "office", delivered on 2026-03-05 at 10:00:00
    And the buyer requested return "R51" of 1 "PEN-1" from order "O5" 1 day after delivery, reason "CR-DEFECTIVE"
    And the buyer requested return "R52" of 1 "PEN-1" from order "O5" 1 day after delivery, reason "CR-DEFECTIVE"
    And the buyer requested return "R53" of 1 "PEN-1" from order "O5" 1 day after delivery, reason "CR-DEFECTIVE"
    And the seller authorized return "R1" 1 hour after the request
    Then returns "R1", "R51", "R52" and "R53" all have different Amazon RMAs
