// One lane of an FP16 LDPU like the published chip's (REFERENCE.md A), for the fixed-point vs FP16 comparison:
// the same operations as nmpu_lane in IEEE binary16, each step a correctly rounded FMA, five register stages
// (1 value per clock per lane). Bit-exact with aimc::LdpuFp16Model::process.
//   1. x = fp16(pos - neg)   2. y = fma(x, gain, offset)   3. t1 = relu1(fma(y, scale, bias))
//   4. t2 = relu2(side_valid ? fma(side_scale, fp16(side), t1) : t1)   5. out = int8(t2), ties to even
module ldpu_fp16_lane #(
  parameter int unsigned CountWidth = 12
) (
  input  logic                  clk_i,
  input  logic                  en_i,
  input  logic [CountWidth-1:0] pos_i,
  input  logic [CountWidth-1:0] neg_i,
  input  logic signed [7:0]     side_i,
  input  logic                  side_valid_i,
  input  logic [15:0]           gain_i,
  input  logic [15:0]           offset_i,
  input  logic [15:0]           scale_i,
  input  logic [15:0]           bias_i,
  input  logic [15:0]           side_scale_i,
  input  logic                  relu1_i,
  input  logic                  relu2_i,
  output logic signed [7:0]     out_o
);

  // Step 1: difference to FP16.
  logic signed [CountWidth:0] diff;
  logic [15:0]                x_d;
  assign diff = $signed({1'b0, pos_i}) - $signed({1'b0, neg_i});
  fp16_from_int #(.Width(CountWidth + 1)) u_from_int (
    .value_i (diff),
    .result_o(x_d)
  );

  logic [15:0] x_q, gain_q, offset_q, scale_q, bias_q, side_scale_q;
  logic [7:0]  side_q;
  logic        side_valid_q, relu1_q, relu2_q;
  always_ff @(posedge clk_i) begin
    if (en_i) begin
      x_q          <= x_d;
      gain_q       <= gain_i;
      offset_q     <= offset_i;
      scale_q      <= scale_i;
      bias_q       <= bias_i;
      side_scale_q <= side_scale_i;
      side_q       <= side_i;
      side_valid_q <= side_valid_i;
      relu1_q      <= relu1_i;
      relu2_q      <= relu2_i;
    end
  end

  // Step 2: gain and offset.
  logic [15:0] y_d;
  fp16_fma u_fma_affine (
    .a_i     (x_q),
    .b_i     (gain_q),
    .c_i     (offset_q),
    .result_o(y_d)
  );

  logic [15:0] y_q, scale_q2, bias_q2, side_scale_q2;
  logic [7:0]  side_q2;
  logic        side_valid_q2, relu1_q2, relu2_q2;
  always_ff @(posedge clk_i) begin
    if (en_i) begin
      y_q           <= y_d;
      scale_q2      <= scale_q;
      bias_q2       <= bias_q;
      side_scale_q2 <= side_scale_q;
      side_q2       <= side_q;
      side_valid_q2 <= side_valid_q;
      relu1_q2      <= relu1_q;
      relu2_q2      <= relu2_q;
    end
  end

  // Step 3: scale and bias, ReLU 1 (NaN passes, negatives and -0 become +0).
  logic [15:0] scaled, t1_d;
  fp16_fma u_fma_scale (
    .a_i     (y_q),
    .b_i     (scale_q2),
    .c_i     (bias_q2),
    .result_o(scaled)
  );
  logic scaled_nan;
  assign scaled_nan = (scaled[14:10] == 5'h1F) && (scaled[9:0] != '0);
  assign t1_d = (relu1_q2 && !scaled_nan && (scaled[15] || scaled[14:0] == '0)) ? 16'h0000 : scaled;

  logic [15:0] t1_q, side_scale_q3;
  logic [7:0]  side_q3;
  logic        side_valid_q3, relu2_q3;
  always_ff @(posedge clk_i) begin
    if (en_i) begin
      t1_q          <= t1_d;
      side_scale_q3 <= side_scale_q2;
      side_q3       <= side_q2;
      side_valid_q3 <= side_valid_q2;
      relu2_q3      <= relu2_q2;
    end
  end

  // Step 4: side input, ReLU 2.
  logic [15:0] side_fp16, summed, sum_sel, t2_d;
  fp16_from_int #(.Width(8)) u_side_from_int (
    .value_i (side_q3),
    .result_o(side_fp16)
  );
  fp16_fma u_fma_side (
    .a_i     (side_scale_q3),
    .b_i     (side_fp16),
    .c_i     (t1_q),
    .result_o(summed)
  );
  assign sum_sel = side_valid_q3 ? summed : t1_q;
  logic sum_nan;
  assign sum_nan = (sum_sel[14:10] == 5'h1F) && (sum_sel[9:0] != '0);
  assign t2_d = (relu2_q3 && !sum_nan && (sum_sel[15] || sum_sel[14:0] == '0)) ? 16'h0000 : sum_sel;

  logic [15:0] t2_q;
  always_ff @(posedge clk_i) begin
    if (en_i) begin
      t2_q <= t2_d;
    end
  end

  // Step 5: INT8 out.
  logic signed [7:0] out_d;
  fp16_to_int_sat #(.OutWidth(8)) u_to_int (
    .value_i (t2_q),
    .result_o(out_d)
  );
  always_ff @(posedge clk_i) begin
    if (en_i) begin
      out_o <= out_d;
    end
  end

endmodule
