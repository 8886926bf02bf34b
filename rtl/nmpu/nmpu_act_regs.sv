// The activation stage's shared configuration registers (one function and table per unit; only the PReLU
// slope is per channel, in nmpu_coeff_regs). Word index as aimc::NmpuRegisterMap::apply_activation:
//   0 header {table, enabled}, 1 slope_pos, 2 intercept, 3 lo, 4 hi, 5 .. Bins+3 breakpoints,
//   Bins+4 .. 2*Bins+3 values, 2*Bins+4 .. 3*Bins+3 slopes; other indices are ignored.
// Only the header resets (stage off); the table holds whatever was written last. Writes must happen while the
// stream is idle: the stage reads these registers as they are when a value reaches it.
module nmpu_act_regs #(
  parameter int unsigned Bins       = 18,
  parameter int unsigned BpWidth    = 19,
  parameter int unsigned ValWidth   = 18,
  parameter int unsigned SlopeWidth = 20
) (
  input  logic                        clk_i,
  input  logic                        rst_ni,
  input  logic                        cfg_we_i,
  input  logic [7:0]                  cfg_index_i,
  input  logic [31:0]                 cfg_wdata_i,
  output logic                        enabled_o,
  output logic                        table_o,
  output logic [SlopeWidth-1:0]       slope_pos_o,
  output logic [ValWidth-1:0]         intercept_o,
  output logic [ValWidth-1:0]         lo_o,
  output logic [ValWidth-1:0]         hi_o,
  output logic [(Bins-1)*BpWidth-1:0] breakpoints_o,
  output logic [Bins*ValWidth-1:0]    values_o,
  output logic [Bins*SlopeWidth-1:0]  slopes_o
);

  logic [1:0] header_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      header_q <= '0;
    end else if (cfg_we_i && cfg_index_i == 8'd0) begin
      header_q <= cfg_wdata_i[1:0];
    end
  end
  assign enabled_o = header_q[0];
  assign table_o   = header_q[1];

  always_ff @(posedge clk_i) begin
    if (cfg_we_i) begin
      if (cfg_index_i == 8'd1) slope_pos_o <= cfg_wdata_i[SlopeWidth-1:0];
      if (cfg_index_i == 8'd2) intercept_o <= cfg_wdata_i[ValWidth-1:0];
      if (cfg_index_i == 8'd3) lo_o <= cfg_wdata_i[ValWidth-1:0];
      if (cfg_index_i == 8'd4) hi_o <= cfg_wdata_i[ValWidth-1:0];
      for (int unsigned k = 0; k < Bins - 1; k++) begin
        if (cfg_index_i == 8'(5 + k)) breakpoints_o[k*BpWidth+:BpWidth] <= cfg_wdata_i[BpWidth-1:0];
      end
      for (int unsigned k = 0; k < Bins; k++) begin
        if (cfg_index_i == 8'(4 + Bins + k)) values_o[k*ValWidth+:ValWidth] <= cfg_wdata_i[ValWidth-1:0];
        if (cfg_index_i == 8'(4 + 2 * Bins + k)) slopes_o[k*SlopeWidth+:SlopeWidth] <= cfg_wdata_i[SlopeWidth-1:0];
      end
    end
  end

endmodule
