@windows
Feature: Return windows and the holiday rule
  A buyer may ask for a return until the window closes: generally 30 days after
  delivery, with windows of its own for some categories (90 days for baby products,
  15 days for some electronics). A seller may offer a longer window for a category;
  it counts where it is more generous. Orders placed in the holiday season stay
  returnable until the holiday "return by" day, if that is later. A request one
  second after the window closes is out of policy.

  Background:
    Given the marketplace return window is 30 days
    And the marketplace return window for category "baby" is 90 days
    And the marketplace return window for category "electronics" is 15 days

  @C15 @C04 @R01 @R02 @case-win
  Scenario Outline: Window edge: <item>, <when>
    Given a professional seller "S1" with settings:
      | setting                  | value    |
      | return window for "toys" | 45 days  |
      | return window for "baby" | 120 days |
    And order "O1" by buyer "B1" from seller "S1", placed on 2026-03-01 at 09:00:00 and delivered on 2026-03-05 at 10:00:00, with items:
      | sku     | category    | quantity | unit price |
      | BOOK-1  | books       | 1        | 12.00      |
      | BABY-1  | baby        | 1        | 30.00      |
      | PHONE-1 | electronics | 1        | 299.00     |
      | TOY-1   | toys        | 1        | 19.99      |
      | KIT-1   | kitchen     | 1        | 49.00      |
    When the buyer requests return "R1" of 1 "<sku>" from order "O1" <when>, reason "CR-UNWANTED_ITEM"
    Then the request is <policy>
    And the return window closes <closes>

    Examples:
      | case   | item                                      | sku     | when                                 | policy                        | closes                  |
      | win-01 | default window, the exact closing second  | BOOK-1  | 30 days after delivery               | in policy                     | 30 days after delivery  |
      | win-02 | default window, one second after          | BOOK-1  | 30 days and 1 second after delivery  | out of policy: window expired | 30 days after delivery  |
      | win-03 | default window, at delivery               | KIT-1   | 0 seconds after delivery             | in policy                     | 30 days after delivery  |
      | win-04 | category window 15 days, last second      | PHONE-1 | 15 days after delivery               | in policy                     | 15 days after delivery  |
      | win-05 | category window 15 days, one second after | PHONE-1 | 15 days and 1 second after delivery  | out of policy: window expired | 15 days after delivery  |
      | win-06 | seller's 45 days beat the default 30      | TOY-1   | 45 days after delivery               | in policy                     | 45 days after delivery  |
      | win-07 | seller's 45 days, one second after        | TOY-1   | 45 days and 1 second after delivery  | out of policy: window expired | 45 days after delivery  |
      | win-08 | seller's 120 days beat the category's 90  | BABY-1  | 120 days after delivery              | in policy                     | 120 days after delivery |
      | win-09 | seller's 120 days, one second after       | BABY-1  | 120 days and 1 second after delivery | out of policy: window expired | 120 days after delivery |

  @C15 @R01 @case-win-category
  Scenario Outline: Category windows without a seller window of its own: <sku> <when>
    Given a professional seller "S1"
    And order "O1" by buyer "B1" from seller "S1", placed on 2026-03-01 at 09:00:00 and delivered on 2026-03-05 at 10:00:00, with items:
      | sku     | category    | quantity | unit price |
      | BABY-1  | baby        | 1        | 30.00      |
      | PHONE-1 | electronics | 1        | 299.00     |
    When the buyer requests return "R1" of 1 "<sku>" from order "O1" <when>, reason "CR-UNWANTED_ITEM"
    Then the request is <policy>
    And the return window closes <closes>

    Examples:
      | case            | sku     | when                                | policy                        | closes                 |
      | win-category-01 | BABY-1  | 90 days after delivery              | in policy                     | 90 days after delivery |
      | win-category-02 | BABY-1  | 90 days and 1 second after delivery | out of policy: window expired | 90 days after delivery |
      | win-category-03 | PHONE-1 | 16 days after delivery              | out of policy: window expired | 15 days after delivery |

  @C15 @R01 @case-win-policy-change
  Scenario: The window of a request is the one in force when it is made
    Given a professional seller "S1"
    And order "O1" from seller "S1" for 2 "BOOK-1" in category "books", delivered on 2026-03-05 at 10:00:00
    And the buyer requested return "R1" of 1 "BOOK-1" from order "O1" 5 days after delivery, reason "CR-UNWANTED_ITEM"
    When the marketplace return window becomes 60 days
    And the buyer requests return "R2" of 1 "BOOK-1" from order "O1" 50 days after delivery, reason "CR-UNWANTED_ITEM"
    Then the request is in policy
    And the return window closes 60 days after delivery
    And return "R1" still has its window closing 30 days after delivery

  @C15 @R01 @holiday @case-holiday
  Scenario Outline: Holiday rule: order placed <placed>, request <when>
    Given the holiday rule: orders placed from 2026-11-01 to 2026-12-31 are returnable until 2027-01-31
    And a professional seller "S1"
    And order "O1" by buyer "B1" from seller "S1", placed on <placed> and delivered on 2026-11-30 at 10:00:00, with items:
      | sku    | category | quantity | unit price |
      | BOOK-1 | books    | 1        | 12.00      |
      | BABY-1 | baby     | 1        | 30.00      |
    When the buyer requests return "R1" of 1 "<sku>" from order "O1" <when>, reason "CR-UNWANTED_ITEM"
    Then the request is <policy>
    And the return window closes <closes>

    Examples:
      | case       | placed                 | sku    | when                                | policy                        | closes                    |
      | holiday-01 | 2026-11-20 at 12:00:00 | BOOK-1 | on 2027-01-31 at 23:59:59           | in policy                     | on 2027-01-31 at 23:59:59 |
      | holiday-02 | 2026-11-20 at 12:00:00 | BOOK-1 | on 2027-02-01 at 00:00:00           | out of policy: window expired | on 2027-01-31 at 23:59:59 |
      | holiday-03 | 2026-11-01 at 00:00:00 | BOOK-1 | on 2027-01-15 at 08:00:00           | in policy                     | on 2027-01-31 at 23:59:59 |
      | holiday-04 | 2026-10-31 at 23:59:59 | BOOK-1 | on 2027-01-15 at 08:00:00           | out of policy: window expired | 30 days after delivery    |
      | holiday-05 | 2026-11-20 at 12:00:00 | BABY-1 | on 2027-02-20 at 10:00:00           | in policy                     | 90 days after delivery    |
      | holiday-06 | 2026-11-20 at 12:00:00 | BABY-1 | 90 days and 1 second after delivery | out of policy: window expired | 90 days after delivery    |

  @C15 @R01 @holiday @case-holiday-last-day
  Scenario Outline: Holiday rule: the last day of the holiday range counts by the order's UTC date (<placed>)
    Given the holiday rule: orders placed from 2026-11-01 to 2026-12-31 are returnable until 2027-01-31
    And a professional seller "S1"
    And order "O1" by buyer "B1" from seller "S1", placed on <placed> and delivered on 2027-01-01 at 00:30:00, with items:
      | sku    | category | quantity | unit price |
      | BOOK-1 | books    | 1        | 12.00      |
    When the buyer requests return "R1" of 1 "BOOK-1" from order "O1" 29 days and 23 hours after delivery, reason "CR-UNWANTED_ITEM"
    Then the return window closes <closes>

    Examples:
      | case                | placed                 | closes                    |
      | holiday-last-day-01 | 2026-12-31 at 23:59:59 | on 2027-01-31 at 23:59:59 |
      | holiday-last-day-02 | 2027-01-01 at 00:00:00 | 30 days after delivery    |

  @C15 @C16 @R01 @R08 @holiday @case-holiday-transit
  Scenario: Holiday returns stay open until the holiday window closes plus transit
    Given the holiday rule: orders placed from 2026-11-01 to 2026-12-31 are returnable until 2027-01-31
    And a professional seller "S1"
    And order "O1" by buyer "B1" from seller "S1", placed on 2026-11-20 at 12:00:00 and delivered on 2026-11-25 at 10:00:00, with items:
      | sku    | category | quantity | unit price |
      | BOOK-1 | books    | 1        | 12.00      |
    When the buyer requests return "R1" of 1 "BOOK-1" from order "O1" on 2026-12-01 at 10:00:00, reason "CR-UNWANTED_ITEM"
    Then the return window closes on 2027-01-31 at 23:59:59
    And the return stays open until 2027-02-15 at 23:59:59
