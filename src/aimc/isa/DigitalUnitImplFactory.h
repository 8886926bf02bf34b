#pragma once
// Which digital-unit implementation a core runs and what its registers hold: plain C++ (no SystemC), shared
// by the timed chip (hw/DigitalUnit, hw/Chip) and the numerics-only executor (sim/MappedExecutor), so that
// both compute the same INT8 bytes from the same register values.
#include <memory>
#include <vector>

#include "aimc/config/ArchConfig.h"
#include "aimc/isa/Mapping.h"
#include "aimc/numerics/CrossbarArray.h"
#include "aimc/numerics/DigitalUnitImpl.h"
#include "aimc/numerics/LdpuFp16Params.h"
#include "aimc/numerics/NmpuParams.h"

namespace aimc {

// The NMPU parameters a chip uses: the model's defaults with the arch's lanes, depth, clock and ADC width.
NmpuParams nmpu_params(const ArchConfig& arch);
// The FP16 LDPU parameters a chip uses (core.digital_unit.ldpu_fp16.*).
LdpuFp16Params ldpu_fp16_params(const ArchConfig& arch);
// The implementation core `core` uses (C++ NMPU, C++ FP16 LDPU, or the registered "rtl" factory).
std::unique_ptr<DigitalUnitImpl> make_digital_unit_impl(const ArchConfig& arch, int core);

// The channel coefficients of the digital unit that post-processes piece `piece`, read from its programmed
// crossbar `array` at the current inference time: the drift-compensation factor enters counts_per_unit and so
// the scale. A depthwise piece's come from its DepthwiseKernel (the array is not read). With the piece's
// activation (CrossbarPiece::activation) every channel carries it, its pre-activation step the piece's
// out_step.
std::vector<DigitalChannelCoefficients> piece_channel_coefficients(const Mapping& mapping, size_t piece,
                                                                   const CrossbarArray& array);
// The same without the activation stage (crossbar, depthwise and affine pieces alike).
std::vector<DigitalChannelCoefficients> piece_channel_coefficients_without_activation(
    const Mapping& mapping, size_t piece, const CrossbarArray& array);
// The second register bank of piece `piece` (its residual pass: an Add after the ReLU of a long chain).
std::vector<DigitalChannelCoefficients> piece_residual_coefficients(const Mapping& mapping, size_t piece);

}  // namespace aimc
