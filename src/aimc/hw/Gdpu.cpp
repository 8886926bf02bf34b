#include "aimc/hw/Gdpu.h"

#include <algorithm>
#include <string>

#include "aimc/base/Error.h"
#include "aimc/isa/FunctionalSteps.h"

namespace aimc {

Gdpu::Gdpu(const sc_core::sc_module_name& name, const ArchConfig& arch, const Mapping& mapping, Noc& noc,
           NetworkInterface::Deliver deliver)
    : HwModule(name, arch.gdpu_period_ns()),
      arch_(arch),
      mapping_(mapping),
      noc_(noc),
      deliver_(std::move(deliver)),
      slices_(static_cast<size_t>(arch.gdpu.slices)),
      steps_(stats().add("steps", "1", "Cell steps run (all slices)")),
      inputs_(stats().add("inputs", "1", "INT8 gate values streamed in")),
      outputs_stat_(stats().add("outputs", "1", "INT8 h values sent out")),
      busy_cycles_(
          stats().add("busy_cycles", "cycles", "Slice-cycles from a step's first input to its last output")),
      lut_lookups_(stats().add("lut_lookups", "1", "tanh-table lookups")),
      fmas_(stats().add("fmas", "1", "FP16 FMAs")),
      state_accesses_(stats().add("state_accesses", "1", "Cell-state register reads and writes")) {
  for (Slice& s : slices_) s.state.assign(static_cast<size_t>(arch.gdpu.state_registers), Fp16());
  SC_METHOD(on_output);
  sensitive << output_event_;
  dont_initialize();
}

uint64_t Gdpu::step_cycles(const GdpuConfig& g, uint64_t units) {
  if (units == 0) return 0;
  const auto gates = static_cast<uint64_t>(kGdpuGatesPerUnit);
  const uint64_t spacing = std::max<uint64_t>(gates, static_cast<uint64_t>(g.cycles_per_output));
  return gates + static_cast<uint64_t>(g.pipeline_cycles) + spacing * (units - 1);
}

void Gdpu::check_step(int slice, const isa::GdpuStep& g) const {
  AIMC_ASSERT_MSG(slice >= 0 && slice < static_cast<int>(slices_.size()), "gdpu_step: no such slice");
  AIMC_ASSERT_MSG(static_cast<size_t>(slice) < mapping_.gdpu_banks.size() &&
                      g.bank < mapping_.gdpu_banks[static_cast<size_t>(slice)].size() &&
                      g.bank < static_cast<uint64_t>(arch_.gdpu.register_banks),
                  "gdpu_step: a scale bank the slice was not loaded with");
  AIMC_ASSERT_MSG(g.units > 0 && g.units <= arch_.gdpu.outputs_per_slice &&
                      g.gate_bytes() <= arch_.gdpu.inputs_per_slice &&
                      g.state_offset + g.units <= arch_.gdpu.state_registers,
                  "gdpu_step: more units, inputs or state registers than a slice has");
}

void Gdpu::step(int slice, const isa::GdpuStep& g, uint32_t pixel, uint64_t sample, const int8_t* gates) {
  check_step(slice, g);
  Slice& s = slices_[static_cast<size_t>(slice)];
  if (s.free_at > sc_core::sc_time_stamp()) wait(s.free_at - sc_core::sc_time_stamp());
  wait_for_edge();
  const sc_core::sc_time start = sc_core::sc_time_stamp();

  Output out;
  out.router = gdpu_feeding_core(arch_, slice);
  out.data.resize(g.units);
  const GdpuActivity a = step::gdpu_step(g, pixel, mapping_.gdpu_banks[static_cast<size_t>(slice)][g.bank],
                                         gates, s.state.data(), out.data.data());
  const uint64_t t = step_cycles(arch_.gdpu, g.units);
  s.free_at = start + cycles(t);
  last_step_ = {start, s.free_at};
  const isa::RowTransfer rows = step::gdpu_output_transfer(g, pixel);
  out.at = s.free_at;
  out.packet.dst = g.dst_core;
  out.packet.tag = g.dst_tag;
  out.packet.sample = sample;
  out.packet.dst_offset = rows.dst_offset;
  out.packet.row_bytes = rows.row_bytes;
  out.packet.dst_stride = rows.dst_stride;
  outputs_.push(std::move(out));
  output_event_.notify(outputs_.top().at - sc_core::sc_time_stamp());

  steps_ += 1;
  inputs_ += static_cast<double>(a.inputs);
  outputs_stat_ += static_cast<double>(a.outputs);
  busy_cycles_ += static_cast<double>(t);
  lut_lookups_ += static_cast<double>(a.lut_lookups);
  fmas_ += static_cast<double>(a.fmas);
  state_accesses_ += static_cast<double>(a.state_reads + a.state_writes);
  if (TraceRecorder::active())
    trace_span("slice" + std::to_string(slice) + " s" + std::to_string(sample), start, s.free_at);
  wait(cycles(g.gate_bytes()));  // the feeding core streams one value per cycle
}

void Gdpu::on_output() {
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  while (!outputs_.empty() && outputs_.top().at <= now) {
    Output o = outputs_.top();
    outputs_.pop();
    o.packet.data = o.data.data();
    // The chip's output port sits at router 0, as for a core's send.
    const int dst_router = o.packet.dst == kOutputPort ? 0 : static_cast<int>(o.packet.dst);
    const Noc::Transfer t = noc_.reserve(o.router, dst_router, o.packet.bytes());
    deliver_(o.packet, t.delivered);
  }
  if (!outputs_.empty()) output_event_.notify(outputs_.top().at - now);
}

}  // namespace aimc
