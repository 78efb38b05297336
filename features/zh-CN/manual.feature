# language: zh-CN
@zh-CN @manual
功能: 手动授权单个退货请求（跨境卖家）
  卖家手动授权时，可以使用亚马逊生成的 RMA，也可以使用自己的 RMA
  （1 到 32 个字母、数字、"_" 或 "-"，且不能重复使用）。

  背景:
    假如 个人卖家 "S1"，手动授权退货
    而且 卖家 "S1" 的订单 "O1"：2 件类别为 "toys" 的 "TOY-1"，于 2026-03-05 10:00:00 送达
    而且 买家已在送达后 3 天申请退货 "R1"：订单 "O1" 中的 1 件 "TOY-1"，原因 "CR-DEFECTIVE"

  @C06 @R05 @R07 @case-zh-manual-amazon-rma
  场景: 使用亚马逊生成的 RMA 授权
    当 卖家在申请后 2 小时授权退货 "R1"
    那么 退货已由卖家授权
    而且 RMA 为亚马逊生成的 RMA
    而且 退货标签为 亚马逊未付费标签，由买家支付

  @C06 @R05 @case-zh-manual-own-rma
  场景: 使用卖家自己的 RMA 授权
    当 卖家在申请后 2 小时以自己的 RMA "CN-RMA-0001" 授权退货 "R1"
    那么 退货已由卖家授权
    而且 RMA 为卖家自己的 "CN-RMA-0001"

  @C06 @R05 @error-duplicate_rma @case-zh-manual-duplicate-rma
  场景: 同一卖家不能重复使用自己的 RMA
    假如 卖家已在申请后 1 小时以自己的 RMA "CN-RMA-0001" 授权退货 "R1"
    而且 买家已在送达后 4 天申请退货 "R2"：订单 "O1" 中的 1 件 "TOY-1"，原因 "CR-DEFECTIVE"
    当 卖家在申请后 1 小时以自己的 RMA "CN-RMA-0001" 授权退货 "R2"
    那么 请求被拒绝，错误代码为 "duplicate_rma"

  @C06 @R05 @error-invalid_rma @case-zh-manual-invalid-rma
  场景: 自己的 RMA 只能包含字母、数字、"_" 和 "-"
    当 卖家在申请后 1 小时以自己的 RMA "退货-0001" 授权退货 "R1"
    那么 请求被拒绝，错误代码为 "invalid_rma"
