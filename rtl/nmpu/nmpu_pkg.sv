// Shared constants of the fixed-point NMPU (see rtl/README.md and src/aimc/numerics/NmpuParams.h).
package nmpu_pkg;

  // Rounding modes; the values equal aimc::NmpuRounding in the C++ model.
  localparam int unsigned RoundHalfAway = 0;  // ties away from zero
  localparam int unsigned RoundHalfEven = 1;  // ties to the even neighbour
  localparam int unsigned RoundFloor    = 2;  // drop the fraction bits (two's complement truncation)

  // Configuration register fields, addressed as {channel, field}.
  localparam logic [2:0] FieldGain      = 3'd0;
  localparam logic [2:0] FieldOffset    = 3'd1;
  localparam logic [2:0] FieldScale     = 3'd2;
  localparam logic [2:0] FieldBias      = 3'd3;
  localparam logic [2:0] FieldSideScale = 3'd4;
  localparam logic [2:0] FieldFlags     = 3'd5;  // bit 0: relu1, bit 1: relu2
  localparam logic [2:0] FieldActSlopeNeg = 3'd6;  // the activation stage's slope below 0 (ActStage only)

endpackage
