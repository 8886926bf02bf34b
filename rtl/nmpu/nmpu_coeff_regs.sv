// Per-channel coefficient registers of the NMPU, written one field at a time through a simple register
// interface and read by every lane at once. Writes must happen while the stream is idle: a value in flight
// uses the coefficients current when it is accepted (step 1) and carries them down the pipeline.
// A real macro would hold these in a register file or SRAM; flip-flops keep the model simple and synthesizable.
module nmpu_coeff_regs #(
  parameter int unsigned NumChannels    = 256,
  parameter int unsigned Lanes          = 8,
  parameter int unsigned GainWidth      = 16,
  parameter int unsigned OffsetWidth    = 14,
  parameter int unsigned ScaleWidth     = 22,
  parameter int unsigned BiasWidth      = 18,
  parameter int unsigned SideScaleWidth = 13,
  // The activation stage's per-channel slope below 0 (field 6), only in a unit built with the stage.
  parameter bit          HasActSlope    = 1'b0,
  parameter int unsigned ActSlopeWidth  = 20,
  localparam int unsigned ChanWidth     = $clog2(NumChannels)
) (
  input  logic                             clk_i,
  // register interface: write cfg_wdata_i's low bits into field cfg_field_i of channel cfg_chan_i
  input  logic                             cfg_we_i,
  input  logic [ChanWidth-1:0]             cfg_chan_i,
  input  logic [2:0]                       cfg_field_i,
  input  logic [31:0]                      cfg_wdata_i,
  // one read port per lane
  input  logic [Lanes*ChanWidth-1:0]  read_chan_i,
  output logic [Lanes*GainWidth-1:0]  gain_o,
  output logic [Lanes*OffsetWidth-1:0] offset_o,
  output logic [Lanes*ScaleWidth-1:0] scale_o,
  output logic [Lanes*BiasWidth-1:0]  bias_o,
  output logic [Lanes*SideScaleWidth-1:0] side_scale_o,
  output logic [Lanes-1:0]                 relu1_o,
  output logic [Lanes-1:0]                 relu2_o,
  output logic [Lanes*ActSlopeWidth-1:0]   act_slope_neg_o
);

  logic [GainWidth-1:0]      gain_q       [NumChannels];
  logic [OffsetWidth-1:0]    offset_q     [NumChannels];
  logic [ScaleWidth-1:0]     scale_q      [NumChannels];
  logic [BiasWidth-1:0]      bias_q       [NumChannels];
  logic [SideScaleWidth-1:0] side_scale_q [NumChannels];
  logic [1:0]                flags_q      [NumChannels];

  always_ff @(posedge clk_i) begin
    if (cfg_we_i) begin
      unique case (cfg_field_i)
        nmpu_pkg::FieldGain:      gain_q[cfg_chan_i]       <= cfg_wdata_i[GainWidth-1:0];
        nmpu_pkg::FieldOffset:    offset_q[cfg_chan_i]     <= cfg_wdata_i[OffsetWidth-1:0];
        nmpu_pkg::FieldScale:     scale_q[cfg_chan_i]      <= cfg_wdata_i[ScaleWidth-1:0];
        nmpu_pkg::FieldBias:      bias_q[cfg_chan_i]       <= cfg_wdata_i[BiasWidth-1:0];
        nmpu_pkg::FieldSideScale: side_scale_q[cfg_chan_i] <= cfg_wdata_i[SideScaleWidth-1:0];
        nmpu_pkg::FieldFlags:     flags_q[cfg_chan_i]      <= cfg_wdata_i[1:0];
        default: ;  // unused field addresses are ignored
      endcase
    end
  end

  for (genvar l = 0; l < Lanes; l++) begin : gen_read
    logic [ChanWidth-1:0] chan;
    assign chan = read_chan_i[l*ChanWidth +: ChanWidth];
    assign gain_o[l*GainWidth +: GainWidth]                = gain_q[chan];
    assign offset_o[l*OffsetWidth +: OffsetWidth]          = offset_q[chan];
    assign scale_o[l*ScaleWidth +: ScaleWidth]             = scale_q[chan];
    assign bias_o[l*BiasWidth +: BiasWidth]                = bias_q[chan];
    assign side_scale_o[l*SideScaleWidth +: SideScaleWidth] = side_scale_q[chan];
    assign relu1_o[l]                                      = flags_q[chan][0];
    assign relu2_o[l]                                      = flags_q[chan][1];
  end

  if (HasActSlope) begin : gen_act_slope
    logic [ActSlopeWidth-1:0] act_slope_neg_q [NumChannels];
    always_ff @(posedge clk_i) begin
      if (cfg_we_i && cfg_field_i == nmpu_pkg::FieldActSlopeNeg) begin
        act_slope_neg_q[cfg_chan_i] <= cfg_wdata_i[ActSlopeWidth-1:0];
      end
    end
    for (genvar l = 0; l < Lanes; l++) begin : gen_read_slope
      assign act_slope_neg_o[l*ActSlopeWidth +: ActSlopeWidth] =
          act_slope_neg_q[read_chan_i[l*ChanWidth +: ChanWidth]];
    end
  end else begin : gen_no_act_slope
    assign act_slope_neg_o = '0;
  end

endmodule
