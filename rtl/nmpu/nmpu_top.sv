// Fixed-point near-memory processing unit (NMPU): turns the CCO-ADC counts of one MVM into INT8 activations,
// Lanes values per clock, through PipeDepth register stages. Valid/ready streaming; the whole pipeline advances
// when its output register is empty or taken (in_ready_o = !out_valid_o || out_ready_i). Lane l of a beat uses
// the coefficients of channel (in_chan_i + l) mod NumChannels.
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

  // ---------------------------------------------------------------------------------------------------------
  // Handshake: one valid bit per register stage; every stage loads when the pipeline advances.
  logic                 advance;
  logic [PipeDepth-1:0] valid_q;

  logic [PipeDepth-1:0] valid_d;

  assign advance    = !valid_q[PipeDepth-1] || out_ready_i;
  if (PipeDepth == 1) begin : gen_valid_single
    assign valid_d = in_valid_i;
  end else begin : gen_valid_shift
    assign valid_d = {valid_q[PipeDepth-2:0], in_valid_i};
  end
  assign in_ready_o = advance;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q <= '0;
    end else if (advance) begin
      valid_q <= valid_d;
    end
  end
  assign out_valid_o = valid_q[PipeDepth-1];

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
    .SideScaleWidth(SideScaleWidth)
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
    .relu2_o     (relu2)
  );

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
      .RoundMode     (RoundMode)
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
      .out_o       (out_data_o[l*OutWidth +: OutWidth])
    );
  end

endmodule
