// Signed integer to IEEE binary16, rounded to nearest, ties to even (overflow to infinity for wide inputs).
// Combinational. Bit-exact with aimc::Fp16::from_int.
module fp16_from_int #(
  parameter int unsigned Width = 13
) (
  input  logic signed [Width-1:0] value_i,
  output logic        [15:0]      result_o
);

  logic             negative;
  logic [Width-1:0] mag;
  assign negative = value_i[Width-1];
  assign mag      = negative ? Width'(-value_i) : Width'(value_i);  // -2^(Width-1) keeps its bit pattern

  logic [4:0] msb;
  always_comb begin
    msb = '0;
    for (int unsigned i = 0; i < Width; i++) begin
      if (mag[i]) msb = 5'(i);
    end
  end

  // Significand with the hidden bit at position 10, rounded when more than 11 bits are significant.
  logic [11:0] sig;
  logic [5:0]  exp_biased;
  always_comb begin
    logic [Width+10:0] wide;
    logic [4:0]        drop;
    logic              round_bit, sticky;
    wide       = (Width + 11)'(mag) << (5'd10 - (msb > 5'd10 ? 5'd10 : msb));
    drop       = msb > 5'd10 ? msb - 5'd10 : 5'd0;
    round_bit  = 1'b0;
    sticky     = 1'b0;
    sig        = 12'(wide >> drop);
    if (drop != 5'd0) begin
      round_bit = wide[drop-5'd1];
      sticky    = (wide & (((Width + 11)'(1) << (drop - 5'd1)) - (Width + 11)'(1))) != '0;
      sig       = sig + 12'(round_bit && (sticky || sig[0]));
    end
    exp_biased = 6'(msb) + 6'd15 + 6'(sig[11]);
  end

  always_comb begin
    if (mag == '0) begin
      result_o = 16'h0000;
    end else if (exp_biased >= 6'd31) begin
      result_o = {negative, 15'h7C00};
    end else begin
      result_o = {negative, exp_biased[4:0], sig[11] ? sig[10:1] : sig[9:0]};
    end
  end

endmodule
