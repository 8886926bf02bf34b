// Drops Shift fraction bits from a signed value with the configured rounding, then saturates it to OutWidth
// bits. Combinational. Bit-exact with aimc::NmpuFixedPoint::requantize.
module nmpu_requant #(
  parameter int unsigned InWidth   = 16,
  parameter int unsigned Shift     = 4,
  parameter int unsigned OutWidth  = 8,
  parameter int unsigned RoundMode = nmpu_pkg::RoundHalfAway
) (
  input  logic signed [InWidth-1:0]  value_i,
  output logic signed [OutWidth-1:0] value_o
);

  // After the shift the value needs InWidth - Shift bits, plus one for the carry of rounding up.
  localparam int unsigned RoundedWidth = InWidth - Shift + 1;

  logic signed [RoundedWidth-1:0] rounded;

  if (Shift == 0) begin : gen_exact
    assign rounded = RoundedWidth'(value_i);
  end else begin : gen_round
    localparam logic signed [InWidth:0] Half = (InWidth + 1)'(1) <<< (Shift - 1);

    logic signed [InWidth:0] value_ext;
    logic signed [InWidth:0] quotient;
    assign value_ext = (InWidth + 1)'(value_i);
    assign quotient  = value_ext >>> Shift;

    if (RoundMode == nmpu_pkg::RoundHalfAway) begin : gen_half_away
      logic signed [InWidth:0] biased;
`ifdef NMPU_BROKEN_ROUNDING
      // Deliberate bug for the co-simulation's must-fail test: negative ties go up instead of away from zero.
      assign biased = value_ext + Half;
`else
      // Negative values add one LSB less, so that their ties also move away from zero.
      assign biased = value_i[InWidth-1] ? value_ext + Half - (InWidth + 1)'(1) : value_ext + Half;
`endif
      logic signed [InWidth:0] biased_shifted;
      assign biased_shifted = biased >>> Shift;
      assign rounded = biased_shifted[RoundedWidth-1:0];
      logic unused_biased;
      assign unused_biased = ^{biased_shifted[InWidth:RoundedWidth-1], quotient};
    end else if (RoundMode == nmpu_pkg::RoundHalfEven) begin : gen_half_even
      logic [Shift-1:0] remainder;
      logic             round_up;
      assign remainder = value_i[Shift-1:0];
      assign round_up  = (remainder > Half[Shift-1:0]) ||
                         ((remainder == Half[Shift-1:0]) && quotient[0]);
      assign rounded   = quotient[RoundedWidth-1:0] + RoundedWidth'(round_up);
      logic unused_quotient;
      assign unused_quotient = ^quotient[InWidth:RoundedWidth-1];
    end else begin : gen_floor
      assign rounded = quotient[RoundedWidth-1:0];
      logic unused_quotient;
      assign unused_quotient = ^quotient[InWidth:RoundedWidth-1];
    end
  end

  if (OutWidth >= RoundedWidth) begin : gen_no_saturation
    assign value_o = OutWidth'(rounded);
  end else begin : gen_saturation
    // Out of range when the bits above the output's sign bit are not all copies of the sign.
    logic overflow_pos;
    logic overflow_neg;
    assign overflow_pos = !rounded[RoundedWidth-1] && (|rounded[RoundedWidth-2:OutWidth-1]);
    assign overflow_neg = rounded[RoundedWidth-1] && !(&rounded[RoundedWidth-2:OutWidth-1]);
    always_comb begin
      if (overflow_pos) begin
        value_o = {1'b0, {(OutWidth - 1){1'b1}}};
      end else if (overflow_neg) begin
        value_o = {1'b1, {(OutWidth - 1){1'b0}}};
      end else begin
        value_o = rounded[OutWidth-1:0];
      end
    end
  end

endmodule
