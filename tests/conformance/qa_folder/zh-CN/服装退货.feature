# language: zh-CN
@zh-CN @apparel
功能: 服装退货（QA 团队自己的场景）

  @C03 @case-zh-qa-apparel-in-policy
  场景: 专业卖家的服装在退货期内退货，由亚马逊自动授权
    假如 专业卖家 "S1"
    而且 卖家 "S1" 的订单 "O1"：1 件类别为 "apparel" 的 "SHIRT-M"，于 2026-03-05 10:00:00 送达
    当 买家在送达后 10 天申请退货 "R1"：订单 "O1" 中的 1 件 "SHIRT-M"，原因 "CR-DEFECTIVE"
    那么 请求在政策内
    而且 退货已自动授权
    而且 退货标签为 亚马逊预付标签，由卖家支付

  @C03 @case-zh-qa-apparel-typo
  场景: 写错的步骤用语
    假如 专业卖家 "S1"
    而且 卖家 "S1" 的订单 "O1"：1 件类别为 "apparel" 的 "SHIRT-M"，于 2026-03-05 10:00:00 送达
    当 买家在送达后 10 天申请退货 "R1"：订单 "O1" 中的 1 件 "SHIRT-M"，原因 "CR-DEFECTIVE"
    那么 退货已经自动授权
