#pragma once
// The memory device behind a crossbar cell, as a small strategy interface: how a weight maps onto a target
// conductance, what one write pulse lands at, how the conductance moves with time since programming, the
// relative read noise, the stuck states and the energy of a write pulse. Pure functions of conductance (uS)
// and time (s); callers pass the standard normal draws, so that every draw is keyed by CounterRng.
// Variants: DeviceModelPcm (REFERENCE D, bit-identical to the PcmDeviceModel statics) and DeviceModelRram.
#include <memory>

#include "aimc/numerics/AnalogParams.h"

namespace aimc {

// The range one device can reach (device-to-device variability of its LRS/HRS); PCM: [0, inf).
struct DeviceWindow {
  double low_us = 0.0;
  double high_us = 1e300;
};

// Per-time factors a model precomputes once for all devices of a tile (set_inference_time).
struct DeviceTime {
  double t_s = 0.0;
  double drift = 0.0;  // PCM: ln((t + t0) / t0); RRAM: log10(1 + t / tau)
  double noise = 0.0;  // PCM: the 1/f time factor; RRAM: unused
};

class DeviceModel {
 public:
  virtual ~DeviceModel() = default;
  static std::unique_ptr<DeviceModel> create(const DeviceParams& params);

  // Mapping: the conductance that stands for weight 0 and the span that stands for max|W|, so a cell's
  // weight is (sum G+ - sum G-) / (n span) in units of max|W|.
  virtual double g_zero_us() const = 0;
  virtual double g_span_us() const = 0;
  // Target of one device for its polarity's share `w` of a weight whose line has scale `w_max`.
  virtual double target_us(double w, double w_max) const = 0;

  // Programming. window_draws() standard normals per device give its window (0 for PCM).
  virtual int window_draws() const { return 0; }
  virtual DeviceWindow window(double /*xi_low*/, double /*xi_high*/) const { return {}; }
  // What one write aimed at aim_us lands at, with the standard normal xi of that write.
  virtual double programmed_us(double aim_us, const DeviceWindow& window, double xi) const = 0;

  // Time since programming: a per-device parameter drawn once (PCM drift exponent nu, RRAM relaxation draw),
  // then the conductance and the relative read-noise sigma at a time.
  virtual bool time_dependent() const = 0;
  virtual double time_parameter(double target_us, double xi) const = 0;
  virtual DeviceTime at(double t_s) const = 0;
  virtual double conductance_at(double g_prog_us, double parameter, const DeviceTime& time) const = 0;
  virtual double read_sigma_rel(double g_prog_us, const DeviceTime& time) const = 0;
  // The time factors of a read `delay_s` after a write (program-and-verify), and the sigma of that read.
  virtual DeviceTime after_write(double delay_s) const { return DeviceTime{delay_s, 0.0, 0.0}; }
  double read_sigma_rel_after_write(double g_us, double delay_s) const {
    return read_sigma_rel(g_us, after_write(delay_s));
  }

  // The same formulas over a row of n devices (CrossbarArray's per-line loops): bit-identical to calling the
  // functions above device by device (DeviceModelTest), which is what the defaults do; a model overrides them
  // with a loop that vectorises. win_low/win_high: each device's window, or null for the default window.
  virtual void target_row(int n, const float* w, double w_max, float* out_us) const;
  virtual void programmed_row(int n, const float* aim_us, const float* win_low, const float* win_high,
                              const double* xi, float* out_us) const;
  virtual void time_parameter_row(int n, const float* target_us, const double* xi, float* out) const;
  // Conductance and relative read-noise sigma at `time` of devices programmed to g_prog_us with parameters
  // `parameter` (time_parameter).
  virtual void conductance_row(int n, const float* g_prog_us, const float* parameter, const DeviceTime& time,
                               double* g_us, double* sigma_rel) const;

  // Conductance of a device stuck in its high (SET/LRS) or low (RESET/HRS) state.
  virtual double stuck_high_us() const = 0;
  virtual double stuck_low_us() const = 0;
};

}  // namespace aimc
