// Fixed-point near-memory processing unit (NMPU): turns the CCO-ADC counts of one MVM into INT8 activations,
// Lanes values per clock, through PipeDepth register stages. Valid/ready streaming; the whole pipeline advances
// when its output register is empty or taken (in_ready_o = !out_valid_o || out_ready_i). Lane l of a beat uses
// the coefficients of channel (in_chan_i + l) mod NumChannels.
// ActStage builds the unit with the activation stage (nmpu_act_stage in every lane after the side add, its
// shared registers in nmpu_act_regs, the per-channel slope as coefficient field 6): latency PipeDepth + 2
// (NmpuActivationParams::pipeline_depth). Without it (the default) the unit is the one without activations,
// bit for bit and cycle for cycle, and the cfg_act_* port is ignored.
// Formats: <Name>Int integer bits (incl. sign) and <Name>Frac fraction bits, as in aimc::NmpuParams; the
// defaults equal NmpuParams' defaults (their reasons are given there). Bit-exact with aimc::NmpuModel.
module nmpu_top #(
  parameter int unsigned Lanes         = 8,
  parameter int unsigned NumChannels   = 256,
  parameter int unsigned PipeDepth     = 4,
  parameter int unsigned RoundMode     = nmpu_pkg::RoundHalfAway,
  parameter int unsigned CountWidth    = 12,
  parameter int unsigned GainInt       = 2,
  parameter int unsigned GainFrac      = 14,
  parameter int unsigned OffsetInt     = 10,
  parameter int unsigned OffsetFrac    = 4,
  parameter int unsigned CorrInt       = 15,
  parameter int unsigned CorrFrac      = 3,
  parameter int unsigned ScaleInt      = 6,
  parameter int unsigned ScaleFrac     = 16,
  parameter int unsigned BiasInt       = 10,
  parameter int unsigned BiasFrac      = 8,
  parameter int unsigned AccInt        = 11,
  parameter int unsigned AccFrac       = 8,
  parameter int unsigned SideScaleInt  = 3,
  parameter int unsigned SideScaleFrac = 10,
  parameter int unsigned OutWidth      = 8,
  // The activation stage (defaults equal NmpuActivationParams' defaults, their reasons are given there).
  parameter int unsigned ActStage      = 0,  // 0: without the activation stage, 1: with it
  parameter int unsigned ActBins       = 18,
  parameter int unsigned ActBpInt      = 11,
  parameter int unsigned ActBpFrac     = 8,
  parameter int unsigned ActValInt     = 10,
  parameter int unsigned ActValFrac    = 8,
  parameter int unsigned ActSlopeInt   = 6,
  parameter int unsigned ActSlopeFrac  = 14,
  localparam int unsigned SideWidth    = 8,
  localparam int unsigned ChanWidth    = $clog2(NumChannels)
) (
  input  logic                              clk_i,
  input  logic                              rst_ni,
  // configuration registers
  input  logic                              cfg_we_i,
  input  logic [ChanWidth-1:0]              cfg_chan_i,
  input  logic [2:0]                        cfg_field_i,
  input  logic [31:0]                       cfg_wdata_i,
  // shared activation registers: cfg_act_we_i writes cfg_wdata_i into word cfg_act_index_i (nmpu_act_regs)
  input  logic                              cfg_act_we_i,
  input  logic [7:0]                        cfg_act_index_i,
  // input stream: one beat = Lanes pairs of CCO counters and optional INT8 side inputs
  input  logic                              in_valid_i,
  output logic                              in_ready_o,
  input  logic [ChanWidth-1:0]              in_chan_i,
  input  logic [Lanes*CountWidth-1:0]  in_pos_i,
  input  logic [Lanes*CountWidth-1:0]  in_neg_i,
  input  logic [Lanes*SideWidth-1:0]   in_side_i,
  input  logic [Lanes-1:0]                  in_side_valid_i,
  // output stream: Lanes INT8 activations
  output logic                              out_valid_o,
  input  logic                              out_ready_i,
  output logic [Lanes*OutWidth-1:0]    out_data_o
);

  localparam int unsigned GainWidth      = GainInt + GainFrac;
  localparam int unsigned OffsetWidth    = OffsetInt + OffsetFrac;
  localparam int unsigned ScaleWidth     = ScaleInt + ScaleFrac;
  localparam int unsigned BiasWidth      = BiasInt + BiasFrac;
  localparam int unsigned SideScaleWidth = SideScaleInt + SideScaleFrac;
  localparam int unsigned ActBpWidth     = ActBpInt + ActBpFrac;
  localparam int unsigned ActValWidth    = ActValInt + ActValFrac;
  localparam int unsigned ActSlopeWidth  = ActSlopeInt + ActSlopeFrac;
  // Register stages from input handshake to output.
  localparam int unsigned TotalDepth     = PipeDepth + (ActStage != 0 ? 2 : 0);

  // ---------------------------------------------------------------------------------------------------------
  // Handshake: one valid bit per register stage; every stage loads when the pipeline advances.
  logic                 advance;
  logic [TotalDepth-1:0] valid_q;

  logic [TotalDepth-1:0] valid_d;

  assign advance    = !valid_q[TotalDepth-1] || out_ready_i;
  if (TotalDepth == 1) begin : gen_valid_single
    assign valid_d = in_valid_i;
  end else begin : gen_valid_shift
    assign valid_d = {valid_q[TotalDepth-2:0], in_valid_i};
  end
  assign in_ready_o = advance;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q <= '0;
    end else if (advance) begin
      valid_q <= valid_d;
    end
  end
  assign out_valid_o = valid_q[TotalDepth-1];

  // ---------------------------------------------------------------------------------------------------------
  // Coefficients of each lane's channel.
  logic [Lanes*ChanWidth-1:0]      lane_chan;
  logic [Lanes*GainWidth-1:0]      gain;
  logic [Lanes*OffsetWidth-1:0]    offset;
  logic [Lanes*ScaleWidth-1:0]     scale;
  logic [Lanes*BiasWidth-1:0]      bias;
  logic [Lanes*SideScaleWidth-1:0] side_scale;
  logic [Lanes-1:0]                     relu1;
  logic [Lanes-1:0]                     relu2;
  logic [Lanes*ActSlopeWidth-1:0]       act_slope_neg;

  for (genvar l = 0; l < Lanes; l++) begin : gen_lane_chan
    logic [ChanWidth:0] chan_sum;
    assign chan_sum     = {1'b0, in_chan_i} + (ChanWidth + 1)'(l);
    assign lane_chan[l*ChanWidth +: ChanWidth] =
        (chan_sum >= (ChanWidth + 1)'(NumChannels)) ? ChanWidth'(chan_sum - (ChanWidth + 1)'(NumChannels)) :
                                                      chan_sum[ChanWidth-1:0];
  end

  nmpu_coeff_regs #(
    .NumChannels   (NumChannels),
    .Lanes         (Lanes),
    .GainWidth     (GainWidth),
    .OffsetWidth   (OffsetWidth),
    .ScaleWidth    (ScaleWidth),
    .BiasWidth     (BiasWidth),
    .SideScaleWidth(SideScaleWidth),
    .HasActSlope   (ActStage != 0),
    .ActSlopeWidth (ActSlopeWidth)
  ) u_coeff_regs (
    .clk_i,
    .cfg_we_i,
    .cfg_chan_i,
    .cfg_field_i,
    .cfg_wdata_i,
    .read_chan_i (lane_chan),
    .gain_o      (gain),
    .offset_o    (offset),
    .scale_o     (scale),
    .bias_o      (bias),
    .side_scale_o(side_scale),
    .relu1_o     (relu1),
    .relu2_o     (relu2),
    .act_slope_neg_o(act_slope_neg)
  );

  // ---------------------------------------------------------------------------------------------------------
  // The activation stage's shared registers (zero without the stage).
  logic                              act_en, act_table;
  logic [ActSlopeWidth-1:0]          act_slope_pos;
  logic [ActValWidth-1:0]            act_intercept, act_lo, act_hi;
  logic [(ActBins-1)*ActBpWidth-1:0] act_breakpoints;
  logic [ActBins*ActValWidth-1:0]    act_values;
  logic [ActBins*ActSlopeWidth-1:0]  act_slopes;
  if (ActStage != 0) begin : gen_act_regs
    nmpu_act_regs #(
      .Bins      (ActBins),
      .BpWidth   (ActBpWidth),
      .ValWidth  (ActValWidth),
      .SlopeWidth(ActSlopeWidth)
    ) u_act_regs (
      .clk_i,
      .rst_ni,
      .cfg_we_i     (cfg_act_we_i),
      .cfg_index_i  (cfg_act_index_i),
      .cfg_wdata_i,
      .enabled_o    (act_en),
      .table_o      (act_table),
      .slope_pos_o  (act_slope_pos),
      .intercept_o  (act_intercept),
      .lo_o         (act_lo),
      .hi_o         (act_hi),
      .breakpoints_o(act_breakpoints),
      .values_o     (act_values),
      .slopes_o     (act_slopes)
    );
  end else begin : gen_no_act_regs
    assign {act_en, act_table, act_slope_pos, act_intercept, act_lo, act_hi} = '0;
    assign act_breakpoints = '0;
    assign act_values      = '0;
    assign act_slopes      = '0;
    logic unused_act_cfg;
    assign unused_act_cfg = ^{cfg_act_we_i, cfg_act_index_i};
  end

  // ---------------------------------------------------------------------------------------------------------
  // Datapath lanes.
  for (genvar l = 0; l < Lanes; l++) begin : gen_lanes
    nmpu_lane #(
      .CountWidth    (CountWidth),
      .GainWidth     (GainWidth),
      .GainFrac      (GainFrac),
      .OffsetWidth   (OffsetWidth),
      .OffsetFrac    (OffsetFrac),
      .CorrWidth     (CorrInt + CorrFrac),
      .CorrFrac      (CorrFrac),
      .ScaleWidth    (ScaleWidth),
      .ScaleFrac     (ScaleFrac),
      .BiasWidth     (BiasWidth),
      .BiasFrac      (BiasFrac),
      .AccWidth      (AccInt + AccFrac),
      .AccFrac       (AccFrac),
      .SideScaleWidth(SideScaleWidth),
      .SideScaleFrac (SideScaleFrac),
      .SideWidth     (SideWidth),
      .OutWidth      (OutWidth),
      .PipeDepth     (PipeDepth),
      .RoundMode     (RoundMode),
      .ActStage      (ActStage != 0),
      .ActBins       (ActBins),
      .ActBpWidth    (ActBpWidth),
      .ActBpFrac     (ActBpFrac),
      .ActValWidth   (ActValWidth),
      .ActValFrac    (ActValFrac),
      .ActSlopeWidth (ActSlopeWidth),
      .ActSlopeFrac  (ActSlopeFrac)
    ) u_lane (
      .clk_i,
      .en_i        (advance),
      .pos_i       (in_pos_i[l*CountWidth +: CountWidth]),
      .neg_i       (in_neg_i[l*CountWidth +: CountWidth]),
      .side_i      (in_side_i[l*SideWidth +: SideWidth]),
      .side_valid_i(in_side_valid_i[l]),
      .gain_i      (gain[l*GainWidth +: GainWidth]),
      .offset_i    (offset[l*OffsetWidth +: OffsetWidth]),
      .scale_i     (scale[l*ScaleWidth +: ScaleWidth]),
      .bias_i      (bias[l*BiasWidth +: BiasWidth]),
      .side_scale_i(side_scale[l*SideScaleWidth +: SideScaleWidth]),
      .relu1_i     (relu1[l]),
      .relu2_i     (relu2[l]),
      .act_en_i         (act_en),
      .act_table_i      (act_table),
      .act_slope_pos_i  (act_slope_pos),
      .act_slope_neg_i  (act_slope_neg[l*ActSlopeWidth +: ActSlopeWidth]),
      .act_intercept_i  (act_intercept),
      .act_lo_i         (act_lo),
      .act_hi_i         (act_hi),
      .act_breakpoints_i(act_breakpoints),
      .act_values_i     (act_values),
      .act_slopes_i     (act_slopes),
      .out_o       (out_data_o[l*OutWidth +: OutWidth])
    );
  end

endmodule
