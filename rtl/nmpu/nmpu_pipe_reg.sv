// One optional pipeline register with a load enable: a flip-flop stage when Enable, a wire otherwise. Data
// registers are not reset; the valid bits in nmpu_top are.
module nmpu_pipe_reg #(
  parameter int unsigned Width  = 8,
  parameter bit          Enable = 1'b1
) (
  input  logic             clk_i,
  input  logic             en_i,
  input  logic [Width-1:0] d_i,
  output logic [Width-1:0] q_o
);

  if (Enable) begin : gen_reg
    logic [Width-1:0] q_q;
    always_ff @(posedge clk_i) begin
      if (en_i) begin
        q_q <= d_i;
      end
    end
    assign q_o = q_q;
  end else begin : gen_wire
    assign q_o = d_i;
    logic unused_ctrl;
    assign unused_ctrl = ^{clk_i, en_i};
  end

endmodule
