// IEEE binary16 to a signed OutWidth-bit integer: rounded to nearest, ties to even, saturated; NaN gives 0.
// Combinational. Bit-exact with aimc::Fp16::to_int_saturated.
module fp16_to_int_sat #(
  parameter int unsigned OutWidth = 8
) (
  input  logic [15:0]               value_i,
  output logic signed [OutWidth-1:0] result_o
);

  localparam logic signed [OutWidth-1:0] MaxOut = {1'b0, {(OutWidth - 1){1'b1}}};
  localparam logic signed [OutWidth-1:0] MinOut = {1'b1, {(OutWidth - 1){1'b0}}};

  logic        negative, is_nan, is_inf;
  logic [10:0] sig;
  logic [4:0]  exp_eff;
  assign negative = value_i[15];
  assign is_nan   = (value_i[14:10] == 5'h1F) && (value_i[9:0] != '0);
  assign is_inf   = (value_i[14:10] == 5'h1F) && (value_i[9:0] == '0);
  assign sig      = {value_i[14:10] != '0, value_i[9:0]};
  assign exp_eff  = (value_i[14:10] == '0) ? 5'd1 : value_i[14:10];

  // value = sig * 2^(exp_eff - 25). Integers need exp_eff >= 25; a right shift by 25 - exp_eff (1..24) rounds.
  logic [11:0] magnitude;  // rounded |value|, or a value above the range when too_large
  logic        too_large;
  always_comb begin
    logic [4:0] shift;
    logic       round_bit, sticky;
    too_large     = exp_eff >= 5'd25;
    shift     = too_large ? 5'd0 : 5'd25 - exp_eff;
    magnitude = 12'(sig) >> shift;
    round_bit = 1'b0;
    sticky    = 1'b0;
    if (!too_large) begin
      round_bit = (shift <= 5'd11) ? sig[4'(shift - 5'd1)] : 1'b0;
      sticky    = (shift <= 5'd11) ? ((sig & ((11'(1) << (shift - 5'd1)) - 11'(1))) != '0) : (sig != '0);
      magnitude = magnitude + 12'(round_bit && (sticky || magnitude[0]));
    end
  end

  always_comb begin
    if (is_nan) begin
      result_o = '0;
    end else if (is_inf || too_large || (!negative && magnitude > 12'(MaxOut)) ||
                 (negative && magnitude > 12'(1) << (OutWidth - 1))) begin
      result_o = negative ? MinOut : MaxOut;
    end else begin
      result_o = negative ? -magnitude[OutWidth-1:0] : magnitude[OutWidth-1:0];
    end
  end

endmodule
