// One lane of the NMPU datapath: ADC counts and one channel's coefficients in, one requantised activation out.
// Four arithmetic steps, each with at most one multiplier:
//   1. d = pos - neg; y = requant(d * gain + offset)                  (per-column ADC correction)
//   2. t1 = requant(y * scale + bias); relu1                            (folded scale, batch-norm, bias)
//   3. t2 = requant(t1 + side_scale * side); relu2                      (partial sum / residual from the links)
//   4. out = requant(t2) to OutWidth                                   (INT8 activation)
// PipeDepth registers sit after the steps: 1 -> after 4; 2 -> after 2, 4; 3 -> after 1, 2, 4; 4 -> after each;
// more than 4 adds PipeDepth - 4 registers at the output (for retiming by the synthesis tool). All registers
// load on en_i (the pipeline advances as one). Bit-exact with aimc::NmpuModel::process.
// With ActStage, step 4 is preceded by the activation stage (nmpu_act_stage, two registers, after the side add):
// when act_en_i, out = act(t2) and relu2 is not applied (the stage replaces it); otherwise out = requant(t2)
// delayed by the same two registers, so the lane's latency is PipeDepth + 2 either way
// (NmpuModel::latency_cycles). The act_* inputs other than act_slope_neg_i are the unit's shared registers;
// act_slope_neg_i is the channel's and travels with the other coefficients.
module nmpu_lane #(
  parameter int unsigned CountWidth     = 12,
  parameter int unsigned GainWidth      = 16,
  parameter int unsigned GainFrac       = 14,
  parameter int unsigned OffsetWidth    = 14,
  parameter int unsigned OffsetFrac     = 4,
  parameter int unsigned CorrWidth      = 18,
  parameter int unsigned CorrFrac       = 3,
  parameter int unsigned ScaleWidth     = 22,
  parameter int unsigned ScaleFrac      = 16,
  parameter int unsigned BiasWidth      = 18,
  parameter int unsigned BiasFrac       = 8,
  parameter int unsigned AccWidth       = 19,
  parameter int unsigned AccFrac        = 8,
  parameter int unsigned SideScaleWidth = 13,
  parameter int unsigned SideScaleFrac  = 10,
  parameter int unsigned SideWidth      = 8,
  parameter int unsigned OutWidth       = 8,
  parameter int unsigned PipeDepth      = 4,
  parameter int unsigned RoundMode      = nmpu_pkg::RoundHalfAway,
  parameter bit          ActStage       = 1'b0,
  parameter int unsigned ActBins        = 18,
  parameter int unsigned ActBpWidth     = 19,
  parameter int unsigned ActBpFrac      = 8,
  parameter int unsigned ActValWidth    = 18,
  parameter int unsigned ActValFrac     = 8,
  parameter int unsigned ActSlopeWidth  = 20,
  parameter int unsigned ActSlopeFrac   = 14
) (
  input  logic                             clk_i,
  input  logic                             en_i,
  input  logic        [CountWidth-1:0]     pos_i,
  input  logic        [CountWidth-1:0]     neg_i,
  input  logic signed [SideWidth-1:0]      side_i,
  input  logic                             side_valid_i,
  input  logic signed [GainWidth-1:0]      gain_i,
  input  logic signed [OffsetWidth-1:0]    offset_i,
  input  logic signed [ScaleWidth-1:0]     scale_i,
  input  logic signed [BiasWidth-1:0]      bias_i,
  input  logic signed [SideScaleWidth-1:0] side_scale_i,
  input  logic                             relu1_i,
  input  logic                             relu2_i,
  input  logic                             act_en_i,
  input  logic                             act_table_i,
  input  logic signed [ActSlopeWidth-1:0]  act_slope_pos_i,
  input  logic signed [ActSlopeWidth-1:0]  act_slope_neg_i,
  input  logic signed [ActValWidth-1:0]    act_intercept_i,
  input  logic signed [ActValWidth-1:0]    act_lo_i,
  input  logic signed [ActValWidth-1:0]    act_hi_i,
  input  logic [(ActBins-1)*ActBpWidth-1:0] act_breakpoints_i,
  input  logic [ActBins*ActValWidth-1:0]   act_values_i,
  input  logic [ActBins*ActSlopeWidth-1:0] act_slopes_i,
  output logic signed [OutWidth-1:0]       out_o
);

  // ---------------------------------------------------------------------------------------------------------
  // Step 1: difference of the two CCO counters and affine correction, on gain's fraction grid.
  localparam int unsigned DiffWidth    = CountWidth + 1;
  localparam int unsigned Prod1Width   = DiffWidth + GainWidth;
  localparam int unsigned Off1Width    = OffsetWidth + GainFrac - OffsetFrac;
  localparam int unsigned Sum1Width    = (Prod1Width > Off1Width ? Prod1Width : Off1Width) + 1;

  logic signed [DiffWidth-1:0] diff;
  logic signed [Sum1Width-1:0] sum1;
  logic signed [CorrWidth-1:0] corr_d;
  assign diff = $signed({1'b0, pos_i}) - $signed({1'b0, neg_i});
  assign sum1 = Sum1Width'(diff) * Sum1Width'(gain_i) +
                (Sum1Width'(offset_i) <<< (GainFrac - OffsetFrac));

  nmpu_requant #(
    .InWidth  (Sum1Width),
    .Shift    (GainFrac - CorrFrac),
    .OutWidth (CorrWidth),
    .RoundMode(RoundMode)
  ) u_requant_corr (
    .value_i(sum1),
    .value_o(corr_d)
  );

  // Side input is zero when not valid; it travels with the coefficients that later steps need.
  logic signed [SideWidth-1:0] side_d;
  assign side_d = side_valid_i ? side_i : '0;

  localparam int unsigned Stage1Width = CorrWidth + ScaleWidth + BiasWidth + 1 + SideScaleWidth + 1 + SideWidth;
  logic signed [CorrWidth-1:0]      corr_q;
  logic signed [ScaleWidth-1:0]     scale_q;
  logic signed [BiasWidth-1:0]      bias_q;
  logic                             relu1_q;
  logic signed [SideScaleWidth-1:0] side_scale_q;
  logic                             relu2_q;
  logic signed [SideWidth-1:0]      side_q;

  nmpu_pipe_reg #(
    .Width (Stage1Width),
    .Enable(PipeDepth >= 3)
  ) u_reg_step1 (
    .clk_i,
    .en_i,
    .d_i({corr_d, scale_i, bias_i, relu1_i, side_scale_i, relu2_i, side_d}),
    .q_o({corr_q, scale_q, bias_q, relu1_q, side_scale_q, relu2_q, side_q})
  );

  // ---------------------------------------------------------------------------------------------------------
  // Step 2: per-channel scale and bias on the product's fraction grid, then ReLU 1.
  localparam int unsigned Frac2      = CorrFrac + ScaleFrac;
  localparam int unsigned Prod2Width = CorrWidth + ScaleWidth;
  localparam int unsigned Bias2Width = BiasWidth + Frac2 - BiasFrac;
  localparam int unsigned Sum2Width  = (Prod2Width > Bias2Width ? Prod2Width : Bias2Width) + 1;

  logic signed [Sum2Width-1:0] sum2;
  logic signed [AccWidth-1:0]  scaled;
  logic signed [AccWidth-1:0]  t1_d;
  assign sum2 = Sum2Width'(corr_q) * Sum2Width'(scale_q) + (Sum2Width'(bias_q) <<< (Frac2 - BiasFrac));

  nmpu_requant #(
    .InWidth  (Sum2Width),
    .Shift    (Frac2 - AccFrac),
    .OutWidth (AccWidth),
    .RoundMode(RoundMode)
  ) u_requant_scaled (
    .value_i(sum2),
    .value_o(scaled)
  );
  assign t1_d = (relu1_q && scaled[AccWidth-1]) ? '0 : scaled;

  localparam int unsigned Stage2Width = AccWidth + SideScaleWidth + 1 + SideWidth;
  logic signed [AccWidth-1:0]       t1_q;
  logic signed [SideScaleWidth-1:0] side_scale_q2;
  logic                             relu2_q2;
  logic signed [SideWidth-1:0]      side_q2;

  nmpu_pipe_reg #(
    .Width (Stage2Width),
    .Enable(PipeDepth >= 2)
  ) u_reg_step2 (
    .clk_i,
    .en_i,
    .d_i({t1_d, side_scale_q, relu2_q, side_q}),
    .q_o({t1_q, side_scale_q2, relu2_q2, side_q2})
  );

  // ---------------------------------------------------------------------------------------------------------
  // Step 3: add the scaled side input on the finer of the two fraction grids, then ReLU 2.
  localparam int unsigned Frac3      = AccFrac > SideScaleFrac ? AccFrac : SideScaleFrac;
  localparam int unsigned Acc3Width  = AccWidth + Frac3 - AccFrac;
  localparam int unsigned Prod3Width = SideScaleWidth + SideWidth + Frac3 - SideScaleFrac;
  localparam int unsigned Sum3Width  = (Acc3Width > Prod3Width ? Acc3Width : Prod3Width) + 1;

  logic signed [Sum3Width-1:0] sum3;
  logic signed [AccWidth-1:0]  summed;
  logic signed [AccWidth-1:0]  t2_d;
  assign sum3 = (Sum3Width'(t1_q) <<< (Frac3 - AccFrac)) +
                ((Sum3Width'(side_scale_q2) * Sum3Width'(side_q2)) <<< (Frac3 - SideScaleFrac));

  nmpu_requant #(
    .InWidth  (Sum3Width),
    .Shift    (Frac3 - AccFrac),
    .OutWidth (AccWidth),
    .RoundMode(RoundMode)
  ) u_requant_side (
    .value_i(sum3),
    .value_o(summed)
  );
  // The activation stage replaces relu2 when it is on (without the stage: the expression as before it).
  if (ActStage) begin : gen_relu2_act
    assign t2_d = (relu2_q2 && !act_en_i && summed[AccWidth-1]) ? '0 : summed;
  end else begin : gen_relu2
    assign t2_d = (relu2_q2 && summed[AccWidth-1]) ? '0 : summed;
  end

  logic signed [AccWidth-1:0] t2_q;
  nmpu_pipe_reg #(
    .Width (AccWidth),
    .Enable(PipeDepth >= 4)
  ) u_reg_step3 (
    .clk_i,
    .en_i,
    .d_i(t2_d),
    .q_o(t2_q)
  );

  // ---------------------------------------------------------------------------------------------------------
  // Step 4: requantise to the output integer; always registered.
  logic signed [OutWidth-1:0] out_d;
  nmpu_requant #(
    .InWidth  (AccWidth),
    .Shift    (AccFrac),
    .OutWidth (OutWidth),
    .RoundMode(RoundMode)
  ) u_requant_out (
    .value_i(t2_q),
    .value_o(out_d)
  );

  localparam int unsigned OutRegs = PipeDepth > 4 ? PipeDepth - 3 : 1;
  logic [OutWidth-1:0] out_pipe [OutRegs+1];

  if (ActStage) begin : gen_act
    // The channel's slope below 0 travels with t2 (the same optional registers as steps 1 to 3).
    logic signed [ActSlopeWidth-1:0] slope_neg_q1, slope_neg_q2, slope_neg_q3;
    nmpu_pipe_reg #(.Width(ActSlopeWidth), .Enable(PipeDepth >= 3)) u_reg_slope1 (
      .clk_i, .en_i, .d_i(act_slope_neg_i), .q_o(slope_neg_q1));
    nmpu_pipe_reg #(.Width(ActSlopeWidth), .Enable(PipeDepth >= 2)) u_reg_slope2 (
      .clk_i, .en_i, .d_i(slope_neg_q1), .q_o(slope_neg_q2));
    nmpu_pipe_reg #(.Width(ActSlopeWidth), .Enable(PipeDepth >= 4)) u_reg_slope3 (
      .clk_i, .en_i, .d_i(slope_neg_q2), .q_o(slope_neg_q3));

    logic signed [OutWidth-1:0] act_out;
    nmpu_act_stage #(
      .Bins      (ActBins),
      .AccWidth  (AccWidth),
      .AccFrac   (AccFrac),
      .BpWidth   (ActBpWidth),
      .BpFrac    (ActBpFrac),
      .ValWidth  (ActValWidth),
      .ValFrac   (ActValFrac),
      .SlopeWidth(ActSlopeWidth),
      .SlopeFrac (ActSlopeFrac),
      .OutWidth  (OutWidth),
      .RoundMode (RoundMode)
    ) u_act (
      .clk_i,
      .en_i,
      .t2_i         (t2_q),
      .table_i      (act_table_i),
      .slope_pos_i  (act_slope_pos_i),
      .slope_neg_i  (slope_neg_q3),
      .intercept_i  (act_intercept_i),
      .lo_i         (act_lo_i),
      .hi_i         (act_hi_i),
      .breakpoints_i(act_breakpoints_i),
      .values_i     (act_values_i),
      .slopes_i     (act_slopes_i),
      .out_o        (act_out)
    );

    // Without the function (header bit 0): requant(t2), delayed as the stage delays its result.
    logic [OutWidth-1:0] plain_q1, plain_q2;
    nmpu_pipe_reg #(.Width(OutWidth), .Enable(1'b1)) u_reg_plain1 (
      .clk_i, .en_i, .d_i(out_d), .q_o(plain_q1));
    nmpu_pipe_reg #(.Width(OutWidth), .Enable(1'b1)) u_reg_plain2 (
      .clk_i, .en_i, .d_i(plain_q1), .q_o(plain_q2));
    assign out_pipe[0] = act_en_i ? act_out : plain_q2;
  end else begin : gen_no_act
    assign out_pipe[0] = out_d;
    logic unused_act;
    assign unused_act = ^{act_en_i, act_table_i, act_slope_pos_i, act_slope_neg_i, act_intercept_i, act_lo_i, act_hi_i,
                          act_breakpoints_i, act_values_i, act_slopes_i};
  end
  for (genvar r = 0; r < OutRegs; r++) begin : gen_out_regs
    nmpu_pipe_reg #(
      .Width (OutWidth),
      .Enable(1'b1)
    ) u_reg_out (
      .clk_i,
      .en_i,
      .d_i(out_pipe[r]),
      .q_o(out_pipe[r+1])
    );
  end
  assign out_o = out_pipe[OutRegs];

endmodule
