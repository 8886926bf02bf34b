// The NMPU's activation stage (NmpuParams.h, NmpuModel::activate): the running value t2 after the side add
// through a slope-and-clamp line or an interpolated table, then requantised to the output integer.
// Bit-exact with aimc::NmpuModel::activate. Two register stages (NmpuActivationParams::pipeline_depth = 2):
//   1. Bins - 1 comparators (breakpoint <= t2, on the common fraction grid) select the bin; its anchor
//      (breakpoint[max(k - 1, 0)]), value and slope are registered. A line (table_i = 0) is the same datapath
//      with anchor 0, value = intercept and the slope chosen by the sign of t2.
//   2. One multiply-add (value + slope * (t2 - anchor)), the line's clamp, and the requantisation.
// The table and line coefficients are inputs: in the unit they are the bank's shared configuration registers
// (NmpuRegisterMap::encode_activation). Instantiated in every nmpu_lane of a unit built with ActStage = 1.
module nmpu_act_stage #(
  parameter int unsigned Bins       = 18,
  parameter int unsigned AccWidth   = 19,  // accumulator Q11.8
  parameter int unsigned AccFrac    = 8,
  parameter int unsigned BpWidth    = 19,  // breakpoint Q11.8
  parameter int unsigned BpFrac     = 8,
  parameter int unsigned ValWidth   = 18,  // value Q10.8
  parameter int unsigned ValFrac    = 8,
  parameter int unsigned SlopeWidth = 20,  // slope Q6.14
  parameter int unsigned SlopeFrac  = 14,
  parameter int unsigned OutWidth   = 8,
  parameter int unsigned RoundMode  = nmpu_pkg::RoundHalfAway
) (
  input  logic                                 clk_i,
  input  logic                                 en_i,
  input  logic signed [AccWidth-1:0]           t2_i,
  input  logic                                 table_i,
  input  logic signed [SlopeWidth-1:0]         slope_pos_i,
  input  logic signed [SlopeWidth-1:0]         slope_neg_i,  // the channel's
  input  logic signed [ValWidth-1:0]           intercept_i,
  input  logic signed [ValWidth-1:0]           lo_i,
  input  logic signed [ValWidth-1:0]           hi_i,
  // Entry k at bits [k * width +: width] (flat vectors: yosys reads no multi-dimensional ports).
  input  logic [(Bins-1)*BpWidth-1:0]          breakpoints_i,
  input  logic [Bins*ValWidth-1:0]             values_i,
  input  logic [Bins*SlopeWidth-1:0]           slopes_i,
  output logic signed [OutWidth-1:0]           out_o
);

  // Common grid of t2 and the breakpoints.
  localparam int unsigned Grid = AccFrac > BpFrac ? AccFrac : BpFrac;
  localparam int unsigned XW = AccWidth + Grid - AccFrac;
  localparam int unsigned BW = BpWidth + Grid - BpFrac;
  localparam int unsigned GW = (XW > BW ? XW : BW) + 1;  // grid values and their difference
  localparam int unsigned ProdFrac = Grid + SlopeFrac;
  localparam int unsigned ValShift = ProdFrac - ValFrac;
  localparam int unsigned ProdW = GW + 1 + SlopeWidth;
  localparam int unsigned ValW = ValWidth + ValShift;
  localparam int unsigned SumW = (ProdW > ValW ? ProdW : ValW) + 1;
  localparam int unsigned IdxW = $clog2(Bins);

  // Stage 1: comparators and bin select.
  logic signed [GW-1:0] x;
  assign x = GW'(t2_i) <<< (Grid - AccFrac);

  logic [Bins-2:0] above;  // breakpoint k <= x
  always_comb begin
    for (int unsigned k = 0; k < Bins - 1; k++) begin
`ifdef NMPU_BROKEN_ACT_COMPARE
      // Deliberately broken (must-fail test only): a t2 equal to a breakpoint falls into the bin below.
      above[k] = (GW'($signed(breakpoints_i[k*BpWidth+:BpWidth])) <<< (Grid - BpFrac)) < x;
`else
      above[k] = (GW'($signed(breakpoints_i[k*BpWidth+:BpWidth])) <<< (Grid - BpFrac)) <= x;
`endif
    end
  end

  logic [IdxW-1:0] bin;
  always_comb begin
    bin = '0;
    for (int unsigned k = 0; k < Bins - 1; k++) begin
      bin = bin + IdxW'(above[k]);
    end
  end

  logic [IdxW-1:0] anchor_index;
  assign anchor_index = bin == '0 ? '0 : bin - IdxW'(1);

  logic signed [GW-1:0]         x_q, anchor_d, anchor_q;
  logic signed [ValWidth-1:0]   value_d, value_q, lo_q, hi_q;
  logic signed [SlopeWidth-1:0] slope_d, slope_q;
  logic                         clamp_q;

  // The selected entries by AND-OR over decoded indices (a shifter over the flat vectors costs more).
  logic [BpWidth-1:0]    anchor_sel;
  logic [ValWidth-1:0]   value_sel;
  logic [SlopeWidth-1:0] slope_sel;
  always_comb begin
    anchor_sel = '0;
    value_sel  = '0;
    slope_sel  = '0;
    for (int unsigned k = 0; k < Bins; k++) begin
      if (k < Bins - 1 && anchor_index == IdxW'(k)) anchor_sel = anchor_sel | breakpoints_i[k*BpWidth+:BpWidth];
      if (bin == IdxW'(k)) begin
        value_sel = value_sel | values_i[k*ValWidth+:ValWidth];
        slope_sel = slope_sel | slopes_i[k*SlopeWidth+:SlopeWidth];
      end
    end
  end

  always_comb begin
    if (table_i) begin
      anchor_d = GW'($signed(anchor_sel)) <<< (Grid - BpFrac);
      value_d  = $signed(value_sel);
      slope_d  = $signed(slope_sel);
    end else begin
      anchor_d = '0;
      value_d  = intercept_i;
      slope_d  = t2_i[AccWidth-1] ? slope_neg_i : slope_pos_i;
    end
  end

  always_ff @(posedge clk_i) begin
    if (en_i) begin
      x_q      <= x;
      anchor_q <= anchor_d;
      value_q  <= value_d;
      slope_q  <= slope_d;
      clamp_q  <= !table_i;
      lo_q     <= lo_i;
      hi_q     <= hi_i;
    end
  end

  // Stage 2: the multiply-add, the line's clamp and the requantisation.
  logic signed [GW-1:0]    diff;
  logic signed [ProdW-1:0] prod;
  logic signed [SumW-1:0]  sum, lo_ext, hi_ext, clamped;
  assign diff   = x_q - anchor_q;
  // A GW x SlopeWidth signed multiplier (the operands sign-extended to the product's width, which synthesis
  // trims back to their own widths).
  assign prod   = ProdW'(diff) * ProdW'(slope_q);
  assign sum    = SumW'(prod) + (SumW'(value_q) <<< ValShift);
  assign lo_ext = SumW'(lo_q) <<< ValShift;
  assign hi_ext = SumW'(hi_q) <<< ValShift;
  always_comb begin
    if (clamp_q && sum < lo_ext) begin
      clamped = lo_ext;
    end else if (clamp_q && sum > hi_ext) begin
      clamped = hi_ext;
    end else begin
      clamped = sum;
    end
  end

  logic signed [OutWidth-1:0] out_d;
  nmpu_requant #(
    .InWidth  (SumW),
    .Shift    (ProdFrac),
    .OutWidth (OutWidth),
    .RoundMode(RoundMode)
  ) u_requant (
    .value_i(clamped),
    .value_o(out_d)
  );

  always_ff @(posedge clk_i) begin
    if (en_i) out_o <= out_d;
  end

endmodule
