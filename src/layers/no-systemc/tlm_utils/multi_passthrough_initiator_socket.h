#pragma once
// A layer below hw/ (plain C++, no SystemC) included <tlm_utils/multi_passthrough_initiator_socket.h>: see
// src/README.md for which folder may use SystemC.
#error "SystemC is not on this layer's include path: only aimc/hw (and the layers above it) may include it"
