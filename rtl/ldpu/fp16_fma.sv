// IEEE 754 binary16 fused multiply-add, a * b + c with one rounding (to nearest, ties to even), subnormals,
// infinities and NaN (quiet NaN 16'h7E00 out). Combinational; the comparison datapath for the FP16 LDPU
// (REFERENCE.md A), bit-exact with aimc::Fp16::fma.
// Alignment: the addend is placed against the 22-bit product in a 40-bit window with 3 guard bits; when one term
// lies entirely below the other's rounding range it is replaced by a sticky LSB, which rounds identically.
module fp16_fma (
  input  logic [15:0] a_i,
  input  logic [15:0] b_i,
  input  logic [15:0] c_i,
  output logic [15:0] result_o
);

  localparam int unsigned Window = 40;

  // Unpacked operands: significand (hidden bit explicit) and effective biased exponent (1 for subnormals).
  logic        a_nan, b_nan, c_nan, a_inf, b_inf, c_inf, a_zero, b_zero;
  logic [10:0] sig_a, sig_b, sig_c;
  logic [4:0]  exp_a, exp_b, exp_c;

  assign a_nan  = (a_i[14:10] == 5'h1F) && (a_i[9:0] != '0);
  assign b_nan  = (b_i[14:10] == 5'h1F) && (b_i[9:0] != '0);
  assign c_nan  = (c_i[14:10] == 5'h1F) && (c_i[9:0] != '0);
  assign a_inf  = (a_i[14:10] == 5'h1F) && (a_i[9:0] == '0);
  assign b_inf  = (b_i[14:10] == 5'h1F) && (b_i[9:0] == '0);
  assign c_inf  = (c_i[14:10] == 5'h1F) && (c_i[9:0] == '0);
  assign a_zero = a_i[14:0] == '0;
  assign b_zero = b_i[14:0] == '0;

  assign sig_a = {a_i[14:10] != '0, a_i[9:0]};
  assign sig_b = {b_i[14:10] != '0, b_i[9:0]};
  assign sig_c = {c_i[14:10] != '0, c_i[9:0]};
  assign exp_a = (a_i[14:10] == '0) ? 5'd1 : a_i[14:10];
  assign exp_b = (b_i[14:10] == '0) ? 5'd1 : b_i[14:10];
  assign exp_c = (c_i[14:10] == '0) ? 5'd1 : c_i[14:10];

  logic sign_p, sign_c;
  assign sign_p = a_i[15] ^ b_i[15];
  assign sign_c = c_i[15];

  // Product P = sig_p * 2^(exp_a + exp_b - 50), addend C = sig_c * 2^(exp_c - 25);
  // d = lsb exponent of C minus that of P, in [-34, 53].
  logic        [21:0] sig_p;
  logic signed [7:0]  lsb_p, lsb_c, d;
  assign sig_p = 22'(sig_a) * 22'(sig_b);
  assign lsb_p = 8'(exp_a) + 8'(exp_b) - 8'sd50;
  assign lsb_c = 8'(exp_c) - 8'sd25;
  assign d     = lsb_c - lsb_p;

  logic [Window-1:0] p_al, c_al;
  logic signed [7:0] lsb;  // exponent of window bit 0
  always_comb begin
    if (d >= 8'sd24) begin  // P entirely below C's rounding range: sticky
      c_al = Window'(sig_c) << 3;
      p_al = Window'(sig_p != '0);
      lsb  = lsb_c - 8'sd3;
    end else if (d <= -8'sd13) begin  // C entirely below P's rounding range: sticky
      p_al = Window'(sig_p) << 3;
      c_al = Window'(sig_c != '0);
      lsb  = lsb_p - 8'sd3;
    end else if (d >= 8'sd0) begin
      p_al = Window'(sig_p) << 3;
      c_al = Window'(sig_c) << (d[5:0] + 6'd3);
      lsb  = lsb_p - 8'sd3;
    end else begin
      p_al = Window'(sig_p) << (6'd3 - d[5:0]);
      c_al = Window'(sig_c) << 3;
      lsb  = lsb_c - 8'sd3;
    end
  end

  // Signed sum and its magnitude.
  logic signed [Window:0] sum;
  logic        [Window-1:0] mag;
  logic                     sum_neg;
  assign sum     = (sign_p ? -$signed({1'b0, p_al}) : $signed({1'b0, p_al})) +
                   (sign_c ? -$signed({1'b0, c_al}) : $signed({1'b0, c_al}));
  assign sum_neg = sum[Window];
  assign mag     = sum_neg ? Window'(-sum) : Window'(sum);

  // Position of the leading one.
  logic [5:0] msb;
  always_comb begin
    msb = '0;
    for (int unsigned i = 0; i < Window; i++) begin
      if (mag[i]) msb = 6'(i);
    end
  end

  // Unit of the result's last place: 11 significant bits, or the subnormal unit 2^-24.
  logic signed [7:0] value_exp, res_lsb, shift;
  assign value_exp = 8'(msb) + lsb;
  assign res_lsb   = (value_exp - 8'sd10 < -8'sd24) ? -8'sd24 : value_exp - 8'sd10;
  assign shift     = res_lsb - lsb;

  logic [Window-1:0] q_full;
  logic [11:0]       q;
  logic              round_bit, sticky, round_up;
  always_comb begin
    round_bit = 1'b0;
    sticky    = 1'b0;
    if (shift <= 8'sd0) begin
      q_full = mag << (-shift);
    end else begin
      q_full    = mag >> shift;
      round_bit = mag[6'(shift - 8'sd1)];
      sticky    = (mag & ((Window'(1) << (shift - 8'sd1)) - Window'(1))) != '0;
    end
  end
  assign round_up = round_bit && (sticky || q_full[0]);
  assign q        = q_full[11:0] + 12'(round_up);

  // Pack: a carry into bit 11 moves up one binade.
  logic [10:0]       q_norm;
  logic signed [7:0] lsb_norm, biased;
  assign q_norm   = q[11] ? q[11:1] : q[10:0];
  assign lsb_norm = q[11] ? res_lsb + 8'sd1 : res_lsb;
  assign biased   = lsb_norm + 8'sd25;

  logic [15:0] finite;
  always_comb begin
    if (mag == '0) begin
      // Exact zero: -0 only when both terms are negative zeros.
      finite = {(p_al == '0) && (c_al == '0) && sign_p && sign_c, 15'd0};
    end else if (q_norm[10]) begin
      finite = (biased >= 8'sd31) ? {sum_neg, 15'h7C00} : {sum_neg, biased[4:0], q_norm[9:0]};
    end else begin
      finite = {sum_neg, 5'd0, q_norm[9:0]};
    end
  end

  always_comb begin
    if (a_nan || b_nan || c_nan || ((a_inf || b_inf) && (a_zero || b_zero)) ||
        ((a_inf || b_inf) && c_inf && (sign_p != sign_c))) begin
      result_o = 16'h7E00;
    end else if (a_inf || b_inf) begin
      result_o = {sign_p, 15'h7C00};
    end else if (c_inf) begin
      result_o = c_i;
    end else begin
      result_o = finite;
    end
  end

  logic unused_q_full;
  assign unused_q_full = ^q_full[Window-1:12];

endmodule
